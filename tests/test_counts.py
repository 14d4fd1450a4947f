"""The one way a count is written for people."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.analysis.thresholds import Thresholds
from toolkit.counts import count_text, decimal_text
from toolkit.report.words import adherence_words


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (61, "61"),
        (61.0, "61"),
        (np.float64(86.0), "86"),
        (np.int64(7), "7"),
        (0, "0"),
        (6.5, "6.5"),
        (12.345, "12.3"),
        (12.96, "13"),
        (-0.04, "0"),
        (1234, "1,234"),
        (1234.56, "1,234.6"),
        (None, "-"),
        (float("nan"), "-"),
        (pd.NA, "-"),
    ],
)
def test_whole_counts_read_whole_and_fractions_are_rounded(value: object, text: str) -> None:
    assert count_text(value) == text


def test_more_decimals_when_asked() -> None:
    assert count_text(12.3456, decimals=2) == "12.35"
    assert count_text(2.004, decimals=2) == "2"


@pytest.mark.parametrize("value", ["12", True, pd.Timestamp("2026-01-01")])
def test_a_count_must_be_a_number(value: object) -> None:
    with pytest.raises(
        TypeError, match=r"a count must be a number; got .+ \((str|bool|Timestamp)\)"
    ):
        count_text(value)


def test_the_report_writes_session_counts_whole() -> None:
    row = pd.Series(
        {
            "days_in_window": 30,
            "adherent": False,
            "sessions_done": 61.0,
            "sessions_prescribed": 86.0,
            "sessions_logged": 64.0,
            "session_adherence": 61 / 86,
            "dose_adherence": 0.7,
            "reporting_completeness": 0.9,
            "window_start": pd.Timestamp("2026-10-01"),
            "window_end": pd.Timestamp("2026-10-30"),
            "last_log_date": pd.Timestamp("2026-10-28"),
            "days_since_last_log": 2,
        }
    )
    first, logged, *_, last = adherence_words(row, Thresholds())
    assert first.startswith(
        "Sessions: 61 of 86 prescribed sessions done, a session adherence of 71 %"
    )
    assert logged.startswith("Logged 64 sessions in all")
    assert last == "Last log on 2026-10-28, 2 days before the as-of date."


@pytest.mark.parametrize(
    ("value", "places", "sign", "text"),
    [
        (3.25, 1, False, "3.3"),  # binary floating point alone prints 3.2
        (5.25, 1, False, "5.3"),
        (3.2499, 1, False, "3.2"),
        (-0.25, 1, True, "-0.3"),
        (-0.04, 1, True, "+0.0"),  # no "-0.0"
        (2, 1, True, "+2.0"),
        (73.5, 0, False, "74"),
        (None, 1, False, "-"),
        (float("nan"), 1, False, "-"),
    ],
)
def test_decimal_text_rounds_halves_up(value, places, sign, text):
    assert decimal_text(value, places, sign) == text


def test_decimal_text_refuses_text():
    with pytest.raises(TypeError, match=r"a figure must be a number; got '3.2' \(str\)"):
        decimal_text("3.2")
