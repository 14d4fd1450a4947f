"""Session adherence, dose adherence, reporting and exclusions (analysis spec, sections 2-5).

Every expected number below is worked out by hand in the comment next to it.
"""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest
from analysis_frames import STANDARD_ITEMS, day, logs, make_routine, one, prescriptions

from toolkit.analysis.adherence import EXCLUSION_REASONS, adherence, routine_plan
from toolkit.analysis.tables import table_text
from toolkit.analysis.thresholds import Thresholds
from toolkit.errors import AnalysisError, InvalidDocumentError, PrescriptionError

R1 = {"r1": make_routine("r1", STANDARD_ITEMS)}  # T = 1, D = 7


def run(rows, pres, as_of, routines=None, library=None, **kwargs):
    chosen = Thresholds(**kwargs)
    return adherence(logs(*rows), pres, routines or R1, library, as_of=as_of, thresholds=chosen)


def session(patient, when, **extra):
    return {"patient_id": patient, "timestamp": when, **extra}


def exercise(patient, when, exercise_id, **extra):
    return {"patient_id": patient, "timestamp": when, "exercise_id": exercise_id, **extra}


P1 = prescriptions(("p1", "r1", "2026-01-05", None))


# --- sessions ------------------------------------------------------------------------------


def test_session_rows_count_one_each_and_a_day_is_capped_at_T(library):
    rows = [
        session("p1", "2026-01-05T08:00"),
        session("p1", "2026-01-05T12:00"),
        session("p1", "2026-01-05T18:00"),
        session("p1", "2026-01-07"),
    ]
    result = run(rows, P1, "2026-01-07", library=library)
    week = one(result.weekly, patient_id="p1")
    # 3 window days x T=1; Monday counts min(3, 1) = 1, Wednesday 1; uncapped 3 + 1 = 4.
    assert week["days"] == 3
    assert week["sessions_prescribed"] == 3.0
    assert week["sessions_done"] == 2.0
    assert week["sessions_logged"] == 4
    assert week["session_adherence"] == 2 / 3
    patient = one(result.patients, patient_id="p1")
    assert patient["sessions_logged"] == 4
    assert patient["session_adherence"] == 2 / 3
    assert not patient["adherent"]


def test_a_session_row_and_its_exercise_rows_are_one_session(library):
    rows = [
        session("p1", "2026-01-05T08:00"),
        exercise("p1", "2026-01-05T08:00", "cat-cow"),
        exercise("p1", "2026-01-05T08:00", "clamshell"),
        exercise("p1", "2026-01-05T08:00", "walking"),
    ]
    result = run(rows, P1, "2026-01-05", library=library)
    week = one(result.weekly, patient_id="p1")
    assert week["sessions_logged"] == 1
    assert week["sessions_done"] == 1.0


def test_day_sessions_are_the_larger_of_session_rows_and_exercise_sessions(library):
    routines = {"r1": make_routine("r1", STANDARD_ITEMS, T=2)}
    rows = [
        session("p1", "2026-01-05T08:00"),
        exercise("p1", "2026-01-05T08:00", "cat-cow"),
        exercise("p1", "2026-01-05T18:00", "cat-cow"),
        exercise("p1", "2026-01-05T18:00", "walking"),
    ]
    result = run(rows, P1, "2026-01-05", routines, library)
    # session rows 1, exercise sessions max(cat-cow 2, walking 1) = 2 -> 2 (T = 2).
    week = one(result.weekly, patient_id="p1")
    assert (week["sessions_logged"], week["sessions_done"], week["sessions_prescribed"]) == (
        2,
        2.0,
        2.0,
    )


