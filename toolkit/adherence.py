"""Adherence: sessions done against sessions prescribed, dose done, and reporting.

Implements sections 2 to 5 of the analysis spec (``analysis.md``). Sessions are counted
exactly: a day prescribes ``T x D / 7`` sessions, so every prescribed figure is kept as a
whole number of sevenths and every session figure as a whole number too; floats appear only
in the frames handed back, each the correctly rounded value of an exact ratio.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import AnalysisError, InvalidDocumentError, Problem, UnknownExerciseError
from .library import Library, load_library
from .models import Routine
from .routine import effective_dose
from .window import (
    TOLERANCE,
    Window,
    analysis_window,
    prepare_logs,
    resolve_as_of,
    to_dates,
)

__all__ = [
    "ADHERENT_AT",
    "EXCLUSION_REASONS",
    "RoutinePlan",
    "Adherence",
    "routine_plan",
    "adherence",
    "adherence_from",
]

#: Session adherence at or above which a patient is adherent (Haynes; a convention). [fraction]
ADHERENT_AT = 0.8

#: Why a used row counts for no session or volume, in the order they are tested (spec, 3).
EXCLUSION_REASONS = (
    "no_prescription",
    "after_as_of",
    "outside_window",
    "not_completed",
    "not_in_routine",
)

WEEKLY_COLUMNS = [
    "patient_id",
    "week_start",
    "days",
    "sessions_prescribed",
    "sessions_done",
    "sessions_logged",
    "session_adherence",
    "dose_adherence",
]
PATIENT_COLUMNS = [
    "patient_id",
    "as_of",
    "window_start",
    "window_end",
    "days_in_window",
    "sessions_prescribed",
    "sessions_done",
    "sessions_logged",
    "session_adherence",
    "adherent",
    "dose_adherence",
    "reporting_completeness",
    "last_log_date",
    "days_since_last_log",
]
EXCLUDED_COLUMNS = ["source", "row", "patient_id", "date", "exercise_id", "reason"]
_SIDED = ("left", "right")


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


def routine_plan(routines: Mapping[str, Routine], library: Library) -> RoutinePlan:
    """Tabulate the schedule and the effective dose of every exercise of every routine.

    Parameters
    ----------
    routines : mapping of str to Routine
        Routine by the id the prescriptions use for it.
    library : Library
        Gives the default dose of items without one.

    Raises
    ------
    InvalidDocumentError
        An item names an exercise the library does not hold (located as ``items[i].exercise``).

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
class Adherence:
    """Adherence figures of a cohort.

    Attributes
    ----------
    as_of : Timestamp
        The date the figures are made for.
    patients : DataFrame
        One row per prescribed patient (``PATIENT_COLUMNS``): window, sessions, session and
        dose adherence [fraction], reporting completeness [fraction], last log date and days
        since [day].
    weekly : DataFrame
        One row per patient and ISO week with a window day (``WEEKLY_COLUMNS``).
    daily : DataFrame
        One row per window day: ``patient_id, date, week_start, routine,
        sessions_prescribed, sessions_logged, sessions_done, any_row`` (for the calendar).
    excluded : DataFrame
        Used rows that count for no session or volume, with the first reason that applies
        (``EXCLUDED_COLUMNS``), sorted by patient then file order.
    """

    as_of: pd.Timestamp
    patients: pd.DataFrame
    weekly: pd.DataFrame
    daily: pd.DataFrame
    excluded: pd.DataFrame


