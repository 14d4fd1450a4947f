"""One analysis of a cohort: adherence, pain and flags put together into the report's tables.

:func:`analyse` runs everything once and keeps every table; :func:`summarise` gives the
``summary.csv`` table alone. Thresholds are passed by name to the function that uses them
(:func:`~toolkit.analysis.adherence.adherence`, :func:`~toolkit.analysis.pain.pain`,
:func:`~toolkit.analysis.flags.flags`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.adherence import (
    PATIENT_COLUMNS,
    Adherence,
    RoutinePlan,
    adherence_from,
    routine_plan,
)
from toolkit.analysis.adherence import WEEKLY_COLUMNS as ADHERENCE_WEEKLY_COLUMNS
from toolkit.analysis.adherence import adherence as _adherence_step
from toolkit.analysis.flags import FLAGS, flags
from toolkit.analysis.pain import Pain, pain_from
from toolkit.analysis.pain import pain as _pain_step
from toolkit.analysis.window import analysis_window, prepare_logs, resolve_as_of
from toolkit.routines.library import Library, load_library
from toolkit.routines.models import Routine

__all__ = [
    "SUMMARY_COLUMNS",
    "WEEKLY_COLUMNS",
    "Analysis",
    "analyse",
    "summarise",
    "summary_table",
    "weekly_table",
]

SUMMARY_COLUMNS = [
    *PATIENT_COLUMNS,
    "baseline_pain",
    "current_pain",
    "pain_change",
    "pain_change_pct",
    "improved",
    "worsened",
    "pain_slope_per_week",
    "pain_slope_ci_low",
    "pain_slope_ci_high",
    "flags",
]
WEEKLY_COLUMNS = [*ADHERENCE_WEEKLY_COLUMNS, "mean_pain"]


@dataclass(frozen=True)
class Analysis:
    """Everything the report shows, computed once.

    Attributes
    ----------
    as_of : Timestamp
        The date the analysis is made for.
    summary, weekly, flags, excluded : DataFrame
        The tables of ``summary.csv``, ``weekly.csv``, ``flags.csv`` and ``excluded.csv``.
    adherence : Adherence
        Adherence figures, including the per-day table for calendars.
    pain : Pain
        Pain figures, including daily pain, rolling mean and sessions for charts.
    """

    as_of: pd.Timestamp
    summary: pd.DataFrame
    weekly: pd.DataFrame
    flags: pd.DataFrame
    excluded: pd.DataFrame
    adherence: Adherence
    pain: Pain


def analyse(
    logs: pd.DataFrame,
    prescriptions: pd.DataFrame,
    routines: Mapping[str, Routine] | RoutinePlan,
    library: Library | None = None,
    as_of: object = None,
    **thresholds: Any,
) -> Analysis:
    """Adherence, pain and flags of every prescribed patient.

    Parameters
    ----------
    logs : DataFrame
        Canonical log rows (``toolkit.read_logs``).
    prescriptions : DataFrame
        ``patient_id, routine, start_date, end_date``, one row per period.
    routines : mapping of str to Routine, or RoutinePlan
        The routine behind each id used in ``prescriptions``.
    library : Library, optional
        For default doses; the built-in library when not given.
    as_of : date-like, optional
        Default: the latest date among the log rows.
    **thresholds
        Any keyword parameter of :func:`toolkit.analysis.adherence.adherence`,
        :func:`toolkit.analysis.pain.pain` or :func:`toolkit.analysis.flags.flags`, for example
        ``adherent_at=0.7`` or ``improved_points=1.5``.

    Raises
    ------
    TypeError
        A threshold name that no analysis function takes.
    """
    by_step = _route(thresholds)
    rows = prepare_logs(logs)
    window = analysis_window(prescriptions, resolve_as_of(rows, as_of))
    if not isinstance(routines, RoutinePlan):
        routines = routine_plan(routines, library if library is not None else load_library())
    adherence = adherence_from(rows, window, routines, **by_step["adherence"])
    pain = pain_from(rows, window, **by_step["pain"])
    flag_table = flags(adherence.patients, pain.patients, logs, **by_step["flags"])
    return Analysis(
        as_of=adherence.as_of,
        summary=summary_table(adherence.patients, pain.patients, flag_table),
        weekly=weekly_table(adherence.weekly, pain.weekly),
        flags=flag_table,
        excluded=adherence.excluded,
        adherence=adherence,
        pain=pain,
    )


def summarise(
    logs: pd.DataFrame,
    prescriptions: pd.DataFrame,
    routines: Mapping[str, Routine] | RoutinePlan,
    library: Library | None = None,
    as_of: object = None,
    **thresholds: Any,
) -> pd.DataFrame:
    """One row per prescribed patient with every column of ``summary.csv`` (see :func:`analyse`)."""
    return analyse(logs, prescriptions, routines, library, as_of, **thresholds).summary


def summary_table(
    adherence: pd.DataFrame, pain: pd.DataFrame, flag_table: pd.DataFrame
) -> pd.DataFrame:
    """Join per-patient adherence and pain figures and the names of each patient's flags.

    ``flags`` holds the patient's flag names, each once, in the spec's order, joined by ``;``
    (empty when there is none).
    """
    table = adherence.merge(pain, on="patient_id", how="left", validate="one_to_one")
    table["flags"] = _flag_names(table["patient_id"], flag_table)
    return table[SUMMARY_COLUMNS].sort_values("patient_id", kind="stable", ignore_index=True)


def _flag_names(patient_ids: pd.Series, flag_table: pd.DataFrame) -> pd.Series:
    """Each patient's flag names, each once, in the spec's order, joined by ``;``.

    Each patient's set of flags is a bit mask; the text of every possible mask is made once.
    """
    rank = flag_table["flag"].map({name: i for i, name in enumerate(FLAGS)})
    if rank.isna().any():  # a flag the spec does not name: sort it last, in table order
        named = flag_table[["patient_id", "flag"]].drop_duplicates().assign(rank=rank)
        joined = (
            named.sort_values(["patient_id", "rank"], kind="stable")
            .groupby("patient_id", sort=False)["flag"]
            .agg(";".join)
        )
        return patient_ids.map(joined).astype("str").fillna("")
    holder = pd.Index(patient_ids).get_indexer(flag_table["patient_id"])
    known = holder >= 0
    mask = np.zeros(len(patient_ids), dtype="int64")
    np.bitwise_or.at(mask, holder[known], 1 << rank.to_numpy(dtype="int64")[known])
    texts = [
        ";".join(name for bit, name in enumerate(FLAGS) if combination >> bit & 1)
        for combination in range(1 << len(FLAGS))
    ]
    return pd.Series(np.array(texts, dtype=object)[mask], index=patient_ids.index, dtype="str")


def weekly_table(adherence_weekly: pd.DataFrame, pain_weekly: pd.DataFrame) -> pd.DataFrame:
    """``weekly.csv``: weekly adherence with the week's mean pain, by patient and week."""
    table = adherence_weekly.merge(
        pain_weekly, on=["patient_id", "week_start"], how="left", validate="one_to_one"
    )
    return table[WEEKLY_COLUMNS].sort_values(
        ["patient_id", "week_start"], kind="stable", ignore_index=True
    )


def _route(thresholds: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Send each threshold to the one analysis step that takes it."""
    steps: dict[str, Callable[..., Any]] = {
        "adherence": _adherence_step,
        "pain": _pain_step,
        "flags": flags,
    }
    accepted = {
        step: {
            name
            for name, p in inspect.signature(function).parameters.items()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        for step, function in steps.items()
    }
    routed: dict[str, dict[str, Any]] = {step: {} for step in steps}
    for name, value in thresholds.items():
        step = next((s for s, names in accepted.items() if name in names), None)
        if step is None:
            known = sorted(set().union(*accepted.values()))
            raise TypeError(f"unknown threshold {name!r}; allowed: {', '.join(known)}")
        routed[step][name] = value
    return routed
