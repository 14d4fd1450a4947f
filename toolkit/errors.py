"""One small hierarchy of errors, imported by every other module.

Every error says where the problem is (file, row or place in the document), what the bad
value was and what is allowed, so that a clinician can fix the input without reading code.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

__all__ = [
    "HepkitError",
    "Problem",
    "Reason",
    "RowProblem",
    "InvalidDocumentError",
    "DocumentNotReadError",
    "UnknownExerciseError",
    "SaveConflictError",
    "NotALogError",
    "LogFormatError",
    "PrescriptionError",
    "ExportError",
    "UnsafeContentError",
    "MissingColumnsError",
    "PrescriptionTableError",
    "PseudonymisationError",
    "AnalysisError",
    "short_repr",
]

#: The longest value shown in a message. [characters]
SHOWN_VALUE_CHARS = 80


class _BoundedRepr(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 200:  # past ~60 digits: never turn the whole number into text
            digits = int(x.bit_length() * 0.30103) + 1
            return f"<a whole number of about {digits:,} digits>"
        return super().repr_int(x, level)


_BOUNDED = _BoundedRepr()
_BOUNDED.maxlevel = 3
_BOUNDED.maxtuple = _BOUNDED.maxlist = _BOUNDED.maxdict = 6
_BOUNDED.maxset = _BOUNDED.maxfrozenset = _BOUNDED.maxdeque = _BOUNDED.maxarray = 6
_BOUNDED.maxstring = _BOUNDED.maxother = SHOWN_VALUE_CHARS
_BOUNDED.maxlong = 40


def short_repr(value: Any) -> str:
    """``repr(value)`` cut to :data:`SHOWN_VALUE_CHARS`, built without ever writing it whole.

    A nested or huge value (a list of a billion items, a 5,000-digit number) costs no more
    to show than a short one.
    """
    text = _BOUNDED.repr(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 3] + "..."


class HepkitError(Exception):
    """Base of every error hepkit raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a document.

    where : str
        Place in the document, for example ``items[2].dose.reps``; empty for the whole file.
    message : str
        What is wrong and what is allowed.
    value : Any
        The bad value as read, or ``None`` when there is nothing to show.
    has_value : bool
        False when there is no value worth showing after the message.
    kind : str
        The kind of rule broken, as the validator names it (``string_too_short``,
        ``less_than_equal``...); empty when not known. Not part of equality.
    context : dict
        The rule's own numbers (``{"le": 50}``); empty when not known. Not part of equality.
    """

    where: str
    message: str
    value: Any = None
    has_value: bool = True
    kind: str = field(default="", compare=False)
    context: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        place = self.where or "(document)"
        if self.has_value:
            return f"{place}: {self.message} (got {_show(self.value)})"
        return f"{place}: {self.message}"


class Reason(StrEnum):
    """Why a row of a table was refused: a short code that programs can test.

    The first five are the codes that start each ``reason`` of the logs' ``rejects`` table
    (:mod:`toolkit.logs.reading`); the others belong to the prescriptions table.
    """

    MISSING = "missing"
    INVALID = "invalid"
    DATE_ORDER = "date_order"
    FUTURE = "future"
    DUPLICATE = "duplicate"
    #: The table lacks a required column (a problem of the whole table).
    MISSING_COLUMN = "missing_column"
    #: The file cannot be read as a table at all.
    NOT_A_TABLE = "not_a_table"
    #: A prescribed routine with no routine file.
    UNKNOWN_ROUTINE = "unknown_routine"
    #: A period whose end date is before its start date.
    ENDS_BEFORE_START = "ends_before_start"
    #: Two periods of one patient that share days.
    OVERLAP = "overlap"
    #: An open-ended period that is not the patient's last.
    OPEN_NOT_LAST = "open_not_last"


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong in a row of a table, located so that no caller parses the message.

    row : int or None
        Spreadsheet row number (the header is row 1); ``None`` for the whole table.
    column : str or None
        The column's header as written in the file; ``None`` for the whole row or table.
    value : Any
        The bad cell as read (``None`` when there is nothing to show).
    reason : Reason
        Short code of the kind of problem.
    message : str
        What is wrong and what is allowed, for people.
    """

    row: int | None
    column: str | None
    value: Any
    reason: Reason
    message: str

    @property
    def where(self) -> str:
        """``row 3, column start_date``, ``row 3``, or empty for the whole table."""
        parts = [] if self.row is None else [f"row {self.row}"]
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def detail(self) -> str:
        """The problem without its row: ``column end_date: ends before ... (got '...')``."""
        text = self._text()
        return text if self.column is None else f"column {self.column}: {text}"

    def _text(self) -> str:
        return self.message if self.value is None else f"{self.message} (got {_show(self.value)})"

    def __str__(self) -> str:
        return f"{self.where or '(document)'}: {self._text()}"


