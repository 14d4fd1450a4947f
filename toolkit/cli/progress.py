"""``hepkit progress PRESCRIPTIONS PATIENT --on DATE``: move a ready patient on to the next routine.

The patient's current period ends the day before DATE and a period on the routine their routine
names as ``next_routine`` starts on DATE. Whether the patient is ready comes from the analysis of
their logs (``--logs``); ``--force`` moves them on without it. Only that patient's rows change;
the previous file is kept in ``.history/`` beside it.

Exit status: 0 changed, 1 refused (not ready, no next routine, or a table with problems),
2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from toolkit.cli.options import add_date_order_options, plain_description

__all__ = ["add_parser", "run"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``progress`` to ``hepkit``'s commands; return its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "progress",
        help="move a patient who is ready on to the routine that follows theirs",
        description=plain_description(__doc__),
    )
    parser.add_argument("prescriptions", type=Path, metavar="PRESCRIPTIONS")
    parser.add_argument("patient", metavar="PATIENT", help="the patient id, as in the table")
    parser.add_argument(
        "--on", required=True, type=_date, metavar="DATE", help="first day of the new routine"
    )
    parser.add_argument(
        "--logs", nargs="+", type=Path, default=[], metavar="FILE", help="the patients' logs"
    )
    parser.add_argument(
        "--as-of", default=None, metavar="DATE", help="date the readiness is judged for"
    )
    parser.add_argument(
        "--today", default=None, metavar="DATE", help="log rows after this date are rejected"
    )
    add_date_order_options(parser)
    parser.add_argument(
        "--routines", type=Path, default=None, metavar="DIR", help="folder of routine files"
    )
    parser.add_argument(
        "--force", action="store_true", help="move the patient on even if not found ready"
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Carry out ``hepkit progress``; return the exit status."""
    from toolkit.analysis.summary import analyse
    from toolkit.errors import HepkitError
    from toolkit.logs.prescriptions import load_routines, read_prescriptions
    from toolkit.logs.reading import read_logs
    from toolkit.report.progress import progress
    from toolkit.routines.library import load_library

    try:
        analysis = None
        if args.logs:
            reading = read_logs(
                args.logs, today=args.today, dayfirst=args.dayfirst, clinic_tz=args.clinic_tz
            )
            prescriptions = read_prescriptions(args.prescriptions, args.routines)
            library = load_library()
            routines = load_routines(prescriptions, library)
            analysis = analyse(reading.logs, prescriptions, routines, library, as_of=args.as_of)
        done = progress(
            args.prescriptions,
            args.patient,
            args.on,
            analysis=analysis,
            force=args.force,
            routines_dir=args.routines,
        )
    except HepkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(done)
    return 0
