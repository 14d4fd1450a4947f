"""The sessions as an iCalendar file: parses back, one event per session, reminders, stable UIDs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from export_helpers import HOSTILE, clinic_library, desk_routine

from toolkit.errors import ExportError
from toolkit.exports.calendar import (
    DEFAULT_REMINDER_MIN,
    default_session_times,
    routine_calendar,
    session_days,
    session_minutes,
)
from toolkit.exports.formats import export
from toolkit.routines.models import Schedule

START = dt.date(2026, 12, 1)  # a Tuesday


def events(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


def test_the_file_parses_back_with_the_calendar_fields(tmp_path: Path) -> None:
    path = export(
        desk_routine(), "ics", tmp_path / "desk.ics", library=clinic_library(), start=START, weeks=2
    )
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//hepkit//")
    assert path.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("sessions", "days", "weeks"), [(1, 7, 4), (2, 5, 2), (3, 3, 1), (1, 1, 6)]
)
def test_one_event_per_session_over_the_weeks(sessions: int, days: int, weeks: int) -> None:
    routine = desk_routine()
    routine.schedule = Schedule(sessions_per_day=sessions, days_per_week=days)
    found = events(routine_calendar(routine, clinic_library(), start=START, weeks=weeks))
    assert len(found) == sessions * days * weeks
    starts = [e.decoded("dtstart") for e in found]
    assert min(starts).date() == START
    assert max(starts).date() < START + dt.timedelta(weeks=weeks)
    assert len({e["uid"] for e in found}) == len(found)


def test_an_end_date_bounds_the_sessions() -> None:
    routine = desk_routine()
    routine.schedule = Schedule(sessions_per_day=2, days_per_week=7)
    found = events(
        routine_calendar(routine, clinic_library(), start=START, end=START + dt.timedelta(days=9))
    )
    assert len(found) == 2 * 10


def test_exercise_days_are_spread_over_the_week() -> None:
    days = session_days(START, START + dt.timedelta(days=13), 3)
    assert [(d - START).days for d in days] == [0, 2, 4, 7, 9, 11]
    assert len(session_days(START, START + dt.timedelta(days=6), 7)) == 7


def test_every_event_lists_the_exercises_and_has_a_reminder() -> None:
    found = events(routine_calendar(desk_routine(), clinic_library(), start=START, weeks=1))
    for event in found:
        description = str(event["description"])
        assert "1. Shoulder blade squeeze: Hold for 5 seconds." in description
        assert "2. Pelvic tilt: Do this 12 times." in description
        assert "3. Walking: Keep going for 5 minutes." in description
        (alarm,) = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == dt.timedelta(minutes=-DEFAULT_REMINDER_MIN)
    assert str(found[0]["summary"]) == "Desk break for your back (session 1 of 2)"


def test_times_reminder_and_length_are_configurable() -> None:
    found = events(
        routine_calendar(
            desk_routine(),
            clinic_library(),
            start=START,
            weeks=1,
            times=[dt.time(7, 30), dt.time(19, 45)],
            reminder_min=5,
            duration_min=25,
        )
    )
    first, second = found[0], found[1]
    assert first.decoded("dtstart") == dt.datetime(2026, 12, 1, 7, 30)  # floating local time
    assert second.decoded("dtstart") == dt.datetime(2026, 12, 1, 19, 45)
    assert first.decoded("dtend") - first.decoded("dtstart") == dt.timedelta(minutes=25)
    (alarm,) = first.walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(minutes=-5)


def test_default_times_and_length() -> None:
    assert default_session_times(1) == [dt.time(9, 0)]
    assert default_session_times(2) == [dt.time(9, 0), dt.time(18, 0)]
    assert default_session_times(3) == [dt.time(8, 0), dt.time(14, 0), dt.time(20, 0)]
    assert len(set(default_session_times(6))) == 6
    # squeeze 2x8x(5+3)+30 rest+30 = 188 s; tilt 12x4+30 = 78 s; walk 300+30 = 330 s
    assert session_minutes(desk_routine(), clinic_library()) == 10


def test_uids_are_stable_and_differ_between_patients() -> None:
    def uids(patient: str) -> list[str]:
        data = routine_calendar(
            desk_routine(), clinic_library(), start=START, weeks=1, patient_id=patient
        )
        return [str(e["uid"]) for e in events(data)]

    assert uids("p-1") == uids("p-1")
    assert not set(uids("p-1")) & set(uids("p-2"))
    assert all(uid.endswith("@hepkit") for uid in uids("p-1"))


def test_typed_text_is_kept_as_plain_text() -> None:
    routine = desk_routine()
    routine.title = HOSTILE[:200]
    found = events(routine_calendar(routine, clinic_library(), start=START, weeks=1))
    assert str(found[0]["summary"]).startswith("<script>")  # text in a calendar, not markup


def test_wrong_options_are_refused() -> None:
    lib = clinic_library()
    with pytest.raises(
        ExportError,
        match=r"1 session times given \(09:00\); the routine has 2 "
        r"sessions a day, so give that many",
    ):
        routine_calendar(desk_routine(), lib, start=START, times=[dt.time(9)])
    with pytest.raises(ExportError, match=r"end date 2026-11-30 is before start date 2026-12-01"):
        routine_calendar(desk_routine(), lib, start=START, end=dt.date(2026, 11, 30))
    with pytest.raises(ExportError, match=r"weeks 0 is out of range; allowed: 1 to 104"):
        routine_calendar(desk_routine(), lib, start=START, weeks=0)
    with pytest.raises(ExportError, match=r"reminder -5 min is out of range; allowed: 0 to 1440"):
        routine_calendar(desk_routine(), lib, start=START, reminder_min=-5)


def test_export_needs_a_start_date(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"the ics format needs start, the day of the first"):
        export(desk_routine(), "ics", tmp_path / "x.ics", library=clinic_library())
