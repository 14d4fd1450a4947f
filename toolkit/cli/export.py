"""``hepkit export``: one routine to one format, or every patient of a prescriptions table.

::

    hepkit export ROUTINE --format FMT --output PATH [--overwrite] [--with-schema]
    hepkit export --prescriptions CSV --output DIR

Exit codes as for every ``hepkit`` command: 0 all good, 1 a problem in the input (every
problem printed, for a batch one line per failed patient), 2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from toolkit.exports.names import FORMATS
from toolkit.handouts.paper import PAPER_SIZES

__all__ = ["add_parser", "run"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def _times(text: str) -> list[dt.time]:
    try:
        return [dt.time.fromisoformat(part.strip()) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of times; use HH:MM, comma-separated (09:00,18:00)"
        ) from None


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``export`` command to ``hepkit``'s sub-command parsers; return its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="write a routine as a file, handout, FHIR or calendar; or a batch of patients",
        description=(
            "Write ROUTINE (a routine file, or the id of a routine in the routines folder) in "
            "one format, or, with --prescriptions, one folder per patient with handout PDF, "
            "calendar and FHIR CarePlan. Existing files are never replaced without --overwrite."
        ),
    )
    parser.add_argument("routine", nargs="?", metavar="ROUTINE")
    parser.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        dest="fmt",
        metavar="FMT",
        help=f"one of {', '.join(FORMATS)}",
    )
    parser.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="PATH",
        help="file to write (a folder with --prescriptions)",
    )
    parser.add_argument("--overwrite", action="store_true", help="replace existing files")
    parser.add_argument(
        "--with-schema",
        action="store_true",
        help="yaml/json: also write the JSON Schema beside the file",
    )
    parser.add_argument(
        "--prescriptions",
        metavar="CSV",
        help="patient_id, routine, start_date, end_date: export every row",
    )
    parser.add_argument("--routines", metavar="DIR", help="folder of routine files (batch)")
    parser.add_argument(
        "--library",
        action="append",
        default=[],
        metavar="DIR",
        help="a clinic's own exercise folder, added to the built-in library",
    )
    parser.add_argument(
        "--paper", choices=list(PAPER_SIZES), default="a4", help="html/pdf page size (default a4)"
    )
    parser.add_argument(
        "--clinic",
        metavar="FILE",
        help="html/pdf: the clinic's details (default: clinic.yaml in the workspace)",
    )
    parser.add_argument(
        "--patient",
        metavar="ID",
        help="fhir: patient id for a CarePlan; html/pdf: on each page; companion: in the log",
    )
    parser.add_argument(
        "--start",
        type=_date,
        metavar="DATE",
        help="fhir/ics/companion: first day; html/pdf: tick sheet",
    )
    parser.add_argument(
        "--end", type=_date, metavar="DATE", help="fhir/ics: last day; html/pdf: tick sheet"
    )
    parser.add_argument("--weeks", type=int, default=4, help="ics without --end (default 4)")
    parser.add_argument(
        "--times", type=_times, metavar="HH:MM,...", help="ics: start time of each session of a day"
    )
    parser.add_argument(
        "--reminder",
        type=int,
        default=15,
        metavar="MIN",
        help="ics: minutes of warning before each session (default 15)",
    )
    parser.add_argument(
        "--language",
        metavar="LANG",
        help="html/pdf/companion/ics: the patient's language, e.g. es (default: the routine's)",
    )
    parser.add_argument("--no-progress", action="store_true", help="batch: no progress bar")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Carry out ``hepkit export``; return the exit code."""
    from toolkit.errors import HepkitError
    from toolkit.exports.batch import export_batch
    from toolkit.exports.formats import export
    from toolkit.routines.clinic import handout_clinic, load_clinic, sample_clinic_warning
    from toolkit.routines.library import load_library
    from toolkit.routines.routine import load_routine

    if (args.routine is None) == (args.prescriptions is None):
        print("error: give either ROUTINE (with --format) or --prescriptions CSV", file=sys.stderr)
        return 2
    if args.prescriptions is not None and args.clinic is not None:
        print(
            "error: --clinic is for one routine; a batch names the clinic of clinic.yaml in "
            "the workspace",
            file=sys.stderr,
        )
        return 2
    if args.routine is not None and args.fmt is None:
        print(f"error: --format is required; one of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    try:
        library = load_library(*args.library)
        clinic = load_clinic(args.clinic) if args.clinic is not None else None
        if args.prescriptions is not None:
            result = export_batch(
                args.prescriptions,
                args.output,
                routines_dir=args.routines,
                library=library,
                progress=not args.no_progress,
                overwrite=args.overwrite,
            )
            print(result.summary(), file=sys.stdout if result.ok else sys.stderr)
            return 0 if result.ok else 1
        routine = load_routine(args.routine, library)
        written = export(
            routine,
            args.fmt,
            args.output,
            library=library,
            overwrite=args.overwrite,
            with_schema=args.with_schema,
            paper=args.paper,
            patient_id=args.patient,
            start=args.start,
            end=args.end,
            weeks=args.weeks,
            times=args.times,
            reminder_min=args.reminder,
            clinic=clinic,
            language=args.language,
        )
        if args.fmt in ("html", "pdf"):
            warning = sample_clinic_warning(handout_clinic(routine.clinic, clinic))
            if warning:
                print(warning, file=sys.stderr)
    except HepkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"error: {exc.filename or args.output}: not written ({exc.strerror})", file=sys.stderr
        )
        return 2
    print(f"wrote {written}")
    return 0
