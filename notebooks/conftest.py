"""nbval runs the notebooks in a fresh temporary workspace, never in the clinician's own.

The notebooks write into ``toolkit.workspace_dir()``. Unless ``$HEPKIT_WORKSPACE`` is set
already (``make notebooks`` sets it), it points at a temporary folder for the whole run, which
every notebook's kernel inherits, and the folder is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_MADE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("HEPKIT_WORKSPACE"):
        _MADE.append(tempfile.mkdtemp(prefix="hepkit-workspace-"))
        os.environ["HEPKIT_WORKSPACE"] = _MADE[-1]


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _MADE:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("HEPKIT_WORKSPACE", None)
