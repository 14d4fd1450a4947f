"""Logs as a Parquet dataset on disk, partitioned by patient, for analyses past one machine.

``hepkit logs FILES... --to-parquet DIR`` reads and checks logs exactly as for a report, then
writes the used rows into ``DIR/bucket=NN/part-MMMMM.parquet`` (hive layout). A patient's rows
always land in the same bucket: :func:`bucket_of` takes a stable hash of the patient id (the
first 8 bytes of BLAKE2b, so it is the same on every machine and Python), modulo the number of
buckets fixed when the dataset was made. Every figure of the analysis is per patient, so a
bucket holds all that its patients' figures need (:mod:`toolkit.analysis.partitioned`).

Appending a new month of logs to an existing dataset keeps duplicates out: the new rows of each
bucket are compared with the rows already there by the cross-file rule of spec section 9
(:func:`~toolkit.logs.duplicates.drop_repeats_across_files`), and repeats go to the rejects.
Rejects and the reading report of each write are kept beside the data (``_rejects/``,
``_reports/``, as text to read and as JSON that :func:`read_dataset_report` adds up);
``hepkit-dataset.json`` records the layout.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import LogFormatError
from toolkit.logs.duplicates import drop_repeats_across_files
from toolkit.logs.reading import LogReading, LogReport, empty_logs
from toolkit.storage import atomic_write

__all__ = [
    "DEFAULT_BUCKETS",
    "MANIFEST",
    "DatasetWrite",
    "bucket_of",
    "bucket_folder",
    "dataset_buckets",
    "read_bucket",
    "read_dataset_rejects",
    "read_dataset_report",
    "write_logs_dataset",
]

#: Buckets of a new dataset: enough for a few hundred thousand patients per machine. [count]
DEFAULT_BUCKETS = 64

#: The file that marks a folder as a hepkit logs dataset and records its layout.
MANIFEST = "hepkit-dataset.json"

_FORMAT = 1


def bucket_of(patient_ids: pd.Series | list[str], buckets: int) -> np.ndarray:
    """The bucket number of each patient id: a stable hash modulo ``buckets``.

    >>> bucket_of(["P001", "P002", "P001"], 64).tolist()
    [15, 4, 15]
    """
    ids = pd.Series(patient_ids, dtype="str")
    codes, uniques = pd.factorize(ids)
    numbers = np.array(
        [
            int.from_bytes(hashlib.blake2b(u.encode("utf-8"), digest_size=8).digest(), "big")
            % buckets
            for u in uniques
        ],
        dtype=np.int64,
    )
    return numbers[codes] if len(numbers) else np.zeros(len(ids), dtype=np.int64)


def bucket_folder(folder: str | Path, bucket: int) -> Path:
    """The folder of one bucket (``bucket=07``)."""
    return Path(folder) / f"bucket={bucket:02d}"


def dataset_buckets(folder: str | Path) -> int:
    """The number of buckets of the dataset in ``folder``.

    Raises
    ------
    LogFormatError
        ``folder`` holds no hepkit dataset (no manifest) or a newer format.
    """
    manifest = Path(folder) / MANIFEST
    try:
        layout = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LogFormatError(
            f"{folder}: not a hepkit logs dataset (no {MANIFEST}); make one with "
            "hepkit logs FILES... --to-parquet DIR"
        ) from None
    if layout.get("format") != _FORMAT:
        raise LogFormatError(
            f"{manifest}: dataset format {layout.get('format')!r} is not one this hepkit reads "
            f"({_FORMAT})"
        )
    return int(layout["buckets"])


def read_bucket(folder: str | Path, bucket: int, columns: list[str] | None = None) -> pd.DataFrame:
    """Every log row of one bucket, in the order written (an empty table when it has none).

    ``columns`` reads only those columns (default all).
    """
    parts = sorted(bucket_folder(folder, bucket).glob("part-*.parquet"))
    if not parts:
        empty = empty_logs()
        return empty if columns is None else empty[columns]
    frames = [pd.read_parquet(part, columns=columns) for part in parts]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def read_dataset_rejects(folder: str | Path) -> pd.DataFrame:
    """Every reject line written with the dataset, in the order of the writes."""
    parts = sorted((Path(folder) / "_rejects").glob("part-*.parquet"))
    if not parts:
        return pd.DataFrame(columns=["source", "row", "column", "value", "reason"])
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)


@dataclass(frozen=True)
class DatasetWrite:
    """What one write added: rows written, duplicates of earlier rows, buckets touched."""

    folder: Path
    rows_written: int
    duplicates: int
    buckets_touched: int
    appended: bool

    def __str__(self) -> str:
        verb = "appended to" if self.appended else "wrote"
        return (
            f"{verb} {self.folder}: {self.rows_written} rows in {self.buckets_touched} buckets; "
            f"{self.duplicates} rows already in the dataset were left out (see _rejects/)"
        )


def _next_part(folder: Path) -> int:
    taken = [int(p.stem.split("-")[1]) for p in folder.glob("part-*.parquet")]
    return max(taken, default=-1) + 1


def _write_parquet(frame: pd.DataFrame, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"part-{_next_part(folder):05d}.parquet"
    buffer = frame.to_parquet(index=False)
    atomic_write(target, buffer)


def write_logs_dataset(
    reading: LogReading, folder: str | Path, *, buckets: int = DEFAULT_BUCKETS
) -> DatasetWrite:
    """Write (or append) the used rows of ``reading`` to the dataset in ``folder``.

    Parameters
    ----------
    reading : LogReading
        From :func:`toolkit.read_logs`: its rows, rejects and report.
    folder : str or Path
        The dataset. A folder without a manifest is made a new dataset of ``buckets`` buckets;
        an existing dataset keeps its own number of buckets.
    buckets : int
        Buckets of a new dataset. [count]

    Returns
    -------
    DatasetWrite
    """
    folder = Path(folder)
    appended = (folder / MANIFEST).exists()
    if appended:
        buckets = dataset_buckets(folder)
    elif folder.exists() and any(folder.iterdir()):
        raise LogFormatError(
            f"{folder}: this folder holds other files; give an empty folder or an existing "
            "hepkit logs dataset"
        )
    else:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / MANIFEST, json.dumps({"format": _FORMAT, "buckets": buckets}) + "\n")
    logs = reading.logs
    numbers = bucket_of(logs["patient_id"], buckets)
    written = duplicates = touched = 0
    repeat_lines = []
    for bucket in np.unique(numbers):
        new = logs[numbers == bucket].reset_index(drop=True)
        if appended:
            earlier = read_bucket(folder, int(bucket))
            (_, new), (_, lines) = drop_repeats_across_files(
                [earlier, new], ["entry_id", "entry_id"]
            )
            duplicates += len(lines)
            repeat_lines.append(lines)
        if len(new):
            _write_parquet(new, bucket_folder(folder, int(bucket)))
            written += len(new)
            touched += 1
    rejects = pd.concat([reading.rejects, *repeat_lines], ignore_index=True)
    if len(rejects):
        _write_parquet(rejects.astype("str"), folder / "_rejects")
    reports = folder / "_reports"
    reports.mkdir(exist_ok=True)
    number = _next_report(reports)
    atomic_write(reports / f"reading-{number:05d}.txt", f"{reading.report}\n")
    kept = dataclasses.asdict(reading.report) | {"rows_written": written, "repeats": duplicates}
    atomic_write(reports / f"reading-{number:05d}.json", json.dumps(kept, default=str) + "\n")
    return DatasetWrite(folder, written, duplicates, touched, appended)


def read_dataset_report(folder: str | Path) -> LogReport:
    """The reading reports of every write to the dataset, added up into one.

    Counts are summed; rows already in the dataset when appended count as duplicates and as
    rejected rows; ``rows_used`` is the rows written. ``patients``, ``first_date`` and
    ``last_date`` are those of the last write (a partitioned analysis knows the exact ones);
    ``today`` is the latest of the writes'.

    Raises
    ------
    LogFormatError
        ``folder`` holds no hepkit dataset, or one written without a JSON reading report.
    """
    dataset_buckets(folder)
    kept = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((Path(folder) / "_reports").glob("reading-*.json"))
    ]
    if not kept:
        raise LogFormatError(f"{folder}: the dataset keeps no reading report (_reports/*.json)")

    def total(name: str) -> int:
        return sum(int(report[name]) for report in kept)

    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    last = kept[-1]
    reasons: dict[str, int] = {}
    ignored: dict[str, tuple[str, ...]] = {}
    details: dict[str, dict[str, str]] = {}
    for report in kept:
        for code, count in report["reasons"].items():
            reasons[code] = reasons.get(code, 0) + int(count)
        ignored.update({k: tuple(v) for k, v in report["ignored_columns"].items()})
        details.update(report["details"])
    if total("repeats"):
        reasons["duplicate"] = reasons.get("duplicate", 0) + total("repeats")
    return LogReport(
        sources=tuple(dict.fromkeys(s for report in kept for s in report["sources"])),
        rows_read=total("rows_read"),
        rows_used=total("rows_written"),
        rows_rejected=total("rows_rejected") + total("repeats"),
        duplicates=total("duplicates") + total("repeats"),
        future=total("future"),
        blank_lines=total("blank_lines"),
        patients=int(last["patients"]),
        first_date=day(last["first_date"]),
        last_date=day(last["last_date"]),
        today=max(dt.date.fromisoformat(report["today"]) for report in kept),
        reasons=reasons,
        ignored_columns=ignored,
        details=details,
        dayfirst=last["dayfirst"],
        clinic_tz=last["clinic_tz"],
    )


def _next_report(folder: Path) -> int:
    taken = [int(p.stem.split("-")[1]) for p in folder.glob("reading-*.txt")]
    return max(taken, default=-1) + 1
