"""Every patient-facing field of a routine can be edited in the app, and Save dates the file."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from toolkit.editor.session import EditingSession
from toolkit.editor.widgets import RoutineEditor
from toolkit.routines.routine import load_routine

pytestmark = pytest.mark.usefixtures("callbacks_raise")


@pytest.fixture
def editor(routine_file, library):
    follow_up = routine_file.with_name("follow-up.yaml")
    shutil.copy(routine_file, follow_up)
    text = follow_up.read_text(encoding="utf-8")
    first_id = load_routine(routine_file).id
    follow_up.write_text(text.replace(f"id: {first_id}", "id: back-care-week-3"), "utf-8")
    made = RoutineEditor(
        load_routine(routine_file, library), library, workspace=routine_file.parent
    )
    yield made
    assert made.errors == []


def test_condition_progression_and_next_routine(editor, routine_file, library):
    editor.text_fields["condition"].value = "Low back pain, week 2"
    editor.progression.value = "Add a second set.\n\nThen walk 15 minutes."
    # the workspace's other routine, and the one the file names already
    assert [label for label, _ in editor.next_routine.options] == [
        "none",
        "back-care-week-3",
        "back-strength-progression",
    ]
    editor.next_routine.value = "back-care-week-3"
    editor.save()
    saved = load_routine(routine_file, library)
    assert saved.condition == "Low back pain, week 2"
    assert saved.progression == ["Add a second set.", "Then walk 15 minutes."]
    assert saved.next_routine == "back-care-week-3"


def test_each_item_note(editor):
    editor.items.value = 2
    editor.note.value = "Only on good days"
    assert editor.routine.items[2].note == "Only on good days"


def test_clinic_contact_fields(editor, routine_file, library):
    editor.clinic_fields["name"].value = "Riverside Physio"
    editor.clinic_fields["phone"].value = "+44 20 7946 0000"
    editor.clinic_fields["email"].value = "desk@riverside.example"
    editor.clinic_fields["address"].value = "1 River Street\nLondon"
    editor.save()
    clinic = load_routine(routine_file, library).clinic
    assert (clinic.name, clinic.phone, clinic.email) == (
        "Riverside Physio",
        "+44 20 7946 0000",
        "desk@riverside.example",
    )
    assert clinic.address == "1 River Street\nLondon"
    assert "Riverside Physio" in editor.preview_html


def test_bad_clinic_email_is_shown_beside_the_clinic_fields(editor):
    editor.clinic_fields["email"].value = "not an address"
    assert "The email address is not written in a form that can be used" in (
        editor.details_problem.value
    )
    assert editor.save_button.disabled
    editor.clinic_fields["email"].value = ""
    assert editor.details_problem.value == ""
    assert editor.routine.clinic.email is None


def test_save_sets_updated_to_the_day_of_the_save(routine_file, library):
    routine = load_routine(routine_file, library)
    session = EditingSession(routine, library)
    day = max(routine.created, dt.date(2030, 5, 17))
    session.save(today=day)
    assert load_routine(routine_file, library).updated == day
    assert not session.dirty and not session.can_undo


def test_save_from_the_app_dates_the_file_today(editor, routine_file, library):
    editor.text_fields["author"].value = "A. Therapist"
    editor.save()
    saved = load_routine(routine_file, library)
    assert saved.updated == max(dt.date.today(), saved.created)
