"""Where hepkit's own data lives: the built-in exercise library, routines and schema."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "exercises_dir", "routines_dir", "schema_dir"]


def data_dir() -> Path:
    """The ``data/`` folder of this checkout, or ``$HEPKIT_DATA`` when set."""
    override = os.environ.get("HEPKIT_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "data"


def exercises_dir() -> Path:
    """The built-in exercise library, one file per exercise."""
    return data_dir() / "exercises"


def routines_dir() -> Path:
    """The reference routines."""
    return data_dir() / "routines"


def schema_dir() -> Path:
    """The committed JSON Schemas of the file formats."""
    return data_dir() / "schema"
