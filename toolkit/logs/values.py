"""Turning the text cells of a log into typed values, and naming every cell that cannot be.

Each parser takes a whole column at once (a pyarrow string array, blank cells ``""``) and
returns typed values plus a list of *problems*: a boolean mask of the bad cells and the reason,
which starts with a short code (``missing``, ``invalid``, ``date_order``). Nothing loops over
rows in Python, so a million rows take well under a second. Timestamps are read by
:mod:`toolkit.logs.dates` (its names are also available here).

The rules are those of the analysis spec (sections 1 and 9):

- timestamp: see :mod:`toolkit.logs.dates`.
- pain: a whole number 0 to 10, or ``N/10``.
- sets and reps: whole numbers 0 or more; duration: a number 0 or more. [s]
- completed: yes/no, true/false, 1/0, y/n in any case; blank is true.
- side: left, right or both in any case (stored lower-case); blank stays blank (= both).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.logs import arrowbytes as ab
from toolkit.logs.dates import (
    ISO_HINT,
    ParsedTimestamps,
    Problems,
    days_from_civil,
    parse_timestamps,
)

__all__ = [
    "ISO_HINT",
    "Problems",
    "ParsedTimestamps",
    "parse_text",
    "parse_timestamps",
    "parse_pain",
    "parse_count",
    "parse_seconds",
    "parse_completed",
    "parse_side",
    "days_from_civil",
]


def _lower(text: pa.Array) -> pa.Array:
    """Lower-case (ASCII text: the same, faster)."""
    return pc.ascii_lower(text) if ab.is_ascii(text) else pc.utf8_lower(text)


def _read_trimmed(
    text: pa.Array, read: Callable[[pa.Array], tuple[Any, np.ndarray]]
) -> tuple[pa.Array, Any, np.ndarray, np.ndarray]:
    """``read`` the cells trimmed: (text read, values, read-ok mask, blank mask).

    The cells are first read as written; only when one of them is neither read nor empty
    are they trimmed and read again. A cell that ``read`` accepts has no surrounding space
    (digits, a known word), so this gives the result of reading trimmed cells, without the
    cost of trimming a clean column.
    """
    text = ab.single(text)
    values, ok = read(text)
    blank = ab.lengths(text) == 0
    if not (ok | blank).all():
        text = ab.trimmed(text)
        values, ok = read(text)
        blank = ab.lengths(text) == 0
    return text, values, ok, blank


def parse_text(
    text: pa.Array, *, required: bool = False, what: str = "value"
) -> tuple[pa.Array, Problems]:
    """Trim surrounding spaces; a blank cell becomes null (a ``missing`` problem if required)."""
    trimmed = ab.trimmed(text)
    blank = ab.lengths(trimmed) == 0
    values = ab.with_nulls(trimmed, blank)
    problems: Problems = [(blank, f"missing: no {what}")] if required and blank.any() else []
    return values, problems


# --- numbers ------------------------------------------------------------------------------


def _whole_numbers(trimmed: pa.Array, max_digits: int) -> tuple[np.ndarray, np.ndarray]:
    """(values, is-whole-number mask) of cells made of 1..max_digits ASCII digits.

    The values of other cells are 0.
    """
    lengths = ab.lengths(trimmed)
    ok = ab.as_mask(pc.ascii_is_decimal(trimmed)) & (lengths > 0) & (lengths <= max_digits)
    if (ok | (lengths == 0)).all():  # only numbers and blanks: blanks become null, then 0
        safe = ab.with_nulls(trimmed, ~ok)
    else:
        safe = pc.if_else(pa.array(ok), trimmed, "0")
    numbers = pc.fill_null(pc.cast(safe, pa.int64()), 0)
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=np.int64), ok


def parse_count(text: pa.Array) -> tuple[pd.arrays.IntegerArray, Problems]:
    """Whole numbers 0 or more (sets, reps); blank is missing (NA). [count]"""
    _, values, ok, blank = _read_trimmed(text, lambda cells: _whole_numbers(cells, 9))
    bad = ~blank & ~ok
    problems: Problems = []
    if bad.any():
        problems.append((bad, "invalid: not a whole number 0 or more"))
    return pd.arrays.IntegerArray(values, ~ok), problems


def parse_pain(text: pa.Array) -> tuple[pd.arrays.IntegerArray, Problems]:
    """Pain scores 0 to 10 (``7`` or ``7/10``); blank is missing (NA). [NRS points]"""
    trimmed, values, ok, blank = _read_trimmed(text, _pain_scores)
    bad = ~blank & ~ok
    problems: Problems = []
    if bad.any():
        rest = pc.filter(_without_out_of_ten(trimmed), pa.array(bad))
        kinds = {
            "a fraction other than N/10": r"^\s*-?\d+(\.\d+)?\s*/\s*\d+(\.\d+)?\s*$",
            "not a whole number": r"^[+-]?\d*[.,]\d+$",
            "a sign before the number; write it without + or -": r"^(\+\d+|-0+)$",
            "written with leading zeros; write the number alone": r"^0\d{2,}$",
            "outside 0 to 10": r"^[+-]?\d+$",
        }
        remaining = np.ones(len(rest), dtype=bool)
        where_bad = np.flatnonzero(bad)
        for kind, pattern in kinds.items():
            hit = ab.as_mask(pc.match_substring_regex(rest, pattern)) & remaining
            if hit.any():
                mask = np.zeros(len(bad), dtype=bool)
                mask[where_bad[hit]] = True
                problems.append((mask, f"invalid: {kind}; pain is a whole number 0 to 10"))
            remaining &= ~hit
        if remaining.any():
            mask = np.zeros(len(bad), dtype=bool)
            mask[where_bad[remaining]] = True
            problems.append((mask, "invalid: not a number; pain is a whole number 0 to 10"))
    return pd.arrays.IntegerArray(values, ~ok), problems


def _without_out_of_ten(text: pa.Array) -> pa.Array:
    """``7/10`` as ``7``."""
    if not ab.contains_byte(text, b"/"):
        return text
    slash = ab.as_mask(pc.match_substring(text, "/"))
    if not slash.any():
        return text
    return pc.if_else(pa.array(slash), pc.replace_substring_regex(text, r"\s*/\s*10$", ""), text)


def _pain_scores(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    values, ok = _whole_numbers(_without_out_of_ten(text), 2)
    return values, ok & (values <= 10)


def parse_seconds(text: pa.Array) -> tuple[pd.arrays.FloatingArray, Problems]:
    """Durations, a number 0 or more; blank is missing (NA). [s]"""
    _, values, ok, blank = _read_trimmed(text, _seconds)
    bad = ~blank & ~ok
    problems: Problems = [(bad, "invalid: not a number 0 or more (seconds)")] if bad.any() else []
    return pd.arrays.FloatingArray(values, ~ok), problems


def _seconds(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Read only the filled cells (durations are often blank); others are 0."""
    filled = np.flatnonzero(ab.lengths(text))
    values = np.zeros(len(text))
    ok = np.zeros(len(text), dtype=bool)
    if len(filled):
        cells = text if len(filled) == len(text) else text.take(pa.array(filled))
        number = ab.as_mask(pc.match_substring_regex(cells, r"^(\d+(\.\d*)?|\.\d+)$"))
        safe = pc.if_else(pa.array(number), cells, "0")
        values[filled] = np.asarray(pc.cast(safe, pa.float64()).to_numpy(zero_copy_only=False))
        ok[filled] = number
    return values, ok & np.isfinite(values)


