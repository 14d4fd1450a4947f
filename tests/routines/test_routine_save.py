"""Saving is atomic, keeps the previous version, and never silently overwrites."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from toolkit import storage
from toolkit.errors import SaveConflictError
from toolkit.routines.routine import load_routine, new_version, save_routine
from toolkit.storage import history_dir


def test_save_keeps_previous_version(routine_file):
    before = routine_file.read_text(encoding="utf-8")
    routine = load_routine(routine_file)
    routine.title = "Stretches for Sam"
    save_routine(routine)
    kept = list(history_dir(routine_file).iterdir())
    assert len(kept) == 1
    assert kept[0].name.startswith("routine.") and kept[0].suffix == ".yaml"
    assert kept[0].read_text(encoding="utf-8") == before
    assert load_routine(routine_file).title == "Stretches for Sam"
    routine.title = "Stretches for Sam, week 2"
    save_routine(routine)
    assert len(list(history_dir(routine_file).iterdir())) == 2


def test_file_changed_on_disk_is_not_overwritten(routine_file):
    routine = load_routine(routine_file)
    someone_else = routine_file.read_text(encoding="utf-8").replace(
        "Gentle back stretches for home", "Edited by a colleague"
    )
    routine_file.write_text(someone_else, encoding="utf-8")
    routine.title = "Mine"
    with pytest.raises(
        SaveConflictError,
        match=r"routine.yaml: the file changed on disk since it was loaded; reload it, or save "
        r"with overwrite=True to replace it",
    ):
        save_routine(routine)
    assert routine_file.read_text(encoding="utf-8") == someone_else
    save_routine(routine, overwrite=True)
    assert load_routine(routine_file).title == "Mine"
    kept = [p.read_text(encoding="utf-8") for p in history_dir(routine_file).iterdir()]
    assert kept == [someone_else]


def test_existing_file_that_was_not_loaded_is_protected(routine_file, tmp_path):
    routine = load_routine(routine_file)
    other = tmp_path / "other.yaml"
    other.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(SaveConflictError):
        save_routine(routine, other)
    assert other.read_text(encoding="utf-8") == "keep me\n"


def test_routine_made_in_code_needs_a_path(routine_file):
    copy = new_version(load_routine(routine_file))
    with pytest.raises(ValueError, match="was not loaded from a file; give a path to save to"):
        save_routine(copy)


def test_new_version_counts_up_and_keeps_the_old_file(routine_file):
    import datetime as dt

    original = load_routine(routine_file)
    newer = new_version(original, today=dt.date(2027, 1, 5))
    assert (newer.version, newer.updated) == (original.version + 1, dt.date(2027, 1, 5))
    target = routine_file.with_name("routine-v2.yaml")
    save_routine(newer, target)
    assert load_routine(routine_file) == original
    assert load_routine(target).version == 2


def test_failure_before_rename_leaves_old_file_and_no_temporary(routine_file, monkeypatch):
    before = routine_file.read_bytes()
    routine = load_routine(routine_file)
    routine.title = "Never written"

    def crash(src, dst):
        raise OSError("simulated power cut")

    monkeypatch.setattr(storage.os, "replace", crash)
    with pytest.raises(OSError, match="simulated power cut"):
        save_routine(routine)
    assert routine_file.read_bytes() == before
    assert not [p for p in routine_file.parent.iterdir() if p.name.endswith(".tmp")]


def test_process_killed_mid_save_leaves_old_file_intact(routine_file):
    """A real crash: the saving process is killed while the new text is half on disk."""
    before = routine_file.read_bytes()
    child = textwrap.dedent(
        f"""
        import os, signal
        from toolkit import storage
        from toolkit.routines.routine import load_routine, save_routine

        routine = load_routine({str(routine_file)!r})
        routine.title = "Half written"

        def die(fd):
            os.kill(os.getpid(), signal.SIGKILL)

        storage.os.fsync = die
        save_routine(routine)
        """
    )
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=60)
    assert result.returncode == -9
    assert routine_file.read_bytes() == before
    assert load_routine(routine_file).title == "Gentle back stretches for home"


def test_atomic_write_keeps_permissions(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")
    target.chmod(0o600)
    storage.atomic_write(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o600