def test_each_side_exercise_counts_both_rows_plus_the_larger_side(library):
    routines = {"r1": make_routine("r1", STANDARD_ITEMS, T=3)}
    rows = [
        # Monday: clamshell left, left, right -> max(2, 1) = 2
        exercise("p1", "2026-01-05T08:00", "clamshell", side="Left"),
        exercise("p1", "2026-01-05T12:00", "clamshell", side="left"),
        exercise("p1", "2026-01-05T12:00", "clamshell", side="RIGHT"),
        # Tuesday: both + (left 2, right 1) -> 1 + 2 = 3
        exercise("p1", "2026-01-06T08:00", "clamshell", side="both"),
        exercise("p1", "2026-01-06T09:00", "clamshell", side="left"),
        exercise("p1", "2026-01-06T09:00", "clamshell", side="right"),
        exercise("p1", "2026-01-06T10:00", "clamshell", side="left"),
        # Wednesday: cat-cow is not each-side: a left and a right row are two sessions
        exercise("p1", "2026-01-07T08:00", "cat-cow", side="left"),
        exercise("p1", "2026-01-07T09:00", "cat-cow", side="right"),
    ]
    result = run(rows, P1, "2026-01-07", routines, library)
    daily = result.daily.set_index("date")["sessions_logged"]
    assert daily.to_dict() == {day("2026-01-05"): 2, day("2026-01-06"): 3, day("2026-01-07"): 2}
    week = one(result.weekly, patient_id="p1")
    assert (week["sessions_done"], week["sessions_prescribed"]) == (7.0, 9.0)


def test_a_week_is_capped_at_its_prescribed_sessions_and_logged_is_not(library):
    routines = {"r23": make_routine("r23", STANDARD_ITEMS, T=2, D=3)}
    pres = prescriptions(("p1", "r23", "2026-01-05", None))
    rows = [session("p1", f"2026-01-0{d}T{h}:00") for d in (5, 6, 7, 8) for h in (8, 18)]
    result = run(rows, pres, "2026-01-11", routines, library)
    week = one(result.weekly, patient_id="p1")
    # 7 days x 2 x 3 / 7 = 6 prescribed; 4 days x 2 = 8 done, capped at 6; logged 8.
    assert week["sessions_prescribed"] == 6.0
    assert week["sessions_done"] == 6.0
    assert week["sessions_logged"] == 8
    assert week["session_adherence"] == 1.0


def test_fewer_than_seven_days_a_week_and_partial_weeks_give_fractions(library):
    routines = {"r15": make_routine("r15", STANDARD_ITEMS, T=1, D=5)}
    pres = prescriptions(("p1", "r15", "2026-01-07", None))  # a Wednesday
    rows = [session("p1", "2026-01-07"), session("p1", "2026-01-08")]
    result = run(rows, pres, "2026-01-09", routines, library)
    week = one(result.weekly, patient_id="p1")
    assert week["week_start"] == day("2026-01-05")
    assert week["days"] == 3
    assert week["sessions_prescribed"] == 15 / 7  # 3 days x 1 x 5 / 7
    assert week["sessions_done"] == 2.0
    assert week["session_adherence"] == 14 / 15  # 2 / (15 / 7)
    assert "2026-01-05,3,2.142857142857143,2.0,2,0.9333333333333333," in table_text(
        result.weekly.assign(mean_pain=np.nan), "weekly"
    )


def test_a_partial_week_caps_done_at_its_fractional_prescription(library):
    routines = {"r15": make_routine("r15", STANDARD_ITEMS, T=1, D=5)}
    pres = prescriptions(("p1", "r15", "2026-01-07", None))
    rows = [session("p1", f"2026-01-0{d}") for d in (7, 8, 9)]
    week = one(run(rows, pres, "2026-01-09", routines, library).weekly, patient_id="p1")
    assert week["sessions_done"] == 15 / 7
    assert week["sessions_logged"] == 3
    assert week["session_adherence"] == 1.0


def test_exactly_80_percent_is_adherent_even_where_float_sums_of_sevenths_fall_short(library):
    # D = 3 for 35 days: 35 x 3/7 = 15 prescribed (a float sum gives 15.000000000000005);
    # 12 sessions is exactly 0.8.
    routines = {"r13": make_routine("r13", STANDARD_ITEMS, T=1, D=3)}
    pres = prescriptions(("p1", "r13", "2026-01-05", None))
    mondays = pd.date_range("2026-01-05", periods=4, freq="7D")
    dates = [m + pd.Timedelta(days=k) for m in mondays for k in (0, 2, 4)]  # 3 a week
    rows = [session("p1", d.strftime("%Y-%m-%d")) for d in dates]
    patient = one(run(rows, pres, "2026-02-08", routines, library).patients, patient_id="p1")
    assert patient["days_in_window"] == 35
    assert patient["sessions_prescribed"] == 15.0
    assert patient["sessions_done"] == 12.0
    assert patient["session_adherence"] == 0.8
    assert patient["adherent"]
    short = run(rows[:-1], pres, "2026-02-08", routines, library).patients
    assert not one(short, patient_id="p1")["adherent"]  # 11 / 15


