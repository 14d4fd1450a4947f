"""``hepkit template logs``: write a blank log spreadsheet for typing in paper tick sheets.

::

    hepkit template logs --output FILE.csv|FILE.xlsx [--overwrite]

The file holds only the canonical log header; filled in, one row per session, ``hepkit logs``
and :func:`toolkit.read_logs` read it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["add_parser", "run", "TEMPLATES"]

#: What ``hepkit template`` can write.
TEMPLATES = ("logs",)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``template`` to ``hepkit``'s commands; return its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "template",
        help="write a blank log spreadsheet (CSV or xlsx) to type paper tick sheets into",
        description=(
            "Write a blank file with the canonical log columns, one row per session to fill "
            "in: patient_id, timestamp (YYYY-MM-DD), completed, pain_before, pain_after, notes."
        ),
    )
    parser.add_argument("kind", choices=TEMPLATES, help="what to write: logs")
    parser.add_argument(
        "--output", "-o", required=True, metavar="FILE", help="a .csv or .xlsx file to write"
    )
    parser.add_argument("--overwrite", action="store_true", help="replace an existing file")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Carry out ``hepkit template``; return the exit code."""
    from pathlib import Path

    from toolkit.errors import HepkitError
    from toolkit.exports.formats import write_new
    from toolkit.logs.template import log_template

    path = Path(args.output)
    try:
        write_new({path: log_template(path)}, overwrite=args.overwrite)
    except HepkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0
