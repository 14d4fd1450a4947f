"""A small cohort written as real-format files, for the report's tests."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

HOSTILE_NOTE = "fever <script>alert(1)</script>"


def write_small_cohort(folder: Path, *, note: str = HOSTILE_NOTE, bad_row: bool = False) -> dict:
    """Three patients on the built-in routine ``gentle-back-stretches``; returns the paths.

    ``A1`` logs a session every day from 2026-10-01 to 2026-10-20 with pain falling from 6 to 3,
    ``B2`` logs three sessions and writes ``note`` on 2026-10-05, ``C3`` starts after as_of
    (2026-10-20). With ``bad_row``, one row has a pain score of 11 and is rejected.
    """
    folder.mkdir(parents=True, exist_ok=True)
    logs = folder / "logs.csv"
    rows = []
    start = dt.date(2026, 10, 1)
    for i in range(20):
        day = start + dt.timedelta(days=i)
        rows.append(["A1", f"{day}T08:00", "", 6 if i < 7 else 3, ""])
    rows += [
        ["B2", "2026-10-02T09:00", "", 4, ""],
        ["B2", "2026-10-05T09:00", "", 5, note],
        ["B2", "2026-10-06T09:00", "", 5, ""],
    ]
    if bad_row:
        rows.append(["B2", "2026-10-07T09:00", "", 11, ""])
    with logs.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient_id", "timestamp", "exercise_id", "pain_before", "notes"])
        writer.writerows(rows)
    prescriptions = folder / "prescriptions.csv"
    prescriptions.write_text(
        "patient_id,routine,start_date,end_date\n"
        "A1,gentle-back-stretches,2026-10-01,\n"
        "B2,gentle-back-stretches,2026-10-01,\n"
        "C3,gentle-back-stretches,2026-11-02,\n",
        encoding="utf-8",
    )
    return {"logs": logs, "prescriptions": prescriptions, "as_of": "2026-10-20"}
