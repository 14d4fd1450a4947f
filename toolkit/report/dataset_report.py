"""The clinic report of a logs dataset analysed on Dask, with the same files as from a CSV.

:func:`make_dataset_report` is :func:`toolkit.report.clinic_report.make_report` for a Parquet
dataset written by ``hepkit logs FILES... --to-parquet DIR``
(:func:`toolkit.logs.dataset.write_logs_dataset`), which may be larger than this machine's
memory. The cohort's tables come from :func:`toolkit.analysis.partitioned.analyse_dataset`,
bucket by bucket on a Dask cluster; the report is then written by the same
:func:`~toolkit.report.clinic_report.write_report`, so summary.csv, weekly.csv, flags.csv and
excluded.csv are the pandas path's cell for cell.

What stays local: the patient pages. They need per-day detail (calendars, daily pain) that the
cluster does not send back, so the patients given a page (:func:`paged_patients`) have their
rows read from their own buckets (:func:`~toolkit.logs.dataset.read_bucket`) and analysed again
here with :func:`~toolkit.analysis.summary.analyse`. Above
:data:`~toolkit.report.clinic_report.LARGE_COHORT` patients those are only the patients who are
not on track (with a flag, so a priority other than ``ok``), at most
:data:`~toolkit.report.clinic_report.MAX_PATIENT_PAGES` of them; a smaller cohort gets a page
for every patient, as from a CSV.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.partitioned import DatasetAnalysis, analyse_dataset
from toolkit.analysis.summary import Analysis, analyse
from toolkit.analysis.thresholds import Thresholds, with_overrides
from toolkit.logs.dataset import (
    bucket_of,
    dataset_buckets,
    read_bucket,
    read_dataset_rejects,
    read_dataset_report,
)
from toolkit.logs.prescriptions import load_routines, read_prescriptions
from toolkit.logs.reading import LogReading, empty_logs
from toolkit.report.clinic_report import (
    MAX_PATIENT_PAGES,
    PAGED_GROUPS,
    ReportResult,
    _check_folder,
    write_report,
)
from toolkit.routines.library import Library, load_library

__all__ = ["make_dataset_report", "paged_patients", "local_rows"]


def paged_patients(tables: DatasetAnalysis) -> list[str]:
    """The patients who may get a page: those not on track (the report orders and caps them).

    Their per-day detail is analysed again locally for their charts; the report itself picks
    the pages from the action list, as for a CSV.
    """
    summary = tables.summary
    paged = summary[summary["priority"].isin(PAGED_GROUPS)]
    if len(paged) > MAX_PATIENT_PAGES * 4:  # only the most severe can be paged: keep it local
        order = {group: i for i, group in enumerate(PAGED_GROUPS)}
        paged = paged.assign(_rank=paged["priority"].map(order)).sort_values("_rank", kind="stable")
        paged = paged.head(MAX_PATIENT_PAGES * 4)
    return [str(patient) for patient in paged["patient_id"]]


def local_rows(dataset: str | Path, patients: list[str]) -> pd.DataFrame:
    """Every log row of ``patients``, read from their buckets only."""
    buckets = dataset_buckets(dataset)
    chosen = set(patients)
    frames = []
    for bucket in np.unique(bucket_of(patients, buckets)):
        rows = read_bucket(dataset, int(bucket))
        frames.append(rows[rows["patient_id"].isin(chosen)])
    if not frames:
        return empty_logs()
    return pd.concat(frames, ignore_index=True)


def make_dataset_report(
    dataset: str | Path,
    prescriptions_path: str | Path,
    output_dir: str | Path,
    *,
    client: Any = None,
    routines_dir: str | Path | None = None,
    library: Library | None = None,
    as_of: object = None,
    dayfirst: bool | None = None,
    progress: bool = False,
    pdf: bool = True,
    overwrite: bool = False,
    thresholds: Thresholds | None = None,
    **overrides: Any,
) -> ReportResult:
    """Analyse a logs dataset on Dask and write the clinic report into ``output_dir``.

    Parameters
    ----------
    dataset : str or Path
        A dataset written by :func:`toolkit.logs.dataset.write_logs_dataset`.
    prescriptions_path : str or Path
        The prescriptions table (``patient_id, routine, start_date, end_date``).
    output_dir : str or Path
        Folder to write to; made when missing.
    client : distributed.Client, optional
        The cluster to analyse on; default Dask's local scheduler in this process.
    routines_dir : str or Path, optional
        Where routine ids are looked up; default the built-in routines.
    library : Library, optional
        Exercise library; default the built-in one.
    as_of : date-like, optional
        The date the figures are for; default the latest date among the dataset's rows.
    dayfirst : bool, optional
        Order of dates in the prescriptions table that are not ISO 8601.
    progress : bool
        Show a progress bar of buckets done (with ``client``) and of dashboards drawn.
    pdf : bool
        Also write ``report.pdf``.
    overwrite : bool
        Replace files of an earlier report; else an existing file stops the run before the
        analysis starts.
    thresholds : Thresholds, optional
        The analysis's thresholds; default the spec's.
    **overrides
        Fields of :class:`~toolkit.analysis.thresholds.Thresholds` by name.

    Returns
    -------
    ReportResult
        As :func:`~toolkit.report.clinic_report.make_report`; its ``analysis`` holds the whole
        cohort's tables and the per-day detail of the paged patients only, and its ``reading``
        the paged patients' rows, every reject of the dataset and the writes' reports added up.

    Raises
    ------
    LogFormatError
        ``dataset`` is not a hepkit logs dataset.
    PrescriptionTableError, InvalidDocumentError, ExportError, TypeError
        As :func:`~toolkit.report.clinic_report.make_report`.
    """
    out = Path(output_dir)
    _check_folder(out, pdf, overwrite)  # before the slow part: fail fast
    chosen = with_overrides(thresholds, overrides)
    dataset_buckets(dataset)  # refuses a folder that is not a dataset before anything else
    prescriptions = read_prescriptions(prescriptions_path, routines_dir, dayfirst=dayfirst)
    library = library if library is not None else load_library()
    routines = load_routines(prescriptions, library)
    tables = analyse_dataset(
        dataset,
        prescriptions,
        routines,
        library=library,
        as_of=as_of,
        client=client,
        progress=progress,
        thresholds=chosen,
    )
    paged = paged_patients(tables)
    rows = local_rows(dataset, paged)
    local = analyse(
        rows,
        prescriptions[prescriptions["patient_id"].isin(set(paged))].reset_index(drop=True),
        routines,
        library,
        tables.as_of,
        thresholds=chosen,
    )
    analysis: Analysis = dataclasses.replace(
        local,
        summary=tables.summary,
        weekly=tables.weekly,
        flags=tables.flags,
        excluded=tables.excluded,
    )
    report = dataclasses.replace(
        read_dataset_report(dataset),
        patients=tables.patients,
        first_date=None if tables.first_date is None else tables.first_date.date(),
        last_date=None if tables.last_date is None else tables.last_date.date(),
    )
    reading = LogReading(rows, read_dataset_rejects(dataset), report)
    return write_report(
        analysis,
        reading,
        prescriptions,
        out,
        logs_paths=[dataset],
        prescriptions_path=prescriptions_path,
        progress=progress,
        pdf=pdf,
        overwrite=overwrite,
    )
