"""Flags for the clinician, with their dates, and the red-flag note patterns (spec, section 7)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from analysis_frames import STANDARD_ITEMS, day, logs, make_routine, prescriptions

from toolkit.analysis.flags import FLAGS, RED_FLAG_PATTERNS, RED_FLAG_PATTERNS_VERSION, flags
from toolkit.analysis.summary import analyse

R1 = {"r1": make_routine("r1", STANDARD_ITEMS)}


def session(patient, when, **extra):
    return {"patient_id": patient, "timestamp": when, **extra}


def flag_table(rows, pres, as_of, library, **thresholds):
    return analyse(logs(*rows), pres, R1, library, as_of, **thresholds).flags


def flagged(table, flag):
    """patient_id -> date of the given flag."""
    chosen = table[table["flag"] == flag]
    return dict(zip(chosen["patient_id"], chosen["date"], strict=True))


def daily(patient, first, count, **extra):
    start = pd.Timestamp(first)
    return [
        session(patient, (start + pd.Timedelta(days=i)).strftime("%Y-%m-%d"), **extra)
        for i in range(count)
    ]


def test_low_adherence_needs_a_week_of_window_and_is_dated_window_end(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", None), ("p2", "r1", "2026-01-06", None))
    rows = [session("p1", "2026-01-05", pain_before=3), session("p2", "2026-01-11")]
    table = flag_table(rows, pres, "2026-01-11", library)
    assert flagged(table, "low_adherence") == {"p1": day("2026-01-11")}
    detail = table[table["flag"] == "low_adherence"]["detail"].iloc[0]
    assert detail == "session adherence 14 %: 1 of 7 prescribed sessions done"


def test_adherent_patients_get_no_low_adherence(library):
    rows = daily("p1", "2026-01-05", 6)  # 6 of 7 = 0.857
    table = flag_table(rows, prescriptions(("p1", "r1", "2026-01-05", None)), "2026-01-11", library)
    assert "low_adherence" not in set(table["flag"])


def test_stopped_logging_for_ongoing_programmes_and_for_patients_with_no_row(library):
    pres = prescriptions(
        ("a", "r1", "2025-12-20", None),  # last log 7 days ago: flagged
        ("b", "r1", "2025-12-20", None),  # 6 days ago: not
        ("c", "r1", "2025-12-20", "2026-01-08"),  # ended, 9 days ago: not
        ("d", "r1", "2025-12-20", "2026-01-30"),  # ends after as_of: ongoing, flagged
        ("e", "r1", "2025-12-20", "2025-12-31"),  # no row at all, 12 window days: flagged
        ("f", "r1", "2026-01-06", None),  # no row, 6 window days: not
    )
    rows = [
        session("a", "2026-01-04"),
        session("b", "2026-01-05"),
        session("c", "2026-01-02"),
        session("d", "2026-01-01"),
    ]
    table = flag_table(rows, pres, "2026-01-11", library)
    stopped = flagged(table, "stopped_logging")
    assert set(stopped) == {"a", "d", "e"}
    assert stopped["a"] == day("2026-01-04")
    assert pd.isna(stopped["e"])
    details = table[table["flag"] == "stopped_logging"].set_index("patient_id")["detail"]
    assert details["a"] == "no log for 7 days (last on 2026-01-04)"
    assert details["e"] == "no log at all in 12 window days"


def test_pain_worsened_is_dated_window_end(library):
    rows = [
        *daily("p1", "2026-01-05", 3, pain_before=3),
        *daily("p1", "2026-01-16", 3, pain_before=5),
    ]
    table = flag_table(rows, prescriptions(("p1", "r1", "2026-01-05", None)), "2026-01-18", library)
    assert flagged(table, "pain_worsened") == {"p1": day("2026-01-18")}
    detail = table[table["flag"] == "pain_worsened"]["detail"].iloc[0]
    assert detail == "pain went from 3.0 at baseline to 5.0 now (+2.0 points)"


def test_pain_rises_after_exercise_need_two_and_are_dated_by_the_latest(library):
    rows = [
        session("p1", "2026-01-06T08:00", pain_before=2, pain_after=4),
        session("p1", "2026-01-09T08:00", pain_before=3, pain_after=6),
        session("p2", "2026-01-09T08:00", pain_before=3, pain_after=6),
    ]
    pres = prescriptions(("p1", "r1", "2026-01-05", None), ("p2", "r1", "2026-01-05", None))
    table = flag_table(rows, pres, "2026-01-11", library)
    assert flagged(table, "pain_rises_after_exercise") == {"p1": day("2026-01-09")}
    assert table.loc[table["flag"] == "pain_rises_after_exercise", "detail"].item() == (
        "pain rose after exercise in 2 sessions of the last 14 window days (latest on 2026-01-09)"
    )
    assert flagged(
        flag_table(rows, pres, "2026-01-11", library, min_rises=1), "pain_rises_after_exercise"
    ) == {
        "p1": day("2026-01-09"),
        "p2": day("2026-01-09"),
    }


def test_insufficient_baseline_is_dated_window_start(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", None), ("p2", "r1", "2026-01-06", None))
    rows = [session("p1", "2026-01-05", pain_before=4), session("p2", "2026-01-06")]
    table = flag_table(rows, pres, "2026-01-11", library)
    assert flagged(table, "insufficient_baseline") == {"p1": day("2026-01-05")}
    assert table.loc[table["flag"] == "insufficient_baseline", "detail"].item() == (
        "fewer than 3 pain scores in the first 7 window days: too few to set a baseline"
    )


def test_pain_worsened_by_a_quarter_point_reads_rounded_half_up(library):
    rows = [
        *daily("p1", "2026-01-05", 3, pain_before=3),
        session("p1", "2026-01-08", pain_before=4),  # baseline 3.25
        *daily("p1", "2026-01-15", 3, pain_before=5),
        session("p1", "2026-01-18", pain_before=6),  # current 5.25
    ]
    table = flag_table(rows, prescriptions(("p1", "r1", "2026-01-05", None)), "2026-01-18", library)
    detail = table[table["flag"] == "pain_worsened"]["detail"].iloc[0]
    assert detail == "pain went from 3.3 at baseline to 5.3 now (+2.0 points)"


def test_the_red_flag_patterns_are_version_1_of_the_spec_verbatim():
    assert RED_FLAG_PATTERNS_VERSION == 1
    assert RED_FLAG_PATTERNS == {
        "bladder or bowel control": r"bladder|bowel|incontinen|wet (myself|the bed)",
        "saddle numbness": r"saddle|numb\w* (in|around) (the |my )?(groin|genital\w*|perine\w*|inner thigh\w*)",  # noqa: E501
        "leg weakness or foot drop": r"foot ?drop|drop ?foot|legs? (is |are |feels? |felt |went |keeps? )?(weak|giving way|gave way|buckl\w*)|weak(ness)? in (my |the |both |left |right )*legs?|weak legs?",  # noqa: E501
        "fever": r"fever|feverish|high temperature",
        "weight loss": r"weight loss|losing weight|lost weight",
        "severe night pain": r"night pain|pain at night|pain (wakes|woke|waking) me|(wakes|woke|waking) me up",  # noqa: E501
    }


@pytest.mark.parametrize(
    ("note", "symptom"),
    [
        ("I wet myself last night", "bladder or bowel control"),
        ("Trouble with my BOWELS", "bladder or bowel control"),
        ("numbness in my groin", "saddle numbness"),
        ("Numb around the inner thighs", "saddle numbness"),
        ("my left leg gave way on the stairs", "leg weakness or foot drop"),
        ("weakness in both legs", "leg weakness or foot drop"),
        ("legs feel weak", "leg weakness or foot drop"),
        ("think I have foot drop", "leg weakness or foot drop"),
        ("no fever", "fever"),
        ("High temperature today", "fever"),
        ("I lost weight without trying", "weight loss"),
        ("the pain woke me up at 3", "severe night pain"),
        ("night pain again", "severe night pain"),
    ],
)
def test_each_pattern_matches_its_examples_case_insensitively(note, symptom):
    assert re.search(RED_FLAG_PATTERNS[symptom], note, re.IGNORECASE)


def test_red_flag_notes_one_row_per_date_and_text_in_or_out_of_the_window(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", None), ("late", "r1", "2026-02-01", None))
    rows = [
        session("p1", "2026-01-03", notes="No fever, all good"),  # before the window
        session("p1", "2026-01-06T08:00", notes="no fever"),
        session("p1", "2026-01-06T18:00", notes="no fever", completed=False),  # same day/text
        session("p1", "2026-01-07", notes="no fever"),  # another day: another row
        session("p1", "2026-01-07", notes="Feeling good; stretched my legs"),
        session("p1", "2026-01-12", notes="fever"),  # after as_of
        session("nobody", "2026-01-06", notes="fever"),  # not prescribed
        session("late", "2026-01-06", notes="fever"),  # window not started
    ]
    table = flag_table(rows, pres, "2026-01-11", library)
    notes = table[table["flag"] == "red_flag_note"]
    assert list(notes["patient_id"]) == ["p1", "p1", "p1"]
    assert list(notes["date"]) == [day("2026-01-03"), day("2026-01-06"), day("2026-01-07")]
    assert notes["detail"].iloc[1] == 'note mentions fever; please read it: "no fever"'


def test_a_note_matching_two_symptoms_names_both(library):
    rows = [session("p1", "2026-01-05", notes="Fever and I wet the bed")]
    table = flag_table(rows, prescriptions(("p1", "r1", "2026-01-05", None)), "2026-01-05", library)
    detail = table[table["flag"] == "red_flag_note"]["detail"].iloc[0]
    assert detail.startswith("note mentions bladder or bowel control; fever; ")


def test_flags_are_sorted_by_patient_flag_order_and_date(library):
    pres = prescriptions(("a", "r1", "2026-01-05", None), ("b", "r1", "2026-01-05", None))
    rows = [
        session("b", "2026-01-09", notes="fever"),
        session("b", "2026-01-06", notes="bladder"),
        session("a", "2026-01-02", notes="weight loss"),
    ]
    table = flag_table(rows, pres, "2026-01-11", library)
    assert list(table.columns) == ["patient_id", "flag", "date", "detail"]
    assert list(zip(table["patient_id"], table["flag"], strict=True)) == [
        ("a", "low_adherence"),
        ("a", "stopped_logging"),
        ("a", "insufficient_baseline"),
        ("a", "red_flag_note"),
        ("b", "low_adherence"),
        ("b", "insufficient_baseline"),
        ("b", "red_flag_note"),
        ("b", "red_flag_note"),
    ]
    assert list(table["date"].iloc[-2:]) == [day("2026-01-06"), day("2026-01-09")]
    assert FLAGS == (
        "low_adherence",
        "stopped_logging",
        "pain_worsened",
        "pain_trend_up",
        "pain_rises_after_exercise",
        "insufficient_baseline",
        "red_flag_note",
    )


def test_flag_thresholds_are_fields_of_thresholds(library):
    # The defaults themselves are pinned in test_thresholds.py.
    pres = prescriptions(("p1", "r1", "2026-01-05", None))
    rows = [session("p1", "2026-01-05")]
    assert "stopped_logging" not in set(flag_table(rows, pres, "2026-01-11", library)["flag"])
    relaxed = flag_table(rows, pres, "2026-01-11", library, stopped_logging_days=6)
    assert flagged(relaxed, "stopped_logging") == {"p1": day("2026-01-05")}
    short = flag_table(rows, pres, "2026-01-10", library, min_window_days=6)
    assert "low_adherence" in set(short["flag"])


def test_no_flags_gives_an_empty_table_with_the_columns(library):
    rows = daily("p1", "2026-01-05", 7, pain_before=2)
    table = flag_table(rows, prescriptions(("p1", "r1", "2026-01-05", None)), "2026-01-11", library)
    assert table.empty
    assert list(table.columns) == ["patient_id", "flag", "date", "detail"]


# --- pain_trend_up (revision 2) -------------------------------------------------------------


def _rising(patient="p1"):
    """Seven days from 2026-01-05, 7 rows a day whose mean pain is 1 + 2x/7 on day x.

    An exact line: 2/7 points a day, 2 points a week; every residual is zero, so the
    interval is (2, 2) and pain_slope_ci_low = 2 > 0.
    """
    rows = []
    for x in range(7):
        when = (pd.Timestamp("2026-01-05") + pd.Timedelta(days=x)).strftime("%Y-%m-%d")
        extra = 2 * x
        for i in range(7):
            pain = 1 + extra // 7 + (1 if i < extra % 7 else 0)
            rows.append(session(patient, when, pain_before=pain))
    return rows


def test_pain_trend_up_needs_the_line_to_climb_two_points_and_is_dated_window_end(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", None))
    # as_of 01-11: window_end - window_start = 6 days, rise 2 x 6 / 7 = 1.71 < 2: no flag
    beside = analyse(logs(*_rising()), pres, R1, library, "2026-01-11")
    pain_row = beside.pain.patients.iloc[0]
    assert pain_row["pain_slope_per_week"] == pytest.approx(2.0)
    assert pain_row["pain_slope_ci_low"] == pytest.approx(2.0)
    assert pain_row["pain_trend_rise"] == pytest.approx(12 / 7)
    assert "pain_trend_up" not in set(beside.flags["flag"])
    # as_of 01-12 (no score that day): 7 days, rise exactly 2: flagged, dated window_end
    at = analyse(logs(*_rising()), pres, R1, library, "2026-01-12")
    assert at.pain.patients["pain_trend_rise"].iloc[0] == pytest.approx(2.0)
    assert flagged(at.flags, "pain_trend_up") == {"p1": day("2026-01-12")}
    detail = at.flags.loc[at.flags["flag"] == "pain_trend_up", "detail"].iloc[0]
    assert detail.startswith("pain trend +2.00 points a week, clearly upward")
    assert at.summary["flags"].iloc[0] == "pain_trend_up"
    assert at.summary["priority"].iloc[0] == "urgent"


def test_pain_trend_rise_counts_the_gap_days_between_periods(library):
    # Same scores in a first period (01-05 to 01-11); a second period from 01-15; as_of 01-19.
    # window_end - window_start = 14 calendar days (gap included): rise 2 x 14 / 7 = 4.
    pres = prescriptions(("p1", "r1", "2026-01-05", "2026-01-11"), ("p1", "r1", "2026-01-15", None))
    result = analyse(logs(*_rising()), pres, R1, library, "2026-01-19")
    assert result.pain.patients["pain_trend_rise"].iloc[0] == pytest.approx(4.0)


def _one_patient_flags(ci_low, trend_rise):
    adherence = pd.DataFrame(
        {
            "patient_id": ["p1"],
            "as_of": [day("2026-02-01")],
            "window_start": [day("2026-01-05")],
            "window_end": [day("2026-02-01")],
            "days_in_window": [28],
            "adherent": [True],
            "session_adherence": [1.0],
            "sessions_done": [28.0],
            "sessions_prescribed": [28.0],
            "last_log_date": [day("2026-02-01")],
            "days_since_last_log": [0],
        }
    )
    pain = pd.DataFrame(
        {
            "patient_id": ["p1"],
            "baseline_pain": [3.0],
            "current_pain": [3.0],
            "pain_change": [0.0],
            "worsened": [False],
            "pain_slope_per_week": [1.0],
            "pain_slope_ci_low": [ci_low],
            "pain_trend_rise": [trend_rise],
            "rises": [0],
            "last_rise_date": [pd.NaT],
        }
    )
    return set(flags(adherence, pain, logs(session("p1", "2026-02-01")))["flag"])


@pytest.mark.parametrize(
    ("ci_low", "trend_rise", "expected"),
    [
        (0.1, 2.0, True),  # rise >= 2 at the boundary
        (0.1, 2.0 - 5e-10, True),  # within the tolerance
        (0.1, 2.0 - 1e-6, False),  # beside it
        (0.0, 5.0, False),  # ci_low > 0: exactly 0 is not above
        (5e-10, 5.0, False),  # nor within the tolerance
        (1e-6, 5.0, True),
        (float("nan"), 5.0, False),  # no interval: no trend
    ],
)
def test_pain_trend_up_boundaries(ci_low, trend_rise, expected):
    assert ("pain_trend_up" in _one_patient_flags(ci_low, trend_rise)) is expected
