"""Reading YAML and JSON documents and turning validation failures into located problems.

Shared by routine and exercise files: one safe YAML loader (no Python tags, duplicate keys
refused), one JSON reader, and one translation from pydantic's errors to :class:`Problem`
objects that say ``items[2].dose.reps``, show the bad value and suggest the nearest known key.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from toolkit.errors import DocumentNotReadError, InvalidDocumentError, Problem, short_repr
from toolkit.storage import InputTooLargeError, read_capped

__all__ = ["read_document", "validate_document", "format_location", "closest"]

M = TypeVar("M", bound=BaseModel)

#: The largest routine or exercise file read. [bytes]
MAX_DOCUMENT_BYTES = 16 * 1024**2

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping, anchors and aliases.

    Anchors (``&name``) and aliases (``*name``) are never needed in a routine or exercise
    file, and nested aliases let a 2 KB file stand for billions of values (a "billion
    laughs" file), so they are refused where they appear.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            refused = "aliases (*name)"
        elif getattr(event, "anchor", None) is not None:
            refused = "anchors (&name)"
        else:
            return super().compose_node(parent, index)
        raise yaml.composer.ComposerError(
            None,
            None,
            f"{refused} are not allowed in hepkit files; write the value out in full",
            event.start_mark,
        )


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {short_repr(key)} appears twice (first on line {seen[key] + 1}); keep one",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,
)

_CLoader: Any = getattr(yaml, "CSafeLoader", None)  # libyaml's parser, when PyYAML has it


if _CLoader is not None:

    class _FastUniqueKeyLoader(_CLoader):
        """libyaml's safe loader with the same refusal of a key written twice."""

    _FastUniqueKeyLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
        _construct_unique_mapping,
    )


