"""The report's charts: the cohort chart, each paged patient's dashboard and the
pain-around-sessions chart of patients whose pain rises after exercise, each encoded as PNG (the
files and the screen page) and JPEG (the printed PDF; see :class:`Chart`).

Dashboards are the slowest step of a large report (matplotlib draws each in about 0.3 s of CPU),
so from :data:`PARALLEL_FROM` of them on they are drawn by forked processes
(:func:`_draw_in_processes`), which inherit the analysis instead of receiving it through a pipe;
the bytes are the same as drawn in one process.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from tqdm import tqdm

from toolkit.analysis.summary import Analysis
from toolkit.report.charts import (
    NO_HEADLINE_HEIGHT,
    pain_around_sessions,
    patient_dashboard,
)
from toolkit.report.cohort_chart import cohort_overview

__all__ = [
    "CHART_DPI",
    "PNG_COMPRESSION",
    "PRINT_JPEG_QUALITY",
    "Chart",
    "PARALLEL_FROM",
    "CHART_WORKERS",
    "CHART_CHUNK",
    "draw_charts",
    "draw_rises",
]

#: Resolution of the PNG charts. [dots per inch]
CHART_DPI = 100


#: zlib level of the PNG files: charts of flat colours come out as small at 1 as at the
#: default 6, and faster.
PNG_COMPRESSION = 1
#: JPEG quality of the charts in the printed PDF (colours kept at full resolution). [1-95]
PRINT_JPEG_QUALITY = 90


@dataclass(frozen=True)
class Chart:
    """One chart, encoded twice from the same pixels.

    ``png`` is the file in ``charts/`` and the screen page's image; ``jpeg`` is the printed
    PDF's: WeasyPrint embeds a JPEG as it is, but decodes and re-encodes every PNG, which was
    a fifth of the PDF's time.
    """

    png: bytes
    jpeg: bytes


def _encoded(figure: Figure) -> Chart:
    """The figure at :data:`CHART_DPI` as RGB PNG and JPEG (it is opaque: no alpha channel,
    which WeasyPrint would re-encode as a second image)."""
    figure.set_dpi(CHART_DPI)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    size = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", size, canvas.buffer_rgba()).convert("RGB")
    png, jpeg = io.BytesIO(), io.BytesIO()
    image.save(png, format="PNG", compress_level=PNG_COMPRESSION)
    image.save(jpeg, format="JPEG", quality=PRINT_JPEG_QUALITY, subsampling=0)
    return Chart(png.getvalue(), jpeg.getvalue())


def draw_charts(analysis: Analysis, pages: list[str], progress: bool) -> dict[str, Chart]:
    """The cohort chart and each paged patient's dashboard (key ``cohort`` or the patient id).

    From :data:`PARALLEL_FROM` dashboards on, they are drawn by up to :data:`CHART_WORKERS`
    processes, in chunks of patients (see :func:`_draw_in_processes`); the bytes are the same
    as drawn here.
    """
    figure = Figure(figsize=(8, 5.5), layout="constrained")
    cohort_overview(
        analysis.summary,
        figure.add_subplot(),
        adherent_at=analysis.thresholds.adherent_at,
        improved_points=analysis.thresholds.improved_points,
        order=pages,
    )
    images = {"cohort": _encoded(figure)}
    started = set(analysis.summary.loc[analysis.summary["days_in_window"] > 0, "patient_id"])
    drawn = [patient for patient in pages if patient in started]
    bar = tqdm(total=len(drawn), desc="Drawing dashboards", unit="patient", disable=not progress)
    with bar:
        workers = min(CHART_WORKERS, os.cpu_count() or 1, len(drawn) // PARALLEL_FROM)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            images.update(_draw_in_processes(analysis, drawn, workers, bar.update))
        else:
            for patient in drawn:
                images.update(_dashboards(analysis, [patient]))
                bar.update(1)
    return images


#: Dashboards are drawn in parallel processes from this many on (below it, starting the
#: processes costs more than it saves). [dashboards]
PARALLEL_FROM = 8
#: At most this many processes draw dashboards. [processes]
CHART_WORKERS = 4
#: Each process is given its patients in chunks of about this many. [dashboards]
CHART_CHUNK = 10

_SHARED: dict[str, Analysis] = {}


def _dashboards(analysis: Analysis, patients: list[str]) -> dict[str, Chart]:
    out = {}
    for patient in patients:
        # The page says the key figures in words: the dashboard is drawn without them.
        figure = Figure(figsize=(11.7, NO_HEADLINE_HEIGHT))  # it sets its own margins
        out[patient] = _encoded(patient_dashboard(analysis, patient, figure, headline=False))
    return out


def _share(analysis: Analysis) -> None:
    _SHARED["analysis"] = analysis


def _dashboards_shared(patients: list[str]) -> dict[str, Chart]:
    return _dashboards(_SHARED["analysis"], patients)


def _draw_in_processes(
    analysis: Analysis, patients: list[str], workers: int, done: Any
) -> dict[str, Chart]:
    """Dashboards drawn by ``workers`` forked processes, in chunks, in the order given.

    The processes are forked, so each inherits the analysis without copying it through a pipe;
    only the patient ids go out and the encoded charts come back.
    """
    chunk = max(1, min(CHART_CHUNK, len(patients) // (workers * 2) or 1))
    chunks = [patients[i : i + chunk] for i in range(0, len(patients), chunk)]
    found: dict[str, Chart] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_share, initargs=(analysis,)
    ) as pool:
        futures = [pool.submit(_dashboards_shared, part) for part in chunks]
        for future in as_completed(futures):
            drawn = future.result()
            found.update(drawn)
            done(len(drawn))
    return {patient: found[patient] for patient in patients}


def draw_rises(analysis: Analysis, pages: list[str]) -> dict[str, Chart]:
    """Pain before and after each session, for each paged patient so flagged."""
    rising = analysis.flags.loc[analysis.flags["flag"] == "pain_rises_after_exercise"]
    chosen = [patient for patient in pages if patient in set(rising["patient_id"])]
    sessions = analysis.pain.sessions
    images = {}
    for patient in chosen:
        figure = Figure(figsize=(8, 3.2))
        # Fixed margins, the legend on the right: a layout engine would measure every label.
        figure.subplots_adjust(left=0.08, right=0.7, top=0.9, bottom=0.1)
        pain_around_sessions(
            sessions[sessions["patient_id"] == patient],
            figure.add_subplot(),
            rise_points=analysis.thresholds.rise_points,
        )
        images[patient] = _encoded(figure)
    return images
