"""The cohort at a glance: one readable row per patient, the most urgent first.

The summary table has two dozen exact columns for programs; :func:`cohort_table` keeps what a
clinician scans a cohort for, in words: sessions done of prescribed and the session adherence,
pain from baseline to now, the flags, and the priority when the summary has one.
"""

from __future__ import annotations

import pandas as pd

from toolkit.analysis.summary import Analysis
from toolkit.counts import count_text as count
from toolkit.report.words import FLAG_LABELS, URGENCY, percent

__all__ = ["BLANK", "PRIORITIES", "COHORT_COLUMNS", "cohort_table", "flag_words"]

#: What a figure that cannot be given shows.
BLANK = "–"
#: The values of the summary's ``priority`` column, most urgent first (spec, section 7).
PRIORITIES = ("urgent", "review", "monitor", "ok")
#: The columns of :func:`cohort_table` (``priority`` only when the summary has it).
COHORT_COLUMNS = ["priority", "sessions", "adherence", "pain", "flags"]


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _blank(text: str) -> str:
    return BLANK if text == "-" else text


def _sessions(done: object, prescribed: object) -> str:
    return f"{_blank(count(done))} of {_blank(count(prescribed))}"


def _pain(baseline: object, current: object) -> str:
    if _missing(baseline) and _missing(current):
        return ""
    ends = [BLANK if _missing(v) else f"{float(v):.1f}" for v in (baseline, current)]  # type: ignore[arg-type]
    return f"{ends[0]} → {ends[1]}"


def flag_words(flags: object) -> str:
    """A summary row's flag codes (joined by ``;``) in plain words, the most urgent first.

    Each code reads as its label in :data:`toolkit.report.words.FLAG_LABELS`, starting in
    lower case; a code without a label reads as itself with spaces for underscores.

    Examples
    --------
    >>> flag_words("low_adherence;stopped_logging")
    'stopped logging; low adherence'
    """
    if _missing(flags) or not str(flags).strip():
        return ""
    codes = [code.strip() for code in str(flags).split(";") if code.strip()]
    codes.sort(key=_flag_rank)
    labels = [FLAG_LABELS.get(code, code.replace("_", " ")) for code in codes]
    return "; ".join(label[:1].lower() + label[1:] for label in labels)


def _flag_rank(code: str) -> int:
    return URGENCY.index(code) if code in URGENCY else len(URGENCY)


def cohort_table(analysis: Analysis) -> pd.DataFrame:
    """One readable row per patient of an analysis, the most urgent first.

    Parameters
    ----------
    analysis : Analysis
        From :func:`toolkit.analysis.summary.analyse`; its ``summary`` table is read.

    Returns
    -------
    DataFrame
        Indexed by ``patient``, with the columns ``priority`` (only when the summary has it),
        ``sessions`` ("61 of 86": done of prescribed), ``adherence`` (session adherence as a
        whole percentage, "71 %"), ``pain`` ("5.4 → 3.1": baseline to current, a part that
        cannot be computed as ``–``; empty when neither can) and ``flags`` (in words, the
        most urgent first). Rows go by priority (urgent, review, monitor, ok, then none) when
        there is one, then by the most urgent flag (the order of
        :data:`toolkit.report.words.URGENCY`; patients without a flag last), then by patient.
    """
    summary = analysis.summary
    has_priority = "priority" in summary.columns
    table = pd.DataFrame(
        {
            "patient": summary["patient_id"].astype(str),
            "priority": summary["priority"] if has_priority else None,
            "sessions": [
                _sessions(done, prescribed)
                for done, prescribed in zip(
                    summary["sessions_done"], summary["sessions_prescribed"], strict=True
                )
            ],
            "adherence": [_blank(percent(value)) for value in summary["session_adherence"]],
            "pain": [
                _pain(baseline, current)
                for baseline, current in zip(
                    summary["baseline_pain"], summary["current_pain"], strict=True
                )
            ],
            "flags": [flag_words(flags) for flags in summary["flags"]],
        }
    )
    order = pd.DataFrame(
        {
            "priority": [
                PRIORITIES.index(p) if isinstance(p, str) and p in PRIORITIES else len(PRIORITIES)
                for p in table["priority"]
            ],
            "flag": [
                min((_flag_rank(c) for c in str(f).split(";") if c), default=len(URGENCY) + 1)
                if not _missing(f)
                else len(URGENCY) + 1
                for f in summary["flags"]
            ],
            "patient": table["patient"],
        }
    )
    keys = ["priority", "flag", "patient"] if has_priority else ["flag", "patient"]
    ranked = order.sort_values(keys, kind="stable").index
    columns = COHORT_COLUMNS if has_priority else COHORT_COLUMNS[1:]
    result = table.loc[ranked, ["patient", *columns]].set_index("patient")
    if has_priority:
        result["priority"] = result["priority"].fillna("")
    return result
