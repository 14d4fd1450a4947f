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


def _fake_copies(routine_file, days, per_day):
    folder = history_dir(routine_file)
    folder.mkdir(exist_ok=True)
    names = []
    for day in range(1, days + 1):
        for n in range(per_day):
            name = f"routine.202601{day:02d}T{n:02d}0000000000Z.yaml"
            (folder / name).write_text(name)
            names.append(name)
    return names


def test_history_keeps_the_last_50_and_one_a_day(routine_file):
    names = _fake_copies(routine_file, days=20, per_day=15)  # 300 saves
    (history_dir(routine_file) / "notes.txt").write_text("not a copy")
    removed = storage.prune_history(routine_file)
    kept = sorted(p.name for p in history_dir(routine_file).iterdir() if p.suffix == ".yaml")
    newest_of_each_day = {name[:16]: name for name in names}.values()
    assert kept == sorted(set(names[-50:]) | set(newest_of_each_day))
    assert len(kept) == 50 + 16 and len(removed) == 300 - len(kept)
    assert (history_dir(routine_file) / "notes.txt").exists()
    assert storage.HISTORY_KEEP_LAST == 50


def test_saving_prunes_the_history(routine_file, monkeypatch):
    monkeypatch.setattr(storage, "HISTORY_KEEP_LAST", 3)
    routine = load_routine(routine_file)
    for number in range(6):
        routine.title = f"Save {number}"
        save_routine(routine)
    kept = sorted(history_dir(routine_file).iterdir())
    assert len(kept) == 3
    assert kept[-1].read_text(encoding="utf-8").count("Save 4") == 1


def test_a_failed_history_copy_leaves_no_partial_copy(routine_file, monkeypatch):
    before = routine_file.read_bytes()
    routine = load_routine(routine_file)
    routine.title = "Never written"

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        save_routine(routine)
    assert routine_file.read_bytes() == before
    assert list(history_dir(routine_file).iterdir()) == []
    assert not routine_file.with_name("routine.yaml.lock").exists()


def test_temporary_files_of_a_killed_save_are_removed_at_the_next_save(routine_file):
    import os

    history_dir(routine_file).mkdir()
    stale = [
        routine_file.with_name(".routine.yaml.k1ll3d.tmp"),
        history_dir(routine_file) / ".routine.20260105T090000000000Z.yaml.x9.tmp",
    ]
    fresh = routine_file.with_name(".routine.yaml.saving.tmp")
    other = routine_file.with_name(".other.yaml.k1ll3d.tmp")
    for path in [*stale, fresh, other]:
        path.write_text("half")
    for path in [*stale, other]:
        os.utime(path, (0, 0))
    routine = load_routine(routine_file)
    routine.title = "After the crash"
    save_routine(routine)
    assert [p.exists() for p in stale] == [False, False]
    assert fresh.exists() and other.exists()  # another save may be writing; another file
