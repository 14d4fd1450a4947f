"""Patients whose exercise ids match no exercise of their routine: the share, the table, words."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_frames import logs

from toolkit.analysis.summary import analyse
from toolkit.analysis.unmatched import (
    UNMATCHED_COLUMNS,
    UNMATCHED_SHARE,
    unmatched_exercises,
    unmatched_warning,
)
from toolkit.logs.prescriptions import load_routines, read_prescriptions
from toolkit.routines.library import load_library

LIBRARY = load_library()


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "prescriptions.csv"
    path.write_text(
        "patient_id,routine,start_date,end_date\nP1,gentle-back-stretches,2026-10-01,\n"
    )
    return read_prescriptions(path)


def analysed(plan, ids, *, extra=()):
    rows = [
        {"patient_id": "P1", "timestamp": f"2026-10-{i + 1:02d}T08:00", "exercise_id": ex}
        for i, ex in enumerate(ids)
    ]
    frame = logs(*rows, *extra)
    routines = load_routines(plan, LIBRARY)
    return analyse(frame, plan, routines, LIBRARY, "2026-10-31"), frame


def test_the_default_share_is_a_tenth():
    assert UNMATCHED_SHARE == 0.1


def test_exactly_a_tenth_is_not_named(plan):
    analysis, frame = analysed(plan, ["pelvic-tilt"] * 9 + ["pelvic_tilt"])
    assert unmatched_exercises(analysis, frame, LIBRARY).empty
    assert unmatched_warning(unmatched_exercises(analysis, frame, LIBRARY)) == ""


def test_more_than_a_tenth_is_named_with_the_library_spelling(plan):
    analysis, frame = analysed(
        plan, ["pelvic-tilt"] * 8 + ["pelvic_tilt", "pelvic_tilt", "Drawing In"]
    )
    table = unmatched_exercises(analysis, frame, LIBRARY)
    assert list(table.columns) == UNMATCHED_COLUMNS
    assert table[["patient_id", "exercise_id", "rows", "suggestion"]].values.tolist() == [
        ["P1", "pelvic_tilt", 2, "pelvic-tilt"],
        ["P1", "Drawing In", 1, "drawing-in"],
    ]
    assert table["share"].tolist() == pytest.approx([3 / 11, 3 / 11])


def test_rows_excluded_for_an_earlier_reason_are_not_in_the_share(plan):
    # 2 of 12 exercise rows unmatched (under 0.17), but 2 rows are not completed: 2 of 10 checked
    extra = [
        {
            "patient_id": "P1",
            "timestamp": "2026-10-20T09:00",
            "exercise_id": "x",
            "completed": False,
        },
        {
            "patient_id": "P1",
            "timestamp": "2026-10-21T09:00",
            "exercise_id": "y",
            "completed": False,
        },
    ]
    analysis, frame = analysed(plan, ["pelvic-tilt"] * 8 + ["pelvic_tilt"] * 2, extra=extra)
    table = unmatched_exercises(analysis, frame, LIBRARY, share=0.19)
    assert table["share"].tolist() == [0.2]


def test_the_warning_in_words():
    table = pd.DataFrame(
        {
            "patient_id": ["P1", "P2", "P2"],
            "exercise_id": ["pelvic_tilt", "pelvic_tilt", "walkies"],
            "rows": [5, 7, 1],
            "share": [0.5, 0.9, 0.9],
            "suggestion": ["pelvic-tilt", "pelvic-tilt", ""],
        }
    )
    assert unmatched_warning(table) == (
        "exercise ids that match no exercise of the patient's routine make up more than 10% of "
        "the exercise rows of 2 patients; those rows count for no session:\n"
        "  pelvic_tilt: 12 rows, 2 patients (did you mean pelvic-tilt?)\n"
        "  walkies: 1 row, 1 patient\n"
        "If these are the library's exercises under another name, map them with "
        "--exercise-map FILE (a CSV file with the columns as_written,exercise_id, or "
        "exercise_aliases: in a clinic YAML file)."
    )
