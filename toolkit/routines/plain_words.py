"""Problems in plain words, for people who edit routines rather than files.

:func:`toolkit.routines.documents.validate_document` reports what pydantic found, with its
wording ("String should have at least 1 character"), which suits a person checking a file. The
editor shows the same problems to a clinician; this module says them in everyday words ("The
title can't be empty"), with the model's own bounds for numbers ("Times must be between 1 and
50, not 0"). It is the one place where pydantic's kinds of error become sentences.
"""

from __future__ import annotations

from typing import Any

from toolkit.errors import InvalidDocumentError, Problem
from toolkit.routines.models import Contact, Dose, Routine, RoutineItem, Schedule

__all__ = ["FIELD_WORDS", "field_words", "number_bounds", "plain_problem", "plain_error"]

#: What each field is called when speaking to a clinician (the editor's own labels).
FIELD_WORDS = {
    "title": "the title",
    "author": "the author",
    "introduction": "the introduction",
    "safety_notice": "the safety notice",
    "condition": "the condition",
    "note": "the note",
    "items": "the list of exercises",
    "exercise": "the exercise",
    "sets": "sets",
    "reps": "times",
    "hold_s": "the hold",
    "rest_s": "the rest",
    "duration_s": "the time",
    "side": "the side",
    "sessions_per_day": "sessions a day",
    "days_per_week": "days a week",
    "version": "the version",
    "name": "the name",
    "phone": "the phone number",
    "email": "the email address",
    "website": "the website",
    "address": "the address",
    "created": "the date created",
    "updated": "the date updated",
}

#: Fields counted in seconds, whose bounds are said with the unit.
SECONDS = frozenset({"hold_s", "rest_s", "duration_s"})

_MODELS = (Dose, Schedule, RoutineItem, Routine, Contact)

_BOUNDS_KINDS = frozenset({"greater_than_equal", "less_than_equal", "greater_than", "less_than"})
_WHOLE_NUMBER_KINDS = frozenset({"int_parsing", "int_type", "int_from_float"})


def field_words(where: str) -> str:
    """What the field at ``where`` (``items[3].dose.reps``) is called, in lower case."""
    name = where.rsplit(".", 1)[-1].split("[", 1)[0]
    return FIELD_WORDS.get(name, name.replace("_", " ") or "the routine")


def number_bounds(name: str) -> tuple[int | None, int | None]:
    """The smallest and largest value the routine format allows for a number field.

    ``None`` for a side without a bound, or for a field that is not a number of the format.
    """
    for model in _MODELS:
        info = model.model_fields.get(name)
        if info is None:
            continue
        low = high = None
        for rule in info.metadata:
            low = getattr(rule, "ge", low)
            high = getattr(rule, "le", high)
        return low, high
    return None, None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bounds_message(where: str, value: Any) -> str:
    name = where.rsplit(".", 1)[-1]
    low, high = number_bounds(name)
    unit = " seconds" if name in SECONDS else ""
    words = _sentence(field_words(where))
    if low is not None and high is not None:
        return f"{words} must be between {low} and {high}{unit}, not {value}"
    if low is not None:
        return f"{words} must be at least {low}{unit}, not {value}"
    return f"{words} must be at most {high}{unit}, not {value}"


def plain_problem(problem: Problem) -> Problem:
    """The same problem, at the same place, said in everyday words.

    A problem whose kind is not one of the known ones keeps its message.
    """
    words = _sentence(field_words(problem.where))
    kind, context, value = problem.kind, problem.context, problem.value
    if kind == "string_too_short":
        least = context.get("min_length", 1)
        message = (
            f"{words} can't be empty"
            if least == 1
            else f"{words} needs at least {least} characters"
        )
    elif kind == "string_too_long":
        message = (
            f"{words} is too long: {len(str(value))} characters, "
            f"at most {context.get('max_length')} fit"
        )
    elif kind in _BOUNDS_KINDS:
        message = _bounds_message(problem.where, value)
    elif kind in _WHOLE_NUMBER_KINDS:
        message = f"{words} must be a whole number, not {value!r}"
    elif kind == "literal_error":
        message = f"{words} must be one of {context.get('expected')}, not {value!r}"
    elif kind == "too_short":
        message = f"{words} needs at least {context.get('min_length')}"
        message += " exercise" if problem.where.endswith("items") else " entry"
    elif kind == "string_pattern_mismatch":
        message = f"{words} is not written in a form that can be used: {value!r}"
    elif kind == "missing":
        message = f"{words} is needed"
    else:
        return problem
    return Problem(problem.where, message, value, has_value=False, kind=kind, context=context)


def plain_error(error: InvalidDocumentError) -> InvalidDocumentError:
    """The same error, each of its problems in everyday words (see :func:`plain_problem`)."""
    source = None if error.source == "<memory>" else error.source
    return InvalidDocumentError(source, [plain_problem(p) for p in error.problems])
