"""Routine files: load, check against the library, save safely, and show as a table.

A routine is written in YAML (for people) or JSON (for programs); both load to the same
:class:`~toolkit.routines.models.Routine` and save back without loss. Saving is atomic, keeps the
previous file in ``.history/`` and refuses to replace a file that changed since it was loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from toolkit.errors import InvalidDocumentError, Problem, SaveConflictError, UnknownExerciseError
from toolkit.paths import routines_dir
from toolkit.routines.documents import (
    JSON_SUFFIXES,
    YAML_SUFFIXES,
    closest,
    read_document,
    validate_document,
)
from toolkit.routines.library import Library
from toolkit.routines.models import SCHEMA_VERSION, Dose, Exercise, Routine, RoutineItem
from toolkit.routines.wording import describe_dose, label
from toolkit.storage import (
    FileBusyError,
    atomic_write,
    file_lock,
    fingerprint,
    keep_previous,
    remove_stale_temporaries,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "load_routine",
    "routine_file",
    "origin",
    "carry_origin",
    "parse_routine",
    "check_exercises",
    "dump_routine",
    "save_routine",
    "new_version",
    "next_version_path",
    "effective_dose",
    "routine_table",
    "json_schema",
]


def parse_routine(
    data: dict[str, Any], source: str | Path | None = None, library: Library | None = None
) -> Routine:
    """Validate a routine held as a mapping (as read from YAML or JSON).

    A ``schema_version`` newer than this code reads is refused by name before anything else;
    with a ``library``, every exercise id must be in it.
    """
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise InvalidDocumentError(
            source,
            [
                Problem(
                    "schema_version",
                    f"routine format version {version} is newer than this hepkit reads "
                    f"(up to {SCHEMA_VERSION}); update hepkit to open this file",
                    version,
                )
            ],
        )
    # Unknown exercises are looked for in the data as written, so that a file with both a
    # malformed field and an unknown exercise gets every problem in one error.
    unknown = _unknown_exercises(data.get("items"), library) if library is not None else []
    try:
        routine = validate_document(data, Routine, source)
    except InvalidDocumentError as exc:
        if not unknown:
            raise
        raise InvalidDocumentError(source, [*exc.problems, *unknown]) from None
    if unknown:
        raise InvalidDocumentError(source, unknown)
    return routine


def _unknown_exercise(index: int, exercise_id: str, library: Library) -> Problem:
    hint = closest(exercise_id, library.ids)
    allowed = f"closest ids: {', '.join(hint)}" if hint else "no similar id in the library"
    return Problem(f"items[{index}].exercise", f"unknown exercise id; {allowed}", exercise_id)


def _unknown_exercises(items: Any, library: Library) -> list[Problem]:
    if not isinstance(items, list):
        return []
    return [
        _unknown_exercise(index, item["exercise"], library)
        for index, item in enumerate(items)
        if isinstance(item, dict)
        and isinstance(item.get("exercise"), str)
        and item["exercise"] not in library
    ]


def check_exercises(routine: Routine, library: Library) -> list[Problem]:
    """A problem for every item whose exercise id the library does not hold."""
    return [
        _unknown_exercise(index, item.exercise, library)
        for index, item in enumerate(routine.items)
        if item.exercise not in library
    ]


def routine_file(name: str | Path) -> Path:
    """The file a routine is read from: ``name`` itself, or a built-in routine by its id.

    A name without a suffix that is no existing file (``gentle-back-stretches``) means the
    routine of that id among the reference routines (:func:`toolkit.paths.routines_dir`).

    Examples
    --------
    >>> routine_file("gentle-back-stretches").name
    'gentle-back-stretches.yaml'
    >>> routine_file("my/back-care.yaml").as_posix()
    'my/back-care.yaml'
    """
    path = Path(name)
    if path.suffix or path.exists() or len(path.parts) != 1:
        return path
    return routines_dir() / f"{path.name}.yaml"


def load_routine(path: str | Path, library: Library | None = None) -> Routine:
    """Read a routine file (``.yaml``, ``.yml`` or ``.json``), or a built-in routine by id.

    Parameters
    ----------
    path : str or Path
        The routine file, or the id of a reference routine (``gentle-back-stretches``; see
        :func:`routine_file`).
    library : Library, optional
        When given, every exercise id is checked against it.

    Raises
    ------
    InvalidDocumentError
        Listing every problem: file, place in the document, bad value and what is allowed.
    """
    path = routine_file(path)
    routine = parse_routine(read_document(path), path, library)
    _remember_origin(routine, path)
    return routine


# Where each routine object was loaded from or last saved to, with the file's SHA-256 then;
# kept beside the objects (not in them) so that two equal routines compare equal wherever
# they came from. Entries go away with their routine.
_ORIGINS: dict[int, tuple[str, str | None]] = {}


def _remember_origin(routine: Routine, path: Path) -> None:
    key = id(routine)
    if key not in _ORIGINS:
        weakref.finalize(routine, _ORIGINS.pop, key, None)
    _ORIGINS[key] = (str(path.resolve()), fingerprint(path))


def carry_origin(source: Routine, target: Routine) -> None:
    """Let ``target`` save over ``source``'s file as if it had been loaded from it.

    For an editor that makes a new routine object at each change: the file is still
    protected against changes made on disk since ``source`` was loaded or saved.
    """
    found = _ORIGINS.get(id(source))
    if found is None:
        _ORIGINS.pop(id(target), None)
        return
    if id(target) not in _ORIGINS:
        weakref.finalize(target, _ORIGINS.pop, id(target), None)
    _ORIGINS[id(target)] = found


def origin(routine: Routine) -> Path | None:
    """The file this routine was loaded from or last saved to (``None`` if made in code)."""
    found = _ORIGINS.get(id(routine))
    return Path(found[0]) if found else None


class _Dumper(yaml.SafeDumper):
    """Writes text with line breaks as literal blocks, and keeps field order."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_routine(routine: Routine, fmt: str = "yaml") -> str:
    """The routine as YAML or JSON text, exactly as :func:`save_routine` writes it."""
    if fmt == "json":
        return routine.model_dump_json(indent=2, exclude_none=True) + "\n"
    if fmt == "yaml":
        data = routine.model_dump(mode="python", exclude_none=True)
        header = f"# hepkit routine (format version {routine.schema_version})\n"
        body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)
        return header + body
    raise ValueError(f"format {fmt!r} is not known; allowed: yaml, json")


