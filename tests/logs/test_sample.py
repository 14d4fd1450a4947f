"""The synthetic cohort: byte-for-byte reproducible, realistic, and its messy copy's rejects."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from locations import SAMPLE

from toolkit.logs import sample
from toolkit.logs.prescriptions import read_prescriptions
from toolkit.logs.reading import read_logs

COMMITTED = SAMPLE


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    assert sample.main(["--patients", "40", "--weeks", "12", "--seed", "7", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("name", ["prescriptions.csv", "logs.csv", "logs_messy.csv"])
def test_committed_sample_regenerates_byte_for_byte(generated, name):
    assert (generated / name).read_bytes() == (COMMITTED / name).read_bytes()


def test_sample_files_stay_small():
    assert sum(p.stat().st_size for p in COMMITTED.glob("*.csv")) < 3_000_000


def test_clean_logs_read_without_rejects_and_match_the_prescriptions(generated):
    logs, rejects, report = read_logs(generated / "logs.csv", today="2026-11-25")
    assert rejects.empty and report.patients == 40
    prescriptions = read_prescriptions(generated / "prescriptions.csv")
    assert set(prescriptions["patient_id"]) == set(logs["patient_id"])
    assert prescriptions["patient_id"].value_counts().max() == 2  # some change routine
    assert (prescriptions["patient_id"].value_counts() == 2).sum() >= 5


def test_the_cohort_behaves_like_a_real_one(generated):
    logs = read_logs(generated / "logs.csv", today="2026-11-25").logs
    first = logs.groupby("patient_id")["date"].transform("min")
    week = (logs["date"] - first).dt.days // 7
    active = logs[logs["completed"]].assign(week=week).groupby(["week"])["patient_id"].nunique()
    assert active.iloc[0] > active.iloc[-1]
    notes = logs["notes"].dropna()
    assert notes.str.contains(r"numb\w* (?:in|around) (?:the |my )?groin").sum() == 1
    assert (~logs["completed"]).sum() > 10
    last_day = logs.groupby("patient_id")["date"].max()
    assert (last_day < last_day.max() - pd.Timedelta(days=30)).sum() >= 1  # stopped logging
    daily = logs.dropna(subset=["pain_before"]).groupby(["patient_id", week])["pain_before"].mean()
    change = daily.groupby(level=0).last() - daily.groupby(level=0).first()
    assert (change >= 2).sum() >= 1 and (change <= -2).sum() >= 10
    rises = logs.dropna(subset=["pain_after"])
    session_before = (
        logs.dropna(subset=["pain_before"])
        .groupby(["patient_id", "timestamp"])["pain_before"]
        .first()
    )
    after = rises.groupby(["patient_id", "timestamp"])["pain_after"].last()
    rise = (after - session_before.reindex(after.index)).dropna()
    assert (rise >= 2).sum() >= 3


MESSY_REJECTS = [
    (41, "pain_before", "12", "invalid: outside 0 to 10; pain is a whole number 0 to 10"),
    (107, "reps_done", "-3", "invalid: not a whole number 0 or more"),
    (122, "side", "up", "invalid: side is left, right or both"),
    (581, "timestamp", "31/02/2026 08:00", "invalid: not a real date in day/month/year order"),
    (594, "pain_before", "7.5", "invalid: not a whole number; pain is a whole number 0 to 10"),
    (596, "sets_done", "two", "invalid: not a whole number 0 or more"),
    (
        2203,
        "entry_id",
        "e0000639",
        "duplicate: entry_id seen first on row 643 with the same values",
    ),
    (
        2204,
        "entry_id",
        "e0000904",
        "duplicate: entry_id seen first on row 908 with the same values",
    ),
    (
        2205,
        "entry_id",
        "e0001061",
        "duplicate: entry_id seen first on row 1065 with the same values",
    ),
    (2206, "entry_id", "e0001169", "duplicate: entry_id seen first on row 1173 with other values"),
    (2207, "", "", "duplicate: identical to row 1670"),
    (2208, "timestamp", "01/01/2031 09:00", "future: dated after today (2026-11-25)"),
]


def test_messy_copy_rejects_are_pinned():
    reading = read_logs(COMMITTED / "logs_messy.csv", dayfirst=True, today="2026-11-25")
    got = [
        tuple(r)
        for r in reading.rejects[["row", "column", "value", "reason"]].itertuples(index=False)
    ]
    assert got == MESSY_REJECTS
    report = reading.report
    assert (report.rows_read, report.rows_used, report.blank_lines) == (2204, 2192, 3)
    assert report.details["logs_messy.csv"] == {"encoding": "utf-8-sig", "delimiter": "semicolon"}
    assert reading.logs["notes"].str.contains("\n").sum() == 1


def test_rows_option_cuts_the_log(tmp_path):
    sample.write_sample(tmp_path, patients=5, weeks=2, rows=10)
    assert len((tmp_path / "logs.csv").read_text().splitlines()) == 11


def test_usage_errors():
    with pytest.raises(SystemExit):
        sample.main(["--patients", "2"])
