"""``progress`` and ``hepkit progress``: only a ready patient moves on, unless forced."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from locations import SAMPLE

from toolkit.cli.main import main
from toolkit.errors import PrescriptionError
from toolkit.report.progress import progress

TABLE = "patient_id,routine,start_date,end_date\nP1,gentle-back-stretches,2026-08-01,\nP2,back-strength-progression,2026-08-01,\n"


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "prescriptions.csv"
    path.write_text(TABLE)
    return path


def _analysis(ready: object) -> SimpleNamespace:
    return SimpleNamespace(
        summary=pd.DataFrame({"patient_id": ["P1"], "ready_to_progress": [ready]})
    )


def test_a_ready_patient_moves_on_to_the_next_routine(table: Path) -> None:
    done = progress(table, "P1", "2026-11-02", analysis=_analysis(True))
    assert (done.old_routine, done.new_routine) == (
        "gentle-back-stretches",
        "back-strength-progression",
    )
    assert str(done).startswith(
        "P1: gentle-back-stretches until 2026-11-01, back-strength-progression from 2026-11-02"
    )
    assert table.read_text().splitlines()[1:] == [
        "P1,gentle-back-stretches,2026-08-01,2026-11-01",
        "P2,back-strength-progression,2026-08-01,",
        "P1,back-strength-progression,2026-11-02,",
    ]


@pytest.mark.parametrize("ready", [False, None, pd.NA])
def test_a_patient_not_ready_is_refused_unless_forced(table: Path, ready: object) -> None:
    with pytest.raises(
        PrescriptionError,
        match=r"P1 is not ready to progress by the analysis \(see the report's groups\); use --force to move them on anyway",
    ):
        progress(table, "P1", "2026-11-02", analysis=_analysis(ready))
    assert table.read_text() == TABLE
    progress(table, "P1", "2026-11-02", analysis=_analysis(ready), force=True)
    assert table.read_text() != TABLE


def test_without_an_analysis_the_logs_are_asked_for(table: Path) -> None:
    with pytest.raises(
        PrescriptionError,
        match=r"whether P1 is ready comes from their logs: give the logs \(hepkit progress ... --logs FILE\), or --force",
    ):
        progress(table, "P1", "2026-11-02")


def test_a_routine_without_a_next_routine_is_refused(table: Path) -> None:
    with pytest.raises(
        PrescriptionError,
        match=r"routine 'back-strength-progression' names no next routine; add a line 'next_routine: <routine id>'",
    ):
        progress(table, "P2", "2026-11-02", force=True)


def test_the_reference_routine_names_the_strength_progression(library) -> None:
    from toolkit.paths import routines_dir
    from toolkit.routines.routine import load_routine

    assert (
        load_routine(routines_dir() / "gentle-back-stretches.yaml", library).next_routine
        == "back-strength-progression"
    )


def test_command_line_refuses_a_patient_who_is_not_ready(tmp_path: Path, capsys) -> None:
    copy = tmp_path / "prescriptions.csv"
    copy.write_bytes((SAMPLE / "prescriptions.csv").read_bytes())
    code = main(
        [
            "progress",
            str(copy),
            "P002",
            "--on",
            "2026-11-01",
            "--logs",
            str(SAMPLE / "logs.csv"),
            "--as-of",
            "2026-10-31",
            "--today",
            "2026-11-30",
        ]
    )
    assert code == 1
    assert "P002 is not ready to progress" in capsys.readouterr().err
    assert copy.read_bytes() == (SAMPLE / "prescriptions.csv").read_bytes()
    assert main(["progress", str(copy), "P002", "--on", "2026-11-01", "--force"]) == 0
    assert (
        "P002: gentle-back-stretches until 2026-10-31, back-strength-progression from 2026-11-01"
        in capsys.readouterr().out
    )
