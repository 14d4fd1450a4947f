"""Finding duplicate log rows within one file and across the files of one run (spec, section 9).

- The same entry_id twice: the first row is kept; the second is a ``duplicate`` whose reason
  says whether its values differ.
- Rows without entry_id that are identical in every column and give a time of day are
  duplicates of the first; identical date-only rows are kept (a paper log writes one line per
  session).

Across files, taken in the order given, a row duplicates an earlier file's row when it has the
same patient_id and the same non-blank entry_id, or gives a time of day and is identical to it
in every value (a column a file lacks reads as empty). The first is kept; the reason names the
file and row of the row kept. (A patient's app that sends its whole history every time must
not count a session twice.)

Rows are compared on the values as read, so ``7/10`` and ``7`` are the same value. Most files
have no repeated entry_id at all. That is seen at once when the ids are written in increasing
order, and otherwise by sorting 64-bit fingerprints of the ids (equal ids have equal
fingerprints), before any exact comparison is made.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.logs import arrowbytes as ab
from toolkit.logs.columns import CANONICAL_COLUMNS

__all__ = ["drop_duplicates", "drop_repeats_across_files", "VALUE_COLUMNS"]

#: The values compared when looking for duplicates (section 9: "on the values as read").
VALUE_COLUMNS = [*CANONICAL_COLUMNS, "utc_offset_min"]

_LINE_COLUMNS = ["source", "row", "column", "value", "reason"]


def drop_duplicates(
    logs: pd.DataFrame, entry_header: str, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split the rows of one file into the rows kept and reject lines for the duplicates.

    Parameters
    ----------
    logs : pandas.DataFrame
        The file's used rows, with the columns of :data:`toolkit.logs.reading.LOG_COLUMNS`.
    entry_header : str
        The entry_id column's header as written in the file (``""`` when it has none).
    source : str
        The file's name, for the reject lines.

    Returns
    -------
    logs : pandas.DataFrame
        The rows kept, in their order, with a fresh index.
    lines : pandas.DataFrame
        One reject line (``source, row, column, value, reason``) per duplicate.
    """
    found: list[tuple[np.ndarray, list[str]]] = []  # (rows, their reasons)
    has_entry = logs["entry_id"].notna().to_numpy()
    if has_entry.any():
        entry = pa.array(logs["entry_id"].array)
        if not (has_entry.all() and _increasing(entry)):
            prints = ab.fingerprint(entry)[has_entry]
            if _any_equal(prints):
                found.append(_same_entry(logs, has_entry, prints))
    timed = ~has_entry & logs["has_time"].to_numpy()
    if timed.sum() > 1:
        found.append(_identical_timed(logs, np.flatnonzero(timed)))
    if not any(len(rows) for rows, _ in found):
        return logs, pd.DataFrame(columns=_LINE_COLUMNS)
    duplicate = np.zeros(len(logs), dtype=bool)
    reasons = np.empty(len(logs), dtype=object)
    for rows, why in found:
        duplicate[rows] = True
        reasons[rows] = why
    where = np.flatnonzero(duplicate)
    by_entry = has_entry[where]
    lines = pd.DataFrame(
        {
            "source": source,
            "row": logs["row"].to_numpy()[where],
            "column": np.where(by_entry, entry_header, ""),
            "value": np.where(by_entry, logs["entry_id"].to_numpy(dtype=object)[where], ""),
            "reason": reasons[where],
        }
    ).astype({"source": "str", "column": "str", "value": "str", "reason": "str"})
    return logs[~duplicate].reset_index(drop=True), lines


