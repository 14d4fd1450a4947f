"""The editor app without a browser: which file it opens, the working copy, the app notebook."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import ipywidgets as w
import nbformat
import pytest
from locations import REPO

from toolkit import load_routine
from toolkit.editor.app import (
    REFERENCE_ROUTINE,
    ROUTINE_ENV,
    editor_app,
    open_editor,
    routine_path,
    working_copy,
)
from toolkit.editor.widgets import RoutineEditor
from toolkit.errors import HepkitError, InvalidDocumentError
from toolkit.paths import routines_dir, workspace_dir
from toolkit.routines.editing import set_dose
from toolkit.routines.library import Library

APP = REPO / "app"


# -- the working copy ------------------------------------------------------------------------


def test_workspace_is_at_the_checkout_root_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEPKIT_WORKSPACE", raising=False)
    assert workspace_dir() == REPO / "workspace"
    monkeypatch.setenv("HEPKIT_WORKSPACE", "/somewhere/else")
    assert workspace_dir() == Path("/somewhere/else")
    assert REFERENCE_ROUTINE == "gentle-back-stretches.yaml"


def test_working_copy_is_made_from_the_reference(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    copy = working_copy(workspace=workspace)
    assert copy == workspace / REFERENCE_ROUTINE
    assert copy.read_bytes() == (routines_dir() / REFERENCE_ROUTINE).read_bytes()


def test_working_copy_keeps_the_clinicians_edits(tmp_path: Path) -> None:
    copy = working_copy(workspace=tmp_path)
    copy.write_text(copy.read_text() + "# edited\n")
    assert working_copy(workspace=tmp_path) == copy
    assert copy.read_text().endswith("# edited\n")


def test_working_copy_of_a_missing_reference(tmp_path: Path) -> None:
    source = tmp_path / "nowhere.yaml"
    with pytest.raises(
        HepkitError,
        match=r"nowhere\.yaml: reference routine not found; cannot make .*nowhere\.yaml",
    ):
        working_copy("nowhere.yaml", workspace=tmp_path / "ws", source=source)
    assert not (tmp_path / "ws").exists()


# -- which file the app opens ----------------------------------------------------------------


def test_routine_path_defaults_to_the_working_copy(tmp_path: Path) -> None:
    assert routine_path({}, workspace=tmp_path) == tmp_path / REFERENCE_ROUTINE
    assert routine_path({ROUTINE_ENV: "  "}, workspace=tmp_path) == tmp_path / REFERENCE_ROUTINE
    assert (tmp_path / REFERENCE_ROUTINE).is_file()


def test_routine_path_from_the_environment(routine_file: Path, tmp_path: Path) -> None:
    assert routine_path({ROUTINE_ENV: str(routine_file)}, workspace=tmp_path) == routine_file
    assert not (tmp_path / REFERENCE_ROUTINE).exists()


def test_relative_routine_path_is_from_the_checkout_root(tmp_path: Path) -> None:
    relative = "toolkit/data/routines/gentle-back-stretches.yaml"
    assert routine_path({ROUTINE_ENV: relative}, workspace=tmp_path) == REPO / relative


def test_routine_path_to_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "gone.yaml"
    with pytest.raises(
        HepkitError,
        match=rf"^HEPKIT_ROUTINE='{missing}': no routine file at {missing}; give the path of a "
        r"\.yaml or \.json routine, or unset HEPKIT_ROUTINE to edit the working copy of the "
        r"reference routine$",
    ):
        routine_path({ROUTINE_ENV: str(missing)})


# -- the editor on that file -----------------------------------------------------------------


def test_open_editor_saves_to_the_file_it_opened(routine_file: Path, library: Library) -> None:
    editor = open_editor(routine_file, library)
    assert isinstance(editor, RoutineEditor)
    assert editor.path == routine_file
    assert editor.routine == load_routine(routine_file)
    editor.apply(lambda r: set_dose(r, 3, library, reps=5), "items[3]")
    assert editor.save() == routine_file
    dose = load_routine(routine_file).items[3].dose
    assert dose is not None and dose.reps == 5


def test_open_editor_reads_hepkit_routine(
    routine_file: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ROUTINE_ENV, str(routine_file))
    assert open_editor(library=library).path == routine_file


def test_open_editor_refuses_an_invalid_routine(tmp_path: Path, library: Library) -> None:
    bad = tmp_path / "bad.yaml"
    shutil.copy(routines_dir() / REFERENCE_ROUTINE, bad)
    bad.write_text(bad.read_text().replace("exercise: drawing-in", "exercise: drawing-inn"))
    with pytest.raises(InvalidDocumentError, match=r"items\[2\]\.exercise: unknown exercise id"):
        open_editor(bad, library)


def test_editor_app_shows_the_editor(routine_file: Path) -> None:
    assert isinstance(editor_app(routine_file), RoutineEditor)


def test_editor_app_shows_a_problem_in_words_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    shutil.copy(routines_dir() / REFERENCE_ROUTINE, bad)
    bad.write_text(bad.read_text() + "'<script>alert(1)</script>': 1\n")
    shown = editor_app(bad)
    assert isinstance(shown, w.HTML)
    assert "hepkit-open-problem" in shown._dom_classes
    assert shown.value.startswith("<h3>The routine could not be opened</h3>")
    assert "bad.yaml: 1 problem" in shown.value
    assert "<script>" not in shown.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;: unknown field" in shown.value


def test_editor_app_on_a_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ROUTINE_ENV, str(tmp_path / "gone.yaml"))
    shown = editor_app()
    assert isinstance(shown, w.HTML)
    assert "no routine file at" in shown.value


# -- the app notebook and its Voila template -------------------------------------------------


def test_app_notebook_is_one_call_into_toolkit() -> None:
    notebook = nbformat.read(APP / "editor.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) == 1
    assert code[0].outputs == [] and code[0].execution_count is None
    statements = ast.parse(code[0].source).body
    assert [type(s) for s in statements] == [ast.ImportFrom, ast.Expr]
    assert ast.unparse(statements[1]) == "editor_app()"


def test_voila_template_extends_lab_and_links_no_cdn() -> None:
    template = APP / "jupyter" / "voila" / "templates" / "hepkit"
    assert json.loads((template / "conf.json").read_text()) == {"base_template": "lab"}
    text = (template / "index.html.j2").read_text()
    assert "{%- extends 'voila/templates/lab/index.html.j2' -%}" in text
    assert "{%- block notebook_css -%}" in text
    assert "{%- block html_head_js_mermaidjs -%}" in text
