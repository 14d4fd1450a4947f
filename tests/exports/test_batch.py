"""Batch export from a prescriptions table, and the ``hepkit export`` command."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest
from export_helpers import CLINIC_DIR, DESK_ROUTINE, clinic_library

from toolkit.cli import export as cli_export
from toolkit.errors import PrescriptionTableError, Reason
from toolkit.exports.batch import export_batch, patient_folder
from toolkit.exports.fhir_import import import_routine
from toolkit.routines.routine import load_routine

HEADER = "patient_id,routine,start_date,end_date\n"


@pytest.fixture
def routines(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    shutil.copy(DESK_ROUTINE, folder / "desk-break.yaml")
    return folder


def write_csv(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "prescriptions.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_one_bad_patient_is_reported_and_the_others_get_their_files(
    tmp_path: Path, routines: Path
) -> None:
    table = write_csv(
        tmp_path,
        "p-001,desk-break,2026-12-01,2026-12-28\n"
        "../../etc,desk-break,2026-12-01,2026-12-28\n"
        "p-002,desk-brake,2026-12-01,2026-12-28\n"
        "p-003,desk-break,2026-12-31,2026-12-01\n"
        "p-004,desk-break,1 Dec 2026,2026-12-28\n"
        "\n"
        "p-005,desk-break,2027-01-04,2027-01-31\n",
    )
    out = tmp_path / "out"
    result = export_batch(
        table, out, routines_dir=routines, library=clinic_library(), progress=False
    )
    assert not result.ok
    written = [(w.patient_id, w.row) for w in result.written]
    assert written == [("p-001", 2), ("../../etc", 3), ("p-005", 8)]
    reasons = {(f.patient_id, f.row): f.reason for f in result.failures}
    assert list(reasons) == [("p-002", 4), ("p-003", 5), ("p-004", 6)]
    assert reasons[("p-002", 4)].startswith("column routine: no routine file desk-brake.yaml")
    assert (
        reasons[("p-003", 5)]
        == "column end_date: ends before it starts (2026-12-31) (got '2026-12-01')"
    )
    assert reasons[("p-004", 6)] == (
        "column start_date: not a date; write dates as YYYY-MM-DD (got '1 Dec 2026')"
    )
    codes = [failure.reasons for failure in result.failures]
    assert codes == [(Reason.UNKNOWN_ROUTINE,), (Reason.ENDS_BEFORE_START,), (Reason.INVALID,)]
    # the id that looks like a path gets a folder of its own inside out, nothing above it
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["p-001", "p-005", result.written[1].folder.name]
    )
    assert result.written[1].folder.parent == out.resolve()
    assert not (tmp_path / "etc").exists()
    assert "3 exported, 3 failed" in result.summary()
    assert "  - row 4, patient 'p-002': column routine: no routine file" in result.summary()


def test_headers_the_reader_accepts_and_an_unknown_routine_fail_that_row_only(
    tmp_path: Path, routines: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the batch had its own header check and refused the whole table."""
    table = tmp_path / "prescriptions.csv"
    table.write_text(
        "Patient,Routine,From,To\n"
        "p-1,desk-break,2026-12-01,2026-12-07\n"
        "p-2,no-such-routine,2026-12-01,2026-12-07\n"
        "p-3,desk-break,2026-12-01,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    argv = ["--output", str(out), "--routines", str(routines), "--library", str(CLINIC_DIR)]
    assert _cli("export", "--prescriptions", str(table), *argv, "--no-progress") == 1
    err = capsys.readouterr().err
    assert "2 exported, 1 failed" in err
    assert (
        "  - row 3, patient 'p-2': column Routine: no routine file no-such-routine.yaml, .yml "
        f"or .json in {routines}, nor a routine file at that path next to prescriptions.csv; "
        "known routines: desk-break (got 'no-such-routine')"
    ) in err
    assert sorted(p.name for p in out.iterdir()) == ["p-1", "p-3"]
    result = export_batch(table, out, overwrite=True, progress=False, **_options(routines))
    (failure,) = result.failures
    (problem,) = failure.problems
    assert (problem.row, problem.column, problem.value) == (3, "Routine", "no-such-routine")
    assert problem.reason is Reason.UNKNOWN_ROUTINE


def _options(routines: Path) -> dict[str, object]:
    return {"routines_dir": routines, "library": clinic_library()}


def test_each_patient_folder_holds_handout_calendar_and_care_plan(
    tmp_path: Path, routines: Path
) -> None:
    table = write_csv(tmp_path, "p-001,desk-break,2026-12-01,2026-12-14\n")
    result = export_batch(
        table, tmp_path / "out", routines_dir=routines, library=clinic_library(), progress=False
    )
    assert result.ok and result.summary() == "1 exported, 0 failed"
    (written,) = result.written
    names = sorted(p.name for p in written.folder.iterdir())
    assert names == [
        "desk-break_2026-12-01_calendar.ics",
        "desk-break_2026-12-01_careplan.fhir.json",
        "desk-break_2026-12-01_companion.html",
        "desk-break_2026-12-01_handout.pdf",
    ]
    folder = written.folder
    assert (folder / names[3]).read_bytes().startswith(b"%PDF-")
    companion = (folder / names[2]).read_text(encoding="utf-8")
    assert '"patient_id":"p-001"' in companion and '"start":"2026-12-01"' in companion
    calendar = icalendar.Calendar.from_ical((folder / names[0]).read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == 2 * 10  # 2 a day, 5 days a week, 2 weeks
    bundle = json.loads((folder / names[1]).read_text())
    care_plan = bundle["entry"][0]["resource"]
    assert care_plan["period"] == {"start": "2026-12-01", "end": "2026-12-14"}
    expected = load_routine(DESK_ROUTINE, clinic_library())
    assert import_routine(folder / names[1], clinic_library()) == expected


def test_a_second_run_refuses_to_overwrite_unless_asked(tmp_path: Path, routines: Path) -> None:
    table = write_csv(tmp_path, "p-001,desk-break,2026-12-01,2026-12-14\n")
    options = {"routines_dir": routines, "library": clinic_library(), "progress": False}
    export_batch(table, tmp_path / "out", **options)
    again = export_batch(table, tmp_path / "out", **options)
    (failure,) = again.failures
    assert "already exists; nothing was written" in failure.reason
    assert export_batch(table, tmp_path / "out", overwrite=True, **options).ok


def test_overlapping_periods_fail_the_later_row_only(tmp_path: Path, routines: Path) -> None:
    table = write_csv(
        tmp_path,
        "p-1,desk-break,2026-12-01,2026-12-28\n"
        "p-1,desk-break,2026-12-20,2027-01-20\n"
        "p-2,desk-break,2026-12-01,\n",
    )
    result = export_batch(
        table, tmp_path / "out", routines_dir=routines, library=clinic_library(), progress=False
    )
    assert [(w.patient_id, w.row) for w in result.written] == [("p-1", 2), ("p-2", 4)]
    (failure,) = result.failures
    assert (failure.patient_id, failure.row) == ("p-1", 3)
    assert "shares days with the period on row 2" in failure.reason
    # p-2 is open-ended: a CarePlan without an end, and four weeks of calendar
    folder = tmp_path / "out" / "p-2"
    bundle = json.loads((folder / "desk-break_2026-12-01_careplan.fhir.json").read_text())
    assert bundle["entry"][0]["resource"]["period"] == {"start": "2026-12-01"}
    ics = (folder / "desk-break_2026-12-01_calendar.ics").read_bytes()
    assert len(list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))) == 2 * 5 * 4


