"""Dashboards drawn in parallel processes: the same PNG bytes, in the order asked for."""

from __future__ import annotations

import pytest
from locations import SAMPLE

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


def test_processes_draw_the_same_bytes_in_the_order_given(analysis):
    patients = ["P005", "P002", "P017"]
    ticks = []
    drawn = drawing._draw_in_processes(analysis, patients, 2, ticks.append)
    assert list(drawn) == patients
    assert sum(ticks) == 3
    assert drawn == drawing._dashboards(analysis, patients)
