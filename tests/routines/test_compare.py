"""The wording of each kind of change between two versions of a routine."""

from __future__ import annotations

import pytest

from toolkit.routines import editing
from toolkit.routines.compare import INLINE_TEXT_CHARS, Change, compare_routines
from toolkit.routines.models import Contact
from toolkit.routines.routine import load_routine

# the reference routine's exercises, in order
BREATHING, NEUTRAL, DRAWING_IN, KNEE, DOUBLE_KNEE, TILT = range(6)


@pytest.fixture
def routine(routine_file, library):
    return load_routine(routine_file, library)


def texts(old, new, library) -> list[str]:
    return [change.text for change in compare_routines(old, new, library)]


def test_the_same_routine_has_no_changes_whatever_its_version_and_dates(routine, library):
    later = routine.model_copy(update={"version": 3})
    assert compare_routines(routine, later, library) == []


def test_short_fields_are_quoted_before_and_after(routine, library):
    new = editing.set_fields(routine, title="Back care, week 2", condition="Back pain")
    assert texts(routine, new, library) == [
        "Title: “Gentle back stretches for home” → “Back care, week 2”",
        "Condition: “Low back pain after a car accident” → “Back pain”",
    ]
    assert str(compare_routines(routine, new, library)[0]).startswith("Title: ")


def test_a_long_text_is_named_and_kept_whole_before_and_after(routine, library):
    intro = "Move gently. " * 10
    new = editing.set_fields(routine, introduction=intro)
    (change,) = compare_routines(routine, new, library)
    assert change == Change(
        "field", "Introduction changed", None, routine.introduction, intro.strip()
    )
    assert INLINE_TEXT_CHARS == 80


def test_clinic_details_added_and_removed(routine, library):
    clinic = Contact(name=routine.clinic.name, email="desk@clinic.example")
    new = routine.model_copy(update={"clinic": clinic})
    assert texts(routine, new, library) == [
        "Clinic phone removed (was “555-0100”)",
        "Clinic email added: “desk@clinic.example”",
    ]


def test_schedule_next_routine_and_progression(routine, library):
    new = editing.set_schedule(routine, sessions_per_day=2, days_per_week=5)
    new = editing.set_fields(
        new,
        next_routine=None,
        progression=[routine.progression[1], "Add the bridge in week 3."],
    )
    assert texts(routine, new, library) == [
        "Next routine removed (was “back-strength-progression”)",
        "Sessions a day: 1 → 2",
        "Days a week: 7 → 5",
        "Progression step removed",
        "Progression step added: “Add the bridge in week 3.”",
    ]
    swapped = editing.set_fields(routine, progression=routine.progression[::-1])
    assert texts(routine, swapped, library) == ["Progression steps put in a new order"]


def test_added_says_where(routine, library):
    new = editing.add_item(routine, "glute-bridge", library, index=DOUBLE_KNEE)
    new = editing.add_item(new, "walking", library, index=0)
    changes = compare_routines(routine, new, library)
    assert [c.text for c in changes] == [
        "Added: Walking (first)",
        "Added: Bridge (after Single knee to chest)",
    ]
    assert [(c.kind, c.exercise) for c in changes] == [
        ("added", "walking"),
        ("added", "glute-bridge"),
    ]


def test_removed(routine, library):
    new = editing.remove_item(routine, DRAWING_IN)
    assert texts(routine, new, library) == ["Removed: Drawing in (belly hollowing)"]


def test_moved_names_only_the_exercise_that_moved(routine, library):
    down = editing.move_item(routine, BREATHING, 3)
    assert texts(routine, down, library) == [
        "Moved: Belly breathing (now after Single knee to chest)"
    ]
    up = editing.move_item(routine, TILT, -5)
    assert texts(routine, up, library) == ["Moved: Pelvic tilt (now first)"]


def test_a_second_copy_of_an_exercise_is_added_after_the_first(routine, library):
    new = editing.duplicate_item(routine, KNEE)
    assert texts(routine, new, library) == [
        "Added: Single knee to chest (after Single knee to chest)"
    ]


