"""The editor's widgets, driven without a browser: set values, click, check the results."""

from __future__ import annotations

import pytest

from toolkit.editor.widgets import HISTORY_LIMIT, RoutineEditor
from toolkit.errors import HepkitError
from toolkit.routines.routine import load_routine, next_version_path

pytestmark = pytest.mark.usefixtures("callbacks_raise")


def _select(editor, name):
    editor.items.value = next(v for label, v in editor.items.options if name in label)


def test_starts_saved_with_the_routine_shown(editor):
    assert (
        repr(editor)
        == "<RoutineEditor 'Gentle back stretches for home' version 1, 6 exercises, saved>"
    )
    assert editor.items.options[3][0] == "4. Single knee to chest"
    assert editor.save_button.disabled and editor.undo_button.disabled
    assert editor.marker.value == ""
    assert "Single knee to chest" in editor.preview_html


def test_changing_reps_updates_model_preview_and_marker(editor):
    _select(editor, "Single knee to chest")
    editor.dose["reps"].value = 5
    assert editor.routine.items[3].dose.reps == 5
    assert "Hold for 20 seconds. Do this 5 times, each side." in editor.preview_html
    assert editor.marker.value == "● unsaved changes"
    assert not editor.save_button.disabled


def test_only_fields_that_fit_the_dose_are_shown(editor):
    shown = lambda: [f for f, wid in editor.dose.items() if wid.layout.display != "none"]  # noqa: E731
    _select(editor, "Belly breathing")
    assert shown() == ["sets", "reps", "rest_s"]
    _select(editor, "Single knee to chest")
    assert shown() == ["sets", "reps", "hold_s", "rest_s", "side"]
    editor.matches.value = "walking"
    editor.add_button.click()
    assert shown() == ["sets", "rest_s", "duration_s", "side"]
    assert (editor.duration_min.value, editor.dose["duration_s"].value) == (10, 0)  # 600 s


def test_bounds_come_from_the_model(editor):
    assert editor.dose["reps"].tooltip == "from 1 to 50"
    assert editor.dose["hold_s"].tooltip == "from 1 to 120"
    assert editor.dose["duration_s"].tooltip == "from 5 to 1800"
    assert (editor.sessions.tooltip, editor.days.tooltip) == ("from 1 to 6", "from 1 to 7")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reps", 0, "Times must be between 1 and 50, not 0"),
        ("reps", 9999, "Times must be between 1 and 50, not 9999"),
        ("hold_s", 121, "The hold must be between 1 and 120 seconds, not 121"),
        ("sets", 11, "Sets must be between 1 and 10, not 11"),
    ],
)
def test_out_of_range_dose_is_refused_beside_its_field(editor, field, value, message):
    _select(editor, "Single knee to chest")
    editor.dose[field].value = value
    assert editor.dose[field].value == value  # what was typed stays, not clamped
    assert editor.dose_problems[field].value == f'<span style="color:#b00020">{message}</span>'
    assert editor.routine.items[3].dose is None and not editor.dirty
    assert editor.save_button.disabled and editor.save_version_button.disabled
    editor.dose[field].value = 5
    assert editor.dose_problems[field].value == ""
    assert getattr(editor.routine.items[3].dose, field) == 5


def test_saving_from_code_with_a_problem_shown_is_refused(editor, routine_file):
    before = routine_file.read_text()
    editor.text_fields["title"].value = ""
    for action in (editor.save, editor.save_new_version):
        with pytest.raises(HepkitError, match=r"^Put right the problems shown before saving\.$"):
            action()
    assert routine_file.read_text() == before
    assert not routine_file.with_name("routine-v2.yaml").exists()


def test_out_of_range_schedule_is_refused_beside_it(editor):
    editor.days.value = 8
    assert editor.days.value == 8
    assert editor.schedule_problem.value == (
        '<span style="color:#b00020">Days a week must be between 1 and 7, not 8</span>'
    )
    assert "Days a week" not in editor.item_problem.value  # said once, beside the field
    assert editor.routine.schedule.days_per_week == 7 and not editor.dirty


def test_selecting_another_exercise_drops_the_typed_dose(editor):
    _select(editor, "Single knee to chest")
    editor.dose["reps"].value = 0
    _select(editor, "Pelvic tilt")
    assert editor.problems == {} and editor.dose_problems["reps"].value == ""
    assert editor.dose["reps"].value == 10