def _load_yaml(text: str) -> Any:
    """The YAML document in ``text``, read as :class:`_UniqueKeyLoader` reads it.

    A well-formed file without anchors or aliases is read by libyaml (about eight times faster:
    loading the library is most of a small command's work); anything else, by the Python
    loader, whose messages the hints and tests rely on.
    """
    if _CLoader is not None:
        try:
            events = yaml.parse(text, Loader=_CLoader)
            if not any(
                isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) is not None
                for e in events
            ):
                return yaml.load(text, Loader=_FastUniqueKeyLoader)  # noqa: S506 - safe
        except (yaml.YAMLError, RecursionError, ValueError):
            pass  # the Python loader says what is wrong, as it always has
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def read_document(path: str | Path) -> dict[str, Any]:
    """Read a YAML or JSON file into a mapping, with errors that name the file and line.

    Parameters
    ----------
    path : str or Path
        A ``.yaml``, ``.yml`` or ``.json`` file.

    Raises
    ------
    InvalidDocumentError
        The file is missing, unreadable, not valid YAML/JSON, or not a mapping at the top.
    DocumentNotReadError
        Larger than :data:`MAX_DOCUMENT_BYTES`, nested thousands of levels deep, or holding a
        number thousands of digits long.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in YAML_SUFFIXES + JSON_SUFFIXES:
        raise InvalidDocumentError(
            path, [Problem("", "expected a .yaml, .yml or .json file", path.suffix or path.name)]
        )
    try:
        text = read_capped(path, MAX_DOCUMENT_BYTES).decode("utf-8")
    except InputTooLargeError:
        raise DocumentNotReadError(
            path,
            f"larger than the limit of {MAX_DOCUMENT_BYTES:,} bytes (a routine is a few kilobytes)",
        ) from None
    except FileNotFoundError:
        raise InvalidDocumentError(path, [Problem("", _not_found(path), has_value=False)]) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise InvalidDocumentError(
            path, [Problem("", f"cannot be read as UTF-8 text ({exc})", has_value=False)]
        ) from None
    data: Any
    try:
        data = json.loads(text) if suffix in JSON_SUFFIXES else _load_yaml(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise InvalidDocumentError(path, [Problem("", message, has_value=False)]) from None
    except yaml.YAMLError as exc:
        raise InvalidDocumentError(path, [_yaml_problem(exc, text)]) from None
    except RecursionError:
        raise DocumentNotReadError(
            path, "nested too deeply (a routine has a few levels, not thousands)"
        ) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise DocumentNotReadError(path, "it holds a number thousands of digits long") from None
    if not isinstance(data, dict):
        shown = type(data).__name__ if data is not None else "an empty document"
        raise InvalidDocumentError(
            path, [Problem("", "the top level must be a mapping of field names", shown)]
        )
    return data


def _not_found(path: Path) -> str:
    """``file not found``, naming the files of its folder spelt most like it."""
    folder = path.parent
    if not folder.is_dir():
        return f"file not found (there is no folder {folder})"
    names = [p.name for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES + JSON_SUFFIXES]
    near = difflib.get_close_matches(path.name, names, n=3, cutoff=NEAR_NAME_CUTOFF)
    if not near:
        return "file not found"
    return f"file not found; files with a name like it in {folder}: {', '.join(near)}"


#: How alike (difflib ratio, 0 to 1) a file's name must be to be offered for a missing one.
NEAR_NAME_CUTOFF = 0.6

#: What to do about the YAML slips people make most.
HINT_QUOTES = "text with ': ' inside needs quotes"
HINT_TABS = "use spaces, not tabs, to indent"
HINT_INDENT = "this line is indented differently from the one above"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _yaml_hint(reason: str, lines: list[str], line: int, column: int) -> str | None:
    """A hint a person can act on for the slip at ``line`` (0-based), or None."""
    if "\\t" in reason or "\t" in reason:
        return HINT_TABS
    here = lines[line] if 0 <= line < len(lines) else ""
    if "mapping values are not allowed" in reason:
        first = here.find(": ")
        if 0 <= first < column - 1:
            key, _, value = here.strip().partition(": ")
            return f'{HINT_QUOTES}, as in {key}: "{value}"'
        return HINT_INDENT
    if "expected <block end>" in reason or "did not find expected key" in reason:
        return HINT_INDENT
    return None


def _yaml_problem(exc: yaml.YAMLError, text: str = "") -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    reason = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    hint = _yaml_hint(str(reason), text.splitlines(), mark.line, mark.column) if mark else None
    if hint is not None:
        return Problem(
            where, f"not valid YAML: {hint} (the reader says: {reason})", has_value=False
        )
    if context and "appears twice" not in str(reason):
        reason = f"{context}: {reason}"
    return Problem(where, f"not valid YAML: {reason}", has_value=False)


def format_location(loc: Sequence[int | str]) -> str:
    """Turn a pydantic location tuple into ``items[2].dose.reps``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def closest(word: str, choices: Sequence[str], n: int = 3) -> list[str]:
    """The choices nearest to ``word`` by spelling, best first (may be empty)."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)


def _model_at(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``loc`` (the parent of the last part)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The model inside ``X``, ``X | None``, ``list[X]`` or ``Annotated[X, ...]``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner_model(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    return annotation


def problems_from(error: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """Located, readable problems from a pydantic validation error."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        where = format_location(loc)
        kind = item["type"]
        if kind == "extra_forbidden":
            owner = _model_at(model, loc[:-1])
            known = sorted(owner.model_fields) if owner is not None else []
            hint = closest(str(loc[-1]), known)
            message = f"unknown field {short_repr(loc[-1])}"
            message += f"; did you mean {hint[0]!r}?" if hint else f"; allowed: {', '.join(known)}"
            problems.append(Problem(where, message, has_value=False))
            continue
        message = item["msg"]
        if kind == "value_error":
            message = message.removeprefix("Value error, ")
            if isinstance(item.get("input"), dict):  # a rule over several fields
                problems.append(Problem(where, message, has_value=False))
                continue
        if kind == "missing":
            problems.append(Problem(where, "required field is missing", has_value=False, kind=kind))
            continue
        problems.append(
            Problem(where, message, item.get("input"), kind=kind, context=dict(item.get("ctx", {})))
        )
    return problems


def validate_document(data: dict[str, Any], model: type[M], source: str | Path | None = None) -> M:
    """Validate a mapping against ``model``; every problem is raised at once, located."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidDocumentError(source, problems_from(exc, model)) from None
