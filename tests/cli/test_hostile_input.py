"""Hostile or broken input: one clear line naming the file, exit 2, never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest
from locations import LOG_FILES
from report_data import write_small_cohort

from toolkit import storage
from toolkit.cli.main import main

TODAY = "2026-11-25"


def one_line(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_routine_nested_5000_levels_deep_is_not_read(tmp_path, capsys, suffix):
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"title": ' + "[" * 5000 + "]" * 5000 + "}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert one_line(capsys) == (
        f"{path}: not read: nested too deeply (a routine has a few levels, not thousands)"
    )


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_5000_digit_number_is_not_read(tmp_path, capsys, suffix):
    path = tmp_path / f"big{suffix}"
    path.write_text('{"version": ' + "1" * 5000 + "}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert one_line(capsys) == f"{path}: not read: it holds a number thousands of digits long"


def _bundle(tmp_path, name, change):
    bundle = json.loads((LOG_FILES / "bundle.json").read_text(encoding="utf-8"))
    change(bundle)
    path = tmp_path / name
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


BROKEN_BUNDLES = {
    "component_number.json": (
        lambda b: b["entry"][0]["resource"].__setitem__("component", 5),
        "not read: a part of the FHIR Bundle has the wrong shape (for example a number or a "
        "list where FHIR has an object)",
    ),
    "identifier_object.json": (
        lambda b: b["entry"][0]["resource"].__setitem__("identifier", {"value": "a1"}),
        "not read: a part of the FHIR Bundle has the wrong shape (for example a number or a "
        "list where FHIR has an object)",
    ),
    "note_number.json": (
        lambda b: b["entry"][0]["resource"].__setitem__("note", [{"text": 5}]),
        "not read: a part of the FHIR Bundle has the wrong shape (for example a number or a "
        "list where FHIR has an object)",
    ),
    "surrogate.json": (
        lambda b: b["entry"][0]["resource"]["subject"]["identifier"].__setitem__(
            "value", "P\ud800"
        ),
        "not read: the FHIR Bundle holds text that is not valid Unicode",
    ),
    "nested.json": (
        lambda b: b.__setitem__("entry", json.loads("[" * 5000 + "]" * 5000)),
        None,
    ),
}


@pytest.mark.parametrize("name", BROKEN_BUNDLES)
def test_a_malformed_fhir_bundle_is_not_read(tmp_path, capsys, name):
    change, reason = BROKEN_BUNDLES[name]
    if name == "nested.json":
        path = tmp_path / name
        path.write_text(
            '{"resourceType": "Bundle", "entry": ' + "[" * 5000 + "]" * 5000 + "}",
            encoding="utf-8",
        )
        reason = "not read: the JSON is nested too deeply to be a FHIR Bundle"
    else:
        path = _bundle(tmp_path, name, change)
    assert main(["logs", str(path), "--today", TODAY]) == 2
    assert one_line(capsys) == f"hepkit logs: {path}: {reason}"


def test_a_5000_digit_number_in_a_bundle_is_not_read(tmp_path, capsys):
    path = tmp_path / "big.json"
    text = (LOG_FILES / "bundle.json").read_text(encoding="utf-8")
    path.write_text(text.replace('"valueInteger": 2', '"valueInteger": ' + "2" * 5000, 1))
    assert main(["logs", str(path), "--today", TODAY]) == 2
    assert one_line(capsys) == (
        f"hepkit logs: {path}: not read: it holds a number thousands of digits long"
    )


def _refuse_writing(monkeypatch):
    def refused(*args, dir=None, **kwargs):
        raise PermissionError(13, "Permission denied", str(dir))

    monkeypatch.setattr(storage.tempfile, "mkstemp", refused)


def test_a_read_only_folder_for_the_rejects(tmp_path, capsys, monkeypatch):
    _refuse_writing(monkeypatch)
    target = tmp_path / "rejects.csv"
    log = str(LOG_FILES / "broken_rows.csv")
    assert main(["logs", log, "--today", TODAY, "--rejects", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.endswith(f"hepkit logs: {target}: not written (Permission denied)\n")
    assert "Traceback" not in err


def test_a_read_only_folder_for_the_report_exits_2_not_1(tmp_path, capsys, monkeypatch):
    cohort = write_small_cohort(tmp_path / "in")
    shutil.copy(LOG_FILES / "broken_rows.csv", tmp_path / "in" / "broken.csv")
    _refuse_writing(monkeypatch)
    out = tmp_path / "out"
    argv = [
        "report",
        str(cohort["logs"]),
        str(tmp_path / "in" / "broken.csv"),
        "--prescriptions",
        str(cohort["prescriptions"]),
        "--as-of",
        cohort["as_of"],
        "--today",
        "2026-11-30",
        "--output",
        str(out),
        "--no-pdf",
    ]
    assert main(argv) == 2
    assert one_line(capsys) == f"hepkit report: {out}: not written (Permission denied)"


def test_a_read_only_folder_for_an_export(tmp_path, capsys, monkeypatch):
    _refuse_writing(monkeypatch)
    target = tmp_path / "routine.json"
    assert main(["export", "gentle-back-stretches", "--format", "json", "-o", str(target)]) == 2
    assert one_line(capsys) == f"error: {tmp_path}: not written (Permission denied)"


def test_an_unexpected_error_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    from toolkit.logs import reading

    def broken(*args, **kwargs):
        raise TypeError("something nobody foresaw\nsecond line")

    monkeypatch.setattr(reading, "read_logs", broken)
    assert main(["logs", str(LOG_FILES / "comma.csv")]) == 2
    assert one_line(capsys) == (
        "hepkit logs: stopped by an unexpected TypeError: something nobody foresaw "
        "(set HEPKIT_TRACEBACK=1 to see where)"
    )


def test_a_bundle_with_no_log_in_it_says_so(tmp_path, capsys):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "CarePlan", "status": "active"}},
            {"resource": {"resourceType": "PlanDefinition"}},
        ],
    }
    path = tmp_path / "careplan.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    assert main(["logs", str(path), "--today", TODAY]) == 2
    assert one_line(capsys) == (
        f"hepkit logs: {path}: nothing in this FHIR Bundle is a log: it holds no session or "
        "pain Observation that hepkit reads (found: CarePlan, PlanDefinition)"
    )
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"resourceType": "Bundle", "entry": []}), encoding="utf-8")
    assert main(["logs", str(empty), "--today", TODAY]) == 0
