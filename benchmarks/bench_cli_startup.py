"""Start-up of the command line: wall time of ``hepkit --help`` in a new process.

Goal (issue 9): under 0.3 s, which holds only while the heavy libraries (pandas, matplotlib,
WeasyPrint, ipywidgets) are imported by the commands that need them, not by the parser. The
reference, measured in the same run and interleaved with it, is ``python -c pass``: the cost
of starting the interpreter at all. Medians over repeats, after one warm-up run of each. The
CPU time of each process (user + system) is shown too: on a busy machine it varies less than
the wall time.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL_S = 0.3


def console_script() -> str:
    """The ``hepkit`` script of the environment running this benchmark."""
    beside = Path(sys.executable).parent / "hepkit"
    found = str(beside) if beside.exists() else shutil.which("hepkit")
    if found is None:
        raise SystemExit("hepkit is not installed in this environment (pip install -e .)")
    return found


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def wall_time(command: list[str]) -> tuple[float, float]:
    """Wall time from starting ``command`` to its exit, and its CPU time. [s]"""
    cpu, start = _cpu(), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, _cpu() - cpu


def measure(repeats: int) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU times of ``python -c pass`` and ``hepkit --help``, interleaved. [s]"""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "hepkit --help": [console_script(), "--help"],
    }
    for command in commands.values():
        wall_time(command)  # warm the file cache
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(wall_time(command))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    times = measure(args.repeats)
    print(f"{args.repeats} runs of each, interleaved\n")
    print("| command | median wall [s] | min-max wall [s] | median CPU [s] | goal [s] |")
    print("|---|---|---|---|---|")
    medians = {}
    for name, samples in times.items():
        walls = [wall for wall, _ in samples]
        medians[name] = statistics.median(walls)
        cpu = statistics.median(cpu for _, cpu in samples)
        goal = f"< {GOAL_S}" if name == "hepkit --help" else ""
        print(
            f"| {name} | {medians[name]:.3f} | {min(walls):.3f}-{max(walls):.3f} | "
            f"{cpu:.3f} | {goal} |"
        )
    extra = medians["hepkit --help"] - medians["python -c pass"]
    print(f"| hepkit --help less python -c pass | {extra:.3f} | | | |")
    return 0 if medians["hepkit --help"] < GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
