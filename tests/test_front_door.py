"""The front door: every public name is listed once, reachable, and cheap to reach.

``toolkit/__init__.pyi`` is the one list of public names. Every name the notebooks and the
README call on ``toolkit`` must be in it, and the command line must start without the heavy
libraries (pandas, matplotlib, WeasyPrint, ipywidgets, and even pydantic, Jinja2 and PyYAML),
which its commands import when they run, so that `hepkit --help` answers at once
(`benchmarks/bench_cli_startup.py` measures it).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from locations import NOTEBOOKS, REPO

import toolkit

HEAVY = ("pandas", "matplotlib", "weasyprint", "ipywidgets", "pydantic", "jinja2", "yaml")
CALLED = re.compile(r"\btoolkit\.([A-Za-z_]\w*)")


def names_called_in_notebooks() -> set[str]:
    names = set()
    for notebook in NOTEBOOKS.glob("[0-9]*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                names |= set(CALLED.findall("".join(cell["source"])))
    return names


def names_called_in_readme() -> set[str]:
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    return {name for block in blocks for name in CALLED.findall(block)}


def test_every_public_name_is_listed_and_resolves():
    assert len(toolkit.__all__) == len(set(toolkit.__all__))
    missing = [name for name in toolkit.__all__ if name not in dir(toolkit)]
    assert missing == []
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name


@pytest.mark.parametrize(
    "name",
    [
        "Analysis",
        "ReportResult",
        "BatchResult",
        "LogReading",
        "HepkitError",
        "InvalidDocumentError",
        "LogFormatError",
        "NotALogError",
        "ExportError",
        "cohort_table",
        "write_report",
        "workspace_dir",
        "routines_dir",
    ],
)
def test_result_types_errors_and_helpers_are_public(name):
    assert name in toolkit.__all__


def test_what_notebooks_and_readme_call_is_public():
    called = names_called_in_notebooks() | names_called_in_readme()
    assert {"load_routine", "cohort_table", "write_report", "workspace_dir"} <= called
    assert sorted(called - set(toolkit.__all__)) == []


def test_the_command_line_starts_without_heavy_libraries():
    code = f"import sys, toolkit.cli.main; print([m for m in {HEAVY!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
