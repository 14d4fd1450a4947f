"""``hepkit validate FILE...``: check routine and exercise files, printing every problem.

Exit codes: 0 every file valid, 1 a problem in a file, 2 a file that could not be read at all
(nested thousands of levels deep, a number thousands of digits long) or a library that could
not be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``validate`` to ``hepkit``'s commands; return its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help="check routine and exercise files (YAML or JSON)",
        description=(
            "Check each FILE, a routine or an exercise, and print every problem found, each "
            "with its place in the file, the bad value and what is allowed."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--library",
        action="append",
        default=[],
        metavar="DIR",
        help="a clinic's own exercise folder, added to the built-in library (repeatable)",
    )
    parser.set_defaults(run=run)
    return parser


def language_warnings(routine: Any) -> list[str]:
    """What a patient would read in the wrong language: a routine in a language other than
    English whose own texts are still English, or a language hepkit has no texts in."""
    from toolkit.routines.catalogue import base_language, catalogue_languages
    from toolkit.routines.routine_texts import untranslated_texts

    language = routine.language
    if base_language(language) not in catalogue_languages():
        return [
            f"language {language!r}: hepkit has no patient texts in it (available: "
            f"{', '.join(catalogue_languages())}); the handout cannot be made in it"
        ]
    english = untranslated_texts(routine)
    if not english:
        return []
    return [
        f"language {language!r} but these texts are in English: {', '.join(english)}; "
        f"add them under translations: {{{base_language(language)}: ...}}"
    ]


def describe_file(path: Path, library: Any, warnings: list[str] | None = None) -> str:
    """Check one file; return a one-line description of what it is, or raise HepkitError.

    Warnings (the file is valid but something needs a look) are added to ``warnings``.
    """
    from toolkit.errors import InvalidDocumentError, Problem
    from toolkit.routines.documents import read_document
    from toolkit.routines.library import load_exercise
    from toolkit.routines.routine import parse_routine

    data = read_document(path)
    if "items" in data or "schema_version" in data:
        routine = parse_routine(data, path, library)
        if warnings is not None:
            warnings += language_warnings(routine)
        return f"routine {routine.id!r} version {routine.version}, {len(routine.items)} exercises"
    if "steps" in data or "default_dose" in data:
        exercise = load_exercise(path)
        return f"exercise {exercise.id!r}"
    unknown = Problem(
        "",
        "neither a routine (it has no 'items') nor an exercise (it has no 'steps')",
        has_value=False,
    )
    raise InvalidDocumentError(path, [unknown])


def run(args: argparse.Namespace) -> int:
    """Carry out ``hepkit validate``; return the exit code."""
    from toolkit.errors import DocumentNotReadError, HepkitError
    from toolkit.routines.library import load_library

    try:
        library = load_library(*args.library)
    except HepkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    status = 0
    for name in args.files:
        path = Path(name)
        warnings: list[str] = []
        try:
            what = describe_file(path, library, warnings)
        except DocumentNotReadError as exc:
            print(str(exc), file=sys.stderr)
            status = 2
        except HepkitError as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, 1)
        else:
            print(f"{path}: valid {what}")
            for warning in warnings:
                print(f"warning: {path}: {warning}")
    return status