def adherence(
    logs: pd.DataFrame,
    prescriptions: pd.DataFrame,
    routines: Mapping[str, Routine] | RoutinePlan,
    library: Library | None = None,
    as_of: object = None,
    *,
    adherent_at: float = ADHERENT_AT,
) -> Adherence:
    """Session adherence, dose adherence and reporting of every prescribed patient.

    Parameters
    ----------
    logs : DataFrame
        Canonical log rows (``toolkit.read_logs``), with ``date`` the local date.
    prescriptions : DataFrame
        ``patient_id, routine, start_date, end_date``, one row per period.
    routines : mapping of str to Routine, or RoutinePlan
        The routine behind each id used in ``prescriptions``.
    library : Library, optional
        For the default doses; the built-in library when not given.
    as_of : date-like, optional
        Default: the latest date among the log rows.
    adherent_at : float
        Session adherence at or above which a patient is adherent. [fraction]

    Returns
    -------
    Adherence

    Raises
    ------
    AnalysisError
        A column is missing, no as_of can be found, or a prescribed routine is not given.
    PrescriptionError
        Periods of one patient overlap or run backwards.
    """
    rows = prepare_logs(logs)
    window = analysis_window(prescriptions, resolve_as_of(rows, as_of))
    if not isinstance(routines, RoutinePlan):
        routines = routine_plan(routines, library if library is not None else load_library())
    return adherence_from(rows, window, routines, adherent_at=adherent_at)


def adherence_from(
    rows: pd.DataFrame,
    window: Window,
    plan: RoutinePlan,
    *,
    adherent_at: float = ADHERENT_AT,
) -> Adherence:
    """:func:`adherence` on logs already prepared and a window already built."""
    _check_routines(window, plan)
    as_of = window.as_of
    days = window.days.merge(plan.schedules, on="routine", how="left")
    days["sevenths"] = days["sessions_per_day"] * days["days_per_week"]

    # Classify every row; the first reason that applies wins (spec, section 3).
    located = rows.merge(
        days[["patient_id", "day", "routine", "week"]], on=["patient_id", "day"], how="left"
    ).merge(plan.doses, on=["routine", "exercise_id"], how="left")
    prescribed = located["patient_id"].isin(window.patients["patient_id"]).to_numpy()
    in_window = located["routine"].notna().to_numpy()
    exercise_row = located["exercise_id"].notna().to_numpy()
    reason = np.select(
        [
            ~prescribed,
            located["day"].to_numpy() > as_of,
            ~in_window,
            ~located["completed"].to_numpy(dtype=bool),
            exercise_row & located["volume"].isna().to_numpy(),
        ],
        list(EXCLUSION_REASONS),
        default="",
    )
    counted = reason == ""

    sessions = located[counted & ~exercise_row]
    session_rows = sessions.groupby(["patient_id", "day"], sort=False).size().rename("session_rows")
    exercises = located[counted & exercise_row].copy()
    exercise_sessions = _exercise_sessions(exercises)

    per_day = pd.concat([session_rows, exercise_sessions], axis=1).fillna(0).astype("int64")
    per_day["logged"] = per_day.max(axis=1)
    days = days.join(per_day["logged"], on=["patient_id", "day"])
    days["logged"] = days["logged"].fillna(0).astype("int64")
    days["done"] = np.minimum(days["logged"], days["sessions_per_day"])
    any_row = located.loc[in_window, ["patient_id", "day"]].drop_duplicates()
    any_row["any_row"] = True
    days = days.merge(any_row, on=["patient_id", "day"], how="left")
    days["any_row"] = days["any_row"].fillna(False).astype(bool)

    week_keys = ["patient_id", "week"]
    weeks = days.groupby(week_keys, sort=True).agg(
        days=("day", "size"),
        sevenths=("sevenths", "sum"),
        capped=("done", "sum"),
        logged=("logged", "sum"),
    )
    weeks["done_sevenths"] = np.minimum(7 * weeks["capped"], weeks["sevenths"])
    dose_weeks, dose_window = _dose(days, sessions, exercises, plan)
    weeks = weeks.join(dose_weeks)

    weekly = pd.DataFrame(
        {
            "patient_id": weeks.index.get_level_values("patient_id").astype("str"),
            "week_start": to_dates(weeks.index.get_level_values("week").to_numpy()),
            "days": weeks["days"].to_numpy(),
            "sessions_prescribed": weeks["sevenths"].to_numpy() / 7,
            "sessions_done": weeks["done_sevenths"].to_numpy() / 7,
            "sessions_logged": weeks["logged"].to_numpy(),
            "session_adherence": weeks["done_sevenths"].to_numpy() / weeks["sevenths"].to_numpy(),
            "dose_adherence": weeks["dose_adherence"].to_numpy(),
        },
        columns=WEEKLY_COLUMNS,
    )

    patients = _patient_figures(window, weeks, dose_window, located, days, adherent_at)
    daily = pd.DataFrame(
        {
            "patient_id": days["patient_id"].to_numpy(),
            "date": to_dates(days["day"].to_numpy()),
            "week_start": to_dates(days["week"].to_numpy()),
            "routine": days["routine"].to_numpy(),
            "sessions_prescribed": days["sevenths"].to_numpy() / 7,
            "sessions_logged": days["logged"].to_numpy(),
            "sessions_done": days["done"].to_numpy(),
            "any_row": days["any_row"].to_numpy(),
        }
    )
    dropped = located[~counted]
    excluded = pd.DataFrame(
        {
            "source": dropped["source"].to_numpy(),
            "row": dropped["row"].to_numpy(),
            "patient_id": dropped["patient_id"].to_numpy(),
            "date": to_dates(dropped["day"].to_numpy()),
            "exercise_id": dropped["exercise_id"].to_numpy(),
            "reason": reason[~counted],
        },
        columns=EXCLUDED_COLUMNS,
    )
    excluded = excluded.sort_values("patient_id", kind="stable", ignore_index=True)
    return Adherence(
        as_of=to_dates(np.array([as_of]))[0],
        patients=patients,
        weekly=weekly,
        daily=daily,
        excluded=excluded,
    )


