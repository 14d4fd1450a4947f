"""``hepkit export`` names the clinic of the clinic file, and warns about the sample clinic."""

from __future__ import annotations

from pathlib import Path

import pytest
from locations import TEST_DATA

from toolkit.cli.main import main

CLINIC_FILE = TEST_DATA / "export" / "clinic.yaml"
WARNING = "warning: the handout names the sample clinic (Sample Clinic (replace with your"


def test_the_sample_clinic_is_warned_about_and_the_file_still_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "back.html"
    assert main(["export", "gentle-back-stretches", "-f", "html", "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == f"wrote {target}\n"
    assert err.startswith(WARNING) and "or pass --clinic FILE" in err
    assert "555-0100" in target.read_text(encoding="utf-8")


def test_a_clinic_file_replaces_the_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "back.html"
    argv = ["export", "gentle-back-stretches", "-f", "html", "-o", str(target)]
    assert main([*argv, "--clinic", str(CLINIC_FILE)]) == 0
    assert capsys.readouterr().err == ""
    html = target.read_text(encoding="utf-8")
    assert "Hillside Physiotherapy, 01632 960123" in html and "555-0100" not in html


def test_the_workspace_clinic_file_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HEPKIT_CLINIC")
    monkeypatch.setenv("HEPKIT_WORKSPACE", str(tmp_path))
    (tmp_path / "clinic.yaml").write_bytes(CLINIC_FILE.read_bytes())
    target = tmp_path / "back.html"
    assert main(["export", "gentle-back-stretches", "-f", "html", "-o", str(target)]) == 0
    assert capsys.readouterr().err == ""
    assert "Hillside Physiotherapy" in target.read_text(encoding="utf-8")


def test_no_warning_for_formats_that_are_not_handouts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "back.yaml"
    assert main(["export", "gentle-back-stretches", "-f", "yaml", "-o", str(target)]) == 0
    assert capsys.readouterr().err == ""


def test_clinic_file_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "back.html"
    argv = ["export", "gentle-back-stretches", "-f", "html", "-o", str(target)]
    assert main([*argv, "--clinic", str(tmp_path / "none.yaml")]) == 1
    assert "none.yaml does not exist" in capsys.readouterr().err
    assert not target.exists()
    batch = ["export", "--prescriptions", "x.csv", "-o", str(tmp_path), "--clinic", "c.yaml"]
    assert main(batch) == 2
    assert "--clinic is for one routine; a batch names the clinic of clinic.yaml" in (
        capsys.readouterr().err
    )


def test_patient_and_start_reach_the_handout(tmp_path: Path) -> None:
    target = tmp_path / "back.html"
    argv = ["export", "gentle-back-stretches", "-f", "html", "-o", str(target)]
    assert main([*argv, "--patient", "p-017", "--start", "2026-12-01"]) == 0
    html = target.read_text(encoding="utf-8")
    assert "For p-017</span>, starting Tuesday 1 December 2026" in html
    assert '<th scope="row">Tue 1 Dec</th>' in html
