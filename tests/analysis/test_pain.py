"""Daily pain, baseline, current, change, slope and rises after exercise (spec, section 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from analysis_frames import day, logs, one, prescriptions
from scipy import stats

from toolkit.analysis.pain import pain
from toolkit.analysis.thresholds import Thresholds

P1 = prescriptions(("p1", "r1", "2026-01-05", None))


def scores(patient, start, values, **extra):
    """One row a day from ``start`` with pain_before = each value (None: no row)."""
    first = pd.Timestamp(start)
    return [
        {
            "patient_id": patient,
            "timestamp": (first + pd.Timedelta(days=i)).strftime("%Y-%m-%d"),
            "pain_before": v,
            **extra,
        }
        for i, v in enumerate(values)
        if v is not None
    ]


def run(rows, pres=P1, as_of=None, **kwargs):
    return pain(logs(*rows), pres, as_of=as_of, thresholds=Thresholds(**kwargs))


def figures(rows, pres=P1, as_of=None, **kwargs):
    return one(run(rows, pres, as_of, **kwargs).patients, patient_id="p1")


def test_daily_pain_is_the_mean_of_any_rows_of_the_day_and_missing_stays_missing():
    rows = [
        {"patient_id": "p1", "timestamp": "2026-01-05T08:00", "pain_before": 4},
        {
            "patient_id": "p1",
            "timestamp": "2026-01-05T18:00",
            "pain_before": 6,
            "completed": False,
            "exercise_id": "not-in-any-routine",
        },
        {"patient_id": "p1", "timestamp": "2026-01-06T08:00"},
        {"patient_id": "p1", "timestamp": "2026-01-07T08:00", "pain_before": 0},
    ]
    daily = run(rows, as_of="2026-01-07").daily.set_index("date")["daily_pain"]
    assert daily[day("2026-01-05")] == 5.0
    assert np.isnan(daily[day("2026-01-06")])
    assert daily[day("2026-01-07")] == 0.0


def test_baseline_needs_three_scored_days_among_the_first_seven_window_days():
    two = scores("p1", "2026-01-05", [6, 6, None, None, None, None, None, 3])
    assert np.isnan(figures(two, as_of="2026-01-12")["baseline_pain"])
    three = scores("p1", "2026-01-05", [6, 6, None, None, None, None, 3])
    assert figures(three, as_of="2026-01-12")["baseline_pain"] == 5.0


def test_baseline_counts_window_days_only_across_a_gap():
    pres = prescriptions(("p1", "r1", "2026-01-05", "2026-01-06"), ("p1", "r1", "2026-01-10", None))
    # first 7 window days: 5, 6, 10, 11, 12, 13, 14; the score on the 8th is outside
    rows = scores("p1", "2026-01-05", [6, 6, None, 9, None, None, None, None, None, 3])
    assert figures(rows, pres, "2026-01-20")["baseline_pain"] == 5.0


def test_current_needs_a_window_of_14_days_and_three_scores():
    rows = scores("p1", "2026-01-05", [6] * 7 + [4] * 7)
    at_14 = figures(rows, as_of="2026-01-18")
    assert (at_14["baseline_pain"], at_14["current_pain"]) == (6.0, 4.0)
    assert at_14["pain_change"] == -2.0
    assert at_14["pain_change_pct"] == pytest.approx(-100 / 3)
    assert at_14["improved"] and at_14["worsened"] is not pd.NA and not at_14["worsened"]
    at_13 = figures(rows[:-1], as_of="2026-01-17")
    assert np.isnan(at_13["current_pain"]) and np.isnan(at_13["pain_change"])
    assert at_13["improved"] is pd.NA and at_13["worsened"] is pd.NA
    sparse = scores("p1", "2026-01-05", [6] * 7 + [None] * 5 + [4, 4])
    assert np.isnan(figures(sparse, as_of="2026-01-18")["current_pain"])


def test_improved_needs_both_2_points_and_30_percent():
    def change(before, after):
        rows = scores("p1", "2026-01-05", list(before) + [None] * 4 + list(after))
        return figures(rows, as_of="2026-01-18")

    boundary = change([6, 7, 7], [4, 5, 5])  # 20/3 -> 14/3: exactly -2 and -30 %
    assert boundary["improved"]
    assert not change([10, 10, 10], [8, 8, 8])["improved"]  # -2 but -20 %
    assert not change([4, 4, 4], [2, 3, 3])["improved"]  # -1.33 though -33 %
    # (0 + 1 + 10) / 3 -> (1 + 1 + 3) / 3 is -1.9999999999999998 in floats: still -2
    trap = change([0, 1, 10], [1, 1, 3])
    assert trap["pain_change"] > -2
    assert trap["improved"]


def test_worsened_is_a_rise_of_2_points_with_the_float_tolerance():
    def change(before, after):
        rows = scores("p1", "2026-01-05", list(before) + [None] * 4 + list(after))
        return figures(rows, as_of="2026-01-18")

    assert change([3, 3, 3], [5, 5, 5])["worsened"]
    assert not change([3, 3, 3], [4, 5, 5])["worsened"]
    trap = change([0, 0, 5], [0, 1, 10])  # 1.9999999999999998 in floats
    assert trap["pain_change"] < 2 and trap["worsened"]


def test_a_zero_baseline_gives_no_percentage_and_is_never_improved():
    rows = scores("p1", "2026-01-05", [0, 0, 0] + [None] * 8 + [2, 2, 2])
    result = figures(rows, as_of="2026-01-18")
    assert result["baseline_pain"] == 0.0
    assert np.isnan(result["pain_change_pct"])
    assert result["improved"] is not pd.NA and not result["improved"]
    assert result["worsened"]


def test_rolling_mean_takes_seven_window_days_and_needs_three_scores():
    pres = prescriptions(("p1", "r1", "2026-01-05", "2026-01-07"), ("p1", "r1", "2026-01-12", None))
    rows = scores("p1", "2026-01-05", [6, None, 4] + [9] * 4 + [5, 3, 1, 2])
    rolling = run(rows, pres, "2026-01-15").daily.set_index("date")["rolling_pain"]
    assert np.isnan(rolling[day("2026-01-05")])
    assert np.isnan(rolling[day("2026-01-07")])  # two scores so far
    assert rolling[day("2026-01-12")] == 5.0  # 6, 4, 5
    # 7 window days ending on the 15th: 5, 6, 7, 12, 13, 14, 15 -> 6, 4, 5, 3, 1, 2
    assert rolling[day("2026-01-15")] == pytest.approx(21 / 6)
    assert list(rolling.index.day) == [5, 6, 7, 12, 13, 14, 15]


def test_slope_is_per_week_on_calendar_days_with_a_zero_width_interval_on_a_line():
    pres = prescriptions(("p1", "r1", "2026-01-05", "2026-01-07"), ("p1", "r1", "2026-01-12", None))
    line = {5: 10, 6: 9.5, 7: 9, 12: 6.5, 13: 6, 14: 5.5, 15: 5}  # -0.5 a calendar day
    rows = [
        {"patient_id": "p1", "timestamp": f"2026-01-{d:02d}", "pain_before": v}
        for d, v in line.items()
    ]
    # pain_before is an integer column in the logs; use a float frame for half points
    frame = logs(*[{**r, "pain_before": None} for r in rows])
    frame["pain_before"] = list(line.values())
    result = one(pain(frame, pres, as_of="2026-01-15").patients, patient_id="p1")
    assert result["pain_slope_per_week"] == pytest.approx(-3.5)
    assert result["pain_slope_ci_low"] == result["pain_slope_per_week"]
    assert result["pain_slope_ci_high"] == result["pain_slope_per_week"]


def test_constant_pain_has_slope_zero_and_interval_zero():
    result = figures(scores("p1", "2026-01-05", [4] * 8), as_of="2026-01-12")
    assert (
        result["pain_slope_per_week"],
        result["pain_slope_ci_low"],
        result["pain_slope_ci_high"],
    ) == (0.0, 0.0, 0.0)


def test_slope_interval_uses_t_with_n_minus_2_degrees_of_freedom():
    values = [7, 6, 7, 5, 6, 4, 5, 3, None, 4]
    result = figures(scores("p1", "2026-01-05", values), as_of="2026-01-14")
    x = [i for i, v in enumerate(values) if v is not None]
    y = [v for v in values if v is not None]
    fit = stats.linregress(x, y)
    half = stats.t.ppf(0.975, len(x) - 2) * fit.stderr * 7
    assert result["pain_slope_per_week"] == pytest.approx(fit.slope * 7)
    assert result["pain_slope_ci_low"] == pytest.approx(fit.slope * 7 - half)
    assert result["pain_slope_ci_high"] == pytest.approx(fit.slope * 7 + half)
    ninety = figures(scores("p1", "2026-01-05", values), as_of="2026-01-14", confidence=0.9)
    assert ninety["pain_slope_ci_high"] == pytest.approx(
        fit.slope * 7 + stats.t.ppf(0.95, len(x) - 2) * fit.stderr * 7
    )


def test_slope_needs_seven_scored_days():
    six = figures(scores("p1", "2026-01-05", [6, 5, 4, 3, 2, 1]), as_of="2026-01-12")
    assert np.isnan(six["pain_slope_per_week"]) and np.isnan(six["pain_slope_ci_low"])
    seven = figures(scores("p1", "2026-01-05", [7, 6, 5, 4, 3, 2, 1]), as_of="2026-01-12")
    assert seven["pain_slope_per_week"] == pytest.approx(-7.0)


def _session(when, before=None, after=None, **extra):
    return {
        "patient_id": "p1",
        "timestamp": when,
        "pain_before": before,
        "pain_after": after,
        **extra,
    }


def test_rises_after_exercise_take_first_before_and_last_after_of_a_timestamp():
    pres = prescriptions(("p1", "r1", "2026-01-01", None))  # last 14 days: 7th to 20th
    rows = [
        _session("2026-01-05T08:00", 2, 6),  # a rise, but before the last 14 window days
        _session("2026-01-08T08:00", 3, None, exercise_id="cat-cow"),
        _session("2026-01-08T08:00", 5, 4, exercise_id="clamshell"),
        _session("2026-01-08T08:00", None, 6, exercise_id="walking"),  # 3 -> 6: a rise
        _session("2026-01-10T08:00", 4, 5),  # +1: no rise
        _session("2026-01-15T18:00", 5, 7, completed=False),  # a rise, not completed
        _session("2026-01-16T08:00", 6, None),  # no after: no session score
    ]
    result = run(rows, pres, "2026-01-20")
    figures_ = one(result.patients, patient_id="p1")
    assert figures_["rises"] == 2
    assert figures_["last_rise_date"] == day("2026-01-15")
    eighth = one(result.sessions, date=day("2026-01-08"))
    assert (eighth["pain_before"], eighth["pain_after"], eighth["rise"]) == (3.0, 6.0, True)
    assert not one(result.sessions, date=day("2026-01-05"))["recent"]


def test_weekly_mean_pain_averages_the_weeks_scored_window_days():
    rows = scores("p1", "2026-01-05", [6, None, 4, None, None, None, None, 2])
    weekly = run(rows, as_of="2026-01-13").weekly.set_index("week_start")["mean_pain"]
    assert weekly[day("2026-01-05")] == 5.0
    assert weekly[day("2026-01-12")] == 2.0


def test_rows_after_as_of_are_ignored():
    rows = scores("p1", "2026-01-05", [6, 6, 6, 6, 6, 6, 6, 1])
    result = figures(rows, as_of="2026-01-11")
    assert result["baseline_pain"] == 6.0
    assert result["pain_days"] == 7


def test_thresholds_are_parameters():
    rows = scores("p1", "2026-01-05", [6, 6, None, None, None, None, None, 5, 4])
    assert np.isnan(figures(rows, as_of="2026-01-13")["baseline_pain"])
    relaxed = figures(rows, as_of="2026-01-13", min_pain_days=2, current_min_window_days=9)
    assert relaxed["baseline_pain"] == 6.0
    assert relaxed["current_pain"] == 4.5  # 5 and 4 on the last 7 window days (2..9)
    assert relaxed["improved"] is not pd.NA and not relaxed["improved"]
    assert figures(
        rows,
        as_of="2026-01-13",
        min_pain_days=2,
        current_min_window_days=9,
        improved_points=1.0,
        improved_percent=20.0,
    )["improved"]
