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

from toolkit.analysis.plan import PlanCodes, RoutinePlan, routine_plan
from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds
from toolkit.analysis.window import (
    Window,
    analysis_window,
    codes_in,
    prepare_logs,
    resolve_as_of,
    to_dates,
)
from toolkit.errors import AnalysisError
from toolkit.routines.library import Library
from toolkit.routines.models import Routine

__all__ = [
    "EXCLUSION_REASONS",
    "RoutinePlan",
    "Adherence",
    "routine_plan",
    "adherence",
    "adherence_from",
]

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
    "recent_session_adherence",
]
EXCLUDED_COLUMNS = ["source", "row", "patient_id", "date", "exercise_id", "reason"]


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
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Adherence:
    """Session adherence, dose adherence and reporting of every prescribed patient.

    Reads no file: the routines (and the library, for items without a dose of their own)
    come from the caller.

    Parameters
    ----------
    logs : DataFrame
        Canonical log rows (``toolkit.read_logs``), with ``date`` the local date.
    prescriptions : DataFrame
        ``patient_id, routine, start_date, end_date``, one row per period.
    routines : mapping of str to Routine, or RoutinePlan
        The routine behind each id used in ``prescriptions``.
    library : Library, optional
        Gives the default dose of routine items without one (and checks their exercise
        ids); needed only when such an item exists.
    as_of : date-like, optional
        Default: the latest date among the log rows.
    thresholds : Thresholds
        Uses ``adherent_at`` [fraction] and ``recent_days`` [day].

    Returns
    -------
    Adherence

    Raises
    ------
    AnalysisError
        A column is missing, no as_of can be found, a prescribed routine is not given, or an
        item has no dose and no library is given.
    PrescriptionError
        Periods of one patient overlap or run backwards.

    References
    ----------
    .. [1] Newman-Beinart NA, Norton S, Dowling D, et al. The development and initial
       psychometric evaluation of a measure assessing adherence to prescribed exercise: the
       Exercise Adherence Rating Scale (EXAS). Physiotherapy. 2017;103(2):180-185.

    Examples
    --------
    Five sessions in the first week of a once-a-day routine, the routine loaded by the caller:

    >>> import pandas as pd
    >>> from toolkit.paths import routines_dir
    >>> from toolkit.routines.library import load_library
    >>> from toolkit.routines.routine import load_routine
    >>> routine = load_routine(routines_dir() / "gentle-back-stretches.yaml")
    >>> logs = pd.DataFrame({"patient_id": "p1",
    ...                      "timestamp": pd.date_range("2026-01-05", periods=5)})
    >>> plan = pd.DataFrame({"patient_id": ["p1"], "routine": ["stretches"],
    ...                      "start_date": pd.to_datetime(["2026-01-05"]), "end_date": pd.NaT})
    >>> result = adherence(logs, plan, {"stretches": routine}, load_library(), "2026-01-11")
    >>> float(result.patients["session_adherence"].iloc[0])
    0.7142857142857143
    >>> bool(result.patients["adherent"].iloc[0])
    False
    """
    rows = prepare_logs(logs)
    window = analysis_window(prescriptions, resolve_as_of(rows, as_of))
    if not isinstance(routines, RoutinePlan):
        routines = routine_plan(routines, library)
    return adherence_from(rows, window, routines, thresholds=thresholds)


