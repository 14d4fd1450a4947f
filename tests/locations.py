"""Where the tests find the checkout, their own data files, the sample cohort and baselines."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
TEST_DATA = TESTS / "data"
LOG_FILES = TEST_DATA / "logs"
SAMPLE = REPO / "data" / "sample"
BASELINES = TESTS / "baseline"
NOTEBOOKS = REPO / "notebooks"
