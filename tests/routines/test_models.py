"""Dose, schedule and routine rules: only coherent combinations are valid."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from toolkit.routines.models import DEFAULT_SAFETY_NOTICE, SCHEMA_VERSION, Dose, Routine, Schedule


def test_counted_and_timed_doses():
    assert Dose(sets=2, reps=10).volume == 20
    assert Dose(sets=3, reps=5, counts="holds", hold_s=20, side="each-side").volume == 30
    timed = Dose(duration_s=600)
    assert timed.timed and timed.volume == 600
    assert not Dose(reps=1).timed


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "give either reps .* or duration_s"),
        ({"reps": 10, "duration_s": 60}, "give either reps .* not both and not neither"),
        ({"duration_s": 60, "hold_s": 5}, r"dosed by time \(duration_s\) takes no hold_s"),
        ({"duration_s": 60, "counts": "breaths"}, "takes no hold_s and no counts"),
        ({"reps": 10, "counts": "holds"}, "counts: holds needs hold_s"),
        ({"reps": 10, "hold_s": 5}, "hold_s is only allowed with counts: holds"),
        ({"reps": 10, "counts": "breaths", "side": "each-side"}, "breathing exercise has no side"),
    ],
)
def test_incoherent_doses_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        Dose(**fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sets": 0, "reps": 1}, "greater than or equal to 1"),
        ({"sets": 11, "reps": 1}, "less than or equal to 10"),
        ({"reps": 51}, "less than or equal to 50"),
        ({"reps": 5, "counts": "holds", "hold_s": 121}, "less than or equal to 120"),
        ({"reps": 5, "rest_s": 301}, "less than or equal to 300"),
        ({"duration_s": 4}, "greater than or equal to 5"),
        ({"duration_s": 1801}, "less than or equal to 1800"),
        ({"reps": 5, "side": "middle"}, "Input should be 'both', 'left', 'right'"),
    ],
)
def test_dose_bounds(fields, message):
    with pytest.raises(ValidationError, match=message):
        Dose(**fields)


def test_schedule_defaults_and_bounds():
    assert Schedule() == Schedule(sessions_per_day=1, days_per_week=7)
    with pytest.raises(ValidationError, match="less than or equal to 7"):
        Schedule(days_per_week=8)
    with pytest.raises(ValidationError, match="less than or equal to 6"):
        Schedule(sessions_per_day=7)


def _routine(**changes):
    fields = {
        "id": "r1",
        "title": "T",
        "author": "A",
        "clinic": {"name": "C"},
        "created": dt.date(2026, 1, 1),
        "updated": dt.date(2026, 1, 2),
        "condition": "low back pain",
        "introduction": "Hello.",
        "items": [{"exercise": "pelvic-tilt"}],
    }
    fields.update(changes)
    return Routine.model_validate(fields)


def test_routine_defaults():
    routine = _routine()
    assert routine.schema_version == SCHEMA_VERSION == 1
    assert routine.version == 1
    assert routine.language == "en"
    assert routine.safety_notice == DEFAULT_SAFETY_NOTICE
    assert "health care provider" in DEFAULT_SAFETY_NOTICE
    assert "makes your pain worse" in DEFAULT_SAFETY_NOTICE


def test_routine_rules():
    with pytest.raises(ValidationError, match=r"updated \(2025-12-31\) is before created"):
        _routine(updated=dt.date(2025, 12, 31))
    with pytest.raises(ValidationError, match="at least 1 item"):
        _routine(items=[])
    with pytest.raises(ValidationError, match="String should match pattern"):
        _routine(id="Has Spaces")
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        _routine(colour="blue")


def test_assignment_is_validated():
    routine = _routine()
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        routine.version = 0
