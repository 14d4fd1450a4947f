"""Reading patients' exercise logs into one canonical table, with every unused row explained.

:func:`read_logs` reads CSV (comma, semicolon, tab; UTF-8, UTF-8 with BOM, UTF-16, Windows-1252),
Excel ``.xlsx``, Parquet and FHIR Bundles (see :mod:`toolkit.logs.formats`), maps the column
names (:mod:`toolkit.logs.columns`), reads every cell (:mod:`toolkit.logs.values`), and then, per
file, rejects rows dated after ``today`` and duplicates (analysis spec, section 9;
:mod:`toolkit.logs.duplicates`).

The ``logs`` frame has one row per used log row, in file order, with these columns:

==============  ================  ==========================================================
column          dtype             meaning
==============  ================  ==========================================================
patient_id      str               as written, surrounding spaces removed
timestamp       datetime64[us]    local wall-clock time; midnight when only a date was given
exercise_id     str               NaN: the row is a whole session
completed       bool              blank was read as True
sets_done       Int64             sets done [count]
reps_done       Int64             reps, holds or breaths per set [count]
duration_s      Float64           seconds per set [s]
side            str               ``left``, ``right``, ``both``; NaN means both
pain_before     Int64             NRS 0-10 before the session [points]
pain_after      Int64             NRS 0-10 after the session [points]
notes           str               the patient's text
entry_id        str               the source's own id
date            datetime64[us]    the local date (midnight), spec section 1
has_time        bool              the source gave a time of day
utc_offset_min  Int64             UTC offset of ``timestamp`` where known [min]
source          str               file name
row             int64             spreadsheet row number (header = row 1)
==============  ================  ==========================================================

Missing values are ``NaN`` in ``str`` columns and ``<NA>`` in nullable numbers. "Local" means
as written when no clinic zone is given, else in the clinic's zone (spec section 1).

The ``rejects`` frame has the columns ``source, row, column, value, reason``: one line per bad
cell (a row with a bad cell is rejected whole), ``column`` being the canonical column name
(``pain_before``, not the file's ``Pain (0-10)``; empty for a whole-row problem) and ``value``
the cell as written. ``reason`` starts with a code: ``missing``, ``invalid``, ``date_order``,
``future`` or ``duplicate`` (members of :class:`toolkit.errors.Reason`, the codes the
prescriptions reader uses too).
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from toolkit.counts import count_text
from toolkit.errors import LogFormatError
from toolkit.logs import values as lv
from toolkit.logs.columns import CANONICAL_COLUMNS, ColumnMap, map_columns
from toolkit.logs.duplicates import drop_duplicates, drop_repeats_across_files
from toolkit.logs.exercise_map import map_exercise_ids
from toolkit.logs.formats import RawTable, read_raw

__all__ = [
    "LOG_COLUMNS",
    "REJECT_COLUMNS",
    "LogReading",
    "LogReport",
    "read_logs",
    "empty_logs",
]

#: Columns of the ``logs`` frame, in order.
LOG_COLUMNS = (
    *CANONICAL_COLUMNS,
    "date",
    "has_time",
    "utc_offset_min",
    "source",
    "row",
)
#: Columns of the ``rejects`` frame, in order.
REJECT_COLUMNS = ("source", "row", "column", "value", "reason")


@dataclass(frozen=True)
class LogReport:
    """What reading the logs found, for a clinic checking an export before analysing it.

    Row counts leave out blank lines. ``reasons`` counts rejected rows by the code that starts
    each reason (a row with two bad cells of different kinds counts under both).
    """

    sources: tuple[str, ...]
    rows_read: int
    rows_used: int
    rows_rejected: int
    duplicates: int
    future: int
    blank_lines: int
    patients: int
    first_date: dt.date | None
    last_date: dt.date | None
    today: dt.date
    reasons: dict[str, int] = field(default_factory=dict)
    ignored_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    details: dict[str, dict[str, str]] = field(default_factory=dict)
    dayfirst: bool | None = None
    clinic_tz: str | None = None

    def __str__(self) -> str:
        files = ", ".join(self.sources)
        lines = [f"Read {len(self.sources)} file{'s' if len(self.sources) != 1 else ''}: {files}"]
        for source, how in self.details.items():
            if how:
                lines.append(f"  {source}: " + ", ".join(f"{k} {v}" for k, v in how.items()))
        lines.append(
            f"  rows read      {count_text(self.rows_read):>9}  "
            f"(blank lines skipped: {count_text(self.blank_lines)})"
        )
        lines.append(f"  rows used      {count_text(self.rows_used):>9}")
        why = ", ".join(f"{code} {count_text(n)}" for code, n in sorted(self.reasons.items()))
        rejected = count_text(self.rows_rejected)
        lines.append(f"  rows rejected  {rejected:>9}" + (f"  ({why})" if why else ""))
        lines.append(f"  duplicates     {count_text(self.duplicates):>9}")
        future = count_text(self.future)
        lines.append(f"  future rows    {future:>9}  (dated after today, {self.today})")
        lines.append(f"  patients       {count_text(self.patients):>9}")
        span = f"{self.first_date} to {self.last_date}" if self.first_date else "none"
        lines.append(f"  dates          {span}")
        order = {None: "ISO 8601 only", True: "day first", False: "month first"}[self.dayfirst]
        lines.append(f"  date order     {order}; clinic time zone {self.clinic_tz or 'not given'}")
        for source, names in self.ignored_columns.items():
            if names:
                lines.append(f"  {source}: columns ignored: " + ", ".join(names))
        return "\n".join(lines)


@dataclass(frozen=True)
class LogReading:
    """The result of :func:`read_logs`; unpacks as ``logs, rejects, report = read_logs(...)``."""

    logs: pd.DataFrame
    rejects: pd.DataFrame
    report: LogReport

    def __iter__(self) -> Iterator[Any]:
        return iter((self.logs, self.rejects, self.report))


def read_logs(
    paths: str | Path | Iterable[str | Path],
    *,
    dayfirst: bool | None = None,
    clinic_tz: str | None = None,
    today: dt.date | str | None = None,
    mapping: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
    exercise_map: Mapping[str, str] | None = None,
) -> LogReading:
    """Read one or more log files into the canonical table, rejects and a report.

    Parameters
    ----------
    paths : path or iterable of paths
        CSV, ``.xlsx``, Parquet or FHIR Bundle files, in any mix.
    dayfirst : bool, optional
        The order of dates that are not ISO 8601: True for 31/12/2026, False for 12/31/2026.
        None (the default): such dates are rejected with reason ``date_order``.
    clinic_tz : str, optional
        IANA time zone of the clinic, e.g. ``Europe/Berlin``; timestamps with an offset are
        converted to it and naive ones are taken as clinic-local.
    today : date or ISO string, optional
        Rows dated after it are rejected as ``future``. Default: the day of the run (in the
        clinic's zone when given).
    mapping : mapping of str to str, optional
        The clinic's own column names: ``{"their header": "canonical name"}``.
    max_bytes : int, optional
        The largest file taken; default :data:`toolkit.logs.formats.MAX_INPUT_BYTES`
        (2 GiB). A text row longer than :data:`toolkit.logs.formats.MAX_ROW_BYTES` is
        rejected, the other rows are read. [bytes]
    exercise_map : mapping of str to str, optional
        The clinic's own exercise ids: ``{"id as written": "library id"}``
        (:func:`toolkit.logs.exercise_map.read_exercise_map`). The ``logs`` frame holds the
        library id; rejects keep the cell as written. Ids not in the mapping are kept as
        written: nothing is guessed.

    Raises
    ------
    NotALogError
        A file is not a log (missing, empty, an image, no ``patient_id``/``timestamp``).
    LogFormatError
        A bad option (unknown time zone, unreadable ``today``, bad mapping) or two columns
        with the same meaning.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files = [Path(p) for p in paths]
    if not files:
        raise LogFormatError("no log file given; name at least one file")
    zone = _check_zone(clinic_tz)
    run_day = _check_today(today, zone)
    parts = [
        _read_one(path, dayfirst, clinic_tz, run_day, mapping, max_bytes, exercise_map)
        for path in files
    ]
    if len(parts) > 1:
        _drop_repeats(parts)
    logs = _concat([p.logs for p in parts]) if len(parts) > 1 else parts[0].logs
    rejects = _concat([p.rejects for p in parts]) if len(parts) > 1 else parts[0].rejects
    report = _report(parts, logs, rejects, run_day, dayfirst, clinic_tz)
    return LogReading(logs, rejects, report)


def _drop_repeats(parts: list[_Part]) -> None:
    """Take out of each file the rows that repeat an earlier file's rows (section 9)."""
    kept, lines = drop_repeats_across_files(
        [p.logs for p in parts], [p.entry_header for p in parts]
    )
    for part, logs, repeats in zip(parts, kept, lines, strict=True):
        if not len(repeats):
            continue
        part.logs = logs
        part.duplicates += len(repeats)
        part.rejects = _concat([part.rejects, repeats], REJECT_COLUMNS).sort_values(
            ["row"], kind="stable", ignore_index=True
        )


def empty_logs() -> pd.DataFrame:
    """A ``logs`` frame with no rows and the documented dtypes."""
    values, stamps, _ = _parse({}, 0, None, None)
    return _frame(values, np.zeros(0, dtype=bool), stamps, "", np.zeros(0, dtype=np.int64))


# --- one file ------------------------------------------------------------------------------


@dataclass
class _Part:
    source: str
    logs: pd.DataFrame
    rejects: pd.DataFrame
    read: int
    blank: int
    duplicates: int
    future: int
    ignored: tuple[str, ...]
    details: dict[str, str]
    entry_header: str = ""


def _check_zone(clinic_tz: str | None) -> zoneinfo.ZoneInfo | None:
    if clinic_tz is None:
        return None
    try:
        return zoneinfo.ZoneInfo(clinic_tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise LogFormatError(
            f"unknown time zone {clinic_tz!r}; use an IANA name such as Europe/Berlin"
        ) from None


def _check_today(today: dt.date | str | None, zone: zoneinfo.ZoneInfo | None) -> dt.date:
    if today is None:
        return dt.datetime.now(zone).date()
    if isinstance(today, dt.datetime):
        return today.date()
    if isinstance(today, dt.date):
        return today
    try:
        return dt.date.fromisoformat(str(today).strip())
    except ValueError:
        raise LogFormatError(f"today {today!r} is not a date; write it as YYYY-MM-DD") from None


#: Threads that parse columns at the same time.
_THREADS = min(4, os.cpu_count() or 1)

_PARSERS: dict[str, Any] = {
    "exercise_id": lv.parse_text,
    "completed": lv.parse_completed,
    "sets_done": lv.parse_count,
    "reps_done": lv.parse_count,
    "duration_s": lv.parse_seconds,
    "side": lv.parse_side,
    "pain_before": lv.parse_pain,
    "pain_after": lv.parse_pain,
    "notes": lv.parse_text,
    "entry_id": lv.parse_text,
}


def _read_one(
    path: Path,
    dayfirst: bool | None,
    clinic_tz: str | None,
    today: dt.date,
    mapping: Mapping[str, str] | None,
    max_bytes: int | None = None,
    exercise_map: Mapping[str, str] | None = None,
) -> _Part:
    raw = read_raw(path, max_bytes)
    columns = map_columns(raw.headers, path, mapping)
    count = len(raw)
    text = {name: raw.columns[i] for name, i in columns.positions.items()}
    values, stamps, problems = _parse(text, count, dayfirst, clinic_tz)
    values["exercise_id"] = map_exercise_ids(values["exercise_id"], exercise_map)
    bad = np.zeros(count, dtype=bool)
    for _, mask, _ in problems:
        bad |= mask
    lines = [
        _reject_lines(raw, columns, text, name, mask, reason) for name, mask, reason in problems
    ]
    lines += [_broken_lines(raw)]
    tomorrow = (today - dt.date(1970, 1, 1)).days + 1
    future = ~bad & (stamps.wall >= tomorrow * 86_400_000_000)
    if future.any():
        reason = f"future: dated after today ({today})"
        lines.append(_reject_lines(raw, columns, text, "timestamp", future, reason))
    keep = ~bad & ~future
    logs = _frame(
        values, keep, stamps, raw.source, raw.rows, all_rows=not (bad.any() or future.any())
    )
    # Reject lines name the canonical column (spec, section 8): entry_id, not the file's header.
    entry_column = "entry_id" if "entry_id" in columns.headers else ""
    logs, duplicate_lines = drop_duplicates(logs, entry_column, raw.source)
    lines.append(duplicate_lines)
    rejects = _concat(lines, REJECT_COLUMNS).sort_values(["row"], kind="stable", ignore_index=True)
    return _Part(
        raw.source,
        logs,
        rejects,
        count + len(raw.broken),
        raw.blank_lines,
        len(duplicate_lines),
        int(future.sum()),
        tuple(columns.ignored),
        raw.details,
        columns.headers.get("entry_id", ""),
    )


def _parse(
    text: dict[str, pa.Array], count: int, dayfirst: bool | None, clinic_tz: str | None
) -> tuple[dict[str, Any], lv.ParsedTimestamps, list[tuple[str, np.ndarray, str]]]:
    """Typed values of every canonical column; a column the file lacks is all blank.

    The columns are independent, and their parsers spend their time in numpy and pyarrow
    kernels that release the GIL, so they run on a few threads (as pyarrow's parse does).
    """
    blank = pa.repeat("", count) if count else pa.array([], pa.string())
    readers: dict[str, Callable[[], Any]] = {
        "timestamp": partial(
            lv.parse_timestamps,
            text.get("timestamp", blank),
            dayfirst=dayfirst,
            clinic_tz=clinic_tz,
        ),
        "patient_id": partial(
            lv.parse_text, text.get("patient_id", blank), required=True, what="patient id"
        ),
        **{name: partial(parser, text.get(name, blank)) for name, parser in _PARSERS.items()},
    }
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        futures = {name: pool.submit(read) for name, read in readers.items()}
        results = {name: future.result() for name, future in futures.items()}
    stamps = results.pop("timestamp")
    values = {name: value for name, (value, _) in results.items()}
    found = {name: found for name, (_, found) in results.items()}
    found["timestamp"] = stamps.problems
    problems = [
        (name, mask, reason)
        for name in ("patient_id", "timestamp", *_PARSERS)
        for mask, reason in found[name]
    ]
    return values, stamps, problems


def _frame(
    values: dict[str, Any],
    keep: np.ndarray,
    stamps: lv.ParsedTimestamps,
    source: str,
    rows: np.ndarray,
    all_rows: bool = True,
) -> pd.DataFrame:
    def pick(column: Any) -> Any:
        if isinstance(column, pa.Array):
            column = column.to_pandas()
            return column if all_rows else column[keep].reset_index(drop=True)
        return column if all_rows else column[keep]

    wall = stamps.wall if all_rows else stamps.wall[keep]
    count = len(wall)
    data: dict[str, Any] = {
        name: pick(values[name]) for name in CANONICAL_COLUMNS if name != "timestamp"
    }
    data["timestamp"] = wall.view("datetime64[us]")
    data["date"] = (wall - wall % 86_400_000_000).view("datetime64[us]")
    data["has_time"] = stamps.has_time if all_rows else stamps.has_time[keep]
    has_offset = stamps.has_offset if all_rows else stamps.has_offset[keep]
    offset = stamps.offset if all_rows else stamps.offset[keep]
    data["utc_offset_min"] = pd.arrays.IntegerArray(np.asarray(offset, np.int64), ~has_offset)
    names = pa.repeat(pa.scalar(source, pa.large_string()), count)  # pandas keeps large strings
    data["source"] = names.to_pandas() if count else pd.Series([], dtype="str")
    data["row"] = np.asarray(rows if all_rows else rows[keep], np.int64)
    # the arrays are new and not changed after this, so the frame can use them without a copy
    return pd.DataFrame({name: _series(data[name]) for name in LOG_COLUMNS}, copy=False)


def _series(values: Any) -> pd.Series:
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    return pd.Series(values, copy=False)


def _reject_lines(
    raw: RawTable,
    columns: ColumnMap,
    text: dict[str, pa.Array],
    name: str,
    mask: np.ndarray,
    reason: str,
) -> pd.DataFrame:
    where = np.flatnonzero(mask)
    cells = text[name].take(pa.array(where)).to_pandas() if name in text else ""
    return pd.DataFrame(
        {
            "source": raw.source,
            "row": raw.rows[where],
            "column": name,  # the canonical column (spec, section 8), not the file's header
            "value": cells,
            "reason": reason,
        },
        columns=list(REJECT_COLUMNS),
    ).astype({"source": "str", "column": "str", "value": "str", "reason": "str"})


def _broken_lines(raw: RawTable) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": [raw.source] * len(raw.broken),
            "row": np.array([row for row, _, _ in raw.broken], dtype=np.int64),
            "column": [""] * len(raw.broken),
            "value": [text[:200] for _, text, _ in raw.broken],
            "reason": [f"invalid: {why}" for _, _, why in raw.broken],
        },
        columns=list(REJECT_COLUMNS),
    ).astype({"source": "str", "column": "str", "value": "str", "reason": "str"})