def _check_routines(window: Window, plan: RoutinePlan) -> None:
    needed = set(window.days["routine"].dropna().unique())
    missing = sorted(needed - set(plan.schedules["routine"]))
    if missing:
        given = ", ".join(sorted(plan.schedules["routine"])) or "none"
        raise AnalysisError(
            f"prescriptions: routine {', '.join(map(repr, missing))} is not among the routines "
            f"given ({given}); load it with load_routine and pass it in routines"
        )


def _exercise_sessions(exercises: pd.DataFrame) -> pd.Series:
    """Per patient and day, the largest count of any one exercise (spec, section 3)."""
    if exercises.empty:
        return pd.Series(
            [],
            dtype="int64",
            name="exercise_sessions",
            index=pd.MultiIndex.from_arrays([[], []], names=["patient_id", "day"]),
        )
    sided = exercises["each_side"].to_numpy(dtype=bool)
    side = exercises["side"].to_numpy(dtype=object)
    exercises["both"] = ~(sided & np.isin(side, _SIDED))
    exercises["left"] = sided & (side == "left")
    exercises["right"] = sided & (side == "right")
    counts = exercises.groupby(["patient_id", "day", "exercise_id"], sort=False)[
        ["both", "left", "right"]
    ].sum()
    per_exercise = counts["both"] + np.maximum(counts["left"], counts["right"])
    return (
        per_exercise.groupby(level=["patient_id", "day"], sort=False)
        .max()
        .rename("exercise_sessions")
    )


