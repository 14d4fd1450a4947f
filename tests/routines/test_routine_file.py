"""A reference routine is opened by its id; a file of that name in the folder comes first."""

from __future__ import annotations

import shutil

import pytest

from toolkit.errors import InvalidDocumentError
from toolkit.paths import routines_dir
from toolkit.routines.routine import load_routine, routine_file


def test_a_bare_id_is_the_reference_routine():
    assert routine_file("gentle-back-stretches") == routines_dir() / "gentle-back-stretches.yaml"
    by_id = load_routine("gentle-back-stretches")
    assert by_id == load_routine(routines_dir() / "gentle-back-stretches.yaml")
    assert by_id.id == "gentle-back-stretches"


def test_paths_stay_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert routine_file("mine.yaml").as_posix() == "mine.yaml"
    assert routine_file("sub/gentle-back-stretches").as_posix() == "sub/gentle-back-stretches"
    shutil.copy(routines_dir() / "gentle-back-stretches.yaml", tmp_path / "gentle-back-stretches")
    assert routine_file("gentle-back-stretches").as_posix() == "gentle-back-stretches"


def test_an_unknown_id_names_where_it_was_looked_for():
    with pytest.raises(
        InvalidDocumentError, match=r"routines/no-such-routine\.yaml: 1 problem\n.*file not found"
    ):
        load_routine("no-such-routine")
