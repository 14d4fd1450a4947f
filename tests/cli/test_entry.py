"""The ``hepkit`` program: main's exit code, and no last collection over every object."""

from __future__ import annotations

import subprocess
import sys

import pytest
from locations import REPO


@pytest.mark.parametrize(
    ("args", "code"), [(["validate", "nowhere.yaml"], 1), (["schema", "--help"], 0), ([], 2)]
)
def test_the_program_exits_with_the_code_of_main_with_the_collector_frozen(args, code):
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen:', gc.get_freeze_count() > 0))\n"
        f"sys.argv = ['hepkit', *{args!r}]\n"
        "from toolkit.cli.main import entry\n"
        "entry()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == code
    # --help exits inside argparse, before the command runs: nothing to freeze for
    assert done.stdout.strip().endswith("frozen: False" if "--help" in args else "frozen: True")
