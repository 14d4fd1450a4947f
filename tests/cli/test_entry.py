"""The ``hepkit`` program: main's exit code, the allocator kept warm, no last collection."""

from __future__ import annotations

import subprocess
import sys

import pytest
from locations import REPO

from toolkit.cli import process


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


def test_the_allocator_settings_are_pinned():
    assert process.ALLOCATOR == {-3: 32 * 2**20, -1: 2**30, -2: 256 * 2**20}


@pytest.mark.skipif(sys.platform != "linux", reason="glibc's mallopt")
def test_glibc_takes_every_allocator_setting():
    # In a fresh process, so the test session's own allocator is left as it is. mallopt
    # answers 0 to an option it does not know, and start says so.
    script = "from toolkit.cli import process; print(process.start())"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "True"
