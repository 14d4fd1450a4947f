"""Fixtures shared by the report tests."""

from __future__ import annotations

import pytest
from locations import SAMPLE

from toolkit.report.clinic_report import make_report


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory):
    """The report of the 40-patient sample cohort as of 2026-10-31 (made 2026-11-30), made once
    for the session (2 Call, 7 Review, 22 Monitor, 9 On track); no test may write into it."""
    out = tmp_path_factory.mktemp("sample") / "report"
    return make_report(
        SAMPLE / "logs.csv",
        SAMPLE / "prescriptions.csv",
        out,
        as_of="2026-10-31",
        today="2026-11-30",
        progress=False,
    )
