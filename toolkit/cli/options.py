"""Command-line options shared by the commands that read patients' logs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

__all__ = ["add_date_order_options", "add_exercise_map_option", "plain_description"]


def add_date_order_options(parser: argparse.ArgumentParser) -> None:
    """``--dayfirst`` / ``--monthfirst`` (one at most) and ``--clinic-tz``."""
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="dayfirst",
        action="store_const",
        const=True,
        default=None,
        help="read dates like 31/12/2026 as day/month/year",
    )
    order.add_argument(
        "--monthfirst",
        dest="dayfirst",
        action="store_const",
        const=False,
        help="read dates like 12/31/2026 as month/day/year",
    )
    parser.add_argument(
        "--clinic-tz",
        metavar="ZONE",
        default=None,
        help="the clinic's time zone, e.g. Europe/Berlin",
    )


def add_exercise_map_option(parser: argparse.ArgumentParser) -> None:
    """``--exercise-map FILE``: the clinic's own exercise ids mapped to the library's."""
    parser.add_argument(
        "--exercise-map",
        metavar="FILE",
        type=Path,
        default=None,
        help="the clinic's exercise ids mapped to the library's: a CSV file with the columns "
        "as_written,exercise_id, or a YAML clinic file with an exercise_aliases: mapping",
    )


def plain_description(doc: str | None) -> str | None:
    """A command's help text from its module docstring: the part after the title, as plain text.

    Double backquotes and Sphinx roles (``:func:`~a.b```) are for the API docs; people reading
    ``hepkit CMD --help`` get the bare words.
    """
    if not doc or "\n\n" not in doc:
        return None
    body = doc.split("\n\n", 1)[1].strip()
    body = re.sub(r":[a-z]+:`~?(?:[\w.]+\.)?([^`]+)`", r"\1", body)
    return body.replace("``", "")
