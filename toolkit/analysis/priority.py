"""What to do next with each patient: their priority, and whether they may be ready to progress.

Analysis spec, section 7 (revision 2). ``priority`` sorts the clinician's week: ``urgent``,
``review``, ``monitor`` or ``ok``. ``ready_to_progress`` is a suggestion for the clinician,
never applied automatically. Both are empty for a patient whose window has not started.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds

__all__ = ["PRIORITIES", "URGENT_FLAGS", "REVIEW_FLAGS", "priority", "ready_to_progress"]

#: Every priority, most severe first.
PRIORITIES = ("urgent", "review", "monitor", "ok")
#: Any of these flags makes a patient ``urgent``.
URGENT_FLAGS = ("red_flag_note", "pain_worsened", "pain_trend_up")
#: Any of these flags makes a patient ``review`` (low_adherence only when adherence is low
#: enough, see :func:`priority`).
REVIEW_FLAGS = ("pain_rises_after_exercise", "stopped_logging")


def _has(patient_ids: pd.Series, flag_table: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    """Per patient, whether they have any flag among ``names``."""
    holders = flag_table.loc[flag_table["flag"].isin(names), "patient_id"]
    return patient_ids.isin(holders).to_numpy(dtype=bool)


def priority(
    patients: pd.DataFrame,
    flag_table: pd.DataFrame,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> pd.Series:
    """Each patient's priority: ``urgent``, ``review``, ``monitor`` or ``ok``.

    ``urgent`` with red_flag_note, pain_worsened or pain_trend_up; else ``review`` with
    pain_rises_after_exercise, stopped_logging, or low_adherence with session adherence below
    ``review_adherence_below``; else ``monitor`` with any other flag; else ``ok``.

    Parameters
    ----------
    patients : DataFrame
        One row per patient: ``patient_id``, ``days_in_window``, ``session_adherence``.
    flag_table : DataFrame
        The flags (``patient_id, flag, ...``).
    thresholds : Thresholds
        Uses ``review_adherence_below``. [fraction]

    Returns
    -------
    Series
        Text, aligned with ``patients``; missing where the window has not started.

    Examples
    --------
    >>> import pandas as pd
    >>> patients = pd.DataFrame({"patient_id": ["a", "b", "c", "d"],
    ...                          "days_in_window": [30, 30, 30, 0],
    ...                          "session_adherence": [0.4, 0.6, 0.9, None]})
    >>> found = pd.DataFrame({"patient_id": ["a", "b"],
    ...                       "flag": ["low_adherence", "low_adherence"]})
    >>> priority(patients, found).tolist()
    ['review', 'monitor', 'ok', <NA>]
    """
    ids = patients["patient_id"]
    adherence = patients["session_adherence"].to_numpy(dtype=float, na_value=np.nan)
    low = _has(ids, flag_table, ("low_adherence",)) & thresholds.below(
        adherence, thresholds.review_adherence_below
    )
    chosen = np.select(
        [
            _has(ids, flag_table, URGENT_FLAGS),
            _has(ids, flag_table, REVIEW_FLAGS) | low,
            ids.isin(flag_table["patient_id"]).to_numpy(dtype=bool),
        ],
        PRIORITIES[:3],
        default=PRIORITIES[3],
    )
    result = pd.Series(chosen, index=patients.index, dtype="string")
    result[(patients["days_in_window"] == 0).to_numpy()] = pd.NA
    return result


def ready_to_progress(
    patients: pd.DataFrame,
    flag_table: pd.DataFrame,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> pd.arrays.BooleanArray:
    """Whether each patient may be ready for a harder programme (a suggestion, never automatic).

    True when all hold: at least ``ready_min_days`` window days; the window reaches as_of (the
    programme is ongoing); no flag; recent session adherence at least ``ready_adherence_at``;
    a current pain that is at most ``ready_pain_at_most`` or improved; and a pain trend that
    is not clearly rising (``pain_slope_ci_low`` empty or <= 0).

    Parameters
    ----------
    patients : DataFrame
        One row per patient: ``patient_id``, ``as_of``, ``window_end``, ``days_in_window``,
        ``recent_session_adherence``, ``current_pain``, ``improved``, ``pain_slope_ci_low``.
    flag_table : DataFrame
        The flags (``patient_id, flag, ...``).
    thresholds : Thresholds
        Uses ``ready_min_days`` [day], ``ready_adherence_at`` [fraction] and
        ``ready_pain_at_most`` [NRS points].

    Returns
    -------
    BooleanArray
        Aligned with ``patients``; missing where the window has not started.
    """
    t = thresholds
    current = patients["current_pain"].to_numpy(dtype=float, na_value=np.nan)
    improved = patients["improved"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    ci_low = patients["pain_slope_ci_low"].to_numpy(dtype=float, na_value=np.nan)
    recent = patients["recent_session_adherence"].to_numpy(dtype=float, na_value=np.nan)
    ready = (
        (patients["days_in_window"].to_numpy() >= t.ready_min_days)
        & (patients["window_end"] == patients["as_of"]).to_numpy(dtype=bool)
        & ~patients["patient_id"].isin(flag_table["patient_id"]).to_numpy(dtype=bool)
        & t.at_least(recent, t.ready_adherence_at)
        & ~np.isnan(current)
        & (t.at_most(current, t.ready_pain_at_most) | improved)
        & (np.isnan(ci_low) | t.at_most(ci_low, 0.0))
    )
    result = pd.array(ready, dtype="boolean")
    result[(patients["days_in_window"] == 0).to_numpy()] = pd.NA
    return result
