"""Dashboards drawn in parallel processes or after one another: the same bytes, in page
order, waited for."""

from __future__ import annotations

import dataclasses

import pytest
from locations import SAMPLE
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from toolkit.analysis.summary import analyse
from toolkit.logs.prescriptions import load_routines, read_prescriptions
from toolkit.logs.reading import read_logs
from toolkit.report import drawing
from toolkit.routines.library import load_library


def test_the_parallel_drawing_defaults():
    assert drawing.PARALLEL_FROM == 8
    assert drawing.CHART_WORKERS == 4
    assert drawing.CHART_CHUNK == 10


@pytest.fixture(scope="module")
def analysis():
    logs = read_logs(SAMPLE / "logs.csv", today="2026-10-31").logs
    plan = read_prescriptions(SAMPLE / "prescriptions.csv")
    library = load_library()
    return analyse(logs, plan, load_routines(plan, library), library, "2026-10-31")


def test_processes_draw_the_same_bytes_in_the_order_given(analysis, monkeypatch):
    patients = ["P005", "P002", "P017"]
    alone = drawing._dashboards(analysis, patients)
    monkeypatch.setattr(drawing, "PARALLEL_FROM", 1)  # 3 dashboards: 2 processes on 2 cores
    with drawing.Dashboards(analysis, patients, progress=True) as dashboards:
        assert dashboards.in_processes and dashboards.patients == patients
        assert dashboards.get("P017") == alone["P017"]  # asked for out of order: waits for it
        drawn = dashboards.all()
    ticks = dashboards._bar.n  # counted when each chunk is done, at the latest on closing
    assert list(drawn) == patients and drawn == alone
    assert ticks == 3


def test_few_dashboards_are_drawn_here_when_asked_for(analysis, monkeypatch):
    calls = []
    real = drawing._dashboards
    monkeypatch.setattr(drawing, "_dashboards", lambda a, p: calls.append(p) or real(a, p))
    with drawing.Dashboards(analysis, ["P005", "P002"], progress=False) as dashboards:
        assert not dashboards.in_processes and calls == []
        dashboards.get("P002")
        assert calls == [["P002"]]
        assert list(dashboards.all()) == ["P005", "P002"] and calls == [["P002"], ["P005"]]
        with pytest.raises(KeyError):
            dashboards.get("P001")  # not asked for


def test_only_started_windows_get_a_dashboard(analysis):
    summary = analysis.summary
    waiting = "P002"  # as if the programme started after the as-of date
    days = summary["days_in_window"].where(summary["patient_id"] != waiting, 0)
    later = dataclasses.replace(analysis, summary=summary.assign(days_in_window=days))
    with drawing.Dashboards(later, ["P005", waiting], progress=False) as dashboards:
        assert dashboards.patients == ["P005"]
        with pytest.raises(KeyError):
            dashboards.get(waiting)


def test_a_dashboard_drawn_after_others_has_the_bytes_of_a_fresh_canvas(analysis, monkeypatch):
    # The renderer and its cached text measurements are kept from one chart to the next: the
    # bytes must still be those of a canvas that drew this patient alone.
    after_others = drawing._dashboards(analysis, ["P002", "P017", "P005"])["P005"]
    monkeypatch.setattr(drawing, "_KeptRendererCanvas", FigureCanvasAgg)
    alone = drawing._dashboards(analysis, ["P005"])["P005"]
    assert after_others == alone


def test_charts_of_one_size_are_drawn_by_one_renderer():
    first, second = (drawing._KeptRendererCanvas(Figure(figsize=(4, 3), dpi=100)) for _ in range(2))
    other = drawing._KeptRendererCanvas(Figure(figsize=(5, 3), dpi=100))
    assert first.get_renderer() is second.get_renderer()
    assert other.get_renderer() is not first.get_renderer()
