"""``hepkit schema``: write the JSON Schemas of the routine and exercise formats."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from toolkit.paths import schema_dir

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``schema`` to ``hepkit``'s commands; return its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "schema",
        help="write the JSON Schemas of the file formats",
        description="Write routine.schema.json and exercise.schema.json, made from the models.",
    )
    parser.add_argument(
        "--output",
        default=str(schema_dir()),
        metavar="DIR",
        help="folder to write into (default: the package's own schema folder)",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Carry out ``hepkit schema``; return the exit code."""
    from toolkit.routines.models import Exercise, Routine
    from toolkit.routines.routine import schema_text
    from toolkit.storage import atomic_write

    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    for name, model in (("routine", Routine), ("exercise", Exercise)):
        target = folder / f"{name}.schema.json"
        atomic_write(target, schema_text(model))
        print(f"wrote {target}")
    return 0
