"""Run a snippet of Python in a child process with a memory limit and a time limit."""

from __future__ import annotations

import subprocess
import sys
import textwrap

#: Address space the child may use. [bytes]
MEMORY_LIMIT = 1024**3


def run_bounded(code: str, timeout_s: float = 30) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with at most :data:`MEMORY_LIMIT` of memory and ``timeout_s`` seconds.

    Raises ``subprocess.TimeoutExpired`` when the child runs too long.
    """
    prelude = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
        """
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
