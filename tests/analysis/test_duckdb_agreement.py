"""A second implementation, in DuckDB SQL, of weekly and recent session adherence and daily pain.

Written from the spec alone (sections 1-3 and 6) and kept deliberately different from the
pandas code: calendar expansion with ``range``, ISO weeks from ``date_trunc``, prescribed
sessions as float sums of ``T * D / 7``. The two must agree on hand-made cohorts, on random
cohorts and on the sample cohort in ``data/sample/``.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from analysis_frames import STANDARD_ITEMS, logs, make_routine, prescriptions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from locations import SAMPLE

from toolkit.analysis.adherence import adherence
from toolkit.analysis.pain import pain
from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS
from toolkit.routines.routine import effective_dose

_DAYS_SQL = """
WITH params AS (
    SELECT coalesce($as_of::DATE, (SELECT max(CAST(date AS DATE)) FROM logs)) AS as_of
),
periods AS (
    SELECT p.patient_id, p.routine, CAST(p.start_date AS DATE) AS first_day,
           least(coalesce(CAST(p.end_date AS DATE), params.as_of), params.as_of) AS last_day
    FROM prescriptions p, params
),
window_days AS (
    SELECT patient_id, routine, CAST(unnest(range(
        CAST(first_day AS TIMESTAMP), CAST(last_day AS TIMESTAMP) + INTERVAL 1 DAY,
        INTERVAL 1 DAY)) AS DATE) AS day
    FROM periods WHERE first_day <= last_day
),
days AS (
    SELECT w.patient_id, w.day, w.routine, s.t, s.d,
           CAST(date_trunc('week', w.day) AS DATE) AS week_start
    FROM window_days w JOIN schedules s ON s.routine = w.routine
),
counted AS (
    SELECT l.patient_id, CAST(l.date AS DATE) AS day, l.exercise_id,
           coalesce(lower(l.side), 'both') AS side, d.routine
    FROM logs l JOIN days d ON d.patient_id = l.patient_id AND d.day = CAST(l.date AS DATE)
    WHERE l.completed
),
session_rows AS (
    SELECT patient_id, day, count(*) AS n FROM counted WHERE exercise_id IS NULL
    GROUP BY patient_id, day
),
per_exercise AS (
    SELECT c.patient_id, c.day, c.exercise_id,
           CASE WHEN e.each_side
                THEN count(*) FILTER (WHERE c.side NOT IN ('left', 'right'))
                     + greatest(count(*) FILTER (WHERE c.side = 'left'),
                                count(*) FILTER (WHERE c.side = 'right'))
                ELSE count(*) END AS n
    FROM counted c JOIN exercises e ON e.routine = c.routine AND e.exercise_id = c.exercise_id
    GROUP BY c.patient_id, c.day, c.exercise_id, e.each_side
),
exercise_sessions AS (
    SELECT patient_id, day, max(n) AS n FROM per_exercise GROUP BY patient_id, day
),
per_day AS (
    SELECT d.patient_id, d.day, d.week_start, d.t, d.d,
           greatest(coalesce(s.n, 0), coalesce(e.n, 0)) AS logged
    FROM days d
    LEFT JOIN session_rows s ON s.patient_id = d.patient_id AND s.day = d.day
    LEFT JOIN exercise_sessions e ON e.patient_id = d.patient_id AND e.day = d.day
)"""

WEEKLY_SQL = (
    _DAYS_SQL
    + """,
weeks AS (
    SELECT patient_id, week_start, count(*) AS days,
           sum(t * d / 7.0) AS prescribed,
           sum(least(logged, t)) AS capped,
           sum(logged) AS logged
    FROM per_day GROUP BY patient_id, week_start
)
SELECT patient_id, week_start, days, prescribed AS sessions_prescribed,
       least(capped, prescribed) AS sessions_done, logged AS sessions_logged,
       least(capped, prescribed) / prescribed AS session_adherence
