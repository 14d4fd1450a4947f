"""Duplicates across the files of one run (analysis spec, section 9, last paragraph)."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
from locations import LOG_FILES, SAMPLE

from toolkit.logs.reading import read_logs

TODAY = dt.date(2026, 11, 25)


def test_the_same_export_given_twice_counts_every_session_once(tmp_path):
    again = tmp_path / "export_again.csv"
    shutil.copy(SAMPLE / "logs.csv", again)
    once = read_logs(SAMPLE / "logs.csv", today=TODAY)
    twice = read_logs([SAMPLE / "logs.csv", again], today=TODAY)
    pd.testing.assert_frame_equal(twice.logs, once.logs)
    again_lines = twice.rejects[twice.rejects["source"] == "export_again.csv"]
    repeats = again_lines[again_lines["reason"].str.contains("logs.csv row")]
    assert len(repeats) == len(once.logs)
    assert len(again_lines) == len(once.logs) + len(once.rejects)
    first = dict(zip(once.logs["entry_id"], once.logs["row"], strict=True))
    assert repeats["reason"].tolist() == [
        f"duplicate: entry_id seen first in logs.csv row {first[e]} with the same values"
        for e in repeats["value"]
    ]
    assert (repeats["row"].to_numpy() == once.logs["row"].to_numpy()).all()
    assert twice.report.duplicates == 2 * once.report.duplicates + len(once.logs)
    assert twice.report.rows_used == once.report.rows_used


def test_rows_without_entry_id_repeat_across_files_when_timed_and_identical(tmp_path):
    header = "patient_id,timestamp,exercise_id,completed,pain_before\n"
    first = tmp_path / "monday.csv"
    first.write_text(
        header + "P01,2026-08-03T07:30,cat-cow,true,7/10\n" + "P01,2026-08-04,cat-cow,true,5\n",
        encoding="utf-8",
    )
    second = tmp_path / "tuesday.csv"
    second.write_text(
        "Patient ID,Date,Exercise,Done,Pain (0-10),Sets\n"
        "P01,2026-08-03T07:30,cat-cow,true,7,\n"  # the same session, written differently
        "P01,2026-08-04,cat-cow,true,5,\n"  # date only: a second paper-log line, kept
        "P01,2026-08-03T07:30,cat-cow,true,7,2\n",  # differs in sets: kept
        encoding="utf-8",
    )
    logs, rejects, report = read_logs([first, second], today=TODAY)
    assert list(zip(logs["source"], logs["row"], strict=True)) == [
        ("monday.csv", 2),
        ("monday.csv", 3),
        ("tuesday.csv", 3),
        ("tuesday.csv", 4),
    ]
    assert rejects.to_dict("records") == [
        {
            "source": "tuesday.csv",
            "row": 2,
            "column": "",
            "value": "",
            "reason": "duplicate: identical to monday.csv row 2",
        }
    ]
    assert report.duplicates == 1


def test_entry_ids_repeat_only_for_the_same_patient(tmp_path):
    first = tmp_path / "a.csv"
    shutil.copy(LOG_FILES / "comma.csv", first)
    second = tmp_path / "b.csv"
    text = (LOG_FILES / "comma.csv").read_text(encoding="utf-8").splitlines()
    second.write_text(
        "\n".join([text[0], text[1].replace("P01", "P09"), text[2].replace(",6,", ",8,")]) + "\n",
        encoding="utf-8",
    )
    logs, rejects, report = read_logs([first, second], today=TODAY)
    assert rejects[["source", "row", "column", "value", "reason"]].values.tolist() == [
        [
            "b.csv",
            3,
            "entry_id",
            "a2",
            "duplicate: entry_id seen first in a.csv row 3 with the same values",
        ],
    ]
    assert len(logs) == 6 and report.duplicates == 1
