"""The banner at the top of the clinic report: what looks wrong with the data, in words.

:func:`data_warnings` says when no log row could be used, when prescribed patients have no log
row at all, and when a patient's exercise ids too often match no exercise of their routine;
:func:`likely_fix` names, in command-line terms, the fix of the commonest reasons rows are
rejected.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from toolkit.analysis.summary import Analysis
from toolkit.analysis.unmatched import unmatched_warning
from toolkit.counts import count_text
from toolkit.logs.reading import LogReading
from toolkit.report.words import reject_words

__all__ = ["UNMATCHED_OPTION", "data_warnings", "likely_fix"]

#: How the report's banner says an exercise map is given.
UNMATCHED_OPTION = "an exercise map (hepkit report --exercise-map FILE)"


def likely_fix(reasons: Mapping[str, int]) -> str | None:
    """The likely fix of rejected rows, in command-line terms, from their reason codes.

    Parameters
    ----------
    reasons : mapping of str to int
        Rejected rows by reason code (``LogReport.reasons``). [rows]

    Returns
    -------
    str or None
        ``date_order``: the dates look like 31/12/2026 and need an order; ``future``: rows
        dated after the report day; None when no fix can be named.
    """
    if reasons.get("date_order"):
        return "the dates look like 31/12/2026: add --dayfirst or --monthfirst"
    if reasons.get("future"):
        return (
            "rows are dated after the report day: check the dates, or give the day the logs "
            "were exported with --today YYYY-MM-DD"
        )
    return None


def data_warnings(
    analysis: Analysis, reading: LogReading, unmatched: pd.DataFrame | None = None
) -> list[str]:
    """What the report's banner says: no usable log row, prescribed patients without logs, or
    exercise ids that match no exercise of the patient's routine too often
    (:func:`toolkit.analysis.unmatched.unmatched_exercises`).

    Parameters
    ----------
    analysis : Analysis
        The analysis (its summary names the prescribed patients).
    reading : LogReading
        The logs as read.
    unmatched : DataFrame, optional
        The patients' unmatched exercise ids
        (:func:`~toolkit.analysis.unmatched.unmatched_exercises`); none when not given.

    Returns
    -------
    list of str
        Paragraphs for people (a list inside one goes on lines of its own), empty when the
        data look complete.
    """
    report = reading.report
    lines = []
    if report.rows_used == 0:
        why = "; ".join(
            f"{reject_words(code)} ({count_text(n)} rows)"
            for code, n in sorted(report.reasons.items(), key=lambda item: -item[1])
        )
        lines.append(
            f"No log row could be used: {count_text(report.rows_read)} rows were read and "
            f"{count_text(report.rows_rejected)} rejected"
            + (f" ({why})" if why else "")
            + ". Every figure of the report is empty; see rejects.csv."
            + (f" Likely fix: {fix}." if (fix := likely_fix(report.reasons)) else "")
        )
    seen = {str(p).strip() for p in reading.logs["patient_id"].astype("str").unique()}
    missing = [str(p) for p in analysis.summary["patient_id"] if str(p) not in seen]
    if missing and report.rows_used:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        lines.append(
            f"{count_text(len(missing))} prescribed patients have no log row at all: {shown}. "
            "Check that their logs were given and that their ids are written as in the "
            "prescriptions."
        )
    if unmatched is not None and len(unmatched):
        text = unmatched_warning(unmatched, option=UNMATCHED_OPTION)
        lines.append(text[0].upper() + text[1:])
    return lines
