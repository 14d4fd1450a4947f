"""The report's CSV tables: their columns, in order, and how every value is written.

Analysis spec, section 8: numbers in the shortest form that reads back to the same float
(Python's ``repr``); counts that are whole by definition as integers; fractions as fractions;
dates as ``YYYY-MM-DD``; booleans as ``true``/``false``; a missing value as an empty cell.
Text cells (patient ids, values as typed, details) go through
:func:`~toolkit.storage.spreadsheet_safe`, so that none runs as a formula when the file is
opened in a spreadsheet.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.errors import AnalysisError
from toolkit.storage import atomic_write, spreadsheet_safe

__all__ = ["TABLES", "format_table", "table_text", "write_table"]

_SUMMARY = (
    "patient_id:text as_of:date window_start:date window_end:date days_in_window:int "
    "sessions_prescribed:float sessions_done:float sessions_logged:int session_adherence:float "
    "adherent:bool dose_adherence:float reporting_completeness:float last_log_date:date "
    "days_since_last_log:int baseline_pain:float current_pain:float pain_change:float "
    "pain_change_pct:float improved:bool worsened:bool pain_slope_per_week:float "
    "pain_slope_ci_low:float pain_slope_ci_high:float flags:text priority:text "
    "recent_session_adherence:float ready_to_progress:bool"
)
_WEEKLY = (
    "patient_id:text week_start:date days:int sessions_prescribed:float sessions_done:float "
    "sessions_logged:int session_adherence:float dose_adherence:float mean_pain:float"
)
_FLAGS = "patient_id:text flag:text date:date detail:text"
_EXCLUDED = "source:text row:int patient_id:text date:date exercise_id:text reason:text"
_REJECTS = "source:text row:int column:text value:text reason:text"


def _columns(spec: str) -> dict[str, str]:
    return dict(item.split(":") for item in spec.split())


#: Table name -> {column: kind}, columns in the order they are written.
TABLES: dict[str, dict[str, str]] = {
    "summary": _columns(_SUMMARY),
    "weekly": _columns(_WEEKLY),
    "flags": _columns(_FLAGS),
    "excluded": _columns(_EXCLUDED),
    "rejects": _columns(_REJECTS),
}


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _float(value: Any) -> str:
    return repr(float(value))


def _int(value: Any) -> str:
    number = float(value)
    if not number.is_integer():
        raise AnalysisError(f"{value!r} is not a whole number")
    return str(int(number))


def _date(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _text(value: Any) -> str:
    return spreadsheet_safe(str(value))


def _bool(value: Any) -> str:
    return "true" if bool(value) else "false"


_WRITERS: dict[str, Callable[[Any], str]] = {
    "float": _float,
    "int": _int,
    "date": _date,
    "bool": _bool,
    "text": _text,
}


def format_table(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table's columns, in order, each value as the text written to the CSV file.

    Parameters
    ----------
    frame : DataFrame
        Holds at least the table's columns (others are left out).
    table : str
        ``summary``, ``weekly``, ``flags``, ``excluded`` or ``rejects``.

    Raises
    ------
    AnalysisError
        An unknown table, a missing column, or a count that is not whole.
    """
    if table not in TABLES:
        raise AnalysisError(f"table {table!r} is not known; allowed: {', '.join(TABLES)}")
    kinds = TABLES[table]
    missing = [c for c in kinds if c not in frame.columns]
    if missing:
        raise AnalysisError(f"{table} table: no {', '.join(missing)} column")
    out = {}
    for column, kind in kinds.items():
        write = _WRITERS[kind]
        values = frame[column].astype(object).to_numpy()
        try:
            out[column] = ["" if _missing(v) else write(v) for v in values]
        except AnalysisError as exc:
            raise AnalysisError(f"{table} table, column {column}: {exc}") from None
    return pd.DataFrame(out, columns=list(kinds), dtype=object)


def table_text(frame: pd.DataFrame, table: str) -> str:
    """The table as CSV text (comma-separated, ``\\n`` line ends, a header line)."""
    return format_table(frame, table).to_csv(index=False, lineterminator="\n")


def write_table(frame: pd.DataFrame, path: str | Path, table: str) -> Path:
    """Write the table as a CSV file (UTF-8, atomically) and return its path."""
    path = Path(path)
    atomic_write(path, table_text(frame, table))
    return path
