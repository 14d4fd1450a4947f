"""The architecture, checked: every import inside toolkit points down a layer or stays in its flow.

Each flow is a subpackage; the table says which others it may import. Anything not listed
is a sideways or upward import, the sign that a piece lives on the wrong floor.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from locations import REPO

PACKAGE = REPO / "toolkit"

#: The shared base: small modules every flow may use.
BASE = frozenset({"errors", "paths", "storage", "counts", "_version"})

#: For each flow, the flows below it that it may import (besides the base and itself).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "routines": frozenset(),
    "logs": frozenset({"routines"}),
    "analysis": frozenset({"routines", "logs"}),
    "handouts": frozenset({"routines"}),
    "exports": frozenset({"routines", "handouts", "logs"}),
    "report": frozenset({"routines", "logs", "analysis", "handouts"}),
    "editor": frozenset({"routines", "handouts", "exports"}),
    "cli": frozenset({"routines", "logs", "analysis", "handouts", "exports", "report"}),
}


def _modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE
    )


def _flow(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imported_flows(path: Path) -> list[tuple[int, str]]:
    """(line, first part under toolkit) of every import of a toolkit module in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package_parts = path.relative_to(PACKAGE).parent.parts
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "toolkit":
                    found.append((node.lineno, alias.name.split(".")[1]))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package_parts[: len(package_parts) - (node.level - 1)])
                target = base + (node.module.split(".") if node.module else [])
                names = target or [alias.name for alias in node.names]
                found.append((node.lineno, names[0]))
            elif node.module and node.module.split(".")[0] == "toolkit":
                rest = node.module.split(".")[1:]
                first = rest[0] if rest else node.names[0].name
                found.append((node.lineno, first))
    return found


def layer_violations() -> list[str]:
    """Every import that points up or sideways, as ``file:line: flow imports other``."""
    problems = []
    for path in _modules():
        flow = _flow(path)
        if flow in BASE:
            allowed = BASE
        else:
            assert flow in MAY_IMPORT, f"{path}: {flow!r} is not in the layer table"
            allowed = BASE | MAY_IMPORT[flow] | {flow}
        for line, target in _imported_flows(path):
            if target not in allowed:
                where = path.relative_to(REPO)
                problems.append(f"{where}:{line}: {flow} imports {target}")
    return problems


def test_every_flow_is_a_folder_in_the_table() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(MAY_IMPORT)


def test_no_import_points_up_or_sideways() -> None:
    assert layer_violations() == []


def test_the_check_catches_an_upward_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "toolkit"
    (fake / "routines").mkdir(parents=True)
    (fake / "report").mkdir()
    (fake / "routines" / "__init__.py").write_text("")
    (fake / "routines" / "models.py").write_text(
        "from toolkit.report.charts import x\nfrom ..analysis import y\nfrom . import wording\n"
    )
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    monkeypatch.setitem(globals(), "REPO", tmp_path)
    assert layer_violations() == [
        "toolkit/routines/models.py:1: routines imports report",
        "toolkit/routines/models.py:2: routines imports analysis",
    ]
