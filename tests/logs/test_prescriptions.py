"""The prescriptions table: routines that exist, periods that do not overlap."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import PrescriptionTableError
from toolkit.logs.prescriptions import PRESCRIPTION_COLUMNS, read_prescriptions
from toolkit.paths import routines_dir

HEADER = "patient_id,routine,start_date,end_date\n"


def write(tmp_path: Path, body: str, name: str = "prescriptions.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_two_periods_and_an_ongoing_last_one(tmp_path):
    path = write(
        tmp_path,
        (
            "P02,gentle-back-stretches,2026-08-03,\n"
            "P01,back-strength-progression,2026-08-30,\n"
            "P01,gentle-back-stretches,2026-08-03,2026-08-29\n"
        ),
    )
    frame = read_prescriptions(path)
    assert list(frame.columns) == list(PRESCRIPTION_COLUMNS)
    assert frame[["patient_id", "routine"]].values.tolist() == [
        ["P01", "gentle-back-stretches"],
        ["P01", "back-strength-progression"],
        ["P02", "gentle-back-stretches"],
    ]
    assert str(frame["start_date"].dtype) == "datetime64[us]"
    assert frame["end_date"].isna().tolist() == [False, True, True]
    assert frame["routine_path"].str.endswith("gentle-back-stretches.yaml").tolist() == [
        True,
        False,
        True,
    ]
    assert frame["row"].tolist() == [4, 3, 2]


def test_a_routine_path_relative_to_the_prescriptions_file(tmp_path):
    (tmp_path / "mine").mkdir()
    source = routines_dir() / "gentle-back-stretches.yaml"
    (tmp_path / "mine" / "special.yaml").write_text(source.read_text())
    frame = read_prescriptions(write(tmp_path, "P01,mine/special.yaml,2026-08-03,\n"))
    assert frame["routine_path"].iloc[0] == str((tmp_path / "mine" / "special.yaml").resolve())


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        (
            "P01,gentle-back-stretches,2026-08-03,2026-08-30\n"
            "P01,back-strength-progression,2026-08-30,\n"
            "P02,nope,2026-08-03,\n"
            "P03,gentle-back-stretches,2026-08-03,\n"
            "P03,gentle-back-stretches,2026-09-03,2026-09-01\n"
            ",,3/8/2026,2026-08-03T07:00\n"
        ),
    )
    with pytest.raises(PrescriptionTableError) as caught:
        read_prescriptions(path)
    assert [str(p) for p in caught.value.problems] == [
        "row 3, column start_date: shares days with the period on row 2 (2026-08-03 to "
        "2026-08-30); a patient's periods must not overlap (got '2026-08-30')",
        "row 4, column routine: no routine file nope.yaml, .yml or .json in "
        f"{routines_dir()}, nor a routine file at that "
        "path next to prescriptions.csv; known routines: back-strength-progression, "
        "gentle-back-stretches (got 'nope')",
        "row 5, column end_date: only a patient's last period may be open-ended; P03 has a later "
        "period on row 6 (from 2026-09-03) (got '')",
        "row 6, column end_date: ends before it starts (2026-09-03) (got '2026-09-01')",
        "row 7, column patient_id: a patient id is required (got '')",
        "row 7, column routine: a routine id is required (a file name in the routines folder) (got '')",
        "row 7, column start_date: not ISO 8601 and the day/month order was not stated; pass "
        "dayfirst (True for 31/12/2026, False for 12/31/2026) (got '3/8/2026')",
        "row 7, column end_date: a date without a time of day is expected (got '2026-08-03T07:00')",
    ]
    assert str(caught.value).startswith(f"{path}: 8 problems in the prescriptions\n  - row 3")


def test_missing_columns(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("patient,plan,from\nP01,x,2026-08-03\n")
    with pytest.raises(
        PrescriptionTableError,
        match=(
            r"p\.csv: 1 problem in the prescriptions\n  - \(document\): no routine, no end_date "
            r"column \(columns found: 'patient', 'plan', 'from'\)"
        ),
    ):
        read_prescriptions(path)


def test_not_a_table(tmp_path):
    path = tmp_path / "p.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(PrescriptionTableError, match=r"this is a PNG image"):
        read_prescriptions(path)
