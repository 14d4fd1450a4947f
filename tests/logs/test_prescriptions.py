"""The prescriptions table: routines that exist, periods that do not overlap."""

from __future__ import annotations

from pathlib import Path

import pytest
from locations import SAMPLE

from toolkit.errors import InvalidDocumentError, PrescriptionTableError, Reason, RowProblem
from toolkit.logs import prescriptions as prescriptions_module
from toolkit.logs.prescriptions import (
    PRESCRIPTION_COLUMNS,
    check_prescriptions,
    load_routines,
    read_prescriptions,
)
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


def test_each_problem_is_located_and_coded(tmp_path):
    path = write(
        tmp_path,
        (
            "P01,gentle-back-stretches,2026-08-03,2026-08-30\n"
            "P01,gentle-back-stretches,2026-08-30,\n"
            "P02,nope,2026-08-03,\n"
            "P03,gentle-back-stretches,2026-08-03,\n"
            "P03,gentle-back-stretches,2026-09-03,2026-09-01\n"
            ",gentle-back-stretches,3/8/2026,2026-08-03T07:00\n"
            "P04,gentle-back-stretches,2026-08-03,,extra\n"
        ),
    )
    checked = check_prescriptions(path)
    located = [(p.row, p.column, p.value, p.reason) for p in checked.problems]
    assert located == [
        (3, "start_date", "2026-08-30", Reason.OVERLAP),
        (4, "routine", "nope", Reason.UNKNOWN_ROUTINE),
        (5, "end_date", "", Reason.OPEN_NOT_LAST),
        (6, "end_date", "2026-09-01", Reason.ENDS_BEFORE_START),
        (7, "patient_id", "", Reason.MISSING),
        (7, "start_date", "3/8/2026", Reason.DATE_ORDER),
        (7, "end_date", "2026-08-03T07:00", Reason.INVALID),
        (8, None, "P04,gentle-back-stretches,2026-08-03,,extra", Reason.INVALID),
    ]
    # the rows without problems go ahead; the others are kept aside as read
    assert checked.prescriptions["row"].tolist() == [2]
    assert checked.rejected["row"].tolist() == [3, 4, 5, 6, 7]
    assert str(checked.problems[-1]) == (
        "row 8: the line has 5 fields; the header has 4 "
        "(got 'P04,gentle-back-stretches,2026-08-03,,extra')"
    )


def test_the_reason_codes_are_those_of_the_logs_rejects():
    codes = [reason.value for reason in Reason]
    assert codes[:5] == ["missing", "invalid", "date_order", "future", "duplicate"]
    problem = RowProblem(3, "To", "x", Reason.INVALID, "not a date")
    assert (problem.where, problem.detail()) == (
        "row 3, column To",
        "column To: not a date (got 'x')",
    )
    whole = RowProblem(None, None, None, Reason.MISSING_COLUMN, "no routine column")
    assert str(whole) == "(document): no routine column"


def test_each_routine_file_is_loaded_once(monkeypatch):
    calls = []
    real = prescriptions_module.load_routine

    def counting(path, library=None):
        calls.append(path)
        return real(path, library)

    monkeypatch.setattr(prescriptions_module, "load_routine", counting)
    prescriptions = read_prescriptions(SAMPLE / "prescriptions.csv")
    routines = load_routines(prescriptions)
    assert sorted(routines) == ["back-strength-progression", "gentle-back-stretches"]
    assert len(calls) == 2


def test_a_broken_routine_stops_the_loading_unless_failures_are_collected(tmp_path):
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken\nitems: 3\n", encoding="utf-8")
    frame = read_prescriptions(write(tmp_path, "P01,broken,2026-08-03,\n"), folder)
    with pytest.raises(InvalidDocumentError, match=r"broken\.yaml: \d+ problems?"):
        load_routines(frame)
    failures: dict = {}
    assert load_routines(frame, failures=failures) == {}
    assert isinstance(failures["broken"], InvalidDocumentError)
