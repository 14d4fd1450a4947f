"""A blank log spreadsheet with the canonical header, to type paper tick sheets into.

One row per session: ``patient_id``, ``timestamp`` (the day, ``YYYY-MM-DD``), and what the
tick sheet holds (``completed``, ``pain_before``, ``pain_after``, ``notes``); the other columns
may stay empty. :func:`toolkit.read_logs` reads the filled-in file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from toolkit.errors import ExportError
from toolkit.logs.columns import CANONICAL_COLUMNS

__all__ = ["TEMPLATE_SUFFIXES", "log_template"]

#: File types the blank log is written as, by suffix.
TEMPLATE_SUFFIXES = (".csv", ".xlsx")


def log_template(path: str | Path) -> bytes:
    """The blank log for ``path``'s file type: only the header of :data:`CANONICAL_COLUMNS`.

    Parameters
    ----------
    path : str or Path
        Where it will be written; its suffix (``.csv`` or ``.xlsx``) chooses the format.

    Raises
    ------
    ExportError
        Any other suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(CANONICAL_COLUMNS)
        return text.getvalue().encode("utf-8")
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.worksheets[0]
        sheet.title = "logs"
        sheet.append(list(CANONICAL_COLUMNS))
        sheet.freeze_panes = "A2"
        data = io.BytesIO()
        book.save(data)
        return data.getvalue()
    raise ExportError(
        f"{Path(path).name}: a blank log is written as {' or '.join(TEMPLATE_SUFFIXES)}, "
        f"not {suffix or 'a file without a suffix'!r}"
    )
