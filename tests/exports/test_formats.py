"""export() for the routine file itself, and what every format shares: no overwrite, atomic."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from export_helpers import clinic_library, desk_routine

from toolkit.errors import ExportError
from toolkit.exports.formats import FORMATS, export, schema_path
from toolkit.routines.models import Routine
from toolkit.routines.routine import load_routine, schema_text


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_routine_file_loads_back_the_same(tmp_path: Path, fmt: str) -> None:
    routine = desk_routine()
    written = export(routine, fmt, tmp_path / f"desk.{fmt}")
    assert written == tmp_path / f"desk.{fmt}"
    assert load_routine(written, clinic_library()) == routine
    assert not schema_path(written).exists()


def test_schema_is_written_beside_on_request(tmp_path: Path) -> None:
    written = export(desk_routine(), "json", tmp_path / "desk.json", with_schema=True)
    beside = tmp_path / "desk.schema.json"
    assert beside.read_text(encoding="utf-8") == schema_text(Routine)
    assert json.loads(beside.read_text())["$schema"].startswith("https://json-schema.org/")
    assert json.loads(written.read_text())["id"] == "desk-break"


def test_schema_only_goes_with_routine_files(tmp_path: Path) -> None:
    with pytest.raises(
        ExportError, match=r"with_schema is for the yaml and json formats, not 'pdf'"
    ):
        export(desk_routine(), "pdf", tmp_path / "x.pdf", with_schema=True)


def test_unknown_format_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(
        ExportError,
        match=r"format 'docx' is not known; allowed: yaml, json, html, pdf, fhir, ics, companion$",
    ):
        export(desk_routine(), "docx", tmp_path / "x.docx")
    assert FORMATS == ("yaml", "json", "html", "pdf", "fhir", "ics", "companion")


@pytest.mark.parametrize("fmt", ["yaml", "json", "html", "fhir"])
def test_an_existing_file_is_never_replaced_unasked(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    target.write_text("precious", encoding="utf-8")
    message = (
        rf"{target} already exists; nothing was written. Choose another name, or add "
        r"--overwrite to replace it"
    )
    with pytest.raises(ExportError, match=message):
        export(desk_routine(), fmt, target, library=clinic_library())
    assert target.read_text(encoding="utf-8") == "precious"
    export(desk_routine(), fmt, target, library=clinic_library(), overwrite=True)
    assert target.read_text(encoding="utf-8") != "precious"


def test_an_existing_schema_stops_the_routine_file_too(tmp_path: Path) -> None:
    (tmp_path / "desk.schema.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ExportError, match=r"desk.schema.json already exists"):
        export(desk_routine(), "yaml", tmp_path / "desk.yaml", with_schema=True)
    assert not (tmp_path / "desk.yaml").exists()


def test_a_folder_is_not_a_file_name(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"is a folder; give a file name to write to"):
        export(desk_routine(), "yaml", tmp_path, overwrite=True)


def test_missing_folders_are_made(tmp_path: Path) -> None:
    written = export(desk_routine(), "yaml", tmp_path / "a" / "b" / "desk.yaml")
    assert written.is_file()


def test_writing_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "desk.yaml"
    target.write_text("old content\n", encoding="utf-8")

    def crash(src: object, dst: object) -> None:
        raise OSError("disk pulled out")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk pulled out"):
        export(desk_routine(), "yaml", target, overwrite=True)
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.yaml"]  # no temporary left
