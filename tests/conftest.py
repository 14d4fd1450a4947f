"""Shared fixtures: the built-in library, the reference routine, a seeded rng, closed figures.

Also the one policy for outside programs a test needs (Chromium, poppler's ``pdftotext``,
``pdftoppm``...): :func:`need_tool`, or the marker ``@pytest.mark.needs("pdftotext", ...)``.
Missing, the test is skipped on a workstation and fails when ``$CI`` is set, since ``.ci/run``
installs every one of them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from browser_setup import CHROMIUM, CHROMIUM_ARGS, find_chromium

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from toolkit.paths import routines_dir  # noqa: E402
from toolkit.routines.library import Library, load_library  # noqa: E402

REFERENCE_ROUTINE = routines_dir() / "gentle-back-stretches.yaml"

#: The Debian package that brings each outside program the tests use.
TOOL_PACKAGES = {
    "chromium": "chromium",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfinfo": "poppler-utils",
}


def need_tool(name: str) -> str:
    """The path of the program ``name``; skip the test without it, or fail it under CI.

    Parameters
    ----------
    name : str
        A command looked up on ``PATH`` (``pdftotext``, ``chromium``...).
    """
    found = shutil.which(name)
    if found is not None:
        return found
    package = TOOL_PACKAGES.get(name, name)
    reason = f"{name} is not installed (apt-get install {package}, as .ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and a test needs a missing program: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs(*programs): outside programs the test runs (see need_tool)"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers("needs"):
        for name in marker.args:
            need_tool(name)


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


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's Chromium; missing, it skips the browser tests, or fails them under CI."""
    return find_chromium(CHROMIUM, os.environ)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium_executable: Path
) -> dict[str, Any]:
    """pytest-playwright launches Debian's Chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": str(chromium_executable),
        "args": CHROMIUM_ARGS,
    }
