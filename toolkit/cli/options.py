"""Command-line options shared by the commands that read patients' logs."""

from __future__ import annotations

import argparse

__all__ = ["add_date_order_options"]


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
