"""Flags for the clinician: who to look at this week, and why (analysis spec, section 7).

A flag asks a person to look; it diagnoses nothing. ``red_flag_note`` in particular matches
words in the patient's notes with the regular expressions of :data:`RED_FLAG_PATTERNS`
(defined once in :mod:`toolkit.logs.red_flags`, which the patient's companion page shares) and
makes no attempt to understand negation: "no fever" is flagged, because reading one note too
many is safer than missing one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds
from toolkit.analysis.window import day_numbers, to_dates
from toolkit.counts import count_text, decimal_text
from toolkit.logs.red_flags import RED_FLAG_PATTERNS, RED_FLAG_PATTERNS_VERSION

__all__ = [
    "FLAGS",
    "RED_FLAG_PATTERNS_VERSION",
    "RED_FLAG_PATTERNS",
    "FLAG_COLUMNS",
    "flags",
    "red_flag_note_rows",
    "red_flag_notes",
]

#: Every flag, in the order of the spec's table (and of ``summary.csv``'s ``flags``).
FLAGS = (
    "low_adherence",
    "stopped_logging",
    "pain_worsened",
    "pain_trend_up",
    "pain_rises_after_exercise",
    "insufficient_baseline",
    "red_flag_note",
)


FLAG_COLUMNS = ["patient_id", "flag", "date", "detail"]
_COMPILED = {
    name: re.compile(pattern, re.IGNORECASE) for name, pattern in RED_FLAG_PATTERNS.items()
}


def flags(
    adherence: pd.DataFrame,
    pain: pd.DataFrame,
    logs: pd.DataFrame,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> pd.DataFrame:
    """The clinician flags of every prescribed patient (spec, section 7).

    Parameters
    ----------
    adherence : DataFrame
        Per-patient adherence figures (``Adherence.patients``): as_of, window_start,
        window_end, days_in_window, adherent, session_adherence, sessions_done,
        sessions_prescribed, last_log_date, days_since_last_log.
    pain : DataFrame
        Per-patient pain figures (``Pain.patients``): baseline_pain, current_pain,
        pain_change, worsened, pain_slope_per_week, pain_slope_ci_low, pain_trend_rise,
        rises, last_rise_date.
    logs : DataFrame
        Log rows with ``patient_id``, ``date`` (or ``timestamp``) and ``notes``.
    thresholds : Thresholds
        Uses ``min_window_days``, ``stopped_logging_days`` [day], ``min_rises`` [count] and
        ``trend_rise_points`` [NRS points].

    Returns
    -------
    DataFrame
        ``patient_id, flag, date, detail``, sorted by patient, flag order and date. Patients
        whose window has not started get no flag.

    References
    ----------
    .. [1] Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of
       changes in chronic pain intensity measured on an 11-point numerical pain rating scale.
       Pain. 2001;94(2):149-158.
    .. [2] Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and
       functional status in low back pain: towards international consensus regarding minimal
       important change. Spine. 2008;33(1):90-94.

    Examples
    --------
    >>> import pandas as pd
    >>> from toolkit.analysis.summary import analyse
    >>> from toolkit.analysis.plan import RoutinePlan
    >>> plan = RoutinePlan(
    ...     schedules=pd.DataFrame({"routine": ["r"], "sessions_per_day": [1],
    ...                             "days_per_week": [7]}),
    ...     doses=pd.DataFrame(columns=["routine", "exercise_id", "sets", "per_set", "timed",
    ...                                 "each_side", "volume"]))
    >>> logs = pd.DataFrame({"patient_id": "p1",
    ...                      "timestamp": pd.to_datetime(["2026-01-05", "2026-01-06"]),
    ...                      "notes": ["fine", "no fever today"]})
    >>> period = pd.DataFrame({"patient_id": ["p1"], "routine": ["r"],
    ...                        "start_date": pd.to_datetime(["2026-01-05"]),
    ...                        "end_date": pd.NaT})
    >>> result = analyse(logs, period, plan, as_of="2026-01-18")
    >>> flags(result.adherence.patients, result.pain.patients, logs)["flag"].tolist()
    ['low_adherence', 'stopped_logging', 'insufficient_baseline', 'red_flag_note']
    """
    t = thresholds
    table = adherence.merge(pain, on="patient_id", how="left", validate="one_to_one")
    table = table[table["days_in_window"] > 0].reset_index(drop=True)
    long_enough = (table["days_in_window"] >= t.min_window_days).to_numpy()
    not_adherent = ~table["adherent"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    ongoing = (table["window_end"] == table["as_of"]).to_numpy()
    since = table["days_since_last_log"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    no_row = table["last_log_date"].isna().to_numpy()
    rises = table["rises"].astype("Float64").fillna(0).to_numpy(dtype=float)
    worsened = table["worsened"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    ci_low = table["pain_slope_ci_low"].to_numpy(dtype=float, na_value=np.nan)
    trend_rise = table["pain_trend_rise"].to_numpy(dtype=float, na_value=np.nan)
    trend_up = t.above(ci_low, 0.0) & t.at_least(trend_rise, t.trend_rise_points)

    parts = [
        _flag(table, "low_adherence", not_adherent & long_enough, "window_end", _low_adherence),
        _flag(
            table,
            "stopped_logging",
            (ongoing & (since >= t.stopped_logging_days)) | (no_row & long_enough),
            "last_log_date",
            _stopped_logging,
        ),
        _flag(table, "pain_worsened", worsened, "window_end", _pain_worsened),
        _flag(table, "pain_trend_up", trend_up, "window_end", _pain_trend_up),
        _flag(
            table,
            "pain_rises_after_exercise",
            rises >= t.min_rises,
            "last_rise_date",
            lambda chosen: _pain_rises(chosen, t.rise_window_days),
        ),
        _flag(
            table,
            "insufficient_baseline",
            table["baseline_pain"].isna().to_numpy() & long_enough,
            "window_start",
            lambda chosen: [_no_baseline(t)] * len(chosen),
        ),
        red_flag_notes(logs, table),
    ]
    found = [part for part in parts if len(part)]
    if not found:
        return pd.DataFrame(
            {
                "patient_id": pd.Series([], dtype="str"),
                "flag": pd.Series([], dtype="str"),
                "date": pd.Series([], dtype="datetime64[s]"),
                "detail": pd.Series([], dtype="str"),
            }
        )
    result = pd.concat(found, ignore_index=True)
    result["rank"] = result["flag"].map({name: i for i, name in enumerate(FLAGS)})
    result = result.sort_values(
        ["patient_id", "rank", "date"], kind="stable", na_position="last", ignore_index=True
    )
    return result[FLAG_COLUMNS].astype({"patient_id": "str", "flag": "str", "detail": "str"})


def red_flag_note_rows(logs: pd.DataFrame, patients: pd.DataFrame) -> pd.DataFrame:
    """The notes that match a red-flag pattern: the one matcher of the flag and the report.

    Parameters
    ----------
    logs : DataFrame
        Log rows with ``patient_id``, ``date`` (or ``timestamp``) and ``notes``.
    patients : DataFrame
        The patients to look at, with ``patient_id`` and ``as_of``; notes dated after as_of are
        not read.

    Returns
    -------
    DataFrame
        ``patient_id, date, symptoms, note``: one row per patient, date and note text, in the
        order of the logs; ``symptoms`` names the matching patterns, joined by ``; ``.
    """
    columns = ["patient_id", "date", "symptoms", "note"]
    empty = pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    if "notes" not in logs.columns or patients.empty:
        return empty
    dated_by = "date" if "date" in logs.columns else "timestamp"
    noted = logs[["patient_id", dated_by, "notes"]]
    noted = noted[noted["notes"].notna()]
    noted = noted[noted["patient_id"].astype("str").str.strip().isin(patients["patient_id"])]
    text = noted["notes"].astype("str")
    noted = noted[text.str.strip().str.len() > 0]
    if noted.empty:
        return empty
    dated = noted[dated_by]
    as_of = day_numbers(patients["as_of"].iloc[:1], "as_of")[0]
    notes = pd.DataFrame(
        {
            "patient_id": noted["patient_id"].astype("str").str.strip().to_numpy(),
            "day": day_numbers(dated.reset_index(drop=True), "date"),
            "note": noted["notes"].astype("str").to_numpy(),
        }
    )
    notes = notes[notes["day"] <= as_of].drop_duplicates(["patient_id", "day", "note"])
    # Each distinct note text is searched once, whatever the number of rows repeating it.
    symptoms = {
        note: "; ".join(name for name, rx in _COMPILED.items() if rx.search(note))
        for note in notes["note"].unique()
    }
    notes = notes.assign(symptoms=notes["note"].map(symptoms))
    notes = notes[notes["symptoms"] != ""]
    return pd.DataFrame(
        {
            "patient_id": notes["patient_id"].to_numpy(),
            "date": to_dates(notes["day"].to_numpy()),
            "symptoms": notes["symptoms"].to_numpy(),
            "note": notes["note"].to_numpy(),
        },
        columns=columns,
    )


def red_flag_notes(logs: pd.DataFrame, patients: pd.DataFrame) -> pd.DataFrame:
    """One ``red_flag_note`` per patient, date and note text that matches a pattern.

    Parameters as :func:`red_flag_note_rows`, which finds the notes.
    """
    notes = red_flag_note_rows(logs, patients)
    if notes.empty:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    return pd.DataFrame(
        {
            "patient_id": notes["patient_id"].to_numpy(),
            "flag": "red_flag_note",
            "date": notes["date"].to_numpy(),
            "detail": (
                "note mentions " + notes["symptoms"] + '; please read it: "' + notes["note"] + '"'
            ).to_numpy(),
        },
        columns=FLAG_COLUMNS,
    )


def _flag(
    table: pd.DataFrame,
    name: str,
    when: np.ndarray,
    date_column: str,
    describe: Callable[[pd.DataFrame], list[str]],
) -> pd.DataFrame:
    """One row of flag ``name`` for each patient where ``when`` holds."""
    chosen = table[np.asarray(when, dtype=bool)]
    return pd.DataFrame(
        {
            "patient_id": chosen["patient_id"].to_numpy(),
            "flag": name,
            "date": chosen[date_column].to_numpy(),
            "detail": describe(chosen),
        },
        columns=FLAG_COLUMNS,
    )


def _no_baseline(t: Thresholds) -> str:
    return (
        f"fewer than {count_text(t.min_pain_days)} pain scores in the first "
        f"{count_text(t.baseline_days)} window days: too few to set a baseline"
    )


def _values(chosen: pd.DataFrame, *columns: str) -> zip[tuple[Any, ...]]:
    """The chosen patients' values of ``columns``, as Python objects, one tuple per patient."""
    return zip(*(chosen[column].tolist() for column in columns), strict=True)