def drop_repeats_across_files(
    files: list[pd.DataFrame], entry_headers: list[str]
) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """Remove from each file the rows that repeat a row of an earlier file.

    Parameters
    ----------
    files : list of pandas.DataFrame
        Each file's kept rows (after :func:`drop_duplicates`), in the order the files were
        given.
    entry_headers : list of str
        Each file's entry_id header as written (``""`` when it has none).

    Returns
    -------
    files : list of pandas.DataFrame
        Each file's rows kept, in their order, with a fresh index.
    lines : list of pandas.DataFrame
        Each file's reject lines (``source, row, column, value, reason``) for its repeats.
    """
    empty = pd.DataFrame(columns=_LINE_COLUMNS)
    if len(files) < 2 or sum(len(f) > 0 for f in files) < 2:
        return list(files), [empty] * len(files)
    which = np.repeat(np.arange(len(files)), [len(f) for f in files])
    both = pd.concat(files, ignore_index=True)
    duplicate = np.zeros(len(both), dtype=bool)
    firsts = np.zeros(len(both), dtype=np.int64)
    has_entry = both["entry_id"].notna().to_numpy()
    if has_entry.any():
        keys = both.loc[has_entry, ["patient_id", "entry_id"]].astype(str)
        codes = np.full(len(both), -1, dtype=np.int64)
        codes[has_entry] = keys.groupby(["patient_id", "entry_id"], sort=False).ngroup()
        repeat, first = _first_seen(codes)
        duplicate |= repeat
        firsts[repeat] = first[repeat]
    by_entry = duplicate.copy()
    timed = np.flatnonzero(both["has_time"].to_numpy() & ~duplicate)
    if len(timed) > 1:
        subset = both.iloc[timed][VALUE_COLUMNS]
        exact = subset.duplicated(keep="first").to_numpy()
        if exact.any():
            codes_timed, _ = pd.factorize(pd.util.hash_pandas_object(subset, index=False))
            _, first = _first_seen(codes_timed)
            duplicate[timed[exact]] = True
            firsts[timed[exact]] = timed[first[exact]]
    if not duplicate.any():
        return list(files), [empty] * len(files)
    sources = both["source"].to_numpy(dtype=object)
    rows = both["row"].to_numpy()
    entries = both["entry_id"].to_numpy(dtype=object)
    where = np.flatnonzero(duplicate)
    kept = [f"{sources[f]} row {rows[f]}" for f in firsts[where]]
    left = both.iloc[where][VALUE_COLUMNS].reset_index(drop=True)
    right = both.iloc[firsts[where]][VALUE_COLUMNS].reset_index(drop=True)
    same = ((left == right).fillna(False) | (left.isna() & right.isna())).all(axis=1).to_numpy()
    reasons = [
        f"duplicate: entry_id seen first in {k} with {'the same' if s else 'other'} values"
        if e
        else f"duplicate: identical to {k}"
        for k, s, e in zip(kept, same, by_entry[where], strict=True)
    ]
    headers = np.asarray(entry_headers, dtype=object)[which[where]]
    lines = pd.DataFrame(
        {
            "source": sources[where],
            "row": rows[where],
            "column": np.where(by_entry[where], headers, ""),
            "value": np.where(by_entry[where], entries[where], ""),
            "reason": reasons,
        }
    ).astype({"source": "str", "column": "str", "value": "str", "reason": "str"})
    kept_files = [
        files[i][~duplicate[which == i]].reset_index(drop=True) for i in range(len(files))
    ]
    line_files = [lines[which[where] == i].reset_index(drop=True) for i in range(len(files))]
    return kept_files, line_files


def _increasing(text: pa.Array) -> bool:
    """Whether each string sorts after the one before (then no two are equal)."""
    if len(text) < 2:
        return True
    after = pc.greater(text.slice(1), text.slice(0, len(text) - 1))
    return bool(pc.all(after).as_py())


def _any_equal(values: np.ndarray) -> bool:
    """Whether two of ``values`` are equal (a sort is much faster than a hash table)."""
    ordered = np.sort(values)
    return bool((ordered[1:] == ordered[:-1]).any())


def _first_seen(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For factorize codes (in order of first appearance): repeat mask, position of first."""
    previous = np.concatenate([[-1], np.maximum.accumulate(codes)[:-1]])
    repeat = (codes >= 0) & (codes <= previous)
    firsts = np.flatnonzero((codes >= 0) & ~repeat)
    return repeat, firsts[np.where(repeat, codes, 0)]


def _same_entry(
    logs: pd.DataFrame, has_entry: np.ndarray, prints: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """The rows whose entry_id was seen before, and why (``prints``: fingerprints of the ids)."""
    codes = np.full(len(logs), -1, dtype=np.int64)
    codes[has_entry] = pd.factorize(prints)[0]
    repeat, firsts = _first_seen(codes)
    if not repeat.any():
        return np.zeros(0, dtype=np.int64), []
    ids = logs["entry_id"].to_numpy(dtype=object)
    repeat &= ids == ids[firsts]  # a fingerprint collision is not a duplicate
    where = np.flatnonzero(repeat)
    left = logs.iloc[where][VALUE_COLUMNS].reset_index(drop=True)
    right = logs.iloc[firsts[where]][VALUE_COLUMNS].reset_index(drop=True)
    same = ((left == right).fillna(False) | (left.isna() & right.isna())).all(axis=1)
    what = np.where(same.to_numpy(), "the same values", "other values")
    return where, [
        f"duplicate: entry_id seen first on row {logs['row'].iat[f]} with {w}"
        for f, w in zip(firsts[where], what, strict=True)
    ]


def _identical_timed(logs: pd.DataFrame, candidates: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The timed rows without entry_id that repeat an earlier one in every value, and why."""
    subset = logs.iloc[candidates][VALUE_COLUMNS]
    exact = subset.duplicated(keep="first").to_numpy()
    if not exact.any():
        return np.zeros(0, dtype=np.int64), []
    codes, _ = pd.factorize(pd.util.hash_pandas_object(subset, index=False))
    _, firsts = _first_seen(codes)
    return candidates[exact], [
        f"duplicate: identical to row {logs['row'].iat[candidates[f]]}" for f in firsts[exact]
    ]