FROM weeks ORDER BY patient_id, week_start
"""
)

#: Spec, section 7: the last $recent window days, each capped at T, no weekly cap, at most 1;
#: only for windows of at least $recent days.
RECENT_SQL = (
    _DAYS_SQL
    + """,
ranked AS (
    SELECT patient_id, t, d, logged,
           row_number() OVER (PARTITION BY patient_id ORDER BY day DESC) AS from_end,
           count(*) OVER (PARTITION BY patient_id) AS days_in_window
    FROM per_day
)
SELECT patient_id,
       least(1.0, sum(least(logged, t)) / sum(t * d / 7.0)) AS recent_session_adherence
FROM ranked
WHERE from_end <= $recent AND days_in_window >= $recent
GROUP BY patient_id ORDER BY patient_id
"""
)

DAILY_PAIN_SQL = """
WITH params AS (
    SELECT coalesce($as_of::DATE, (SELECT max(CAST(date AS DATE)) FROM logs)) AS as_of
),
periods AS (
    SELECT p.patient_id, CAST(p.start_date AS DATE) AS first_day,
           least(coalesce(CAST(p.end_date AS DATE), params.as_of), params.as_of) AS last_day
    FROM prescriptions p, params
),
window_days AS (
    SELECT patient_id, CAST(unnest(range(
        CAST(first_day AS TIMESTAMP), CAST(last_day AS TIMESTAMP) + INTERVAL 1 DAY,
        INTERVAL 1 DAY)) AS DATE) AS day
    FROM periods WHERE first_day <= last_day
)
SELECT w.patient_id, w.day, avg(l.pain_before) AS daily_pain
FROM window_days w
LEFT JOIN logs l ON l.patient_id = w.patient_id AND CAST(l.date AS DATE) = w.day
     AND l.pain_before IS NOT NULL
