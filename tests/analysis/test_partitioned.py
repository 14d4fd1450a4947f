"""The Dask route gives the pandas route's tables cell for cell: sample, appends, hypothesis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from locations import SAMPLE

from toolkit.analysis.partitioned import analyse_dataset, latest_log_date
from toolkit.analysis.summary import analyse
from toolkit.errors import LogFormatError
from toolkit.logs.dataset import (
    MANIFEST,
    bucket_of,
    dataset_buckets,
    read_dataset_rejects,
    write_logs_dataset,
)
from toolkit.logs.prescriptions import load_routines, read_prescriptions
from toolkit.logs.reading import read_logs

TABLES = ("summary", "weekly", "flags", "excluded")
TODAY = "2026-11-30"


@pytest.fixture(scope="module")
def sample() -> tuple:
    reading = read_logs(SAMPLE / "logs.csv", today=TODAY)
    prescriptions = read_prescriptions(SAMPLE / "prescriptions.csv")
    return reading, prescriptions, load_routines(prescriptions)


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


def _same_tables(expected: object, got: object) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(expected, name), getattr(got, name), obj=name)


def test_buckets_are_stable_and_in_range() -> None:
    assert bucket_of(["P001", "P002", "P001"], 64).tolist() == [15, 4, 15]
    assert bucket_of([], 64).tolist() == []
    assert set(bucket_of([f"P{i}" for i in range(500)], 8)) == set(range(8))


def test_sample_on_a_two_worker_cluster_equals_pandas(
    sample: tuple, client: object, tmp_path: Path, library
) -> None:
    reading, prescriptions, routines = sample
    write_logs_dataset(reading, tmp_path / "ds", buckets=16)
    expected = analyse(reading.logs, prescriptions, routines, library)
    got = analyse_dataset(tmp_path / "ds", prescriptions, routines, library=library, client=client)
    assert got.as_of == expected.as_of == latest_log_date(tmp_path / "ds", client)
    _same_tables(expected, got)


def test_a_dataset_written_in_two_appends_equals_pandas(
    sample: tuple, tmp_path: Path, library
) -> None:
    reading, prescriptions, routines = sample
    logs = reading.logs
    cut = logs["date"] < pd.Timestamp("2026-09-15")
    first = type(reading)(logs[cut].reset_index(drop=True), reading.rejects, reading.report)
    second = type(reading)(logs[~cut].reset_index(drop=True), reading.rejects[:0], reading.report)
    write_logs_dataset(first, tmp_path / "ds", buckets=8)
    added = write_logs_dataset(second, tmp_path / "ds")
    assert added.appended and added.duplicates == 0
    expected = analyse(logs, prescriptions, routines, library, as_of="2026-10-31")
    got = analyse_dataset(
        tmp_path / "ds", prescriptions, routines, library=library, as_of="2026-10-31"
    )
    _same_tables(expected, got)


def test_sending_the_whole_history_again_adds_nothing(
    sample: tuple, tmp_path: Path, library
) -> None:
    reading, prescriptions, routines = sample
    write_logs_dataset(reading, tmp_path / "ds", buckets=8)
    again = write_logs_dataset(reading, tmp_path / "ds")
    assert (again.rows_written, again.duplicates) == (0, len(reading.logs))
    rejects = read_dataset_rejects(tmp_path / "ds")
    assert rejects["reason"].str.startswith("duplicate: ").sum() == len(reading.logs)
    expected = analyse(reading.logs, prescriptions, routines, library, as_of="2026-10-31")
    got = analyse_dataset(
        tmp_path / "ds", prescriptions, routines, library=library, as_of="2026-10-31"
    )
    _same_tables(expected, got)


def test_folders_that_are_not_datasets_are_refused(tmp_path: Path, sample: tuple) -> None:
    with pytest.raises(
        LogFormatError, match=r"not a hepkit logs dataset \(no hepkit-dataset.json\)"
    ):
        dataset_buckets(tmp_path)
    (tmp_path / "other.txt").write_text("x")
    with pytest.raises(
        LogFormatError, match=r"this folder holds other files; give an empty folder"
    ):
        write_logs_dataset(sample[0], tmp_path)
    assert (tmp_path / "other.txt").read_text() == "x"
    assert not (tmp_path / MANIFEST).exists()
