"""The chart and the HTML report of one patient, from an analysis already made.

Goal (issue 6): the dashboard PNG and the HTML report page of one patient under 1 s. Measured
on the sample cohort (40 patients, 12 weeks) for the first patient to call: the dashboard
drawn and saved as PNG, the HTML report holding that patient's page (with the action list and
the cohort table of all 40), and the two together. Medians over repeats, after one warm-up
run (which pays for imports, fonts and compiling the template).
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from toolkit.analysis.summary import analyse
from toolkit.logs.prescriptions import load_routines, read_prescriptions
from toolkit.logs.reading import read_logs
from toolkit.report.actions import action_list
from toolkit.report.charts import patient_dashboard
from toolkit.report.drawing import CHART_DPI
from toolkit.report.page import report_html
from toolkit.routines.library import load_library

GOAL_MS = 1000.0
REPEATS = 7


def timed(action: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    """Wall time of each of ``repeats`` calls, after one warm-up call. [ms]"""
    action()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    reading = read_logs(sample / "logs.csv", today="2026-11-30")
    prescriptions = read_prescriptions(sample / "prescriptions.csv")
    library = load_library()
    analysis = analyse(
        reading.logs,
        prescriptions,
        load_routines(prescriptions, library),
        library,
        as_of="2026-10-31",
    )
    actions = action_list(analysis, prescriptions=prescriptions, library=library)
    patient = str(actions["patient_id"].iloc[0])  # the first to call
    sources = {"logs": ["logs.csv"], "prescriptions": "prescriptions.csv", "routines": []}

    def chart() -> bytes:
        figure = Figure(figsize=(11.7, 8.3))  # the dashboard sets its own margins
        buffer = io.BytesIO()
        patient_dashboard(analysis, patient, figure).savefig(buffer, format="png", dpi=CHART_DPI)
        return buffer.getvalue()

    png = chart()

    def html(image: bytes = png) -> str:
        return report_html(
            analysis,
            reading,
            sources=sources,
            actions=actions,
            pages=[patient],
            images={patient: image},
        )

    rows = [
        (f"dashboard PNG of {patient} ({CHART_DPI} dpi)", timed(chart), None),
        ("HTML report, one patient page", timed(html), None),
        ("both: chart + HTML for one patient", timed(lambda: html(chart())), GOAL_MS),
    ]
    print("| measure | median [ms] | min-max [ms] | goal [ms] |")
    print("|---|---|---|---|")
    for name, samples, goal in rows:
        median = statistics.median(samples)
        verdict = "" if goal is None else f"< {goal:.0f} ({'met' if median < goal else 'NOT met'})"
        print(f"| {name} | {median:.0f} | {min(samples):.0f}-{max(samples):.0f} | {verdict} |")


if __name__ == "__main__":
    main()
