"""Pain: daily scores, baseline and current pain, change, trend and rises after exercise.

Implements section 6 of the analysis spec. Pain is the 0-10 numeric rating scale (NRS)
written as ``pain_before`` (and ``pain_after`` for rises); a day without a score is missing,
never zero and never carried forward.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .window import TOLERANCE, Window, analysis_window, prepare_logs, resolve_as_of, to_dates

__all__ = [
    "BASELINE_DAYS",
    "CURRENT_DAYS",
    "MIN_PAIN_DAYS",
    "CURRENT_MIN_WINDOW_DAYS",
    "IMPROVED_POINTS",
    "IMPROVED_PERCENT",
    "WORSENED_POINTS",
    "ROLLING_DAYS",
    "SLOPE_MIN_DAYS",
    "CONFIDENCE",
    "RISE_POINTS",
    "RISE_WINDOW_DAYS",
    "Pain",
    "pain",
    "pain_from",
]

#: Window days the baseline is taken over (the first ones). [day]
BASELINE_DAYS = 7
#: Window days current pain is taken over (the last ones). [day]
CURRENT_DAYS = 7
#: Days with a score needed for a baseline, a current value or a rolling mean. [day]
MIN_PAIN_DAYS = 3
#: Window days needed before current pain is given (so it does not overlap the baseline). [day]
CURRENT_MIN_WINDOW_DAYS = 14
#: Improvement needs a fall of at least this much (MCID, Farrar 2001). [NRS points]
IMPROVED_POINTS = 2.0
#: ... and at least this percentage of the baseline (MCID, Ostelo 2008). [%]
IMPROVED_PERCENT = 30.0
#: A rise of at least this much is worsening (our convention, mirroring the MCID). [NRS points]
WORSENED_POINTS = 2.0
#: Window days in the trailing rolling mean. [day]
ROLLING_DAYS = 7
#: Days with a score needed for a slope. [day]
SLOPE_MIN_DAYS = 7
#: Confidence level of the slope's interval. [fraction]
CONFIDENCE = 0.95
#: pain_after - pain_before of at least this much is a rise after exercise. [NRS points]
RISE_POINTS = 2.0
#: Rises are counted over this many last window days. [day]
RISE_WINDOW_DAYS = 14

PATIENT_COLUMNS = [
    "patient_id",
    "baseline_pain",
    "current_pain",
    "pain_change",
    "pain_change_pct",
    "improved",
    "worsened",
    "pain_slope_per_week",
    "pain_slope_ci_low",
    "pain_slope_ci_high",
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
    baseline_days: int = BASELINE_DAYS,
    current_days: int = CURRENT_DAYS,
    min_pain_days: int = MIN_PAIN_DAYS,
    current_min_window_days: int = CURRENT_MIN_WINDOW_DAYS,
    improved_points: float = IMPROVED_POINTS,
    improved_percent: float = IMPROVED_PERCENT,
    worsened_points: float = WORSENED_POINTS,
    rolling_days: int = ROLLING_DAYS,
    slope_min_days: int = SLOPE_MIN_DAYS,
    confidence: float = CONFIDENCE,
    rise_points: float = RISE_POINTS,
    rise_window_days: int = RISE_WINDOW_DAYS,
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
    baseline_days, current_days : int
        First and last window days that baseline and current pain are the mean over. [day]
    min_pain_days : int
        Days with a score needed for baseline, current and rolling mean. [day]
    current_min_window_days : int
        Window days needed for current pain. [day]
    improved_points, improved_percent : float
        Improved: change <= -points [NRS points] and change <= -percent [%].
    worsened_points : float
        Worsened: change >= +points. [NRS points]
    rolling_days : int
        Window days of the trailing rolling mean. [day]
    slope_min_days : int
        Days with a score needed for the slope. [day]
    confidence : float
        Level of the slope's confidence interval. [fraction]
    rise_points : float
        pain_after - pain_before counted as a rise. [NRS points]
    rise_window_days : int
        Last window days over which rises are counted. [day]

    Returns
    -------
    Pain
    """
    rows = prepare_logs(logs)
    window = analysis_window(prescriptions, resolve_as_of(rows, as_of))
    return pain_from(
        rows,
        window,
        baseline_days=baseline_days,
        current_days=current_days,
        min_pain_days=min_pain_days,
        current_min_window_days=current_min_window_days,
        improved_points=improved_points,
        improved_percent=improved_percent,
        worsened_points=worsened_points,
        rolling_days=rolling_days,
        slope_min_days=slope_min_days,
        confidence=confidence,
        rise_points=rise_points,
        rise_window_days=rise_window_days,
    )


