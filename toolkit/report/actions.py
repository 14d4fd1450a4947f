"""The report's first page: who to call, review, monitor, progress, and who is on track.

:func:`action_list` puts every prescribed patient in one group of
:data:`toolkit.report.words.PRIORITY_GROUPS`, from the summary's ``priority`` and
``ready_to_progress`` (analysis spec, section 7): **Call** (urgent), **Review this week**
(review), **Monitor** (monitor), **Ready to progress** (ok and ready; the line names the
routine that follows the current one, its ``next_routine``) and **On track** (ok, not ready).

Each patient gets one line: the reason in plain words with the figure behind it ("pain rising:
about 3.3 points higher than at the start"), then the other flags, each with its figure.
Within a group the most severe comes first, never by date alone: by the most urgent flag (the
order of :data:`toolkit.report.words.URGENCY`), then by how far that flag's figure goes (the
largest rise in pain, the longest silence, the lowest adherence...), then by lower session
adherence, then by patient id. Ready patients go by higher recent adherence, patients on track
by lower session adherence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.summary import Analysis
from toolkit.report import words
from toolkit.report.progress import next_routine_of
from toolkit.routines.library import Library, load_library
from toolkit.storage import safe_file_stem

__all__ = [
    "ACTION_COLUMNS",
    "action_list",
    "flag_reason",
    "next_routines",
    "patient_anchor",
    "patient_records",
]

#: The columns of :func:`action_list`.
ACTION_COLUMNS = ["group", "patient_id", "reason"]

_GROUP_OF_PRIORITY = {"urgent": "urgent", "review": "review", "monitor": "monitor"}


def next_routines(
    prescriptions: pd.DataFrame, as_of: object, library: Library
) -> dict[str, str | None]:
    """Each patient's current routine's ``next_routine`` (None when it names none).

    The current routine is that of the patient's latest period starting on or before
    ``as_of``; each routine file is read once.
    """
    day = pd.Timestamp(as_of)
    started = prescriptions[pd.to_datetime(prescriptions["start_date"]) <= day]
    current = started.sort_values("start_date", kind="stable").groupby("patient_id").last()
    following: dict[str, str | None] = {}
    for path in current["routine_path"].unique():
        following[str(path)] = next_routine_of(path, library)
    return {str(p): following[str(path)] for p, path in current["routine_path"].items()}


def patient_anchor(patient_id: str) -> str:
    """The HTML anchor of a patient's page: ``patient-P002`` (odd ids made safe)."""
    return f"patient-{safe_file_stem(str(patient_id))}"


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def flag_reason(
    flag: str, row: Mapping[str, Any], latest: pd.Timestamp | None, limits: Any
) -> tuple[str, float]:
    """One flag of a patient in words with its figure, and how severe (lower is worse).

    Parameters
    ----------
    flag : str
        The flag's code (``pain_trend_up``...).
    row : mapping
        The patient's record from :func:`patient_records`.
    latest : Timestamp or None
        The flag's (latest) date.
    limits : Thresholds
        The analysis's thresholds (``rise_window_days``, ``min_pain_days``,
        ``baseline_days``).
    """
    if flag == "red_flag_note":
        when = "" if latest is None else f", written {words.day(latest)}"
        mentions = row.get("symptoms") or "a possible red-flag symptom"
        return f"note to read: it mentions {mentions}{when}", 0.0
    if flag == "pain_worsened":
        change = float(row["pain_change"])
        return (
            f"pain worse: {words.one_decimal(row['baseline_pain'])} at baseline, "
            f"{words.one_decimal(row['current_pain'])} now "
            f"({words.one_decimal(change, sign=True)} points)",
            -change,
        )
    if flag == "pain_trend_up":
        rise = float(row["pain_trend_rise"])
        return (
            f"pain rising: about {words.one_decimal(rise)} points higher than at the start "
            f"(trend {float(row['pain_slope_per_week']):+.2f} points a week)",
            -rise,
        )
    if flag == "pain_rises_after_exercise":
        rises = float(row["rises"])
        return (
            f"pain rises after exercise: in {words.sessions_text(rises)} sessions of the last "
            f"{limits.rise_window_days} days (latest {words.day(row['last_rise_date'])})",
            -rises,
        )
    if flag == "stopped_logging":
        if _missing(row["last_log_date"]):
            return (
                f"stopped logging: no log at all in {words.sessions_text(row['days_in_window'])} "
                "days of the programme",
                -np.inf,
            )
        since = float(row["days_since_last_log"])
        return (
            f"stopped logging: no log for {words.sessions_text(since)} days "
            f"(last on {words.day(row['last_log_date'])})",
            -since,
        )
    if flag == "low_adherence":
        return (
            f"low adherence: {words.sessions_text(row['sessions_done'])} of "
            f"{words.sessions_text(row['sessions_prescribed'])} sessions "
            f"({words.percent(row['session_adherence'])})",
            float(row["session_adherence"]),
        )
    if flag == "insufficient_baseline":
        return (
            f"no pain baseline: fewer than {limits.min_pain_days} pain scores in the first "
            f"{limits.baseline_days} days",
            0.0,
        )
    return words.FLAG_LABELS.get(flag, flag.replace("_", " ")).lower(), 0.0


