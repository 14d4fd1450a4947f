"""``hepkit template logs``: a blank log that read_logs reads once it is filled in."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from toolkit.cli.main import main
from toolkit.errors import ExportError
from toolkit.logs.columns import CANONICAL_COLUMNS
from toolkit.logs.reading import read_logs
from toolkit.logs.template import log_template

# A paper tick sheet typed in: one session done, pain before and after, as the sheet asks.
ROW = {
    "patient_id": "p-017",
    "timestamp": "2026-12-01",
    "completed": "yes",
    "pain_before": "4",
    "pain_after": "3",
    "notes": "stiff in the morning",
}


def _filled(header: list[str]) -> list[str]:
    return [ROW.get(name, "") for name in header]


def test_the_csv_template_is_the_canonical_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "logs.csv"
    assert main(["template", "logs", "--output", str(path)]) == 0
    assert capsys.readouterr().out == f"wrote {path}\n"
    assert path.read_text(encoding="utf-8") == ",".join(CANONICAL_COLUMNS) + "\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(",".join(_filled(list(CANONICAL_COLUMNS))) + "\n")
    reading = read_logs(path, today="2026-12-31")
    assert reading.rejects.empty
    assert len(reading.logs) == 1
    row = reading.logs.iloc[0]
    assert row["patient_id"] == "p-017" and row["pain_before"] == 4 and row["pain_after"] == 3


def test_the_xlsx_template_reads_back_with_no_rejects(tmp_path: Path) -> None:
    path = tmp_path / "logs.xlsx"
    assert main(["template", "logs", "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == list(CANONICAL_COLUMNS)
    sheet.append(_filled(header))
    book.save(path)
    reading = read_logs(path, today="2026-12-31")
    assert reading.rejects.empty and len(reading.logs) == 1


def test_an_existing_file_is_kept_and_other_types_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "logs.csv"
    path.write_text("mine\n", encoding="utf-8")
    assert main(["template", "logs", "--output", str(path)]) == 1
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "mine\n"
    assert main(["template", "logs", "--output", str(path), "--overwrite"]) == 0
    assert main(["template", "logs", "--output", str(tmp_path / "logs.ods")]) == 1
    assert "a blank log is written as .csv or .xlsx, not '.ods'" in capsys.readouterr().err


def test_log_template_refuses_a_file_without_suffix() -> None:
    with pytest.raises(ExportError, match=r"logs: a blank log is written as \.csv or \.xlsx, not"):
        log_template("logs")
