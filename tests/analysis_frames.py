"""Small frames and routines for the analysis tests, shaped like ``read_logs`` output."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from toolkit.logs.columns import CANONICAL_COLUMNS
from toolkit.routines.models import Routine

LOG_COLUMNS = list(CANONICAL_COLUMNS)


def make_routine(
    routine_id: str, items: list[tuple[str, dict[str, Any] | None]], T: int = 1, D: int = 7
) -> Routine:
    """A routine with the given (exercise, dose) items and schedule T sessions a day, D days."""
    return Routine.model_validate(
        {
            "id": f"routine-{routine_id}",
            "title": f"Routine {routine_id}",
            "author": "tests",
            "clinic": {"name": "Test clinic"},
            "created": dt.date(2026, 1, 1),
            "updated": dt.date(2026, 1, 1),
            "condition": "low back pain",
            "introduction": "Test routine.",
            "schedule": {"sessions_per_day": T, "days_per_week": D},
            "items": [
                {"exercise": exercise, **({"dose": dose} if dose else {})}
                for exercise, dose in items
            ],
        }
    )


#: cat-cow 1 x 10 (volume 10); clamshell 2 x 10 each side (volume 40); walking 1 x 600 s.
STANDARD_ITEMS: list[tuple[str, dict[str, Any] | None]] = [
    ("cat-cow", {"sets": 1, "reps": 10}),
    ("clamshell", {"sets": 2, "reps": 10, "side": "each-side"}),
    ("walking", {"sets": 1, "duration_s": 600}),
]


def logs(*rows: dict[str, Any], source: str = "log.csv") -> pd.DataFrame:
    """A canonical logs frame; each row a dict with at least patient_id and timestamp."""
    frame = pd.DataFrame(
        [{c: row.get(c) for c in LOG_COLUMNS} for row in rows], columns=LOG_COLUMNS
    )
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], format="ISO8601").astype(
        "datetime64[us]"
    )
    frame["patient_id"] = frame["patient_id"].astype("str")
    for name in ("exercise_id", "side", "notes", "entry_id"):
        frame[name] = frame[name].astype("str").where(frame[name].notna())
    frame["completed"] = frame["completed"].astype("boolean").fillna(True).astype(bool)
    for name in ("sets_done", "reps_done", "pain_before", "pain_after"):
        frame[name] = frame[name].astype("Int64")
    frame["duration_s"] = frame["duration_s"].astype("Float64")
    frame["date"] = frame["timestamp"].dt.normalize()
    frame["has_time"] = frame["timestamp"] != frame["date"]
    frame["source"] = source
    frame["row"] = np.arange(2, len(frame) + 2)
    return frame


def prescriptions(*rows: tuple[str, str, str, str | None]) -> pd.DataFrame:
    """(patient_id, routine, start_date, end_date or None) rows."""
    frame = pd.DataFrame(rows, columns=["patient_id", "routine", "start_date", "end_date"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    frame["source"] = "prescriptions.csv"
    frame["row"] = np.arange(2, len(frame) + 2)
    return frame


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def one(frame: pd.DataFrame, **where: Any) -> pd.Series:
    """The single row of ``frame`` matching every column=value given."""
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= (frame[column] == value).to_numpy()
    chosen = frame[mask]
    assert len(chosen) == 1, f"{len(chosen)} rows match {where}"
    return chosen.iloc[0]
