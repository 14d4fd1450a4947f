"""The editor's panels and their helpers, each on its own, without the editor around them."""

from __future__ import annotations

import pytest

from toolkit.editor.controls import ANY, problem_html
from toolkit.editor.items_panel import item_names
from toolkit.editor.library_panel import LibraryPanel, no_matches_html
from toolkit.editor.routine_fields import progression_notes
from toolkit.editor.toolbar import UNSAVED_MARK, Toolbar, open_file_html
from toolkit.routines.routine import load_routine


def _unguarded(handler):
    return handler


def test_no_matches_says_why_and_what_to_try(library):
    assert no_matches_html(library, "", filtered=False) == (
        "<i>No exercise matches. Try fewer or shorter words.</i>"
    )
    assert no_matches_html(library, "", filtered=True) == (
        "<i>No exercise matches. Set the filters back to 'any'.</i>"
    )
    assert no_matches_html(library, "<b>zzzz</b>", filtered=True) == (
        "<i>No exercise matches '&lt;b&gt;zzzz&lt;/b&gt;'. Set the filters back to 'any'.</i>"
    )


def test_library_panel_filters_on_its_own(library):
    added = []
    panel = LibraryPanel(library, _unguarded, lambda: added.append(panel.matches.value))
    panel.show_matches()
    assert len(panel.matches.options) == len(library)
    panel.search.value = "xylophone"
    assert panel.matches.options == ()
    panel.search.value = ""
    panel.position_filter.value = "standing"
    standing = [value for _, value in panel.matches.options]
    assert standing and all(library.get(i).position == "standing" for i in standing)
    panel.matches.value = standing[0]
    panel.add_button.click()
    assert added == [standing[0]]
    panel.position_filter.value = ANY
    assert len(panel.matches.options) == len(library)


def test_item_names_are_numbered_from_one(routine_file, library):
    routine = load_routine(routine_file, library)
    names = item_names(routine, library)
    assert len(names) == len(routine.items)
    assert names[3] == "4. Single knee to chest"


@pytest.mark.parametrize(
    ("typed", "notes"),
    [
        ("", []),
        ("Add a second set.", ["Add a second set."]),
        ("  One.\n\n\n  Two\nlines. \n \nThree.", ["One.", "Two\nlines.", "Three."]),
    ],
)
def test_progression_notes_are_one_per_paragraph(typed, notes):
    assert progression_notes(typed) == notes


def test_open_file_says_which_file_and_version():
    assert open_file_html("", 1, from_history=False) == "<b>Editing no file</b> (version 1)"
    assert open_file_html("a&b.yaml", 3, from_history=True) == (
        "<b>An earlier copy of a&amp;b.yaml</b> (version 3): Save as new version keeps it"
    )


def test_problem_html_is_escaped_and_empty_without_a_problem():
    assert problem_html({}, "title") == ""
    assert problem_html({"title": "<script>"}, "title") == (
        '<span style="color:#b00020">&lt;script&gt;</span>'
    )


def test_toolbar_offers_save_only_with_changes_a_file_and_no_problem():
    done = []
    toolbar = Toolbar(
        _unguarded, *(lambda name=name: done.append(name) for name in ("u", "r", "s", "v", "l"))
    )
    for button in (toolbar.undo_button, toolbar.save_version_button, toolbar.reload_button):
        button.click()
    assert done == ["u", "v", "l"]
    state = {
        "can_undo": True,
        "can_redo": False,
        "has_problems": False,
        "dirty": True,
        "has_file": True,
        "from_history": False,
    }
    toolbar.show(**state)
    assert not toolbar.save_button.disabled and not toolbar.undo_button.disabled
    assert toolbar.redo_button.disabled
    assert toolbar.marker.value == UNSAVED_MARK
    for blocking in ({"has_problems": True}, {"dirty": False}, {"from_history": True}):
        toolbar.show(**{**state, **blocking})
        assert toolbar.save_button.disabled
    toolbar.show(**{**state, "has_file": False, "dirty": False})
    assert toolbar.save_button.disabled and toolbar.save_version_button.disabled
    assert toolbar.reload_button.disabled and toolbar.marker.value == ""
    toolbar.say("Saved <b>")
    assert toolbar.status.value == "Saved &lt;b&gt;"
