"""Priority and ready_to_progress (analysis spec, section 7, revision 2), at and beside every
boundary; the tolerance rules of section 2 apply to each comparison."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_frames import day

from toolkit.analysis.priority import PRIORITIES, priority, ready_to_progress
from toolkit.analysis.thresholds import Thresholds

NO_FLAGS = pd.DataFrame({"patient_id": pd.Series([], dtype="str"), "flag": []})


def found(*flag_names, patient="p1"):
    return pd.DataFrame({"patient_id": [patient] * len(flag_names), "flag": list(flag_names)})


def patient(**values):
    """One started patient; every condition of ready_to_progress holds unless changed."""
    row = {
        "patient_id": "p1",
        "as_of": day("2026-03-01"),
        "window_end": day("2026-03-01"),
        "days_in_window": 28,
        "session_adherence": 0.9,
        "recent_session_adherence": 0.8,
        "current_pain": 3.0,
        "improved": False,
        "pain_slope_ci_low": 0.0,
    }
    row.update(values)
    return pd.DataFrame([row])


def priority_of(flag_table, **values):
    return priority(patient(**values), flag_table).iloc[0]


def ready(flag_table=NO_FLAGS, **values):
    return ready_to_progress(patient(**values), flag_table)[0]


def test_the_priorities_most_severe_first():
    assert PRIORITIES == ("urgent", "review", "monitor", "ok")


@pytest.mark.parametrize("name", ["red_flag_note", "pain_worsened", "pain_trend_up"])
def test_urgent_flags(name):
    assert priority_of(found("low_adherence", name)) == "urgent"


@pytest.mark.parametrize("name", ["pain_rises_after_exercise", "stopped_logging"])
def test_review_flags(name):
    assert priority_of(found("insufficient_baseline", name)) == "review"


@pytest.mark.parametrize(
    ("adherence", "expected"),
    [
        (0.5, "monitor"),  # < 0.5 is strict: exactly 0.5 is not below
        (0.5 - 5e-10, "monitor"),  # within the tolerance: not below either
        (0.5 - 1e-6, "review"),
        (0.2, "review"),
    ],
)
def test_low_adherence_is_review_only_below_half(adherence, expected):
    assert priority_of(found("low_adherence"), session_adherence=adherence) == expected


def test_other_flags_are_monitor_and_no_flag_is_ok():
    assert priority_of(found("insufficient_baseline")) == "monitor"
    assert priority_of(NO_FLAGS) == "ok"
    assert priority_of(found("low_adherence", patient="p2")) == "ok"  # someone else's


def test_the_review_cut_is_a_threshold():
    chosen = Thresholds(review_adherence_below=0.7)
    assert priority(patient(session_adherence=0.6), found("low_adherence"), thresholds=chosen)[
        0
    ] == ("review")


def test_a_window_not_started_has_no_priority_and_no_readiness():
    row = {"days_in_window": 0, "session_adherence": float("nan"), "current_pain": float("nan")}
    assert pd.isna(priority(patient(**row), NO_FLAGS).iloc[0])
    assert pd.isna(ready_to_progress(patient(**row), NO_FLAGS)[0])


def test_ready_when_every_condition_holds_at_its_boundary():
    # 28 days, ongoing, no flag, recent adherence exactly 0.8, current pain exactly 3,
    # ci_low exactly 0 (not clearly rising)
    assert ready()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"days_in_window": 27}, False),
        ({"window_end": day("2026-02-28")}, False),  # ended before as_of
        ({"recent_session_adherence": 0.8 - 5e-10}, True),  # a float sum just short
        ({"recent_session_adherence": 0.8 - 1e-6}, False),
        ({"recent_session_adherence": float("nan")}, False),
        ({"current_pain": 3.0 + 5e-10}, True),
        ({"current_pain": 3.0 + 1e-6}, False),
        ({"current_pain": 6.0, "improved": True}, True),  # improved is enough
        ({"current_pain": float("nan"), "improved": True}, False),  # current needed
        ({"pain_slope_ci_low": 5e-10}, True),  # <= 0 within the tolerance
        ({"pain_slope_ci_low": 1e-6}, False),  # clearly rising
        ({"pain_slope_ci_low": float("nan")}, True),  # no interval
    ],
)
def test_ready_to_progress_beside_each_boundary(values, expected):
    assert bool(ready(**values)) is expected


def test_any_flag_means_not_ready():
    assert not ready(found("insufficient_baseline"))
    assert ready(found("insufficient_baseline", patient="p2"))


def test_ready_thresholds_are_fields():
    chosen = Thresholds(ready_min_days=21, ready_adherence_at=0.7, ready_pain_at_most=4.0)
    frame = patient(days_in_window=21, recent_session_adherence=0.7, current_pain=4.0)
    assert ready_to_progress(frame, NO_FLAGS, thresholds=chosen)[0]
    assert not ready_to_progress(frame, NO_FLAGS)[0]
