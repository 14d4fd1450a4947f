"""The files of an analysis read together: what one after the other reads, errors in the same
order, the analysis imported while the logs parse."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from locations import REPO, SAMPLE

from toolkit.analysis.inputs import read_inputs
from toolkit.errors import LogFormatError, NotALogError, PrescriptionTableError
from toolkit.logs.prescriptions import load_routines, read_prescriptions
from toolkit.logs.reading import read_logs
from toolkit.routines.library import load_library

LOGS, PLAN = SAMPLE / "logs.csv", SAMPLE / "prescriptions.csv"


def test_the_same_as_reading_one_after_the_other():
    inputs = read_inputs(LOGS, PLAN, today="2026-10-31")
    reading = read_logs(LOGS, today="2026-10-31")
    plan = read_prescriptions(PLAN)
    library = load_library()
    pd.testing.assert_frame_equal(inputs.reading.logs, reading.logs)
    pd.testing.assert_frame_equal(inputs.reading.rejects, reading.rejects)
    assert inputs.reading.report == reading.report
    pd.testing.assert_frame_equal(inputs.prescriptions, plan)
    assert inputs.routines == load_routines(plan, library)
    assert list(inputs.library) == list(library)


def test_a_library_given_is_the_one_used():
    library = load_library()
    assert read_inputs(LOGS, PLAN, today="2026-10-31", library=library).library is library


def test_the_logs_error_comes_first(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(NotALogError, match=r"empty\.csv: the file is empty"):
        read_inputs(empty, tmp_path / "nowhere.csv")


def test_the_check_of_the_logs_comes_before_the_prescriptions(tmp_path):
    def refuse(reading):
        raise LogFormatError(f"refused {reading.report.rows_used} rows")

    with pytest.raises(LogFormatError, match=r"^refused \d+ rows$"):
        read_inputs(LOGS, tmp_path / "nowhere.csv", today="2026-10-31", check_logs=refuse)


def test_a_prescriptions_error_is_raised_after_good_logs(tmp_path):
    with pytest.raises(
        PrescriptionTableError, match=r"nowhere\.csv: 1 problem in the prescriptions"
    ):
        read_inputs(LOGS, tmp_path / "nowhere.csv", today="2026-10-31")


def test_the_analysis_is_imported_while_the_logs_are_read():
    # In a fresh process: the routine models (pydantic) and the analysis (scipy) are imported
    # by the second thread while the logs parse, not before, and not after by the command.
    modules = ("toolkit.analysis.summary", "scipy.special", "pydantic", "toolkit.routines.models")
    code = (
        "import sys\n"
        f"modules = {modules!r}\n"
        "from toolkit.analysis.inputs import read_inputs\n"
        "before = tuple(name in sys.modules for name in modules)\n"
        f"read_inputs({str(LOGS)!r}, {str(PLAN)!r}, today='2026-10-31')\n"
        "after = tuple(name in sys.modules for name in modules)\n"
        "print(before, after)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip() == f"{(False,) * 4} {(True,) * 4}"
