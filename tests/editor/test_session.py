"""The editing session without widgets: history, unsaved state, saving and new versions."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from toolkit.editor.session import HISTORY_LIMIT, EditingSession, next_free_version
from toolkit.errors import HepkitError, InvalidDocumentError, SaveConflictError
from toolkit.paths import routines_dir
from toolkit.routines import editing
from toolkit.routines.routine import load_routine, new_version, save_routine

KNEE_TO_CHEST = 3  # items[3] of the reference routine


@pytest.fixture
def session(routine_file, library):
    return EditingSession(load_routine(routine_file, library), library)


def _set_author(session, name):
    return session.apply(editing.set_fields, author=name)


def test_importing_the_session_loads_no_widgets():
    code = (
        "import sys, toolkit.editor.session; "
        "assert 'ipywidgets' not in sys.modules, 'ipywidgets was imported'"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_starts_saved_on_the_file_it_was_loaded_from(session, routine_file):
    assert session.path == routine_file.resolve()
    assert not session.dirty and not session.can_undo and not session.can_redo
    assert repr(session) == (
        "<EditingSession 'Gentle back stretches for home' version 1, 6 exercises, saved>"
    )


def test_apply_calls_one_editing_function_and_records_it(session, library):
    changed = session.apply(editing.set_dose, KNEE_TO_CHEST, library, reps=5)
    assert changed.items[KNEE_TO_CHEST].dose.reps == 5
    assert session.routine == changed and session.dirty and session.undo_steps == 1


def test_routine_is_a_copy(session):
    copy = session.routine
    copy.title = "Changed outside"
    assert session.routine.title == "Gentle back stretches for home"


def test_a_change_to_an_equal_routine_is_not_recorded(session):
    session.apply(editing.set_fields, title="Gentle back stretches for home")
    assert not session.can_undo and not session.dirty


def test_undo_and_redo(session):
    _set_author(session, "A")
    _set_author(session, "B")
    assert session.undo() and session.routine.author == "A"
    assert session.undo() and session.routine.author == "hepkit reference routine"
    assert not session.undo() and not session.dirty
    assert session.redo() and session.routine.author == "A" and session.dirty
    assert session.redo() and session.routine.author == "B"
    assert not session.redo()


def test_a_new_change_clears_redo(session):
    _set_author(session, "A")
    session.undo()
    assert session.can_redo
    _set_author(session, "C")
    assert not session.can_redo and not session.redo()
    assert session.routine.author == "C"


def test_history_is_bounded(routine_file, library):
    assert HISTORY_LIMIT == 200
    session = EditingSession(load_routine(routine_file, library), library, history_limit=3)
    for name in ("A", "B", "C", "D", "E"):
        _set_author(session, name)
    assert session.undo_steps == 3
    while session.undo():
        pass
    assert session.routine.author == "B"  # the oldest kept; the start is no longer there
    assert session.dirty


def test_undo_back_to_the_saved_routine_is_not_dirty(session):
    _set_author(session, "A")
    session.save()
    _set_author(session, "B")
    assert session.dirty
    session.undo()
    assert not session.dirty
    session.undo()
    assert session.dirty and session.routine.author == "hepkit reference routine"


def test_an_invalid_change_is_refused_in_plain_words_and_changes_nothing(session, library):
    _set_author(session, "A")
    with pytest.raises(InvalidDocumentError) as caught:
        session.apply(editing.set_dose, KNEE_TO_CHEST, library, reps=0)
    [problem] = caught.value.problems
    assert (problem.where, problem.message) == (
        "items[3].dose.reps",
        "Times must be between 1 and 50, not 0",
    )
    assert str(caught.value) == (
        "<memory>: 1 problem\n  - items[3].dose.reps: Times must be between 1 and 50, not 0"
    )
    assert session.routine.author == "A" and session.undo_steps == 1 and not session.can_redo


def test_an_impossible_change_is_refused_and_changes_nothing(session):
    with pytest.raises(HepkitError, match=r"^item 9 does not exist; the routine has items 0 to 5$"):
        session.apply(editing.remove_item, 9)
    assert not session.dirty and not session.can_undo


def test_save_writes_the_file_and_keeps_the_old(session, routine_file, library):
    _set_author(session, "J. Rivera, PT")
    assert session.save() == routine_file.resolve()
    assert not session.dirty
    assert load_routine(routine_file, library).author == "J. Rivera, PT"
    assert len(list((routine_file.parent / ".history").iterdir())) == 1
    _set_author(session, "J. Rivera")
    session.save()  # saving again is not a conflict with its own first save
    assert load_routine(routine_file, library).author == "J. Rivera"


def test_save_refuses_a_file_changed_on_disk(session, routine_file):
    changed = routine_file.read_text().replace("\nversion: 1", "\nversion: 4")
    routine_file.write_text(changed)
    _set_author(session, "Me")
    with pytest.raises(
        SaveConflictError,
        match=r"^routine\.yaml was changed by someone else since you opened it\. Use Save as new "
        r"version to keep your changes in a new file, or Reload to start again from the file "
        r"as it is now\.$",
    ):
        session.save()
    assert routine_file.read_text() == changed
    assert session.dirty and session.routine.author == "Me"


def test_reload_takes_the_file_as_it_is_now_and_undo_brings_the_changes_back(session, routine_file):
    routine_file.write_text(routine_file.read_text().replace("\nversion: 1", "\nversion: 4"))
    _set_author(session, "Me")
    assert session.reload().version == 4
    assert not session.dirty and session.routine.author == "hepkit reference routine"
    session.undo()
    assert session.routine.author == "Me" and session.dirty
    session.save()  # the file as reloaded is the one replaced: no conflict
    assert "author: Me" in routine_file.read_text()


def test_save_as_new_version_three_times(session, routine_file, library):
    written = []
    for author in ("A", "B", "C"):
        _set_author(session, author)
        written.append(session.save_as_new_version())
        assert not session.dirty and session.path == written[-1]
    assert [p.name for p in written] == ["routine-v2.yaml", "routine-v3.yaml", "routine-v4.yaml"]
    assert [load_routine(p, library).version for p in written] == [2, 3, 4]
    assert [load_routine(p, library).author for p in written] == ["A", "B", "C"]
    assert load_routine(routine_file, library).version == 1
    _set_author(session, "D")
    session.save()  # Save now writes the newest file, which the session tracks
    assert load_routine(written[-1], library).author == "D"
    assert load_routine(written[1], library).author == "B"
    assert session.reload().author == "D"


def test_save_as_new_version_after_reopening_the_first(session, routine_file, library):
    """The clinician's report: save v2, reopen v1, change it, save as new version again."""
    session.save_as_new_version()
    reopened = EditingSession(load_routine(routine_file, library), library)
    _set_author(reopened, "J. Rivera, PT")
    assert reopened.save_as_new_version().name == "routine-v3.yaml"
    assert reopened.routine.version == 3
    assert load_routine(routine_file.with_name("routine-v2.yaml"), library).version == 2
    assert reopened.reload().author == "J. Rivera, PT"
    _set_author(reopened, "J. Rivera")
    reopened.save()
    assert load_routine(routine_file.with_name("routine-v3.yaml"), library).author == "J. Rivera"


