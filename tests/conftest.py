"""Shared fixtures: the built-in library, the reference routine, a seeded rng, closed figures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import numpy as np
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


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(autouse=True, scope="session")
def _no_clinic_file(tmp_path_factory: pytest.TempPathFactory):
    """No clinic file, so that a clinician's own clinic.yaml never changes a test."""
    previous = os.environ.get("HEPKIT_CLINIC")
    os.environ["HEPKIT_CLINIC"] = str(tmp_path_factory.mktemp("clinic") / "clinic.yaml")
    yield
    if previous is None:
        os.environ.pop("HEPKIT_CLINIC", None)
    else:
        os.environ["HEPKIT_CLINIC"] = previous
