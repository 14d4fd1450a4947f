"""A synthetic cohort of patients' exercise logs: realistic, reproducible, never real people.

``python -m toolkit.logs.sample --patients 40 --weeks 12 --seed 7 --out data/sample/`` writes:

``prescriptions.csv``
    One row per period; about a third of the patients move from ``gentle-back-stretches`` to
    ``back-strength-progression`` part-way (two periods); some last periods are open-ended.
``logs.csv``
    Exercise-level logs as an app would export them: UTF-8, comma, one row per exercise done
    (two rows, left and right, for an exercise done on each side), timestamps in local time
    without offset (``2026-08-03T07:42``), ``completed`` true/false, pain before on the
    session's first row and pain after on its last, an ``entry_id`` per row.
``logs_messy.csv``
    The first patients' rows as a spreadsheet typed up by hand: semicolons, UTF-8 with BOM,
    CRLF, other column names, day-first dates, ``7/10``, blank lines, duplicates and a few
    impossible values (read it with ``dayfirst=True``).

The cohort behaves like real ones rather than uniform noise: adherence fades from about 90 %
in week 1 to about 65 % in week 12 (varying per patient, with bad weeks), pain falls faster
the more sessions a patient does, one patient's pain worsens, one stops logging after week 5,
one note mentions a red-flag symptom, one patient's pain rises by 2 or more after several late
sessions, and a few skipped sessions are logged as not completed. Everything follows from the
seed (``numpy.random.default_rng``) and the fixed start date, so the files regenerate byte for
byte. ``--patients 3000`` gives about 1.2 million rows (the benchmark uses ``--rows``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.logs.columns import CANONICAL_COLUMNS
from toolkit.paths import routines_dir
from toolkit.routines.library import load_library
from toolkit.routines.routine import effective_dose, load_routine

__all__ = ["DEFAULT_START", "ROUTINES", "Cohort", "make_cohort", "write_sample", "main"]

DEFAULT_START = dt.date(2026, 8, 3)
ROUTINES = ("gentle-back-stretches", "back-strength-progression")
LOG_HEADER = list(CANONICAL_COLUMNS)
MESSY_HEADER = [
    "Patient ID",
    "Date",
    "Exercise",
    "Done",
    "Sets",
    "Reps",
    "Duration",
    "Side",
    "Pain (0-10)",
    "Pain after",
    "Note",
    "Entry",
]
BENIGN_NOTES = (
    "felt stiff this morning",
    "easier than last week",
    "did it after my walk",
    "short on time, rushed it",
    "back a bit sore after gardening",
    "slept badly",
    "much better today",
    "knee clicked during the bridge",
    "forgot to do it yesterday",
    "felt good; will keep going",
)
RED_FLAG_NOTE = "numbness in my groin since yesterday, worried"
SKIP_NOTES = ("too sore today", "no time today", "felt unwell")


@dataclass(frozen=True)
class Cohort:
    """The generated tables, as text, in the column order of the files."""

    prescriptions: pd.DataFrame
    logs: pd.DataFrame


def _templates(routine_id: str) -> pd.DataFrame:
    """One row per exercise row of a complete session: exercise, side, sets, reps, duration."""
    library = load_library()
    routine = load_routine(routines_dir() / f"{routine_id}.yaml")
    rows = []
    for item in routine.items:
        dose = effective_dose(item, library.get(item.exercise))
        sides = ("left", "right") if dose.side == "each-side" else ("",)
        for side in sides:
            rows.append((item.exercise, side, dose.sets, dose.reps or 0, dose.duration_s or 0))
    frame = pd.DataFrame(rows, columns=["exercise_id", "side", "sets", "reps", "duration"])
    frame.attrs["days_per_week"] = routine.schedule.days_per_week
    return frame


def make_cohort(
    patients: int = 40, weeks: int = 12, seed: int = 7, start: dt.date = DEFAULT_START
) -> Cohort:
    """Generate the cohort described in the module docstring."""
    rng = np.random.default_rng(seed)
    days = weeks * 7
    width = max(3, len(str(patients)))
    ids = np.array([f"P{i:0{width}d}" for i in range(1, patients + 1)], dtype=object)
    offset = rng.integers(0, 7, patients)  # each patient starts within the first week
    p_first = np.clip(rng.normal(0.92, 0.05, patients), 0.7, 1.0)
    p_last = np.clip(rng.normal(0.66, 0.14, patients), 0.25, 0.95)
    baseline = np.clip(np.round(rng.normal(6.2, 1.2, patients)), 3, 9)
    relief = np.clip(rng.normal(0.05, 0.015, patients), 0.015, 0.09)  # points per session
    habit = rng.choice([7, 8, 12, 18, 19, 20], patients)
    switch = np.where(rng.random(patients) < 0.35, rng.integers(28, 50, patients), days)
    ongoing = rng.random(patients) < 0.5
    worsening, stopping, red_flag, rising = (1, 2, 3, 4) if patients > 4 else (-1, -1, -1, -1)

    day = np.arange(days)
    week = day // 7
    p_day = p_first[:, None] + (p_last - p_first)[:, None] * (week / max(weeks - 1, 1))[None, :]
    bad_week = rng.random((patients, weeks)) < 0.08
    p_day = p_day * np.where(np.repeat(bad_week, 7, axis=1), 0.35, 1.0)
    calendar = np.datetime64(start) + offset[:, None] + day[None, :]
    weekday = (calendar.astype("datetime64[D]").astype(np.int64) + 3) % 7  # Monday = 0
    strength = day[None, :] >= switch[:, None]
    scheduled = ~strength | (weekday < 5)
    done = (rng.random((patients, days)) < p_day) & scheduled
    if stopping >= 0:
        done[stopping, 35:] = False
    skipped = scheduled & ~done & (rng.random((patients, days)) < 0.05)
    if stopping >= 0:
        skipped[stopping, 35:] = False
    sessions_so_far = np.cumsum(done, axis=1)
    drift = np.zeros((patients, days))
    if worsening >= 0:
        drift[worsening] = 0.04 * day
        relief[worsening] = 0.0
    pain = baseline[:, None] - relief[:, None] * sessions_so_far + drift
    pain = np.clip(np.round(pain + rng.normal(0, 0.7, (patients, days))), 0, 10).astype(int)
    change = rng.choice([-2, -1, -1, 0, 0, 0, 1], (patients, days))
    change = np.where(rng.random((patients, days)) < 0.01, 2, change)
    if rising >= 0:
        late = np.flatnonzero(done[rising] & (day >= days - 14))[:3]
        change[rising, late] = 3
    pain_after = np.clip(pain + change, 0, 10)
    recorded = rng.random((patients, days)) < 0.85
    minute = rng.integers(0, 60, (patients, days))
    hour = np.clip(habit[:, None] + rng.integers(-1, 2, (patients, days)), 6, 22)
    note_pick = rng.integers(0, len(BENIGN_NOTES), (patients, days))
    noted = rng.random((patients, days)) < 0.03

    parts = []
    for routine_id, in_routine in zip(ROUTINES, (~strength, strength), strict=True):
        template = _templates(routine_id)
        who, when = np.nonzero(done & in_routine)
        count = len(template)
        session = np.repeat(np.arange(len(who)), count)
        step = np.tile(np.arange(count), len(who))
        keep = (rng.random(len(session)) < 0.97) | (step == 0)
        session, step = session[keep], step[keep]
        p, d = who[session], when[session]
        t = template.iloc[step]
        sets = t["sets"].to_numpy() - (rng.random(len(step)) < 0.05)
        reps = t["reps"].to_numpy() - rng.integers(0, 4, len(step)) * (rng.random(len(step)) < 0.1)
        first = np.r_[True, session[1:] != session[:-1]]
        last = np.r_[session[1:] != session[:-1], True]
        parts.append(
            pd.DataFrame(
                {
                    "p": p,
                    "d": d,
                    "step": step,
                    "exercise_id": t["exercise_id"].to_numpy(),
                    "completed": "true",
                    "sets_done": np.maximum(sets, 1).astype(str),
                    "reps_done": np.where(t["reps"] > 0, np.maximum(reps, 1).astype(str), ""),
                    "duration_s": np.where(t["duration"] > 0, t["duration"].astype(str), ""),
                    "side": t["side"].to_numpy(),
                    "pain_before": np.where(first & recorded[p, d], pain[p, d].astype(str), ""),
                    "pain_after": np.where(last & recorded[p, d], pain_after[p, d].astype(str), ""),
                    "notes": np.where(
                        first & noted[p, d], np.array(BENIGN_NOTES)[note_pick[p, d]], ""
                    ),
                }
            )
        )
    who, when = np.nonzero(skipped)
    parts.append(
        pd.DataFrame(
            {
                "p": who,
                "d": when,
                "step": 0,
                "exercise_id": "",
                "completed": "false",
                "sets_done": "",
                "reps_done": "",
                "duration_s": "",
                "side": "",
                "pain_before": pain[who, when].astype(str),
                "pain_after": "",
                "notes": np.array(SKIP_NOTES)[rng.integers(0, len(SKIP_NOTES), len(who))],
            }
        )
    )
    rows = pd.concat(parts, ignore_index=True).sort_values(["p", "d", "step"], kind="stable")
    if red_flag >= 0:
        flagged = np.flatnonzero((rows["p"] == red_flag).to_numpy() & (rows["d"] >= 52).to_numpy())
        if len(flagged):
            rows.iloc[flagged[0], rows.columns.get_loc("notes")] = RED_FLAG_NOTE
    p, d = rows["p"].to_numpy(), rows["d"].to_numpy()
    stamp = calendar[p, d].astype("datetime64[m]") + hour[p, d] * 60 + minute[p, d]
    logs = pd.DataFrame(
        {
            "patient_id": ids[p],
            "timestamp": np.datetime_as_string(stamp, unit="m"),
            **{c: rows[c].to_numpy() for c in LOG_HEADER[2:11]},
            "entry_id": [f"e{n:07d}" for n in range(1, len(rows) + 1)],
        }
    )
    return Cohort(_prescriptions(ids, start, offset, switch, days, ongoing), logs)


def _prescriptions(
    ids: np.ndarray,
    start: dt.date,
    offset: np.ndarray,
    switch: np.ndarray,
    days: int,
    ongoing: np.ndarray,
) -> pd.DataFrame:
    rows = []
    for i, patient in enumerate(ids):
        first = start + dt.timedelta(days=int(offset[i]))
        last = first + dt.timedelta(days=days - 1)
        end = "" if ongoing[i] else last.isoformat()
        if switch[i] < days:
            change = first + dt.timedelta(days=int(switch[i]))
            rows.append(
                (
                    patient,
                    ROUTINES[0],
                    first.isoformat(),
                    (change - dt.timedelta(days=1)).isoformat(),
                )
            )
            rows.append((patient, ROUTINES[1], change.isoformat(), end))
        else:
            rows.append((patient, ROUTINES[0], first.isoformat(), end))
    return pd.DataFrame(rows, columns=["patient_id", "routine", "start_date", "end_date"])


def _messy(logs: pd.DataFrame, seed: int, patients: int = 6) -> bytes:
    """The first patients' rows, typed up by hand (see the module docstring)."""
    rng = np.random.default_rng(seed + 1)
    part = logs[logs["patient_id"].isin(logs["patient_id"].drop_duplicates()[:patients])]
    rows = [list(r) for r in part.itertuples(index=False)]
    for r in rows:
        stamp = dt.datetime.fromisoformat(r[1])
        r[1] = f"{stamp:%d/%m/%Y %H:%M}"
        r[3] = {"true": "Yes", "false": "No"}[r[3]]
        r[7] = r[7].capitalize()
        if r[8] and rng.random() < 0.4:
            r[8] = f"{r[8]}/10"
    count = len(rows)
    spots = sorted(rng.choice(np.arange(10, count - 10), 14, replace=False))
    broken = {
        spots[0]: (8, "12"),
        spots[1]: (5, "-3"),
        spots[2]: (7, "up"),
        spots[3]: (1, "31/02/2026 08:00"),
        spots[4]: (8, "7.5"),
        spots[5]: (4, "two"),
    }
    for where, (column, value) in broken.items():
        rows[where][column] = value
    rows[spots[6]][9] = "4"  # pain after on a row whose entry id is then repeated below
    repeats = [list(rows[spots[7]]), list(rows[spots[8]]), list(rows[spots[9]])]
    changed = list(rows[spots[10]])
    changed[9] = "9"
    rows[spots[11]][10] = "back stiff;\nknees fine"  # a note with a semicolon and a line break
    untimed = list(rows[spots[12]])
    untimed[11] = ""
    rows[spots[12]][11] = ""
    future = list(rows[spots[13]])
    future[1], future[11] = "01/01/2031 09:00", "e9999999"
    tail = [*repeats, changed, untimed, future]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(MESSY_HEADER)
    for i, row in enumerate(rows):
        writer.writerow(row)
        if i in (20, 400):
            out.write("\r\n")
        if i == 250:
            out.write(";" * 11 + "\r\n")
    for row in tail:
        writer.writerow(row)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_sample(
    out: str | Path,
    patients: int = 40,
    weeks: int = 12,
    seed: int = 7,
    start: dt.date = DEFAULT_START,
    rows: int | None = None,
) -> dict[str, Path]:
    """Write the three files into ``out``; ``rows`` keeps only the first rows of ``logs.csv``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cohort = make_cohort(patients, weeks, seed, start)
    logs = cohort.logs if rows is None else cohort.logs.iloc[:rows]
    paths = {name: out / f"{name}.csv" for name in ("prescriptions", "logs", "logs_messy")}
    cohort.prescriptions.to_csv(paths["prescriptions"], index=False, lineterminator="\n")
    logs.to_csv(paths["logs"], index=False, lineterminator="\n")
    paths["logs_messy"].write_bytes(_messy(cohort.logs, seed))
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m toolkit.logs.sample --patients 40 --weeks 12 --seed 7 --out D``."""
    parser = argparse.ArgumentParser(
        prog="python -m toolkit.logs.sample", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--patients", type=int, default=40, help="number of patients (default 40)")
    parser.add_argument("--weeks", type=int, default=12, help="weeks of logs (default 12)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, default=Path("data/sample"), help="output folder")
    parser.add_argument(
        "--start",
        type=dt.date.fromisoformat,
        default=DEFAULT_START,
        help=f"first day, YYYY-MM-DD (default {DEFAULT_START})",
    )
    parser.add_argument("--rows", type=int, default=None, help="keep only this many log rows")
    args = parser.parse_args(argv)
    if args.patients < 5 or args.weeks < 2:
        parser.error("use at least 5 patients and 2 weeks")
    paths = write_sample(args.out, args.patients, args.weeks, args.seed, args.start, args.rows)
    for path in paths.values():
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
