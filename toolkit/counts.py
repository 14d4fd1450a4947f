"""How a count is written for people: whole numbers whole, fractions rounded for reading.

One function for every count a person reads (the report's words and tables, the flags'
details, the reading report, the batch summary); the CSV files keep their exact values.
``61.0`` sessions read ``61``, not ``61.0``; ``12.345`` reads ``12.3``; ``1234`` reads
``1,234``.
"""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

__all__ = ["MISSING", "count_text", "decimal_text"]

#: What a missing count reads as.
MISSING = "-"


def count_text(value: object, decimals: int = 1) -> str:
    """A count for people: ``61``, ``1,234``, ``12.3``; :data:`MISSING` when missing.

    Parameters
    ----------
    value : int, float or None
        The count (a Python or NumPy number, or ``None``, ``nan``, ``pd.NA`` when missing).
    decimals : int
        Decimals kept for a count that is not whole; a count that rounds to a whole number
        is written without them (``12.96`` -> ``13``).

    Raises
    ------
    TypeError
        ``value`` is not a number (text, a date...).
    """
    if value is None or value is pd.NA:
        return MISSING
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"a count must be a number; got {value!r} ({type(value).__name__})")
    number = float(value)
    if math.isnan(number):
        return MISSING
    rounded = round(number, decimals)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.{decimals}f}"


def decimal_text(value: object, places: int = 1, sign: bool = False) -> str:
    """A figure rounded for reading, halves up: ``3.25`` -> ``3.3``; :data:`MISSING` when missing.

    Binary floating point would print ``3.25`` as ``3.2`` (its nearest double is a little
    below); the value is rounded as the decimal text it is read as. The one rounding of every
    figure people read with decimals (pain scores, changes).

    Parameters
    ----------
    value : float or None
        The figure.
    places : int
        Decimals kept (0 for a whole number).
    sign : bool
        Write ``+`` before a positive figure and before zero.
    """
    if value is None or value is pd.NA:
        return MISSING
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"a figure must be a number; got {value!r} ({type(value).__name__})")
    number = float(value)
    if math.isnan(number):
        return MISSING
    step = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(number)).quantize(step, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:+}" if sign else f"{rounded}"
