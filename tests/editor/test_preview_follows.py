"""The editor's preview follows the work, and typing applies when it pauses (no browser)."""

from __future__ import annotations

import base64
import re

import ipywidgets as w
import pytest
from fake_loop import FakeLoop

from toolkit.editor.preview_marks import CHANGED_CLASS, SCROLL_ATTRIBUTE
from toolkit.editor.typing_pause import TypingPause
from toolkit.routines.routine import load_routine

KNEE_TO_CHEST = 3


@pytest.fixture
def loop(editor):
    """Typing waits for a pause the test ends (``loop.pause()``), as on the kernel's loop."""
    fake = FakeLoop()
    editor.typing = TypingPause(call_later=fake.call_later)
    return fake


def _typed(widget, value):
    """``value`` typed in the page: ipywidgets sets it from the page's message, as here."""
    widget.set_state({"value": value})


def _card(editor, index):
    found = re.search(
        rf'<section class="[^"]*" id="exercise-{index + 1}"[^>]*>', editor.preview_html
    )
    assert found, editor.preview_html[:200]
    return found[0]


def test_selecting_an_exercise_flags_its_card_for_the_scroll(editor):
    assert SCROLL_ATTRIBUTE not in editor.preview_html  # the first view stays at the top
    editor.items.value = KNEE_TO_CHEST
    assert SCROLL_ATTRIBUTE in _card(editor, KNEE_TO_CHEST)
    assert editor.preview_html.count(SCROLL_ATTRIBUTE) == 1
    assert CHANGED_CLASS not in editor.preview_html


def test_a_change_marks_its_card_in_the_preview_only(editor, library):
    editor.items.value = KNEE_TO_CHEST
    editor.dose["reps"].value = 5
    card = _card(editor, KNEE_TO_CHEST)
    assert CHANGED_CLASS in card and SCROLL_ATTRIBUTE in card
    assert "Changed: dose" in editor.preview_html
    # the handout handed over has no mark
    editor.downloads.make("html")
    link = editor.downloads.link.value
    handout = base64.b64decode(re.search(r"base64,([^\"]+)", link)[1]).decode()
    assert "Do this 5 times" in handout
    assert "hepkit-changed" not in handout and SCROLL_ATTRIBUTE not in handout
    # the next change clears the mark
    editor.text_fields["title"].value = "Week 2"
    assert CHANGED_CLASS not in editor.preview_html


def test_typing_applies_once_at_the_pause(editor, loop):
    title = editor.text_fields["title"]
    for typed in ("B", "Ba", "Back", "Back "):
        _typed(title, typed)
    assert editor.routine.title == "Gentle back stretches for home"
    assert not editor.dirty and editor.undo_button.disabled
    loop.pause()
    assert editor.routine.title == "Back"
    assert title.value == "Back ", "the space just typed was taken away"
    editor.undo()
    assert editor.routine.title == "Gentle back stretches for home"  # one undo step per pause
    assert not editor.session.can_undo


def test_numbers_apply_at_the_pause_and_out_of_range_is_still_refused(editor, loop):
    editor.items.value = KNEE_TO_CHEST
    reps = editor.dose["reps"]
    _typed(reps, 0)
    assert editor.problems == {}
    loop.pause()
    assert editor.problems == {"dose.reps": "Times must be between 1 and 50, not 0"}
    assert reps.value == 0  # not clamped
    _typed(reps, 7)
    loop.pause()
    assert editor.problems == {}
    assert editor.routine.items[KNEE_TO_CHEST].dose.reps == 7


def test_another_action_applies_the_typing_first_to_its_own_exercise(editor, loop):
    first_note = editor.routine.items[0].note
    editor.items.value = KNEE_TO_CHEST
    _typed(editor.note, "Slowly")
    editor.items.value = 0  # chosen before the pause
    assert editor.routine.items[KNEE_TO_CHEST].note == "Slowly"
    assert editor.routine.items[0].note == first_note
    assert editor.note.value == first_note
    _typed(editor.note, "Breathe out")
    assert editor.routine.items[0].note == first_note
    path = editor.save()  # Save takes what was typed
    saved = load_routine(path, editor.library)
    assert saved.items[0].note == "Breathe out"


def test_text_and_number_fields_send_as_typed(editor):
    typed = [
        *editor.text_fields.values(),
        *editor.clinic_fields.values(),
        editor.note,
        editor.progression,
        *(editor.dose[f] for f in ("sets", "reps", "hold_s", "rest_s", "duration_s")),
        editor.duration_min,
        editor.sessions,
        editor.days,
    ]
    assert all(isinstance(widget, w.Text | w.Textarea | w.IntText) for widget in typed)
    assert all(widget.continuous_update for widget in typed)


def test_a_value_set_from_code_applies_at_once_after_what_was_typed(editor, loop):
    _typed(editor.text_fields["author"], "Dr Ames")
    editor.text_fields["title"].value = "Week 2"  # from a notebook: no pause
    assert (editor.routine.author, editor.routine.title) == ("Dr Ames", "Week 2")
    assert editor.typing.held == ()
