"""Move a patient who is ready on to the routine that follows theirs.

The analysis suggests (``ready_to_progress`` in the summary, spec section 7); the clinician
decides. :func:`progress` refuses a patient the analysis does not find ready unless forced, and
changes only that patient's rows of the prescriptions file (:func:`~toolkit.logs.periods.
start_next_period`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.errors import PrescriptionError
from toolkit.logs.periods import start_next_period
from toolkit.logs.prescriptions import read_prescriptions
from toolkit.routines.library import Library, load_library
from toolkit.routines.routine import load_routine

__all__ = ["Progression", "next_routine_of", "progress"]


@dataclass(frozen=True)
class Progression:
    """What :func:`progress` did: the patient, the routines, the day, and the kept copy."""

    patient_id: str
    old_routine: str
    new_routine: str
    on: dt.date
    history: Path

    def __str__(self) -> str:
        until = self.on - dt.timedelta(days=1)
        return (
            f"{self.patient_id}: {self.old_routine} until {until}, "
            f"{self.new_routine} from {self.on} (previous file kept in {self.history})"
        )


def next_routine_of(routine_path: str | Path, library: Library) -> str | None:
    """The ``next_routine`` a routine file names, or None."""
    return load_routine(routine_path, library).next_routine


def _is_ready(analysis: Any, patient_id: str) -> bool:
    summary: pd.DataFrame = analysis.summary
    rows = summary[summary["patient_id"] == patient_id]
    if rows.empty or "ready_to_progress" not in rows:
        return False
    value = rows["ready_to_progress"].iloc[0]
    return not pd.isna(value) and bool(value)


def progress(
    prescriptions_path: str | Path,
    patient_id: str,
    on: dt.date | str,
    *,
    analysis: Any = None,
    force: bool = False,
    routines_dir: str | Path | None = None,
    library: Library | None = None,
) -> Progression:
    """Start ``patient_id`` on the next routine from ``on``, ending the current one the day before.

    Parameters
    ----------
    prescriptions_path : str or Path
        The prescriptions CSV; changed in place, atomically, the old file kept in ``.history/``.
    patient_id : str
        The patient to move on.
    on : datetime.date or str
        First day of the new routine (``YYYY-MM-DD``).
    analysis : Analysis, optional
        The analysis that says whether the patient is ready (``ready_to_progress``).
    force : bool
        Move the patient on even when the analysis does not find them ready (or none is given).
    routines_dir : str or Path, optional
        Where routine ids are looked up.
    library : Library, optional
        Exercise library; default the built-in one.

    Raises
    ------
    PrescriptionError
        The patient is not ready (and not forced), their routine names no next routine, or
        the prescriptions file cannot be changed (see :func:`start_next_period`).
    """
    day = on if isinstance(on, dt.date) else dt.date.fromisoformat(on)
    library = library if library is not None else load_library()
    table = read_prescriptions(prescriptions_path, routines_dir)
    periods = table[table["patient_id"] == patient_id].sort_values("start_date")
    if periods.empty:
        raise PrescriptionError(
            f"{prescriptions_path}: no patient {patient_id!r} in the prescriptions"
        )
    current = periods.iloc[-1]
    following = next_routine_of(current["routine_path"], library)
    if following is None:
        raise PrescriptionError(
            f"routine {current['routine']!r} names no next routine; add a line "
            "'next_routine: <routine id>' to it, or add the new period by hand"
        )
    if not force:
        if analysis is None:
            raise PrescriptionError(
                f"whether {patient_id} is ready comes from their logs: give the logs "
                "(hepkit progress ... --logs FILE), or --force to move them on anyway"
            )
        if not _is_ready(analysis, patient_id):
            raise PrescriptionError(
                f"{patient_id} is not ready to progress by the analysis (see the report's "
                "groups); use --force to move them on anyway"
            )
    history = start_next_period(
        prescriptions_path, patient_id, following, day, routines_dir=routines_dir
    )
    return Progression(patient_id, str(current["routine"]), following, day, history)
