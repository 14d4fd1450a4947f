"""Importing hepkit before numpy turns numpy's huge-page requests off, unless the user chose."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_CHECK = (
    "import toolkit, numpy, os; "
    "from numpy._core.multiarray import _get_madvise_hugepage as asks; "
    "print(os.environ['NUMPY_MADVISE_HUGEPAGE'], asks())"
)


@pytest.mark.parametrize(("chosen", "expected"), [(None, "0 False"), ("1", "1 True")])
def test_numpy_asks_for_huge_pages_only_when_the_user_says_so(chosen, expected) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if chosen is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = chosen
    out = subprocess.run(
        [sys.executable, "-c", _CHECK], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == expected.split()
