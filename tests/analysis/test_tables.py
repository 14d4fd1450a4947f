"""The CSV tables' number format, column at a time, against the spec's rules written per cell."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from toolkit.analysis.tables import format_table, table_text
from toolkit.errors import AnalysisError
from toolkit.storage import spreadsheet_safe


def cell(value, kind):
    """Spec, section 8, one cell at a time: the rule the column-at-a-time writer must follow."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if kind == "float":
        return repr(float(value))
    if kind == "int":
        return str(int(float(value)))
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "bool":
        return "true" if bool(value) else "false"
    return spreadsheet_safe(str(value))


def weekly(rng, n):
    floats = rng.normal(0, 1, n) * 10.0 ** rng.integers(-8, 20, n)
    floats[rng.random(n) < 0.1] = np.nan
    floats[: min(n, 4)] = [0.1 + 0.2, -0.0, 1e16, 1e-5][: min(n, 4)]
    counts = pd.array(rng.integers(0, 30, n), dtype="Int64")
    counts[rng.random(n) < 0.1] = pd.NA
    starts = pd.Series(pd.to_datetime("2026-01-05") + pd.to_timedelta(rng.integers(0, 400, n), "D"))
    starts[rng.random(n) < 0.1] = pd.NaT
    ids = pd.Series([f"P{i:04d}" for i in range(n)], dtype="str")
    ids[: min(n, 5)] = ["=1+1", "-0.5", "+3", "@SUM(A1)", "\tx"][: min(n, 5)]
    return pd.DataFrame(
        {
            "patient_id": ids,
            "week_start": starts,
            "days": counts,
            "sessions_prescribed": floats,
            "sessions_done": pd.array(np.where(rng.random(n) < 0.1, None, floats), dtype="Float64"),
            "sessions_logged": rng.integers(0, 9, n),
            "session_adherence": floats / 3,
            "dose_adherence": floats * 7,
            "mean_pain": rng.integers(0, 11, n) / 2,
        }
    )


def test_weekly_cells_follow_the_rule_of_each_kind():
    frame = weekly(np.random.default_rng(3), 500)
    written = format_table(frame, "weekly")
    kinds = {"patient_id": "text", "week_start": "date", "days": "int", "sessions_logged": "int"}
    for column in written.columns:
        kind = kinds.get(column, "float")
        expected = [cell(v, kind) for v in frame[column].astype(object)]
        assert written[column].tolist() == expected, column
    assert written["patient_id"].tolist()[:5] == ["'=1+1", "-0.5", "+3", "'@SUM(A1)", "'\tx"]
    assert written["sessions_prescribed"].tolist()[:4] == [
        "0.30000000000000004",
        "-0.0",
        "1e+16",
        "1e-05",
    ]


def test_dates_bools_and_text_of_other_types():
    frame = pd.DataFrame(
        {
            "patient_id": ["A", None, 7],
            "flag": ["low_adherence", "x", "y"],
            "date": [dt.date(2026, 10, 1), None, pd.Timestamp("2026-10-03 13:00")],
            "detail": [np.nan, "- less", "ok"],
        }
    )
    assert table_text(frame, "flags") == (
        "patient_id,flag,date,detail\nA,low_adherence,2026-10-01,\n,x,,'- less\n7,y,2026-10-03,ok\n"
    )


def test_a_count_that_is_not_whole_is_refused_naming_table_and_column():
    frame = weekly(np.random.default_rng(1), 3).astype({"sessions_logged": float})
    frame.loc[1, "sessions_logged"] = 2.5
    with pytest.raises(
        AnalysisError, match=r"weekly table, column sessions_logged: 2\.5 is not a whole number"
    ):
        format_table(frame, "weekly")


def test_the_text_is_what_the_csv_module_writes():
    frame = weekly(np.random.default_rng(5), 200)
    frame.loc[:6, "patient_id"] = ["a,b", 'say "hi"', "two\nlines", "cr\rhere", "", " x ", "é"]
    expected = format_table(frame, "weekly").to_csv(index=False, lineterminator="\n")
    assert table_text(frame, "weekly") == expected
    empty = format_table(frame.iloc[:0], "weekly").to_csv(index=False, lineterminator="\n")
    assert table_text(frame.iloc[:0], "weekly") == empty


def test_repeated_numbers_are_each_written_as_themselves():
    # Each distinct value is formatted once: 0.0 and -0.0 are equal but written differently.
    frame = weekly(np.random.default_rng(2), 8)
    frame["sessions_prescribed"] = [0.0, -0.0, 0.0, -0.0, 1.5, 1.5, np.nan, 0.1 + 0.2]
    assert format_table(frame, "weekly")["sessions_prescribed"].tolist() == [
        "0.0",
        "-0.0",
        "0.0",
        "-0.0",
        "1.5",
        "1.5",
        "",
        "0.30000000000000004",
    ]
