"""The readable cohort table: sessions, adherence, pain from baseline to now, flags in words."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from report_data import write_small_cohort

from toolkit.analysis.summary import analyse
from toolkit.logs.prescriptions import load_routines, read_prescriptions
from toolkit.logs.reading import read_logs
from toolkit.report.cohort_table import BLANK, cohort_table, flag_words
from toolkit.routines.library import load_library

NAN = np.nan


def summary(**extra) -> pd.DataFrame:
    """Four patients as the summary table holds them (only the columns the table reads)."""
    return pd.DataFrame(
        {
            "patient_id": ["P1", "P2", "P3", "P4"],
            "sessions_prescribed": [86.0, 84.0, 0.0, 70.0],
            "sessions_done": [61.0, 20.5, 0.0, 70.0],
            "session_adherence": [61 / 86, 20.5 / 84, NAN, 1.0],
            "baseline_pain": [5.4333, 4.0, NAN, NAN],
            "current_pain": [3.06, NAN, NAN, 2.0],
            "flags": [
                "low_adherence;stopped_logging",
                "low_adherence;red_flag_note",
                "",
                "insufficient_baseline",
            ],
            **extra,
        }
    )


def table_of(frame: pd.DataFrame) -> pd.DataFrame:
    return cohort_table(SimpleNamespace(summary=frame))


def test_each_patient_reads_in_words():
    table = table_of(summary())
    assert list(table.columns) == ["sessions", "adherence", "pain", "flags"]
    assert table.index.name == "patient"
    assert table.loc["P1"].tolist() == [
        "61 of 86",
        "71 %",
        "5.4 → 3.1",
        "stopped logging; low adherence",
    ]
    assert table.loc["P2"].tolist() == [
        "20.5 of 84",
        "24 %",
        f"4.0 → {BLANK}",
        "note to read (possible red flag); low adherence",
    ]
    assert table.loc["P3"].tolist() == ["0 of 0", BLANK, "", ""]
    assert table.loc["P4", "pain"] == f"{BLANK} → 2.0"
    assert table.loc["P4", "flags"] == "no pain baseline"


def test_without_priority_the_most_urgent_flag_comes_first():
    assert table_of(summary()).index.tolist() == ["P2", "P1", "P4", "P3"]


def test_priority_is_shown_and_sorts_first_when_the_summary_has_it():
    table = table_of(summary(priority=["review", "urgent", None, "review"]))
    assert list(table.columns) == ["priority", "sessions", "adherence", "pain", "flags"]
    assert table.index.tolist() == ["P2", "P1", "P4", "P3"]
    table = table_of(summary(priority=["monitor", "ok", None, "urgent"]))
    assert table.index.tolist() == ["P4", "P1", "P2", "P3"]
    assert table.loc["P3", "priority"] == ""


def test_ties_go_by_patient_id():
    frame = summary(flags=["", "", "", ""])
    assert table_of(frame).index.tolist() == ["P1", "P2", "P3", "P4"]


@pytest.mark.parametrize(
    ("codes", "words"),
    [
        ("low_adherence;stopped_logging", "stopped logging; low adherence"),
        ("pain_rises_after_exercise", "pain rises after exercise"),
        ("pain_worsened;insufficient_baseline", "pain worse than at baseline; no pain baseline"),
        ("pain_trend_up", "pain trending up"),
        ("some_new_flag", "some new flag"),  # a code without a label reads as itself
        ("", ""),
        (NAN, ""),
    ],
)
def test_flag_words(codes, words):
    assert flag_words(codes) == words


def test_the_cohort_table_of_a_real_analysis(tmp_path):
    files = write_small_cohort(tmp_path)
    reading = read_logs(files["logs"], today="2026-11-30")
    prescriptions = read_prescriptions(files["prescriptions"])
    library = load_library()
    analysis = analyse(
        reading.logs, prescriptions, load_routines(prescriptions, library), library, files["as_of"]
    )
    table = cohort_table(analysis)
    assert sorted(table.index) == ["A1", "B2", "C3"]
    assert table.loc["A1", "pain"] == "6.0 → 3.0"
    assert table.index[0] == "B2"  # the note mentions fever: a red flag, read it first
    assert table.loc["B2", "flags"].startswith("note to read (possible red flag)")
