"""``hepkit logs --to-parquet`` then ``hepkit report --engine dask``: the pandas path's CSV files.

The tables are compared cell for cell (the CSV files byte for byte, which is stricter) between
``hepkit report LOGS`` and the dataset route, on the sample cohort, on hypothesis cohorts made
by the sample generator, and on a dataset written in two appends. The Dask side runs on a
module-wide local cluster of 2 worker processes, reached by ``--scheduler ADDRESS``.
Dashboards are not drawn here (a stub records who gets one): drawing is tested in
``tests/report``; what matters here is that both routes page the same patients.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from locations import SAMPLE

from toolkit.cli import cluster
from toolkit.cli.main import main
from toolkit.logs.sample import write_sample

TABLES = ("summary", "weekly", "flags", "excluded")
SAMPLE_OPTIONS = ("--as-of", "2026-10-31")
TODAY = "2026-11-30"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as local:
        yield local.scheduler_address


@pytest.fixture(autouse=True)
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Patients whose dashboard was asked for, in order; nothing is drawn."""
    asked: list[str] = []

    def record(analysis, patient, figure, **options):
        days = analysis.adherence.daily
        assert (days["patient_id"] == patient).any(), f"{patient}: no per-day detail"
        asked.append(patient)
        return figure

    monkeypatch.setattr("toolkit.report.drawing.patient_dashboard", record)
    # drawn in this process, so that the stub sees every patient (no chart worker processes)
    monkeypatch.setattr("toolkit.report.drawing.PARALLEL_FROM", 10**9)
    return asked


def pandas_report(logs: list[Path], prescriptions: Path, out: Path, *extra: str) -> int:
    files = [str(path) for path in logs]
    return main(
        ["report", *files, "--prescriptions", str(prescriptions), "--output", str(out)]
        + ["--no-pdf", "--today", TODAY, *extra]
    )


def to_parquet(logs: list[Path], dataset: Path, *extra: str) -> int:
    files = [str(path) for path in logs]
    return main(["logs", *files, "--today", TODAY, "--to-parquet", str(dataset), *extra])


def dask_report(dataset: Path, prescriptions: Path, out: Path, scheduler: str, *extra: str) -> int:
    return main(
        ["report", str(dataset), "--prescriptions", str(prescriptions), "--output", str(out)]
        + ["--no-pdf", "--engine", "dask", "--scheduler", scheduler, *extra]
    )