GROUP BY w.patient_id, w.day
ORDER BY w.patient_id, w.day
"""


def _tables(log_frame, pres_frame, routines, library):
    log_cols = ["patient_id", "date", "exercise_id", "completed", "side", "pain_before"]
    schedules = pd.DataFrame(
        [
            (key, r.schedule.sessions_per_day, r.schedule.days_per_week)
            for key, r in routines.items()
        ],
        columns=["routine", "t", "d"],
    )
    exercises = pd.DataFrame(
        [
            (key, item.exercise, effective_dose(item, library.get(item.exercise)).side)
            for key, r in routines.items()
            for item in r.items
        ],
        columns=["routine", "exercise_id", "side"],
    ).drop_duplicates(["routine", "exercise_id"])
    exercises["each_side"] = exercises["side"] == "each-side"
    return {
        "logs": pa.Table.from_pandas(log_frame[log_cols].astype({"pain_before": "Float64"})),
        "prescriptions": pa.Table.from_pandas(
            pres_frame[["patient_id", "routine", "start_date", "end_date"]]
        ),
        "schedules": pa.Table.from_pandas(schedules),
        "exercises": pa.Table.from_pandas(exercises[["routine", "exercise_id", "each_side"]]),
    }


def duckdb_results(log_frame, pres_frame, routines, library, as_of=None):
    con = duckdb.connect()
    for name, table in _tables(log_frame, pres_frame, routines, library).items():
        con.register(name, table)
    as_of_value = None if as_of is None else dt.date.fromisoformat(str(as_of))
    weekly = con.execute(WEEKLY_SQL, {"as_of": as_of_value}).df()
    daily = con.execute(DAILY_PAIN_SQL, {"as_of": as_of_value}).df()
    recent = con.execute(RECENT_SQL, {"as_of": as_of_value, "recent": RECENT_DAYS}).df()
    con.close()
    return weekly, daily, recent


def assert_agree(log_frame, pres_frame, routines, library, as_of=None):
    ours = adherence(log_frame, pres_frame, routines, library, as_of=as_of)
    ours_pain = pain(log_frame, pres_frame, as_of=as_of)
    weekly, daily, recent = duckdb_results(log_frame, pres_frame, routines, library, as_of)

    mine = ours.weekly.reset_index(drop=True)
    assert list(mine["patient_id"]) == list(weekly["patient_id"])
    assert (mine["week_start"].dt.date == pd.to_datetime(weekly["week_start"]).dt.date).all()
    assert (mine["days"].to_numpy() == weekly["days"].to_numpy()).all()
    assert (mine["sessions_logged"].to_numpy() == weekly["sessions_logged"].to_numpy()).all()
    for column in ("sessions_prescribed", "sessions_done", "session_adherence"):
        np.testing.assert_allclose(
            mine[column].to_numpy(float), weekly[column].to_numpy(float), rtol=1e-9, atol=1e-12
        )

    mine_daily = ours_pain.daily.reset_index(drop=True)
    assert list(mine_daily["patient_id"]) == list(daily["patient_id"])
    assert (mine_daily["date"].dt.date == pd.to_datetime(daily["day"]).dt.date).all()
    np.testing.assert_allclose(
        mine_daily["daily_pain"].to_numpy(float),
        daily["daily_pain"].to_numpy(float, na_value=np.nan),
        rtol=1e-12,
        equal_nan=True,
    )

    patients = ours.patients
    given = patients[patients["recent_session_adherence"].notna()]
    assert list(given["patient_id"]) == list(recent["patient_id"])
    np.testing.assert_allclose(
        given["recent_session_adherence"].to_numpy(float),
        recent["recent_session_adherence"].to_numpy(float),
        rtol=1e-9,
        atol=1e-12,
    )
    return ours, weekly


RECENT_DAYS = DEFAULT_THRESHOLDS.recent_days

ROUTINES = {
    "r1": make_routine("r1", STANDARD_ITEMS),
    "r23": make_routine("r23", STANDARD_ITEMS, T=2, D=3),
    "r15": make_routine("r15", [STANDARD_ITEMS[1], STANDARD_ITEMS[2]], T=1, D=5),
}


def test_agreement_on_a_hand_made_cohort(library):
    pres = prescriptions(
        ("a", "r1", "2026-01-05", "2026-01-09"),
        ("a", "r23", "2026-01-12", None),  # a gap, then T = 2, D = 3
        ("b", "r15", "2026-01-07", None),
        ("c", "r1", "2026-02-01", None),  # starts after as_of
        ("d", "r1", "2026-01-01", "2026-01-06"),
        ("e", "r15", "2025-12-29", None),  # 21 window days: a recent adherence
    )
    rows = [
        {"patient_id": "a", "timestamp": "2026-01-05T08:00", "pain_before": 5},
        {"patient_id": "a", "timestamp": "2026-01-05T08:00", "exercise_id": "cat-cow"},
        {"patient_id": "a", "timestamp": "2026-01-06", "exercise_id": "clamshell", "side": "left"},
        {"patient_id": "a", "timestamp": "2026-01-06", "exercise_id": "clamshell", "side": "left"},
        {"patient_id": "a", "timestamp": "2026-01-06", "exercise_id": "clamshell", "side": "Right"},
        {"patient_id": "a", "timestamp": "2026-01-07", "completed": False, "pain_before": 7},
        {"patient_id": "a", "timestamp": "2026-01-10", "pain_before": 2},  # in the gap
        {"patient_id": "a", "timestamp": "2026-01-13T08:00"},
        {"patient_id": "a", "timestamp": "2026-01-13T12:00"},
        {"patient_id": "a", "timestamp": "2026-01-13T18:00"},
        {"patient_id": "a", "timestamp": "2026-01-14", "exercise_id": "glute-bridge"},
        {"patient_id": "b", "timestamp": "2026-01-07", "exercise_id": "walking", "pain_before": 3},
        {"patient_id": "b", "timestamp": "2026-01-07", "exercise_id": "cat-cow", "pain_before": 6},
        {"patient_id": "b", "timestamp": "2026-01-08", "exercise_id": "clamshell"},
        {"patient_id": "b", "timestamp": "2026-01-20", "pain_before": 9},  # after as_of
        {"patient_id": "x", "timestamp": "2026-01-08", "pain_before": 4},  # not prescribed
        {"patient_id": "d", "timestamp": "2026-01-02", "pain_before": 1},
        {"patient_id": "e", "timestamp": "2026-01-04", "exercise_id": "walking"},  # not recent
        {"patient_id": "e", "timestamp": "2026-01-05T08:00", "exercise_id": "walking"},
        {"patient_id": "e", "timestamp": "2026-01-05T18:00", "exercise_id": "walking"},  # T = 1
        *({"patient_id": "e", "timestamp": f"2026-01-{d}"} for d in (10, 11, 12, 13, 14)),
    ]
    ours, weekly = assert_agree(logs(*rows), pres, ROUTINES, library, "2026-01-18")
    assert len(weekly) == 9  # a, b and d: two ISO weeks each; e three; c has not started
    # e: 6 capped sessions in the last 14 days (Jan 5-18) against 14 x 5/7 = 10
    recent = ours.patients.set_index("patient_id")["recent_session_adherence"]
    assert recent["e"] == 0.6 and recent[["a", "b", "c", "d"]].isna().all()


EXERCISES = ["cat-cow", "clamshell", "walking", "glute-bridge", None]


@st.composite
def cohorts(draw):
    patients = draw(st.integers(1, 4))
    base = dt.date(2026, 3, 2)
    pres_rows = []
    for index in range(patients):
        start = base + dt.timedelta(days=draw(st.integers(0, 10)))
        routine = draw(st.sampled_from(sorted(ROUTINES)))
        first_end = start + dt.timedelta(days=draw(st.integers(0, 20)))
        if draw(st.booleans()):
            second = first_end + dt.timedelta(days=draw(st.integers(1, 5)))
            pres_rows.append((f"p{index}", routine, str(start), str(first_end)))
            pres_rows.append(
                (f"p{index}", draw(st.sampled_from(sorted(ROUTINES))), str(second), None)
            )
        else:
            pres_rows.append((f"p{index}", routine, str(start), None))
    log_rows = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "patient_id": st.sampled_from([f"p{i}" for i in range(patients + 1)]),
                    "timestamp": st.builds(
                        lambda d, h: f"{base + dt.timedelta(days=d)}T{h:02d}:00",
                        st.integers(-3, 40),
                        st.sampled_from([8, 12, 18]),
                    ),
                    "exercise_id": st.sampled_from(EXERCISES),
                    "completed": st.booleans() | st.none(),
                    "side": st.sampled_from([None, "left", "right", "both", "LEFT"]),
                    "pain_before": st.none() | st.integers(0, 10),
                }
            ),
            min_size=1,
            max_size=60,
        )
    )
    as_of = draw(
        st.none() | st.builds(lambda d: str(base + dt.timedelta(days=d)), st.integers(0, 40))
    )
    return log_rows, pres_rows, as_of


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts())
def test_agreement_on_random_cohorts(library, cohort):
    log_rows, pres_rows, as_of = cohort
    assert_agree(logs(*log_rows), prescriptions(*pres_rows), ROUTINES, library, as_of)


def test_agreement_on_the_sample_cohort(library):
    # The sample is committed: this test must run, never skip.
    assert (SAMPLE / "logs.csv").is_file() and (SAMPLE / "prescriptions.csv").is_file()
    from toolkit.logs.prescriptions import read_prescriptions
    from toolkit.logs.reading import read_logs
    from toolkit.routines.routine import load_routine

    log_frame, _, _ = read_logs(SAMPLE / "logs.csv", today="2100-01-01")
    pres = read_prescriptions(SAMPLE / "prescriptions.csv")
    routines = {
        r: load_routine(p) for r, p in zip(pres["routine"], pres["routine_path"], strict=True)
    }
    ours, weekly = assert_agree(log_frame, pres, routines, library)
    assert len(weekly) > 100
    assert ours.patients["recent_session_adherence"].notna().sum() == 40
