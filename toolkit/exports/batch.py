"""Export for many patients at once, from a prescriptions table.

Each row of the table (``patient_id, routine, start_date, end_date``, or any header the
prescriptions reader accepts) gets a folder named after the patient
(:func:`toolkit.storage.safe_file_stem`), holding the handout PDF, the calendar, the FHIR
CarePlan bundle and the companion page (:mod:`toolkit.exports.companion`). The table is read
and checked by
:func:`toolkit.logs.prescriptions.check_prescriptions` (routines found, dates readable, a
patient's periods not overlapping) and the routines are loaded by
:func:`toolkit.logs.prescriptions.load_routines`; a row that fails those checks, or fails to
export, is reported with its patient, row and reason, and every other patient still gets their
files. An open-ended period (blank ``end_date``) gets a CarePlan without an end and
:data:`OPEN_PERIOD_WEEKS` weeks of calendar. Each handout names its patient on every page and
dates its tick sheet from the start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from toolkit.counts import count_text
from toolkit.errors import HepkitError, Reason, RowProblem
from toolkit.exports.calendar import routine_calendar
from toolkit.exports.companion import companion_html
from toolkit.exports.fhir_plan import care_plan_bundle, fhir_json
from toolkit.exports.formats import handout_pdf, write_new
from toolkit.logs.prescriptions import PrescriptionCheck, check_prescriptions, load_routines
from toolkit.paths import routines_dir as default_routines_dir
from toolkit.routines.library import Library, load_library
from toolkit.routines.models import Routine
from toolkit.storage import safe_file_stem

__all__ = [
    "OPEN_PERIOD_WEEKS",
    "Prescription",
    "PatientExport",
    "BatchFailure",
    "BatchResult",
    "row_failures",
    "patient_folder",
    "export_batch",
]

#: Calendar length of an open-ended prescription (blank end_date). [weeks]
OPEN_PERIOD_WEEKS = 4


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
    """A prescription whose files could not be written, and why.

    ``problems`` holds the located problems of the row when the prescriptions reader found
    them (empty when the export itself failed); ``reason`` says it all for people.
    """

    patient_id: str
    row: int
    reason: str
    problems: tuple[RowProblem, ...] = ()

    def __str__(self) -> str:
        return f"row {self.row}, patient {self.patient_id!r}: {self.reason}"

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """The reason code of each located problem."""
        return tuple(problem.reason for problem in self.problems)


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
        written, failed = count_text(len(self.written)), count_text(len(self.failures))
        lines = [f"{written} exported, {failed} failed"]
        lines += [f"  - {failure}" for failure in self.failures]
        return "\n".join(lines)


def _prescription(record: Any) -> Prescription:
    """A row of the prescriptions frame (from ``itertuples``) as a :class:`Prescription`."""
    return Prescription(
        patient_id=str(record.patient_id),
        routine=str(record.routine),
        start=record.start_date.date(),
        end=None if pd.isna(record.end_date) else record.end_date.date(),
        row=int(record.row),
    )


def row_failures(checked: PrescriptionCheck) -> list[BatchFailure]:
    """One failure per row in which the prescriptions reader found problems, in row order.

    Each failure carries the row's :class:`~toolkit.errors.RowProblem` (row, column, value,
    reason code); its ``reason`` joins their texts.
    """
    patients = dict(zip(checked.rejected["row"], checked.rejected["patient_id"], strict=True))
    by_row: dict[int, list[RowProblem]] = {}
    for problem in checked.problems:
        by_row.setdefault(problem.row or 0, []).append(problem)
    return [
        BatchFailure(
            patient_id="" if pd.isna(patients.get(row)) else str(patients[row]),
            row=row,
            reason="; ".join(problem.detail() for problem in problems),
            problems=tuple(problems),
        )
        for row, problems in sorted(by_row.items())
    ]


def patient_folder(out_dir: Path, patient_id: str) -> Path:
    """The patient's folder inside ``out_dir``, named by :func:`toolkit.storage.safe_file_stem`.

    Any id gives one folder directly inside ``out_dir`` (``a/b`` -> ``a_b_<hash>``), and two
    different ids never share a folder.
    """
    return out_dir.resolve() / safe_file_stem(patient_id)


class _Routines:
    """The batch's routines by id, loaded once each."""

    def __init__(self, prescriptions: pd.DataFrame, library: Library):
        self.library = library
        self.failed: dict[str, HepkitError] = {}
        self.routines = load_routines(prescriptions, library, failures=self.failed)

    def get(self, routine_id: str) -> Routine:
        """The routine of an id as the table has it; its loading error if it had one."""
        if routine_id in self.failed:
            raise self.failed[routine_id]
        return self.routines[routine_id]

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
        folder / f"{stem}_companion.html": companion_html(
            routine, library, patient_id=item.patient_id, start=item.start
        ),
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
        The table (CSV, ``.xlsx`` or Parquet): ``patient_id, routine, start_date, end_date``
        or the other headers :func:`~toolkit.logs.prescriptions.read_prescriptions` accepts
        (dates ``YYYY-MM-DD``; ``routine`` an id in ``routines_dir`` or a path relative to
        the table).
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
    PrescriptionTableError
        The table cannot be read at all (missing file, not a table, missing column).
    """
    folder = Path(routines_dir) if routines_dir is not None else default_routines_dir()
    checked = check_prescriptions(prescriptions_csv, folder)
    rows = sorted(map(_prescription, checked.prescriptions.itertuples()), key=lambda p: p.row)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    library = library if library is not None else load_library()
    routines = _Routines(checked.prescriptions, library)
    result = BatchResult(failures=row_failures(checked))
    for item in tqdm(rows, desc="Exporting", unit="patient", disable=not progress):
        try:
            result.written.append(_export_one(item, out, routines, overwrite))
        except HepkitError as exc:
            result.failures.append(BatchFailure(item.patient_id, item.row, str(exc)))
        except Exception as exc:  # any failure of one patient: record it and go on
            reason = f"{type(exc).__name__}: {exc}"
            result.failures.append(BatchFailure(item.patient_id, item.row, reason))
    result.failures.sort(key=lambda failure: failure.row)
    return result
