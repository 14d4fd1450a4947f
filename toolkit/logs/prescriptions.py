"""Reading the prescriptions table: which routine each patient follows, from when to when.

One row per period (analysis spec, section 1): ``patient_id, routine, start_date, end_date``.
``routine`` is a routine id, found as ``<id>.yaml``, ``.yml`` or ``.json`` in the routines
folder (default ``toolkit/data/routines/``), or a path relative to the prescriptions file. A period
includes its start and end dates; a patient's periods must not share a day, and only the last
may leave ``end_date`` blank (ongoing). Every problem is reported at once, in one
:class:`~toolkit.errors.PrescriptionTableError` whose ``problems`` are
:class:`~toolkit.errors.RowProblem` (row, column, value, reason code, message).
:func:`check_prescriptions` is the same reader for callers that go ahead with the good rows
(the batch export); :func:`load_routines` loads the routines a table names, each file once.

The returned frame, sorted by patient_id then start_date:

============  ==============  ================================================================
column        dtype           meaning
============  ==============  ================================================================
patient_id    str             as written, surrounding spaces removed
routine       str             the routine id or path, as written
start_date    datetime64[us]  first day of the period (midnight)
end_date      datetime64[us]  last day of the period; NaT while ongoing
routine_path  str             the routine file found, absolute
row           int64           row of the prescriptions file (header = row 1)
============  ==============  ================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from toolkit.errors import (
    HepkitError,
    NotALogError,
    PrescriptionTableError,
    Reason,
    RowProblem,
)
from toolkit.logs import values as lv
from toolkit.logs.columns import normalise_header
from toolkit.logs.formats import read_raw
from toolkit.paths import routines_dir as default_routines_dir
from toolkit.routines.library import Library
from toolkit.routines.models import Routine
from toolkit.routines.routine import load_routine

__all__ = [
    "PRESCRIPTION_COLUMNS",
    "prescription_column",
    "PrescriptionCheck",
    "read_prescriptions",
    "check_prescriptions",
    "find_routine",
    "load_routines",
]

PRESCRIPTION_COLUMNS = ("patient_id", "routine", "start_date", "end_date", "routine_path", "row")
ROUTINE_SUFFIXES = (".yaml", ".yml", ".json")

_VARIANTS = {
    "patient_id": ("patient_id", "patient", "patientid", "patient_no", "client_id", "subject_id"),
    "routine": ("routine", "routine_id", "programme", "program", "routine_file"),
    "start_date": ("start_date", "start", "from", "begin", "start_day"),
    "end_date": ("end_date", "end", "to", "until", "stop", "end_day"),
}
_NAMES = {variant: name for name, variants in _VARIANTS.items() for variant in variants}


def find_routine(routine: str, routines_dir: Path, relative_to: Path) -> Path | None:
    """The file of a routine id in ``routines_dir``, or of a path relative to ``relative_to``."""
    for suffix in ROUTINE_SUFFIXES:
        candidate = routines_dir / f"{routine}{suffix}"
        if "/" not in routine and "\\" not in routine and candidate.is_file():
            return candidate.resolve()
    candidate = relative_to / routine
    if candidate.suffix.lower() in ROUTINE_SUFFIXES and candidate.is_file():
        return candidate.resolve()
    return None


@dataclass(frozen=True)
class PrescriptionCheck:
    """A prescriptions table as read: the rows without problems, and every problem.

    Attributes
    ----------
    prescriptions : DataFrame
        The rows without problems (columns: the module's table), sorted by patient and start.
    problems : list of RowProblem
        Every problem, in row order; a row may have several.
    rejected : DataFrame
        The rows with a problem, as far as they could be read (same columns, by row).
    """

    prescriptions: pd.DataFrame
    problems: list[RowProblem]
    rejected: pd.DataFrame


def read_prescriptions(
    path: str | Path, routines_dir: str | Path | None = None, *, dayfirst: bool | None = None
) -> pd.DataFrame:
    """Read and check a prescriptions table (CSV, ``.xlsx`` or Parquet).

    Parameters
    ----------
    path : str or Path
        The prescriptions file.
    routines_dir : str or Path, optional
        Where routine ids are looked up; default the built-in ``toolkit/data/routines/``.
    dayfirst : bool, optional
        Order of dates that are not ISO 8601 (as in :func:`toolkit.read_logs`).

    Raises
    ------
    PrescriptionTableError
        With every problem: missing columns, blank or unknown routines, unreadable dates,
        periods that end before they start, overlap, or an open period that is not the last.
    """
    checked = check_prescriptions(path, routines_dir, dayfirst=dayfirst)
    if checked.problems:
        raise PrescriptionTableError(path, checked.problems)
    return checked.prescriptions


def check_prescriptions(
    path: str | Path, routines_dir: str | Path | None = None, *, dayfirst: bool | None = None
) -> PrescriptionCheck:
    """Read a prescriptions table and keep its rows without problems (pandera's ``lazy=True``).

    Parameters and checks as :func:`read_prescriptions`; a bad row is set aside with its
    problems instead of stopping the whole table.

    Raises
    ------
    PrescriptionTableError
        Only for problems of the whole table: a file that cannot be read as a table, or a
        required column that is missing.
    """
    path = Path(path)
    folder = Path(routines_dir) if routines_dir is not None else default_routines_dir()
    try:
        raw = read_raw(path)
    except NotALogError as exc:
        message = str(exc).removeprefix(f"{path}: ")
        problem = RowProblem(None, None, None, Reason.NOT_A_TABLE, message)
        raise PrescriptionTableError(path, [problem]) from None
    positions: dict[str, int] = {}
    for i, header in enumerate(raw.headers):
        name = _NAMES.get(normalise_header(header))
        if name and name not in positions:
            positions[name] = i
    missing = [name for name in _VARIANTS if name not in positions]
    if missing:
        found_names = ", ".join(repr(h) for h in raw.headers) or "none"
        message = f"no {', no '.join(missing)} column (columns found: {found_names})"
        problem = RowProblem(None, None, None, Reason.MISSING_COLUMN, message)
        raise PrescriptionTableError(path, [problem])
    problems: list[RowProblem] = []

    def cells(name: str) -> pa.Array:
        return raw.columns[positions[name]]

    def report(name: str, mask: np.ndarray, reason: Reason, message: str) -> None:
        text = cells(name).to_pylist()
        column = raw.headers[positions[name]]
        for i in np.flatnonzero(mask):
            problems.append(RowProblem(int(raw.rows[i]), column, text[i], reason, message))

    for row, line, why in raw.broken:
        problems.append(RowProblem(row, None, line, Reason.INVALID, why))
    patients, found = lv.parse_text(cells("patient_id"), required=True, what="patient id")
    routines, found_r = lv.parse_text(cells("routine"), required=True, what="routine")
    for mask, _ in found:
        report("patient_id", mask, Reason.MISSING, "a patient id is required")
    for mask, _ in found_r:
        message = "a routine id is required (a file name in the routines folder)"
        report("routine", mask, Reason.MISSING, message)
    dates: dict[str, np.ndarray] = {}
    for name in ("start_date", "end_date"):
        stamps = lv.parse_timestamps(cells(name), dayfirst=dayfirst)
        for mask, why in stamps.problems:
            code, _, text = why.partition(": ")
            if name == "end_date" and code == Reason.MISSING:
                continue
            message = text.replace(lv.ISO_HINT, "write dates as YYYY-MM-DD")
            report(name, mask, Reason(code), message)
        report(name, stamps.has_time, Reason.INVALID, "a date without a time of day is expected")
        dates[name] = stamps.wall.astype("datetime64[us]")
        if name == "end_date":
            dates[name][np.asarray(pa.array(cells(name)).to_pandas().str.strip() == "")] = (
                np.datetime64("NaT")
            )
    routine_ids = routines.to_pylist()
    paths: list[str | None] = []
    known = sorted(p.stem for p in folder.glob("*") if p.suffix.lower() in ROUTINE_SUFFIXES)
    # Each routine id is looked up once, however many patients follow it.
    located = {r: find_routine(r, folder, path.parent) for r in set(routine_ids) if r}
    for i, routine in enumerate(routine_ids):
        found_path = located[routine] if routine else None
        paths.append(str(found_path) if found_path else None)
        if routine and found_path is None:
            message = (
                f"no routine file {routine}.yaml, .yml or .json in {folder}, nor a routine file "
                f"at that path next to {path.name}; known routines: {', '.join(known) or 'none'}"
            )
            column = raw.headers[positions["routine"]]
            problems.append(
                RowProblem(int(raw.rows[i]), column, routine, Reason.UNKNOWN_ROUTINE, message)
            )
    frame = pd.DataFrame(
        {
            "patient_id": patients.to_pandas(),
            "routine": routines.to_pandas(),
            "start_date": dates["start_date"],
            "end_date": dates["end_date"],
            "routine_path": pd.Series(paths, dtype="str"),
            "row": raw.rows.astype(np.int64),
        }
    )
    headers = {name: raw.headers[i] for name, i in positions.items()}
    problems += _check_periods(frame, headers)
    problems.sort(key=lambda problem: problem.row or 0)
    bad = frame["row"].isin([problem.row for problem in problems])
    good = frame[~bad].sort_values(["patient_id", "start_date"], ignore_index=True)
    return PrescriptionCheck(good, problems, frame[bad].reset_index(drop=True))


def load_routines(
    prescriptions: pd.DataFrame,
    library: Library | None = None,
    *,
    failures: dict[str, HepkitError] | None = None,
) -> dict[str, Routine]:
    """The routine behind each routine id of a prescriptions table, each file loaded once.

    Parameters
    ----------
    prescriptions : DataFrame
        From :func:`read_prescriptions` (``routine``, ``routine_path``).
    library : Library, optional
        When given, every exercise a routine names is checked against it.
    failures : dict, optional
        When given, a routine that cannot be loaded is put here (routine id -> error) and
        left out of the result, instead of stopping at the first one.

    Raises
    ------
    InvalidDocumentError
        A routine file with problems (each located in the file), unless ``failures`` is given.
    """
    by_path: dict[str, Routine | HepkitError] = {}
    routines: dict[str, Routine] = {}
    for routine_id, path in zip(
        prescriptions["routine"], prescriptions["routine_path"], strict=True
    ):
        if routine_id in routines or (failures is not None and routine_id in failures):
            continue
        if path not in by_path:
            try:
                by_path[path] = load_routine(path, library)
            except HepkitError as exc:
                if failures is None:
                    raise
                by_path[path] = exc
        found = by_path[path]
        if isinstance(found, Routine):
            routines[routine_id] = found
        elif failures is not None:
            failures[routine_id] = found
    return routines


def _check_periods(frame: pd.DataFrame, headers: dict[str, str]) -> list[RowProblem]:
    """Periods that end before they start, overlap, or are open but not the last."""
    problems: list[RowProblem] = []
    start_at, end_at = headers["start_date"], headers["end_date"]
    usable = frame.dropna(subset=["patient_id", "start_date"])
    for item in usable[usable["end_date"] < usable["start_date"]].itertuples():
        message = f"ends before it starts ({item.start_date:%Y-%m-%d})"
        value = f"{item.end_date:%Y-%m-%d}"
        problems.append(RowProblem(int(item.row), end_at, value, Reason.ENDS_BEFORE_START, message))
    # Each period against the one before it of the same patient, in start order.
    ordered = usable.sort_values("start_date").sort_values("patient_id", kind="stable")
    earlier = ordered.shift()
    follows = (ordered["patient_id"] == earlier["patient_id"]).to_numpy()
    after_open = follows & earlier["end_date"].isna().to_numpy()
    overlaps = follows & ~after_open & (ordered["start_date"] <= earlier["end_date"]).to_numpy()
    flagged = np.flatnonzero(after_open | overlaps)
    pairs = zip(
        ordered.iloc[flagged].itertuples(), ordered.iloc[flagged - 1].itertuples(), strict=True
    )
    for (item, previous), is_open in zip(pairs, after_open[flagged], strict=True):
        if is_open:
            message = (
                f"only a patient's last period may be open-ended; {item.patient_id} has a "
                f"later period on row {item.row} (from {item.start_date:%Y-%m-%d})"
            )
            row = int(previous.row)
            problems.append(RowProblem(row, end_at, "", Reason.OPEN_NOT_LAST, message))
        else:
            message = (
                f"shares days with the period on row {previous.row} ("
                f"{previous.start_date:%Y-%m-%d} to {previous.end_date:%Y-%m-%d}); "
                "a patient's periods must not overlap"
            )
            value = f"{item.start_date:%Y-%m-%d}"
            problems.append(RowProblem(int(item.row), start_at, value, Reason.OVERLAP, message))
    return problems


def prescription_column(header: str) -> str | None:
    """The canonical prescriptions column a header names (``From`` is start_date), or None."""
    return _NAMES.get(normalise_header(header))