def _dose(
    days: pd.DataFrame,
    sessions: pd.DataFrame,
    exercises: pd.DataFrame,
    plan: RoutinePlan,
) -> tuple[pd.DataFrame, pd.Series]:
    """Weekly and window dose adherence (spec, section 4), in sevenths of volume."""
    by_routine = (
        days.groupby(["patient_id", "week", "routine"], sort=False)["sevenths"]
        .sum()
        .rename("routine_sevenths")
        .reset_index()
    )
    prescribed = by_routine.merge(plan.doses[["routine", "exercise_id", "volume"]], on="routine")
    prescribed["prescribed"] = prescribed["routine_sevenths"] * prescribed["volume"]
    keys = ["patient_id", "week", "exercise_id"]
    prescribed = prescribed.groupby(keys, sort=False)["prescribed"].sum()

    per_set = np.where(
        exercises["timed"].to_numpy(dtype=bool),
        exercises["duration_s"].to_numpy(dtype=float),
        exercises["reps_done"].to_numpy(dtype=float),
    )
    per_set = np.where(np.isnan(per_set), exercises["per_set"].to_numpy(dtype=float), per_set)
    sets = exercises["sets_done"].fillna(exercises["sets"]).to_numpy(dtype=float)
    twice = exercises["each_side"].to_numpy(dtype=bool) & ~np.isin(
        exercises["side"].to_numpy(dtype=object), _SIDED
    )
    from_rows = pd.DataFrame(
        {
            "patient_id": exercises["patient_id"].to_numpy(),
            "week": exercises["week"].to_numpy(),
            "exercise_id": exercises["exercise_id"].to_numpy(),
            "done": sets * per_set * np.where(twice, 2, 1),
        }
    )
    session_count = (
        sessions.groupby(["patient_id", "week", "routine"], sort=False).size().rename("n")
    )
    from_sessions = session_count.reset_index().merge(
        plan.doses[["routine", "exercise_id", "volume"]], on="routine"
    )
    from_sessions["done"] = from_sessions["n"] * from_sessions["volume"]
    done = (
        pd.concat([from_rows, from_sessions[["patient_id", "week", "exercise_id", "done"]]])
        .groupby(keys, sort=False)["done"]
        .sum()
    )
    table = prescribed.to_frame().join(done, how="left")
    table["done"] = table["done"].fillna(0.0)
    table["met"] = np.minimum(7 * table["done"], table["prescribed"])
    table = table[table["prescribed"] > 0]
    table["ratio"] = table["met"] / table["prescribed"]
    weekly = table.groupby(level=["patient_id", "week"])["ratio"].mean().rename("dose_adherence")
    per_exercise = table.groupby(level=["patient_id", "exercise_id"])[["met", "prescribed"]].sum()
    window = (
        (per_exercise["met"] / per_exercise["prescribed"])
        .groupby(level="patient_id")
        .mean()
        .rename("dose_adherence")
    )
    return weekly.to_frame(), window


def _patient_figures(
    window: Window,
    weeks: pd.DataFrame,
    dose_window: pd.Series,
    located: pd.DataFrame,
    days: pd.DataFrame,
    adherent_at: float,
) -> pd.DataFrame:
    as_of = window.as_of
    patients = window.patients.set_index("patient_id")
    totals = weeks.groupby(level="patient_id")[["sevenths", "done_sevenths", "logged"]].sum()
    totals = totals.reindex(patients.index)
    started = patients["days_in_window"].to_numpy() > 0
    ratio = totals["done_sevenths"].to_numpy() / totals["sevenths"].to_numpy()
    reported = days.loc[days["any_row"], "patient_id"].value_counts().reindex(patients.index)
    own = located[located["patient_id"].isin(patients.index) & (located["day"] <= as_of)]
    last_day = own.groupby("patient_id")["day"].max().reindex(patients.index).to_numpy(float)
    last_day = np.where(started, last_day, np.nan)
    days_in_window = patients["days_in_window"].to_numpy()

    out = pd.DataFrame(index=pd.RangeIndex(len(patients)))
    out["patient_id"] = patients.index.astype("str")
    out["as_of"] = to_dates(np.full(len(patients), float(as_of)))
    out["window_start"] = to_dates(patients["window_start"].to_numpy())
    out["window_end"] = to_dates(patients["window_end"].to_numpy())
    out["days_in_window"] = days_in_window
    out["sessions_prescribed"] = totals["sevenths"].to_numpy() / 7
    out["sessions_done"] = totals["done_sevenths"].to_numpy() / 7
    out["sessions_logged"] = pd.array(totals["logged"].to_numpy(), dtype="Int64")
    out["session_adherence"] = ratio
    adherent = pd.array(ratio >= adherent_at - TOLERANCE, dtype="boolean")
    adherent[~started] = pd.NA
    out["adherent"] = adherent
    out["dose_adherence"] = dose_window.reindex(patients.index).to_numpy()
    out["reporting_completeness"] = np.where(
        started, reported.fillna(0).to_numpy() / np.maximum(days_in_window, 1), np.nan
    )
    out["last_log_date"] = to_dates(last_day)
    out["days_since_last_log"] = pd.array(
        np.where(np.isnan(last_day), np.nan, as_of - last_day), dtype="Int64"
    )
    return out[PATIENT_COLUMNS]
