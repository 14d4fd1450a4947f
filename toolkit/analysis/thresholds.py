"""Every threshold of the analysis, in one frozen object (analysis spec, revision 2).

:class:`Thresholds` holds each number the analysis compares a figure with, with the spec's
default. The analysis functions take one (``thresholds=``), the :class:`Analysis` they make
keeps it, and the charts, the report's words and the dashboard read it from there, so a
clinic that changes a threshold sees its own value everywhere.

Comparisons follow the spec's tolerance rules (section 2): a float sum of sevenths must not
turn an exact 0.8 into 0.7999999999999999, and the tolerance never moves an exact boundary
value across. :meth:`Thresholds.at_least`, :meth:`~Thresholds.above`,
:meth:`~Thresholds.below` and :meth:`~Thresholds.at_most` apply them.

Examples
--------
>>> from toolkit.analysis.thresholds import Thresholds
>>> Thresholds().adherent_at
0.8
>>> bool(Thresholds(adherent_at=0.7).at_least(0.7 - 1e-12, 0.7))
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Thresholds", "DEFAULT_THRESHOLDS", "with_overrides"]


@dataclass(frozen=True)
class Thresholds:
    """The thresholds an analysis runs with; every default is the spec's.

    Attributes
    ----------
    adherent_at : float
        Session adherence at or above which a patient is adherent. [fraction] A common
        cut-off after Haynes' work on medication adherence: a convention, not evidence.
    baseline_days : int
        First window days baseline pain is the mean over. [day]
    current_days : int
        Last window days current pain is the mean over. [day]
    min_pain_days : int
        Days with a score needed for baseline, current pain and the rolling mean. [day]
    current_min_window_days : int
        Window days needed before current pain is given, so that it does not overlap the
        baseline. [day]
    improved_points : float
        Improved needs a fall of at least this much: the minimal clinically important
        difference (MCID) of the 0-10 scale (Farrar 2001; Ostelo 2008). [NRS points]
    improved_percent : float
        ... and a fall of at least this share of the baseline (Farrar 2001; Ostelo 2008). [%]
    worsened_points : float
        A rise of at least this much is worsened; no validated threshold exists, ours mirrors
        the MCID. [NRS points]
    rolling_days : int
        Window days of the trailing rolling mean drawn in the charts. [day]
    slope_min_days : int
        Days with a score needed for the pain slope. [day]
    confidence : float
        Level of the slope's confidence interval. [fraction]
    rise_points : float
        pain_after - pain_before of at least this much is a rise after exercise (our
        convention, mirroring the MCID). [NRS points]
    rise_window_days : int
        Last window days over which rises are counted. [day]
    min_rises : int
        Rises in those days that raise ``pain_rises_after_exercise``. [count]
    min_window_days : int
        Window days needed for low_adherence, insufficient_baseline and stopped_logging of a
        patient with no row. [day]
    stopped_logging_days : int
        Days since the last log that make an ongoing patient's stopped_logging. [day]
    trend_rise_points : float
        ``pain_trend_up`` needs the fitted pain line to climb at least this much over the
        window (the MCID again, Farrar 2001). [NRS points]
    review_adherence_below : float
        low_adherence makes priority ``review`` when session adherence is below this
        (our convention). [fraction]
    recent_days : int
        Last window days of ``recent_session_adherence``; it is empty on a shorter
        window. [day]
    ready_min_days : int
        Window days needed for ``ready_to_progress``. [day]
    ready_adherence_at : float
        Recent session adherence needed for ``ready_to_progress`` (Haynes' cut-off, a
        convention). [fraction]
    ready_pain_at_most : float
        Current pain at or below which a patient may progress without an improvement (our
        convention). [NRS points]
    tolerance : float
        Slack of every threshold comparison, never moving an exact boundary across. [same
        unit as the figure]
    """

    adherent_at: float = 0.8
    baseline_days: int = 7
    current_days: int = 7
    min_pain_days: int = 3
    current_min_window_days: int = 14
    improved_points: float = 2.0
    improved_percent: float = 30.0
    worsened_points: float = 2.0
    rolling_days: int = 7
    slope_min_days: int = 7
    confidence: float = 0.95
    rise_points: float = 2.0
    rise_window_days: int = 14
    min_rises: int = 2
    min_window_days: int = 7
    stopped_logging_days: int = 7
    trend_rise_points: float = 2.0
    review_adherence_below: float = 0.5
    recent_days: int = 14
    ready_min_days: int = 28
    ready_adherence_at: float = 0.8
    ready_pain_at_most: float = 3.0
    tolerance: float = 1e-9

    def at_least(self, value: Any, threshold: float) -> Any:
        """``value >= threshold``, with the tolerance: ``value >= threshold - tolerance``."""
        return np.asarray(value, dtype=float) >= threshold - self.tolerance

    def above(self, value: Any, threshold: float) -> Any:
        """``value > threshold``, with the tolerance: ``value > threshold + tolerance``."""
        return np.asarray(value, dtype=float) > threshold + self.tolerance

    def below(self, value: Any, threshold: float) -> Any:
        """``value < threshold``, with the tolerance: ``value < threshold - tolerance``."""
        return np.asarray(value, dtype=float) < threshold - self.tolerance

    def at_most(self, value: Any, threshold: float) -> Any:
        """``value <= threshold``, with the tolerance: ``value <= threshold + tolerance``."""
        return np.asarray(value, dtype=float) <= threshold + self.tolerance


#: The spec's defaults.
DEFAULT_THRESHOLDS = Thresholds()


def with_overrides(thresholds: Thresholds | None, overrides: Mapping[str, Any]) -> Thresholds:
    """``thresholds`` (default: the spec's) with some fields given by name.

    Raises
    ------
    TypeError
        A name that is not a field of :class:`Thresholds`.

    Examples
    --------
    >>> with_overrides(None, {"improved_points": 1.5}).improved_points
    1.5
    """
    base = thresholds if thresholds is not None else DEFAULT_THRESHOLDS
    known = [field.name for field in dataclasses.fields(Thresholds)]
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise TypeError(f"unknown threshold {unknown[0]!r}; allowed: {', '.join(sorted(known))}")
    return dataclasses.replace(base, **overrides) if overrides else base
