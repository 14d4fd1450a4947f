"""Recognising a log file's format and reading it into a raw table of text cells.

Every format ends in the same :class:`RawTable`: the file's headers, one string column per
header (a blank cell is ``""``), and the spreadsheet row number of each data row. Nothing is
interpreted here; :mod:`toolkit.logs.values` turns the text into typed values.

The format is recognised from the bytes, not the file name: Parquet (``PAR1``), Excel
``.xlsx`` (a zip file), a FHIR Bundle (JSON), or delimited text. Text is read as UTF-8 (with
or without a byte-order mark), UTF-16 with a byte-order mark (Excel's "Unicode text"), or,
when it is not valid UTF-8, as Windows-1252 (what Excel writes for "CSV" on Windows). The
delimiter (comma, semicolon, tab or bar) is the one that splits the header and the first rows
into the same number of fields.

Rows are numbered as a spreadsheet shows them: the header is row 1 of a CSV file, and a quoted
value spanning several lines is still one row. Blank lines (empty, spaces, or delimiters
only) keep their number but are skipped and counted. A line that splits into the wrong number
of fields is kept as a *broken* row so that it can be rejected with its number. In Excel files
the rows are the sheet's own row numbers; in Parquet files the first record is row 2 (as if
the column names were row 1); in a FHIR Bundle the row is the position of the entry (first 1).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from toolkit.errors import NotALogError
from toolkit.logs import arrowbytes as ab
from toolkit.storage import InputTooLargeError, read_capped

__all__ = [
    "sniff_delimiter",
    "RawTable",
    "read_raw",
    "DELIMITERS",
    "MAX_INPUT_BYTES",
    "MAX_ROW_BYTES",
]

#: The largest log file a reader takes; larger files are refused by name. For an ``.xlsx``
#: workbook the limit also holds for its unpacked content. [bytes]
MAX_INPUT_BYTES = 2 * 1024**3
#: The longest row of a text log; a longer row is rejected, the other rows are read. [bytes]
MAX_ROW_BYTES = 1_000_000

#: Delimiters tried on text files, in order of preference when several fit.
DELIMITERS = (",", ";", "\t", "|")

_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class RawTable:
    """The text cells of one log file, before any interpretation.

    Attributes
    ----------
    source : str
        The file's name, as shown in rejects.
    kind : str
        ``csv``, ``xlsx``, ``parquet`` or ``fhir``.
    headers : list of str
        Column names as written.
    columns : list of pyarrow.Array or pyarrow.ChunkedArray
        One string array per header; a blank cell is ``""``. A CSV file's columns are left
        in the chunks pyarrow parsed them in, for the parsers to combine on their threads.
    rows : numpy.ndarray
        Spreadsheet row number of each data row. [int64]
    blank_lines : int
        Blank lines skipped between the header and the last row.
    broken : list of (int, str, str)
        Rows that could not be split into the header's columns: (row, text, reason).
    details : dict of str to str
        How the file was read (encoding, delimiter, sheet), for the report.
    """

    source: str
    kind: str
    headers: list[str]
    columns: list[pa.Array | pa.ChunkedArray]
    rows: np.ndarray
    blank_lines: int = 0
    broken: list[tuple[int, str, str]] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)


def read_raw(path: str | Path, max_bytes: int | None = None) -> RawTable:
    """Read any supported log file into a :class:`RawTable`.

    Parameters
    ----------
    path : str or Path
        The file.
    max_bytes : int, optional
        The largest file taken; default :data:`MAX_INPUT_BYTES`. [bytes]

    Raises
    ------
    NotALogError
        The file is missing, empty, larger than ``max_bytes``, binary, an image, a YAML or
        JSON document other than a FHIR Bundle, or text that cannot be split into columns.
    """
    path = Path(path)
    limit = MAX_INPUT_BYTES if max_bytes is None else max_bytes
    try:
        data = read_capped(path, limit)
    except InputTooLargeError as exc:
        raise NotALogError(
            f"{exc}; split the file, or raise the limit (max_bytes, or "
            "toolkit.logs.formats.MAX_INPUT_BYTES)"
        ) from None
    except FileNotFoundError:
        raise NotALogError(f"{path}: file not found") from None
    except OSError as exc:
        raise NotALogError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if _is_blank(data, b" \t\r\n" + _UTF8_BOM):
        raise NotALogError(f"{path}: the file is empty; a log needs a header row")
    if data.startswith(b"PAR1"):
        return _read_parquet(path)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, data, limit)
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise NotALogError(f"{path}: this is {what}, not a log")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise NotALogError(f"{path}: not readable as UTF-16 text") from None
        encoding = "utf-16"
    elif data.startswith(_UTF8_BOM):
        data, encoding = data[len(_UTF8_BOM) :], "utf-8-sig"
    else:
        encoding = "utf-8"
    if b"\x00" in data[:8192]:
        raise NotALogError(f"{path}: a binary file, not a text or spreadsheet log")
    if _first_byte(data) in (b"{", b"["):
        return _read_json(path, data)
    return _read_csv(path, data, encoding)


def _is_blank(data: bytes, blank: bytes) -> bool:
    """Whether ``data`` has only bytes of ``blank`` (without copying a large file)."""
    return not data[:4096].strip(blank) and not data.strip(blank)


def _first_byte(data: bytes) -> bytes:
    """The first byte that is not white space (without copying a large file)."""
    return data[:4096].lstrip()[:1] or data.lstrip()[:1]


# --- delimited text --------------------------------------------------------------------------


def sniff_delimiter(head: str) -> tuple[str, int]:
    """The delimiter that splits the header into most fields, consistently with the next rows."""
    best: tuple[tuple[bool, bool, int, int], str, int] | None = None
    for preference, delimiter in enumerate(DELIMITERS):
        try:
            records = [
                r
                for _, r in zip(
                    range(6), csv.reader(io.StringIO(head), delimiter=delimiter), strict=False
                )
            ]
        except csv.Error:
            continue
        if not records:
            continue
        width = len(records[0])
        data_rows = [r for r in records[1:] if any(cell.strip() for cell in r)]
        consistent = all(len(r) == width for r in data_rows)
        score = (width > 1, consistent, width, -preference)
        if best is None or score > best[0]:
            best = (score, delimiter, width)
    if best is None:
        return ",", 1
    return best[1], best[2]


def _read_csv(path: Path, data: bytes, encoding: str) -> RawTable:
    head_bytes = data[:65536]
    if len(data) > len(head_bytes) and b"\n" in head_bytes:
        head_bytes = head_bytes[: head_bytes.rindex(b"\n") + 1]
    head = head_bytes.decode("utf-8", errors="replace")
    delimiter, width = sniff_delimiter(head)
    if width < 2:
        raise NotALogError(f"{path}: {_describe_single_column(path, head)}")
    try:
        try:
            table, invalid = _parse_csv(data, delimiter, width)
        except UnicodeError:
            table, invalid, encoding, data = _parse_cp1252(path, data, delimiter, width)
    except NotALogError as exc:
        raise NotALogError(f"{path}: {exc}") from None
    if not len(table) or any(number == 0 for number, _ in invalid):
        raise NotALogError(f"{path}: the header row cannot be split into columns")
    headers = [str(v).strip() for v in table.slice(0, 1).to_pylist()[0].values()]
    columns = [table.column(i).slice(1) for i in range(width)]  # chunks: combined later
    rows, broken_rows = _number_rows(columns, invalid)
    name = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}[delimiter]
    raw = RawTable(path.name, "csv", headers, columns, rows)
    raw.details = {"encoding": encoding, "delimiter": name}
    for row, text in broken_rows:
        stripped = text.strip(" \t\r\n" + delimiter)
        if not stripped:
            raw.blank_lines += 1
            continue
        fields = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
        raw.broken.append((row, text, f"the line has {len(fields)} fields; the header has {width}"))
    if len(data) > MAX_ROW_BYTES:
        _set_aside_long_rows(raw, delimiter)
    return _drop_blank_rows(raw)


def _set_aside_long_rows(raw: RawTable, delimiter: str) -> None:
    """Move rows longer than :data:`MAX_ROW_BYTES` to the broken rows, with their length."""
    lengths = np.zeros(len(raw.rows), dtype=np.int64)
    for column in raw.columns:
        lengths += np.asarray(pc.binary_length(column).to_numpy(zero_copy_only=False))
    long_rows = np.flatnonzero(lengths > MAX_ROW_BYTES)
    if not len(long_rows):
        return
    for i in long_rows:
        start = delimiter.join(str(column[int(i)].as_py())[:200] for column in raw.columns)
        raw.broken.append(
            (
                int(raw.rows[i]),
                start[:200],
                f"the row is {int(lengths[i]):,} bytes long; a log row may have at most "
                f"{MAX_ROW_BYTES:,}",
            )
        )
    keep = np.ones(len(raw.rows), dtype=bool)
    keep[long_rows] = False
    mask = pa.array(keep)
    raw.columns = [column.filter(mask) for column in raw.columns]
    raw.rows = raw.rows[keep]
    raw.broken.sort()


def _describe_single_column(path: Path, head: str) -> str:
    first = head.lstrip().splitlines()[0] if head.strip() else ""
    if path.suffix.lower() in (".yaml", ".yml") or (":" in first and "," not in first):
        return "looks like a YAML document (a routine or exercise file?), not a log"
    return (
        f"not a log: the header {first[:60]!r} has a single column; a log needs at least "
        "patient_id and timestamp, separated by commas, semicolons or tabs"
    )


def _parse_cp1252(
    path: Path, data: bytes, delimiter: str, width: int
) -> tuple[pa.Table, list[tuple[int | None, str]], str, bytes]:
    try:
        data = data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotALogError(
            f"{path}: text in an unknown encoding (byte {exc.start} is neither UTF-8 nor "
            "Windows-1252); save it as CSV UTF-8"
        ) from None
    table, invalid = _parse_csv(data, delimiter, width)
    return table, invalid, "windows-1252", data


def _parse_csv(
    data: bytes, delimiter: str, width: int
) -> tuple[pa.Table, list[tuple[int | None, str]]]:
    """Parse all of ``data`` (header included, as the first row) into string columns.

    A value can only span lines inside quotes. pyarrow's multi-line mode is slower, so text
    with quotes is first parsed without it: a quoted line break then either stops the parse
    ("out of sync with chunker") or splits a record into lines set aside, one of which holds
    the quote. Either way it is parsed again in multi-line mode. Rows set aside are numbered
    only by a single-threaded parse, so a file with such rows is parsed again without threads.
    """
    quoted = b'"' in data
    if quoted:
        try:
            table, invalid = _parse_pass(data, delimiter, width, multiline=False)
            if not any('"' in text for _, text in invalid):
                return table, invalid
        except _OutOfSync:
            pass
    return _parse_pass(data, delimiter, width, multiline=quoted)


class _OutOfSync(Exception):
    """pyarrow met a line break inside quotes while not in multi-line mode."""


def _parse_pass(
    data: bytes, delimiter: str, width: int, *, multiline: bool
) -> tuple[pa.Table, list[tuple[int | None, str]]]:
    table, invalid = _arrow_csv(data, delimiter, width, multiline=multiline, threads=True)
    if invalid and any(number is None for number, _ in invalid):
        table, invalid = _arrow_csv(data, delimiter, width, multiline=multiline, threads=False)
    return table, invalid


def _arrow_csv(
    data: bytes, delimiter: str, width: int, *, multiline: bool, threads: bool
) -> tuple[pa.Table, list[tuple[int | None, str]]]:
    invalid: list[tuple[int | None, str]] = []

    def keep_aside(row: Any) -> str:
        invalid.append((row.number, row.text))
        return "skip"

    names = [f"c{i}" for i in range(width)]
    block = 1 << 20
    while True:
        try:
            return _arrow_pass(
                data, delimiter, names, multiline, threads, block, keep_aside
            ), invalid
        except pa.ArrowInvalid as exc:
            if "straddl" not in str(exc) or block > len(data):
                raise _csv_problem(exc, multiline) from None
        # a record longer than a block: parse again with blocks large enough to hold it
        invalid.clear()
        block *= 8


def _csv_problem(exc: Exception, multiline: bool) -> Exception:
    if "UTF8" in str(exc) or "utf8" in str(exc).lower():
        return UnicodeError(str(exc))
    if not multiline and "out of sync" in str(exc):
        return _OutOfSync(str(exc))
    return NotALogError(f"cannot be split into rows and columns: {exc}")


def _arrow_pass(
    data: bytes,
    delimiter: str,
    names: list[str],
    multiline: bool,
    threads: bool,
    block: int,
    keep_aside: Any,
) -> pa.Table:
    return pa_csv.read_csv(
        pa.BufferReader(data),
        read_options=pa_csv.ReadOptions(column_names=names, use_threads=threads, block_size=block),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=multiline,
            ignore_empty_lines=False,
            invalid_row_handler=keep_aside,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()),  # as pandas keeps str
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _number_rows(
    columns: list[pa.Array], invalid: list[tuple[int | None, str]]
) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Spreadsheet row numbers of the parsed data rows, and of the lines set aside.

    pyarrow numbers the rows it sets aside by record (header = 1, a quoted value with line
    breaks still one record), which is the spreadsheet's numbering; the parsed records fill
    the other numbers in order.
    """
    count = len(columns[0]) if columns else 0
    if not invalid:
        return np.arange(2, count + 2, dtype=np.int64), []
    aside = np.array([int(number or 0) for number, _ in invalid], dtype=np.int64)
    numbers = np.arange(1, count + 1 + len(invalid) + 1, dtype=np.int64)
    parsed = numbers[~np.isin(numbers, aside)][: count + 1]
    return parsed[1:], [(int(n), text) for n, (_, text) in zip(aside, invalid, strict=True)]


