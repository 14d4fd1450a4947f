"""The clinic report: a cohort's logs turned into the spec's tables, charts and a readable report.

:func:`make_report` reads the logs (:func:`toolkit.logs.reading.read_logs`) and the prescriptions
(:func:`toolkit.logs.prescriptions.read_prescriptions`), loads each prescribed routine once
(:func:`toolkit.logs.prescriptions.load_routines`), runs the analysis once
(:func:`~toolkit.analysis.summary.analyse`) and writes into one folder with :func:`write_report`
(which a notebook that has analysed the logs itself calls directly):

=========================  ======================================================================
file                       what it holds
=========================  ======================================================================
summary.csv, weekly.csv,   the tables of the analysis spec, section 8 (written by
flags.csv, excluded.csv    tables.write_table): columns, order and number format as specified
rejects.csv                log rows that could not be read, one line per bad cell
charts/cohort.png          session adherence against pain change, one point per patient
charts/patient-<id>.png    one patient's dashboard, for each patient given a page (see below)
report.html                the report, self-contained: styles inline, charts as ``data:`` URIs
report.pdf                 the same report as PDF (WeasyPrint), fonts embedded
=========================  ======================================================================

:mod:`toolkit.report.page` lays out the HTML and the PDF, and :mod:`toolkit.report.words`
puts the figures into plain words. Nothing is written until everything has been computed and
drawn; then each file is written atomically. An existing file is never replaced unless
``overwrite=True``. Nothing is fetched from a network: the HTML holds everything it shows, and
the PDF renderer may only follow ``data:`` URLs.

The action list
---------------
Page 1 is the action list (:func:`toolkit.report.actions.action_list`): every patient in one
group, **Call**, **Review this week**, **Monitor**, **Ready to progress** (naming the routine
that follows the current one) or **On track**, from the summary's ``priority`` and
``ready_to_progress``, each on one line with the reason in plain words and its figure, the
most severe first within a group. :func:`attention_order` still ranks the flagged patients by
their most urgent flag (:data:`URGENCY`) for programs; the report's order is the action list's.

Who needs attention: urgency
----------------------------
A patient's urgency is that of their most urgent flag, in the order of :data:`URGENCY`:

1. ``red_flag_note`` - a note mentions a possible red-flag symptom: read it today;
2. ``pain_worsened`` - pain is clinically worse than at baseline;
3. ``pain_trend_up`` - the pain trend is clearly rising;
4. ``pain_rises_after_exercise`` - the programme itself may hurt;
5. ``stopped_logging`` - the patient may have stopped the programme;
6. ``low_adherence`` - the patient does less than prescribed;
7. ``insufficient_baseline`` - too few pain scores to judge change.

In :func:`attention_order`, patients whose most urgent flag is the same are ordered by that
flag's date, most recent first; a flag without a date comes before dated ones. Remaining ties:
more flags first, then patient id.

Patient pages
-------------
Each patient who is not on track (priority urgent, review or monitor) gets a page, in the
order of the action list, at most :data:`MAX_PATIENT_PAGES` of them; patients on track and
ready to progress are in the compact cohort table only. Each page has the patient's dashboard
(:func:`toolkit.report.charts.patient_dashboard`), a chart of pain before and after each
session for a patient whose pain rises after exercise
(:func:`toolkit.report.charts.pain_around_sessions`), the key figures in plain words
(:mod:`toolkit.report.words`), the flags with their date and figure, and the notes to read,
quoted. Pages are anchored by patient id (``#patient-P002``). Everything patients typed is
escaped: ``<script>`` shows as text.

The PDF is made from the printed version of the page (:func:`toolkit.report.page.report_html`
with ``printed=True``): each patient page fits one printed page, and for a large cohort the
long groups of the action list and the cohort table are cut, the rest counted and left to
``report.html`` and ``summary.csv``.

When no log row could be used, prescribed patients have no log row at all, or a patient's
exercise ids too often match no exercise of their routine, a banner at the top says so
(:func:`toolkit.report.banner.data_warnings`).
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.analysis.inputs import read_inputs
from toolkit.analysis.summary import Analysis, analyse
from toolkit.analysis.tables import write_table
from toolkit.analysis.thresholds import Thresholds, with_overrides
from toolkit.analysis.unmatched import unmatched_exercises
from toolkit.counts import count_text
from toolkit.errors import ExportError, LogFormatError
from toolkit.logs.reading import LogReading
from toolkit.report.actions import action_list, next_routines
from toolkit.report.banner import data_warnings, likely_fix
from toolkit.report.drawing import Chart, Dashboards, draw_cohort, draw_rises
from toolkit.report.page import notes_to_read, report_html
from toolkit.report.printing import chart_url, print_report
from toolkit.report.words import PRIORITY_GROUPS, URGENCY
from toolkit.routines.library import Library, load_library
from toolkit.storage import atomic_write, refuse_to_write_over, safe_file_stem

__all__ = [
    "URGENCY",
    "LARGE_COHORT",
    "MAX_PATIENT_PAGES",
    "TABLE_NAMES",
    "ReportResult",
    "make_report",
    "write_report",
    "attention_order",
    "pages_for",
    "chart_name",
    "data_warnings",
    "likely_fix",
    "next_routines",
    "report_html",
]

#: Above this many patients the progress bar shows (when standard error is a terminal).
#: [patients]
LARGE_COHORT = 50
#: At most this many patient pages (and dashboards) in one report. [pages]
MAX_PATIENT_PAGES = 100
#: The CSV tables written, in order.
TABLE_NAMES = ("summary", "weekly", "flags", "excluded", "rejects")

#: The action groups whose patients get a page (keys of ``words.PRIORITY_GROUPS``).
PAGED_GROUPS = ("urgent", "review", "monitor")

ATTENTION_COLUMNS = ["patient_id", "top_flag", "top_date", "flags", "flag_count"]


@dataclass(frozen=True)
class ReportResult:
    """What :func:`make_report` wrote and the figures behind it.

    Attributes
    ----------
    output_dir : Path
        The folder written to.
    files : tuple of Path
        Every file written, in the order written.
    tables : dict of str to Path
        ``summary``, ``weekly``, ``flags``, ``excluded``, ``rejects`` -> CSV file.
    charts : dict of str to Path
        ``cohort`` and each paged patient's id -> PNG file.
    html : Path
        The HTML report.
    pdf : Path or None
        The PDF report (None with ``pdf=False``).
    analysis : Analysis
        Every table of the analysis (:func:`toolkit.analysis.summary.analyse`).
    reading : LogReading
        The logs as read, their rejects and the reading report.
    prescriptions : DataFrame
        The prescriptions as read.
    attention : DataFrame
        Flagged patients in urgency order (:func:`attention_order`).
    pages : tuple of str
        Patients given a page, in page order.
    actions : DataFrame
        The action list (:func:`toolkit.report.actions.action_list`): ``group, patient_id,
        reason``, in the report's order.
    warnings : tuple of str
        What the banner at the top of the report says (:func:`data_warnings`).
    unmatched : DataFrame or None
        Exercise ids that match no exercise of the patient's routine too often
        (:func:`~toolkit.analysis.unmatched.unmatched_exercises`).
    """

    output_dir: Path
    files: tuple[Path, ...]
    tables: dict[str, Path]
    charts: dict[str, Path]
    html: Path
    pdf: Path | None
    analysis: Analysis
    reading: LogReading
    prescriptions: pd.DataFrame
    attention: pd.DataFrame
    pages: tuple[str, ...]
    actions: pd.DataFrame
    warnings: tuple[str, ...] = ()
    unmatched: pd.DataFrame | None = None

    @property
    def rejected_rows(self) -> int:
        """Log rows that could not be read (listed in ``rejects.csv``). [rows]"""
        return self.reading.report.rows_rejected


def attention_order(flags: pd.DataFrame) -> pd.DataFrame:
    """Flagged patients, most urgent first (the rule is in the module's docstring).

    Parameters
    ----------
    flags : DataFrame
        The flags table (``patient_id, flag, date, detail``).

    Returns
    -------
    DataFrame
        ``patient_id, top_flag, top_date, flags, flag_count``: the most urgent flag and its
        (latest) date, the patient's flag names in urgency order joined by ``;`` (each once),
        and the number of flag rows.
    """
    if flags.empty:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in ATTENTION_COLUMNS})
    rank = flags["flag"].map({name: i for i, name in enumerate(URGENCY)}).fillna(len(URGENCY))
    table = flags.assign(rank=rank.astype(int), date=pd.to_datetime(flags["date"]))
    top_rank = table.groupby("patient_id")["rank"].transform("min")
    is_top = table["rank"] == top_rank
    top = table[is_top].groupby("patient_id", sort=False)
    by_patient = pd.DataFrame(
        {
            "top_rank": top["rank"].min(),
            "top_flag": top["flag"].first(),
            "undated": table.loc[is_top, "date"]
            .isna()
            .groupby(table.loc[is_top, "patient_id"], sort=False)
            .any(),
            "top_date": top["date"].max(),
            "flag_count": table.groupby("patient_id").size(),
            "flags": table.sort_values("rank", kind="stable")
            .groupby("patient_id", sort=False)["flag"]
            .agg(lambda names: ";".join(dict.fromkeys(names))),
        }
    ).rename_axis("patient_id")
    ordered = by_patient.reset_index().sort_values(
        ["top_rank", "undated", "top_date", "flag_count", "patient_id"],
        ascending=[True, False, False, False, True],
        na_position="first",
        kind="stable",
        ignore_index=True,
    )
    ordered.loc[ordered["undated"], "top_date"] = pd.NaT
    return ordered[ATTENTION_COLUMNS]


def pages_for(actions: pd.DataFrame, *, limit: int = MAX_PATIENT_PAGES) -> list[str]:
    """The patients given a page, in page order: those not on track, as the action list.

    Parameters
    ----------
    actions : DataFrame
        From :func:`toolkit.report.actions.action_list` (``group, patient_id, reason``).
    limit : int
        At most this many pages. [pages]
    """
    headings = dict(PRIORITY_GROUPS)
    paged = actions[actions["group"].isin([headings[key] for key in PAGED_GROUPS])]
    return [str(patient) for patient in paged["patient_id"]][:limit]


def chart_name(patient_id: str) -> str:
    """File name of a patient's dashboard: ``patient-<id>.png``, safe for any file system.

    The id is made safe by :func:`toolkit.storage.safe_file_stem`, as the batch export's
    patient folders are, so two ids never share a file.
    """
    return f"patient-{safe_file_stem(patient_id)}.png"


# --- the whole report -----------------------------------------------------------------------


def _refuse_existing(paths: Iterable[Path], overwrite: bool) -> None:
    if overwrite:
        return
    for path in paths:
        if path.exists():
            raise ExportError(
                f"{path} already exists; nothing was written. Choose another output folder, "
                "or add --overwrite to replace the report's files"
            )


def _refuse_inputs(paths: Iterable[Path], inputs: list[str | Path]) -> None:
    """A report file must never replace one of the files it is made from."""
    try:
        refuse_to_write_over(paths, inputs, overwrite=True)
    except FileExistsError as exc:
        raise ExportError(str(exc)) from None


def _fixed_files(out: Path, pdf: bool) -> list[Path]:
    """The report's files whose names do not depend on the patients."""
    fixed = [out / f"{name}.csv" for name in TABLE_NAMES] + [out / "report.html"]
    if pdf:
        fixed.append(out / "report.pdf")
    return [*fixed, out / "charts" / "cohort.png"]


def _check_folder(out: Path, pdf: bool, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; give a folder to write the report into")
    _refuse_existing(_fixed_files(out, pdf), overwrite)


def make_report(
    logs_paths: str | Path | Iterable[str | Path],
    prescriptions_path: str | Path,
    output_dir: str | Path,
    *,
    routines_dir: str | Path | None = None,
    library: Library | None = None,
    as_of: object = None,
    today: dt.date | str | None = None,
    dayfirst: bool | None = None,
    clinic_tz: str | None = None,
    progress: bool | None = None,
    pdf: bool = True,
    overwrite: bool = False,
    thresholds: Thresholds | None = None,
    exercise_map: Mapping[str, str] | None = None,
    **overrides: Any,
) -> ReportResult:
    """Read, analyse and write the clinic report of a cohort into ``output_dir``.

    The files are those of the module's table. A notebook that has read and analysed the logs
    already passes its results to :func:`write_report` instead, which this function calls.

    Parameters
    ----------
    logs_paths : path or iterable of paths
        Log files (CSV, ``.xlsx``, Parquet, FHIR Bundle), as :func:`toolkit.logs.reading.read_logs`.
    prescriptions_path : str or Path
        The prescriptions table (``patient_id, routine, start_date, end_date``).
    output_dir : str or Path
        Folder to write to; made when missing.
    routines_dir : str or Path, optional
        Where routine ids are looked up; default the built-in routines.
    library : Library, optional
        Exercise library; default the built-in one.
    as_of : date-like, optional
        The date the figures are for; default the latest date among the used log rows.
    today : date or ISO string, optional
        Log rows dated after it are rejected as ``future``; default the day of the run.
    dayfirst : bool, optional
        Order of dates that are not ISO 8601 (True: 31/12/2026; False: 12/31/2026).
    clinic_tz : str, optional
        IANA time zone of the clinic, e.g. ``Europe/Berlin``.
    progress : bool, optional
        Show a progress bar while drawing dashboards. Default: when the cohort has more than
        :data:`LARGE_COHORT` patients and standard error is a terminal.
    pdf : bool
        Also write ``report.pdf``.
    overwrite : bool
        Replace files of an earlier report; else an existing file stops the run before
        anything is written.
    thresholds : Thresholds, optional
        The analysis's thresholds; default the spec's.
    exercise_map : mapping of str to str, optional
        The clinic's own exercise ids mapped to library ids, as :func:`read_logs` takes it.
    **overrides
        Fields of :class:`~toolkit.analysis.thresholds.Thresholds` by name
        (``adherent_at=0.7``, ``improved_points=1.5``...), put over ``thresholds``. The report
        and its charts quote the values used.

    Returns
    -------
    ReportResult

    Raises
    ------
    NotALogError, LogFormatError
        A file that is not a log, or a bad reading option.
    PrescriptionTableError
        A prescriptions table with problems (all listed).
    InvalidDocumentError
        A routine file with problems.
    ExportError
        A file of the report exists already (and ``overwrite`` is false), or ``output_dir``
        is a file.
    TypeError
        A threshold name that is not a field of ``Thresholds``.
    """
    out = Path(output_dir)
    _check_folder(out, pdf, overwrite)  # before the slow part: fail fast
    logs_given = [logs_paths] if isinstance(logs_paths, str | Path) else list(logs_paths)
    _refuse_inputs(_fixed_files(out, pdf), [*logs_given, prescriptions_path])
    chosen = with_overrides(thresholds, overrides)  # refuses an unknown name before reading

    def usable(reading: LogReading) -> None:
        if reading.report.rows_used == 0 and as_of is None:
            fix = likely_fix(reading.report.reasons)
            raise LogFormatError(
                f"no log row could be used: {count_text(reading.report.rows_read)} rows read, "
                f"{count_text(reading.report.rows_rejected)} rejected"
                + (f"; {fix}" if fix else "")
                + "; to write a report that says so anyway, give the as-of date "
                "(--as-of YYYY-MM-DD)"
            )

    inputs = read_inputs(
        logs_given,  # a generator of paths is read once, above
        prescriptions_path,
        routines_dir,
        dayfirst=dayfirst,
        clinic_tz=clinic_tz,
        today=today,
        exercise_map=exercise_map,
        library=library,
        check_logs=usable,
    )
    reading, prescriptions, library = inputs.reading, inputs.prescriptions, inputs.library
    analysis = analyse(
        reading.logs, prescriptions, inputs.routines, library, as_of, thresholds=chosen
    )
    return write_report(
        analysis,
        reading,
        prescriptions,
        out,
        library=library,
        logs_paths=logs_given,
        prescriptions_path=prescriptions_path,
        progress=progress,
        pdf=pdf,
        overwrite=overwrite,
    )


def write_report(
    analysis: Analysis,
    reading: LogReading,
    prescriptions: pd.DataFrame,
    output_dir: str | Path,
    *,
    logs_paths: Iterable[str | Path] | None = None,
    prescriptions_path: str | Path | None = None,
    progress: bool | None = None,
    pdf: bool = True,
    overwrite: bool = False,
    library: Library | None = None,
) -> ReportResult:
    """Write the clinic report of an analysis already made into ``output_dir``.

    The same files as :func:`make_report` (which reads, analyses and then calls this), for a
    notebook that has read the logs and analysed them itself: nothing is read or analysed again.

    Parameters
    ----------
    analysis : Analysis
        From :func:`toolkit.analysis.summary.analyse`.
    reading : LogReading
        The logs as read (:func:`toolkit.logs.reading.read_logs`): its rejects and reading
        report go into the report.
    prescriptions : DataFrame
        From :func:`toolkit.logs.prescriptions.read_prescriptions`, as given to ``analyse``.
    output_dir : str or Path
        Folder to write to; made when missing.
    logs_paths : iterable of paths, optional
        The log files as the report names them; default the file names of ``reading``.
    prescriptions_path : str or Path, optional
        The prescriptions file as the report names it; default ``-`` (not given).
    progress : bool, optional
        Show a progress bar while drawing dashboards (default as :func:`make_report`).
    pdf : bool
        Also write ``report.pdf``.
    overwrite : bool
        Replace files of an earlier report; else an existing file stops before anything is
        written.
    library : Library, optional
        Exercise library the routines are read with (for their ``next_routine``); default the
        built-in one.

    Returns
    -------
    ReportResult

    Raises
    ------
    ExportError
        A file of the report exists already (and ``overwrite`` is false), or ``output_dir``
        is a file.
    """
    out = Path(output_dir)
    _check_folder(out, pdf, overwrite)
    charts_dir = out / "charts"
    cohort_png = charts_dir / "cohort.png"

    attention = attention_order(analysis.flags)
    library = library if library is not None else load_library()
    notes = notes_to_read(analysis, reading)
    actions = action_list(analysis, next_routines(prescriptions, analysis.as_of, library), notes)
    pages = pages_for(actions)
    patient_pngs = {patient: charts_dir / chart_name(patient) for patient in pages}
    inputs = [*(logs_paths or []), *([prescriptions_path] if prescriptions_path else [])]
    _refuse_inputs(patient_pngs.values(), inputs)
    _refuse_existing(patient_pngs.values(), overwrite)
    if progress is None:
        progress = len(analysis.summary) > LARGE_COHORT and sys.stderr.isatty()
    unmatched = unmatched_exercises(analysis, reading.logs, library)
    warnings = data_warnings(analysis, reading, unmatched)
    content = {
        "sources": _sources(reading, prescriptions, logs_paths, prescriptions_path),
        "actions": actions,
        "pages": pages,
        "cohort_size_note": _size_note(len(pages), len(analysis.summary)),
        "notes": notes,
        "warnings": warnings,
    }
    cohort = draw_cohort(analysis, pages)
    with Dashboards(analysis, pages, progress) as dashboards:  # drawn while the PDF is laid out
        rises = draw_rises(analysis, pages)
        pdf_bytes = _printed(analysis, reading, content, cohort, dashboards, rises) if pdf else None
        drawn = dashboards.all()
    images = {"cohort": cohort.png, **{patient: chart.png for patient, chart in drawn.items()}}
    extra = {patient: chart.png for patient, chart in rises.items()}
    html = report_html(analysis, reading, **content, images=images, extra_images=extra)

    charts_dir.mkdir(parents=True, exist_ok=True)
    frames = {
        "summary": analysis.summary,
        "weekly": analysis.weekly,
        "flags": analysis.flags,
        "excluded": analysis.excluded,
        "rejects": reading.rejects,
    }
    tables = {name: write_table(frames[name], out / f"{name}.csv", name) for name in TABLE_NAMES}
    charts = {"cohort": cohort_png}
    charts.update({patient: patient_pngs[patient] for patient in images if patient != "cohort"})
    for key, path in charts.items():
        atomic_write(path, images[key])
    html_path = out / "report.html"
    atomic_write(html_path, html)
    pdf_path = None
    if pdf_bytes is not None:
        pdf_path = out / "report.pdf"
        atomic_write(pdf_path, pdf_bytes)
    written = [*tables.values(), *charts.values(), html_path]
    if pdf_path is not None:
        written.append(pdf_path)
    return ReportResult(
        output_dir=out,
        files=tuple(written),
        tables=tables,
        charts=charts,
        html=html_path,
        pdf=pdf_path,
        analysis=analysis,
        reading=reading,
        prescriptions=prescriptions,
        attention=attention,
        pages=tuple(pages),
        actions=actions,
        warnings=tuple(warnings),
        unmatched=unmatched,
    )


def _printed(
    analysis: Analysis,
    reading: LogReading,
    content: dict[str, Any],
    cohort: Chart,
    dashboards: Dashboards,
    rises: dict[str, Chart],
) -> bytes:
    """The PDF, laid out while the dashboards are drawn (:func:`print_report`), with the
    charts' JPEG copies, which WeasyPrint embeds without re-encoding them."""
    charts: list[Callable[[], Chart]] = [lambda: cohort]
    charts += [functools.partial(dashboards.get, patient) for patient in dashboards.patients]
    charts += [functools.partial(rises.__getitem__, patient) for patient in rises]
    urls = [chart_url(number) for number in range(len(charts))]
    paged = len(dashboards.patients) + 1
    html = report_html(
        analysis,
        reading,
        **content,
        images={"cohort": urls[0], **dict(zip(dashboards.patients, urls[1:paged], strict=True))},
        extra_images=dict(zip(rises, urls[paged:], strict=True)),
        printed=True,
    )
    return print_report(
        html, lambda number: charts[number]().jpeg, in_parts=dashboards.in_processes
    )


def _size_note(paged: int, patients: int) -> str:
    """Why some patients have no page, when that is so."""
    if paged == patients:
        return ""
    return (
        f"Patients on track or ready to progress have no page of their own; "
        f"{count_text(paged)} patients who need something get one"
        + (
            f" (at most {MAX_PATIENT_PAGES}, the most urgent first)"
            if paged >= MAX_PATIENT_PAGES
            else ""
        )
        + ". Every patient is in the table above and in summary.csv."
    )


def _sources(
    reading: LogReading,
    prescriptions: pd.DataFrame,
    logs_paths: Iterable[str | Path] | None,
    prescriptions_path: str | Path | None,
) -> dict[str, Any]:
    """The files the figures come from, as the report's "Data" section names them."""
    logs_named = list(reading.report.sources) if logs_paths is None else list(logs_paths)
    routine_files = dict(zip(prescriptions["routine"], prescriptions["routine_path"], strict=True))
    return {
        "logs": [str(path) for path in logs_named],
        "prescriptions": "-" if prescriptions_path is None else str(prescriptions_path),
        "routines": [(rid, Path(path).name) for rid, path in sorted(routine_files.items())],
    }
