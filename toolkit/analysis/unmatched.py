"""Exercise ids that match no exercise of the patient's routine, often enough to matter.

An app that writes ``pelvic_tilt`` where the library says ``pelvic-tilt`` makes every such row
``not_in_routine`` (spec, section 3): it counts for no session, and a patient who did every
session looks non-adherent. :func:`unmatched_exercises` finds the patients for whom more than
:data:`UNMATCHED_SHARE` of the exercise rows checked against their routine matched none of its
exercises, and names each unmatched id with the library id it most likely means;
:func:`unmatched_warning` says it in words, with the way to fix it.

The share's denominator is the patient's exercise rows that reached the routine check: used rows
with an exercise id, less those excluded for an earlier reason (no prescription, after the
as-of date, outside the window, not completed). Its numerator is their ``not_in_routine`` rows.
"""

from __future__ import annotations

import pandas as pd

from toolkit.analysis.adherence import EXCLUSION_REASONS
from toolkit.analysis.summary import Analysis
from toolkit.counts import count_text
from toolkit.logs.exercise_map import MAP_HINT, suggest_id
from toolkit.routines.library import Library, load_library

__all__ = ["UNMATCHED_SHARE", "UNMATCHED_COLUMNS", "unmatched_exercises", "unmatched_warning"]

#: A patient is named when more than this share of their checked exercise rows match no
#: exercise of their routine. [fraction]
UNMATCHED_SHARE = 0.1
#: Columns of :func:`unmatched_exercises`' table.
UNMATCHED_COLUMNS = ["patient_id", "exercise_id", "rows", "share", "suggestion"]
#: Ids listed by :func:`unmatched_warning`; the others are counted. [ids]
SHOWN_IDS = 10

_EARLIER = EXCLUSION_REASONS[: EXCLUSION_REASONS.index("not_in_routine")]


def unmatched_exercises(
    analysis: Analysis,
    logs: pd.DataFrame,
    library: Library | None = None,
    *,
    share: float = UNMATCHED_SHARE,
) -> pd.DataFrame:
    """The exercise ids of patients for whom too many exercise rows match no routine exercise.

    Parameters
    ----------
    analysis : Analysis
        From :func:`toolkit.analysis.summary.analyse`; its ``excluded`` table is read.
    logs : DataFrame
        The log rows the analysis was made from (``read_logs(...).logs``).
    library : Library, optional
        Where suggestions come from; default the built-in library.
    share : float
        A patient is named when more than this share of their checked exercise rows are
        ``not_in_routine`` (the module's docstring says which rows are checked). [fraction]

    Returns
    -------
    DataFrame
        ``patient_id, exercise_id, rows, share, suggestion``: one row per named patient and
        unmatched id (patients in id order, then most rows first); ``rows`` counts that id's
        rows [rows], ``share`` is the patient's unmatched share [fraction] and ``suggestion``
        the library id it most likely means
        (:func:`toolkit.logs.exercise_map.suggest_id`; empty when none is close).
    """
    excluded = analysis.excluded
    exercise_rows = logs.loc[logs["exercise_id"].notna(), "patient_id"].value_counts()
    earlier = excluded.loc[
        excluded["reason"].isin(_EARLIER) & excluded["exercise_id"].notna(), "patient_id"
    ].value_counts()
    unmatched = excluded.loc[excluded["reason"] == "not_in_routine"]
    per_patient = unmatched["patient_id"].value_counts()
    checked = exercise_rows.sub(earlier, fill_value=0).reindex(per_patient.index)
    shares = (per_patient / checked.where(checked > 0)).fillna(1.0)
    named = shares[shares > share]
    if named.empty:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in UNMATCHED_COLUMNS})
    table = (
        unmatched[unmatched["patient_id"].isin(named.index)]
        .groupby(["patient_id", "exercise_id"], sort=False)
        .size()
        .rename("rows")
        .reset_index()
    )
    table["share"] = table["patient_id"].map(named).astype(float)
    ids = (library if library is not None else load_library()).ids
    suggestions = {word: suggest_id(str(word), ids) for word in table["exercise_id"].unique()}
    table["suggestion"] = table["exercise_id"].map(suggestions)
    table = table.sort_values(
        ["patient_id", "rows", "exercise_id"], ascending=[True, False, True], kind="stable"
    )
    return table[UNMATCHED_COLUMNS].reset_index(drop=True)


def unmatched_warning(
    table: pd.DataFrame, option: str = "--exercise-map FILE", share: float = UNMATCHED_SHARE
) -> str:
    """The warning about :func:`unmatched_exercises`' table, in words; empty for no row.

    Parameters
    ----------
    table : DataFrame
        From :func:`unmatched_exercises`.
    option : str
        How the reader gives an exercise map (a command-line option, or a parameter).
    share : float
        The share the table was made with. [fraction]
    """
    if table.empty:
        return ""
    patients = table["patient_id"].nunique()
    by_id = (
        table.groupby("exercise_id", sort=False)
        .agg(
            rows=("rows", "sum"),
            patients=("patient_id", "nunique"),
            suggestion=("suggestion", "first"),
        )
        .sort_values(["rows"], ascending=False, kind="stable")
    )
    who = f"{count_text(patients)} patient{'s' if patients != 1 else ''}"
    lines = [
        f"exercise ids that match no exercise of the patient's routine make up more than "
        f"{share:.0%} of the exercise rows of {who}; those rows count for no session:"
    ]
    for exercise_id, item in by_id.head(SHOWN_IDS).iterrows():
        mean = f" (did you mean {item['suggestion']}?)" if item["suggestion"] else ""
        rows = f"{count_text(int(item['rows']))} row{'s' if item['rows'] != 1 else ''}"
        many = f"{count_text(int(item['patients']))} patient{'s' if item['patients'] != 1 else ''}"
        lines.append(f"  {exercise_id}: {rows}, {many}{mean}")
    if len(by_id) > SHOWN_IDS:
        lines.append(f"  ... and {count_text(len(by_id) - SHOWN_IDS)} more ids")
    lines.append(MAP_HINT.format(option=option))
    return "\n".join(lines)
