"""The pure routine changes behind the editor."""

from __future__ import annotations

import pytest

from toolkit.errors import HepkitError, InvalidDocumentError, UnknownExerciseError
from toolkit.routines import editing
from toolkit.routines.routine import load_routine


@pytest.fixture
def routine(routine_file, library):
    return load_routine(routine_file, library)


def test_changes_return_new_routines_and_leave_the_old(routine, library):
    before = routine.model_copy(deep=True)
    changed = editing.set_dose(routine, 3, library, reps=5)
    assert routine == before
    assert changed.items[3].dose.reps == 5
    assert changed.items[3].dose.hold_s == 20  # the rest comes from the default dose


def test_set_dose_back_to_default_drops_the_override(routine, library):
    changed = editing.set_dose(routine, 3, library, reps=5)
    back = editing.set_dose(changed, 3, library, reps=3)
    assert back.items[3].dose is None
    assert editing.reset_dose(changed, 3).items[3].dose is None


def test_incoherent_dose_is_refused_with_its_place(routine, library):
    with pytest.raises(InvalidDocumentError) as caught:
        editing.set_dose(routine, 3, library, duration_s=60)
    assert str(caught.value.problems[0]).startswith("items[3].dose: give either reps")
    with pytest.raises(
        InvalidDocumentError,
        match=r"items\[3\]\.dose\.reps: Input should be less than or equal to 50 \(got 99\)",
    ):
        editing.set_dose(routine, 3, library, reps=99)
    with pytest.raises(HepkitError, match="unknown dose field.*: colour; allowed: sets, reps"):
        editing.set_dose(routine, 3, library, colour=1)


def test_add_move_duplicate_remove(routine, library):
    added = editing.add_item(routine, "bird-dog", library)
    assert added.items[-1].exercise == "bird-dog"
    first = editing.add_item(routine, "walking", library, index=0)
    assert first.items[0].exercise == "walking"
    moved = editing.move_item(routine, 0, 1)
    assert [i.exercise for i in moved.items[:2]] == [
        "neutral-spine-pelvic-tilts",
        "diaphragmatic-breathing",
    ]
    assert editing.move_item(routine, 0, -1) == routine  # already first: stays
    doubled = editing.duplicate_item(routine, 2)
    assert [i.exercise for i in doubled.items[2:4]] == ["drawing-in", "drawing-in"]
    removed = editing.remove_item(routine, 0)
    assert len(removed.items) == 5 and removed.items[0].exercise == "neutral-spine-pelvic-tilts"


def test_last_item_cannot_be_removed(routine):
    while len(routine.items) > 1:
        routine = editing.remove_item(routine, 0)
    with pytest.raises(HepkitError, match="a routine needs at least one exercise"):
        editing.remove_item(routine, 0)


def test_bad_index_and_unknown_exercise(routine, library):
    with pytest.raises(HepkitError, match="item 9 does not exist; the routine has items 0 to 5"):
        editing.move_item(routine, 9, 1)
    with pytest.raises(UnknownExerciseError, match="closest ids: bird-dog"):
        editing.add_item(routine, "bird-dgo", library)
    with pytest.raises(
        HepkitError,
        match="no item uses exercise 'walking'; the routine has: diaphragmatic-breathing",
    ):
        editing.find_item(routine, "walking")


def test_swap_keeps_the_note_and_resets_the_dose(routine, library):
    index = editing.find_item(routine, "pelvic-tilt")
    with_dose = editing.set_dose(routine, index, library, reps=12)
    swapped = editing.swap_exercise(with_dose, index, "glute-bridge", library)
    assert swapped.items[index].exercise == "glute-bridge"
    assert swapped.items[index].dose is None
    assert swapped.items[index].note == routine.items[index].note


def test_fields_schedule_and_notes(routine):
    titled = editing.set_fields(routine, title="Back care for Sam", author="J. Rivera, PT")
    assert (titled.title, titled.author) == ("Back care for Sam", "J. Rivera, PT")
    with pytest.raises(
        InvalidDocumentError, match=r"title: String should have at least 1 character \(got '   '\)"
    ):
        editing.set_fields(routine, title="   ")
    with pytest.raises(HepkitError, match="unknown routine field.*: colour"):
        editing.set_fields(routine, colour="red")
    twice = editing.set_schedule(routine, sessions_per_day=2, days_per_week=5)
    assert (twice.schedule.sessions_per_day, twice.schedule.days_per_week) == (2, 5)
    noted = editing.set_note(routine, 2, "Gently, only to half effort this week.")
    assert noted.items[2].note == "Gently, only to half effort this week."
    assert editing.set_note(noted, 2, "  ").items[2].note is None