def test_a_broken_routine_fails_its_patients_only(tmp_path: Path, routines: Path) -> None:
    (routines / "broken.yaml").write_text("id: broken\nitems: 3\n", encoding="utf-8")
    table = write_csv(
        tmp_path,
        "p-1,broken,2026-12-01,2026-12-07\n"
        "p-2,desk-break,2026-12-01,2026-12-07\n"
        "p-3,broken,2026-12-01,2026-12-07\n",
    )
    result = export_batch(table, tmp_path / "out", progress=False, **_options(routines))
    assert [w.patient_id for w in result.written] == ["p-2"]
    assert [(f.patient_id, f.row) for f in result.failures] == [("p-1", 2), ("p-3", 4)]
    assert all(re.match(r".*broken\.yaml: \d+ problems?", f.reason) for f in result.failures)


def test_a_table_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("patient,routine\np1,desk-break\n", encoding="utf-8")
    with pytest.raises(
        PrescriptionTableError,
        match=r"bad.csv: 1 problem in the prescriptions\n  - \(document\): no start_date, no "
        r"end_date column \(columns found: 'patient', 'routine'\)",
    ) as caught:
        export_batch(path, tmp_path / "out", progress=False)
    assert caught.value.problems[0].reason is Reason.MISSING_COLUMN
    with pytest.raises(
        PrescriptionTableError, match=r"nowhere.csv: 1 problem in the prescriptions"
    ):
        export_batch(tmp_path / "nowhere.csv", tmp_path / "out", progress=False)


def test_empty_cells_are_reported(tmp_path: Path, routines: Path) -> None:
    table = write_csv(tmp_path, "p-9,,2026-12-01,\n,desk-break,2026-12-01,\n")
    result = export_batch(table, tmp_path / "out", progress=False, **_options(routines))
    assert result.written == []
    assert [str(failure) for failure in result.failures] == [
        "row 2, patient 'p-9': column routine: a routine id is required (a file name in the "
        "routines folder) (got '')",
        "row 3, patient '': column patient_id: a patient id is required (got '')",
    ]
    assert [failure.reasons for failure in result.failures] == [(Reason.MISSING,)] * 2


