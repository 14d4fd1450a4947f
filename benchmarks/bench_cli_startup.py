"""Start-up of the command line: wall time of ``hepkit --help`` in a new process.

Goal (issue 9): under 0.3 s, which holds only while the heavy libraries (pandas, matplotlib,
WeasyPrint, ipywidgets) are imported by the commands that need them, not by the parser. The
reference, measured in the same run and interleaved with it, is ``python -c pass``: the cost
of starting the interpreter at all. Medians over repeats, after one warm-up run of each.
"""

from __future__ import annotations

import argparse
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


def wall_time(command: list[str]) -> float:
    """Seconds from starting ``command`` to its exit. [s]"""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(repeats: int) -> tuple[list[float], list[float]]:
    """Wall times of ``python -c pass`` and ``hepkit --help``, interleaved. [s]"""
    python = [sys.executable, "-c", "pass"]
    hepkit = [console_script(), "--help"]
    wall_time(python)  # warm the file cache
    wall_time(hepkit)
    reference, ours = [], []
    for _ in range(repeats):
        reference.append(wall_time(python))
        ours.append(wall_time(hepkit))
    return reference, ours


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    reference, ours = measure(args.repeats)
    median = statistics.median(ours)
    print(f"{args.repeats} runs of each, interleaved\n")
    print("| command | median [s] | min-max [s] | goal [s] |")
    print("|---|---|---|---|")
    print(
        f"| python -c pass | {statistics.median(reference):.3f} | "
        f"{min(reference):.3f}-{max(reference):.3f} | |"
    )
    print(f"| hepkit --help | {median:.3f} | {min(ours):.3f}-{max(ours):.3f} | < {GOAL_S} |")
    extra = median - statistics.median(reference)
    print(f"| hepkit --help less python -c pass | {extra:.3f} | | |")
    return 0 if median < GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
