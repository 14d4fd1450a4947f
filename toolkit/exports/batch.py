"""Export for many patients at once, from a prescriptions table.

Each row of the table (``patient_id, routine, start_date, end_date``) gets a folder named after
the patient, holding the handout PDF, the calendar and the FHIR CarePlan bundle. The table is
checked by :func:`toolkit.logs.prescriptions.read_prescriptions` (routines found, dates readable,
a patient's periods not overlapping); a row that fails those checks, or fails to export, is
reported with its patient, row and reason, and every other patient still gets their files.
An open-ended period (blank ``end_date``) gets a CarePlan without an end and
:data:`OPEN_PERIOD_WEEKS` weeks of calendar. Each handout names its patient on every page and
dates its tick sheet from the start date.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from toolkit.errors import ExportError, HepkitError, PrescriptionError, PrescriptionTableError
from toolkit.exports.calendar import routine_calendar
from toolkit.exports.fhir_plan import care_plan_bundle, fhir_json
from toolkit.exports.formats import handout_pdf, write_new
from toolkit.logs.prescriptions import find_routine, read_prescriptions
from toolkit.paths import routines_dir as default_routines_dir
from toolkit.routines.library import Library, load_library
from toolkit.routines.models import Routine
from toolkit.routines.routine import load_routine

__all__ = [
    "PRESCRIPTION_COLUMNS",
    "OPEN_PERIOD_WEEKS",
    "Prescription",
    "PatientExport",
    "BatchFailure",
    "BatchResult",
    "read_prescription_rows",
    "checked_prescriptions",
    "patient_folder",
    "export_batch",
]

#: Columns the prescriptions CSV must have (others are ignored).
PRESCRIPTION_COLUMNS = ("patient_id", "routine", "start_date", "end_date")

#: Calendar length of an open-ended prescription (blank end_date). [weeks]
OPEN_PERIOD_WEEKS = 4

_SAFE_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ROW = re.compile(r"^row (\d+)\b")


@dataclass(frozen=True)
class Prescription:
    """One row of the prescriptions table: who does which routine, from when to when.

    ``end`` is ``None`` for an open-ended period; ``row`` counts the header as row 1.
    """

    patient_id: str
    routine: str
    start: dt.date
    end: dt.date | None
    row: int


@dataclass(frozen=True)
class PatientExport:
    """The files written for one prescription."""

    patient_id: str
    row: int
    folder: Path
    files: tuple[Path, ...]


@dataclass(frozen=True)
class BatchFailure:
    """A prescription whose files could not be written, and why."""

    patient_id: str
    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, patient {self.patient_id!r}: {self.reason}"


@dataclass
class BatchResult:
    """What :func:`export_batch` did: files written per patient, and each failure."""

    written: list[PatientExport] = field(default_factory=list)
    failures: list[BatchFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every prescription was exported."""
        return not self.failures

    def summary(self) -> str:
        """A few lines for people: counts, then one line per failure."""
        lines = [f"{len(self.written)} exported, {len(self.failures)} failed"]
        lines += [f"  - {failure}" for failure in self.failures]
        return "\n".join(lines)