def _low_adherence(chosen: pd.DataFrame) -> list[str]:
    return [
        f"session adherence {100 * adherence:.0f} %: {count_text(done)} of "
        f"{count_text(prescribed)} prescribed sessions done"
        for adherence, done, prescribed in _values(
            chosen, "session_adherence", "sessions_done", "sessions_prescribed"
        )
    ]


def _stopped_logging(chosen: pd.DataFrame) -> list[str]:
    return [
        f"no log at all in {count_text(days)} window days"
        if pd.isna(last)
        else f"no log for {count_text(since)} days (last on {last:%Y-%m-%d})"
        for days, since, last in _values(
            chosen, "days_in_window", "days_since_last_log", "last_log_date"
        )
    ]


def _pain_worsened(chosen: pd.DataFrame) -> list[str]:
    return [
        f"pain went from {decimal_text(baseline)} at baseline to {decimal_text(current)} now "
        f"({decimal_text(change, sign=True)} points)"
        for baseline, current, change in _values(
            chosen, "baseline_pain", "current_pain", "pain_change"
        )
    ]


def _pain_trend_up(chosen: pd.DataFrame) -> list[str]:
    return [
        f"pain trend {slope:+.2f} points a week, clearly upward (its interval starts at "
        f"{low:+.2f}); the fitted line climbs {decimal_text(rise)} points over the window"
        for slope, low, rise in _values(
            chosen, "pain_slope_per_week", "pain_slope_ci_low", "pain_trend_rise"
        )
    ]


def _pain_rises(chosen: pd.DataFrame, window_days: int) -> list[str]:
    return [
        f"pain rose after exercise in {count_text(rises)} sessions of the last "
        f"{count_text(window_days)} window days "
        f"(latest on {last:%Y-%m-%d})"
        for rises, last in _values(chosen, "rises", "last_rise_date")
    ]
