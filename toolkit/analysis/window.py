"""The analysis window: as_of, the days a patient's prescriptions cover, and their ISO weeks.

Shared ground of :mod:`~toolkit.analysis.adherence`, :mod:`~toolkit.analysis.pain` and
:mod:`~toolkit.analysis.flags` (analysis spec, sections 1 and 2). Days are handled as integer
day numbers (days since 1970-01-01) inside the analysis, which keeps ranges, weeks and joins
exact and fast; frames handed back to callers carry ``datetime64`` dates at midnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.errors import AnalysisError, PrescriptionError
from toolkit.logs.columns import CANONICAL_COLUMNS

__all__ = [
    "DayIndex",
    "Window",
    "analysis_window",
    "codes_in",
    "prepare_logs",
    "resolve_as_of",
    "day_numbers",
    "to_dates",
    "week_start",
]

_PRESCRIPTION_COLUMNS = ("patient_id", "routine", "start_date", "end_date")
_OPTIONAL_LOG_COLUMNS = CANONICAL_COLUMNS[2:]  # all but patient_id and timestamp
_NUMERIC_LOG_COLUMNS = ("sets_done", "reps_done", "duration_s", "pain_before", "pain_after")
_EPOCH = np.datetime64("1970-01-01", "D")


def day_numbers(values: object, what: str) -> np.ndarray:
    """Dates (``date``, ``Timestamp``, ISO text or ``datetime64``) as float day numbers.

    Parameters
    ----------
    values : array-like
        Dates; a time of day is dropped (the date written is kept, offsets are not converted).
    what : str
        Name of the column, for error messages.

    Returns
    -------
    numpy.ndarray of float
        Days since 1970-01-01; ``nan`` where a value is missing. [day]
    """
    series = pd.Series(values, copy=False) if not isinstance(values, pd.Series) else values
    if len(series) == 0:
        return np.empty(0, dtype=float)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    if not pd.api.types.is_datetime64_dtype(series.dtype):
        text = series.astype("str").str.slice(0, 10)
        try:
            series = pd.to_datetime(text, format="%Y-%m-%d")
        except (ValueError, TypeError):
            bad = text[pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").isna()]
            bad = bad[bad.notna()]
            raise AnalysisError(
                f"{what}: {series[bad.index[0]]!r} is not a date; give YYYY-MM-DD, "
                "datetime.date or Timestamp"
            ) from None
    days = series.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = (days - _EPOCH).astype("timedelta64[D]").astype(float)
    out[np.isnat(days)] = np.nan
    return out


def to_dates(days: object) -> pd.Series | pd.DatetimeIndex:
    """Day numbers back to ``datetime64`` dates at midnight (``NaT`` for ``nan``)."""
    if isinstance(days, pd.Series):
        return pd.Series(_EPOCH + _as_timedelta(days.to_numpy()), index=days.index, name=days.name)
    return pd.DatetimeIndex(_EPOCH + _as_timedelta(np.asarray(days)))


def _as_timedelta(days: np.ndarray) -> np.ndarray:
    numbers = np.asarray(days, dtype=float)
    out = np.full(numbers.shape, np.timedelta64("NaT"), dtype="timedelta64[D]")
    present = ~np.isnan(numbers)
    out[present] = numbers[present].astype("int64").astype("timedelta64[D]")
    return out.astype("timedelta64[s]")


def week_start(days: np.ndarray) -> np.ndarray:
    """The Monday of each day's ISO week, as day numbers (1970-01-01 was a Thursday)."""
    days = np.asarray(days, dtype="int64")
    return days - (days + 3) % 7


def _one_date(value: object, what: str) -> int:
    result = day_numbers(pd.Series([value], dtype=object), what)
    if np.isnan(result[0]):
        raise AnalysisError(f"{what} {value!r} is not a date; give YYYY-MM-DD")
    return int(result[0])