def test_invalid_text_shows_a_problem_and_disables_save(editor):
    editor.text_fields["title"].value = ""
    assert editor.field_problems["title"].value == (
        '<span style="color:#b00020">The title can&#x27;t be empty</span>'
    )
    assert editor.save_button.disabled and editor.save_version_button.disabled
    assert editor.routine.title == "Gentle back stretches for home"
    editor.text_fields["title"].value = "Back care for Sam"
    assert editor.field_problems["title"].value == ""
    assert editor.routine.title == "Back care for Sam"
    assert not editor.save_button.disabled


def test_undo_and_redo(editor):
    _select(editor, "Single knee to chest")
    editor.dose["reps"].value = 5
    editor.text_fields["title"].value = "Back care for Sam"
    editor.undo_button.click()
    assert editor.routine.title == "Gentle back stretches for home"
    assert editor.routine.items[3].dose.reps == 5
    editor.undo_button.click()
    assert editor.routine.items[3].dose is None
    assert not editor.dirty and editor.undo_button.disabled
    assert editor.dose["reps"].value == 3
    editor.redo_button.click()
    editor.redo_button.click()
    assert editor.routine.title == "Back care for Sam" and editor.redo_button.disabled
    assert editor.text_fields["title"].value == "Back care for Sam"


def test_history_is_bounded(editor):
    for n in range(HISTORY_LIMIT + 5):
        editor.text_fields["author"].value = f"Therapist {n}"
    assert editor.session.undo_steps == HISTORY_LIMIT == 200


def test_library_panel_filters_and_adds(editor):
    editor.position_filter.value = "hands-and-knees"
    assert [v for _, v in editor.matches.options] == ["bird-dog", "cat-cow"]
    editor.search.value = "bird"
    assert [v for _, v in editor.matches.options] == ["bird-dog"]
    editor.matches.value = "bird-dog"
    editor.add_button.click()
    assert editor.routine.items[-1].exercise == "bird-dog"
    assert editor.items.value == 6
    assert editor.items.options[-1][0] == "7. Bird dog"


def test_add_without_choice_says_so(editor):
    editor.matches.value = None
    editor.add_button.click()
    assert editor.status.value == "Choose an exercise in the library list first."


def test_move_duplicate_remove_buttons(editor):
    _select(editor, "Drawing in")
    editor.up_button.click()
    assert editor.routine.items[1].exercise == "drawing-in" and editor.items.value == 1
    editor.duplicate_button.click()
    assert [i.exercise for i in editor.routine.items[1:3]] == ["drawing-in", "drawing-in"]
    editor.remove_button.click()  # the copy; the selection moves to the next item
    assert [i.exercise for i in editor.routine.items[1:3]] == [
        "drawing-in",
        "neutral-spine-pelvic-tilts",
    ]
    assert editor.items.value == 2
    editor.down_button.click()
    assert (
        editor.routine.items[3].exercise == "neutral-spine-pelvic-tilts" and editor.items.value == 3
    )


def test_note_and_schedule(editor):
    _select(editor, "Pelvic tilt")
    editor.note.value = "Small movements are fine at first."
    assert editor.routine.items[5].note == "Small movements are fine at first."
    assert "Small movements are fine at first." in editor.preview_html
    editor.sessions.value = 2
    assert editor.routine.schedule.sessions_per_day == 2
    assert "Do this routine twice a day, every day." in editor.preview_html


HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_shown_as_text(editor, text):
    editor.text_fields["title"].value = text
    editor.text_fields["introduction"].value = text
    _select(editor, "Pelvic tilt")
    editor.note.value = text
    page = editor.preview_html
    assert text not in page
    assert (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
        in page
    )
    assert (
        "<script" not in page.lower()
        and "<img src=x" not in page
        and 'javascript:alert(1)">' not in page
    )


def test_save_writes_the_file_and_keeps_the_old(editor, routine_file, library):
    _select(editor, "Single knee to chest")
    editor.dose["reps"].value = 5
    editor.save_button.click()
    assert editor.status.value == "Saved to routine.yaml."
    assert not editor.dirty and editor.save_button.disabled and editor.marker.value == ""
    assert load_routine(routine_file, library).items[3].dose.reps == 5
    assert len(list((routine_file.parent / ".history").iterdir())) == 1