def test_adherent_threshold_default_is_80_percent_and_is_a_parameter(library):
    assert inspect.signature(adherence).parameters["thresholds"].default.adherent_at == 0.8
    routines = {"r15": make_routine("r15", STANDARD_ITEMS, T=1, D=5)}
    pres = prescriptions(("p1", "r15", "2026-01-05", None))
    rows = [session("p1", f"2026-01-0{d}") for d in (5, 6, 7, 8)]  # 4 of 5
    assert one(run(rows, pres, "2026-01-11", routines, library).patients, patient_id="p1")[
        "adherent"
    ]
    strict = run(rows, pres, "2026-01-11", routines, library, adherent_at=0.85)
    assert not one(strict.patients, patient_id="p1")["adherent"]


# --- window and as_of --------------------------------------------------------------------


def test_as_of_defaults_to_the_latest_date_of_any_row_and_later_rows_are_ignored(library):
    rows = [
        session("p1", "2026-01-05"),
        session("someone-else", "2026-01-09"),
    ]
    result = run(rows, P1, None, library=library)
    assert result.as_of == day("2026-01-09")
    patient = one(result.patients, patient_id="p1")
    assert patient["window_end"] == day("2026-01-09")
    assert patient["days_in_window"] == 5
    later = run([*rows, session("p1", "2026-01-12")], P1, "2026-01-09", library=library)
    assert one(later.excluded, patient_id="p1")["reason"] == "after_as_of"
    patient = one(later.patients, patient_id="p1")
    assert patient["sessions_logged"] == 1
    assert patient["last_log_date"] == day("2026-01-05")


