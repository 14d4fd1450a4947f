"""The ``hepkit`` command line: a thin door onto the toolkit's functions.

Each command lives in its own module with ``add_parser`` and ``run``; the heavy libraries a
command needs are imported when it runs, so ``hepkit --help`` answers at once.

Exit codes: 0 all good, 1 a problem in the input (every problem printed), 2 a usage error, a
file not read or not written, or an unexpected error (one line, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from toolkit._version import __version__
from toolkit.cli import export, logs, process, progress, report, schema, template, validate

__all__ = ["main", "entry", "build_parser"]

#: The commands, in the order ``hepkit --help`` lists them.
COMMANDS = (validate, export, logs, report, progress, schema, template)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every ``hepkit`` command."""
    parser = argparse.ArgumentParser(
        prog="hepkit",
        description="Build home exercise routines and read patients' logs, on this machine.",
    )
    parser.add_argument("--version", action="version", version=f"hepkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``hepkit`` with ``argv`` (default: the process arguments); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print(f"hepkit {args.command}: stopped", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback: one line, and exit 2 (nothing more done)
        if os.environ.get("HEPKIT_TRACEBACK"):
            raise
        message = str(exc).splitlines()[0][:200] if str(exc) else ""
        print(
            f"hepkit {args.command}: stopped by an unexpected {type(exc).__name__}"
            + (f": {message}" if message else "")
            + " (set HEPKIT_TRACEBACK=1 to see where)",
            file=sys.stderr,
        )
        return 2


def entry() -> None:
    """The ``hepkit`` program: :func:`main` with the process arguments, then exit with its code,
    the process set up and ended by :mod:`toolkit.cli.process`."""
    process.start()
    code = main()
    process.finish()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
