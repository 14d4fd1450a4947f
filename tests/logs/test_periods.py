"""Starting a patient's next period edits only their rows, atomically, keeping the old file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.errors import PrescriptionError
from toolkit.logs.periods import start_next_period
from toolkit.logs.prescriptions import read_prescriptions

TABLE = (
    "patient_id,routine,start_date,end_date\r\n"
    "P001,gentle-back-stretches,2026-08-09,2026-09-26\r\n"
    "P001,back-strength-progression,2026-09-27,\r\n"
    '"P 002","gentle-back-stretches",2026-08-07,\r\n'
    "P003,gentle-back-stretches,2026-08-07,2026-09-16\r\n"
)


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "prescriptions.csv"
    path.write_bytes(TABLE.encode())
    return path


def test_the_current_period_ends_the_day_before_and_a_new_one_starts(table: Path) -> None:
    copy = start_next_period(table, "P 002", "back-strength-progression", dt.date(2026, 11, 2))
    lines = table.read_bytes().decode().split("\r\n")
    assert lines == [
        "patient_id,routine,start_date,end_date",
        "P001,gentle-back-stretches,2026-08-09,2026-09-26",
        "P001,back-strength-progression,2026-09-27,",
        "P 002,gentle-back-stretches,2026-08-07,2026-11-01",
        "P003,gentle-back-stretches,2026-08-07,2026-09-16",
        "P 002,back-strength-progression,2026-11-02,",
        "",
    ]
    assert copy.parent.name == ".history"
    assert copy.read_bytes() == TABLE.encode()
    periods = read_prescriptions(table)
    assert list(periods[periods["patient_id"] == "P 002"]["routine"]) == [
        "gentle-back-stretches",
        "back-strength-progression",
    ]


def test_other_rows_are_kept_byte_for_byte_with_aliases_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    text = "Patient;Routine;From;To\nA;gentle-back-stretches;2026-08-01;\nB ;gentle-back-stretches;2026-08-01;  \n"
    path.write_text(text)
    start_next_period(path, "A", "back-strength-progression", dt.date(2026, 9, 1))
    assert path.read_text() == (
        "Patient;Routine;From;To\n"
        "A;gentle-back-stretches;2026-08-01;2026-08-31\n"
        "B ;gentle-back-stretches;2026-08-01;  \n"
        "A;back-strength-progression;2026-09-01;\n"
    )


@pytest.mark.parametrize(
    ("patient", "on", "message"),
    [
        ("P404", "2026-11-02", r"no patient 'P404' in the prescriptions"),
        (
            "P 002",
            "2026-08-07",
            r"P 002's last period starts on 2026-08-07; the new routine must start after it",
        ),
        (
            "P003",
            "2026-11-02",
            r"P003's last period ended on 2026-09-16, before 2026-11-02; add a new period by hand",
        ),
    ],
)
def test_refusals_leave_the_file_alone(table: Path, patient: str, on: str, message: str) -> None:
    with pytest.raises(PrescriptionError, match=message):
        start_next_period(table, patient, "back-strength-progression", dt.date.fromisoformat(on))
    assert table.read_bytes() == TABLE.encode()
    assert not (table.parent / ".history").exists()


def test_only_csv_is_edited(tmp_path: Path) -> None:
    with pytest.raises(
        PrescriptionError,
        match=r"only a CSV prescriptions table can be changed; save it as CSV first",
    ):
        start_next_period(tmp_path / "p.xlsx", "A", "x", dt.date(2026, 1, 1))