def _concat(frames: list[pd.DataFrame], columns: Iterable[str] | None = None) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    if not frames:
        return pd.DataFrame(columns=list(columns or ()))
    result = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if columns is not None:
        result = result.reindex(columns=list(columns))
        result = result.astype(
            {"source": "str", "row": "int64", "column": "str", "value": "str", "reason": "str"}
        )
    return result


def _report(
    parts: list[_Part],
    logs: pd.DataFrame,
    rejects: pd.DataFrame,
    today: dt.date,
    dayfirst: bool | None,
    clinic_tz: str | None,
) -> LogReport:
    rejected_rows = rejects.drop_duplicates(["source", "row"]) if len(rejects) else rejects
    reasons: dict[str, int] = {}
    if len(rejects):
        codes = rejects.assign(code=rejects["reason"].str.split(":", n=1).str[0])
        counted = codes.drop_duplicates(["source", "row", "code"])["code"].value_counts()
        reasons = {str(k): int(v) for k, v in counted.items()}
    dates = logs["date"]
    return LogReport(
        sources=tuple(p.source for p in parts),
        rows_read=sum(p.read for p in parts),
        rows_used=len(logs),
        rows_rejected=len(rejected_rows),
        duplicates=sum(p.duplicates for p in parts),
        future=sum(p.future for p in parts),
        blank_lines=sum(p.blank for p in parts),
        patients=int(logs["patient_id"].nunique()),
        first_date=dates.min().date() if len(dates) else None,
        last_date=dates.max().date() if len(dates) else None,
        today=today,
        reasons=reasons,
        ignored_columns={p.source: p.ignored for p in parts if p.ignored},
        details={p.source: p.details for p in parts},
        dayfirst=dayfirst,
        clinic_tz=clinic_tz,
    )
