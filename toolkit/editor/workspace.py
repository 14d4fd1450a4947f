"""Which routines the app can open: the workspace's routine files, and each routine's versions.

A routine's versions are its files side by side (``stretches.yaml``, ``stretches-v2.yaml``,
``stretches-v3.yaml``...) and the earlier copies that saving kept in ``.history/``
(``stretches-v2.20261130T074000123456Z.yaml``), newest first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import HepkitError
from toolkit.paths import workspace_dir
from toolkit.routines.documents import JSON_SUFFIXES, YAML_SUFFIXES, read_document
from toolkit.storage import history_dir

__all__ = [
    "RoutineVersion",
    "workspace_routines",
    "workspace_routine_ids",
    "routine_versions",
    "base_stem",
]

_VERSION = re.compile(r"-v(\d+)$")
_STAMP = re.compile(r"\.(\d{8}T\d{12})Z(?:-\d+)?$")


@dataclass(frozen=True)
class RoutineVersion:
    """One version of a routine that can be opened.

    Attributes
    ----------
    label : str
        What the app shows: ``stretches-v2.yaml`` or ``stretches.yaml, as saved before
        2026-11-30 07:40 UTC``.
    path : Path
        The file to open.
    live : Path
        The routine file this version belongs to (for a history copy, the file it was a
        copy of); Save as new version writes beside it.
    """

    label: str
    path: Path
    live: Path

    @property
    def from_history(self) -> bool:
        """True for an earlier copy kept in ``.history/`` rather than a routine file."""
        return self.path != self.live


def _is_routine_file(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix.lower() in YAML_SUFFIXES + JSON_SUFFIXES
        and not path.name.startswith(".")
        and not path.name.endswith(".schema.json")
    )


def workspace_routines(folder: str | Path | None = None) -> list[Path]:
    """The routine files of the workspace (``.yaml``, ``.yml``, ``.json``), by name.

    Parameters
    ----------
    folder : str or Path, optional
        Default :func:`~toolkit.paths.workspace_dir`. A folder that does not exist has none.
    """
    folder = Path(folder) if folder is not None else workspace_dir()
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if _is_routine_file(p)), key=lambda p: p.name)


def workspace_routine_ids(folder: str | Path | None = None) -> list[str]:
    """The ids of the workspace's routines, sorted; files that cannot be read are left out."""
    ids = set()
    for path in workspace_routines(folder):
        try:
            found = read_document(path).get("id")
        except HepkitError:
            continue
        if isinstance(found, str):
            ids.add(found)
    return sorted(ids)


def base_stem(path: str | Path) -> str:
    """The routine's name without its version: ``stretches-v3.yaml`` -> ``stretches``."""
    return _VERSION.sub("", Path(path).stem)


def _version_number(path: Path) -> int:
    found = _VERSION.search(path.stem)
    return int(found[1]) if found else 1


def routine_versions(path: str | Path) -> list[RoutineVersion]:
    """Every version of the routine in ``path``: its files, newest version first, then the
    copies kept in ``.history/``, newest first. A file in a folder not made yet has none."""
    path = Path(path)
    if not path.parent.is_dir():
        return []
    stem = base_stem(path)
    files = [
        p
        for p in path.parent.iterdir()
        if _is_routine_file(p) and p.suffix == path.suffix and base_stem(p) == stem
    ]
    files.sort(key=_version_number, reverse=True)
    versions = [RoutineVersion(p.name, p, p) for p in files]
    history = history_dir(path)
    copies: list[tuple[str, RoutineVersion]] = []
    if history.is_dir():
        by_stem = {p.stem: p for p in files}
        for copy in history.iterdir():
            if copy.suffix != path.suffix:
                continue
            stamp = _STAMP.search(copy.stem)
            if stamp is None:
                continue
            live = by_stem.get(copy.stem[: stamp.start()])
            if live is None:
                continue
            when = dt.datetime.strptime(stamp[1], "%Y%m%dT%H%M%S%f")
            label = f"{live.name}, as saved before {when:%Y-%m-%d %H:%M} UTC"
            copies.append((stamp[1], RoutineVersion(label, copy, live)))
    versions += [version for _, version in sorted(copies, key=lambda c: c[0], reverse=True)]
    return versions
