"""Reading single cells: the spec's rules for dates, pain, counts, completed and side."""

from __future__ import annotations

import contextlib
import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import HepkitError
from toolkit.logs import values as lv
from toolkit.logs.reading import read_logs


def cells(*values: str) -> pa.Array:
    return pa.array(list(values), pa.string())


def reasons(problems) -> list[tuple[list[int], str]]:
    return [(np.flatnonzero(mask).tolist(), reason) for mask, reason in problems]


def test_pain_accepts_whole_numbers_and_n_over_10_only():
    values, problems = lv.parse_pain(
        cells("7", "7/10", " 10 / 10 ", "", "0", "7.5", "11", "-1", "high", "7/8")
    )
    expected = pd.array([7, 7, 10, None, 0, None, None, None, None, None], dtype="Int64")
    pd.testing.assert_extension_array_equal(values, expected)
    assert reasons(problems) == [
        ([9], "invalid: a fraction other than N/10; pain is a whole number 0 to 10"),
        ([5], "invalid: not a whole number; pain is a whole number 0 to 10"),
        ([6, 7], "invalid: outside 0 to 10; pain is a whole number 0 to 10"),
        ([8], "invalid: not a number; pain is a whole number 0 to 10"),
    ]


def test_signed_and_zero_padded_pain_says_what_is_wrong():
    values, problems = lv.parse_pain(cells("+3", "-0", "010", "+3/10", "07", "-1", "0011"))
    assert values[4] == 7
    assert reasons(problems) == [
        (
            [0, 1, 3],
            "invalid: a sign before the number; write it without + or -; pain is a whole number "
            "0 to 10",
        ),
        (
            [2, 6],
            "invalid: written with leading zeros; write the number alone; pain is a whole number "
            "0 to 10",
        ),
        ([5], "invalid: outside 0 to 10; pain is a whole number 0 to 10"),
    ]


def test_counts_are_whole_numbers_zero_or_more():
    values, problems = lv.parse_count(cells("0", "12", "", "-1", "2.0", "two", "1234567890"))
    assert values[:2].tolist() == [0, 12]
    assert reasons(problems) == [([3, 4, 5, 6], "invalid: not a whole number 0 or more")]


def test_seconds_are_numbers_zero_or_more():
    values, problems = lv.parse_seconds(cells("30", "2.5", ".5", "", "-3", "1e3", "abc"))
    assert values[:3].tolist() == [30.0, 2.5, 0.5]
    assert reasons(problems) == [([4, 5, 6], "invalid: not a number 0 or more (seconds)")]


def test_completed_in_any_case_and_blank_is_true():
    values, problems = lv.parse_completed(
        cells("Yes", "NO", "y", "n", "TRUE", "false", "1", "0", "", "done")
    )
    assert values.tolist() == [True, False, True, False, True, False, True, False, True, False]
    assert reasons(problems) == [([9], "invalid: completed is yes/no, true/false, 1/0 or y/n")]


def test_side_is_lower_cased_and_blank_stays_blank():
    values, problems = lv.parse_side(cells("Left", "RIGHT", "both", "", "up"))
    assert values.to_pylist() == ["left", "right", "both", None, None]
    assert reasons(problems) == [([4], "invalid: side is left, right or both")]


def wall(parsed, i):
    return dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=int(parsed.wall[i]))


ISO_CASES = [
    ("2026-08-03", dt.datetime(2026, 8, 3), False, None),
    ("2026-08-03T07:30", dt.datetime(2026, 8, 3, 7, 30), True, None),
    ("2026-08-03 07:30:15", dt.datetime(2026, 8, 3, 7, 30, 15), True, None),
    ("2026-08-03T23:30:00+02:00", dt.datetime(2026, 8, 3, 23, 30), True, 120),
    ("2026-08-03T23:30-0530", dt.datetime(2026, 8, 3, 23, 30), True, -330),
    ("2026-08-03T23:30+02", dt.datetime(2026, 8, 3, 23, 30), True, 120),
    ("2026-08-03T07:30Z", dt.datetime(2026, 8, 3, 7, 30), True, 0),
    ("2026-08-03T07:30:00.25+01:00", dt.datetime(2026, 8, 3, 7, 30, 0, 250000), True, 60),
    ("2024-02-29", dt.datetime(2024, 2, 29), False, None),
]


