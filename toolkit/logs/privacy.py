"""Replacing patient ids with stable keyed pseudonyms before a data set leaves the clinic.

A pseudonym is ``p-`` followed by the first 16 hex digits of HMAC-SHA256(salt, patient id):
the same id and salt always give the same pseudonym (so logs and prescriptions still join),
and without the salt nobody can recompute it from a guessed id. Keep the salt secret and
the same across exports that must join. Free-text notes are not scrubbed: they may name
people, so ``drop_notes=True`` blanks them.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

from toolkit.errors import PseudonymisationError

__all__ = ["PREFIX", "pseudonym", "pseudonymise"]

PREFIX = "p-"
_HEX_DIGITS = 16


def pseudonym(patient_id: str, salt: str | bytes) -> str:
    """The pseudonym of one patient id (see the module docstring)."""
    key = _key(salt)
    digest = hmac.new(key, str(patient_id).encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:_HEX_DIGITS]


def _key(salt: str | bytes) -> bytes:
    key = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)
    if not key.strip():
        raise PseudonymisationError(
            "the salt is empty; pass a long secret text and keep it, so that later exports "
            "give the same pseudonyms"
        )
    return key


def pseudonymise(
    frame: pd.DataFrame, salt: str | bytes, *, column: str = "patient_id", drop_notes: bool = False
) -> pd.DataFrame:
    """A copy of ``frame`` (logs or prescriptions) with patient ids replaced by pseudonyms.

    Parameters
    ----------
    frame : DataFrame
        Any table with a ``patient_id`` column.
    salt : str or bytes
        The secret key; must not be empty.
    column : str
        The column holding patient ids.
    drop_notes : bool
        Also blank the ``notes`` column, whose free text may name people.

    Raises
    ------
    PseudonymisationError
        Empty salt, or no such column.
    """
    key = _key(salt)
    if column not in frame.columns:
        raise PseudonymisationError(
            f"no {column!r} column to pseudonymise (columns: {', '.join(map(str, frame.columns))})"
        )
    ids = frame[column]
    unique = pd.unique(ids.dropna())
    table = {
        value: PREFIX
        + hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()[:_HEX_DIGITS]
        for value in unique
    }
    result = frame.copy()
    result[column] = ids.map(table).astype(ids.dtype)
    if drop_notes and "notes" in result.columns:
        result["notes"] = pd.Series(np.nan, index=result.index, dtype=result["notes"].dtype)
    return result
