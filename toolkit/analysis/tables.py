"""The report's CSV tables: their columns, in order, and how every value is written.

Analysis spec, section 8: numbers in the shortest form that reads back to the same float
(Python's ``repr``); counts that are whole by definition as integers; fractions as fractions;
dates as ``YYYY-MM-DD``; booleans as ``true``/``false``; a missing value as an empty cell.
Text cells (patient ids, values as typed, details) go through
:func:`~toolkit.storage.spreadsheet_safe`, so that none runs as a formula when the file is
opened in a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import AnalysisError
from toolkit.storage import FORMULA_STARTS, atomic_write, spreadsheet_safe

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


def _float(values: pd.Series, missing: np.ndarray) -> np.ndarray:
    numbers = pd.to_numeric(values.where(~missing), errors="raise").to_numpy(float, na_value=np.nan)
    # Each distinct value written once (by its bits, so -0.0 stays -0.0): a weekly table
    # repeats a few values (7 days, 1.0 adherence) across tens of thousands of rows.
    bits, where = np.unique(numbers.view(np.int64), return_inverse=True)
    return np.array([repr(x) for x in bits.view(np.float64).tolist()], dtype=object)[where]


def _int(values: pd.Series, missing: np.ndarray) -> np.ndarray:
    numbers = pd.to_numeric(values.where(~missing), errors="raise").to_numpy(float, na_value=np.nan)
    whole = np.zeros(len(numbers), dtype=np.int64)
    present = ~missing
    broken = present & (np.mod(numbers, 1, where=present, out=np.zeros_like(numbers)) != 0)
    broken |= present & ~np.isfinite(numbers)
    if broken.any():
        bad = values.astype(object).to_numpy()[int(np.argmax(broken))]
        raise AnalysisError(f"{bad!r} is not a whole number")
    whole[present] = numbers[present]
    return whole.astype(str).astype(object)


def _date(values: pd.Series, missing: np.ndarray) -> np.ndarray:
    stamps = pd.to_datetime(values.where(~missing))
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):  # the date where it was written
        stamps = stamps.dt.tz_localize(None)
    stamps = stamps.to_numpy(dtype="datetime64[ns]")
    return stamps.astype("datetime64[D]").astype(str).astype(object)


def _text(values: pd.Series, missing: np.ndarray) -> np.ndarray:
    text = values.astype(object).where(~missing, "").astype(str).to_numpy(dtype=object)
    first = pd.Series(text, dtype=object).str[:1].to_numpy(dtype=object)
    risky = np.flatnonzero(np.isin(first, FORMULA_STARTS))
    for i in risky:  # the rare cells that may start a formula
        text[i] = spreadsheet_safe(text[i])
    return text


def _bool(values: pd.Series, missing: np.ndarray) -> np.ndarray:
    truth = values.astype(object).where(~missing, False).astype(bool).to_numpy()
    return np.where(truth, "true", "false").astype(object)


#: How each kind of column is written: a whole column at a time, its missing cells left to
#: the caller (they become empty).
_WRITERS: dict[str, Callable[[pd.Series, np.ndarray], np.ndarray]] = {
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
        values = frame[column].reset_index(drop=True)
        missing = values.isna().to_numpy()
        try:
            cells = _WRITERS[kind](values, missing)
        except AnalysisError as exc:
            raise AnalysisError(f"{table} table, column {column}: {exc}") from None
        cells[missing] = ""
        out[column] = cells
    return pd.DataFrame(out, columns=list(kinds), dtype=object)


def table_text(frame: pd.DataFrame, table: str) -> str:
    """The table as CSV text (comma-separated, ``\\n`` line ends, a header line).

    Quoted as Python's :mod:`csv` does by default: a cell holding a comma, a double quote or
    a line break is put in double quotes, its quotes doubled.
    """
    cells = format_table(frame, table)
    columns = [  # only text may hold a comma, a quote or a line break
        _quoted(cells[name].to_numpy(dtype=object)) if kind == "text" else cells[name].tolist()
        for name, kind in TABLES[table].items()
    ]
    header = ",".join(_quoted(np.array(list(cells.columns), dtype=object)))
    lines = [header, *map(",".join, zip(*columns, strict=True))] if columns else [header]
    return "\n".join(lines) + "\n"


def _quoted(cells: np.ndarray) -> list[str]:
    """CSV cells, quoted where needed (numbers, dates and codes never need it)."""
    texts = pd.Series(cells, dtype=object)
    needs = texts.str.contains(r'[,"\n]', regex=True).to_numpy(dtype=bool)
    out = list(cells)
    for i in np.flatnonzero(needs):
        out[i] = '"' + out[i].replace('"', '""') + '"'
    return out


def write_table(frame: pd.DataFrame, path: str | Path, table: str) -> Path:
    """Write the table as a CSV file (UTF-8, atomically) and return its path."""
    path = Path(path)
    atomic_write(path, table_text(frame, table))
    return path