def test_save_as_new_version_is_one_undo_step(session):
    _set_author(session, "A")
    session.save_as_new_version()
    assert session.undo() and session.routine.version == 1 and session.routine.author == "A"


def test_save_as_new_version_skips_a_version_saved_elsewhere(session, routine_file):
    older = session.routine
    session.save_as_new_version()
    save_routine(new_version(new_version(older)), routine_file.with_name("routine-v3.yaml"))
    assert session.save_as_new_version().name == "routine-v4.yaml"
    assert session.routine.version == 4


def test_save_as_new_version_never_replaces_a_file_made_meanwhile(
    session, routine_file, monkeypatch
):
    """A file made between choosing the number and writing is refused, not replaced."""
    v2 = routine_file.with_name("routine-v2.yaml")
    v2.write_text("made by someone else\n")
    monkeypatch.setattr("toolkit.editor.session.next_free_version", lambda path, version: 2)
    _set_author(session, "A")
    with pytest.raises(
        SaveConflictError,
        match=r"^routine-v2\.yaml was made by someone else just now\. Use Save as new version "
        r"again to save your changes as the next version\.$",
    ):
        session.save_as_new_version()
    assert v2.read_text() == "made by someone else\n"
    assert session.path == routine_file.resolve() and session.dirty


def test_next_free_version_skips_files_that_exist(tmp_path):
    assert next_free_version(tmp_path / "a.yaml", 1) == 2
    (tmp_path / "a-v2.yaml").write_text("")
    (tmp_path / "a-v3.yaml").write_text("")
    assert next_free_version(tmp_path / "a.yaml", 1) == 4
    assert next_free_version(tmp_path / "a-v3.yaml", 3) == 4


def test_a_session_without_a_file_cannot_save(library):
    made_in_code = load_routine(routines_dir() / "gentle-back-stretches.yaml").model_copy()
    session = EditingSession(made_in_code, library)
    assert session.path is None
    message = (
        r"^this routine has no file yet, so it cannot be saved or reloaded; "
        r"open the editor on a routine file$"
    )
    for action in (session.save, session.save_as_new_version, session.reload):
        with pytest.raises(HepkitError, match=message):
            action()
