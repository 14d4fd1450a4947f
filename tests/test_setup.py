"""The environment is described once: pyproject, constraints.txt and environment.yml agree."""

from __future__ import annotations

import re
import socket
import tomllib

import pytest
import yaml
from locations import REPO
from pytest_socket import SocketConnectBlockedError

ROOT = REPO
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PINS = dict(
    line.split("==", 1)
    for line in (ROOT / "constraints.txt").read_text().splitlines()
    if "==" in line and not line.startswith("#")
)


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pinned() -> dict[str, str]:
    return {k.lower().replace("_", "-"): v for k, v in PINS.items()}


def test_every_dependency_is_pinned():
    project = PYPROJECT["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    missing = [_name(r) for r in wanted if _name(r) not in _pinned()]
    assert missing == []


def test_textstat_is_the_offline_version():
    assert _pinned()["textstat"] == "0.7.8"


def test_environment_yml_agrees_with_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    assert python == "python=3.11"
    assert PYPROJECT["project"]["requires-python"] == ">=3.11,<3.12"
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-c constraints.txt" in pip
    extras = next(p for p in pip if p.startswith("-e ."))
    named = set(re.search(r"\[(.*)\]", extras).group(1).split(","))
    assert named == set(PYPROJECT["project"]["optional-dependencies"])


def test_console_script_is_declared():
    assert PYPROJECT["project"]["scripts"] == {"hepkit": "toolkit.cli.main:entry"}
    assert PYPROJECT["project"]["name"] == "hepkit"


@pytest.mark.filterwarnings("ignore:A test tried to use socket:UserWarning")
def test_sockets_are_blocked_in_tests():
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_toolkit_has_no_network_client_code():
    banned = re.compile(
        r"^\s*(import|from)\s+(requests|urllib\.request|http\.client|httpx|aiohttp|socket)\b", re.M
    )
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "toolkit").rglob("*.py")
        if banned.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