@pytest.mark.parametrize("patient", ["..", ".hidden", "a/b", "a\\b", "", "x" * 65, "ü-1"])
def test_any_patient_id_gets_one_folder_inside_the_output(tmp_path: Path, patient: str) -> None:
    folder = patient_folder(tmp_path, patient)
    assert folder.parent == tmp_path.resolve()
    assert folder.name not in {"", ".", ".."} and not folder.name.startswith(".")
    assert patient_folder(tmp_path, "P001") == tmp_path.resolve() / "P001"


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="hepkit")
    cli_export.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.run(args))


def test_command_writes_one_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "desk.json"
    argv = [
        str(DESK_ROUTINE),
        "--format",
        "json",
        "--output",
        str(target),
        "--with-schema",
        "--library",
        str(CLINIC_DIR),
    ]
    assert _cli("export", *argv) == 0
    assert f"wrote {target}" in capsys.readouterr().out
    assert (tmp_path / "desk.schema.json").is_file()
    assert _cli("export", *argv) == 1
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert _cli("export", *argv, "--overwrite") == 0


def test_command_takes_a_routine_id_and_calendar_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "back.ics"
    code = _cli(
        "export",
        "gentle-back-stretches",
        "-f",
        "ics",
        "-o",
        str(target),
        "--start",
        "2026-12-01",
        "--weeks",
        "1",
        "--times",
        "07:15",
    )
    assert code == 0, capsys.readouterr().err
    found = list(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert len(found) == 7 and found[0].decoded("dtstart").hour == 7


def test_command_runs_a_batch(
    tmp_path: Path, routines: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = write_csv(
        tmp_path, "p-1,desk-break,2026-12-01,2026-12-07\np-2,desk-break,2026-12-08,2026-12-01\n"
    )
    code = _cli(
        "export",
        "--prescriptions",
        str(table),
        "--output",
        str(tmp_path / "out"),
        "--routines",
        str(routines),
        "--library",
        str(CLINIC_DIR),
        "--no-progress",
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "1 exported, 1 failed" in err and "row 3, patient 'p-2': column end_date" in err


def test_command_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli("export", "--output", "x") == 2
    assert "give either ROUTINE (with --format) or --prescriptions CSV" in capsys.readouterr().err
    assert _cli("export", "gentle-back-stretches", "--output", "x") == 2
    assert "--format is required" in capsys.readouterr().err


def test_a_title_with_a_line_break_gets_its_calendar(tmp_path: Path, routines: Path) -> None:
    text = (routines / "desk-break.yaml").read_text(encoding="utf-8")
    routine = load_routine(routines / "desk-break.yaml")
    broken = text.replace(f"title: {routine.title}", 'title: "Desk\\nbreak; stretch, now"')
    assert broken != text
    (routines / "desk-two-lines.yaml").write_text(broken, encoding="utf-8")
    table = write_csv(
        tmp_path,
        "p-001,desk-two-lines,2026-12-01,2026-12-14\np-002,desk-break,2026-12-01,2026-12-14\n",
    )
    result = export_batch(
        table, tmp_path / "out", routines_dir=routines, library=clinic_library(), progress=False
    )
    assert result.ok, result.summary()
    ics = (tmp_path / "out" / "p-001" / "desk-break_2026-12-01_calendar.ics").read_bytes()
    assert b"SUMMARY:Desk\\nbreak\\; stretch\\, now (session 1 of 2)\r\n" in ics
    calendar = icalendar.Calendar.from_ical(ics)
    first = next(iter(calendar.walk("VEVENT")))
    assert str(first["summary"]) == "Desk\nbreak; stretch, now (session 1 of 2)"
    assert b"X-WR-CALNAME:Desk\\nbreak\\; stretch\\, now\r\n" in ics


def test_any_failure_of_one_patient_is_recorded_and_the_batch_goes_on(
    tmp_path: Path, routines: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.exports import batch

    real = batch.routine_calendar

    def fails_for_p001(*args, **kwargs):
        if kwargs.get("patient_id") == "p-001":
            raise AssertionError("Content line can not contain unescaped new line characters.")
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "routine_calendar", fails_for_p001)
    table = write_csv(
        tmp_path,
        "p-001,desk-break,2026-12-01,2026-12-14\np-002,desk-break,2026-12-01,2026-12-14\n",
    )
    result = export_batch(
        table, tmp_path / "out", routines_dir=routines, library=clinic_library(), progress=False
    )
    assert [w.patient_id for w in result.written] == ["p-002"]
    (failure,) = result.failures
    assert (failure.patient_id, failure.row) == ("p-001", 2)
    assert failure.reason == (
        "AssertionError: Content line can not contain unescaped new line characters."
    )


def test_each_handout_names_its_patient_and_start(tmp_path: Path, routines: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    table = write_csv(tmp_path, "p-001,desk-break,2026-12-01,2026-12-14\n")
    result = export_batch(
        table, tmp_path / "out", routines_dir=routines, library=clinic_library(), progress=False
    )
    (written,) = result.written
    pdf = written.folder / "desk-break_2026-12-01_handout.pdf"
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "For p-001, starting Tuesday 1 December 2026" in text
    assert "Tue 1 Dec" in text and "Mon 14 Dec" in text
