"""A clinic's own exercise ids: how an app names an exercise, mapped to the library's id.

Apps name exercises their own way (``pelvic_tilt``, ``Pelvic Tilt``) and the library knows
``pelvic-tilt``. As for column names, the clinic says what each of its ids means, once, in a
file that :func:`read_exercise_map` reads:

- a YAML or JSON clinic file with an ``exercise_aliases`` mapping (other keys are the clinic
  file's own business and left alone)::

      exercise_aliases:
        pelvic_tilt: pelvic-tilt
        Bridge: glute-bridge

- a YAML or JSON file that is that mapping alone, or
- a CSV file with the columns ``as_written,exercise_id``.

:func:`map_exercise_ids` applies it while the logs are read: an id written exactly as a key is
replaced by its library id; every other id is kept as written. Nothing is ever guessed: the
obvious spellings (:func:`normal_spelling`) are only suggested, by the warning about exercise
ids that match no routine (:mod:`toolkit.analysis.unmatched`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.counts import count_text
from toolkit.errors import InvalidDocumentError, LogFormatError
from toolkit.storage import InputTooLargeError, read_capped

__all__ = [
    "ALIASES_KEY",
    "MAX_MAP_BYTES",
    "read_exercise_map",
    "check_exercise_map",
    "map_exercise_ids",
    "normal_spelling",
    "suggest_id",
    "unknown_exercises",
    "UNKNOWN_SHARE",
]

#: The key of the mapping in a clinic file.
ALIASES_KEY = "exercise_aliases"
#: The largest CSV exercise map read. [bytes]
MAX_MAP_BYTES = 4 * 1024**2
#: :func:`unknown_exercises` speaks when more than this share of the exercise rows name no
#: library exercise. [fraction]
UNKNOWN_SHARE = 0.1
#: Ids listed by :func:`unknown_exercises`; the others are counted. [ids]
SHOWN_IDS = 10
#: The header of a CSV exercise map.
CSV_HEADER = ("as_written", "exercise_id")


def normal_spelling(exercise_id: str) -> str:
    """The library's way of writing an id: lower case, ``_`` and spaces as ``-``.

    >>> normal_spelling(" Pelvic_Tilt ")
    'pelvic-tilt'
    """
    return "-".join(exercise_id.strip().lower().replace("_", " ").split())


def suggest_id(word: str, ids: Sequence[str]) -> str:
    """The library id ``word`` most likely means; empty when none is close.

    The library's spelling of ``word`` (:func:`normal_spelling`) when that is an id, else the
    closest id by spelling (:func:`toolkit.routines.documents.closest`). Only ever suggested.

    >>> suggest_id("Pelvic_Tilt", ["pelvic-tilt", "bridge"])
    'pelvic-tilt'
    """
    spelled = normal_spelling(word)
    if spelled in ids:
        return spelled
    from toolkit.routines.documents import closest  # pydantic and YAML: only when suggesting

    found = closest(spelled, ids, n=1) or closest(word, ids, n=1)
    return found[0] if found else ""


def unknown_exercises(
    exercise_ids: pd.Series, ids: Sequence[str], share: float = UNKNOWN_SHARE
) -> str:
    """A warning naming the exercise ids that are not library ids, when they are common.

    Parameters
    ----------
    exercise_ids : Series of str
        The ``exercise_id`` column of the logs (NaN: a whole-session row, not counted).
    ids : sequence of str
        The library's exercise ids.
    share : float
        Say nothing unless more than this share of the exercise rows name no library
        exercise. [fraction]

    Returns
    -------
    str
        The warning, or empty.
    """
    written = exercise_ids.dropna()
    unknown = written[~written.isin(list(ids))]
    if not len(written) or len(unknown) <= share * len(written):
        return ""
    counts = unknown.value_counts()
    lines = [
        f"{count_text(len(unknown))} of {count_text(len(written))} exercise rows name no "
        "exercise of the library; they will count for no session:"
    ]
    for word, rows in counts.head(SHOWN_IDS).items():
        hint = suggest_id(str(word), ids)
        lines.append(
            f"  {word}: {count_text(int(rows))} row{'s' if rows != 1 else ''}"
            + (f" (did you mean {hint}?)" if hint else "")
        )
    if len(counts) > SHOWN_IDS:
        lines.append(f"  ... and {count_text(len(counts) - SHOWN_IDS)} more ids")
    lines.append(MAP_HINT.format(option="--exercise-map FILE"))
    return "\n".join(lines)


#: How to map ids, said after a warning about unmatched ids; ``{option}`` names the way in.
MAP_HINT = (
    "If these are the library's exercises under another name, map them with {option} "
    "(a CSV file with the columns as_written,exercise_id, or exercise_aliases: in a clinic "
    "YAML file)."
)


def read_exercise_map(path: str | Path, known: Iterable[str] | None = None) -> dict[str, str]:
    """Read a clinic's exercise map (the forms are in the module's docstring).

    Parameters
    ----------
    path : str or Path
        A ``.yaml``, ``.yml``, ``.json`` or ``.csv`` file.
    known : iterable of str, optional
        The library's exercise ids; when given, a mapping to any other id is refused, with the
        closest known ids.

    Returns
    -------
    dict of str to str
        As-written id -> library id (both trimmed of surrounding spaces).

    Raises
    ------
    LogFormatError
        The file is missing or unreadable, has no mapping, or maps an id to something that is
        not an id (or not a known one); the message names the file and the entry.
    """
    # pydantic and YAML, imported when a map is read: reading logs alone does not need them
    from toolkit.routines.documents import JSON_SUFFIXES, YAML_SUFFIXES, read_document

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        pairs = _csv_pairs(path)
    elif suffix in YAML_SUFFIXES + JSON_SUFFIXES:
        try:
            document = read_document(path)
        except InvalidDocumentError as exc:
            raise LogFormatError(f"exercise map {exc}") from None
        found = document.get(ALIASES_KEY, document)
        if not isinstance(found, dict):
            raise LogFormatError(
                f"{path}: {ALIASES_KEY} must map each id as written to a library id, "
                f"e.g. 'pelvic_tilt: pelvic-tilt'; found {type(found).__name__}"
            )
        pairs = list(found.items())
    else:
        raise LogFormatError(
            f"{path}: an exercise map is a .yaml, .yml, .json or .csv file, not "
            f"{suffix or 'a file without a suffix'!r}"
        )
    return check_exercise_map(pairs, path, known)


def check_exercise_map(
    pairs: Iterable[tuple[object, object]] | Mapping[object, object],
    source: str | Path = "exercise map",
    known: Iterable[str] | None = None,
) -> dict[str, str]:
    """Check (as written, library id) pairs and return them as a mapping; see
    :func:`read_exercise_map`, whose errors this raises."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    library = sorted(known) if known is not None else None
    mapping: dict[str, str] = {}
    for written, target in items:
        if not isinstance(written, str | int) or not str(written).strip():
            raise LogFormatError(f"{source}: {written!r} is not an exercise id as written")
        if not isinstance(target, str) or not target.strip():
            raise LogFormatError(
                f"{source}: {written!r} maps to {target!r}; write the library's exercise id, "
                "e.g. pelvic-tilt"
            )
        name, goal = str(written).strip(), target.strip()
        if library is not None and goal not in library:
            from toolkit.routines.documents import closest

            hint = closest(goal, library)
            also = f"; did you mean {', '.join(hint)}?" if hint else ""
            raise LogFormatError(
                f"{source}: {name!r} maps to {goal!r}, which is not in the exercise library{also}"
            )
        if name in mapping and mapping[name] != goal:
            raise LogFormatError(
                f"{source}: {name!r} is mapped twice, to {mapping[name]!r} and to {goal!r}"
            )
        mapping[name] = goal
    return mapping