def prepare_logs(logs: pd.DataFrame) -> pd.DataFrame:
    """The canonical log rows as the analysis uses them.

    Adds ``day`` (the local date as a day number), ``order`` (position in the frame, which is
    file order) and, when missing, ``source`` and ``row``; fills absent optional columns with
    missing values; blank ``exercise_id`` becomes missing; ``completed`` blank is true;
    ``side`` is lower-cased with blank meaning ``both``.

    Raises
    ------
    AnalysisError
        ``patient_id`` or ``timestamp`` is not a column, or a date cannot be read.
    """
    missing = [c for c in ("patient_id", "timestamp") if c not in logs.columns]
    if missing:
        raise AnalysisError(
            f"logs: no {' and no '.join(missing)} column (columns: {', '.join(map(str, logs))}); "
            "read the logs with toolkit.read_logs"
        )
    logs = logs.reset_index(drop=True)
    out = pd.DataFrame(index=logs.index)
    out["patient_id"] = _cleaned(logs["patient_id"], _strip)
    out["timestamp"] = logs["timestamp"]
    days = day_numbers(logs["date"] if "date" in logs.columns else logs["timestamp"], "date")
    if np.isnan(days).any():
        first = int(np.flatnonzero(np.isnan(days))[0])
        raise AnalysisError(f"logs: row at position {first} has no date; every row needs one")
    out["day"] = days.astype("int64")
    out["order"] = np.arange(len(logs), dtype="int64")
    absent = pd.Series(pd.NA, index=logs.index, dtype=object)
    column = {
        name: logs[name] if name in logs.columns else absent for name in _OPTIONAL_LOG_COLUMNS
    }
    out["exercise_id"] = _cleaned(column["exercise_id"], _blank_is_missing)
    completed = column["completed"]
    if completed.dtype != bool:
        completed = completed.astype("boolean").fillna(True).astype(bool)
    out["completed"] = completed.to_numpy(dtype=bool)
    out["side"] = _cleaned(column["side"], _side)
    for name in _NUMERIC_LOG_COLUMNS:
        values = column[name]
        if not pd.api.types.is_numeric_dtype(values.dtype) or values.dtype == bool:
            values = pd.to_numeric(values, errors="raise").astype("Float64")
        out[name] = values.to_numpy(dtype=float, na_value=np.nan)
    out["notes"] = _text(column["notes"])
    out["entry_id"] = _text(column["entry_id"])
    out["source"] = logs["source"] if "source" in logs.columns else absent
    out["row"] = logs["row"] if "row" in logs.columns else absent
    return out


def _strip(text: pd.Series) -> pd.Series:
    return text.str.strip()


def _blank_is_missing(text: pd.Series) -> pd.Series:
    text = text.str.strip()
    return text.where(text.str.len() > 0)


def _side(text: pd.Series) -> pd.Series:
    text = text.str.strip().str.lower()
    return text.where(text.str.len() > 0, "both").fillna("both")


