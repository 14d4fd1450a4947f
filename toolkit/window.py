"""The analysis window: as_of, the days a patient's prescriptions cover, and their ISO weeks.

Shared ground of :mod:`toolkit.adherence`, :mod:`toolkit.pain` and :mod:`toolkit.flags`
(analysis spec, sections 1 and 2). Days are handled as integer day numbers (days since
1970-01-01) inside the analysis, which keeps ranges, weeks and joins exact and fast; frames
handed back to callers carry ``datetime64`` dates at midnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import AnalysisError, PrescriptionError

__all__ = [
    "TOLERANCE",
    "Window",
    "analysis_window",
    "prepare_logs",
    "resolve_as_of",
    "day_numbers",
    "to_dates",
    "week_start",
]

#: Thresholds are compared with this tolerance (spec, section 2). [same unit as the threshold]
TOLERANCE = 1e-9

_PRESCRIPTION_COLUMNS = ("patient_id", "routine", "start_date", "end_date")
_OPTIONAL_LOG_COLUMNS = (
    "exercise_id",
    "completed",
    "sets_done",
    "reps_done",
    "duration_s",
    "side",
    "pain_before",
    "pain_after",
    "notes",
    "entry_id",
)
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
    out["patient_id"] = _text(logs["patient_id"]).str.strip()
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
    exercise = _text(column["exercise_id"]).str.strip()
    out["exercise_id"] = exercise.where(exercise.str.len() > 0)
    out["completed"] = column["completed"].astype("boolean").fillna(True).astype(bool)
    side = _text(column["side"]).str.strip().str.lower()
    out["side"] = side.where(side.str.len() > 0, "both").fillna("both")
    for name in _NUMERIC_LOG_COLUMNS:
        number = pd.to_numeric(column[name], errors="raise").astype("Float64")
        out[name] = number.to_numpy(dtype=float, na_value=np.nan)
    out["notes"] = _text(column["notes"])
    out["entry_id"] = _text(column["entry_id"])
    out["source"] = logs["source"] if "source" in logs.columns else absent
    out["row"] = logs["row"] if "row" in logs.columns else absent
    return out


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
        raise AnalysisError("as_of: the logs have no rows to take as_of from; give as_of")
    return int(logs["day"].max())


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
        One row per window day, sorted by patient and day: ``patient_id``, ``day``,
        ``routine``, ``week`` (Monday of the ISO week), ``position`` (0 for the first window
        day) and ``from_end`` (0 for ``window_end``).
    """

    as_of: int
    patients: pd.DataFrame
    days: pd.DataFrame


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
    lengths = np.maximum(end - start + 1, 0).astype("int64")
    owner = np.repeat(np.arange(len(periods)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    days = pd.DataFrame(
        {
            "patient_id": periods["patient_id"].to_numpy()[owner],
            "day": start.astype("int64")[owner] + offsets,
            "routine": periods["routine"].to_numpy()[owner],
        }
    )
    days = days.sort_values(["patient_id", "day"], kind="stable", ignore_index=True)
    clash = days.duplicated(["patient_id", "day"])
    if clash.any():
        row = days[clash].iloc[0]
        holders = periods[
            (periods["patient_id"] == row["patient_id"])
            & (periods["start"] <= row["day"])
            & (periods["end"].fillna(np.inf) >= row["day"])
        ]["where"]
        raise PrescriptionError(
            f"prescriptions {' and '.join(holders)}: periods of patient "
            f"{row['patient_id']!r} share the day {_show_day(row['day'])}; periods must not "
            "overlap"
        )
    days["week"] = week_start(days["day"].to_numpy())
    group = days.groupby("patient_id", sort=False)
    days["position"] = group.cumcount().to_numpy()
    days["from_end"] = group.cumcount(ascending=False).to_numpy()
    counts = group.size()
    patients["days_in_window"] = (
        counts.reindex(patients["patient_id"]).fillna(0).astype("int64").to_numpy()
    )
    return Window(as_of=as_of, patients=patients, days=days)


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
