"""Move a patient on to a new routine in the prescriptions file, touching nothing else.

:func:`start_next_period` ends the patient's current period the day before ``on`` and adds a
period on the new routine from ``on`` (open-ended). Every other line of the file is written back
byte for byte; the file is replaced atomically and the old one kept in ``.history/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd

from toolkit.errors import PrescriptionError
from toolkit.logs.formats import sniff_delimiter
from toolkit.logs.prescriptions import prescription_column, read_prescriptions
from toolkit.storage import atomic_write, keep_previous

__all__ = ["start_next_period"]


def _records(text: str, delimiter: str) -> list[tuple[int, int]]:
    """(first, last) physical line index of each CSV record, header included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    spans, previous = [], 0
    for _ in reader:
        spans.append((previous, reader.line_num - 1))
        previous = reader.line_num
    return spans


def start_next_period(
    path: str | Path,
    patient_id: str,
    routine_id: str,
    on: dt.date,
    *,
    routines_dir: str | Path | None = None,
) -> Path:
    """End ``patient_id``'s current period on ``on - 1 day`` and start ``routine_id`` on ``on``.

    Parameters
    ----------
    path : str or Path
        The prescriptions table; CSV only (the file is edited, not rewritten).
    patient_id : str
        The patient, as written in the table.
    routine_id : str
        The routine of the new period (a routine id of the routines folder).
    on : datetime.date
        First day on the new routine.
    routines_dir : str or Path, optional
        Where routine ids are looked up (as :func:`~toolkit.logs.prescriptions.read_prescriptions`).

    Returns
    -------
    Path
        The copy of the previous file in ``.history/``.

    Raises
    ------
    PrescriptionError
        Not a CSV file, an unknown patient, no current period on ``on`` (the patient's last
        period ended before it, or starts on or after it), or a table with problems.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt"):
        raise PrescriptionError(
            f"{path}: only a CSV prescriptions table can be changed; save it as CSV first"
        )
    table = read_prescriptions(path, routines_dir)
    periods = table[table["patient_id"] == patient_id]
    if periods.empty:
        raise PrescriptionError(f"{path}: no patient {patient_id!r} in the prescriptions")
    last = periods.sort_values("start_date").iloc[-1]
    start, end = last["start_date"].date(), last["end_date"]
    if start >= on:
        raise PrescriptionError(
            f"{path}: {patient_id}'s last period starts on {start}; the new routine must start "
            "after it"
        )
    if not pd.isna(end) and end.date() < on - dt.timedelta(days=1):
        raise PrescriptionError(
            f"{path}: {patient_id}'s last period ended on {end.date()}, before {on}; "
            "add a new period by hand"
        )
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    first_line = text.split("\n", 1)[0]
    delimiter, _ = sniff_delimiter(text[:65536])
    lines = text.splitlines(keepends=True)
    spans = _records(text, delimiter)
    header = next(csv.reader([first_line], delimiter=delimiter))
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        canonical = prescription_column(name)
        if canonical is not None:
            columns.setdefault(canonical, i)
    end_column = columns["end_date"]
    record = spans[int(last["row"]) - 1]
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    old_record = "".join(lines[record[0] : record[1] + 1])
    cells = next(csv.reader(io.StringIO(old_record, newline=""), delimiter=delimiter))
    cells += [""] * (len(header) - len(cells))
    cells[end_column] = (on - dt.timedelta(days=1)).isoformat()
    new_cells = [""] * len(header)
    new_cells[columns["patient_id"]] = patient_id
    new_cells[columns["routine"]] = routine_id
    new_cells[columns["start_date"]] = on.isoformat()
    lines[record[0] : record[1] + 1] = [_line(cells, delimiter, newline)]
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    lines.append(_line(new_cells, delimiter, newline))
    copy = keep_previous(path)
    atomic_write(path, (bom + "".join(lines)).encode("utf-8"))
    if copy is None:  # pragma: no cover - the file was read above
        raise PrescriptionError(f"{path}: vanished while it was being changed")
    return copy


def _line(cells: list[str], delimiter: str, newline: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerow(cells)
    return out.getvalue()
