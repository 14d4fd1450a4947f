"""Run every benchmark in this folder, one process each, and print their tables.

``make bench`` calls this. Each ``bench_*.py`` prints a markdown table of medians (and a ratio
to a reference measured in the same run); the README quotes those figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if any(n in s.stem for n in names)]
    status = 0
    for script in scripts:
        print(f"\n## {script.stem}\n", flush=True)
        status |= subprocess.run([sys.executable, str(script)], check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
