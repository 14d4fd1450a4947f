"""Comparing versions in the app: which versions are offered, and the list of changes shown."""

from __future__ import annotations

import pytest

from toolkit.editor.compare_panel import OPEN_NOW, changes_html
from toolkit.editor.widgets import RoutineEditor
from toolkit.routines import editing
from toolkit.routines.compare import Change
from toolkit.routines.routine import load_routine

pytestmark = pytest.mark.usefixtures("callbacks_raise")

KNEE = 3  # items[3] of the reference routine: single-knee-to-chest


@pytest.fixture
def editor(routine_file, library):
    made = RoutineEditor(
        load_routine(routine_file, library), library, workspace=routine_file.parent
    )
    yield made
    assert made.errors == []


def test_after_a_new_version_the_previous_is_compared_with_the_open_routine(editor, library):
    compare = editor.opener.compare
    assert [label for label, _ in compare.older.options] == ["routine.yaml"]
    editor.apply(lambda r: editing.set_dose(r, KNEE, library, reps=5))
    editor.save_new_version()
    assert [label for label, _ in compare.older.options] == ["routine-v2.yaml", "routine.yaml"]
    assert compare.older.label == "routine.yaml"  # the newest version that is not open
    assert (compare.newer.label, compare.newer.value) == (
        "routine-v2.yaml (open now)",
        OPEN_NOW,
    )
    assert compare.changes.value == ""
    assert compare.widget.layout.display is None
    compare.compare_button.click()
    assert "<li class='hepkit-change hepkit-change-dose'>Single knee to chest: reps 3 → 5</li>" in (
        compare.changes.value
    )
    assert compare.changes.value.startswith(
        "<div class='hepkit-changes'><b>From routine.yaml to routine-v2.yaml as open now, "
        "with any unsaved changes</b>: 1 change<ul"
    )


def test_unsaved_changes_are_compared_and_two_files_can_be(editor, library):
    compare = editor.opener.compare
    editor.apply(lambda r: editing.remove_item(r, KNEE))
    assert [c.text for c in compare.show()] == ["Removed: Single knee to chest"]
    compare.newer.value = compare.older.value  # the file with itself
    assert compare.show() == []
    assert "no changes; they say the same to the patient." in compare.changes.value


def test_a_shown_comparison_follows_the_open_routine_and_goes_with_another_choice(editor, library):
    compare = editor.opener.compare
    editor.apply(lambda r: editing.remove_item(r, KNEE))
    compare.compare_button.click()
    assert "1 change<ul" in compare.changes.value
    editor.apply(lambda r: editing.set_dose(r, 0, library, reps=9))  # another change
    assert "2 changes<ul" in compare.changes.value  # shown again, without a click
    editor.undo()
    assert "1 change<ul" in compare.changes.value
    compare.newer.value = compare.older.value  # another choice: the old list goes
    assert compare.changes.value == ""
    editor.apply(lambda r: editing.set_dose(r, 0, library, reps=8))
    assert compare.changes.value == ""  # nothing is shown until asked for


def test_what_a_person_typed_shows_as_text(editor, library):
    editor.apply(lambda r: editing.set_note(r, KNEE, "<img src=x onerror=alert(1)> & 'so'"))
    editor.opener.compare.show()
    shown = editor.opener.compare.changes.value
    assert "<img" not in shown
    assert "note added: “&lt;img src=x onerror=alert(1)&gt; &amp; 'so'”" in shown


def test_a_long_text_shows_before_and_after():
    change = Change("field", "Introduction changed", None, "Old <words>. " * 8, "New. " * 20)
    shown = changes_html([change, Change("added", "Added: Bridge (first)")], "a", "b<")
    assert shown.startswith("<div class='hepkit-changes'><b>From a to b&lt;</b>: 2 changes")
    assert "<div><i>Before:</i> Old &lt;words&gt;. Old" in shown
    assert "<div><i>After:</i> New. New." in shown
    assert "<li class='hepkit-change hepkit-change-added'>Added: Bridge (first)</li>" in shown
