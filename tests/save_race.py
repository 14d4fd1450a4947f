"""A worker for the concurrent-save test: loads a routine, waits for its rival, saves."""

from __future__ import annotations

import contextlib
import threading

from toolkit.errors import SaveConflictError
from toolkit.routines.routine import load_routine, save_routine


def save_in_turns(name, path, rounds, barrier, results):
    """Each round: load, change the title to ``name``/round, wait for all, save, report."""
    # a broken barrier: the parent gave up after a failed check
    with contextlib.suppress(threading.BrokenBarrierError):
        _rounds(name, path, rounds, barrier, results)


def _rounds(name, path, rounds, barrier, results):
    for round_number in range(rounds):
        barrier.wait()  # the parent has written a fresh file
        routine = load_routine(path)
        routine.title = f"{name} round {round_number}"
        barrier.wait()  # both have loaded the same file: save at once
        try:
            save_routine(routine)
        except SaveConflictError as exc:
            results.put((round_number, name, "conflict", str(exc)))
        else:
            results.put((round_number, name, "saved", ""))
        barrier.wait()  # the parent checks the file
