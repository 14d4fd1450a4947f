"""Replacing patient ids with stable keyed pseudonyms before a data set leaves the clinic.

A pseudonym is ``p-`` followed by the first 16 hex digits of HMAC-SHA256(salt, patient id):
the same id and salt always give the same pseudonym (so logs and prescriptions still join),
and without the salt nobody can recompute it from a guessed id. Keep the salt secret and
the same across exports that must join; it must be at least :data:`MIN_SALT_CHARS` long.

Ids of any type are handled (text, categories as Parquet dictionary columns give, whole
numbers, and whole numbers read as floats: ``1001`` and ``1001.0`` are the same patient).
The ``source`` file name (which often names the patient) and the ``entry_id`` (which the
patient's app may have made from their name or device) are replaced by keyed hashes too, so
rows still tell their files and entries apart. Free-text notes may name people and are
blanked unless ``keep_notes=True``.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import PseudonymisationError

__all__ = ["PREFIX", "MIN_SALT_CHARS", "pseudonym", "pseudonymise"]

PREFIX = "p-"
#: The shortest salt accepted. [characters]
MIN_SALT_CHARS = 16
_HEX_DIGITS = 16
#: Prefixes of the keyed hashes that replace the other identifying columns.
_OTHER_PREFIXES = {"source": "file-", "entry_id": "e-"}


def pseudonym(patient_id: Any, salt: str | bytes) -> str:
    """The pseudonym of one patient id (see the module docstring)."""
    return _hash(_key(salt), PREFIX, _id_text(patient_id))


def _key(salt: str | bytes) -> bytes:
    length = len(salt.strip()) if isinstance(salt, str | bytes) else 0
    if length < MIN_SALT_CHARS:
        raise PseudonymisationError(
            f"the salt is too short ({length} characters); pass a secret text of at least "
            f"{MIN_SALT_CHARS} characters and keep it, so that later exports give the same "
            "pseudonyms"
        )
    return salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)


def _id_text(value: Any) -> str:
    """An id as text, the same whichever type it was read as (``7``, ``7.0``, ``"7"``)."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isfinite(number) and number.is_integer():
            return str(int(number))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def _hash(key: bytes, prefix: str, text: str) -> str:
    # the prefix separates the kinds of value: an entry id never hashes to a patient's pseudonym
    message = (prefix + text).encode("utf-8") if prefix != PREFIX else text.encode("utf-8")
    return prefix + hmac.new(key, message, hashlib.sha256).hexdigest()[:_HEX_DIGITS]


def _replace(values: pd.Series, key: bytes, prefix: str) -> pd.Series:
    """Each non-missing value replaced by its keyed hash; the result is text (or categories)."""
    plain = values.astype(object)
    present = plain.notna().to_numpy()
    table = {value: _hash(key, prefix, _id_text(value)) for value in pd.unique(plain[present])}
    replaced = pd.Series(
        [table[v] if p else np.nan for v, p in zip(plain, present, strict=True)],
        index=values.index,
        dtype=object,
    )
    if isinstance(values.dtype, pd.CategoricalDtype):
        return replaced.astype("category")
    if isinstance(values.dtype, pd.StringDtype):
        return replaced.astype(values.dtype)
    return replaced


def pseudonymise(
    frame: pd.DataFrame,
    salt: str | bytes,
    *,
    column: str = "patient_id",
    keep_notes: bool = False,
) -> pd.DataFrame:
    """A copy of ``frame`` (logs or prescriptions) with nothing that names a patient.

    Parameters
    ----------
    frame : DataFrame
        Any table with a ``patient_id`` column.
    salt : str or bytes
        The secret key: at least :data:`MIN_SALT_CHARS` characters.
    column : str
        The column holding patient ids.
    keep_notes : bool
        Keep the ``notes`` column's free text (blanked by default: it may name people).

    Raises
    ------
    PseudonymisationError
        A salt too short, or no such column.
    """
    key = _key(salt)
    if column not in frame.columns:
        raise PseudonymisationError(
            f"no {column!r} column to pseudonymise (columns: {', '.join(map(str, frame.columns))})"
        )
    result = frame.copy()
    result[column] = _replace(frame[column], key, PREFIX)
    for other, prefix in _OTHER_PREFIXES.items():
        if other in result.columns and other != column:
            result[other] = _replace(frame[other], key, prefix)
    if not keep_notes and "notes" in result.columns:
        result["notes"] = pd.Series(np.nan, index=result.index, dtype=result["notes"].dtype)
    return result
