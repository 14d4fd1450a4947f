"""The clinic file: where it is found, what wins, and the warning about the sample clinic."""

from __future__ import annotations

from pathlib import Path

import pytest
from locations import TEST_DATA

from toolkit.errors import ExportError, InvalidDocumentError
from toolkit.routines.clinic import (
    SAMPLE_CLINIC_NAME,
    SAMPLE_CLINIC_PHONE,
    clinic_path,
    handout_clinic,
    is_sample_clinic,
    load_clinic,
    sample_clinic_warning,
)
from toolkit.routines.models import Contact

CLINIC_FILE = TEST_DATA / "export" / "clinic.yaml"
SAMPLE = Contact(name=SAMPLE_CLINIC_NAME, phone=SAMPLE_CLINIC_PHONE)


def test_a_clinic_file_is_read_into_a_contact() -> None:
    clinic = load_clinic(CLINIC_FILE)
    assert clinic == Contact(
        name="Hillside Physiotherapy",
        phone="01632 960123",
        email="desk@hillside.example",
        website="https://hillside.example",
        address="2 Hill Road\nExampleton",
    )


def test_the_workspace_clinic_file_is_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("HEPKIT_CLINIC")
    monkeypatch.setenv("HEPKIT_WORKSPACE", str(tmp_path))
    assert clinic_path() == tmp_path / "clinic.yaml"
    assert load_clinic() is None  # no file yet: nothing to use
    (tmp_path / "clinic.yaml").write_bytes(CLINIC_FILE.read_bytes())
    found = load_clinic()
    assert found is not None and found.name == "Hillside Physiotherapy"


def test_hepkit_clinic_points_at_a_clinic_file_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEPKIT_CLINIC", str(CLINIC_FILE))
    assert clinic_path() == CLINIC_FILE
    found = load_clinic()
    assert found is not None and found.name == "Hillside Physiotherapy"


def test_a_clinic_file_named_but_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"clinic file .*nowhere\.yaml does not exist; write one"):
        load_clinic(tmp_path / "nowhere.yaml")


def test_a_bad_clinic_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text("name: Hillside\nemail: not an address\nfax: 123\n", encoding="utf-8")
    with pytest.raises(InvalidDocumentError, match=r"clinic\.yaml") as caught:
        load_clinic(path)
    assert {problem.where for problem in caught.value.problems} == {"email", "fax"}


def test_the_chosen_clinic_wins_then_the_workspace_then_the_routine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chosen = Contact(name="Chosen")
    monkeypatch.delenv("HEPKIT_CLINIC")
    monkeypatch.setenv("HEPKIT_WORKSPACE", str(tmp_path))
    assert handout_clinic(SAMPLE, chosen) == chosen
    assert handout_clinic(SAMPLE) == SAMPLE
    (tmp_path / "clinic.yaml").write_text("name: Workspace clinic\n", encoding="utf-8")
    assert handout_clinic(SAMPLE).name == "Workspace clinic"
    assert handout_clinic(SAMPLE, chosen) == chosen


def test_the_sample_clinic_is_recognised_by_its_name_or_phone() -> None:
    assert is_sample_clinic(SAMPLE)
    assert is_sample_clinic(Contact(name="Renamed", phone=SAMPLE_CLINIC_PHONE))
    assert is_sample_clinic(Contact(name=SAMPLE_CLINIC_NAME))
    assert not is_sample_clinic(Contact(name="Hillside", phone="01632 960123"))


def test_the_warning_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HEPKIT_CLINIC")
    monkeypatch.setenv("HEPKIT_WORKSPACE", str(tmp_path))
    assert sample_clinic_warning(Contact(name="Hillside")) is None
    assert sample_clinic_warning(SAMPLE) == (
        "warning: the handout names the sample clinic (Sample Clinic (replace with your "
        "clinic's details), 555-0100); patients need your clinic's details. Write them in "
        f"{tmp_path / 'clinic.yaml'} or pass --clinic FILE"
    )


def test_the_reference_routines_carry_the_sample_clinic(library) -> None:
    from toolkit.paths import routines_dir
    from toolkit.routines.routine import load_routine

    for path in sorted(routines_dir().glob("*.yaml")):
        assert is_sample_clinic(load_routine(path, library).clinic), path.name
