"""The reading reports of a dataset's writes, kept as JSON and added up into one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from locations import SAMPLE

from toolkit.errors import LogFormatError
from toolkit.logs.dataset import read_dataset_report, write_logs_dataset
from toolkit.logs.reading import read_logs


def test_two_writes_add_up_and_repeats_count_as_duplicates(tmp_path: Path) -> None:
    reading = read_logs(SAMPLE / "logs.csv", today="2026-11-30")
    write_logs_dataset(reading, tmp_path / "ds", buckets=4)
    write_logs_dataset(reading, tmp_path / "ds")
    report = read_dataset_report(tmp_path / "ds")
    rows = len(reading.logs)
    assert report.sources == ("logs.csv",)
    assert (report.rows_read, report.rows_used) == (2 * rows, rows)
    assert (report.duplicates, report.rows_rejected) == (rows, rows)
    assert report.reasons == {"duplicate": rows}
    assert report.today == dt.date(2026, 11, 30)
    assert (report.first_date, report.last_date) == (dt.date(2026, 8, 3), dt.date(2026, 10, 31))


def test_a_dataset_without_json_reports_is_refused(tmp_path: Path) -> None:
    reading = read_logs(SAMPLE / "logs.csv", today="2026-11-30")
    write_logs_dataset(reading, tmp_path / "ds", buckets=2)
    for kept in (tmp_path / "ds" / "_reports").glob("*.json"):
        kept.unlink()
    with pytest.raises(LogFormatError, match=r"the dataset keeps no reading report"):
        read_dataset_report(tmp_path / "ds")