def adherence_from(
    rows: pd.DataFrame,
    window: Window,
    plan: RoutinePlan,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Adherence:
    """:func:`adherence` on logs already prepared and a window already built.

    Patients, days, weeks, routines and exercises are handled as integer codes: a row's window
    day is found by :meth:`Window.locate`, and counts are ``numpy.bincount`` over those codes.
    """
    _check_routines(window, plan)
    as_of = window.as_of
    days = window.days
    codes = PlanCodes.of(plan, days["routine"])
    sessions_per_day = codes.sessions_per_day[codes.day_routine]
    sevenths = sessions_per_day * codes.days_per_week[codes.day_routine]

    # Classify every row; the first reason that applies wins (spec, section 3).
    day = rows["day"].to_numpy()
    patient, slot = window.locate(rows["patient_id"], day)
    routine = np.append(codes.day_routine, -1)[slot]  # -1: no window day
    exercise = codes_in(rows["exercise_id"], codes.exercises)
    dose = codes.dose_at[routine, exercise]  # the last row and column hold -1
    exercise_row = rows["exercise_id"].notna().to_numpy()
    reason = np.select(
        [
            patient < 0,
            day > as_of,
            slot < 0,
            ~rows["completed"].to_numpy(dtype=bool),
            exercise_row & (dose < 0),
        ],
        [1, 2, 3, 4, 5],
        default=0,
    )
    counted = reason == 0
    in_session = counted & ~exercise_row
    in_exercise = counted & exercise_row

    n_days = len(days)
    session_rows = np.bincount(slot[in_session], minlength=n_days)
    sided = codes.each_side[dose[in_exercise]]
    left = _is(rows["side"], "left")[in_exercise] & sided
    right = _is(rows["side"], "right")[in_exercise] & sided
    exercise_sessions = _exercise_sessions(
        slot[in_exercise], exercise[in_exercise], ~(left | right), left, right, n_days
    )
    logged = np.maximum(session_rows, exercise_sessions).astype("int64")
    done = np.minimum(logged, sessions_per_day)
    any_row = np.bincount(slot[slot >= 0], minlength=n_days) > 0

    week = days["week_number"].to_numpy()
    first_days = _run_starts(week)
    weeks = pd.DataFrame(
        {
            "patient": days["patient"].to_numpy()[first_days],
            "days": np.diff(np.append(first_days, n_days)),
            "sevenths": _run_sums(sevenths, first_days),
            "capped": _run_sums(done, first_days),
            "logged": _run_sums(logged, first_days),
        }
    )
    weeks["done_sevenths"] = np.minimum(7 * weeks["capped"], weeks["sevenths"])
    dose_weeks, dose_window = _dose(
        week,
        sevenths,
        codes,
        weeks["patient"].to_numpy(),
        in_session=(week[slot[in_session]], codes.day_routine[slot[in_session]]),
        in_exercise=(week[slot[in_exercise]], exercise[in_exercise], dose[in_exercise]),
        rows=rows,
        chosen=in_exercise,
        twice=~(left | right) & sided,
        patients=len(window.patients),
    )

    ids = days["patient_id"].array
    weekly = pd.DataFrame(
        {
            "patient_id": pd.Series(ids.take(first_days), dtype="str"),
            "week_start": to_dates(days["week"].to_numpy()[first_days]),
            "days": weeks["days"].to_numpy(),
            "sessions_prescribed": weeks["sevenths"].to_numpy() / 7,
            "sessions_done": weeks["done_sevenths"].to_numpy() / 7,
            "sessions_logged": weeks["logged"].to_numpy(),
            "session_adherence": weeks["done_sevenths"].to_numpy() / weeks["sevenths"].to_numpy(),
            "dose_adherence": dose_weeks,
        },
        columns=WEEKLY_COLUMNS,
    )
    own = (patient >= 0) & (day <= as_of)
    last_day = np.full(len(window.patients), np.nan)
    np.fmax.at(last_day, patient[own], day[own].astype(float))
    reported = np.bincount(days["patient"].to_numpy()[any_row], minlength=len(window.patients))
    recent = days["from_end"].to_numpy() < thresholds.recent_days
    recent_sessions = (
        _sums_by(days["patient"].to_numpy()[recent], done[recent], len(window.patients)),
        _sums_by(days["patient"].to_numpy()[recent], sevenths[recent], len(window.patients)),
    )
    patients = _patient_figures(
        window, weeks, dose_window, last_day, reported, recent_sessions, thresholds
    )
    daily = pd.DataFrame(
        {
            "patient_id": ids,
            "date": to_dates(days["day"].to_numpy()),
            "week_start": to_dates(days["week"].to_numpy()),
            "routine": days["routine"].array,
            "sessions_prescribed": sevenths / 7,
            "sessions_logged": logged,
            "sessions_done": done,
            "any_row": any_row,
        }
    )
    return Adherence(
        as_of=to_dates(np.array([as_of]))[0],
        patients=patients,
        weekly=weekly,
        daily=daily,
        excluded=_excluded(rows, reason),
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


def _is(values: pd.Series, text: str) -> np.ndarray:
    """``values == text`` as booleans, comparing each category once."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        matches = np.append(values.cat.categories == text, False)
        return matches[values.cat.codes.to_numpy()]
    return (values == text).to_numpy(dtype=bool, na_value=False)


def _run_starts(keys: np.ndarray) -> np.ndarray:
    """Positions where a run of equal sorted keys begins."""
    change = np.ones(len(keys), dtype=bool)
    change[1:] = keys[1:] != keys[:-1]
    return np.flatnonzero(change)


def _run_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums of ``values`` over the runs beginning at ``starts`` (exact for integers)."""
    if not len(starts):
        return np.zeros(0, dtype=values.dtype)
    return np.add.reduceat(values, starts)


def _exercise_sessions(
    slot: np.ndarray,
    exercise: np.ndarray,
    both: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    n_days: int,
) -> np.ndarray:
    """Per window day, the largest count of any one exercise (spec, section 3).

    An exercise's count is its rows with side both (or not sided) plus the larger of its
    left and right rows.
    """
    width = int(exercise.max()) + 1 if len(exercise) else 1
    cell = slot * width + exercise
    size = n_days * width

    def count(chosen: np.ndarray) -> np.ndarray:
        return np.bincount(cell[chosen], minlength=size)

    per_exercise = count(both) + np.maximum(count(left), count(right))
    return per_exercise.reshape(n_days, width).max(axis=1, initial=0)


def _excluded(rows: pd.DataFrame, reason: np.ndarray) -> pd.DataFrame:
    """Rows that count for no session or volume, with their reason, sorted by patient."""
    dropped = np.flatnonzero(reason > 0)
    taken = rows.iloc[dropped]
    excluded = pd.DataFrame(
        {
            "source": taken["source"].to_numpy(),
            "row": taken["row"].to_numpy(),
            "patient_id": taken["patient_id"].to_numpy(),
            "date": to_dates(taken["day"].to_numpy()),
            "exercise_id": taken["exercise_id"].to_numpy(),
            "reason": np.array(EXCLUSION_REASONS)[reason[dropped] - 1],
        },
        columns=EXCLUDED_COLUMNS,
    )
    return excluded.sort_values("patient_id", kind="stable", ignore_index=True)


def _dose(
    week: np.ndarray,
    sevenths: np.ndarray,
    codes: PlanCodes,
    week_patient: np.ndarray,
    *,
    in_session: tuple[np.ndarray, np.ndarray],
    in_exercise: tuple[np.ndarray, np.ndarray, np.ndarray],
    rows: pd.DataFrame,
    chosen: np.ndarray,
    twice: np.ndarray,
    patients: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Weekly and window dose adherence (spec, section 4), in sevenths of volume.

    Sums run in the order the rows come in, so floating-point results do not depend on how
    the rows were grouped.
    """
    n_routines, n_exercises = len(codes.sessions_per_day), len(codes.exercises)

    def per_dose(totals: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """(week, routine) totals spread over the routine's doses: keys and volumes."""
        pair = totals.index.to_numpy()
        owner, dose = codes.expand(pair % n_routines)
        key = (pair // n_routines)[owner] * n_exercises + codes.dose_exercise[dose]
        return key, totals.to_numpy()[owner] * codes.volume[dose]

    by_routine = pd.Series(sevenths).groupby(week * n_routines + codes.day_routine, sort=False)
    key, volume = per_dose(by_routine.sum())
    prescribed = pd.Series(volume).groupby(key, sort=False).sum()

    session_week, session_routine = in_session
    sessions = pd.Series(session_week * n_routines + session_routine).value_counts(sort=False)
    session_key, session_volume = per_dose(sessions)
    exercise_week, exercise, dose = in_exercise
    per_set = np.where(
        codes.timed[dose],
        rows["duration_s"].to_numpy(dtype=float)[chosen],
        rows["reps_done"].to_numpy(dtype=float)[chosen],
    )
    per_set = np.where(np.isnan(per_set), codes.per_set[dose], per_set)
    sets = rows["sets_done"].to_numpy(dtype=float)[chosen]
    sets = np.where(np.isnan(sets), codes.sets[dose], sets)
    done = _sums(
        np.concatenate([exercise_week * n_exercises + exercise, session_key]),
        np.concatenate([sets * per_set * np.where(twice, 2, 1), session_volume]),
        len(week_patient) * n_exercises,
    )
    keys = prescribed.index.to_numpy()
    table = pd.DataFrame(
        {
            "week": keys // n_exercises,
            "key": week_patient[keys // n_exercises] * n_exercises + keys % n_exercises,
            "prescribed": prescribed.to_numpy(),
            "done": done[keys],
        }
    )
    table["met"] = np.minimum(7 * table["done"], table["prescribed"])
    table = table[table["prescribed"] > 0]
    ratio = table["met"] / table["prescribed"]
    weekly = ratio.groupby(table["week"]).mean().reindex(range(len(week_patient)))
    per_exercise = table.groupby("key")[["met", "prescribed"]].sum()
    window = (
        (per_exercise["met"] / per_exercise["prescribed"])
        .groupby(per_exercise.index // n_exercises)
        .mean()
        .reindex(range(patients))
    )
    return weekly.to_numpy(dtype=float), window.to_numpy(dtype=float)


def _sums(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Sums of ``values`` by integer key in ``0..size-1``, missing values skipped.

    Whole numbers add up exactly in any order, so ``numpy.bincount`` serves them; other
    values are summed by pandas, in row order, as the figures have always been.
    """
    whole = np.all(values == np.floor(values)) and np.abs(values).sum() < 2**53
    if whole:
        return np.bincount(keys, weights=values, minlength=size)
    sums = pd.Series(values).groupby(keys).sum()
    return sums.reindex(range(size), fill_value=0.0).to_numpy(dtype=float)


def _patient_figures(
    window: Window,
    weeks: pd.DataFrame,
    dose_window: np.ndarray,
    last_day: np.ndarray,
    reported: np.ndarray,
    recent_sessions: tuple[np.ndarray, np.ndarray],
    thresholds: Thresholds,
) -> pd.DataFrame:
    as_of = window.as_of
    patients = window.patients
    totals = weeks.groupby("patient")[["sevenths", "done_sevenths", "logged"]].sum()
    totals = totals.reindex(range(len(patients)))
    days_in_window = patients["days_in_window"].to_numpy()
    started = days_in_window > 0
    ratio = totals["done_sevenths"].to_numpy() / totals["sevenths"].to_numpy()
    last_day = np.where(started, last_day, np.nan)

    out = pd.DataFrame(index=pd.RangeIndex(len(patients)))
    out["patient_id"] = pd.Index(patients["patient_id"]).astype("str")
    out["as_of"] = to_dates(np.full(len(patients), float(as_of)))
    out["window_start"] = to_dates(patients["window_start"].to_numpy())
    out["window_end"] = to_dates(patients["window_end"].to_numpy())
    out["days_in_window"] = days_in_window
    out["sessions_prescribed"] = totals["sevenths"].to_numpy() / 7
    out["sessions_done"] = totals["done_sevenths"].to_numpy() / 7
    out["sessions_logged"] = pd.array(totals["logged"].to_numpy(), dtype="Int64")
    out["session_adherence"] = ratio
    adherent = pd.array(thresholds.at_least(ratio, thresholds.adherent_at), dtype="boolean")
    adherent[~started] = pd.NA
    out["adherent"] = adherent
    out["dose_adherence"] = dose_window
    out["reporting_completeness"] = np.where(
        started, reported / np.maximum(days_in_window, 1), np.nan
    )
    out["last_log_date"] = to_dates(last_day)
    out["days_since_last_log"] = pd.array(
        np.where(np.isnan(last_day), np.nan, as_of - last_day), dtype="Int64"
    )
    # Recent adherence (spec, section 7): days capped at T, no weekly cap, at most 1; in
    # whole sessions against sevenths, so the ratio is exact.
    recent_done, recent_sevenths = recent_sessions
    with np.errstate(divide="ignore", invalid="ignore"):
        recent = np.minimum(7 * recent_done, recent_sevenths) / recent_sevenths
    out["recent_session_adherence"] = np.where(
        days_in_window >= thresholds.recent_days, recent, np.nan
    )
    return out[PATIENT_COLUMNS]


def _sums_by(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Exact integer sums of ``values`` by integer key in ``0..size-1``."""
    sums = np.zeros(size, dtype="int64")
    np.add.at(sums, keys, values.astype("int64"))
    return sums
