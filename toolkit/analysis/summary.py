"""One analysis of a cohort: adherence, pain, flags and priorities put together.

:func:`analyse` runs everything once and keeps every table, with the :class:`Thresholds` it
ran with; :func:`summarise` gives the ``summary.csv`` table alone. Nothing here reads a
file: routines and library come from the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from toolkit.analysis.flags import FLAGS, flags
from toolkit.analysis.pain import SUMMARY_PAIN_COLUMNS, Pain, pain_from
from toolkit.analysis.priority import priority, ready_to_progress
from toolkit.analysis.thresholds import Thresholds, with_overrides
from toolkit.analysis.window import analysis_window, prepare_logs, resolve_as_of
from toolkit.routines.library import Library
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
    *(column for column in PATIENT_COLUMNS if column != "recent_session_adherence"),
    *SUMMARY_PAIN_COLUMNS,
    "flags",
    "priority",
    "recent_session_adherence",
    "ready_to_progress",
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
    thresholds : Thresholds
        The thresholds the figures were made with; charts and report read them from here.
    """

    as_of: pd.Timestamp
    summary: pd.DataFrame
    weekly: pd.DataFrame
    flags: pd.DataFrame
    excluded: pd.DataFrame
    adherence: Adherence
    pain: Pain
    thresholds: Thresholds


def analyse(
    logs: pd.DataFrame,
    prescriptions: pd.DataFrame,
    routines: Mapping[str, Routine] | RoutinePlan,
    library: Library | None = None,
    as_of: object = None,
    *,
    thresholds: Thresholds | None = None,
    **overrides: Any,
) -> Analysis:
    """Adherence, pain, flags and priorities of every prescribed patient.

    Parameters
    ----------
    logs : DataFrame
        Canonical log rows (``toolkit.read_logs``).
    prescriptions : DataFrame
        ``patient_id, routine, start_date, end_date``, one row per period.
    routines : mapping of str to Routine, or RoutinePlan
        The routine behind each id used in ``prescriptions`` (``toolkit.load_routines``).
    library : Library, optional
        Gives the default dose of routine items without one; needed only when such an item
        exists (``toolkit.load_routines`` gives every item its dose).
    as_of : date-like, optional
        Default: the latest date among the log rows.
    thresholds : Thresholds, optional
        Default: the spec's (``Thresholds()``).
    **overrides
        Fields of :class:`Thresholds` by name, put over ``thresholds``: ``adherent_at=0.7``.

    Returns
    -------
    Analysis

    Raises
    ------
    TypeError
        A threshold name that is not a field of :class:`Thresholds`.
    AnalysisError
        A missing column, a prescribed routine not given, or an item without a dose and no
        library.

    References
    ----------
    .. [1] Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of
       changes in chronic pain intensity measured on an 11-point numerical pain rating scale.
       Pain. 2001;94(2):149-158.
    .. [2] Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and
       functional status in low back pain: towards international consensus regarding minimal
       important change. Spine. 2008;33(1):90-94.
    .. [3] Newman-Beinart NA, Norton S, Dowling D, et al. The development and initial
       psychometric evaluation of a measure assessing adherence to prescribed exercise: the
       Exercise Adherence Rating Scale (EXAS). Physiotherapy. 2017;103(2):180-185.

    Examples
    --------
    >>> import pandas as pd
    >>> from toolkit.paths import routines_dir
    >>> from toolkit.routines.library import load_library
    >>> from toolkit.routines.routine import load_routine
    >>> routines = {"stretches": load_routine(routines_dir() / "gentle-back-stretches.yaml")}
    >>> logs = pd.DataFrame({"patient_id": "p1",
    ...                      "timestamp": pd.date_range("2026-01-05", periods=12)})
    >>> period = pd.DataFrame({"patient_id": ["p1"], "routine": ["stretches"],
    ...                        "start_date": pd.to_datetime(["2026-01-05"]),
    ...                        "end_date": pd.NaT})
    >>> result = analyse(logs, period, routines, load_library(), "2026-01-18", adherent_at=0.75)
    >>> result.thresholds.adherent_at
    0.75
    >>> row = result.summary.iloc[0]
    >>> float(row["session_adherence"]), bool(row["adherent"]), row["priority"]
    (0.8571428571428571, True, 'monitor')
    >>> row["flags"]
    'insufficient_baseline'
    """
    chosen = with_overrides(thresholds, overrides)
    rows = prepare_logs(logs)
    window = analysis_window(prescriptions, resolve_as_of(rows, as_of))
    if not isinstance(routines, RoutinePlan):
        routines = routine_plan(routines, library)
    adherence = adherence_from(rows, window, routines, thresholds=chosen)
    pain = pain_from(rows, window, thresholds=chosen)
    flag_table = flags(adherence.patients, pain.patients, logs, thresholds=chosen)
    return Analysis(
        as_of=adherence.as_of,
        summary=summary_table(adherence.patients, pain.patients, flag_table, thresholds=chosen),
        weekly=weekly_table(adherence.weekly, pain.weekly),
        flags=flag_table,
        excluded=adherence.excluded,
        adherence=adherence,
        pain=pain,
        thresholds=chosen,
    )


def summarise(
    logs: pd.DataFrame,
    prescriptions: pd.DataFrame,
    routines: Mapping[str, Routine] | RoutinePlan,
    library: Library | None = None,
    as_of: object = None,
    *,
    thresholds: Thresholds | None = None,
    **overrides: Any,
) -> pd.DataFrame:
    """One row per prescribed patient with every column of ``summary.csv`` (see :func:`analyse`)."""
    return analyse(
        logs, prescriptions, routines, library, as_of, thresholds=thresholds, **overrides
    ).summary


def summary_table(
    adherence: pd.DataFrame,
    pain: pd.DataFrame,
    flag_table: pd.DataFrame,
    *,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Join per-patient adherence and pain figures, flag names, priority and readiness.

    ``flags`` holds the patient's flag names, each once, in the spec's order, joined by ``;``
    (empty when there is none); ``priority`` and ``ready_to_progress`` are
    :func:`~toolkit.analysis.priority.priority` and
    :func:`~toolkit.analysis.priority.ready_to_progress`.
    """
    chosen = thresholds if thresholds is not None else Thresholds()
    table = adherence.merge(pain, on="patient_id", how="left", validate="one_to_one")
    table["flags"] = _flag_names(table["patient_id"], flag_table)
    table["priority"] = priority(table, flag_table, thresholds=chosen)
    table["ready_to_progress"] = ready_to_progress(table, flag_table, thresholds=chosen)
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
