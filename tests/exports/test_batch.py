"""Batch export from a prescriptions table, and the ``hepkit export`` command."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest
from export_helpers import CLINIC_DIR, DESK_ROUTINE, clinic_library

from toolkit.cli import export as cli_export
from toolkit.errors import ExportError, PrescriptionError
from toolkit.exports.batch import export_batch, patient_folder, read_prescription_rows
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
    assert [(w.patient_id, w.row) for w in result.written] == [("p-001", 2), ("p-005", 8)]
    reasons = {(f.patient_id, f.row): f.reason for f in result.failures}
    assert list(reasons) == [("../../etc", 3), ("p-002", 4), ("p-003", 5), ("p-004", 6)]
    assert reasons[("../../etc", 3)].startswith("patient_id '../../etc' cannot be used as a folder")
    assert reasons[("p-002", 4)].startswith("column routine: no routine file desk-brake.yaml")
    assert (
        reasons[("p-003", 5)]
        == "column end_date: ends before it starts (2026-12-31) (got '2026-12-01')"
    )
    assert reasons[("p-004", 6)].startswith("column start_date: ")
    assert sorted(p.name for p in out.iterdir()) == ["p-001", "p-005"]
    assert not (tmp_path / "etc").exists()
    assert "2 exported, 4 failed" in result.summary()
    assert "  - row 3, patient '../../etc': patient_id" in result.summary()


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
        "desk-break_2026-12-01_handout.pdf",
    ]
    folder = written.folder
    assert (folder / names[2]).read_bytes().startswith(b"%PDF-")
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


def test_a_table_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("patient,routine\np1,desk-break\n", encoding="utf-8")
    with pytest.raises(
        PrescriptionError,
        match=r"bad.csv: missing column\(s\) patient_id, start_date, end_date; the header must "
        r"have patient_id, routine, start_date, end_date \(found: patient, routine\)",
    ):
        read_prescription_rows(path)
    with pytest.raises(PrescriptionError, match=r"nowhere.csv: 1 problem in the prescriptions"):
        export_batch(tmp_path / "nowhere.csv", tmp_path / "out", progress=False)


def test_empty_cells_are_reported(tmp_path: Path) -> None:
    rows, failures = read_prescription_rows(write_csv(tmp_path, "p-9,,2026-12-01,\n"))
    assert rows == []
    assert str(failures[0]) == "row 2, patient 'p-9': empty routine"


@pytest.mark.parametrize("patient", ["..", ".hidden", "a/b", "a\\b", "", "x" * 65, "ü-1"])
def test_unsafe_patient_ids_never_become_folders(tmp_path: Path, patient: str) -> None:
    with pytest.raises(ExportError, match=r"cannot be used as a folder name; use 1 to 64 letters"):
        patient_folder(tmp_path, patient)


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
        tmp_path, "p-1,desk-break,2026-12-01,2026-12-07\nbad/id,desk-break,2026-12-01,2026-12-07\n"
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
    assert "1 exported, 1 failed" in err and "row 3, patient 'bad/id'" in err


def test_command_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli("export", "--output", "x") == 2
    assert "give either ROUTINE (with --format) or --prescriptions CSV" in capsys.readouterr().err
    assert _cli("export", "gentle-back-stretches", "--output", "x") == 2
    assert "--format is required" in capsys.readouterr().err


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
