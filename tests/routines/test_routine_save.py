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
        match=r"routine.yaml: the file changed on disk since it was loaded \(someone else saved "
        r"it\); your changes were not saved: reload the file to see the other changes, or save "
        r"yours as a new version",
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


def test_concurrent_saves_from_the_same_load_lose_nothing_silently(routine_file):
    """Two processes save different changes of one loaded routine at the same instant."""
    import multiprocessing

    from save_race import save_in_turns

    from toolkit.routines.routine import load_routine as load

    rounds = 20
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3, timeout=60)
    results = context.Queue()
    original = routine_file.read_bytes()
    workers = [
        context.Process(target=save_in_turns, args=(name, routine_file, rounds, barrier, results))
        for name in ("Ada", "Bea")
    ]
    for worker in workers:
        worker.start()
    try:
        for round_number in range(rounds):
            routine_file.write_bytes(original)
            barrier.wait()
            barrier.wait()
            outcome = sorted(results.get(timeout=60) for _ in workers)
            states = sorted(state for _, _, state, _ in outcome)
            assert states == ["conflict", "saved"], outcome
            winner = next(name for _, name, state, _ in outcome if state == "saved")
            assert load(routine_file).title == f"{winner} round {round_number}"
            refused = next(message for _, _, state, message in outcome if state == "conflict")
            assert "your changes were not saved" in refused
            barrier.wait()
    finally:
        barrier.abort()
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    assert not routine_file.with_name("routine.yaml.lock").exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(routine_file):
    lock = routine_file.with_name("routine.yaml.lock")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    lock.write_text(f"{dead} 0\n")
    routine = load_routine(routine_file)
    routine.title = "After a crash"
    save_routine(routine)
    assert load_routine(routine_file).title == "After a crash"
    assert not lock.exists()


def test_a_live_lock_makes_the_save_wait_then_refuse(routine_file, monkeypatch):
    import os
    import time

    lock = routine_file.with_name("routine.yaml.lock")
    lock.write_text(f"{os.getpid()} {time.time()}\n")
    monkeypatch.setattr(storage, "LOCK_WAIT_S", 0.2)
    routine = load_routine(routine_file)
    routine.title = "Blocked"
    with pytest.raises(
        SaveConflictError,
        match=r"routine.yaml: someone else is saving this file right now; your changes were not "
        r"saved: reload the file to see the other changes, or save yours as a new version",
    ):
        save_routine(routine)
    assert load_routine(routine_file).title != "Blocked"


def test_lock_defaults():
    assert (storage.STALE_LOCK_S, storage.LOCK_WAIT_S) == (60.0, 10.0)


def test_an_old_lock_is_stale_even_if_its_process_runs(routine_file):
    import os

    lock = routine_file.with_name("routine.yaml.lock")
    lock.write_text(f"{os.getpid()} 0\n")
    os.utime(lock, (0, 0))
    with storage.file_lock(routine_file, wait_s=0):
        assert lock.read_text().split()[0] == str(os.getpid())
