"""The summary table and the report's CSV files: columns, order and number format (spec, 8)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from analysis_frames import logs, make_routine, prescriptions

from toolkit.analysis.summary import SUMMARY_COLUMNS, analyse, summarise
from toolkit.analysis.tables import TABLES, format_table, table_text, write_table
from toolkit.analysis.thresholds import Thresholds
from toolkit.errors import AnalysisError

SOLO = {"solo": make_routine("solo", [("cat-cow", {"sets": 1, "reps": 10})])}


def session(patient, when, **extra):
    return {"patient_id": patient, "timestamp": when, **extra}


@pytest.fixture
def cohort(library):
    pres = prescriptions(
        ("p1", "solo", "2026-01-05", None),
        ("p2", "solo", "2026-02-01", None),
        ("p3", "solo", "2026-01-12", "2026-01-14"),
    )
    rows = [
        *[session("p1", f"2026-01-0{d}", pain_before=6) for d in (5, 6, 7)],
        *[session("p1", f"2026-01-{d}", pain_before=4) for d in (16, 17, 18)],
    ]
    return analyse(logs(*rows), pres, SOLO, library, as_of="2026-01-18")


def test_summary_has_one_row_per_prescribed_patient_with_the_specs_columns(cohort):
    assert list(cohort.summary.columns) == SUMMARY_COLUMNS
    assert list(TABLES["summary"]) == SUMMARY_COLUMNS
    assert list(cohort.summary["patient_id"]) == ["p1", "p2", "p3"]


def test_summary_csv_is_written_exactly(cohort):
    assert table_text(cohort.summary, "summary") == (
        ",".join(SUMMARY_COLUMNS) + "\n"
        "p1,2026-01-18,2026-01-05,2026-01-18,14,14.0,6.0,6,0.42857142857142855,false,"
        "0.42857142857142855,0.42857142857142855,2026-01-18,0,6.0,4.0,-2.0,"
        "-33.333333333333336,true,false,,,,low_adherence,review,0.42857142857142855,false\n"
        "p2,2026-01-18,2026-02-01,,0,,,,,,,,,,,,,,,,,,,,,,\n"
        "p3,2026-01-18,2026-01-12,2026-01-14,3,3.0,0.0,0,0.0,false,0.0,0.0,,,,,,,,,,,,,ok,,"
        "false\n"
    )


def test_weekly_csv_is_written_exactly(cohort):
    assert table_text(cohort.weekly, "weekly") == (
        "patient_id,week_start,days,sessions_prescribed,sessions_done,sessions_logged,"
        "session_adherence,dose_adherence,mean_pain\n"
        "p1,2026-01-05,7,7.0,3.0,3,0.42857142857142855,0.42857142857142855,6.0\n"
        "p1,2026-01-12,7,7.0,3.0,3,0.42857142857142855,0.42857142857142855,4.0\n"
        "p3,2026-01-12,3,3.0,0.0,0,0.0,0.0,\n"
    )


def test_flags_csv_is_written_exactly(cohort, tmp_path):
    path = write_table(cohort.flags, tmp_path / "flags.csv", "flags")
    assert path.read_text(encoding="utf-8") == (
        "patient_id,flag,date,detail\n"
        "p1,low_adherence,2026-01-18,session adherence 43 %: 6 of 14 prescribed sessions done\n"
    )


def test_flags_column_names_each_flag_once_in_the_specs_order(library):
    pres = prescriptions(("p1", "solo", "2026-01-05", None))
    rows = [
        session("p1", "2026-01-02", notes="fever"),
        session("p1", "2026-01-03", notes="fever"),
    ]
    summary = summarise(logs(*rows), pres, SOLO, library, as_of="2026-01-11")
    assert summary["flags"].iloc[0] == (
        "low_adherence;stopped_logging;insufficient_baseline;red_flag_note"
    )


def test_numbers_use_repr_counts_integers_dates_iso_and_booleans_lowercase():
    frame = pd.DataFrame(
        {
            "patient_id": ["a", "b"],
            "week_start": pd.to_datetime(["2026-01-05", "2026-01-12"]),
            "days": [7, 3],
            "sessions_prescribed": [15 / 7, 1e-20],
            "sessions_done": [2.0, 0.1 + 0.2],
            "sessions_logged": pd.array([2, None], dtype="Int64"),
            "session_adherence": [0.8, np.nan],
            "dose_adherence": [1 / 3, 0.0],
            "mean_pain": [np.nan, 10.0],
        }
    )
    assert table_text(frame, "weekly").splitlines()[1:] == [
        "a,2026-01-05,7,2.142857142857143,2.0,2,0.8,0.3333333333333333,",
        "b,2026-01-12,3,1e-20,0.30000000000000004,,,0.0,10.0",
    ]
    booleans = format_table(
        pd.DataFrame({c: [None] for c in TABLES["summary"]}).assign(
            adherent=[True], improved=[False], worsened=[pd.NA], flags=[""]
        ),
        "summary",
    )
    assert (booleans["adherent"][0], booleans["improved"][0], booleans["worsened"][0]) == (
        "true",
        "false",
        "",
    )


def test_rejects_and_excluded_tables_have_their_columns():
    rejects = pd.DataFrame(
        {
            "source": ["log.csv"],
            "row": [7],
            "column": ["Pain (0-10)"],
            "value": ["7.5"],
            "reason": ["invalid: a pain score is a whole number 0-10"],
        }
    )
    assert table_text(rejects, "rejects") == (
        "source,row,column,value,reason\n"
        "log.csv,7,Pain (0-10),7.5,invalid: a pain score is a whole number 0-10\n"
    )
    assert list(TABLES["excluded"]) == [
        "source",
        "row",
        "patient_id",
        "date",
        "exercise_id",
        "reason",
    ]
    assert list(TABLES["flags"]) == ["patient_id", "flag", "date", "detail"]


def test_writer_errors_are_located():
    with pytest.raises(AnalysisError, match="table 'summery' is not known; allowed: summary"):
        format_table(pd.DataFrame(), "summery")
    with pytest.raises(AnalysisError, match="flags table: no detail column"):
        format_table(pd.DataFrame(columns=["patient_id", "flag", "date"]), "flags")
    bad = pd.DataFrame(
        {"source": ["x"], "row": [2.5], "column": [""], "value": [""], "reason": [""]}
    )
    with pytest.raises(AnalysisError, match="rejects table, column row: 2.5 is not a whole number"):
        format_table(bad, "rejects")


def test_thresholds_reach_the_step_that_takes_them(library):
    pres = prescriptions(("p1", "solo", "2026-01-05", None))
    rows = [session("p1", f"2026-01-0{d}") for d in (5, 6, 7, 8, 9)]  # 5 of 7
    assert not summarise(logs(*rows), pres, SOLO, library, "2026-01-11")["adherent"].iloc[0]
    loose = analyse(logs(*rows), pres, SOLO, library, "2026-01-11", adherent_at=0.7)
    assert loose.summary["adherent"].iloc[0]
    assert "low_adherence" not in set(loose.flags["flag"])


def test_an_unknown_threshold_is_refused_with_the_allowed_names(library):
    pres = prescriptions(("p1", "solo", "2026-01-05", None))
    with pytest.raises(
        TypeError, match=r"unknown threshold 'adherent_cutoff'; allowed: .*adherent_at"
    ):
        analyse(logs(session("p1", "2026-01-05")), pres, SOLO, library, adherent_cutoff=0.7)


def test_the_analysis_keeps_its_thresholds_and_reads_no_file(library, monkeypatch):
    import importlib

    import toolkit.routines.library as library_module

    for name in ("adherence", "pain", "flags", "plan", "priority", "summary", "window"):
        module = importlib.import_module(f"toolkit.analysis.{name}")
        assert not hasattr(module, "load_library"), name

    def refuse(*args, **kwargs):
        raise AssertionError("the analysis loaded the library behind the caller's back")

    monkeypatch.setattr(library_module, "load_library", refuse)
    pres = prescriptions(("p1", "solo", "2026-01-05", None))
    result = analyse(logs(session("p1", "2026-01-05")), pres, SOLO, as_of="2026-01-05")
    assert result.thresholds == Thresholds()
    chosen = Thresholds(adherent_at=0.7)
    again = analyse(logs(session("p1", "2026-01-05")), pres, SOLO, thresholds=chosen)
    assert again.thresholds is chosen
    with_override = analyse(
        logs(session("p1", "2026-01-05")), pres, SOLO, thresholds=chosen, min_rises=3
    )
    assert with_override.thresholds == Thresholds(adherent_at=0.7, min_rises=3)


def test_an_item_without_a_dose_needs_the_library(library):
    routines = {"d": make_routine("d", [("clamshell", None)])}
    pres = prescriptions(("p1", "d", "2026-01-05", None))
    with pytest.raises(
        AnalysisError,
        match=r"routine 'd', items\[0\] \(clamshell\) has no dose of its own; pass the "
        r"exercise library \(load_library\(\)\) for its default dose",
    ):
        analyse(logs(session("p1", "2026-01-05")), pres, routines)
    assert (
        analyse(logs(session("p1", "2026-01-05")), pres, routines, library)
        .summary["dose_adherence"]
        .iloc[0]
        == 1.0
    )  # one session on the only window day: full volume


def test_on_the_sample_cohort_p002_has_a_rising_pain_trend_and_is_urgent():
    from locations import SAMPLE

    from toolkit.logs.prescriptions import load_routines, read_prescriptions
    from toolkit.logs.reading import read_logs
    from toolkit.routines.library import load_library

    reading = read_logs(SAMPLE / "logs.csv", today="2026-11-30")
    pres = read_prescriptions(SAMPLE / "prescriptions.csv")
    library = load_library()
    result = analyse(reading.logs, pres, load_routines(pres, library), library, as_of="2026-10-31")
    p002 = result.summary.set_index("patient_id").loc["P002"]
    assert p002["flags"] == "low_adherence;pain_trend_up"
    assert p002["priority"] == "urgent"
    assert p002["pain_slope_ci_low"] > 0
    assert result.pain.patients.set_index("patient_id").loc["P002", "pain_trend_rise"] >= 2
    assert set(result.summary["priority"]) <= {"urgent", "review", "monitor", "ok"}