_YES = ("yes", "y", "true", "1")
_NO = ("no", "n", "false", "0")


def parse_completed(text: pa.Array) -> tuple[np.ndarray, Problems]:
    """yes/no, true/false, 1/0, y/n in any case; blank is true."""
    _, position, known, blank = _read_trimmed(text, _completed_words)
    values = blank | (known & (position < len(_YES)))
    bad = ~blank & ~known
    reason = "invalid: completed is yes/no, true/false, 1/0 or y/n"
    return values, [(bad, reason)] if bad.any() else []


def _completed_words(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(position in yes + no words, is-a-word mask)."""
    index = pc.index_in(_lower(text), value_set=pa.array(_YES + _NO, text.type))
    known = ~np.asarray(pc.is_null(index).to_numpy(zero_copy_only=False), dtype=bool)
    return np.asarray(pc.fill_null(index, 0).to_numpy(zero_copy_only=False)), known


def parse_side(text: pa.Array) -> tuple[pa.Array, Problems]:
    """left, right or both (any case, stored lower-case); blank stays null (meaning both)."""
    _, lowered, known, blank = _read_trimmed(text, _side_words)
    bad = ~blank & ~known
    values = pc.if_else(pa.array(known), lowered, pa.scalar(None, lowered.type))
    return values, [(bad, "invalid: side is left, right or both")] if bad.any() else []


def _side_words(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    lowered = _lower(text)
    sides = pa.array(["left", "right", "both"], text.type)
    return lowered, ab.as_mask(pc.is_in(lowered, value_set=sides))