@pytest.mark.parametrize(("text", "expected", "has_time", "offset"), ISO_CASES)
def test_iso_8601_is_always_read_and_keeps_the_written_date(text, expected, has_time, offset):
    parsed = lv.parse_timestamps(cells(text))
    assert parsed.problems == []
    assert wall(parsed, 0) == expected
    assert bool(parsed.has_time[0]) is has_time
    assert (int(parsed.offset[0]) if parsed.has_offset[0] else None) == offset


def test_a_clinic_zone_converts_offsets_and_localises_naive_times():
    parsed = lv.parse_timestamps(
        cells("2026-08-03T23:30:00+00:00", "2026-08-03T07:30", "2026-08-03", "2026-10-25T02:30"),
        clinic_tz="Europe/Berlin",
    )
    assert wall(parsed, 0) == dt.datetime(2026, 8, 4, 1, 30)  # the local date moves to the 4th
    assert parsed.offset[:2].tolist() == [120, 120]
    assert not parsed.has_offset[2] and wall(parsed, 2) == dt.datetime(2026, 8, 3)
    assert not parsed.has_offset[3]  # the hour that happens twice when clocks go back


def test_impossible_and_unreadable_dates_are_rejected_with_their_reason():
    parsed = lv.parse_timestamps(
        cells(
            "2026-02-29",
            "2026-08-03T24:00",
            "3/8/26",
            "yesterday",
            "",
            "2026-13-01",
            "2026-08-03T07:30+15:00",
        )
    )
    assert reasons(parsed.problems) == [
        ([4], "missing: no date"),
        ([0, 1, 5, 6], "invalid: not a real date or time"),
        ([2], "invalid: two-digit year; write the year in full"),
        ([3], f"invalid: not a date; {lv.ISO_HINT}"),
    ]


@pytest.mark.parametrize(
    ("dayfirst", "text", "expected"),
    [
        (True, "03/08/2026", dt.datetime(2026, 8, 3)),
        (True, "3.8.2026 7:05", dt.datetime(2026, 8, 3, 7, 5)),
        (False, "08/03/2026 7:05 PM", dt.datetime(2026, 8, 3, 19, 5)),
        (False, "8-3-2026 12:10 am", dt.datetime(2026, 8, 3, 0, 10)),
    ],
)
def test_other_orders_are_read_when_stated(dayfirst, text, expected):
    parsed = lv.parse_timestamps(cells(text), dayfirst=dayfirst)
    assert parsed.problems == [] and wall(parsed, 0) == expected


def test_days_from_civil_matches_the_calendar():
    days = np.arange(-700_000, 2_900_000, 997)
    dates = (np.datetime64("1970-01-01") + days).astype(object)
    year = np.array([d.year for d in dates])
    month = np.array([d.month for d in dates])
    day = np.array([d.day for d in dates])
    assert (lv.days_from_civil(year, month, day) == days).all()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_read_or_raise_the_toolkits_own_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.csv"
    path.write_bytes(data)
    with contextlib.suppress(HepkitError):
        read_logs(path, today="2026-11-25")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=3, max_size=3), max_size=8))
def test_any_text_table_under_a_log_header_reads_or_raises_the_toolkits_own_error(
    tmp_path_factory, rows
):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["patient_id", "timestamp", "pain_before"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("fuzz") / "table.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    try:
        logs, rejects, report = read_logs(path, today="2026-11-25")
    except HepkitError:
        return
    assert report.rows_used + report.rows_rejected == report.rows_read
