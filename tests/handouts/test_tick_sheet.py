"""The tick sheet: weeks of the prescription, a row per day, dated when the start is known."""

from __future__ import annotations

import datetime as dt
import re

from export_helpers import clinic_library, desk_routine

from toolkit.handouts.render import render_handout
from toolkit.handouts.tick_sheet import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    PAIN_COLUMNS,
    WEEKDAYS,
    tick_weeks,
)
from toolkit.logs.columns import CANONICAL_COLUMNS

TUESDAY = dt.date(2026, 12, 1)


def test_without_dates_two_weeks_from_monday_to_sunday() -> None:
    assert DEFAULT_WEEKS == 2
    weeks = tick_weeks()
    assert [w.number for w in weeks] == [1, 2]
    assert all(w.start is None for w in weeks)
    assert all([d.label for d in w.days] == list(WEEKDAYS) for w in weeks)
    assert all(d.date is None for w in weeks for d in w.days)


def test_a_start_dates_the_rows_from_that_day() -> None:
    weeks = tick_weeks(TUESDAY)
    assert len(weeks) == DEFAULT_WEEKS
    assert [d.label for d in weeks[0].days][:3] == ["Tue 1 Dec", "Wed 2 Dec", "Thu 3 Dec"]
    assert weeks[1].start == dt.date(2026, 12, 8) and weeks[1].days[-1].label == "Mon 14 Dec"


def test_the_weeks_of_the_prescription_stopping_at_its_end() -> None:
    weeks = tick_weeks(TUESDAY, dt.date(2026, 12, 17))  # 17 days
    assert len(weeks) == 3
    assert [d.label for d in weeks[-1].days] == ["Tue 15 Dec", "Wed 16 Dec", "Thu 17 Dec"]
    assert len(tick_weeks(TUESDAY, dt.date(2026, 12, 28))) == 4  # exactly 4 weeks


def test_an_end_before_the_start_or_a_long_prescription() -> None:
    assert len(tick_weeks(TUESDAY, dt.date(2026, 11, 1))) == DEFAULT_WEEKS
    assert MAX_WEEKS == 12
    assert len(tick_weeks(TUESDAY, TUESDAY + dt.timedelta(days=400))) == MAX_WEEKS


def test_pain_columns_are_log_columns() -> None:
    assert set(PAIN_COLUMNS) <= set(CANONICAL_COLUMNS)
    assert list(PAIN_COLUMNS.values()) == ["Pain before (0-10)", "Pain after (0-10)"]


def test_the_handout_names_patient_and_start_and_dates_the_sheet() -> None:
    html = render_handout(
        desk_routine(),
        clinic_library(),
        standalone=True,
        patient_id="p-017",
        start=TUESDAY,
        end=dt.date(2026, 12, 21),
    )
    assert '<p class="patient"><span class="running-patient">For p-017</span>, starting ' in html
    assert "starting Tuesday 1 December 2026</p>" in html
    sheet = html[html.index('class="tick-sheet"') :]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', sheet)
    assert len(rows) == 21 and rows[0] == "Tue 1 Dec" and rows[-1] == "Mon 21 Dec"
    assert "write-in" not in sheet  # the dates are printed, nothing to write in


def test_without_a_patient_no_name_line() -> None:
    html = render_handout(desk_routine(), clinic_library(), standalone=True)
    assert 'class="patient"' not in html


def test_the_patient_id_is_escaped() -> None:
    html = render_handout(
        desk_routine(), clinic_library(), standalone=True, patient_id='<script>alert("p")</script>'
    )
    assert "<script>" not in html and "For &lt;script&gt;alert(&#34;p&#34;)" in html
