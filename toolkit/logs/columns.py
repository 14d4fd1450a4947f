"""The one mapping from the column names found in log files to hepkit's canonical names.

A header is first *normalised*: lower-cased, and every run of characters other than ``a-z``
and ``0-9`` turned into one ``_`` (leading and trailing ``_`` removed), so ``Patient ID``,
``patient-id`` and ``PATIENT_ID`` are all ``patient_id``. The normalised name is then looked
up in :data:`COLUMN_VARIANTS` (analysis spec, section 9). A clinic can add its own names with
a mapping ``{"their header": "canonical name"}``; its entries win over the built-in ones.

``patient_id`` and ``timestamp`` are required: a table without them is not a log, and the
error lists the columns found and the nearest known names. Columns that map to nothing are
ignored and listed in the reading report.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import LogFormatError, MissingColumnsError

__all__ = [
    "CANONICAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "COLUMN_VARIANTS",
    "ColumnMap",
    "normalise_header",
    "map_columns",
]

#: The canonical log columns, in the order of the analysis spec (section 1).
CANONICAL_COLUMNS: tuple[str, ...] = (
    "patient_id",
    "timestamp",
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

REQUIRED_COLUMNS: tuple[str, ...] = ("patient_id", "timestamp")

_VARIANTS: dict[str, tuple[str, ...]] = {
    "patient_id": (
        "patient",
        "patientid",
        "patient_no",
        "patient_number",
        "patient_code",
        "client",
        "client_id",
        "participant",
        "participant_id",
        "subject",
        "subject_id",
    ),
    "timestamp": (
        "date",
        "datetime",
        "date_time",
        "date_and_time",
        "time_stamp",
        "session_date",
        "logged_at",
        "when",
        "effective",
    ),
    "exercise_id": ("exercise", "exerciseid", "exercise_code"),
    "completed": ("complete", "done", "completed_yes_no", "done_yes_no"),
    "sets_done": ("sets", "set", "sets_completed", "number_of_sets"),
    "reps_done": ("reps", "rep", "repetitions", "reps_per_set", "reps_completed", "holds"),
    "duration_s": (
        "duration",
        "duration_sec",
        "duration_secs",
        "duration_seconds",
        "seconds",
        "time_s",
    ),
    "side": ("body_side", "left_right"),
    "pain_before": (
        "pain",
        "pain_0_10",
        "pain_score",
        "pain_nrs",
        "nrs",
        "pain_pre",
        "pain_before_0_10",
        "pain_before_exercise",
        "pain_before_session",
        "nrs_before",
    ),
    "pain_after": (
        "pain_post",
        "pain_after_0_10",
        "pain_after_exercise",
        "pain_after_session",
        "nrs_after",
    ),
    "notes": ("note", "comment", "comments", "remark", "remarks", "patient_notes"),
    "entry_id": ("entry", "id", "record_id", "log_id", "row_id", "entryid"),
}

#: Normalised header -> canonical column. Every canonical name maps to itself.
COLUMN_VARIANTS: dict[str, str] = {
    variant: canonical
    for canonical in CANONICAL_COLUMNS
    for variant in (canonical, *_VARIANTS.get(canonical, ()))
}

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_header(name: str) -> str:
    """Lower-case ``name`` and turn each run of other characters into one ``_``.

    >>> normalise_header("Pain (0-10)")
    'pain_0_10'
    """
    return _NON_ALNUM.sub("_", str(name).lower()).strip("_")


@dataclass(frozen=True)
class ColumnMap:
    """Which column of a file holds each canonical column.

    Attributes
    ----------
    positions : dict of str to int
        Canonical name -> position of the file's column (0-based).
    headers : dict of str to str
        Canonical name -> the header as written in the file (used in rejects).
    ignored : list of str
        Headers that map to no canonical column, in file order.
    """

    positions: dict[str, int]
    headers: dict[str, str]
    ignored: list[str] = field(default_factory=list)


def _clinic_mapping(mapping: Mapping[str, str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for header, canonical in (mapping or {}).items():
        if canonical not in CANONICAL_COLUMNS:
            near = difflib.get_close_matches(str(canonical), CANONICAL_COLUMNS, n=2)
            hint = f" (nearest: {', '.join(near)})" if near else ""
            raise LogFormatError(
                f"mapping {header!r} -> {canonical!r}: {canonical!r} is not a log column{hint}; "
                f"allowed: {', '.join(CANONICAL_COLUMNS)}"
            )
        result[normalise_header(header)] = canonical
    return result


def map_columns(
    headers: Sequence[str],
    source: str | Path,
    mapping: Mapping[str, str] | None = None,
) -> ColumnMap:
    """Find the canonical column behind each header of one file.

    Parameters
    ----------
    headers : sequence of str
        The file's column names, in order.
    source : str or Path
        The file, for error messages.
    mapping : mapping of str to str, optional
        A clinic's own names: header as written (normalised before use) -> canonical name.

    Raises
    ------
    MissingColumnsError
        ``patient_id`` or ``timestamp`` is not among the mapped columns.
    LogFormatError
        Two headers mean the same canonical column, or the mapping names an unknown column.
    """
    known = {**COLUMN_VARIANTS, **_clinic_mapping(mapping)}
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    ignored: list[str] = []
    for position, header in enumerate(headers):
        canonical = known.get(normalise_header(header))
        if canonical is None:
            ignored.append(header)
            continue
        if canonical in positions:
            raise LogFormatError(
                f"{source}: columns {names[canonical]!r} and {header!r} both mean "
                f"{canonical}; rename or remove one of them"
            )
        positions[canonical] = position
        names[canonical] = header
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        candidates = [h for h in headers if h not in names.values()]
        suggestions = {name: _nearest(name, candidates) for name in missing}
        raise MissingColumnsError(source, missing, list(headers), suggestions)
    return ColumnMap(positions, names, ignored)


def _nearest(canonical: str, headers: Sequence[str]) -> list[str]:
    """Headers of the file that look most like any known name of ``canonical``."""
    variants = [v for v, c in COLUMN_VARIANTS.items() if c == canonical]
    scored: dict[str, float] = {}
    for header in headers:
        norm = normalise_header(header)
        if not norm:
            continue
        best = max(difflib.SequenceMatcher(None, norm, v).ratio() for v in variants)
        if best >= 0.6:
            scored[header] = best
    return sorted(scored, key=lambda h: -scored[h])[:3]
