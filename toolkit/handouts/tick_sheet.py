"""The tick sheet at the end of a handout: a row per day, a box per session, pain before and after.

Its columns use the words of the log columns (``completed``, ``pain_before``, ``pain_after``,
``notes``) so that a clinic can type a filled-in sheet into the blank spreadsheet that
``hepkit template logs`` writes, one row per session.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from toolkit.routines.catalogue import base_language, catalogue

__all__ = [
    "DEFAULT_WEEKS",
    "MAX_WEEKS",
    "PAIN_COLUMNS",
    "WEEKDAYS",
    "ROW_DATE_PATTERN",
    "day_names",
    "row_date",
    "TickDay",
    "TickWeek",
    "tick_weeks",
]

#: Weeks the sheet covers when the prescription's end is not known. [weeks]
DEFAULT_WEEKS = 2

#: The longest sheet; a longer prescription gets this many weeks and a fresh sheet later. [weeks]
MAX_WEEKS = 12

#: Log column to its heading on the sheet (the scale in brackets).
PAIN_COLUMNS = {"pain_before": "Pain before (0-10)", "pain_after": "Pain after (0-10)"}

#: Names of the days, Monday first.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: The catalogue message holding the pattern of a dated row (Babel/CLDR: ``Tue 1 Dec``).
ROW_DATE_PATTERN = "EEE d MMM"


@dataclass(frozen=True)
class TickDay:
    """One row: the day's name, and its date when the start is known."""

    label: str
    date: dt.date | None


@dataclass(frozen=True)
class TickWeek:
    """One week of rows; ``start`` is its first day when known."""

    number: int
    start: dt.date | None
    days: tuple[TickDay, ...]


def _weeks(start: dt.date | None, end: dt.date | None) -> int:
    if start is None or end is None or end < start:
        return DEFAULT_WEEKS
    return min(MAX_WEEKS, math.ceil(((end - start).days + 1) / 7))


def day_names(language: str = "en") -> tuple[str, ...]:
    """The names of the days in ``language``, Monday first, capitalised as a row label."""
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=base_language(language))
    return tuple(names[i][:1].upper() + names[i][1:] for i in range(7))


def row_date(day: dt.date, language: str = "en") -> str:
    """A dated row's label: ``Tue 1 Dec``, ``mar 1 dic``."""
    from babel.dates import format_date

    pattern = catalogue(language).gettext(ROW_DATE_PATTERN)
    return format_date(day, pattern, locale=base_language(language))


def tick_weeks(
    start: dt.date | None = None, end: dt.date | None = None, language: str = "en"
) -> list[TickWeek]:
    """The weeks of the tick sheet, each with a row per day.

    Parameters
    ----------
    start : datetime.date, optional
        First day of the prescription: rows are dated from it (``Tue 1 Dec``). Without it,
        every week runs Monday to Sunday and the patient writes the date in.
    end : datetime.date, optional
        Last day: the sheet covers the weeks up to it (at most :data:`MAX_WEEKS`), the last
        week stopping at ``end``. Without it, :data:`DEFAULT_WEEKS` weeks.
    language : str
        The language of the days' names and dates.
    """
    weeks = []
    for number in range(_weeks(start, end)):
        if start is None:
            days = tuple(TickDay(name, None) for name in day_names(language))
            weeks.append(TickWeek(number + 1, None, days))
            continue
        first = start + dt.timedelta(weeks=number)
        dates = [first + dt.timedelta(days=i) for i in range(7)]
        if end is not None and end >= start:
            dates = [day for day in dates if day <= end]
        labels = (row_date(d, language) for d in dates)
        days = tuple(TickDay(label, d) for label, d in zip(labels, dates, strict=True))
        weeks.append(TickWeek(number + 1, first, days))
    return weeks
