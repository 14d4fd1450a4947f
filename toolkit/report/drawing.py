"""The report's charts: the cohort chart, each paged patient's dashboard and the
pain-around-sessions chart of patients whose pain rises after exercise, each encoded as PNG (the
files and the screen page) and JPEG (the printed PDF; see :class:`Chart`).

Dashboards are the slowest step of a large report (matplotlib draws each in about 0.2 s of CPU),
so from :data:`PARALLEL_FROM` of them on they are drawn by forked processes
(:class:`Dashboards`) while the report lays out its printed pages; the bytes are the same as
drawn in one process.
"""

from __future__ import annotations

import functools
import io
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
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
    "Dashboards",
    "PARALLEL_FROM",
    "CHART_WORKERS",
    "CHART_CHUNK",
    "draw_cohort",
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


class _KeptRendererCanvas(FigureCanvasAgg):
    """An Agg canvas that draws with one renderer per pixel size and dpi, kept for the life of
    the thread (a renderer is not shared between threads).

    Matplotlib caches the measured size of every text by renderer; a new canvas per chart meant
    a new renderer, so each dashboard measured its tick labels, legend entries and axis labels
    afresh although most are the same from one patient to the next. The renderer is cleared
    before each drawing, so the pixels are those of a new one.
    """

    def get_renderer(self) -> RendererAgg:
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        kept: dict[tuple[int, int, float], RendererAgg] = _KEPT.__dict__.setdefault("by_size", {})
        if key not in kept:
            kept[key] = RendererAgg(width, height, self.figure.dpi)
        self.renderer = kept[key]
        return self.renderer


_KEPT = threading.local()  # by_size: this thread's renderers (see _KeptRendererCanvas)


def _encoded(figure: Figure) -> Chart:
    """The figure at :data:`CHART_DPI` as RGB PNG and JPEG (it is opaque: no alpha channel,
    which WeasyPrint would re-encode as a second image)."""
    figure.set_dpi(CHART_DPI)
    canvas = _KeptRendererCanvas(figure)
    canvas.draw()
    size = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", size, canvas.buffer_rgba()).convert("RGB")
    png, jpeg = io.BytesIO(), io.BytesIO()
    image.save(png, format="PNG", compress_level=PNG_COMPRESSION)
    image.save(jpeg, format="JPEG", quality=PRINT_JPEG_QUALITY, subsampling=0)
    return Chart(png.getvalue(), jpeg.getvalue())


def draw_cohort(analysis: Analysis, pages: list[str]) -> Chart:
    """The cohort chart, naming the patients to call or review in page order."""
    figure = Figure(figsize=(8, 5.5), layout="constrained")
    cohort_overview(
        analysis.summary,
        figure.add_subplot(),
        adherent_at=analysis.thresholds.adherent_at,
        improved_points=analysis.thresholds.improved_points,
        order=pages,
    )
    return _encoded(figure)


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


class Dashboards:
    """The paged patients' dashboards, being drawn while the caller goes on.

    Only patients whose window has started have one (:attr:`patients`, in page order). From
    :data:`PARALLEL_FROM` of them on, up to :data:`CHART_WORKERS` forked processes start
    drawing them at once, in chunks of patients in page order (:attr:`in_processes`); the
    processes inherit the analysis instead of receiving it through a pipe, and only the
    encoded charts come back. Meanwhile the report lays out its printed pages, asking for
    each dashboard with :meth:`get` as it comes to it. With fewer dashboards they are drawn
    here, when first asked for. The bytes are the same either way.

    Use it as a context manager: leaving it stops the processes.
    """

    def __init__(self, analysis: Analysis, pages: list[str], progress: bool) -> None:
        summary = analysis.summary
        started = set(summary.loc[summary["days_in_window"] > 0, "patient_id"])
        self.patients = [patient for patient in pages if patient in started]
        self._analysis = analysis
        self._drawn: dict[str, Chart] = {}
        self._bar = tqdm(
            desc="Drawing dashboards",
            total=len(self.patients),
            unit="patient",
            disable=not progress,
        )
        workers = min(CHART_WORKERS, os.cpu_count() or 1, len(self.patients) // PARALLEL_FROM)
        self.in_processes = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[str, Future[dict[str, Chart]]] = {}
        if self.in_processes:
            self._start(workers)

    def _start(self, workers: int) -> None:
        chunk = max(1, min(CHART_CHUNK, len(self.patients) // (workers * 2) or 1))
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_share,
            initargs=(self._analysis,),
        )
        for i in range(0, len(self.patients), chunk):
            part = self.patients[i : i + chunk]
            future = self._pool.submit(_dashboards_shared, part)
            future.add_done_callback(functools.partial(self._done, len(part)))
            self._futures.update(dict.fromkeys(part, future))

    def _done(self, size: int, _: object) -> None:
        self._bar.update(size)

    def get(self, patient: str) -> Chart:
        """The patient's dashboard, waiting for it if it is still being drawn.

        Raises
        ------
        KeyError
            The patient has no dashboard (not paged, or their window has not started).
        """
        if patient not in self._drawn:
            if patient in self._futures:
                self._drawn.update(self._futures[patient].result())
            elif patient in self.patients:
                self._drawn.update(_dashboards(self._analysis, [patient]))
                self._bar.update(1)
            else:
                raise KeyError(patient)
        return self._drawn[patient]

    def all(self) -> dict[str, Chart]:
        """Every dashboard, in page order (waiting for those still being drawn)."""
        return {patient: self.get(patient) for patient in self.patients}

    def close(self) -> None:
        """Stop the processes (those not started are cancelled) and the progress bar."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._bar.close()

    def __enter__(self) -> Dashboards:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