def _date(text: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a date; write it as YYYY-MM-DD") from None


def read_prescription_rows(
    path: str | Path,
) -> tuple[list[Prescription], list[BatchFailure]]:
    """Read a prescriptions CSV row by row: good rows, and a failure for each bad one.

    Only each row's own cells are checked here; :func:`checked_prescriptions` adds the
    table-wide checks.

    Parameters
    ----------
    path : str or Path
        CSV with a header holding :data:`PRESCRIPTION_COLUMNS`; dates as ``YYYY-MM-DD``.

    Raises
    ------
    PrescriptionError
        The file is missing or its header lacks a required column.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise PrescriptionError(f"{path}: prescriptions file not found") from None
    rows: list[Prescription] = []
    failures: list[BatchFailure] = []
    with handle:
        reader = csv.DictReader(handle, skipinitialspace=True)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [c for c in PRESCRIPTION_COLUMNS if c not in header]
        if missing:
            raise PrescriptionError(
                f"{path}: missing column(s) {', '.join(missing)}; the header must have "
                f"{', '.join(PRESCRIPTION_COLUMNS)} (found: {', '.join(header) or 'nothing'})"
            )
        reader.fieldnames = header
        for record in reader:
            values = {c: (record.get(c) or "").strip() for c in PRESCRIPTION_COLUMNS}
            if not any(values.values()):
                continue
            try:
                empty = [c for c, v in values.items() if not v and c != "end_date"]
                if empty:
                    raise ValueError(f"empty {', '.join(empty)}")
                start = _date(values["start_date"], "start_date")
                end = _date(values["end_date"], "end_date") if values["end_date"] else None
                if end is not None and end < start:
                    raise ValueError(f"end_date {end} is before start_date {start}")
            except ValueError as exc:
                failures.append(BatchFailure(values["patient_id"], reader.line_num, str(exc)))
                continue
            rows.append(
                Prescription(values["patient_id"], values["routine"], start, end, reader.line_num)
            )
    return rows, failures


def checked_prescriptions(
    path: str | Path, routines_dir: Path
) -> tuple[list[Prescription], list[BatchFailure]]:
    """Prescriptions that pass every check, and a failure for each row that does not.

    :func:`~toolkit.logs.prescriptions.read_prescriptions` checks the whole table at once. When it
    finds problems, the rows it names are failures and the other rows of the CSV go ahead.

    Raises
    ------
    PrescriptionError
        A problem with the table as a whole (missing file or column), or problems in a table
        that is not a CSV and so cannot be taken row by row.
    """
    path = Path(path)
    try:
        frame = read_prescriptions(path, routines_dir)
    except PrescriptionTableError as exc:
        flagged: dict[int, list[str]] = {}
        for problem in exc.problems:
            found = _ROW.match(problem.where)
            if found is None or path.suffix.lower() != ".csv":
                raise
            reason = str(problem)[found.end() :].lstrip(", ")
            flagged.setdefault(int(found.group(1)), []).append(reason)
        rows, failures = read_prescription_rows(path)
        patients = {item.row: item.patient_id for item in rows}
        patients |= {failure.row: failure.patient_id for failure in failures}
        failures = [f for f in failures if f.row not in flagged]
        failures += [
            BatchFailure(patients.get(row, ""), row, "; ".join(reasons))
            for row, reasons in flagged.items()
        ]
        return [r for r in rows if r.row not in flagged], failures
    rows = [
        Prescription(
            patient_id=record.patient_id,
            routine=record.routine_path,
            start=record.start_date.date(),
            end=None if pd.isna(record.end_date) else record.end_date.date(),
            row=int(record.row),
        )
        for record in frame.itertuples()
    ]
    return sorted(rows, key=lambda item: item.row), []


def patient_folder(out_dir: Path, patient_id: str) -> Path:
    """The patient's folder inside ``out_dir``; an id that is not a safe name is refused.

    Raises
    ------
    ExportError
        Ids other than 1-64 letters, digits, ``.``, ``_`` and ``-`` (starting with a letter
        or digit), so no id can climb out of ``out_dir`` or name a hidden folder.
    """
    if not _SAFE_FOLDER.match(patient_id) or ".." in patient_id:
        raise ExportError(
            f"patient_id {patient_id!r} cannot be used as a folder name; use 1 to 64 letters, "
            "digits, '.', '_' or '-', starting with a letter or digit"
        )
    folder = (out_dir / patient_id).resolve()
    if not folder.is_relative_to(out_dir.resolve()):  # pragma: no cover - the pattern forbids it
        raise ExportError(f"patient_id {patient_id!r} leads outside {out_dir}")
    return folder


class _Routines:
    """Routines by id, each loaded once per batch."""

    def __init__(self, folder: Path, library: Library, table: Path):
        self.folder = folder
        self.library = library
        self.table = table
        self._routines: dict[str, Routine | HepkitError] = {}

    def get(self, routine_id: str) -> Routine:
        """The routine of an id in the routines folder, or of a path (as the table has it)."""
        if routine_id not in self._routines:
            path = find_routine(routine_id, self.folder, self.table.parent)
            try:
                if path is None:
                    raise ExportError(f"routine {routine_id!r} not found in {self.folder}")
                self._routines[routine_id] = load_routine(path, self.library)
            except HepkitError as exc:
                self._routines[routine_id] = exc
        found = self._routines[routine_id]
        if isinstance(found, HepkitError):
            raise found
        return found

    def pdf(self, item: Prescription) -> bytes:
        """The patient's handout: their id on every page, the tick sheet dated from the start."""
        return handout_pdf(
            self.get(item.routine),
            self.library,
            patient_id=item.patient_id,
            start=item.start,
            end=item.end,
        )


def _export_one(
    item: Prescription, out_dir: Path, routines: _Routines, overwrite: bool
) -> PatientExport:
    folder = patient_folder(out_dir, item.patient_id)
    routine = routines.get(item.routine)
    library = routines.library
    stem = f"{routine.id}_{item.start.isoformat()}"
    calendar = routine_calendar(
        routine,
        library,
        start=item.start,
        end=item.end,
        weeks=OPEN_PERIOD_WEEKS,
        patient_id=item.patient_id,
    )
    bundle = care_plan_bundle(routine, library, item.patient_id, item.start, item.end)
    targets: dict[Path, bytes | str] = {
        folder / f"{stem}_handout.pdf": routines.pdf(item),
        folder / f"{stem}_calendar.ics": calendar,
        folder / f"{stem}_careplan.fhir.json": fhir_json(bundle),
    }
    files = write_new(targets, overwrite=overwrite)
    return PatientExport(item.patient_id, item.row, folder, tuple(files))


def export_batch(
    prescriptions_csv: str | Path,
    out_dir: str | Path,
    *,
    routines_dir: str | Path | None = None,
    library: Library | None = None,
    progress: bool = True,
    overwrite: bool = False,
) -> BatchResult:
    """Write handout, calendar and FHIR CarePlan for every patient in a prescriptions CSV.

    Parameters
    ----------
    prescriptions_csv : str or Path
        The table: ``patient_id, routine, start_date, end_date`` (dates ``YYYY-MM-DD``;
        ``routine`` an id in ``routines_dir`` or a path relative to the table).
    out_dir : str or Path
        Where the patients' folders go; made if missing.
    routines_dir : str or Path, optional
        Folder of routine files, ``<routine>.yaml`` (or ``.yml``, ``.json``); default
        :func:`toolkit.paths.routines_dir`.
    library : Library, optional
        Default the built-in library.
    progress : bool
        Show a progress bar (on standard error).
    overwrite : bool
        Replace files left by an earlier run.

    Returns
    -------
    BatchResult
        Files written per patient; a failure (patient, CSV line, reason) for every row that
        could not be exported, the others being written all the same.

    Raises
    ------
    PrescriptionError
        The table cannot be read at all (missing file or column).
    """
    folder = Path(routines_dir) if routines_dir is not None else default_routines_dir()
    rows, failures = checked_prescriptions(prescriptions_csv, folder)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    library = library if library is not None else load_library()
    routines = _Routines(folder, library, Path(prescriptions_csv))
    result = BatchResult(failures=failures)
    for item in tqdm(rows, desc="Exporting", unit="patient", disable=not progress):
        try:
            result.written.append(_export_one(item, out, routines, overwrite))
        except HepkitError as exc:
            result.failures.append(BatchFailure(item.patient_id, item.row, str(exc)))
        except (OSError, ValueError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            result.failures.append(BatchFailure(item.patient_id, item.row, reason))
    result.failures.sort(key=lambda failure: failure.row)
    return result