def pain_from(
    rows: pd.DataFrame,
    window: Window,
    *,
    baseline_days: int = BASELINE_DAYS,
    current_days: int = CURRENT_DAYS,
    min_pain_days: int = MIN_PAIN_DAYS,
    current_min_window_days: int = CURRENT_MIN_WINDOW_DAYS,
    improved_points: float = IMPROVED_POINTS,
    improved_percent: float = IMPROVED_PERCENT,
    worsened_points: float = WORSENED_POINTS,
    rolling_days: int = ROLLING_DAYS,
    slope_min_days: int = SLOPE_MIN_DAYS,
    confidence: float = CONFIDENCE,
    rise_points: float = RISE_POINTS,
    rise_window_days: int = RISE_WINDOW_DAYS,
) -> Pain:
    """:func:`pain` on logs already prepared and a window already built."""
    as_of = window.as_of
    patients = window.patients.set_index("patient_id")
    own = rows[rows["patient_id"].isin(patients.index) & (rows["day"] <= as_of)]

    scored = own[own["pain_before"].notna()]
    daily_pain = scored.groupby(["patient_id", "day"], sort=False)["pain_before"].mean()
    days = window.days.join(daily_pain.rename("daily_pain"), on=["patient_id", "day"])
    days["rolling_pain"] = (
        days.groupby("patient_id", sort=False)["daily_pain"]
        .rolling(rolling_days, min_periods=min_pain_days)
        .mean()
        .to_numpy()
    )
    has_value = days["daily_pain"].notna()

    baseline = _mean_if_enough(days, days["position"] < baseline_days, min_pain_days)
    current = _mean_if_enough(days, days["from_end"] < current_days, min_pain_days)
    baseline = baseline.reindex(patients.index)
    current = current.reindex(patients.index).where(
        patients["days_in_window"] >= current_min_window_days
    )
    change = current - baseline
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = (100 * change / baseline).where(baseline != 0)
    known = change.notna().to_numpy()
    improved = (
        (change <= -improved_points + TOLERANCE)
        & (percent <= -improved_percent + TOLERANCE)
        & (baseline != 0)
    )
    worsened = change >= worsened_points - TOLERANCE

    slope = _slope(days[has_value], patients, slope_min_days, confidence)
    sessions = _sessions(own, window, rise_points, rise_window_days)
    recent_rises = sessions[sessions["rise"] & sessions["recent"]]
    rises = recent_rises.groupby("patient_id").size().reindex(patients.index).fillna(0)
    last_rise = recent_rises.groupby("patient_id")["day"].max().reindex(patients.index)
    started = patients["days_in_window"].to_numpy() > 0

    out = pd.DataFrame(index=pd.RangeIndex(len(patients)))
    out["patient_id"] = patients.index.astype("str")
    out["baseline_pain"] = baseline.to_numpy()
    out["current_pain"] = current.to_numpy()
    out["pain_change"] = change.to_numpy()
    out["pain_change_pct"] = percent.to_numpy()
    out["improved"] = _nullable(improved.to_numpy(), known)
    out["worsened"] = _nullable(worsened.to_numpy(), known)
    out["pain_slope_per_week"] = slope["slope"].to_numpy()
    out["pain_slope_ci_low"] = slope["low"].to_numpy()
    out["pain_slope_ci_high"] = slope["high"].to_numpy()
    pain_days = days[has_value].groupby("patient_id").size().reindex(patients.index).fillna(0)
    out["pain_days"] = pd.array(np.where(started, pain_days.to_numpy(), np.nan), dtype="Int64")
    out["rises"] = pd.array(np.where(started, rises.to_numpy(), np.nan), dtype="Int64")
    out["last_rise_date"] = to_dates(last_rise.to_numpy(dtype=float))

    daily = pd.DataFrame(
        {
            "patient_id": days["patient_id"].to_numpy(),
            "date": to_dates(days["day"].to_numpy()),
            "daily_pain": days["daily_pain"].to_numpy(),
            "rolling_pain": days["rolling_pain"].to_numpy(),
        }
    )
    weeks = days.groupby(["patient_id", "week"], sort=True)["daily_pain"].mean()
    weekly = pd.DataFrame(
        {
            "patient_id": weeks.index.get_level_values("patient_id").astype("str"),
            "week_start": to_dates(weeks.index.get_level_values("week").to_numpy()),
            "mean_pain": weeks.to_numpy(),
        }
    )
    shown = pd.DataFrame(
        {
            "patient_id": sessions["patient_id"].to_numpy(),
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


def _nullable(values: np.ndarray, known: np.ndarray) -> pd.arrays.BooleanArray:
    result = pd.array(values.astype(bool), dtype="boolean")
    result[~known] = pd.NA
    return result


def _mean_if_enough(days: pd.DataFrame, selected: pd.Series, minimum: int) -> pd.Series:
    """Mean daily pain over the selected window days with a score, if there are enough."""
    chosen = days.loc[selected, ["patient_id", "daily_pain"]]
    grouped = chosen.groupby("patient_id", sort=False)["daily_pain"]
    return grouped.mean().where(grouped.count() >= minimum)


def _slope(
    scored: pd.DataFrame, patients: pd.DataFrame, minimum: int, confidence: float
) -> pd.DataFrame:
    """OLS slope of daily pain on calendar days since window_start, per week, with its CI."""
    start = patients["window_start"].reindex(scored["patient_id"]).to_numpy()
    frame = pd.DataFrame(
        {
            "patient_id": scored["patient_id"].to_numpy(),
            "x": scored["day"].to_numpy(dtype=float) - start,
            "y": scored["daily_pain"].to_numpy(dtype=float),
        }
    )
    group = frame.groupby("patient_id", sort=False)
    frame["dx"] = frame["x"] - group["x"].transform("mean")
    frame["dy"] = frame["y"] - group["y"].transform("mean")
    frame["dxx"] = frame["dx"] ** 2
    frame["dxy"] = frame["dx"] * frame["dy"]
    sums = frame.groupby("patient_id", sort=False)[["dxx", "dxy"]].sum()
    n = group.size()
    with np.errstate(divide="ignore", invalid="ignore"):
        per_day = sums["dxy"] / sums["dxx"]
    frame["residual"] = frame["dy"] - per_day.reindex(frame["patient_id"]).to_numpy() * frame["dx"]
    frame["squared"] = frame["residual"] ** 2
    frame["size"] = frame["residual"].abs()
    fit = frame.groupby("patient_id", sort=False).agg(
        ssr=("squared", "sum"), largest=("size", "max")
    )
    ssr, flat = fit["ssr"], fit["largest"]
    enough = n >= max(minimum, 3)
    dof = (n - 2).clip(lower=1).to_numpy(dtype=float)
    quantile = stats.t.ppf(0.5 + confidence / 2, dof)
    with np.errstate(divide="ignore", invalid="ignore"):
        standard_error = np.sqrt(ssr.to_numpy() / dof / sums["dxx"].to_numpy())
    half = np.where(flat.to_numpy() <= TOLERANCE, 0.0, quantile * standard_error * 7)
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
    return result.reindex(patients.index)


def _sessions(
    own: pd.DataFrame, window: Window, rise_points: float, rise_window_days: int
) -> pd.DataFrame:
    """Rows sharing a patient and a timestamp, with first pain_before and last pain_after."""
    grouped = own.groupby(["patient_id", "timestamp"], sort=False)
    sessions = grouped.agg(
        day=("day", "first"),
        pain_before=("pain_before", "first"),
        pain_after=("pain_after", "last"),
    ).reset_index()
    sessions = sessions[sessions["pain_before"].notna() & sessions["pain_after"].notna()]
    sessions = sessions.reset_index(drop=True)
    sessions["rise"] = (
        sessions["pain_after"] - sessions["pain_before"] >= rise_points - TOLERANCE
    ).to_numpy(dtype=bool)
    last_days = window.days.loc[
        window.days["from_end"] < rise_window_days, ["patient_id", "day"]
    ].assign(recent=True)
    sessions = sessions.merge(last_days, on=["patient_id", "day"], how="left")
    sessions["recent"] = sessions["recent"].fillna(False).astype(bool)
    return sessions
