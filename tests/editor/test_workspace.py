"""Opening routines in the app: the workspace's routine files, each routine's versions."""

from __future__ import annotations

import shutil

import pytest

from toolkit.editor.widgets import RoutineEditor
from toolkit.editor.workspace import base_stem, routine_versions, workspace_routines
from toolkit.errors import HepkitError
from toolkit.routines.routine import load_routine

pytestmark = pytest.mark.usefixtures("callbacks_raise")


@pytest.fixture
def editor(routine_file, library):
    made = RoutineEditor(
        load_routine(routine_file, library), library, workspace=routine_file.parent
    )
    yield made
    assert made.errors == []


def test_workspace_lists_routine_files_only(tmp_path):
    for name in ("b.yaml", "a.json", "a.schema.json", ".hidden.yaml", "notes.txt"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / ".history").mkdir()
    assert [p.name for p in workspace_routines(tmp_path)] == ["a.json", "b.yaml"]
    assert workspace_routines(tmp_path / "missing") == []


def test_a_routine_in_a_folder_not_made_yet_has_no_versions(tmp_path, routine_file, library):
    new_copy = tmp_path / "workspace" / "back-care-sam.yaml"
    assert routine_versions(new_copy) == []
    editor = RoutineEditor(
        load_routine(routine_file, library), library, path=new_copy, workspace=routine_file.parent
    )
    assert editor.opener.versions.options == ()
    assert editor.opener.compare.older.options == ()
    assert editor.opener.compare.compare_button.disabled
    hidden = [
        editor.opener.versions,
        editor.opener.open_version_button,
        editor.opener.compare.widget,
    ]
    assert [widget.layout.display for widget in hidden] == ["none", "none", "none"]
    assert editor.opener.routines.layout.display is None  # the workspace has routine.yaml


def test_base_stem_drops_the_version():
    assert base_stem("back-v12.yaml") == "back"
    assert base_stem("back.yaml") == "back"


def test_versions_are_the_files_then_the_history_copies(editor, routine_file):
    editor.text_fields["author"].value = "Someone"
    editor.save()
    editor.save_new_version()
    versions = routine_versions(routine_file)
    labels = [v.label for v in versions]
    assert labels[:2] == ["routine-v2.yaml", "routine.yaml"]
    assert len(labels) == 3
    assert labels[2].startswith("routine.yaml, as saved before ") and labels[2].endswith(" UTC")
    assert versions[2].from_history and versions[2].live == routine_file
    assert not versions[0].from_history


def test_app_shows_the_open_file_and_its_versions(editor, routine_file):
    assert editor.open_file.value == "<b>Editing routine.yaml</b> (version 1)"
    assert [label for label, _ in editor.opener.routines.options] == ["routine.yaml"]
    editor.save_new_version()
    assert editor.open_file.value == "<b>Editing routine-v2.yaml</b> (version 2)"
    assert [label for label, _ in editor.opener.routines.options] == [
        "routine-v2.yaml",
        "routine.yaml",
    ]
    assert [label for label, _ in editor.opener.versions.options] == [
        "routine-v2.yaml",
        "routine.yaml",
    ]
    editor.save_new_version()
    assert editor.path.name == "routine-v3.yaml"


def test_open_another_routine_and_version(editor, routine_file):
    other = routine_file.with_name("other.yaml")
    shutil.copy(routine_file, other)
    editor.opener.update(editor.path)
    editor.opener.routines.value = other
    editor.opener.open_button.click()
    assert editor.path == other and editor.status.value == "Opened other.yaml."
    editor.opener.versions.value = editor.opener.versions.options[0][1]
    editor.opener.open_version_button.click()
    assert editor.path == other


def test_opening_with_unsaved_changes_is_refused(editor, routine_file):
    editor.text_fields["title"].value = "Changed"
    editor.opener.open_button.click()
    assert editor.status.value == (
        "You have unsaved changes: save them, or undo them, before opening another file."
    )
    assert editor.routine.title == "Changed"


def test_an_earlier_copy_is_kept_only_as_a_new_version(editor, routine_file):
    editor.text_fields["title"].value = "Second title"
    editor.save()
    copy = next(v for v in routine_versions(routine_file) if v.from_history)
    editor.open(copy.path, copy.live)
    assert editor.routine.title == "Gentle back stretches for home"
    assert editor.open_file.value.startswith("<b>An earlier copy of routine.yaml</b>")
    assert editor.save_button.disabled
    with pytest.raises(HepkitError, match="This is an earlier copy; use Save as new version"):
        editor.save()
    written = editor.save_new_version()
    assert written == routine_file.with_name("routine-v2.yaml")
    assert load_routine(written).title == "Gentle back stretches for home"
    assert load_routine(routine_file).title == "Second title"