def _drop_blank_rows(raw: RawTable) -> RawTable:
    """Remove rows whose cells are all empty or spaces; count them as blank lines."""
    count = len(raw.rows)
    if not raw.columns or not count:
        return raw
    candidates = np.arange(count)
    for column in raw.columns:
        cells = ab.single(column if len(candidates) == count else column.take(pa.array(candidates)))
        if ab.has_edge_space(cells):
            cells = pc.utf8_trim_whitespace(cells)
        offsets, _ = ab.buffers(cells)
        candidates = candidates[offsets[1:] == offsets[:-1]]
        if not len(candidates):
            return raw
    keep = np.ones(count, dtype=bool)
    keep[candidates] = False
    raw.blank_lines += len(candidates)
    mask = pa.array(keep)
    raw.columns = [column.filter(mask) for column in raw.columns]
    raw.rows = raw.rows[keep]
    return raw


# --- spreadsheets, Parquet and JSON --------------------------------------------------------


def _cell_text(value: Any) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, data: bytes, limit: int) -> RawTable:
    """The first sheet holding a value, read cell by cell in read-only mode.

    Only cells that hold values are looked at: the header is the first row with a value, the
    columns stop at the header's last named cell, and the rows stop at the last row holding a
    value in those columns. A workbook whose stated size is the whole sheet (a cell at
    XFD1048576) therefore costs what its filled cells cost.
    """
    import openpyxl

    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotALogError(f"{path}: a zip file that is not an Excel workbook ({exc})") from None
    if unpacked > limit:
        raise NotALogError(
            f"{path}: not read: the workbook unpacks to {unpacked:,} bytes, more than the limit "
            f"of {limit:,} bytes; split the file, or raise the limit (max_bytes, or "
            "toolkit.logs.formats.MAX_INPUT_BYTES)"
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise NotALogError(f"{path}: a zip file that is not an Excel workbook ({exc})") from None
    try:
        sheets = list(book.worksheets)
        for sheet in sheets:
            sheet.reset_dimensions()
            header = _xlsx_header(sheet)
            if header is not None:
                break
        else:
            raise NotALogError(
                f"{path}: the workbook has no filled sheet; a log needs a header row"
            )
        header_row, headers = header
        width = len(headers)
        body: list[list[str]] = []
        numbers: list[int] = []
        rows = sheet.iter_rows(min_row=header_row + 1, max_col=width, values_only=True)
        for number, values in enumerate(rows, start=header_row + 1):
            if values.count(None) == width:  # a row the file does not hold (cheap to skip)
                continue
            texts = [_cell_text(v) for v in values]
            if any(text.strip() for text in texts):
                body.append(texts)
                numbers.append(number)
        others = [ws.title for ws in sheets[sheets.index(sheet) + 1 :] if _may_hold_values(ws)]
    finally:
        book.close()
    headers = [
        h or f"(column {openpyxl.utils.get_column_letter(i + 1)})" for i, h in enumerate(headers)
    ]
    columns = [pa.array([row[i] for row in body], pa.string()) for i in range(width)]
    raw = RawTable(
        path.name,
        "xlsx",
        headers,
        columns,
        np.asarray(numbers, dtype=np.int64),
        blank_lines=(numbers[-1] - header_row - len(numbers)) if numbers else 0,
        details={"sheet": sheet.title},
    )
    if others:
        raw.details["other sheets"] = ", ".join(others)
    return raw


def _xlsx_header(sheet: Any) -> tuple[int, list[str]] | None:
    """(row number, names up to the last named cell) of the first row holding a value."""
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = [_cell_text(v).strip() for v in values]
        named = [i for i, text in enumerate(texts) if text]
        if named:
            return number, texts[: named[-1] + 1]
    return None


def _may_hold_values(sheet: Any) -> bool:
    """Whether a sheet's stated size is more than one cell (unknown size counts as filled)."""
    sheet_rows, sheet_columns = sheet.max_row, sheet.max_column
    if sheet_rows is None or sheet_columns is None:
        return True
    return bool(sheet_rows > 1 or sheet_columns > 1)


def _arrow_to_text(column: pa.ChunkedArray) -> pa.Array:
    """One Parquet column as text, in the forms the value parser reads."""
    array = column.combine_chunks()
    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.cast(kind.value_type)
        kind = array.type
    if pa.types.is_timestamp(kind):
        seconds = pc.cast(array, pa.timestamp("s", tz=kind.tz), safe=False)
        fmt = "%Y-%m-%dT%H:%M:%S%z" if kind.tz else "%Y-%m-%dT%H:%M:%S"
        text = pc.strftime(seconds, format=fmt)
    elif pa.types.is_date(kind):
        text = pc.strftime(pc.cast(array, pa.timestamp("s")), format="%Y-%m-%d")
    elif pa.types.is_floating(kind):
        text = pc.if_else(
            pc.is_nan(array), pa.scalar(None, pa.string()), pc.cast(array, pa.string())
        )
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = array.cast(pa.string())
    else:
        try:
            text = pc.cast(array, pa.string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            text = pa.array([None if v is None else str(v) for v in array.to_pylist()], pa.string())
    return pc.fill_null(text, "")


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise NotALogError(f"{path}: a damaged Parquet file ({exc})") from None
    columns = [_arrow_to_text(table.column(i)) for i in range(table.num_columns)]
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    raw = RawTable(path.name, "parquet", list(table.column_names), columns, rows)
    return _drop_blank_rows(raw)


def _read_json(path: Path, data: bytes) -> RawTable:
    from toolkit.logs.fhir import bundle_to_columns

    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotALogError(f"{path}: not valid JSON ({exc}), so not a FHIR Bundle") from None
    except RecursionError:
        raise NotALogError(
            f"{path}: not read: the JSON is nested too deeply to be a FHIR Bundle"
        ) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise NotALogError(
            f"{path}: not read: it holds a number thousands of digits long"
        ) from None
    try:
        headers, values, rows = bundle_to_columns(document, path)
        columns = [pa.array(v, pa.string()) for v in values]
    except NotALogError:
        raise
    except UnicodeError:
        raise NotALogError(
            f"{path}: not read: the FHIR Bundle holds text that is not valid Unicode"
        ) from None
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, RecursionError):
        raise NotALogError(
            f"{path}: not read: a part of the FHIR Bundle has the wrong shape (for example a "
            "number or a list where FHIR has an object)"
        ) from None
    return RawTable(path.name, "fhir", headers, columns, np.asarray(rows, dtype=np.int64))