def same_files(expected: Path, got: Path, names: tuple[str, ...] = TABLES) -> None:
    for name in names:
        left = pd.read_csv(expected / f"{name}.csv", dtype=str, keep_default_na=False)
        right = pd.read_csv(got / f"{name}.csv", dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(left, right, obj=f"{name}.csv")
        assert (expected / f"{name}.csv").read_bytes() == (got / f"{name}.csv").read_bytes()


def test_sample_cohort_gives_the_same_files(
    tmp_path: Path, scheduler: str, drawn: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    logs, prescriptions = [SAMPLE / "logs.csv"], SAMPLE / "prescriptions.csv"
    assert pandas_report(logs, prescriptions, tmp_path / "pandas", *SAMPLE_OPTIONS) == 0
    by_pandas = list(drawn)
    assert to_parquet(logs, tmp_path / "ds", "--buckets", "16") == 0
    assert "wrote " in capsys.readouterr().out
    drawn.clear()
    assert dask_report(tmp_path / "ds", prescriptions, tmp_path / "dask", scheduler) == 0
    printed = capsys.readouterr().out
    assert "Report as of 2026-10-31: 40 patients, 31 with flags;" in printed
    same_files(tmp_path / "pandas", tmp_path / "dask", (*TABLES, "rejects"))
    assert drawn == by_pandas and len(drawn) == 31  # the patients not on track
    html = (tmp_path / "dask" / "report.html").read_text(encoding="utf-8")
    assert str(tmp_path / "ds") in html
    assert (tmp_path / "dask" / "charts" / "cohort.png").is_file()


def test_rejects_of_a_messy_export_are_kept_with_the_dataset(
    tmp_path: Path, scheduler: str
) -> None:
    logs, prescriptions = [SAMPLE / "logs_messy.csv"], SAMPLE / "prescriptions.csv"
    status = pandas_report(logs, prescriptions, tmp_path / "pandas", "--dayfirst")
    assert to_parquet(logs, tmp_path / "ds", "--dayfirst") == status == 1
    assert dask_report(tmp_path / "ds", prescriptions, tmp_path / "dask", scheduler) == 1
    same_files(tmp_path / "pandas", tmp_path / "dask", (*TABLES, "rejects"))


def test_a_dataset_written_in_two_appends_gives_the_same_files(
    tmp_path: Path, scheduler: str
) -> None:
    rows = pd.read_csv(SAMPLE / "logs.csv", dtype=str, keep_default_na=False)
    early = rows["timestamp"] < "2026-09-15"
    halves = [tmp_path / "august.csv", tmp_path / "autumn.csv"]
    rows[early].to_csv(halves[0], index=False)
    rows[~early].to_csv(halves[1], index=False)
    prescriptions = SAMPLE / "prescriptions.csv"
    assert pandas_report(halves, prescriptions, tmp_path / "pandas", *SAMPLE_OPTIONS) == 0
    assert to_parquet(halves[:1], tmp_path / "ds", "--buckets", "8") == 0
    assert to_parquet(halves[1:], tmp_path / "ds") == 0
    assert dask_report(tmp_path / "ds", prescriptions, tmp_path / "dask", scheduler) == 0
    same_files(tmp_path / "pandas", tmp_path / "dask")
    # the whole history sent again: every row is a duplicate, the figures do not move
    assert to_parquet([SAMPLE / "logs.csv"], tmp_path / "ds") == 0
    assert dask_report(tmp_path / "ds", prescriptions, tmp_path / "again", scheduler) == 1
    same_files(tmp_path / "pandas", tmp_path / "again")
    rejects = pd.read_csv(tmp_path / "again" / "rejects.csv")
    assert len(rejects) == len(rows)
    assert rejects["reason"].str.startswith("duplicate: ").all()


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    patients=st.integers(min_value=5, max_value=9),
    weeks=st.integers(min_value=2, max_value=5),
    seed=st.integers(min_value=0, max_value=2**31 - 1),
    buckets=st.sampled_from(["1", "3", "64"]),
)
def test_generated_cohorts_give_the_same_files(
    tmp_path_factory: pytest.TempPathFactory,
    scheduler: str,
    patients: int,
    weeks: int,
    seed: int,
    buckets: str,
) -> None:
    folder = tmp_path_factory.mktemp("cohort")
    files = write_sample(folder / "in", patients=patients, weeks=weeks, seed=seed)
    logs, prescriptions = [files["logs"]], files["prescriptions"]
    assert pandas_report(logs, prescriptions, folder / "pandas") == 0
    assert to_parquet(logs, folder / "ds", "--buckets", buckets) == 0
    assert dask_report(folder / "ds", prescriptions, folder / "dask", scheduler) == 0
    same_files(folder / "pandas", folder / "dask")


def test_a_local_cluster_is_sized_to_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    options = cluster.local_cluster_options()
    assert options["n_workers"] == os.cpu_count()
    assert (options["threads_per_worker"], options["host"]) == (1, "127.0.0.1")
    monkeypatch.setattr(cluster.importlib.util, "find_spec", lambda name: None)
    assert cluster.local_cluster_options(3)["dashboard_address"] is None
    assert cluster.dashboard_link(object(), None) is None
    monkeypatch.setattr(cluster.importlib.util, "find_spec", lambda name: object())
    assert cluster.local_cluster_options()["dashboard_address"] == "127.0.0.1:8787"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["a", "b", "--engine", "dask"], r"--engine dask reads one logs dataset, not 2 paths"),
        (["a", "--engine", "dask", "--today", TODAY], r"--today and --clinic-tz apply when"),
        (["a", "--scheduler", "tcp://127.0.0.1:1"], r"--scheduler needs --engine dask"),
    ],
)
def test_dask_options_that_do_not_fit_are_refused(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given_argv = ["report", *argv, "--prescriptions", "p.csv", "--output", str(tmp_path / "o")]
    assert main(given_argv) == 2
    assert re.search(message, capsys.readouterr().err)


def test_a_folder_that_is_not_a_dataset_is_refused(
    tmp_path: Path, scheduler: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = dask_report(tmp_path, SAMPLE / "prescriptions.csv", tmp_path / "out", scheduler)
    assert status == 2
    assert "not a hepkit logs dataset (no hepkit-dataset.json)" in capsys.readouterr().err


def test_buckets_without_a_dataset_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", str(SAMPLE / "logs.csv"), "--buckets", "8"]) == 2
    assert "--buckets takes a whole number of 1 or more, with --to-parquet" in (
        capsys.readouterr().err
    )
