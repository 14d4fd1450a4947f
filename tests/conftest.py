"""Shared fixtures: the built-in library, the reference routine, closed figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from toolkit.paths import routines_dir  # noqa: E402
from toolkit.routines.library import Library, load_library  # noqa: E402

REFERENCE_ROUTINE = routines_dir() / "gentle-back-stretches.yaml"


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture
def routine_file(tmp_path: Path) -> Path:
    """A private copy of the reference routine that a test may change and save."""
    target = tmp_path / "routine.yaml"
    shutil.copy(REFERENCE_ROUTINE, target)
    return target


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
