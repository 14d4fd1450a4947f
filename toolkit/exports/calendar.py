"""The prescribed sessions as an iCalendar file (RFC 5545) that calendar apps import.

One event per session, from a start date over a number of weeks (or up to an end date), each
listing the exercises with their dose in plain words, each with a reminder (``VALARM``). Times
are local "floating" times, so 09:00 stays 09:00 wherever the patient's phone is. Event UIDs
are stable: exporting the same routine again for the same patient updates the events rather
than adding copies.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Sequence

from toolkit.errors import ExportError, InvalidDocumentError
from toolkit.routines.catalogue import catalogue
from toolkit.routines.library import Library
from toolkit.routines.models import Dose, Routine
from toolkit.routines.routine import check_exercises, effective_dose, origin
from toolkit.routines.routine_texts import routine_in_language
from toolkit.routines.translations import translate_exercise
from toolkit.routines.wording import describe_dose, describe_schedule

__all__ = [
    "DEFAULT_REMINDER_MIN",
    "default_session_times",
    "session_minutes",
    "session_days",
    "routine_calendar",
    "ical_text",
]

#: How long before each session the reminder goes off. [min]
DEFAULT_REMINDER_MIN = 15

_FIRST_SESSION = 8 * 60  # 08:00 [min after midnight]
_LAST_SESSION = 20 * 60  # 20:00 [min after midnight]
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/hepkit/calendar")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def ical_text(text: str) -> object:
    """Text as an iCalendar TEXT value: line breaks, commas, semicolons and backslashes are
    escaped (RFC 5545, 3.3.11) and other control characters dropped, so that no text a person
    typed can break or add a line of the file. Long lines are folded when the file is written.
    """
    import icalendar

    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return icalendar.vText(cleaned)


def default_session_times(sessions_per_day: int) -> list[dt.time]:
    """Session start times spread over the day: one at 09:00, two at 09:00 and 18:00, more
    evenly between 08:00 and 20:00 (to the quarter hour)."""
    if sessions_per_day == 1:
        return [dt.time(9, 0)]
    if sessions_per_day == 2:
        return [dt.time(9, 0), dt.time(18, 0)]
    step = (_LAST_SESSION - _FIRST_SESSION) / (sessions_per_day - 1)
    minutes = [round((_FIRST_SESSION + i * step) / 15) * 15 for i in range(sessions_per_day)]
    return [dt.time(m // 60, m % 60) for m in minutes]


def _dose_seconds(dose: Dose) -> int:
    """Rough time one exercise takes: the work, the rests, and a little to get set. [s]"""
    sides = 2 if dose.side == "each-side" else 1
    if dose.duration_s is not None:
        work = dose.duration_s
    elif dose.counts == "holds" and dose.hold_s is not None:
        work = (dose.reps or 1) * (dose.hold_s + 3)
    elif dose.counts == "breaths":
        work = (dose.reps or 1) * 8
    else:
        work = (dose.reps or 1) * 4
    return dose.sets * work * sides + (dose.sets - 1) * (dose.rest_s or 0) + 30


def session_minutes(routine: Routine, library: Library) -> int:
    """Estimated length of one session, rounded up to 5 minutes, at least 10. [min]"""
    seconds = sum(
        _dose_seconds(effective_dose(item, library.get(item.exercise))) for item in routine.items
    )
    return max(10, 5 * math.ceil(seconds / 300))


def session_days(start: dt.date, end: dt.date, days_per_week: int) -> list[dt.date]:
    """The exercise days from ``start`` to ``end`` (both included).

    Each week counts from ``start``; its ``days_per_week`` days are spread out (3 a week:
    days 1, 3 and 5 of the week), so that rest days fall between exercise days.
    """
    offsets = {math.floor(i * 7 / days_per_week) for i in range(days_per_week)}
    count = (end - start).days + 1
    return [start + dt.timedelta(days=n) for n in range(count) if n % 7 in offsets]


def _description(routine: Routine, library: Library) -> str:
    language = routine.language
    words = catalogue(language)
    lines = [
        describe_schedule(routine.schedule, language),
        "",
        words.gettext("Exercises, in order:"),
    ]
    for number, item in enumerate(routine.items, start=1):
        exercise = library.get(item.exercise)
        name = translate_exercise(exercise, language, library.source(exercise.id)).name
        dose = describe_dose(effective_dose(item, exercise), language)
        lines.append(f"{number}. {name}: {dose}")
    stop = "Stop any exercise that makes your pain worse, and tell your therapist."
    lines += ["", words.gettext(stop)]
    return "\n".join(lines)


def routine_calendar(
    routine: Routine,
    library: Library,
    *,
    start: dt.date,
    weeks: int = 4,
    end: dt.date | None = None,
    times: Sequence[dt.time] | None = None,
    reminder_min: int = DEFAULT_REMINDER_MIN,
    duration_min: int | None = None,
    patient_id: str | None = None,
) -> bytes:
    """The routine's sessions as iCalendar (``.ics``) bytes.

    Parameters
    ----------
    routine, library
        The routine and the library holding its exercises.
    start : datetime.date
        Day of the first session.
    weeks : int
        Length of the plan when no ``end`` is given. [weeks]
    end : datetime.date, optional
        Last day of the plan (included); overrides ``weeks``.
    times : sequence of datetime.time, optional
        Start time of each session of a day, one per session; default
        :func:`default_session_times`.
    reminder_min : int
        Reminder before each session; 0 reminds at the start. [min]
    duration_min : int, optional
        Length of each event; default :func:`session_minutes`. [min]
    patient_id : str, optional
        Makes the event UIDs distinct between patients on the same routine.

    Raises
    ------
    ExportError
        ``end`` before ``start``, ``weeks`` outside 1-104, a wrong number of times, or a
        reminder outside 0-1440 minutes.
    """
    import icalendar  # imported on first use

    problems = check_exercises(routine, library)
    if problems:
        raise InvalidDocumentError(origin(routine), problems)
    schedule = routine.schedule
    if end is None:
        if not 1 <= weeks <= 104:
            raise ExportError(f"weeks {weeks} is out of range; allowed: 1 to 104")
        end = start + dt.timedelta(weeks=weeks, days=-1)
    if end < start:
        raise ExportError(f"end date {end} is before start date {start}")
    times = list(times) if times is not None else default_session_times(schedule.sessions_per_day)
    if len(times) != schedule.sessions_per_day:
        raise ExportError(
            f"{len(times)} session times given ({', '.join(t.strftime('%H:%M') for t in times)}); "
            f"the routine has {schedule.sessions_per_day} sessions a day, so give that many"
        )
    if not 0 <= reminder_min <= 1440:
        raise ExportError(f"reminder {reminder_min} min is out of range; allowed: 0 to 1440")
    length = dt.timedelta(minutes=duration_min or session_minutes(routine, library))
    words = catalogue(routine.language)
    routine = routine_in_language(routine, routine.language)
    description = _description(routine, library)
    stamp = dt.datetime.combine(routine.updated, dt.time(0, 0), tzinfo=dt.UTC)

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//hepkit//home exercise routine//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", ical_text(routine.title))
    for day in session_days(start, end, schedule.days_per_week):
        for number, at in enumerate(times, start=1):
            begin = dt.datetime.combine(day, at)
            key = f"{patient_id or ''}/{routine.id}/{begin.isoformat()}/{number}"
            summary = routine.title
            if schedule.sessions_per_day > 1:
                session = words.gettext(" (session {number} of {total})")
                summary += session.format(number=number, total=schedule.sessions_per_day)
            event = icalendar.Event()
            event.add("uid", f"{uuid.uuid5(_UID_NAMESPACE, key)}@hepkit")
            event.add("dtstamp", stamp)
            event.add("sequence", routine.version - 1)
            event.add("dtstart", begin)
            event.add("dtend", begin + length)
            event.add("summary", ical_text(summary))
            event.add("description", ical_text(description))
            event.add("categories", [words.gettext("Home exercises")])
            event.add("transp", "TRANSPARENT")
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            reminder = words.gettext("Time for your exercises: {title}").format(title=routine.title)
            alarm.add("description", ical_text(reminder))
            alarm.add("trigger", dt.timedelta(minutes=-reminder_min))
            event.add_component(alarm)
            calendar.add_component(event)
    return bytes(calendar.to_ical())
