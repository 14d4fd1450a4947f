"""The ``hepkit`` command line: a thin door onto the toolkit's functions.

Exit codes: 0 all good, 1 a problem in the input (every problem printed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import cli_export, cli_logs, cli_report
from .documents import read_document
from .errors import HepkitError, InvalidDocumentError, Problem
from .library import Library, load_exercise, load_library
from .models import Exercise, Routine
from .paths import schema_dir
from .routine import parse_routine, schema_text
from .storage import atomic_write

__all__ = ["main", "build_parser"]


def _validate_one(path: Path, library: Library) -> str:
    """Check one file; return a one-line description of what it is."""
    data = read_document(path)
    if "items" in data or "schema_version" in data:
        routine = parse_routine(data, path, library)
        return f"routine {routine.id!r} version {routine.version}, {len(routine.items)} exercises"
    if "steps" in data or "default_dose" in data:
        exercise = load_exercise(path)
        return f"exercise {exercise.id!r}"
    raise InvalidDocumentError(path, [_UNKNOWN_KIND])


_UNKNOWN_KIND = Problem(
    "", "neither a routine (it has no 'items') nor an exercise (it has no 'steps')", has_value=False
)


def _cmd_validate(args: argparse.Namespace) -> int:
    try:
        library = load_library(*args.library)
    except HepkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            what = _validate_one(path, library)
        except HepkitError as exc:
            print(str(exc), file=sys.stderr)
            status = 1
        else:
            print(f"{path}: valid {what}")
    return status


def _cmd_schema(args: argparse.Namespace) -> int:
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    for name, model in (("routine", Routine), ("exercise", Exercise)):
        target = folder / f"{name}.schema.json"
        atomic_write(target, schema_text(model))
        print(f"wrote {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every ``hepkit`` command."""
    parser = argparse.ArgumentParser(
        prog="hepkit",
        description="Build home exercise routines and read patients' logs, on this machine.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check routine and exercise files (YAML or JSON)"
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument(
        "--library",
        action="append",
        default=[],
        metavar="DIR",
        help="a clinic's own exercise folder, added to the built-in library (repeatable)",
    )
    validate.set_defaults(run=_cmd_validate)

    schema = commands.add_parser("schema", help="write the JSON Schemas of the file formats")
    schema.add_argument("--output", default=str(schema_dir()), metavar="DIR")
    schema.set_defaults(run=_cmd_schema)

    cli_export.add_parser(commands)
    cli_logs.add_parser(commands)
    cli_report.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``hepkit`` with ``argv`` (default: the process arguments); return the exit code."""
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
