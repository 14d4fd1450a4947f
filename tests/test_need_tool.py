"""The one policy for missing outside programs: skip on a workstation, fail under CI."""

from __future__ import annotations

import pytest
from conftest import need_tool

ABSENT = "hepkit-no-such-program"


def test_a_present_program_gives_its_path(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    assert need_tool("pdftotext") == "/usr/bin/pdftotext"


def test_a_missing_program_skips_without_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=rf"{ABSENT} is not installed"):
        need_tool(ABSENT)


def test_a_missing_program_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(
        pytest.fail.Exception,
        match=r"CI is set and a test needs a missing program: pdftoppm is not installed "
        r"\(apt-get install poppler-utils, as .ci/run does\)",
    ):
        need_tool("pdftoppm")