def _csv_pairs(path: Path) -> list[tuple[object, object]]:
    try:
        text = read_capped(path, MAX_MAP_BYTES).decode("utf-8-sig")
    except InputTooLargeError:
        raise LogFormatError(
            f"{path}: exercise map larger than {MAX_MAP_BYTES // 1024**2} MiB; not read"
        ) from None
    except OSError as exc:
        raise LogFormatError(f"{path}: exercise map not read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise LogFormatError(f"{path}: exercise map is not UTF-8 text") from None
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    header = tuple(cell.strip().lower() for cell in rows[0]) if rows else ()
    if header != CSV_HEADER:
        raise LogFormatError(
            f"{path}: an exercise map CSV starts with the header line 'as_written,exercise_id'"
            f"; found {','.join(header) or 'nothing'!r}"
        )
    pairs: list[tuple[object, object]] = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 2:
            raise LogFormatError(f"{path}: row {number} has {len(row)} cells; give 2")
        pairs.append((row[0], row[1]))
    return pairs


def map_exercise_ids(ids: pa.Array, mapping: Mapping[str, str] | None) -> pa.Array:
    """Replace each id written as a key of ``mapping`` by its library id; keep the others.

    Parameters
    ----------
    ids : pyarrow Array of strings
        Exercise ids as read (trimmed; null for a whole-session row).
    mapping : mapping of str to str, optional
        From :func:`read_exercise_map`; None or empty: ``ids`` unchanged.
    """
    if not mapping or not len(ids):
        return ids
    keys = pa.array(list(mapping), type=ids.type)
    targets = pa.array(list(mapping.values()), type=ids.type)
    where = pc.index_in(ids, value_set=keys)
    return pc.coalesce(targets.take(where), ids)
