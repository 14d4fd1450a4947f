"""The clinic report as one HTML document (layout and words; no file is written here).

:func:`report_html` fills ``templates/report.html.j2`` with plain data built from the analysis:
the data sources and the reading report, who needs attention (in the order given), the cohort
chart and table, a page per patient and the definitions. Autoescaping is on for the whole
template: every patient id, note and flag detail is escaped, so ``<script>`` shows as text.
Charts are embedded as ``data:`` URIs and the styles are inline, so the file needs nothing
else. The printed version names its charts by URL instead, and marks where each patient's page
begins, for :func:`toolkit.report.printing.print_report`, which makes the PDF.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from toolkit.analysis.flags import red_flag_note_rows
from toolkit.analysis.summary import Analysis
from toolkit.counts import count_text
from toolkit.handouts.render import PALETTE
from toolkit.logs.reading import LogReading
from toolkit.report import words
from toolkit.report.actions import flag_reason, patient_anchor, patient_records
from toolkit.report.printing import PART_MARK

__all__ = [
    "ALWAYS_PRINTED",
    "PRINTED_GROUP_LINES",
    "PRINTED_TABLE_ROWS",
    "notes_to_read",
    "report_html",
]

_TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Action groups printed whole, however long (keys of ``words.PRIORITY_GROUPS``).
ALWAYS_PRINTED = ("urgent", "review")
#: Lines printed of each other action group; the rest are counted. [lines]
PRINTED_GROUP_LINES = 60
#: Rows printed of the cohort table; the rest are counted. [rows]
PRINTED_TABLE_ROWS = 150


def notes_to_read(analysis: Analysis, reading: LogReading) -> pd.DataFrame:
    """The notes behind each ``red_flag_note`` flag, found by the flag's own matcher.

    Only patients with that flag are searched, with
    :func:`toolkit.analysis.flags.red_flag_note_rows`, so a page quotes exactly the notes that
    raised the flag.
    """
    flagged = analysis.flags.loc[analysis.flags["flag"] == "red_flag_note", "patient_id"]
    patients = analysis.summary[analysis.summary["patient_id"].isin(flagged)]
    notes = red_flag_note_rows(reading.logs, patients)
    return notes.sort_values(["patient_id", "date"], kind="stable", ignore_index=True)


@functools.cache
def _template(name: str) -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    return environment.get_template(name)


def _image_src(image: bytes | str) -> str:
    """A ``data:`` URL of PNG or JPEG bytes (told apart by their first bytes); a URL as it
    is (the printed report's charts, :func:`toolkit.report.printing.chart_url`)."""
    if isinstance(image, str):
        return image
    kind = "jpeg" if image[:3] == b"\xff\xd8\xff" else "png"
    return f"data:image/{kind};base64," + base64.b64encode(image).decode("ascii")


def _flag_items(
    flag_rows: list[tuple[object, object]], record: Mapping[str, Any], limits: Any
) -> list[dict[str, str]]:
    """A patient's flags for people: label, date (empty when none) and the figure in words."""
    rank = {name: i for i, name in enumerate(words.URGENCY)}
    rows = [(str(flag), None if pd.isna(date) else pd.Timestamp(date)) for flag, date in flag_rows]
    # By urgency, then date (undated last), as sort_values(["rank", "date"]) would.
    rows.sort(key=lambda row: (rank.get(row[0], len(rank)), row[1] is None, row[1] or 0))
    items = []
    for name, dated in rows:
        reason, _ = flag_reason(name, record, dated, limits)
        items.append(
            {
                "label": words.FLAG_LABELS.get(name, name.replace("_", " ")),
                "date": "" if dated is None else words.day(dated),
                "detail": reason.split(": ", 1)[-1],
            }
        )
    return items


def _reject_summary(reading: LogReading) -> str:
    """Rejected rows by reason, each reason once with its count and one example."""
    rejects = reading.rejects
    report = reading.report
    if not report.rows_rejected or rejects.empty:
        return count_text(report.rows_rejected)
    codes = rejects["reason"].astype("str").str.split(":", n=1).str[0]
    parts = []
    for code, n in sorted(report.reasons.items(), key=lambda item: (-item[1], item[0])):
        example = rejects[codes == code].iloc[0]
        parts.append(
            f"{words.reject_words(code)}: {count_text(n)} rows, for example row "
            f"{example['row']} of {Path(str(example['source'])).name}, "
            f'{example["column"]} "{example["value"]}"'
        )
    return f"{count_text(report.rows_rejected)} ({'; '.join(parts)}); see rejects.csv"


def _reading_rows(reading: LogReading, analysis: Analysis) -> list[tuple[str, str]]:
    report = reading.report
    excluded = analysis.excluded["reason"].value_counts()
    unprescribed = analysis.excluded.loc[
        analysis.excluded["reason"] == "no_prescription", "patient_id"
    ].nunique()
    span = f"{report.first_date} to {report.last_date}" if report.first_date else "none"
    return [
        (
            "Log rows read",
            f"{count_text(report.rows_read)} "
            f"(blank lines skipped: {count_text(report.blank_lines)})",
        ),
        ("Log rows used", count_text(report.rows_used)),
        ("Log rows rejected", _reject_summary(reading)),
        ("Duplicates", count_text(report.duplicates)),
        ("Dated after the report day", count_text(report.future)),
        ("Patients in the logs", count_text(report.patients)),
        ("Log dates", span),
        (
            "Date order; clinic time zone",
            f"{words.DATE_ORDER_WORDS[report.dayfirst]}; {report.clinic_tz or 'not given'}",
        ),
        (
            "Used rows counting for no session",
            ", ".join(
                f"{words.EXCLUSION_LABELS.get(str(reason), str(reason))}: {count_text(n)}"
                for reason, n in excluded.items()
            )
            or "none",
        ),
        ("Patients with logs but no prescription", count_text(unprescribed)),
    ]


_SHORT_FLAGS = {
    "red_flag_note": "note to read",
    "pain_worsened": "pain worse",
    "pain_trend_up": "pain rising",
    "pain_rises_after_exercise": "pain up after exercise",
    "stopped_logging": "stopped logging",
    "low_adherence": "low adherence",
    "insufficient_baseline": "no baseline",
}


def _cohort_rows(
    summary: pd.DataFrame,
    anchors: Mapping[str, str],
    groups: Mapping[str, str],
    limit: int | None = None,
) -> list[dict[str, str]]:
    """The cohort table's rows, in the summary's order (the most urgent first), at most
    ``limit`` of them."""
    rows = []
    for row in summary.iloc[:limit].to_dict("records"):
        started = row["days_in_window"] > 0
        change = "-"
        if not pd.isna(row["pain_change"]):
            pct = row["pain_change_pct"]
            change = words.one_decimal(row["pain_change"], sign=True) + (
                "" if pd.isna(pct) else f" ({pct:+.0f} %)"
            )
        rows.append(
            {
                "patient_id": str(row["patient_id"]),
                "anchor": anchors.get(str(row["patient_id"]), ""),
                "days": count_text(row["days_in_window"]),
                "sessions": (
                    f"{words.sessions_text(row['sessions_done'])} / "
                    f"{words.sessions_text(row['sessions_prescribed'])}"
                    if started
                    else "-"
                ),
                "adherence": words.percent(row["session_adherence"]),
                "dose": words.percent(row["dose_adherence"]),
                "reported": words.percent(row["reporting_completeness"]),
                "last_log": words.day(row["last_log_date"]),
                "baseline": words.one_decimal(row["baseline_pain"]),
                "current": words.one_decimal(row["current_pain"]),
                "change": change,
                "reading": words.pain_reading_short(row),
                "group": groups.get(str(row["patient_id"]), ""),
                "flags": ", ".join(
                    _SHORT_FLAGS.get(name, name.replace("_", " "))
                    for name in str(row["flags"]).split(";")
                    if name and name != "nan"
                ),
            }
        )
    return rows


def report_html(
    analysis: Analysis,
    reading: LogReading,
    *,
    sources: Mapping[str, Any],
    actions: pd.DataFrame,
    pages: Iterable[str],
    images: Mapping[str, bytes | str],
    cohort_size_note: str = "",
    notes: pd.DataFrame | None = None,
    extra_images: Mapping[str, bytes | str] | None = None,
    warnings: Iterable[str] = (),
    printed: bool = False,
) -> str:
    """The clinic report as one self-contained HTML document.

    The screen version lists every patient. The printed version (``printed=True``, what the
    PDF is made from) lists every patient of the Call and Review groups, but at most
    :data:`PRINTED_GROUP_LINES` of each other group and :data:`PRINTED_TABLE_ROWS` rows of the
    cohort table (the most urgent first), and says how many more are in ``report.html`` and
    ``summary.csv``: a health system's thousands of patients on track are not printed. Its
    cohort table is in the action list's order, so the rows printed are the most urgent.

    Parameters
    ----------
    analysis : Analysis
        From :func:`toolkit.analysis.summary.analyse`.
    reading : LogReading
        From :func:`toolkit.logs.reading.read_logs`.
    sources : mapping
        ``logs`` (list of str), ``prescriptions`` (str) and ``routines`` (list of
        (routine id, file name)) as shown under "Data".
    actions : DataFrame
        The action list (:func:`toolkit.report.actions.action_list`).
    pages : iterable of str
        Patients given a page, in order.
    images : mapping of str to bytes or str
        PNG or JPEG charts, or their URLs: ``cohort`` and each paged patient's id (patients
        whose programme has not started have none).
    cohort_size_note : str
        Why some patients have no page, when that is so.
    notes : DataFrame, optional
        The notes behind the red-flag flags (:func:`notes_to_read`); found when not given.
    extra_images : mapping of str to bytes or str, optional
        Patient id -> PNG or JPEG of pain before and after each session, or its URL.
    warnings : iterable of str
        Sentences for the banner at the top (no usable log row...).
    printed : bool
        The version to print (lists cut as above); default the screen version.
    """
    summary = analysis.summary
    limits = analysis.thresholds  # the values quoted are those the analysis ran with
    pages = list(pages)
    anchors = {patient: patient_anchor(patient) for patient in pages}
    paged = analysis.flags[analysis.flags["patient_id"].isin(pages)]
    flags_by_patient: dict[str, list[tuple[object, object]]] = {}
    for patient, flag, date in zip(paged["patient_id"], paged["flag"], paged["date"], strict=True):
        flags_by_patient.setdefault(str(patient), []).append((flag, date))
    notes = notes_to_read(analysis, reading) if notes is None else notes
    notes_by_patient = dict(tuple(notes.groupby("patient_id", sort=False)))
    records = patient_records(analysis, notes)
    extra_images = extra_images or {}

    groups = []
    for key, heading in words.PRIORITY_GROUPS:
        members = actions[actions["group"] == heading]
        shown = members
        if printed and key not in ALWAYS_PRINTED:
            shown = members.iloc[:PRINTED_GROUP_LINES]
        groups.append(
            {
                "key": key,
                "heading": heading,
                "count": count_text(len(members)),
                "more": count_text(len(members) - len(shown)) if len(shown) < len(members) else "",
                "lines": [
                    {
                        "patient_id": str(item.patient_id),
                        "anchor": anchors.get(str(item.patient_id), ""),
                        "reason": str(item.reason),
                    }
                    for item in shown.itertuples(index=False)
                ],
            }
        )
    table = summary
    if printed:  # the rows printed are the most urgent: the action list's order
        order = {patient: rank for rank, patient in enumerate(actions["patient_id"].astype(str))}
        table = summary.iloc[summary["patient_id"].astype(str).map(order).argsort(kind="stable")]
    cohort = _cohort_rows(
        table,
        anchors,
        {str(item.patient_id): str(item.group) for item in actions.itertuples(index=False)},
        limit=PRINTED_TABLE_ROWS if printed else None,
    )
    by_id = summary.set_index("patient_id", drop=False)
    patient_pages = []
    for patient in pages:
        row = by_id.loc[patient]
        patient_notes = notes_by_patient.get(patient)
        image = images.get(patient)
        patient_pages.append(
            {
                "patient_id": patient,
                "anchor": anchors[patient],
                "image": _image_src(image) if image else None,
                "rises_image": _image_src(extra_images[patient])
                if patient in extra_images
                else None,
                "adherence": words.adherence_words(row, limits),
                "pain": words.pain_words(row, limits) if row["days_in_window"] > 0 else [],
                "flags": _flag_items(flags_by_patient.get(patient, []), records[patient], limits),
                "notes": []
                if patient_notes is None
                else [
                    {"date": words.day(n.date), "symptoms": str(n.symptoms), "text": str(n.note)}
                    for n in patient_notes.itertuples(index=False)
                ],
            }
        )
    as_of = words.day(analysis.as_of)
    css = _template("report.css.j2").render(palette=PALETTE, as_of=as_of)
    return _template("report.html.j2").render(
        css=Markup(css),
        as_of=as_of,
        today=words.day(reading.report.today),
        sources=sources,
        reading=_reading_rows(reading, analysis),
        patients=len(summary),
        not_started=int((summary["days_in_window"] == 0).sum()),
        groups=groups,
        flagged=int(analysis.summary["flags"].fillna("").astype(str).str.len().gt(0).sum()),
        warnings=list(warnings),
        cohort_chart=_image_src(images["cohort"]) if "cohort" in images else None,
        cohort=cohort,
        cohort_more=count_text(len(summary) - len(cohort)) if len(cohort) < len(summary) else "",
        cohort_size_note=cohort_size_note,
        pages=patient_pages,
        definitions=words.definitions(limits),
        adherent_at=words.percent(limits.adherent_at),
        printed=printed,
        part_mark=Markup(PART_MARK),
    )
