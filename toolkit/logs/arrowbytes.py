"""Reading the bytes of arrow string arrays with numpy, for fast whole-column checks.

A pyarrow string array is an offsets buffer and one data buffer. Looking at fixed positions of
every string (the ``-`` of a date, the digits of a count) with numpy is several times faster
than a regular expression, and needs no Python loop over rows. These helpers are the only place
that knows about the buffers.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "single",
    "buffers",
    "lengths",
    "as_mask",
    "trimmed",
    "byte_matrix",
    "has_edge_space",
    "contains_byte",
    "is_ascii",
    "fingerprint",
    "with_nulls",
]

_CHUNK = 1 << 17
_END = 1 << 30


def single(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """``text`` as one array (chunks combined)."""
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


def buffers(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, data) of a string array: string i is ``data[offsets[i]:offsets[i + 1]]``.

    Both are views of the array's buffers (no copy); ``offsets`` is int32, or int64 for
    large strings.
    """
    text = single(text)
    large = pa.types.is_large_string(text.type)
    if not (large or pa.types.is_string(text.type)):
        text = text.cast(pa.string())
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64 if large else np.int32)
    offsets = offsets[text.offset : text.offset + len(text) + 1]
    data = text.buffers()[2]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else None
    return offsets, raw if raw is not None else np.zeros(1, dtype=np.uint8)


def as_mask(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow boolean array as a numpy bool array (null counts as false)."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def lengths(text: pa.Array) -> np.ndarray:
    """The length of each string. [byte]"""
    offsets, _ = buffers(text)
    return np.diff(offsets)


def trimmed(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The strings without surrounding white space (the same array when none has any)."""
    text = single(text)
    return pc.utf8_trim_whitespace(text) if has_edge_space(text) else text


def byte_matrix(
    text: pa.Array, width: int, *, rows: np.ndarray | None = None, from_end: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The first (or last) ``width`` bytes of each string, zero-padded, and the lengths. [byte]

    When every string has exactly ``width`` bytes the matrix is a view of the buffer (no copy).
    """
    text = single(text)
    if rows is not None:
        text = text.take(pa.array(rows))
    offsets, data = buffers(text)
    lengths = np.diff(offsets)
    count = len(lengths)
    if count and (lengths == lengths[0]).all() and lengths[0] <= width:  # fixed-width text
        size = int(lengths[0])
        block = data[offsets[0] : offsets[0] + count * size].reshape(count, size)
        if size == width:
            return block, lengths
        matrix = np.zeros((count, width), dtype=np.uint8)
        if from_end:
            matrix[:, width - size :] = block
        else:
            matrix[:, :size] = block
        return matrix, lengths
    if from_end:
        padded = pc.utf8_lpad(pc.utf8_slice_codeunits(text, -width, _END), width, "\x00")
    else:
        padded = pc.utf8_rpad(pc.utf8_slice_codeunits(text, 0, width), width, "\x00")
    offsets, data = buffers(padded)
    if (np.diff(offsets) == width).all():  # ASCII text: each cell is exactly width bytes
        return data[offsets[0] : offsets[0] + count * width].reshape(count, width), lengths
    offsets, data = buffers(text)
    start = offsets[:-1]
    matrix = np.zeros((count, width), dtype=np.uint8)
    steps = np.arange(width)
    last = len(data) - 1
    for first in range(0, count, _CHUNK):
        s, n = start[first : first + _CHUNK], lengths[first : first + _CHUNK]
        base = (s + n - width)[:, None] if from_end else s[:, None]
        index = base + steps
        block = data[np.clip(index, 0, last)]
        inside = (index >= s[:, None]) & (index < (s + n)[:, None])
        block[~inside] = 0
        matrix[first : first + _CHUNK] = block
    return matrix, lengths


def has_edge_space(text: pa.Array) -> bool:
    """Whether any string may start or end with white space.

    Looks at the first and last byte of every string: a control character, a space or a
    byte of a non-ASCII character there counts as "maybe" (trimming is then needed, and is
    a no-op where it was a false alarm). An empty string points at a neighbour's first or
    last byte, which is looked at anyway, so empty strings need no mask.
    """
    offsets, data = buffers(text)
    if len(offsets) < 2 or offsets[-1] == offsets[0]:
        return False
    body = data[offsets[0] : offsets[-1]]
    starts = offsets - offsets[0]
    first_bytes = body.take(starts[:-1], mode="clip")
    last_bytes = body.take(starts[1:] - 1, mode="clip")
    # printable ASCII is 33 to 126
    return bool(
        first_bytes.min() < 33
        or first_bytes.max() > 126
        or last_bytes.min() < 33
        or last_bytes.max() > 126
    )


def contains_byte(text: pa.Array, byte: bytes) -> bool:
    """Whether any string of ``text`` contains the single ASCII ``byte``."""
    offsets, data = buffers(text)
    if len(offsets) < 2:
        return False
    return bool((data[offsets[0] : offsets[-1]] == ord(byte)).any())


def is_ascii(text: pa.Array) -> bool:
    """Whether every string of ``text`` is plain ASCII."""
    offsets, data = buffers(text)
    if len(offsets) < 2 or offsets[-1] == offsets[0]:
        return True
    return bool(data[offsets[0] : offsets[-1]].max() < 128)


def fingerprint(text: pa.Array) -> np.ndarray:
    """A 64-bit hash of each string from its length and first and last 16 bytes. [uint64]

    Equal strings have equal fingerprints; unequal ones almost never do, but callers must
    confirm a match by comparing the strings themselves.
    """
    head, lengths = byte_matrix(text, 16)
    if len(lengths) and lengths.max() <= 16:  # the head is the whole string
        words = np.ascontiguousarray(head).view(np.uint64)
    else:
        tail, _ = byte_matrix(text, 16, from_end=True)
        words = np.concatenate([np.ascontiguousarray(head), np.ascontiguousarray(tail)], axis=1)
        words = words.view(np.uint64)
    value = lengths.astype(np.uint64)
    multipliers = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)
    with np.errstate(over="ignore"):
        for column, multiplier in zip(words.T, multipliers, strict=False):
            value = (value ^ column) * np.uint64(multiplier)
            value ^= value >> np.uint64(29)
    return value


def with_nulls(text: pa.Array, null: np.ndarray) -> pa.Array:
    """The same strings with the cells marked in ``null`` set to null (no copy of the text)."""
    text = single(text)
    if not null.any():
        return text
    if text.offset != 0:
        return pc.if_else(pa.array(null), pa.scalar(None, text.type), text)
    valid = pa.py_buffer(np.packbits(~null, bitorder="little"))
    return pa.Array.from_buffers(text.type, len(text), [valid, *text.buffers()[1:3]])
