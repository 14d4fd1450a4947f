"""``hepkit logs FILE...``: check log exports before analysing them.

Prints the reading report and, with ``--rejects PATH``, writes every rejected row to a CSV
file (``source,row,column,value,reason``), atomically; it never writes over one of the logs
read, nor over an existing file unless ``--overwrite``. With ``--to-parquet DIR`` the rows used
are written to (or appended to) a Parquet logs dataset partitioned by patient, for
``hepkit report DIR --engine dask``; its rejects and reading reports are kept beside it, and
rows already in the dataset are left out. Exit status: 0 when every row was
read, 1 when some rows were rejected, 2 for a file that is not a log or a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from toolkit.cli.options import add_date_order_options, add_exercise_map_option, plain_description

__all__ = ["add_parser", "run", "SHOWN_REJECTS"]

#: Rejects printed when they are not written to a file.
SHOWN_REJECTS = 10


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``logs`` command to an ``argparse`` subparsers object; returns its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "logs",
        help="read patients' log files and report what could and could not be used",
        description=plain_description(__doc__),
    )
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="CSV, .xlsx, Parquet or FHIR Bundle log files",
    )
    add_date_order_options(parser)
    add_exercise_map_option(parser)
    parser.add_argument(
        "--today",
        metavar="DATE",
        default=None,
        help="rows after this date (YYYY-MM-DD) are rejected; default today",
    )
    parser.add_argument(
        "--rejects",
        metavar="PATH",
        type=Path,
        default=None,
        help="write the rejected rows to this CSV file (never one of the logs read)",
    )
    parser.add_argument(
        "--to-parquet",
        metavar="DIR",
        type=Path,
        default=None,
        help="write the rows used to this Parquet logs dataset (made, or appended to)",
    )
    parser.add_argument(
        "--buckets",
        type=int,
        default=None,
        metavar="N",
        help="buckets of a new --to-parquet dataset (default 64); an existing one keeps its own",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the --rejects file if it exists",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Carry out ``hepkit logs``; returns the exit status."""
    from toolkit.analysis.tables import write_table
    from toolkit.counts import count_text
    from toolkit.errors import HepkitError, LogFormatError, NotALogError
    from toolkit.logs.exercise_map import read_exercise_map, unknown_exercises
    from toolkit.logs.reading import read_logs
    from toolkit.routines.library import load_library
    from toolkit.storage import refuse_to_write_over

    if args.buckets is not None and (args.to_parquet is None or args.buckets < 1):
        print(
            "hepkit logs: --buckets takes a whole number of 1 or more, with --to-parquet",
            file=sys.stderr,
        )
        return 2
    if args.rejects is not None:
        try:
            refuse_to_write_over([args.rejects], args.files, overwrite=args.overwrite)
        except FileExistsError as exc:
            print(f"hepkit logs: {exc}", file=sys.stderr)
            return 2
    try:
        library_ids = load_library().ids
        exercise_map = None
        if args.exercise_map is not None:
            exercise_map = read_exercise_map(args.exercise_map, library_ids)
        reading = read_logs(
            args.files,
            dayfirst=args.dayfirst,
            clinic_tz=args.clinic_tz,
            today=args.today,
            exercise_map=exercise_map,
        )
    except (NotALogError, LogFormatError) as exc:
        print(f"hepkit logs: {exc}", file=sys.stderr)
        return 2
    except HepkitError as exc:  # pragma: no cover - any other located error is a usage error
        print(f"hepkit logs: {exc}", file=sys.stderr)
        return 2
    rejects, report = reading.rejects, reading.report
    print(report)
    if args.to_parquet is not None:
        from toolkit.logs.dataset import DEFAULT_BUCKETS, write_logs_dataset

        try:
            written = write_logs_dataset(
                reading, args.to_parquet, buckets=args.buckets or DEFAULT_BUCKETS
            )
        except LogFormatError as exc:
            print(f"hepkit logs: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"hepkit logs: {args.to_parquet}: not written ({exc.strerror})", file=sys.stderr)
            return 2
        print(written)
    unknown = unknown_exercises(reading.logs["exercise_id"], library_ids)
    if unknown:
        print(f"hepkit logs: warning: {unknown}", file=sys.stderr)
    if args.rejects is not None:
        try:
            write_table(rejects, args.rejects, "rejects")
        except OSError as exc:
            print(f"hepkit logs: {args.rejects}: not written ({exc.strerror})", file=sys.stderr)
            return 2
        print(f"rejected rows written to {args.rejects} ({count_text(len(rejects))} lines)")
    elif len(rejects):
        print("first rejects:")
        for item in rejects.head(SHOWN_REJECTS).itertuples(index=False):
            column = f", {item.column}" if item.column else ""
            print(f"  {item.source} row {item.row}{column}: {item.value!r}: {item.reason}")
        if len(rejects) > SHOWN_REJECTS:
            more = count_text(len(rejects) - SHOWN_REJECTS)
            print(f"  ... {more} more; use --rejects PATH to write all")
    return 1 if report.rows_rejected else 0
