"""Reading a column of dates and times, and naming every cell that cannot be read.

The rules are those of the analysis spec (sections 1 and 9): ISO 8601 (``2026-08-03``,
``2026-08-03T07:30``, ``2026-08-03 07:30:15``, with an optional fraction and offset ``Z``,
``+02``, ``+0200`` or ``+02:00``) is always read. ``3/8/2026`` (with ``/``, ``.`` or ``-``,
optionally a time and am/pm) is read only when the day/month order is stated; otherwise the
cell is a ``date_order`` problem. A date that the stated order cannot read (month 13,
30 February) is ``invalid``, never swapped.

The common ISO shapes are read from the cells' bytes with numpy; the rest with regular
expressions. Nothing loops over rows in Python.
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.logs import arrowbytes as ab

__all__ = ["ISO_HINT", "Problems", "ParsedTimestamps", "parse_timestamps", "days_from_civil"]

#: (bad-cell mask, reason) pairs of one column.
Problems = list[tuple[np.ndarray, str]]

_US_PER_MINUTE = 60_000_000
_US_PER_DAY = 86_400_000_000
_ISO_REGEX = (
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?:[Tt ](?P<h>\d{2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?\s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$"
)
_ORDERED_REGEX = (
    r"^(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<y>\d{4})(?:[Tt ,]+(?P<h>\d{1,2})[:.](?P<mi>\d{2})"
    r"(?:[:.](?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?$"
)
_SHORT_YEAR_REGEX = r"^\d{1,2}[./-]\d{1,2}[./-]\d{2}(\D.*)?$"

ISO_HINT = "use YYYY-MM-DD, optionally with a time such as 2026-08-03T07:30 or 07:30+02:00"


def days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm). [day]"""
    y = year.astype(np.int64) - (month <= 2)
    era = np.floor_divide(y, 400)
    year_of_era = y - era * 400
    day_of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _valid_date(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    last = month_days[np.clip(month, 0, 12)] + (leap & (month == 2))
    return (year >= 1900) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= last)


@dataclass
class ParsedTimestamps:
    """Timestamps read from one column.

    wall : numpy.ndarray
        Local wall-clock time as written (or in the clinic zone), since 1970-01-01. [us]
    has_time : numpy.ndarray
        The cell gave a time of day (else the wall time is midnight). [bool]
    offset : numpy.ndarray
        UTC offset of the wall time, where known. [min]
    has_offset : numpy.ndarray
        Whether ``offset`` is known. [bool]
    problems : list of (mask, reason)
        Cells that are blank or cannot be read.
    """

    wall: np.ndarray
    has_time: np.ndarray
    offset: np.ndarray
    has_offset: np.ndarray
    problems: Problems


