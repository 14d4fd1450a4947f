"""Debian's Chromium for the browser tests: where it is, how it starts, what happens without it.

Playwright never downloads a browser here. Without Chromium a browser test is skipped on a
workstation and fails when ``CI`` is set (``.ci/run`` installs it), the policy of
:func:`conftest.need_tool`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HEPKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def find_chromium(path: Path, environ: Mapping[str, str]) -> Path:
    """``path`` when it is an executable; else skip, or fail when ``CI`` is set."""
    if path.is_file() and os.access(path, os.X_OK):
        return path
    reason = (
        f"Chromium not found at {path}: install Debian's package "
        "(apt-get install chromium), as .ci/run does"
    )
    if environ.get("CI"):
        pytest.fail(f"CI is set and the browser tests cannot run. {reason}", pytrace=False)
    pytest.skip(reason)
