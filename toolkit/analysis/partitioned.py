"""The same analysis on Dask, bucket by bucket, for logs larger than one machine's memory.

Every figure of the analysis spec is per patient, and a dataset written by
:func:`toolkit.logs.dataset.write_logs_dataset` keeps each patient's rows in one bucket. So the
analysis runs :func:`~toolkit.analysis.summary.analyse` — the same code as for a clinic's CSV,
not a second implementation — on each bucket as one Dask task, with the bucket's prescriptions,
and concatenates the per-patient tables in the order the spec gives. Only two things are
global: ``as_of`` (the latest log date of all patients, found first by a Dask reduction over
the buckets) and the thresholds.

Dask is optional (``pip install hepkit[scale]``); it is imported when this runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.analysis.adherence import RoutinePlan, routine_plan
from toolkit.analysis.summary import analyse
from toolkit.analysis.window import prepare_logs, resolve_as_of
from toolkit.errors import AnalysisError
from toolkit.logs.dataset import bucket_of, dataset_buckets, read_bucket
from toolkit.routines.library import Library
from toolkit.routines.models import Routine

__all__ = ["DatasetAnalysis", "analyse_dataset", "latest_log_date"]


@dataclasses.dataclass(frozen=True)
class DatasetAnalysis:
    """The tables of a partitioned analysis (``summary``, ``weekly``, ``flags``, ``excluded``).

    The per-day detail the charts need stays with each bucket; the report draws a patient's
    charts by analysing that patient's bucket again, locally, for the few patients it shows.
    ``rows``, ``patients``, ``first_date`` and ``last_date`` describe the log rows analysed
    (every row of the dataset): counts [rows], [patients], and the first and last local dates.
    """

    as_of: pd.Timestamp
    summary: pd.DataFrame
    weekly: pd.DataFrame
    flags: pd.DataFrame
    excluded: pd.DataFrame
    buckets: int
    rows: int = 0
    patients: int = 0
    first_date: pd.Timestamp | None = None
    last_date: pd.Timestamp | None = None


def _bucket_latest(folder: str, bucket: int) -> float:
    rows = read_bucket(folder, bucket, ["patient_id", "timestamp", "date"])
    if not len(rows):
        return float("nan")
    return float(resolve_as_of(prepare_logs(rows)))


def latest_log_date(folder: str | Path, client: Any = None) -> pd.Timestamp:
    """The latest local date among every row of the dataset (the default as_of)."""
    import dask

    buckets = dataset_buckets(folder)
    tasks = [dask.delayed(_bucket_latest)(str(folder), b) for b in range(buckets)]
    days = pd.Series(_compute(tasks, client), dtype="float64").dropna()
    if days.empty:
        raise AnalysisError(
            f"{folder}: the dataset has no log rows to take the as-of date from; give the "
            "as-of date"
        )
    return pd.Timestamp(int(days.max()), unit="D")


def _analyse_bucket(
    folder: str,
    bucket: int,
    prescriptions: pd.DataFrame,
    plan: RoutinePlan,
    as_of: pd.Timestamp,
    thresholds: Mapping[str, Any],
) -> tuple[Any, ...]:
    rows = read_bucket(folder, bucket)
    result = analyse(rows, prescriptions, plan, as_of=as_of, **thresholds)
    counts = (len(rows), rows["patient_id"].nunique(), rows["date"].min(), rows["date"].max())
    return result.summary, result.weekly, result.flags, result.excluded, *counts


def _compute(tasks: list[Any], client: Any) -> list[Any]:
    import dask

    if client is None:
        return list(dask.compute(*tasks))
    return list(client.gather(client.compute(tasks)))


def analyse_dataset(
    folder: str | Path,
    prescriptions: pd.DataFrame,
    routines: Mapping[str, Routine],
    *,
    library: Library,
    as_of: object = None,
    client: Any = None,
    progress: bool = False,
    **thresholds: Any,
) -> DatasetAnalysis:
    """Analyse a logs dataset on Dask: each bucket with :func:`analyse`, the tables combined.

    Parameters
    ----------
    folder : str or Path
        A dataset written by :func:`toolkit.logs.dataset.write_logs_dataset`.
    prescriptions : DataFrame
        From :func:`toolkit.read_prescriptions`; every patient in it gets a summary row.
    routines : mapping of str to Routine
        The routine behind each id used in ``prescriptions``.
    library : Library
        For default doses.
    as_of : date-like, optional
        Default: the latest local date among all the dataset's rows.
    client : distributed.Client, optional
        Run on this cluster; default Dask's local scheduler.
    progress : bool
        Show a progress bar of buckets done (needs ``client``).
    **thresholds
        As for :func:`analyse`.

    Returns
    -------
    DatasetAnalysis
        The same ``summary``, ``weekly``, ``flags`` and ``excluded`` tables, cell for cell, as
        :func:`analyse` gives on all the rows at once.
    """
    import dask

    buckets = dataset_buckets(folder)
    day = pd.Timestamp(as_of) if as_of is not None else latest_log_date(folder, client)
    plan = routine_plan(routines, library)
    numbers = bucket_of(prescriptions["patient_id"], buckets)
    shared_plan = dask.delayed(plan, pure=True)
    tasks = [
        dask.delayed(_analyse_bucket)(
            str(folder),
            bucket,
            prescriptions[numbers == bucket].reset_index(drop=True),
            shared_plan,
            day,
            dict(thresholds),
        )
        for bucket in range(buckets)
    ]
    if client is not None and progress:
        from distributed import as_completed
        from tqdm.auto import tqdm

        futures = client.compute(tasks)
        for _ in tqdm(as_completed(futures), total=len(futures), unit="bucket"):
            pass
        parts = client.gather(futures)
    else:
        parts = _compute(tasks, client)
    summary, weekly, flag_table, excluded = (
        _combine([part[i] for part in parts]) for i in range(4)
    )
    flag_rank = {name: i for i, name in enumerate(_flag_order(flag_table))}
    firsts = pd.Series([part[6] for part in parts], dtype="datetime64[ns]").dropna()
    lasts = pd.Series([part[7] for part in parts], dtype="datetime64[ns]").dropna()
    return DatasetAnalysis(
        as_of=day,
        summary=summary.sort_values("patient_id", kind="stable", ignore_index=True),
        weekly=weekly.sort_values(["patient_id", "week_start"], kind="stable", ignore_index=True),
        flags=flag_table.assign(_rank=flag_table["flag"].map(flag_rank))
        .sort_values(["patient_id", "_rank", "date"], kind="stable", na_position="last")
        .drop(columns="_rank")
        .reset_index(drop=True),
        excluded=excluded.sort_values("patient_id", kind="stable", ignore_index=True),
        buckets=buckets,
        rows=sum(int(part[4]) for part in parts),
        patients=sum(int(part[5]) for part in parts),
        first_date=firsts.min() if len(firsts) else None,
        last_date=lasts.max() if len(lasts) else None,
    )


def _combine(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """One table from the buckets' tables; an empty bucket's table lends no dtypes."""
    filled = [table for table in tables if len(table)]
    return pd.concat(filled, ignore_index=True) if filled else tables[0]


def _flag_order(flag_table: pd.DataFrame) -> list[str]:
    from toolkit.analysis.flags import FLAGS

    return [*FLAGS, *sorted(set(flag_table["flag"]) - set(FLAGS))]
