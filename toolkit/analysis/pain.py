"""Pain: daily scores, baseline and current pain, change, trend and rises after exercise.

Implements section 6 of the analysis spec. Pain is the 0-10 numeric rating scale (NRS)
written as ``pain_before`` (and ``pain_after`` for rises); a day without a score is missing,
never zero and never carried forward.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.indexers import BaseIndexer
from scipy.special import stdtrit  # the t quantile, without importing all of scipy.stats

from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds
from toolkit.analysis.window import (
    Window,
    analysis_window,
    prepare_logs,
    resolve_as_of,
    to_dates,
)

__all__ = ["Pain", "pain", "pain_from"]

#: The pain columns of ``summary.csv``, in the spec's order (section 8).
SUMMARY_PAIN_COLUMNS = [
    "baseline_pain",
    "current_pain",
    "pain_change",
    "pain_change_pct",
    "improved",
    "worsened",
    "pain_slope_per_week",
    "pain_slope_ci_low",
    "pain_slope_ci_high",
]

PATIENT_COLUMNS = [
    "patient_id",
    *SUMMARY_PAIN_COLUMNS,
    "pain_trend_rise",
    "pain_days",
    "rises",
    "last_rise_date",
]


@dataclass(frozen=True)
class Pain:
    """Pain figures of a cohort.

    Attributes
    ----------
    as_of : Timestamp
        The date the figures are made for.
    patients : DataFrame
        One row per prescribed patient (``PATIENT_COLUMNS``): baseline, current and change
        [NRS points], change [%], improved, worsened, slope and its interval [NRS points per
        week], days with a score in the window [day], rises in the last window days and the
        date of the latest.
    daily : DataFrame
        One row per window day: ``patient_id, date, daily_pain, rolling_pain`` [NRS points];
        missing where there is no score.
    weekly : DataFrame
        ``patient_id, week_start, mean_pain`` [NRS points] per ISO week with a window day.
    sessions : DataFrame
        Sessions in the sense of rises (rows sharing one timestamp) with both scores:
        ``patient_id, timestamp, date, pain_before, pain_after, rise, recent``.
    """

    as_of: pd.Timestamp
    patients: pd.DataFrame
    daily: pd.DataFrame
    weekly: pd.DataFrame
    sessions: pd.DataFrame


def pain(
    logs: pd.DataFrame,
    prescriptions: pd.DataFrame,
    as_of: object = None,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Pain:
    """Pain figures of every prescribed patient (spec, section 6).

    Parameters
    ----------
    logs : DataFrame
        Canonical log rows (``toolkit.read_logs``).
    prescriptions : DataFrame
        ``patient_id, routine, start_date, end_date``, one row per period.
    as_of : date-like, optional
        Default: the latest date among the log rows.
    thresholds : Thresholds
        Uses ``baseline_days``, ``current_days``, ``min_pain_days``,
        ``current_min_window_days``, ``rolling_days``, ``slope_min_days``,
        ``rise_window_days`` [day], ``improved_points``, ``worsened_points``, ``rise_points``
        [NRS points], ``improved_percent`` [%] and ``confidence`` [fraction].

    Returns
    -------
    Pain

    References
    ----------
    .. [1] Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of
       changes in chronic pain intensity measured on an 11-point numerical pain rating scale.
       Pain. 2001;94(2):149-158.
    .. [2] Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and
       functional status in low back pain: towards international consensus regarding minimal
       important change. Spine. 2008;33(1):90-94.

    Examples
    --------
    Pain 6 on the first three days and 3 on the last three of a 14-day window: a fall of 3
    points and 50 %, a clinically important improvement.

    >>> import pandas as pd
    >>> days = pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07",
    ...                        "2026-01-16", "2026-01-17", "2026-01-18"])
    >>> logs = pd.DataFrame({"patient_id": "p1", "timestamp": days,
    ...                      "pain_before": [6, 6, 6, 3, 3, 3]})
    >>> plan = pd.DataFrame({"patient_id": ["p1"], "routine": ["r"],
    ...                      "start_date": pd.to_datetime(["2026-01-05"]), "end_date": pd.NaT})
    >>> row = pain(logs, plan, "2026-01-18").patients.iloc[0]
    >>> float(row["pain_change"]), float(row["pain_change_pct"]), bool(row["improved"])
    (-3.0, -50.0, True)
    """
    rows = prepare_logs(logs)
    window = analysis_window(prescriptions, resolve_as_of(rows, as_of))
    return pain_from(rows, window, thresholds=thresholds)


def pain_from(
    rows: pd.DataFrame,
    window: Window,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Pain:
    """:func:`pain` on logs already prepared and a window already built."""
    t = thresholds
    as_of = window.as_of
    patients = window.patients
    count = len(patients)
    days = window.days
    day_patient = days["patient"].to_numpy()
    day = rows["day"].to_numpy()
    patient, slot = window.locate(rows["patient_id"], day)
    before = rows["pain_before"].to_numpy(dtype=float)

    scored = (slot >= 0) & ~np.isnan(before)
    daily_pain = (
        pd.Series(before[scored]).groupby(slot[scored]).mean().reindex(range(len(days)))
    ).to_numpy(dtype=float)
    first_day = np.arange(len(days)) - days["position"].to_numpy()
    trailing = _TrailingDays(window_size=t.rolling_days, first_day=first_day)
    rolling_pain = (
        pd.Series(daily_pain).rolling(trailing, min_periods=t.min_pain_days).mean().to_numpy()
    )
    has_value = ~np.isnan(daily_pain)

    in_first = days["position"].to_numpy() < t.baseline_days
    in_last = days["from_end"].to_numpy() < t.current_days
    baseline = _mean_if_enough(day_patient, daily_pain, in_first, t.min_pain_days, count)
    current = _mean_if_enough(day_patient, daily_pain, in_last, t.min_pain_days, count)
    days_in_window = patients["days_in_window"].to_numpy()
    current = np.where(days_in_window >= t.current_min_window_days, current, np.nan)
    change = current - baseline
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(baseline != 0, 100 * change / baseline, np.nan)
    known = ~np.isnan(change)
    improved = (
        t.at_most(change, -t.improved_points)
        & t.at_most(percent, -t.improved_percent)
        & (baseline != 0)
    )
    worsened = t.at_least(change, t.worsened_points)

    start = patients["window_start"].to_numpy(dtype=float)
    slope = _slope(
        day_patient[has_value],
        days["day"].to_numpy(dtype=float)[has_value] - start[day_patient[has_value]],
        daily_pain[has_value],
        count,
        t.slope_min_days,
        t.confidence,
        t.tolerance,
    )
    own = np.flatnonzero((patient >= 0) & (day <= as_of))
    sessions = _sessions(rows.iloc[own], patient[own], window, t)
    recent_rise = (sessions["rise"] & sessions["recent"]).to_numpy()
    rise_patient = sessions["patient"].to_numpy()[recent_rise]
    rises = np.bincount(rise_patient, minlength=count)
    last_rise = np.full(count, np.nan)
    np.fmax.at(last_rise, rise_patient, sessions["day"].to_numpy(dtype=float)[recent_rise])
    started = days_in_window > 0
    pain_days = np.bincount(day_patient[has_value], minlength=count)
    ids = patients["patient_id"].to_numpy()

    out = pd.DataFrame(index=pd.RangeIndex(count))
    out["patient_id"] = pd.Index(ids).astype("str")
    out["baseline_pain"] = baseline
    out["current_pain"] = current
    out["pain_change"] = change
    out["pain_change_pct"] = percent
    out["improved"] = _nullable(improved, known)
    out["worsened"] = _nullable(worsened, known)
    out["pain_slope_per_week"] = slope["slope"].to_numpy()
    out["pain_slope_ci_low"] = slope["low"].to_numpy()
    out["pain_slope_ci_high"] = slope["high"].to_numpy()
    # How far the fitted line climbs from window_start to window_end (calendar days, gap
    # days between periods included); spec, section 6.
    span = patients["window_end"].to_numpy(dtype=float) - start
    out["pain_trend_rise"] = slope["slope"].to_numpy() * span / 7
    out["pain_days"] = pd.array(np.where(started, pain_days, np.nan), dtype="Int64")
    out["rises"] = pd.array(np.where(started, rises, np.nan), dtype="Int64")
    out["last_rise_date"] = to_dates(last_rise)

    daily = pd.DataFrame(
        {
            "patient_id": days["patient_id"].array,
            "date": to_dates(days["day"].to_numpy()),
            "daily_pain": daily_pain,
            "rolling_pain": rolling_pain,
        }
    )
    week_number = days["week_number"].to_numpy()
    first_days = np.flatnonzero(np.diff(week_number, prepend=-1))
    weekly = pd.DataFrame(
        {
            "patient_id": pd.Index(days["patient_id"].array.take(first_days), dtype="str"),
            "week_start": to_dates(days["week"].to_numpy()[first_days]),
            "mean_pain": pd.Series(daily_pain).groupby(week_number).mean().to_numpy(),
        }
    )
    shown = pd.DataFrame(
        {
            "patient_id": ids[sessions["patient"].to_numpy()],
            "timestamp": sessions["timestamp"].to_numpy(),
            "date": to_dates(sessions["day"].to_numpy()),
            "pain_before": sessions["pain_before"].to_numpy(),
            "pain_after": sessions["pain_after"].to_numpy(),
            "rise": sessions["rise"].to_numpy(),
            "recent": sessions["recent"].to_numpy(),
        }
    )
    return Pain(
        as_of=to_dates(np.array([as_of]))[0],
        patients=out[PATIENT_COLUMNS],
        daily=daily,
        weekly=weekly,
        sessions=shown,
    )


class _TrailingDays(BaseIndexer):
    """Rolling bounds: the last ``window_size`` window days of one patient, up to each day.

    ``first_day`` holds, for each window day, the position of its patient's first window day;
    this is :meth:`pandas.core.groupby.GroupBy.rolling` per patient without the grouping.
    """

    def get_window_bounds(
        self,
        num_values: int = 0,
        min_periods: int | None = None,
        center: bool | None = None,
        closed: str | None = None,
        step: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        end = np.arange(1, num_values + 1, dtype="int64")
        start = np.maximum(end - self.window_size, self.first_day).astype("int64")
        return start, end


def _nullable(values: np.ndarray, known: np.ndarray) -> pd.arrays.BooleanArray:
    result = pd.array(values.astype(bool), dtype="boolean")
    result[~known] = pd.NA
    return result


def _mean_if_enough(
    patient: np.ndarray, daily_pain: np.ndarray, selected: np.ndarray, minimum: int, count: int
) -> np.ndarray:
    """Per patient, mean daily pain over the selected window days with a score, if enough."""
    grouped = pd.Series(daily_pain[selected]).groupby(patient[selected])
    enough = grouped.mean().where(grouped.count() >= minimum)
    return enough.reindex(range(count)).to_numpy(dtype=float)


def _slope(
    patient: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    count: int,
    minimum: int,
    confidence: float,
    tolerance: float,
) -> pd.DataFrame:
    """OLS slope of daily pain on calendar days since window_start, per week, with its CI.

    ``patient`` (codes), ``x`` [day] and ``y`` [NRS points] are the window days with a score.
    """
    frame = pd.DataFrame({"patient": patient, "x": x, "y": y})
    group = frame.groupby("patient", sort=False)
    frame["dx"] = frame["x"] - group["x"].transform("mean")
    frame["dy"] = frame["y"] - group["y"].transform("mean")
    frame["dxx"] = frame["dx"] ** 2
    frame["dxy"] = frame["dx"] * frame["dy"]
    sums = frame.groupby("patient", sort=False)[["dxx", "dxy"]].sum()
    n = group.size()
    with np.errstate(divide="ignore", invalid="ignore"):
        per_day = sums["dxy"] / sums["dxx"]
    frame["residual"] = frame["dy"] - per_day.reindex(frame["patient"]).to_numpy() * frame["dx"]
    frame["squared"] = frame["residual"] ** 2
    frame["size"] = frame["residual"].abs()
    fit = frame.groupby("patient", sort=False).agg(ssr=("squared", "sum"), largest=("size", "max"))
    ssr, flat = fit["ssr"], fit["largest"]
    enough = n >= max(minimum, 3)
    dof = (n - 2).clip(lower=1).to_numpy(dtype=float)
    quantile = stdtrit(dof, 0.5 + confidence / 2)  # the same values as stats.t.ppf
    with np.errstate(divide="ignore", invalid="ignore"):
        standard_error = np.sqrt(ssr.to_numpy() / dof / sums["dxx"].to_numpy())
    half = np.where(flat.to_numpy() <= tolerance, 0.0, quantile * standard_error * 7)
    slope = per_day.to_numpy() * 7
    few = ~enough.to_numpy()
    result = pd.DataFrame(
        {
            "slope": np.where(few, np.nan, slope),
            "low": np.where(few, np.nan, slope - half),
            "high": np.where(few, np.nan, slope + half),
        },
        index=n.index,
    )
    return result.reindex(range(count))


def _sessions(
    own: pd.DataFrame,
    patient: np.ndarray,
    window: Window,
    thresholds: Thresholds,
) -> pd.DataFrame:
    """Rows sharing a patient and a timestamp, with first pain_before and last pain_after.

    ``own`` holds the rows of prescribed patients up to as_of, ``patient`` their codes.
    Sessions come in the order of their first row. Rows of one session usually follow each
    other, so runs of such rows are reduced first and the (fewer) runs are then grouped.
    """
    moment = own["timestamp"].to_numpy()
    change = np.ones(len(own), dtype=bool)
    change[1:] = (patient[1:] != patient[:-1]) | (moment[1:] != moment[:-1])
    starts = np.flatnonzero(change)
    runs = pd.DataFrame(
        {
            "patient": patient[starts],
            "timestamp": own["timestamp"].iloc[starts].to_numpy(),
            "day": own["day"].to_numpy()[starts],
            "pain_before": _run_value(own["pain_before"].to_numpy(dtype=float), starts, True),
            "pain_after": _run_value(own["pain_after"].to_numpy(dtype=float), starts, False),
        }
    )
    sessions = (
        runs.groupby(["patient", "timestamp"], sort=False)
        .agg(
            day=("day", "first"),
            pain_before=("pain_before", "first"),
            pain_after=("pain_after", "last"),
        )
        .reset_index()
    )
    sessions = sessions[sessions["pain_before"].notna() & sessions["pain_after"].notna()]
    sessions = sessions.reset_index(drop=True)
    sessions["rise"] = thresholds.at_least(
        sessions["pain_after"] - sessions["pain_before"], thresholds.rise_points
    )
    slot = window.index.lookup(sessions["patient"].to_numpy(), sessions["day"].to_numpy())
    from_end = np.append(window.days["from_end"].to_numpy(), thresholds.rise_window_days)
    sessions["recent"] = from_end[slot] < thresholds.rise_window_days
    return sessions


def _run_value(values: np.ndarray, starts: np.ndarray, first: bool) -> np.ndarray:
    """The first (or last) value that is not missing in each run; ``nan`` if there is none."""
    if not len(starts):
        return np.zeros(0)
    position = np.arange(len(values))
    given = ~np.isnan(values)
    if first:
        chosen = np.minimum.reduceat(np.where(given, position, len(values)), starts)
    else:
        chosen = np.maximum.reduceat(np.where(given, position, -1), starts)
    found = (chosen >= 0) & (chosen < len(values))
    return np.where(found, values[np.clip(chosen, 0, max(len(values) - 1, 0))], np.nan)