def test_each_dose_field_in_words(routine, library):
    new = editing.set_dose(routine, KNEE, library, reps=5, sets=2, hold_s=30, rest_s=45)
    new = editing.set_dose(new, TILT, library, side="alternating", rest_s=90)
    new = editing.set_dose(new, BREATHING, library, reps=12)
    assert texts(routine, new, library) == [
        "Belly breathing: breaths 10 → 12",
        "Single knee to chest: sets 1 → 2",
        "Single knee to chest: reps 3 → 5",
        "Single knee to chest: hold 20 seconds → 30 seconds",
        "Single knee to chest: rest between sets none → 45 seconds",
        "Pelvic tilt: rest between sets 30 seconds → 1 minute 30 seconds",
        "Pelvic tilt: side both sides together → switching sides",
    ]
    change = compare_routines(routine, new, library)[0]
    assert (change.kind, change.exercise) == ("dose", "diaphragmatic-breathing")


def test_time_in_minutes_and_seconds(routine, library):
    with_walk = editing.add_item(routine, "walking", library)
    longer = editing.set_dose(with_walk, 6, library, duration_s=750)
    assert texts(with_walk, longer, library) == ["Walking: time 10 minutes → 12 minutes 30 seconds"]


def test_a_new_kind_of_dose_is_given_whole(routine, library):
    new = editing.set_dose(routine, TILT, library, counts="holds", hold_s=5)
    assert texts(routine, new, library) == [
        "Pelvic tilt: dose “Do this 10 times, 2 sets. Rest 30 seconds between sets.” → "
        "“Hold for 5 seconds. Do this 10 times, 2 sets. Rest 30 seconds between sets.”"
    ]


def test_notes_added_removed_changed(routine, library):
    new = editing.set_note(routine, DRAWING_IN, "Breathe out as you draw in.")
    new = editing.set_note(new, NEUTRAL, None)
    new = editing.set_note(new, TILT, "Small movements.")
    changes = compare_routines(routine, new, library)
    assert [c.text for c in changes] == [
        "Finding your neutral spine: note removed "
        "(was “Keep this middle position for the rest of the routine.”)",
        "Drawing in (belly hollowing): note added: “Breathe out as you draw in.”",
        "Pelvic tilt: note: “Use your belly muscles to move, not your buttocks.” → "
        "“Small movements.”",
    ]
    assert {c.kind for c in changes} == {"note"}
    assert changes[1].before is None and changes[1].after == "Breathe out as you draw in."


def test_text_is_plain_not_html(routine, library):
    new = editing.set_note(routine, DRAWING_IN, "<script>alert(1)</script> & more")
    assert texts(routine, new, library) == [
        "Drawing in (belly hollowing): note added: “<script>alert(1)</script> & more”"
    ]


def test_an_exercise_the_library_lacks_is_named_by_its_id(routine, library):
    items = [*routine.items, routine.items[0].model_copy(update={"exercise": "own-exercise"})]
    new = routine.model_copy(update={"items": items})
    assert texts(routine, new, library) == ["Added: own-exercise (after Pelvic tilt)"]


def test_an_exercise_put_in_the_place_of_another_replaced_it(routine, library):
    new = editing.swap_exercise(routine, DOUBLE_KNEE, "lower-trunk-rotation", library)
    new = editing.swap_exercise(new, BREATHING, "walking", library)
    changes = compare_routines(routine, new, library)
    assert [c.text for c in changes] == [
        "Replaced: Belly breathing with Walking",
        "Replaced: Double knee to chest with Knee rolls (lower trunk rotation)",
    ]
    assert [(c.kind, c.exercise) for c in changes] == [
        ("replaced", "walking"),
        ("replaced", "lower-trunk-rotation"),
    ]
    elsewhere = editing.add_item(editing.remove_item(routine, DOUBLE_KNEE), "walking", library)
    assert texts(routine, elsewhere, library) == [
        "Removed: Double knee to chest",
        "Added: Walking (after Pelvic tilt)",
    ]
