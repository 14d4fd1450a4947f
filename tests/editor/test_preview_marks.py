"""What the preview marks after a change, and which card it scrolls to."""

from __future__ import annotations

import pytest
from conftest import REFERENCE_ROUTINE

from toolkit.editor.preview_marks import (
    CHANGED_CLASS,
    CHANGED_LABEL,
    CHANGED_PART_CLASS,
    CHANGED_SHOWN_S,
    SCROLL_ATTRIBUTE,
    PreviewState,
    changed_cards,
    follow,
    mark_preview,
)
from toolkit.handouts.render import render_handout
from toolkit.routines import editing
from toolkit.routines.routine import load_routine


@pytest.fixture
def routine(library):
    return load_routine(REFERENCE_ROUTINE, library)


def test_marks_and_their_time_are_pinned():
    assert (CHANGED_CLASS, CHANGED_PART_CLASS, CHANGED_LABEL) == (
        "hepkit-changed",
        "hepkit-changed-part",
        "Changed",
    )
    assert CHANGED_SHOWN_S == 4
    assert SCROLL_ATTRIBUTE == "data-hepkit-scroll"


def test_a_dose_or_note_change_marks_that_part(routine, library):
    dosed = editing.set_dose(routine, 3, library, reps=5)
    assert changed_cards(routine, dosed) == {3: ("dose",)}
    noted = editing.set_note(dosed, 3, "Slowly")
    assert changed_cards(dosed, noted) == {3: ("note",)}
    assert changed_cards(routine, noted) == {3: ("dose", "note")}


def test_a_new_or_moved_card_is_marked_whole_and_a_removal_marks_nothing(routine, library):
    added = editing.add_item(routine, "bird-dog", library)
    assert changed_cards(routine, added) == {6: ("card",)}
    moved = editing.move_item(routine, 2, -1)
    assert changed_cards(routine, moved) == {1: ("card",), 2: ("card",)}
    duplicated = editing.duplicate_item(routine, 0)
    assert changed_cards(routine, duplicated) == {1: ("card",)}
    assert changed_cards(routine, editing.remove_item(routine, 0)) == {}
    titled = editing.set_fields(routine, title="Week 2")
    assert changed_cards(routine, titled) == {}


def test_the_preview_marks_the_card_the_part_and_the_scroll(routine, library):
    changed = editing.set_dose(routine, 3, library, reps=5)
    plain = render_handout(changed, library)
    marked = mark_preview(plain, {3: ("dose",)}, scroll_to=3)
    card = marked.split('id="exercise-4"')[1].split("</section>")[0]
    assert marked.count(CHANGED_CLASS + '"') == 1
    assert f'<section class="exercise {CHANGED_CLASS}" id="exercise-4" {SCROLL_ATTRIBUTE}=""' in (
        marked
    )
    assert '<p class="hepkit-changed-label" role="status">Changed: dose</p>' in card
    assert f'<p class="dose {CHANGED_PART_CLASS}">Hold for 20 seconds. Do this 5 times' in card
    assert marked.count(CHANGED_PART_CLASS) == 1
    # the marks are added, nothing else: without them it is the handout as exported
    unmarked = (
        marked.replace(f" {CHANGED_PART_CLASS}", "")
        .replace(f" {CHANGED_CLASS}", "")
        .replace('<p class="hepkit-changed-label" role="status">Changed: dose</p>', "")
        .replace(f' {SCROLL_ATTRIBUTE}=""', "")
    )
    assert unmarked == plain
    assert mark_preview(plain, {}, None) == plain


def test_a_whole_card_is_labelled_without_a_part(routine, library):
    added = editing.add_item(routine, "bird-dog", library)
    marked = mark_preview(render_handout(added, library), {6: ("card",)}, scroll_to=None)
    assert '<p class="hepkit-changed-label" role="status">Changed</p>' in marked
    assert CHANGED_PART_CLASS not in marked
    assert SCROLL_ATTRIBUTE not in marked


def test_the_preview_follows_selection_and_changes(routine, library):
    first = follow(None, routine, 0)
    assert first == PreviewState(routine, 0)  # the first view: no marks, no scroll
    assert follow(first, routine, 0) is first  # nothing new: the preview is left alone

    selected = follow(first, routine, 3)
    assert (selected.changed, selected.scroll_to) == ({}, 3)

    dosed = editing.set_dose(routine, 3, library, reps=5)
    changed = follow(selected, dosed, 3)
    assert (changed.changed, changed.scroll_to) == ({3: ("dose",)}, 3)

    # another exercise chosen: the marks go, the preview goes there
    elsewhere = follow(changed, dosed, 1)
    assert (elsewhere.changed, elsewhere.scroll_to) == ({}, 1)

    # added, then selected by the editor: the new card stays marked
    added = editing.add_item(dosed, "bird-dog", library)
    after_add = follow(elsewhere, added, 1)
    assert (after_add.changed, after_add.scroll_to) == ({6: ("card",)}, 6)
    now_selected = follow(after_add, added, 6)
    assert (now_selected.changed, now_selected.scroll_to) == ({6: ("card",)}, 6)

    # a change elsewhere than the cards (the title): no marks, no scroll
    titled = editing.set_fields(added, title="Week 2")
    assert (follow(now_selected, titled, 6).changed, follow(now_selected, titled, 6).scroll_to) == (
        {},
        None,
    )
