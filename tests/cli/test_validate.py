"""``hepkit validate``: 0 when every file is valid, 1 when any is not, 2 for a usage error."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from toolkit.cli.main import main
from toolkit.paths import exercises_dir, routines_dir


def test_valid_files(capsys):
    files = [
        str(routines_dir() / "gentle-back-stretches.yaml"),
        str(exercises_dir() / "drawing-in.yaml"),
    ]
    assert main(["validate", *files]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(
        "gentle-back-stretches.yaml: valid routine 'gentle-back-stretches' version 1, 6 exercises"
    )
    assert out[1].endswith("drawing-in.yaml: valid exercise 'drawing-in'")


def test_invalid_file_prints_every_problem_and_exits_1(tmp_path, capsys):
    data = yaml.safe_load((routines_dir() / "gentle-back-stretches.yaml").read_text())
    data["items"][0]["exercise"] = "belly-breathing"
    data["items"][1]["dose"] = {"sets": 2}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    good = routines_dir() / "gentle-back-stretches.yaml"
    assert main(["validate", str(bad), str(good)]) == 1
    captured = capsys.readouterr()
    assert "valid routine 'gentle-back-stretches'" in captured.out
    # the bad dose and the unknown exercise together, not one after the other is fixed
    assert f"{bad}: 2 problems" in captured.err
    assert "items[1].dose: give either reps" in captured.err
    assert "items[0].exercise: unknown exercise id; no similar id" in captured.err


def test_file_of_unknown_kind(tmp_path, capsys):
    other = tmp_path / "notes.yaml"
    other.write_text("hello: world\n")
    assert main(["validate", str(other)]) == 1
    assert "neither a routine (it has no 'items') nor an exercise (it has no 'steps')" in (
        capsys.readouterr().err
    )


def test_clinic_library_option(tmp_path, capsys):
    assert main(["validate", "--library", str(tmp_path / "missing"), "x.yaml"]) == 2
    assert "exercise folder not found" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["validate"], ["frobnicate"]])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


def test_bare_hepkit_prints_the_help_and_exits_2(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage: hepkit")
    for command in ("validate", "export", "logs", "report", "schema"):
        assert f"    {command} " in out


def test_version(capsys):
    from toolkit import __version__

    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"hepkit {__version__}\n"


def test_console_script_is_installed():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit.cli.main",
            "validate",
            str(routines_dir() / "gentle-back-stretches.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def _spanish_routine(tmp_path, keep_translations: bool):
    data = yaml.safe_load((routines_dir() / "gentle-back-stretches.yaml").read_text())
    data["language"] = "es"
    if not keep_translations:
        del data["translations"]
    path = tmp_path / "gentle-back-stretches.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_spanish_routine_with_english_texts_is_valid_with_a_warning(tmp_path, capsys):
    path = _spanish_routine(tmp_path, keep_translations=False)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("valid routine 'gentle-back-stretches' version 1, 6 exercises")
    assert out[1] == (
        f"warning: {path}: language 'es' but these texts are in English: title, introduction, "
        "progression[0], progression[1], items[0].note, items[1].note, items[5].note; "
        "add them under translations: {es: ...}"
    )


def test_a_spanish_routine_with_its_translations_has_no_warning(tmp_path, capsys):
    assert main(["validate", str(_spanish_routine(tmp_path, keep_translations=True))]) == 0
    assert "warning" not in capsys.readouterr().out


def test_a_routine_in_a_language_without_patient_texts_is_warned(tmp_path, capsys):
    data = yaml.safe_load((routines_dir() / "gentle-back-stretches.yaml").read_text())
    data["language"] = "fr"
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        f"warning: {path}: language 'fr': hepkit has no patient texts in it "
        "(available: en, es); the handout cannot be made in it"
    )
