"""The clinic report's figures in plain words: adherence, pain change, the MCID reading, flags.

Pure functions from one row of the summary table (:data:`toolkit.analysis.summary.SUMMARY_COLUMNS`)
to short sentences for clinicians. Numbers are rounded for reading here; the CSV files keep
them exact. Dates are written ``YYYY-MM-DD`` so that no reader mistakes the day for the month.
The thresholds quoted are those the analysis ran with (``Analysis.thresholds``, a
:class:`~toolkit.analysis.thresholds.Thresholds`), so a clinic that changes one sees its own
value in the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from toolkit.analysis.thresholds import Thresholds
from toolkit.counts import count_text, decimal_text

__all__ = [
    "URGENCY",
    "FLAG_LABELS",
    "PRIORITY_GROUPS",
    "EXCLUSION_LABELS",
    "REJECT_LABELS",
    "DATE_ORDER_WORDS",
    "day",
    "percent",
    "one_decimal",
    "sessions_text",
    "reject_words",
    "adherence_words",
    "pain_words",
    "pain_reading",
    "pain_reading_short",
    "definitions",
]

#: Flags from most to least urgent: the order of "who needs attention" (see clinic_report).
URGENCY = (
    "red_flag_note",
    "pain_worsened",
    "pain_trend_up",
    "pain_rises_after_exercise",
    "stopped_logging",
    "low_adherence",
    "insufficient_baseline",
)

#: Each flag of the spec as a clinician reads it, most urgent first.
FLAG_LABELS = {
    "red_flag_note": "Note to read (possible red flag)",
    "pain_worsened": "Pain worse than at baseline",
    "pain_trend_up": "Pain trending up",
    "pain_rises_after_exercise": "Pain rises after exercise",
    "stopped_logging": "Stopped logging",
    "low_adherence": "Low adherence",
    "insufficient_baseline": "No pain baseline",
}


#: The action list's groups, in order: (key, heading). ``ready`` and ``on_track`` split the
#: patients of priority ``ok`` by ``ready_to_progress``.
PRIORITY_GROUPS = (
    ("urgent", "Call"),
    ("review", "Review this week"),
    ("monitor", "Monitor"),
    ("ready", "Ready to progress"),
    ("on_track", "On track"),
)

#: Why a used log row counts for no session (``excluded.csv`` keeps the codes).
EXCLUSION_LABELS = {
    "no_prescription": "patient has no prescription",
    "after_as_of": "dated after the as-of date",
    "outside_window": "outside the prescribed periods",
    "not_completed": "marked not completed",
    "not_in_routine": "exercise not in the patient's routine",
}

#: Why a log row could not be read, by the code its reason starts with (``rejects.csv``
#: keeps the codes).
REJECT_LABELS = {
    "missing": "a required cell is empty",
    "invalid": "a cell holds a value that is not allowed",
    "date_order": "a date could be day-first or month-first",
    "future": "dated after the day the report was made",
    "duplicate": "the same entry appears twice",
}

#: How dates that are not year-month-day were read, by ``LogReport.dayfirst``.
DATE_ORDER_WORDS = {
    None: "year-month-day dates only (2026-12-31)",
    True: "day first (31/12/2026)",
    False: "month first (12/31/2026)",
}


def one_decimal(value: object, sign: bool = False) -> str:
    """A figure with one decimal, halves up: ``3.25`` -> ``3.3``; ``-`` when missing.

    :func:`toolkit.counts.decimal_text` with one place, the one rounding of the report.
    """
    return decimal_text(value, 1, sign)


def sessions_text(value: object) -> str:
    """A number of sessions for reading: whole, a fraction rounded half up (``73.5`` -> ``74``).

    The CSV files keep the exact, possibly fractional, number of prescribed sessions.
    """
    if _missing(value):
        return "-"
    return count_text(int(decimal_text(value, 0)))


def reject_words(code: str) -> str:
    """A reject reason code in words (:data:`REJECT_LABELS`); an unknown code with spaces."""
    return REJECT_LABELS.get(code, code.replace("_", " "))


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _true(value: object) -> bool:
    return not _missing(value) and bool(value)


def day(value: object) -> str:
    """A date as ``YYYY-MM-DD``; ``-`` when missing."""
    return "-" if _missing(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def percent(fraction: object) -> str:
    """A fraction as a whole percentage, halves up: ``0.676`` -> ``68 %``; ``-`` when missing."""
    if _missing(fraction):
        return "-"
    return f"{decimal_text(100 * float(fraction), 0)} %"  # type: ignore[arg-type]


def _points(value: object, sign: bool = False) -> str:
    return one_decimal(value, sign)


def adherence_words(row: pd.Series, limits: Thresholds) -> list[str]:
    """Sessions, dose and reporting of one patient, one sentence each.

    Parameters
    ----------
    row : Series
        One row of the summary table.
    limits : Thresholds
        The analysis's thresholds (uses ``adherent_at`` [fraction]).
    """
    if row["days_in_window"] == 0:
        return [f"The programme starts on {day(row['window_start'])}, after the as-of date."]
    target = percent(limits.adherent_at)
    verdict = "meets" if row["adherent"] else "is below"
    lines = [
        f"Sessions: {sessions_text(row['sessions_done'])} of "
        f"{sessions_text(row['sessions_prescribed'])} "
        f"prescribed sessions done, a session adherence of "
        f"{percent(row['session_adherence'])}; this {verdict} the {target} target. "
        f"Window {day(row['window_start'])} to {day(row['window_end'])} "
        f"({count_text(row['days_in_window'])} days).",
        f"Logged {sessions_text(row['sessions_logged'])} sessions in all (extra sessions on a day "
        "count toward this figure, not toward adherence).",
        f"Dose: {percent(row['dose_adherence'])} of the prescribed sets, repetitions and "
        "seconds done.",
        f"Reported something on {percent(row['reporting_completeness'])} of the window days.",
    ]
    if _missing(row["last_log_date"]):
        lines.append("No log at all up to the as-of date.")
    else:
        lines.append(
            f"Last log on {day(row['last_log_date'])}, "
            f"{count_text(row['days_since_last_log'])} days before the as-of date."
        )
    return lines


def pain_reading(row: pd.Series, limits: Thresholds) -> str:
    """What the pain change means against the MCID, in one sentence.

    Parameters
    ----------
    row : Series
        One row of the summary table.
    limits : Thresholds
        The analysis's thresholds: ``improved_points`` [NRS points], ``improved_percent`` [%],
        ``worsened_points`` [NRS points], ``baseline_days``, ``current_days``,
        ``min_pain_days`` and ``current_min_window_days`` [day].
    """
    points, share = f"{limits.improved_points:g}", f"{limits.improved_percent:g}"
    if row["days_in_window"] == 0:
        return "Not started yet."
    if _missing(row["baseline_pain"]):
        return (
            f"No baseline: fewer than {limits.min_pain_days} of the first "
            f"{limits.baseline_days} window days have a pain score, so change cannot be "
            "judged."
        )
    if _missing(row["current_pain"]):
        if row["days_in_window"] < limits.current_min_window_days:
            return (
                f"Too early to judge: current pain needs a window of at least "
                f"{limits.current_min_window_days} days."
            )
        return (
            f"No current value: fewer than {limits.min_pain_days} of the last "
            f"{limits.current_days} window days have a pain score."
        )
    if _true(row["improved"]):
        return (
            f"Clinically important improvement: at least {points} points and at least "
            f"{share} % below baseline."
        )
    if _true(row["worsened"]):
        return f"Worse: at least {limits.worsened_points:g} points above baseline."
    if float(row["pain_change"]) < 0:
        if float(row["baseline_pain"]) == 0:
            return "Baseline pain was 0; a percentage change cannot be computed."
        return (
            f"Lower than at baseline, but less than the clinically important change "
            f"({points} points and {share} %)."
        )
    return "No important change from baseline."


def pain_reading_short(row: Mapping[str, Any]) -> str:
    """The MCID reading in a word or two, for the cohort table."""
    if row["days_in_window"] == 0:
        return "not started"
    if _missing(row["baseline_pain"]):
        return "no baseline"
    if _missing(row["current_pain"]):
        return "no current value"
    if _true(row["improved"]):
        return "improved (MCID)"
    if _true(row["worsened"]):
        return "worse"
    return "below MCID" if float(row["pain_change"]) < 0 else "no change"


def pain_words(row: pd.Series, limits: Thresholds) -> list[str]:
    """Baseline, current pain, change in points and percent, trend, and the MCID reading.

    Parameters
    ----------
    row : Series
        One row of the summary table.
    limits : Thresholds
        The analysis's thresholds (see :func:`pain_reading`; also ``slope_min_days`` [day] and
        ``confidence`` [fraction]).
    """
    lines = []
    if not _missing(row.get("pain_change")):
        pct = row["pain_change_pct"]
        share = "" if _missing(pct) else f", {float(pct):+.0f} %"
        lines.append(
            f"Pain (0-10): {_points(row['baseline_pain'])} at baseline, "
            f"{_points(row['current_pain'])} now: a change of "
            f"{_points(row['pain_change'], sign=True)} points{share}."
        )
    elif not _missing(row.get("baseline_pain")):
        lines.append(f"Pain (0-10): {_points(row['baseline_pain'])} at baseline.")
    lines.append(pain_reading(row, limits))
    if not _missing(row.get("pain_slope_per_week")):
        level = percent(limits.confidence).replace(" %", "")
        lines.append(
            f"Trend: {float(row['pain_slope_per_week']):+.2f} points a week ({level} % "
            f"confidence interval {float(row['pain_slope_ci_low']):+.2f} to "
            f"{float(row['pain_slope_ci_high']):+.2f})."
        )
    elif row["days_in_window"] > 0:
        lines.append(f"Trend: needs at least {limits.slope_min_days} days with a pain score.")
    return lines


def definitions(limits: Thresholds) -> list[tuple[str, str]]:
    """How each figure of the report is computed, as (term, explanation) pairs.

    Parameters
    ----------
    limits : Thresholds
        The analysis's thresholds; the values quoted are those it ran with.
    """
    target = percent(limits.adherent_at)
    return [
        (
            "As-of date",
            "The day the figures are made for. Log rows dated later are left out of every "
            "figure. Rows dated after the day the report was made are refused when reading.",
        ),
        (
            "Window",
            "The days of the patient's prescribed periods, from the first start date to the "
            "as-of date or the last end date, whichever is earlier.",
        ),
        (
            "Session adherence",
            "Sessions done divided by sessions prescribed over the window. A day counts at "
            "most the prescribed sessions per day, and a week at most its prescribed sessions, "
            "so extra sessions never hide missed ones. A session row and the exercise rows of "
            "the same session count once. Only completed rows count. "
            f"Adherent means at least {target} (a common convention, not evidence).",
        ),
        (
            "Dose adherence",
            "Sets x repetitions (or x seconds) done as a share of those prescribed, capped at "
            "100 % per exercise and week, averaged over the exercises.",
        ),
        (
            "Days reported",
            "Window days on which the patient logged anything, as a share of window days.",
        ),
        (
            "Baseline and current pain",
            "Daily pain is the mean of the day's 'pain before' scores (0-10); a day without "
            f"a score stays empty. Baseline is the mean over the first "
            f"{limits.baseline_days} window days, current the mean over the last "
            f"{limits.current_days}; each needs at least {limits.min_pain_days} days "
            f"with a score, and current pain needs a window of at least "
            f"{limits.current_min_window_days} days.",
        ),
        (
            "Pain change and MCID",
            f"Change = current - baseline, in points and as a percentage of baseline. "
            f"Improved means at least {limits.improved_points:g} points and "
            f"{limits.improved_percent:g} % lower (the minimal clinically important "
            "difference of the 0-10 scale in low back pain; Farrar 2001, Ostelo 2008). "
            f"Worse means at least {limits.worsened_points:g} points higher (our "
            "convention; no validated threshold exists).",
        ),
        (
            "Trend",
            "A straight line fitted through the daily pain scores of the window, in points "
            f"per week, with its {percent(limits.confidence)} confidence interval; it "
            f"needs at least {limits.slope_min_days} days with a score.",
        ),
        (
            "Flags",
            f"Low adherence: below {target} after at least {limits.min_window_days} window "
            f"days. Stopped logging: no log for {limits.stopped_logging_days} days or more "
            "while the programme is ongoing, or no log at all. Pain worse: see above. Pain "
            "trending up: the trend's whole confidence interval lies above zero and the "
            f"fitted line climbs at least {limits.trend_rise_points:g} points over the "
            "window. Pain "
            f"rises after exercise: at least {limits.min_rises} sessions in the last "
            f"{limits.rise_window_days} window days where pain after was "
            f"{limits.rise_points:g} points or more above pain before. No pain baseline: "
            "too few scores in the first window days. Note to read: a note mentions words "
            "linked with red flags (bladder or bowel control, saddle numbness, leg weakness "
            "or foot drop, fever, weight loss, night pain). It asks you to read the note; it "
            'diagnoses nothing and does not understand negation ("no fever" is flagged).',
        ),
        (
            "Priority",
            "Urgent: a note to read, pain worse, or pain trending up. Review: pain rises "
            "after exercise, stopped logging, or low adherence below "
            f"{percent(limits.review_adherence_below)}. Monitor: any other flag. OK: no flag.",
        ),
        (
            "Recent adherence",
            f"Session adherence over the last {limits.recent_days} window days, each day "
            "counting at most its prescribed sessions; given once the window has that many "
            "days.",
        ),
        (
            "Ready to progress",
            "A suggestion, never applied by itself: at least "
            f"{limits.ready_min_days} window days, the programme ongoing, no flag, recent "
            f"adherence at least {percent(limits.ready_adherence_at)}, current pain at most "
            f"{limits.ready_pain_at_most:g} or improved, and a pain trend not clearly rising.",
        ),
    ]
