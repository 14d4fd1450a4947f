"""``make lab`` opens JupyterLab local-first: no news pop-up, no update check, on 127.0.0.1."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from locations import REPO

OVERRIDES = REPO / "app" / "lab" / "settings" / "overrides.json"
NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def _lab_schema() -> dict:
    path = Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/apputils-extension"
    return json.loads((path / "notification.json").read_text(encoding="utf-8"))


def test_shipped_settings_turn_news_and_update_checks_off():
    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    assert overrides == {NOTIFICATION: {"fetchNews": "false", "checkForUpdates": False}}
    known = _lab_schema()["properties"]
    assert {"const": "false", "title": "Never"} in known["fetchNews"]["oneOf"]
    assert known["checkForUpdates"]["type"] == "boolean"


@pytest.fixture
def lab_commands() -> list[str]:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    dry_run = subprocess.run(
        [make, "-n", "-o", ".venv/.installed", "lab"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return dry_run.stdout.splitlines()


def test_make_lab_installs_the_settings_where_lab_reads_them(lab_commands):
    assert "cp app/lab/settings/overrides.json .venv/share/jupyter/lab/settings/overrides.json" in (
        lab_commands
    )


def test_make_lab_starts_lab_without_news_or_update_checks(lab_commands):
    from jupyterlab.handlers.announcements import NeverCheckForUpdate
    from jupyterlab.labapp import LabApp

    start = next(line for line in lab_commands if " lab " in line)
    options = [arg for arg in shlex.split(start) if arg.startswith("--")]
    app = LabApp()
    app.parse_command_line(options)
    assert app.news_url is None
    assert app.check_for_updates_class is NeverCheckForUpdate
    assert app.config.ServerApp.ip == "127.0.0.1"
