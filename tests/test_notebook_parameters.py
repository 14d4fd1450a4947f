"""Notebook 4 runs with papermill on another clinic's files, through its parameters cell.

Its report goes into the workspace (``$HEPKIT_WORKSPACE``, here a temporary folder), and
nothing of the sample cohort shows: every file it reads is a parameter.
"""

from __future__ import annotations

import json

import papermill
import pytest
from locations import NOTEBOOKS
from report_data import write_small_cohort

NOTEBOOK = NOTEBOOKS / "04_analyse_patient_logs.ipynb"


@pytest.mark.slow
def test_analysis_notebook_runs_on_other_logs(tmp_path, monkeypatch):
    cohort = write_small_cohort(tmp_path / "clinic", bad_row=True)
    workspace = tmp_path / "workspace"
    monkeypatch.setenv("HEPKIT_WORKSPACE", str(workspace))
    out = tmp_path / "run.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={
            "logs_path": str(cohort["logs"]),
            "prescriptions_path": str(cohort["prescriptions"]),
            "as_of": cohort["as_of"],
            "messy_path": str(cohort["logs"]),
            "messy_dayfirst": False,
            "patient_id": "A1",
            "report_dir": "clinic-report",
        },
        cwd=str(NOTEBOOK.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    cells = json.loads(out.read_text())["cells"]
    text = "".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
        for c in cells
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )
    assert "rows read             24" in text  # the reading report of the small cohort
    assert "outside 0 to 10" in text  # its one bad row, among the rejects shown
    assert "P001" not in text and "logs_messy" not in text  # nothing of the sample leaked in
    report = workspace / "clinic-report"
    assert (report / "summary.csv").read_text().count("\n") == 4
    assert (report / "report.html").is_file()
