"""``hepkit report LOGS... --prescriptions P --output DIR``: the clinic report of a cohort.

Writes summary.csv, weekly.csv, flags.csv, excluded.csv, rejects.csv, the charts,
report.html and report.pdf into the output folder (see :mod:`toolkit.report.clinic_report`).
With ``--engine dask``, LOGS is one dataset written by ``hepkit logs FILES... --to-parquet
DIR``, analysed bucket by bucket on Dask: on a local cluster sized to this machine, or on the
cluster at ``--scheduler ADDRESS`` (see docs/scale.md); the tables are the same as with the
default ``--engine pandas``, and patient pages are drawn here from the paged patients' rows.

Exit status: 0 when everything was written and every log row was read, 1 when everything was
written but some log rows were rejected (they are in rejects.csv), 2 for a usage error, a file
that is not a log, a prescriptions table or routine with problems, or a report that exists
already.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from toolkit.cli.options import add_date_order_options, add_exercise_map_option, plain_description

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``report`` command to an ``argparse`` subparsers object; returns its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="analyse patients' logs and write the clinic report (CSV tables, charts, HTML, PDF)",
        description=plain_description(__doc__),
    )
    parser.add_argument(
        "logs", nargs="+", type=Path, metavar="LOGS", help="CSV, .xlsx, Parquet or FHIR log files"
    )
    parser.add_argument(
        "--prescriptions",
        required=True,
        type=Path,
        metavar="P",
        help="prescriptions table: patient_id, routine, start_date, end_date",
    )
    parser.add_argument(
        "--routines",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of routine files; default the built-in routines",
    )
    parser.add_argument(
        "--as-of",
        default=None,
        metavar="DATE",
        help="the date the figures are for (YYYY-MM-DD); default the latest log date",
    )
    parser.add_argument(
        "--today",
        default=None,
        metavar="DATE",
        help="log rows after this date (YYYY-MM-DD) are rejected; default today",
    )
    add_date_order_options(parser)
    add_exercise_map_option(parser)
    parser.add_argument(
        "--output", required=True, type=Path, metavar="DIR", help="folder to write the report into"
    )
    parser.add_argument(
        "--engine",
        choices=("pandas", "dask"),
        default="pandas",
        help="pandas (default): log files read into memory; dask: one Parquet logs dataset",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="with --engine dask: the Dask scheduler to connect to (tcp://host:8786); "
        "default a local cluster of one worker per core",
    )
    parser.add_argument("--no-pdf", action="store_true", help="write no report.pdf")
    parser.add_argument(
        "--overwrite", action="store_true", help="replace the files of an earlier report"
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Carry out ``hepkit report``; returns the exit status."""
    from toolkit.analysis.unmatched import unmatched_warning
    from toolkit.errors import HepkitError
    from toolkit.logs.exercise_map import read_exercise_map
    from toolkit.report.clinic_report import make_report
    from toolkit.routines.library import load_library

    if args.engine == "dask":
        return _run_dask(args)
    if args.scheduler is not None:
        print("hepkit report: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    try:
        library = load_library()
        exercise_map = None
        if args.exercise_map is not None:
            exercise_map = read_exercise_map(args.exercise_map, library.ids)
        result = make_report(
            args.logs,
            args.prescriptions,
            args.output,
            routines_dir=args.routines,
            as_of=args.as_of,
            today=args.today,
            dayfirst=args.dayfirst,
            clinic_tz=args.clinic_tz,
            pdf=not args.no_pdf,
            overwrite=args.overwrite,
            library=library,
            exercise_map=exercise_map,
        )
    except HepkitError as exc:
        print(f"hepkit report: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = exc.filename or args.output
        print(f"hepkit report: {where}: not written ({exc.strerror or exc})", file=sys.stderr)
        return 2
    if result.unmatched is not None and len(result.unmatched):
        print(f"hepkit report: warning: {unmatched_warning(result.unmatched)}", file=sys.stderr)
    return _summarise(args, result)


def _run_dask(args: argparse.Namespace) -> int:
    """``hepkit report DATASET --engine dask``: the analysis on a Dask cluster."""
    from toolkit.cli.cluster import dashboard_link, dask_client
    from toolkit.errors import HepkitError
    from toolkit.report.dataset_report import make_dataset_report

    if len(args.logs) != 1:
        print(
            f"hepkit report: --engine dask reads one logs dataset, not {len(args.logs)} paths; "
            "make one with hepkit logs FILES... --to-parquet DIR",
            file=sys.stderr,
        )
        return 2
    if args.today is not None or args.clinic_tz is not None:
        print(
            "hepkit report: --today and --clinic-tz apply when reading log files; with "
            "--engine dask give them to hepkit logs --to-parquet",
            file=sys.stderr,
        )
        return 2
    try:
        with dask_client(args.scheduler) as client:
            link = dashboard_link(client, args.scheduler)
            if link:
                print(f"Dask dashboard: {link}", flush=True)
            result = make_dataset_report(
                args.logs[0],
                args.prescriptions,
                args.output,
                client=client,
                routines_dir=args.routines,
                as_of=args.as_of,
                dayfirst=args.dayfirst,
                progress=True,
                pdf=not args.no_pdf,
                overwrite=args.overwrite,
            )
    except HepkitError as exc:
        print(f"hepkit report: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = exc.filename or args.output
        print(f"hepkit report: {where}: not written ({exc.strerror or exc})", file=sys.stderr)
        return 2
    return _summarise(args, result)


def _summarise(args: argparse.Namespace, result: Any) -> int:
    """Print what was written; 1 when some log rows were rejected."""
    from toolkit.counts import count_text
    from toolkit.report.banner import likely_fix
    from toolkit.report.words import PRIORITY_GROUPS

    summary = result.analysis.summary
    print(
        f"Report as of {result.analysis.as_of:%Y-%m-%d}: {count_text(len(summary))} patients, "
        f"{count_text(len(result.attention))} with flags; "
        f"{count_text(len(result.files))} files written to {args.output}"
    )
    print(f"  {result.html}")
    if result.pdf is not None:
        print(f"  {result.pdf}")
    headings = dict(PRIORITY_GROUPS)
    for key, heading in headings.items():
        members = result.actions.loc[result.actions["group"] == heading, "patient_id"]
        if len(members) and key in ("urgent", "review", "ready"):
            shown = ", ".join(members.astype(str).head(10))
            more = f" and {count_text(len(members) - 10)} more" if len(members) > 10 else ""
            print(f"{heading}: {shown}{more}")
    for warning in result.warnings:
        print(f"hepkit report: {warning}", file=sys.stderr)
    if result.rejected_rows:
        print(
            f"{count_text(result.rejected_rows)} log rows could not be read and are left out of "
            f"every figure; they are listed in {result.tables['rejects']}"
        )
        fix = likely_fix(result.reading.report.reasons)
        if fix:
            print(f"Likely fix: {fix}")
        return 1
    return 0
