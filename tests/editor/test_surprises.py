"""No silent surprises: durations in minutes, a second copy of an exercise only when asked."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("callbacks_raise")


@pytest.fixture
def walking(editor):
    editor.matches.value = "walking"
    editor.add_button.click()
    return editor


def test_duration_is_shown_and_typed_in_minutes_and_seconds(walking):
    editor = walking
    assert editor.duration_min.description == "Time [min]"
    assert editor.dose["duration_s"].description == "and [s]"
    editor.duration_min.value = 12
    assert editor.routine.items[-1].dose.duration_s == 720
    editor.dose["duration_s"].value = 30
    assert editor.routine.items[-1].dose.duration_s == 750
    assert (editor.duration_min.value, editor.dose["duration_s"].value) == (12, 30)
    editor.dose["duration_s"].value = 90  # more than a minute of seconds is carried over
    assert (editor.duration_min.value, editor.dose["duration_s"].value) == (13, 30)


def test_too_long_a_duration_is_refused_in_words(walking):
    editor = walking
    editor.duration_min.value = 31
    assert editor.routine.items[-1].dose is None  # still the library's 10 minutes
    assert "1800" in editor.problems["dose.duration_s"]


def test_adding_an_exercise_already_in_the_routine_asks_first(editor):
    editor.matches.value = "pelvic-tilt"
    editor.add_button.click()
    assert editor.status.value == (
        "Pelvic tilt is already in the routine (number 6). Press Add again to add it once more."
    )
    assert len(editor.routine.items) == 6
    editor.add_button.click()
    assert [item.exercise for item in editor.routine.items].count("pelvic-tilt") == 2


def test_a_new_exercise_is_added_at_once(editor):
    editor.matches.value = "bird-dog"
    editor.add_button.click()
    assert editor.routine.items[-1].exercise == "bird-dog"
