"""Where hepkit's own data lives: the built-in exercise library, routines and schemas.

They ship inside the package (``toolkit/data/``), so an installed wheel has them as well as a
checkout. ``$HEPKIT_DATA`` points hepkit at another folder of the same shape.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

__all__ = ["data_dir", "exercises_dir", "routines_dir", "schema_dir", "workspace_dir"]


def data_dir() -> Path:
    """The package's ``data/`` folder, or ``$HEPKIT_DATA`` when set."""
    override = os.environ.get("HEPKIT_DATA")
    if override:
        return Path(override)
    # ``files`` gives a Traversable; installed from a wheel or a checkout it is a real folder.
    return Path(str(files("toolkit") / "data"))


def exercises_dir() -> Path:
    """The built-in library, one YAML file per exercise."""
    return data_dir() / "exercises"


def routines_dir() -> Path:
    """The reference routines."""
    return data_dir() / "routines"


def schema_dir() -> Path:
    """The committed JSON Schemas of the file formats."""
    return data_dir() / "schema"


def workspace_dir() -> Path:
    """Where the clinician's own working files go (git ignores it).

    ``$HEPKIT_WORKSPACE`` when set (the tests point it at a temporary folder, so a test run
    never writes into a clinician's files); else ``workspace/`` at the root of this checkout
    when hepkit runs from one; else ``workspace/`` in the current folder.
    """
    override = os.environ.get("HEPKIT_WORKSPACE")
    if override:
        return Path(override)
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir():
        return root / "workspace"
    return Path.cwd() / "workspace"