def test_save_refuses_a_file_changed_on_disk(editor, routine_file):
    routine_file.write_text(routine_file.read_text().replace("\nversion: 1", "\nversion: 4"))
    editor.text_fields["author"].value = "Me"
    editor.save_button.click()
    assert editor.status.value == (
        "routine.yaml was changed by someone else since you opened it. Use Save as new version "
        "to keep your changes in a new file, or Reload to start again from the file as it is now."
    )
    assert "version: 4" in routine_file.read_text()
    assert editor.dirty
    editor.reload_button.click()
    assert editor.status.value == "Reloaded routine.yaml as it is now."
    assert editor.routine.version == 4 and not editor.dirty
    editor.undo_button.click()
    assert editor.routine.author == "Me"
    editor.save_button.click()
    assert editor.status.value == "Saved to routine.yaml."


def test_save_as_new_version(editor, routine_file, library):
    editor.text_fields["author"].value = "J. Rivera, PT"
    editor.save_version_button.click()
    newer = routine_file.with_name("routine-v2.yaml")
    assert editor.path == newer
    assert editor.status.value == "Saved version 2 as routine-v2.yaml."
    assert load_routine(newer, library).version == 2
    assert load_routine(routine_file, library).version == 1
    assert load_routine(routine_file, library).author == "hepkit reference routine"
    editor.text_fields["author"].value = "J. Rivera"
    editor.save_button.click()
    assert load_routine(newer, library).author == "J. Rivera"


def test_save_as_new_version_after_reopening_the_first(editor, routine_file, library):
    """The clinician's report: v2 saved, the app reopened on v1, then Save as new version."""
    editor.save_version_button.click()
    reopened = RoutineEditor(load_routine(routine_file, library), library)
    reopened.text_fields["author"].value = "J. Rivera, PT"
    reopened.save_version_button.click()
    assert reopened.status.value == "Saved version 3 as routine-v3.yaml."
    assert reopened.path == routine_file.with_name("routine-v3.yaml")
    assert load_routine(reopened.path, library).version == 3
    reopened.reload_button.click()
    assert reopened.routine.version == 3 and reopened.routine.author == "J. Rivera, PT"
    assert reopened.errors == []


def test_next_version_path(tmp_path):
    assert next_version_path(tmp_path / "a.yaml", 2).name == "a-v2.yaml"
    assert next_version_path(tmp_path / "a-v2.yaml", 3).name == "a-v3.yaml"
    assert next_version_path(tmp_path / "a.json", 7).name == "a-v7.json"


def test_unexpected_errors_are_not_swallowed(editor, monkeypatch):
    from toolkit.routines import editing

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(editing, "move_item", broken)
    with pytest.raises(RuntimeError, match="boom"):
        editor.up_button.click()
    assert editor.status.value == "Unexpected error, nothing was changed: boom"
    assert [str(e) for e in editor.errors] == ["boom"]
    editor.errors.clear()


def test_code_and_widgets_make_the_same_routine(editor, library):
    from toolkit.routines import editing

    _select(editor, "Single knee to chest")
    editor.dose["reps"].value = 5
    by_code = editing.set_dose(load_routine(editor.path, library), 3, library, reps=5)
    assert editor.routine == by_code
    assert editor.apply(lambda r: editing.set_note(r, 0, "Slow breaths."))
    assert editor.routine.items[0].note == "Slow breaths."


def test_library_list_is_in_name_order_and_selection_is_named(editor):
    names = [name for name, _ in editor.matches.options]
    assert names == sorted(names) and len(names) == len(editor.library)
    _select(editor, "Pelvic tilt")
    assert editor.selected_heading.value == "<h4>Selected: Pelvic tilt</h4>"


def test_library_list_shows_best_match_first_and_says_when_nothing_matches(editor):
    editor.search.value = "hamstrng"
    assert [label for label, _ in editor.matches.options] == ["Hamstring stretch with a towel"]
    assert editor.no_matches.value == ""
    editor.search.value = "hamstrng zzzz"
    assert editor.matches.options == ()
    assert (
        editor.no_matches.value
        == "<i>No exercise matches 'hamstrng zzzz'. Try <b>hamstring</b>.</i>"
    )
    editor.search.value = "xylophone"
    assert editor.no_matches.value == (
        "<i>No exercise matches 'xylophone'. Try fewer or shorter words.</i>"
    )


def test_dropdowns_never_hold_none_which_shows_blank(editor):
    dropdowns = [editor.position_filter, editor.region_filter, editor.goal_filter]
    for dropdown in [*dropdowns, editor.next_routine, *editor.opener.__dict__.values()]:
        if hasattr(dropdown, "options") and hasattr(dropdown, "index"):
            assert None not in [value for _, value in dropdown.options]
    assert [d.label for d in dropdowns] == ["any", "any", "any"]
    assert [d.index for d in dropdowns] == [0, 0, 0]