def _on_track_reason(row: Mapping[str, Any]) -> str:
    if row["days_in_window"] == 0:
        return f"programme starts on {words.day(row['window_start'])}"
    pain = ""
    if not _missing(row["baseline_pain"]) or not _missing(row["current_pain"]):
        pain = (
            f"; pain {words.one_decimal(row['baseline_pain'])} at baseline, "
            f"{words.one_decimal(row['current_pain'])} now"
        )
    return (
        f"{words.sessions_text(row['sessions_done'])} of "
        f"{words.sessions_text(row['sessions_prescribed'])} sessions "
        f"({words.percent(row['session_adherence'])}){pain}"
    )


def _ready_reason(row: Mapping[str, Any], following: str | None, known: bool) -> str:
    if following:
        what = f"move on to {following}"
    elif known:
        what = "the current routine names no next routine; choose one"
    else:
        what = "ready for the next routine"
    return (
        f"{what}: recent adherence {words.percent(row['recent_session_adherence'])}, "
        f"pain now {words.one_decimal(row['current_pain'])}"
    )


def patient_records(
    analysis: Analysis, notes: pd.DataFrame | None = None
) -> dict[str, dict[str, Any]]:
    """Each patient's summary row with the pain figures the flags quote, by patient id.

    The summary's columns, plus ``pain_trend_rise``, ``rises`` and ``last_rise_date`` from
    ``analysis.pain.patients`` and ``symptoms`` (the red-flag symptoms the patient's notes
    mention, from ``notes``; None without).
    """
    extra = analysis.pain.patients[["patient_id", "pain_trend_rise", "rises", "last_rise_date"]]
    table = analysis.summary.merge(extra, on="patient_id", how="left")
    symptoms: dict[str, str] = {}
    if notes is not None and len(notes):
        symptoms = (
            notes.groupby("patient_id")["symptoms"]
            .agg(lambda s: " and ".join(dict.fromkeys("; ".join(s).split("; "))))
            .to_dict()
        )
    records = {}
    for record in table.to_dict("records"):
        patient = str(record["patient_id"])
        record["symptoms"] = symptoms.get(patient)
        records[patient] = record
    return records


def action_list(
    analysis: Analysis,
    following: Mapping[str, str | None] | None = None,
    notes: pd.DataFrame | None = None,
    *,
    prescriptions: pd.DataFrame | None = None,
    library: Library | None = None,
) -> pd.DataFrame:
    """Every prescribed patient in one action group, with the reason in plain words.

    Parameters
    ----------
    analysis : Analysis
        From :func:`toolkit.analysis.summary.analyse` (its summary has ``priority`` and
        ``ready_to_progress``).
    following : mapping of str to str or None, optional
        Patient id -> the routine that follows the patient's current routine (its
        ``next_routine``), named in the "Ready to progress" group.
    notes : DataFrame, optional
        The notes behind ``red_flag_note`` flags
        (:func:`toolkit.analysis.flags.red_flag_note_rows`): their symptoms are named.
    prescriptions : DataFrame, optional
        The prescriptions as read, with ``routine_path``: without ``following``, the next
        routines are found from them (:func:`next_routines`, read with ``library``, default
        the built-in one).

    Returns
    -------
    DataFrame
        ``group, patient_id, reason``: the group's heading (``Call``, ``Review this week``,
        ``Monitor``, ``Ready to progress``, ``On track``; see
        :data:`toolkit.report.words.PRIORITY_GROUPS`), in group order and, within a group,
        most severe first (rule in the module's docstring).
    """
    if following is None and prescriptions is not None:
        chosen = library if library is not None else load_library()
        following = next_routines(prescriptions, analysis.as_of, chosen)
    limits = analysis.thresholds
    flags = analysis.flags
    flag_rank = {name: i for i, name in enumerate(words.URGENCY)}
    latest = flags.groupby(["patient_id", "flag"])["date"].max().to_dict()
    codes = flags.groupby("patient_id", sort=False)["flag"].agg(lambda f: list(dict.fromkeys(f)))
    known = following is not None
    following = dict(following or {})
    rows = []
    for patient, record in patient_records(analysis, notes).items():
        priority = record.get("priority")
        adherence = record["session_adherence"]
        adherence_key = 2.0 if _missing(adherence) else float(adherence)
        group = _GROUP_OF_PRIORITY.get(str(priority))
        if group is not None:
            patient_flags = sorted(codes.get(patient, []), key=lambda f: flag_rank.get(f, 99))
            said = [flag_reason(f, record, latest.get((patient, f)), limits) for f in patient_flags]
            reason = said[0][0] if said else "needs a look"
            if len(said) > 1:
                reason += "; also " + "; ".join(text for text, _ in said[1:])
            top_rank = flag_rank.get(patient_flags[0], 99) if patient_flags else 99
            key: tuple[float, ...] = (top_rank, said[0][1] if said else 0.0, adherence_key)
        elif not _missing(record.get("ready_to_progress")) and bool(record["ready_to_progress"]):
            group = "ready"
            reason = _ready_reason(record, following.get(patient), known)
            recent = record["recent_session_adherence"]
            key = (0, -(0.0 if _missing(recent) else float(recent)), 0.0)
        else:
            group = "on_track"
            reason = _on_track_reason(record)
            key = (0, adherence_key, 0.0)
        rows.append((group, key, patient, reason))
    order = {name: i for i, (name, _) in enumerate(words.PRIORITY_GROUPS)}
    rows.sort(key=lambda item: (order[item[0]], item[1], item[2]))
    headings = dict(words.PRIORITY_GROUPS)
    return pd.DataFrame(
        [(headings[group], patient, reason) for group, _, patient, reason in rows],
        columns=ACTION_COLUMNS,
    )