def _show(value: Any) -> str:
    return short_repr(value)


class InvalidDocumentError(HepkitError, ValueError):
    """A routine or exercise file with one or more problems; all are listed at once."""

    def __init__(self, source: str | Path | None, problems: Sequence[Problem]):
        self.source = str(source) if source is not None else "<memory>"
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{self.source}: {count} {noun}"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class DocumentNotReadError(InvalidDocumentError):
    """A routine or exercise file that could not be read at all (nested thousands of levels
    deep, or holding a number thousands of digits long); one line says why."""

    def __init__(self, source: str | Path | None, reason: str):
        self.reason = reason
        super().__init__(source, [Problem("", f"not read: {reason}", has_value=False)])

    def _message(self) -> str:
        return f"{self.source}: not read: {self.reason}"


class UnknownExerciseError(HepkitError, KeyError):
    """An exercise id that the library does not hold."""

    def __init__(self, exercise_id: str, suggestions: Iterable[str] = ()):
        self.exercise_id = exercise_id
        self.suggestions = list(suggestions)
        super().__init__(exercise_id)

    def __str__(self) -> str:
        hint = (
            "; closest ids: " + ", ".join(self.suggestions)
            if self.suggestions
            else "; no similar id in the library"
        )
        return f"unknown exercise id {self.exercise_id!r}{hint}"


class SaveConflictError(HepkitError):
    """The file on disk changed since it was loaded; saving would lose someone's edits.

    ``busy`` says that another save of the same file was under way. ``message`` replaces the
    default wording, for the editor, whose reader is a clinician and whose buttons it names.
    """

    def __init__(self, path: str | Path, busy: bool = False, message: str | None = None):
        self.path = str(path)
        self.busy = busy
        what = (
            "someone else is saving this file right now"
            if busy
            else "the file changed on disk since it was loaded (someone else saved it)"
        )
        super().__init__(
            message
            or (
                f"{self.path}: {what}; your changes were not saved: reload the file to see the "
                "other changes, or save yours as a new version"
            )
        )


class NotALogError(HepkitError):
    """A file that is not a patient log at all (wrong kind of file, or no usable header)."""


class LogFormatError(HepkitError):
    """A log that cannot be read in the way the caller asked (bad option, bad mapping)."""


class PrescriptionError(HepkitError):
    """A prescriptions table with problems (missing routine, overlapping periods...)."""


class ExportError(HepkitError):
    """A routine that cannot be written in the requested form, or a destination refused."""


class UnsafeContentError(HepkitError):
    """A link or a file path that would be unsafe to put in a handout."""


class MissingColumnsError(NotALogError):
    """A table without the columns it needs; says which columns it has and the nearest names."""

    def __init__(
        self,
        source: str | Path,
        missing: Sequence[str],
        found: Sequence[str],
        suggestions: dict[str, list[str]] | None = None,
        what: str = "log",
    ):
        self.source = str(source)
        self.missing = list(missing)
        self.found = list(found)
        self.suggestions = dict(suggestions or {})
        shown = ", ".join(repr(name) for name in self.found[:20]) or "none"
        if len(self.found) > 20:
            shown += f", ... ({len(self.found)} in all)"
        hints = [
            f"{name}: nearest {', '.join(repr(s) for s in near)}"
            for name, near in self.suggestions.items()
            if near
        ]
        message = (
            f"{self.source}: not a {what}: no {' and no '.join(self.missing)} column "
            f"(columns found: {shown})"
        )
        if hints:
            message += "; " + "; ".join(hints)
        message += "; rename the columns to names hepkit knows (docs/analysis.md, section 9)"
        super().__init__(message)


class PrescriptionTableError(PrescriptionError):
    """A prescriptions table with one or more problems; all are listed at once.

    ``problems`` holds one :class:`RowProblem` per bad cell (``row``, ``column``, ``value``,
    ``reason``), in row order.
    """

    def __init__(self, source: str | Path, problems: Sequence[RowProblem]):
        self.source = str(source)
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{self.source}: {count} {noun} in the prescriptions"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class PseudonymisationError(HepkitError, ValueError):
    """Patient ids cannot be replaced as asked (no salt, no patient_id column)."""


class AnalysisError(HepkitError, ValueError):
    """Inputs the analysis cannot use: a missing column, no as_of, a routine not given."""