def _cleaned(values: pd.Series, clean: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Text cleaned by ``clean``, as a categorical: each distinct value is cleaned once.

    Categories hold the cleaned text; their codes let the analysis group and join on integers.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    cleaned = clean(_text(pd.Series(np.asarray(uniques, dtype=object), dtype=object)))
    final, categories = pd.factorize(cleaned)
    return pd.Series(
        pd.Categorical.from_codes(final[codes], categories=pd.Index(categories, dtype="str")),
        index=values.index,
    )


def _text(values: pd.Series) -> pd.Series:
    """Text with missing values kept missing (pandas' ``str`` dtype)."""
    if isinstance(values.dtype, pd.StringDtype):
        return values
    return values.astype("str").where(values.notna())


def resolve_as_of(logs: pd.DataFrame, as_of: object = None) -> int:
    """The day the analysis is made for, as a day number.

    Parameters
    ----------
    logs : DataFrame
        Prepared logs (:func:`prepare_logs`).
    as_of : date-like, optional
        Default: the latest local date among all the log rows (spec, section 1).

    Raises
    ------
    AnalysisError
        No as_of given and no log row to take it from.
    """
    if as_of is not None:
        return _one_date(as_of, "as_of")
    if len(logs) == 0:
        raise AnalysisError(
            "no log row could be used, so there is no date to make the figures for; "
            "give the as-of date (hepkit report --as-of YYYY-MM-DD)"
        )
    return int(logs["day"].max())


@dataclass(frozen=True)
class DayIndex:
    """Finds the window day of any (patient, day) pair with integer arithmetic alone.

    Each patient owns a run of cells, one per calendar day from its first to its last window
    day; a cell holds the position of that window day in :attr:`Window.days`, or -1 for a day
    between two periods.
    """

    first: np.ndarray
    span: np.ndarray
    offset: np.ndarray
    cells: np.ndarray

    @classmethod
    def build(cls, patient: np.ndarray, day: np.ndarray, patients: int) -> DayIndex:
        """Index window days given by patient code and day number, sorted by both."""
        numbers = np.arange(patients)
        low = np.searchsorted(patient, numbers)
        high = np.searchsorted(patient, numbers, side="right")
        has = high > low
        first = np.zeros(patients, dtype="int64")
        first[has] = day[low[has]]
        span = np.zeros(patients, dtype="int64")
        span[has] = day[high[has] - 1] - first[has] + 1
        offset = np.cumsum(span) - span
        cells = np.full(int(span.sum()), -1, dtype="int64")
        cells[offset[patient] + day - first[patient]] = np.arange(len(day))
        return cls(first=first, span=span, offset=offset, cells=cells)

    def lookup(self, patient: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Position in :attr:`Window.days` of each (patient code, day number); -1 if none.

        A patient code of -1 (not prescribed) finds no window day.
        """
        patient = np.asarray(patient, dtype="int64")
        out = np.full(len(patient), -1, dtype="int64")
        if not len(self.first):
            return out
        known = patient >= 0
        code = np.where(known, patient, 0)
        within = np.asarray(day, dtype="int64") - self.first[code]
        found = known & (within >= 0) & (within < self.span[code])
        out[found] = self.cells[self.offset[code[found]] + within[found]]
        return out


@dataclass(frozen=True)
class Window:
    """The days each prescribed patient is analysed over.

    Attributes
    ----------
    as_of : int
        Day number of as_of.
    patients : DataFrame
        One row per prescribed patient, sorted by id: ``patient_id``, ``window_start`` and
        ``window_end`` (day numbers as float, ``nan`` for no window end) and
        ``days_in_window`` [day].
    days : DataFrame
        One row per window day, sorted by patient and day: ``patient_id``, ``patient`` (the
        patient's position in ``patients``), ``day``, ``routine``, ``week`` (Monday of the ISO
        week), ``week_number`` (0, 1, ... over all patients' weeks in order), ``position`` (0
        for the first window day) and ``from_end`` (0 for ``window_end``).
    index : DayIndex
        Finds the window day of a (patient, day) pair.
    """

    as_of: int
    patients: pd.DataFrame
    days: pd.DataFrame
    index: DayIndex

    def locate(self, patient_ids: pd.Series, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Patient codes (-1: not prescribed) and window-day positions (-1: none) of rows."""
        patient = codes_in(patient_ids, pd.Index(self.patients["patient_id"]))
        return patient, self.index.lookup(patient, days)


def codes_in(values: pd.Series, known: pd.Index) -> np.ndarray:
    """Position of each value in ``known`` (unique), -1 when missing or not there.

    Each distinct value is looked up once, so this is fast on long columns of a few ids.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype("int64")
        uniques = pd.Index(values.cat.categories)
    else:
        codes, found = pd.factorize(values)
        uniques = pd.Index(found)
    positions = known.get_indexer(uniques) if len(known) else np.full(len(uniques), -1)
    return np.append(positions, -1).astype("int64")[codes]


def analysis_window(prescriptions: pd.DataFrame, as_of: int) -> Window:
    """Expand the prescription periods into window days (spec, section 2).

    Parameters
    ----------
    prescriptions : DataFrame
        ``patient_id, routine, start_date, end_date``: one row per period; ``end_date``
        blank for an ongoing period.
    as_of : int
        Day number of as_of (:func:`resolve_as_of`).

    Raises
    ------
    AnalysisError
        A column is missing, or a start date is missing.
    PrescriptionError
        Two periods of one patient share a day, or a period ends before it starts.
    """
    missing = [c for c in _PRESCRIPTION_COLUMNS if c not in prescriptions.columns]
    if missing:
        raise AnalysisError(
            f"prescriptions: no {' and no '.join(missing)} column "
            f"(columns: {', '.join(map(str, prescriptions))}); "
            "read them with toolkit.read_prescriptions"
        )
    periods = pd.DataFrame(
        {
            "patient_id": _text(prescriptions["patient_id"]).str.strip().to_numpy(),
            "routine": _text(prescriptions["routine"]).to_numpy(),
            "start": day_numbers(prescriptions["start_date"].reset_index(drop=True), "start_date"),
            "end": day_numbers(prescriptions["end_date"].reset_index(drop=True), "end_date"),
        }
    )
    where = _places(prescriptions)
    bad_start = np.flatnonzero(np.isnan(periods["start"].to_numpy()))
    if len(bad_start):
        raise AnalysisError(f"prescriptions {where[bad_start[0]]}: start_date is missing")
    backwards = np.flatnonzero(periods["end"].to_numpy() < periods["start"].to_numpy())
    if len(backwards):
        i = backwards[0]
        raise PrescriptionError(
            f"prescriptions {where[i]}: end_date {_show_day(periods['end'].iat[i])} is before "
            f"start_date {_show_day(periods['start'].iat[i])}; a period must end on or after "
            "its start"
        )
    periods["where"] = where

    first = periods.groupby("patient_id", sort=True)["start"].min()
    last_index = periods.sort_values(["patient_id", "start"]).groupby("patient_id").tail(1)
    last_end = last_index.set_index("patient_id")["end"].reindex(first.index)
    window_end = np.fmin(last_end.to_numpy(), float(as_of))
    started = first.to_numpy() <= as_of
    patients = pd.DataFrame(
        {
            "patient_id": first.index.to_numpy(),
            "window_start": first.to_numpy(),
            "window_end": np.where(started, window_end, np.nan),
        }
    )

    end = np.fmin(periods["end"].fillna(float(as_of)).to_numpy(), float(as_of))
    start = periods["start"].to_numpy()
    holder = pd.Index(patients["patient_id"]).get_indexer(periods["patient_id"])
    lengths = np.where(holder >= 0, np.maximum(end - start + 1, 0), 0).astype("int64")
    owner = np.repeat(np.arange(len(periods)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    code = holder[owner]
    day = start.astype("int64")[owner] + offsets
    order = np.lexsort((day, code))
    code, day, owner = code[order], day[order], owner[order]
    clash = np.flatnonzero((code[1:] == code[:-1]) & (day[1:] == day[:-1]))
    if len(clash):
        patient, when = patients["patient_id"].iat[code[clash[0]]], day[clash[0]]
        holders = periods[
            (periods["patient_id"] == patient)
            & (periods["start"] <= when)
            & (periods["end"].fillna(np.inf) >= when)
        ]["where"]
        raise PrescriptionError(
            f"prescriptions {' and '.join(holders)}: periods of patient "
            f"{patient!r} share the day {_show_day(when)}; periods must not overlap"
        )
    week = week_start(day)
    new_run = np.ones(len(day), dtype=bool)
    new_run[1:] = code[1:] != code[:-1]
    starts = np.flatnonzero(new_run)
    counts = np.bincount(code, minlength=len(patients)).astype("int64")
    run_start = np.repeat(starts, np.diff(np.append(starts, len(day))))
    new_week = new_run.copy()
    new_week[1:] |= week[1:] != week[:-1]
    days = pd.DataFrame(
        {
            "patient_id": _spread(periods["patient_id"], owner),
            "patient": code,
            "day": day,
            "routine": _spread(periods["routine"], owner),
            "week": week,
            "week_number": np.cumsum(new_week) - 1,
            "position": np.arange(len(day)) - run_start,
            "from_end": counts[code] - 1 - (np.arange(len(day)) - run_start),
        }
    )
    patients["days_in_window"] = counts
    index = DayIndex.build(code, day, len(patients))
    return Window(as_of=as_of, patients=patients, days=days, index=index)


def _spread(text: pd.Series, owner: np.ndarray) -> object:
    """``text[owner]`` as a ``str`` array (an empty ``object`` array when there is none)."""
    if not len(owner):
        return np.empty(0, dtype=object)
    return pd.array(text, dtype="str").take(owner)


def _places(prescriptions: pd.DataFrame) -> Sequence[str]:
    """``source row N`` for each prescription row when known, else its position."""
    if "row" in prescriptions.columns:
        rows = prescriptions["row"].astype(object).to_numpy()
        sources = (
            prescriptions["source"].astype(object).to_numpy()
            if "source" in prescriptions.columns
            else [None] * len(rows)
        )
        return [
            f"{'' if s is None or s is pd.NA else str(s) + ' '}row {r}"
            for s, r in zip(sources, rows, strict=True)
        ]
    return [f"row at position {i}" for i in range(len(prescriptions))]


def _show_day(day: float) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=int(day))).isoformat()