class _Bytes:
    """Single bytes at given positions of many strings (their first 25 bytes)."""

    def __init__(self, text: pa.Array, rows: np.ndarray):
        full = len(rows) == len(text)
        self.matrix, self.length = ab.byte_matrix(text, 25, rows=None if full else rows)
        self.columns = np.ascontiguousarray(self.matrix.T)  # a row per position: fast to read
        self.rows = np.arange(len(rows))

    def at(self, position: int | np.ndarray) -> np.ndarray:
        if isinstance(position, int):
            return self.columns[position]
        return self.matrix[self.rows, np.clip(position, 0, 24)] * (position < 25)

    def digits(self, *positions: int | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(number, all-digits mask) of the bytes at ``positions`` read as one decimal."""
        value = np.zeros(len(self.rows), dtype=np.int64)
        ok = np.ones(len(self.rows), dtype=bool)
        for position in positions:
            digit = self.at(position).astype(np.int16) - 48
            ok &= (digit >= 0) & (digit <= 9)
            value = value * 10 + digit
        return value, ok


def _fast_iso(text: pa.Array, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """Read the common ISO shapes with numpy.

    Returns (ok, shape_ok, wall, has_time, offset, has_offset) for the given rows.
    """
    b = _Bytes(text, rows)
    head = b.columns[:19] - np.uint8(48)  # wraps below "0", so digits are exactly 0..9
    is_digit = head <= 9

    def number(*positions: int) -> np.ndarray:
        value = head[positions[0]].astype(np.int32)
        for position in positions[1:]:
            value = value * 10 + head[position]
        return value

    year, month, day = number(0, 1, 2, 3), number(5, 6), number(8, 9)
    hour, minute, second = number(11, 12), number(14, 15), number(17, 18)
    shape = is_digit[[0, 1, 2, 3, 5, 6, 8, 9]].all(axis=0) & (b.length >= 10)
    shape &= (b.at(4) == 45) & (b.at(7) == 45)
    has_time = is_digit[[11, 12, 14, 15]].all(axis=0) & (b.at(13) == 58)
    has_time &= (b.at(10) == 84) | (b.at(10) == 32) | (b.at(10) == 116)
    has_sec = has_time & is_digit[17] & is_digit[18] & (b.at(16) == 58)
    end = np.where(has_sec, 19, np.where(has_time, 16, 10))
    tail = b.length - end
    if (tail == 0).all():
        zulu = signed = np.zeros(len(rows), dtype=bool)
        offset = off_h = off_m = np.zeros(len(rows), dtype=np.int64)
    else:
        sign = b.at(end)
        zulu = has_time & (tail == 1) & ((sign == 90) | (sign == 122))
        signed = has_time & np.isin(tail, (3, 5, 6)) & ((sign == 43) | (sign == 45))
        off_h, ok_oh = b.digits(end + 1, end + 2)
        colon = tail == 6
        off_m, ok_om = b.digits(
            np.where(colon, end + 4, end + 3), np.where(colon, end + 5, end + 4)
        )
        ok_om |= tail == 3
        off_m = np.where(tail == 3, 0, off_m)
        signed &= ok_oh & ok_om & (~colon | (b.at(end + 3) == 58))
        offset = np.where(signed, np.where(sign == 45, -1, 1) * (off_h * 60 + off_m), 0)
    shape &= (tail == 0) | zulu | signed
    days, valid = _days(year, month, day)
    valid &= ~has_time | ((hour <= 23) & (minute <= 59))
    valid &= (~has_sec | (second <= 59)) & (~signed | ((off_h <= 14) & (off_m <= 59)))
    second = np.where(has_sec, second, 0)
    hour, minute = np.where(has_time, hour, 0), np.where(has_time, minute, 0)
    seconds = ((hour * 60 + minute) * 60 + second).astype(np.int64)
    wall = days * _US_PER_DAY + seconds * 1_000_000
    return shape & valid, shape, wall, has_time, offset, zulu | signed


@functools.cache
def _month_starts() -> np.ndarray:
    """Days since 1970-01-01 of the first of each month from 1900-01 to 10000-01. [day]"""
    months = np.datetime64("1900-01", "M") + np.arange((10000 - 1900) * 12 + 1)
    return months.astype("datetime64[D]").astype(np.int64)


def _days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(days since 1970-01-01, is-a-real-date mask) of dates in the years 1900 to 9999. [day]

    The same as :func:`days_from_civil` and :func:`_valid_date`, by table look-up.
    """
    starts = _month_starts()
    real = (year >= 1900) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1)
    index = np.where(real, (year - 1900) * 12 + month - 1, 0)
    first = starts[index]
    real &= day <= starts[index + 1] - first
    return first + day - 1, real


def _groups(match: pa.StructArray, name: str) -> np.ndarray:
    field = pc.struct_field(match, name)
    field = pc.if_else(pc.equal(pc.fill_null(field, ""), ""), "0", field)
    return np.asarray(pc.cast(field, pa.int64()).to_numpy(zero_copy_only=False))


