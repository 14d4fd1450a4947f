"""The routine plan: each prescribed routine's schedule and the dose of each of its exercises.

:func:`routine_plan` tabulates routines once for the analysis; :class:`PlanCodes` turns the
table into arrays indexed by integer routine and exercise codes (analysis spec, sections 3-4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.analysis.window import codes_in
from toolkit.errors import AnalysisError, InvalidDocumentError, Problem, UnknownExerciseError
from toolkit.routines.library import Library
from toolkit.routines.models import Routine
from toolkit.routines.routine import effective_dose

__all__ = ["RoutinePlan", "PlanCodes", "routine_plan"]


@dataclass(frozen=True)
class RoutinePlan:
    """What the analysis needs to know of each routine.

    Attributes
    ----------
    schedules : DataFrame
        ``routine, sessions_per_day, days_per_week``: one row per routine id (``T`` [sessions
        per day] and ``D`` [days per week]).
    doses : DataFrame
        ``routine, exercise_id, sets, per_set, timed, each_side, volume``: one row per exercise
        of a routine; ``per_set`` is reps (or holds, or breaths) [count] or seconds [s] for a
        timed exercise; ``volume`` is the prescribed volume of one session, doubled for an
        exercise done on each side [count or s].
    """

    schedules: pd.DataFrame
    doses: pd.DataFrame


def routine_plan(routines: Mapping[str, Routine], library: Library | None) -> RoutinePlan:
    """Tabulate the schedule and the effective dose of every exercise of every routine.

    Parameters
    ----------
    routines : mapping of str to Routine
        Routine by the id the prescriptions use for it.
    library : Library or None
        Gives the default dose of items without one and checks every exercise id; may be
        None when every item has a dose of its own (nothing is loaded behind the caller's
        back).

    Raises
    ------
    InvalidDocumentError
        An item names an exercise the library does not hold (located as ``items[i].exercise``).
    AnalysisError
        An item has no dose of its own and no library is given.

    Notes
    -----
    An exercise listed twice in one routine gets the sum of both volumes; missing sets or reps
    in its log rows are filled from its first item.
    """
    schedule_rows = []
    dose_rows = []
    for key, routine in routines.items():
        schedule_rows.append(
            (key, routine.schedule.sessions_per_day, routine.schedule.days_per_week)
        )
        for index, item in enumerate(routine.items):
            if library is None:
                if item.dose is None:
                    raise AnalysisError(
                        f"routine {key!r}, items[{index}] ({item.exercise}) has no dose of its "
                        "own; pass the exercise library (load_library()) for its default dose"
                    )
                dose = item.dose
            else:
                try:
                    exercise = library.get(item.exercise)
                except UnknownExerciseError as exc:
                    origin = getattr(routine, "_origin", None)
                    source = origin[0] if origin else f"routine {key!r}"
                    raise InvalidDocumentError(
                        source, [Problem(f"items[{index}].exercise", str(exc), item.exercise)]
                    ) from None
                dose = effective_dose(item, exercise)
            per_set = dose.duration_s if dose.timed else dose.reps
            dose_rows.append(
                (
                    key,
                    item.exercise,
                    dose.sets,
                    per_set,
                    dose.timed,
                    dose.side == "each-side",
                    dose.volume,
                )
            )
    schedules = pd.DataFrame(
        schedule_rows, columns=["routine", "sessions_per_day", "days_per_week"]
    ).astype({"routine": "str", "sessions_per_day": "int64", "days_per_week": "int64"})
    doses = pd.DataFrame(
        dose_rows,
        columns=["routine", "exercise_id", "sets", "per_set", "timed", "each_side", "volume"],
    ).astype(
        {
            "routine": "str",
            "exercise_id": "str",
            "sets": "float64",
            "per_set": "float64",
            "timed": "bool",
            "each_side": "bool",
            "volume": "int64",
        }
    )
    doses = doses.groupby(["routine", "exercise_id"], sort=False, as_index=False).agg(
        sets=("sets", "first"),
        per_set=("per_set", "first"),
        timed=("timed", "first"),
        each_side=("each_side", "first"),
        volume=("volume", "sum"),
    )
    return RoutinePlan(schedules=schedules, doses=doses)


@dataclass(frozen=True)
class PlanCodes:
    """The routine plan as arrays indexed by routine code and exercise code."""

    sessions_per_day: np.ndarray
    days_per_week: np.ndarray
    day_routine: np.ndarray
    exercises: pd.Index
    dose_at: np.ndarray
    dose_routine: np.ndarray
    dose_exercise: np.ndarray
    each_side: np.ndarray
    timed: np.ndarray
    sets: np.ndarray
    per_set: np.ndarray
    volume: np.ndarray

    @classmethod
    def of(cls, plan: RoutinePlan, day_routines: pd.Series) -> PlanCodes:
        """Codes of ``plan``; exercise codes follow the sorted exercise ids."""
        routines = pd.Index(plan.schedules["routine"])
        doses = plan.doses
        exercises = pd.Index(sorted(doses["exercise_id"].unique()), dtype=object)
        dose_routine = routines.get_indexer(doses["routine"])
        dose_exercise = exercises.get_indexer(doses["exercise_id"])
        dose_at = np.full((len(routines) + 1, len(exercises) + 1), -1, dtype="int64")
        dose_at[dose_routine, dose_exercise] = np.arange(len(doses))
        return cls(
            sessions_per_day=plan.schedules["sessions_per_day"].to_numpy(dtype="int64"),
            days_per_week=plan.schedules["days_per_week"].to_numpy(dtype="int64"),
            day_routine=codes_in(day_routines, routines),
            exercises=exercises,
            dose_at=dose_at,
            dose_routine=dose_routine,
            dose_exercise=dose_exercise,
            each_side=doses["each_side"].to_numpy(dtype=bool),
            timed=doses["timed"].to_numpy(dtype=bool),
            sets=doses["sets"].to_numpy(dtype=float),
            per_set=doses["per_set"].to_numpy(dtype=float),
            volume=doses["volume"].to_numpy(dtype="int64"),
        )

    def expand(self, routine: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each routine code repeated once per dose of that routine, and those doses in order."""
        by_routine = np.argsort(self.dose_routine, kind="stable")
        count = np.bincount(self.dose_routine, minlength=len(self.sessions_per_day))
        first = np.cumsum(count) - count
        owner = np.repeat(np.arange(len(routine)), count[routine])
        lengths = count[routine]
        within = np.arange(len(owner)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return owner, by_routine[first[routine[owner]] + within]