def test_a_patient_starting_after_as_of_gets_an_empty_row_and_no_weeks(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", None), ("p2", "r1", "2026-01-20", None))
    rows = [session("p1", "2026-01-06"), session("p2", "2026-01-08")]
    result = run(rows, pres, "2026-01-09", library=library)
    p2 = one(result.patients, patient_id="p2")
    assert p2["window_start"] == day("2026-01-20")
    assert p2["as_of"] == day("2026-01-09")
    assert p2["days_in_window"] == 0
    empty = p2.drop(["patient_id", "as_of", "window_start", "days_in_window"])
    assert empty.isna().all(), empty[empty.notna()]
    assert "p2" not in set(result.weekly["patient_id"])
    assert one(result.excluded, patient_id="p2")["reason"] == "outside_window"


def test_days_between_periods_are_not_in_the_window(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", "2026-01-07"), ("p1", "r1", "2026-01-10", None))
    rows = [session("p1", "2026-01-05"), session("p1", "2026-01-08")]
    result = run(rows, pres, "2026-01-11", library=library)
    patient = one(result.patients, patient_id="p1")
    # window days: 5, 6, 7, 10, 11 (one ISO week)
    assert patient["days_in_window"] == 5
    assert patient["sessions_prescribed"] == 5.0
    assert patient["sessions_done"] == 1.0
    assert patient["reporting_completeness"] == 0.2  # 1 of 5 window days has a row
    # the latest row is outside the window but still the last log
    assert patient["last_log_date"] == day("2026-01-08")
    assert patient["days_since_last_log"] == 3
    assert one(result.excluded, patient_id="p1")["reason"] == "outside_window"
    assert list(result.daily["date"].dt.day) == [5, 6, 7, 10, 11]


def test_window_ends_at_the_last_period_end_before_as_of(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", "2026-01-08"))
    result = run([session("p1", "2026-01-05")], pres, "2026-01-20", library=library)
    patient = one(result.patients, patient_id="p1")
    assert patient["window_end"] == day("2026-01-08")
    assert patient["days_in_window"] == 4
    assert patient["days_since_last_log"] == 15  # as_of - last log, not window_end


def test_routine_change_mid_window_uses_each_days_routine(library):
    routines = {
        "r1": make_routine("r1", STANDARD_ITEMS),
        "r2": make_routine("r2", [STANDARD_ITEMS[0], STANDARD_ITEMS[2]], T=2),
    }
    pres = prescriptions(("p1", "r1", "2026-01-05", "2026-01-08"), ("p1", "r2", "2026-01-09", None))
    rows = [
        exercise("p1", "2026-01-05", "clamshell"),  # in r1: 1 session
        exercise("p1", "2026-01-09T08:00", "clamshell"),  # not in r2
        exercise("p1", "2026-01-09T08:00", "cat-cow"),
        exercise("p1", "2026-01-09T18:00", "cat-cow"),  # r2, T = 2: 2 sessions
    ]
    result = run(rows, pres, "2026-01-11", routines, library)
    week = one(result.weekly, patient_id="p1")
    assert week["sessions_prescribed"] == 10.0  # 4 days x 1 + 3 days x 2
    assert week["sessions_done"] == 3.0
    assert week["session_adherence"] == 0.3
    excluded = one(result.excluded, patient_id="p1")
    assert (excluded["exercise_id"], excluded["reason"]) == ("clamshell", "not_in_routine")
    assert excluded["date"] == day("2026-01-09")


# --- exclusions and reporting ------------------------------------------------------------


def test_each_excluded_row_gets_the_first_reason_that_applies(library):
    rows = [
        session("zz", "2026-01-12"),  # no prescription and after as_of
        session("p1", "2026-01-12", completed=False),  # after as_of and not completed
        exercise("p1", "2026-01-03", "glute-bridge", completed=False),  # before the window
        exercise("p1", "2026-01-06", "glute-bridge", completed=False),  # not in routine
        exercise("p1", "2026-01-06", "glute-bridge"),
        exercise("p1", "2026-01-06", "cat-cow"),  # counts
    ]
    result = run(rows, P1, "2026-01-11", library=library)
    assert EXCLUSION_REASONS == (
        "no_prescription",
        "after_as_of",
        "outside_window",
        "not_completed",
        "not_in_routine",
    )
    assert list(result.excluded.columns) == [
        "source",
        "row",
        "patient_id",
        "date",
        "exercise_id",
        "reason",
    ]
    assert table_text(result.excluded, "excluded") == (
        "source,row,patient_id,date,exercise_id,reason\n"
        "log.csv,3,p1,2026-01-12,,after_as_of\n"
        "log.csv,4,p1,2026-01-03,glute-bridge,outside_window\n"
        "log.csv,5,p1,2026-01-06,glute-bridge,not_completed\n"
        "log.csv,6,p1,2026-01-06,glute-bridge,not_in_routine\n"
        "log.csv,2,zz,2026-01-12,,no_prescription\n"
    )
    patient = one(result.patients, patient_id="p1")
    assert patient["sessions_logged"] == 1
    # any row on a window day counts for reporting: only Tuesday has rows in the window
    assert patient["reporting_completeness"] == 1 / 7


def test_not_completed_rows_count_for_reporting_but_not_sessions(library):
    rows = [session("p1", "2026-01-05", completed=False), session("p1", "2026-01-06")]
    patient = one(run(rows, P1, "2026-01-06", library=library).patients, patient_id="p1")
    assert patient["sessions_done"] == 1.0
    assert patient["reporting_completeness"] == 1.0
    assert patient["last_log_date"] == day("2026-01-06")


def test_a_patient_without_rows_has_no_last_log(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", None), ("p2", "r1", "2026-01-05", None))
    result = run([session("p1", "2026-01-06")], pres, "2026-01-06", library=library)
    p2 = one(result.patients, patient_id="p2")
    assert pd.isna(p2["last_log_date"]) and pd.isna(p2["days_since_last_log"])
    assert p2["reporting_completeness"] == 0.0
    assert p2["sessions_logged"] == 0


# --- dose ---------------------------------------------------------------------------------


def test_dose_of_exercise_rows_with_defaults_each_side_and_time(library):
    rows = [
        exercise("p1", "2026-01-05", "cat-cow", sets_done=1, reps_done=6),  # 6 of 10
        exercise("p1", "2026-01-05", "clamshell", side="left", sets_done=2, reps_done=10),
        exercise("p1", "2026-01-05", "clamshell", reps_done=5),  # both sides: 2 x 5 x 2
        exercise("p1", "2026-01-05", "walking", duration_s=300),  # 1 x 300 of 600
    ]
    result = run(rows, P1, "2026-01-05", library=library)
    # cat-cow 0.6, clamshell (20 + 20) / 40 = 1.0, walking 0.5 -> mean 0.7
    assert one(result.weekly, patient_id="p1")["dose_adherence"] == pytest.approx(0.7)
    assert one(result.patients, patient_id="p1")["dose_adherence"] == pytest.approx(0.7)


def test_a_session_row_gives_every_exercise_its_full_volume_and_dose_is_capped(library):
    rows = [
        session("p1", "2026-01-05"),
        exercise("p1", "2026-01-06", "cat-cow", sets_done=3, reps_done=10),  # 30, capped
    ]
    result = run(rows, P1, "2026-01-06", library=library)
    # cat-cow: min(10 + 30, 20) / 20 = 1; clamshell 40 / 80; walking 600 / 1200
    assert one(result.weekly, patient_id="p1")["dose_adherence"] == pytest.approx(2 / 3)


def test_window_dose_sums_weeks_before_dividing(library):
    # One exercise, cat-cow 1 x 10 (volume 10), T = 1, D = 7, from Sunday 2026-01-11 to
    # as_of Sunday 2026-01-18: week of 01-05 has 1 window day, week of 01-12 has 7.
    # Done only on the first Sunday: 10 of 10, then 0 of 70.
    # Weekly: 1.0 and 0.0. Window (spec: sum weeks, then divide): 10 / 80 = 0.125.
    # Averaging the weekly ratios instead would give 0.5.
    routines = {"one": make_routine("one", [("cat-cow", {"sets": 1, "reps": 10})])}
    rows = [exercise("p1", "2026-01-11", "cat-cow")]
    pres = prescriptions(("p1", "one", "2026-01-11", None))
    result = run(rows, pres, "2026-01-18", routines, library)
    weekly = result.weekly.set_index("week_start")["dose_adherence"]
    assert weekly[day("2026-01-05")] == 1.0
    assert weekly[day("2026-01-12")] == 0.0
    assert one(result.patients, patient_id="p1")["dose_adherence"] == 0.125


def test_dose_prescription_uses_D_over_7(library):
    routines = {"r": make_routine("r", [("cat-cow", {"sets": 1, "reps": 10})], D=5)}
    pres = prescriptions(("p1", "r", "2026-01-05", None))
    rows = [exercise("p1", "2026-01-05", "cat-cow", reps_done=5)]
    result = run(rows, pres, "2026-01-05", routines, library)
    # prescribed 10 x 5 / 7; done 5 -> 5 / (50 / 7) = 0.7
    assert one(result.weekly, patient_id="p1")["dose_adherence"] == pytest.approx(0.7)


def test_the_same_exercise_in_two_routines_is_one_exercise_with_each_days_dose(library):
    routines = {
        "a": make_routine("a", [("cat-cow", {"sets": 1, "reps": 10})]),
        "b": make_routine("b", [("cat-cow", {"sets": 2, "reps": 10})]),
    }
    pres = prescriptions(("p1", "a", "2026-01-05", "2026-01-06"), ("p1", "b", "2026-01-07", None))
    rows = [exercise("p1", "2026-01-07", "cat-cow"), exercise("p1", "2026-01-08", "cat-cow")]
    result = run(rows, pres, "2026-01-08", routines, library)
    # prescribed 10 + 10 + 20 + 20 = 60; done (filled from routine b) 20 + 20 = 40
    assert one(result.patients, patient_id="p1")["dose_adherence"] == pytest.approx(2 / 3)


def test_default_doses_come_from_the_library(library):
    routines = {"d": make_routine("d", [("clamshell", None)])}  # library: 2 x 10 each side
    plan = routine_plan(routines, library)
    dose = one(plan.doses, exercise_id="clamshell")
    assert (dose["sets"], dose["per_set"], dose["each_side"], dose["volume"]) == (
        2,
        10,
        True,
        40,
    )


# --- errors -------------------------------------------------------------------------------


def test_a_prescribed_routine_that_is_not_given_is_an_error(library):
    pres = prescriptions(("p1", "missing-routine", "2026-01-05", None))
    with pytest.raises(
        AnalysisError, match=r"routine 'missing-routine' is not among the routines given \(r1\)"
    ):
        run([session("p1", "2026-01-05")], pres, "2026-01-05", library=library)


def test_overlapping_periods_are_an_error_naming_both_rows(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", "2026-01-10"), ("p1", "r1", "2026-01-10", None))
    with pytest.raises(
        PrescriptionError,
        match=r"prescriptions prescriptions.csv row 2 and prescriptions.csv row 3: periods of "
        r"patient 'p1' share the day 2026-01-10; periods must not overlap",
    ):
        run([session("p1", "2026-01-05")], pres, "2026-01-12", library=library)


def test_a_period_ending_before_it_starts_is_an_error(library):
    pres = prescriptions(("p1", "r1", "2026-01-05", "2026-01-01"))
    with pytest.raises(
        PrescriptionError, match="row 2: end_date 2026-01-01 is before start_date 2026-01-05"
    ):
        run([session("p1", "2026-01-05")], pres, "2026-01-12", library=library)


def test_no_rows_and_no_as_of_is_an_error(library):
    with pytest.raises(
        AnalysisError,
        match=r"no log row could be used, so there is no date to make the figures for; give the "
        r"as-of date \(hepkit report --as-of YYYY-MM-DD\)",
    ):
        adherence(logs(), P1, R1, library)


def test_missing_columns_are_named(library):
    with pytest.raises(AnalysisError, match="logs: no timestamp column"):
        adherence(pd.DataFrame({"patient_id": ["p1"]}), P1, R1, library)
    with pytest.raises(AnalysisError, match="prescriptions: no end_date column"):
        adherence(logs(session("p1", "2026-01-05")), P1.drop(columns="end_date"), R1, library)


def test_a_bad_as_of_is_named(library):
    with pytest.raises(AnalysisError, match="as_of: '5 January' is not a date"):
        run([session("p1", "2026-01-05")], P1, "5 January", library=library)


def test_an_exercise_missing_from_the_library_is_located(library):
    routines = {"r": make_routine("r", [("cat-cow", None), ("no-such-exercise", {"reps": 5})])}
    with pytest.raises(InvalidDocumentError, match=r"items\[1\].exercise: unknown exercise id"):
        routine_plan(routines, library)


# --- recent session adherence (revision 2) --------------------------------------------------


def test_recent_adherence_needs_14_window_days():
    routines = {"d": make_routine("d", STANDARD_ITEMS)}
    pres = prescriptions(("p1", "d", "2026-01-05", None))
    rows = [session("p1", f"2026-01-{d}") for d in range(12, 19)]  # 01-12 to 01-18
    short = one(run(rows, pres, "2026-01-17", routines).patients, patient_id="p1")
    assert short["days_in_window"] == 13 and np.isnan(short["recent_session_adherence"])
    full = one(run(rows, pres, "2026-01-18", routines).patients, patient_id="p1")
    assert full["recent_session_adherence"] == 0.5  # 7 of 14


def test_recent_adherence_caps_days_not_weeks_and_is_at_most_one():
    # T = 1, D = 5 from Monday 01-05 to Sunday 01-18: 14 x 5/7 = 10 prescribed.
    routines = {"r15": make_routine("r15", STANDARD_ITEMS, T=1, D=5)}
    pres = prescriptions(("p1", "r15", "2026-01-05", None))
    # 6 sessions in the first week, 2 in the second: the week cap counts 5 + 2 = 7 for
    # session adherence (0.7); recent adherence has no week cap: 8 / 10 = 0.8.
    days = [5, 6, 7, 8, 9, 10, 12, 13]
    rows = [session("p1", f"2026-01-{d:02d}") for d in days]
    patient = one(run(rows, pres, "2026-01-18", routines).patients, patient_id="p1")
    assert patient["session_adherence"] == pytest.approx(0.7)
    assert patient["recent_session_adherence"] == 0.8
    # two sessions every day: capped at T = 1 a day, 14 / 10, at most 1
    rows = [session("p1", f"2026-01-{d:02d}T{h}:00") for d in range(5, 19) for h in (8, 18)]
    patient = one(run(rows, pres, "2026-01-18", routines).patients, patient_id="p1")
    assert patient["recent_session_adherence"] == 1.0


def test_recent_adherence_counts_only_the_last_14_window_days():
    routines = {"d": make_routine("d", STANDARD_ITEMS)}
    pres = prescriptions(("p1", "d", "2026-01-01", None))
    rows = [session("p1", f"2026-01-0{d}") for d in range(1, 8)]  # the first 7 of 21 days
    patient = one(run(rows, pres, "2026-01-21", routines).patients, patient_id="p1")
    assert patient["recent_session_adherence"] == 0.0
    wider = run(rows, pres, "2026-01-21", routines, recent_days=21).patients
    assert one(wider, patient_id="p1")["recent_session_adherence"] == 7 / 21