def _slow_dates(
    text: pa.Array, rows: np.ndarray, dayfirst: bool | None, parsed: ParsedTimestamps
) -> list[tuple[np.ndarray, str]]:
    """Rows the fast path could not read: ISO with fractions, and day/month orders."""
    subset = text.take(pa.array(rows))
    found: list[tuple[np.ndarray, str]] = []
    iso = pc.extract_regex(subset, _ISO_REGEX)
    is_iso = ~ab.as_mask(pc.is_null(iso))
    if is_iso.any():
        y, mo, d = _groups(iso, "y"), _groups(iso, "mo"), _groups(iso, "d")
        h, mi, s = _groups(iso, "h"), _groups(iso, "mi"), _groups(iso, "s")
        fraction = pc.utf8_rpad(pc.utf8_slice_codeunits(pc.struct_field(iso, "f"), 0, 6), 6, "0")
        micro = np.asarray(pc.cast(fraction, pa.int64()).to_numpy(zero_copy_only=False))
        zone = pc.fill_null(pc.struct_field(iso, "tz"), "")
        has_time = ab.lengths(pc.fill_null(pc.struct_field(iso, "h"), "")) > 0
        zone_text = pc.replace_substring(pc.utf8_upper(zone), ":", "")
        zone_hours = pc.utf8_slice_codeunits(zone_text, 1, 3)
        zone_minutes = pc.utf8_rpad(pc.utf8_slice_codeunits(zone_text, 3, 5), 2, "0")
        sign = np.where(ab.as_mask(pc.starts_with(zone_text, "-")), -1, 1)
        has_zone = ab.lengths(zone_text) > 1
        zh = np.asarray(pc.cast(pc.if_else(pa.array(has_zone), zone_hours, "0"), pa.int64()))
        zm = np.asarray(pc.cast(pc.if_else(pa.array(has_zone), zone_minutes, "0"), pa.int64()))
        valid = is_iso & _valid_date(y, mo, d) & (h <= 23) & (mi <= 59) & (s <= 59)
        valid &= (zh <= 14) & (zm <= 59)
        wall = (days_from_civil(y, np.clip(mo, 1, 12), d) * _US_PER_DAY) + (
            ((h * 60 + mi) * 60 + s) * 1_000_000 + micro
        )
        _store(
            parsed,
            rows[valid],
            wall[valid],
            has_time[valid],
            (sign * (zh * 60 + zm))[valid],
            (has_zone | ab.as_mask(pc.equal(zone_text, "Z")))[valid],
        )
        found.append((rows[is_iso & ~valid], "invalid: not a real date or time"))
    ordered = pc.extract_regex(subset, _ORDERED_REGEX)
    is_ordered = ~ab.as_mask(pc.is_null(ordered)) & ~is_iso
    if is_ordered.any():
        if dayfirst is None:
            found.append(
                (
                    rows[is_ordered],
                    "date_order: not ISO 8601 and the day/month order "
                    "was not stated; pass dayfirst (True for 31/12/2026, False for 12/31/2026)",
                )
            )
        else:
            a, b, y = _groups(ordered, "a"), _groups(ordered, "b"), _groups(ordered, "y")
            d, mo = (a, b) if dayfirst else (b, a)
            h, mi, s = _groups(ordered, "h"), _groups(ordered, "mi"), _groups(ordered, "s")
            ampm = pc.utf8_lower(pc.fill_null(pc.struct_field(ordered, "ampm"), ""))
            has_ampm = ab.lengths(ampm) > 0
            pm = ab.as_mask(pc.starts_with(ampm, "p"))
            valid = is_ordered & _valid_date(y, mo, d) & (mi <= 59) & (s <= 59)
            valid &= np.where(has_ampm, (h >= 1) & (h <= 12), h <= 23)
            h = np.where(has_ampm, h % 12 + np.where(pm, 12, 0), h)
            has_time = ab.lengths(pc.fill_null(pc.struct_field(ordered, "h"), "")) > 0
            wall = (
                days_from_civil(y, np.clip(mo, 1, 12), d) * _US_PER_DAY
                + ((h * 60 + mi) * 60 + s) * 1_000_000
            )
            _store(
                parsed,
                rows[valid],
                wall[valid],
                has_time[valid],
                0 * wall[valid],
                np.zeros(int(valid.sum()), dtype=bool),
            )
            order = "day/month/year" if dayfirst else "month/day/year"
            found.append((rows[is_ordered & ~valid], f"invalid: not a real date in {order} order"))
    rest = ~is_iso & ~is_ordered
    short = ab.as_mask(pc.match_substring_regex(subset, _SHORT_YEAR_REGEX)) & rest
    found.append((rows[short], "invalid: two-digit year; write the year in full"))
    found.append((rows[rest & ~short], f"invalid: not a date; {ISO_HINT}"))
    return found


def _store(
    parsed: ParsedTimestamps,
    rows: np.ndarray,
    wall: np.ndarray,
    has_time: np.ndarray,
    offset: np.ndarray,
    has_offset: np.ndarray,
) -> None:
    parsed.wall[rows] = wall
    parsed.has_time[rows] = has_time
    parsed.offset[rows] = offset
    parsed.has_offset[rows] = has_offset