def _format_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return "yaml"
    if suffix in JSON_SUFFIXES:
        return "json"
    raise ValueError(f"{path}: cannot tell the format from {suffix!r}; use .yaml, .yml or .json")


def save_routine(
    routine: Routine, path: str | Path | None = None, *, overwrite: bool = False
) -> Path:
    """Write a routine atomically, keeping the previous file in ``.history/``.

    Parameters
    ----------
    routine : Routine
        What to write; it is validated again first.
    path : str or Path, optional
        Destination; default the file the routine was loaded from.
    overwrite : bool
        Replace the file even if it changed on disk since it was loaded, or if it exists and
        this routine was never loaded from it.

    Raises
    ------
    SaveConflictError
        The file changed since it was loaded (or is someone else's file) and ``overwrite`` is
        false, or another program kept saving it for longer than
        :data:`~toolkit.storage.LOCK_WAIT_S`. Nothing is written.

    Notes
    -----
    The check and the write happen under a lock file beside the routine
    (:func:`~toolkit.storage.file_lock`), so of two programs saving changes of the same loaded
    routine at the same moment, one saves and the other is refused: no change is lost silently.
    """
    known = _ORIGINS.get(id(routine))
    if path is None:
        if known is None:
            raise ValueError("this routine was not loaded from a file; give a path to save to")
        path = Path(known[0])
    path = Path(path)
    text = dump_routine(Routine.model_validate(routine.model_dump()), _format_for(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with file_lock(path):
            on_disk = fingerprint(path)
            if on_disk is not None and not overwrite and known != (str(path.resolve()), on_disk):
                raise SaveConflictError(path)
            remove_stale_temporaries(path)
            keep_previous(path)
            atomic_write(path, text)
    except FileBusyError:
        raise SaveConflictError(path, busy=True) from None
    _remember_origin(routine, path)
    return path


def new_version(routine: Routine, today: dt.date | None = None) -> Routine:
    """A copy with the version number one higher and ``updated`` set to today."""
    copy = routine.model_copy(deep=True)
    copy.version = routine.version + 1
    copy.updated = max(today or dt.date.today(), copy.created)
    return copy


def next_version_path(path: str | Path, version: int) -> Path:
    """``stretches.yaml`` (or ``stretches-v1.yaml``) -> ``stretches-v<version>.yaml``."""
    path = Path(path)
    stem = re.sub(r"-v\d+$", "", path.stem)
    return path.with_name(f"{stem}-v{version}{path.suffix}")


def effective_dose(item: RoutineItem, exercise: Exercise) -> Dose:
    """The item's own dose when it has one, else the exercise's default dose."""
    return item.dose if item.dose is not None else exercise.default_dose


def routine_table(routine: Routine, library: Library) -> pd.DataFrame:
    """The routine's items in order: exercise, position, dose in plain words, note."""
    import pandas as pd

    rows = []
    for number, item in enumerate(routine.items, start=1):
        try:
            exercise = library.get(item.exercise)
        except UnknownExerciseError as exc:
            raise InvalidDocumentError(
                origin(routine),
                [Problem(f"items[{number - 1}].exercise", str(exc), item.exercise)],
            ) from None
        dose = effective_dose(item, exercise)
        rows.append(
            {
                "#": number,
                "exercise": exercise.name,
                "position": label(exercise.position),
                "dose": describe_dose(dose),
                "changed from default": "yes" if dose != exercise.default_dose else "",
                "note": item.note or "",
            }
        )
    return pd.DataFrame(rows).set_index("#")


def json_schema(model: type[Routine] | type[Exercise] = Routine) -> dict[str, Any]:
    """The JSON Schema of the routine (or exercise) format, as committed in the package."""
    name = "routine" if model is Routine else "exercise"
    schema = model.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://w3id.org/hepkit/schema/{name}-v{SCHEMA_VERSION}.json",
        **schema,
    }


def schema_text(model: type[Routine] | type[Exercise] = Routine) -> str:
    """The schema as committed: indented JSON with a final newline."""
    return json.dumps(json_schema(model), indent=2, ensure_ascii=False) + "\n"