def parse_timestamps(
    text: pa.Array, *, dayfirst: bool | None = None, clinic_tz: str | None = None
) -> ParsedTimestamps:
    """Read a column of dates or date-times (rules in the module docstring).

    With ``clinic_tz``, a timestamp with an offset is converted to the clinic's zone, and a
    time without offset is taken as clinic-local (its offset looked up in the zone; unknown
    in the hour that the clocks skip or repeat). Without it, the wall time is kept as written.

    The exercises of one session share its timestamp and are written one after the other,
    so when most cells repeat the one before, each run of equal cells is read once.
    """
    text = ab.single(text)
    runs = _runs(text)
    if runs is None:
        return _parse_cells(text, dayfirst, clinic_tz)
    heads, run = runs
    parsed = _parse_cells(text.take(pa.array(heads)), dayfirst, clinic_tz)
    return ParsedTimestamps(
        parsed.wall[run],
        parsed.has_time[run],
        parsed.offset[run],
        parsed.has_offset[run],
        [(mask[run], reason) for mask, reason in parsed.problems],
    )


def _runs(text: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """Runs of equal cells: (first cell of each run, the run each cell is in).

    None when that would not save work: fewer than half of the cells repeat the one before,
    or the column is short or has nulls.
    """
    if len(text) < 1024 or text.null_count:
        return None
    changed = ab.as_mask(pc.not_equal(text.slice(1), text.slice(0, len(text) - 1)))
    heads = np.flatnonzero(changed) + 1
    if 2 * len(heads) > len(text):
        return None
    return np.concatenate([[0], heads]), np.concatenate([[0], np.cumsum(changed)])


def _parse_cells(text: pa.Array, dayfirst: bool | None, clinic_tz: str | None) -> ParsedTimestamps:
    trimmed = ab.trimmed(text)
    count = len(trimmed)
    parsed = ParsedTimestamps(
        np.zeros(count, np.int64),
        np.zeros(count, bool),
        np.zeros(count, np.int64),
        np.zeros(count, bool),
        [],
    )
    blank = ab.lengths(trimmed) == 0
    if blank.any():
        parsed.problems.append((blank, "missing: no date"))
    rows = np.flatnonzero(~blank)
    ok, shape, wall, has_time, offset, has_offset = _fast_iso(trimmed, rows)
    _store(parsed, rows[ok], wall[ok], has_time[ok], offset[ok], has_offset[ok])
    bad = np.zeros(count, dtype=bool)
    bad[rows[shape & ~ok]] = True
    if bad.any():
        parsed.problems.append((bad, "invalid: not a real date or time"))
    slow = rows[~shape]
    if len(slow):
        for where, reason in _slow_dates(trimmed, slow, dayfirst, parsed):
            if len(where):
                mask = np.zeros(count, dtype=bool)
                mask[where] = True
                parsed.problems.append((mask, reason))
    if clinic_tz is not None:
        _to_zone(parsed, clinic_tz)
    return parsed


def _to_zone(parsed: ParsedTimestamps, clinic_tz: str) -> None:
    zone = zoneinfo.ZoneInfo(clinic_tz)
    rows = np.flatnonzero(parsed.has_offset)
    if len(rows):
        utc = parsed.wall[rows] - parsed.offset[rows] * _US_PER_MINUTE
        local = pd.DatetimeIndex(utc.view("datetime64[us]")).tz_localize("UTC").tz_convert(zone)
        wall = local.tz_localize(None).as_unit("us").asi8
        parsed.offset[rows] = (wall - utc) // _US_PER_MINUTE
        parsed.wall[rows] = wall
    rows = np.flatnonzero(parsed.has_time & ~parsed.has_offset)
    if len(rows):
        wall = parsed.wall[rows]
        local = pd.DatetimeIndex(wall.view("datetime64[us]")).tz_localize(
            zone, ambiguous="NaT", nonexistent="NaT"
        )
        known = ~np.asarray(local.isna())
        utc = local[known].tz_convert("UTC").tz_localize(None).as_unit("us").asi8
        parsed.offset[rows[known]] = (wall[known] - utc) // _US_PER_MINUTE
        parsed.has_offset[rows[known]] = True
