"""Changes to a routine, as pure functions: each takes a routine and returns a new, valid one.

The interactive editor calls exactly these, so every change made with widgets can be made,
and reproduced, in code::

    routine = swap_exercise(routine, find_item(routine, "drawing-in"), "dead-bug")
    routine = set_dose(routine, 3, library, reps=5)

A change that would make the routine invalid raises :class:`InvalidDocumentError` with the
place of each problem (``items[3].dose.reps``) and leaves the original untouched.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from toolkit.errors import HepkitError, InvalidDocumentError
from toolkit.routines.documents import validate_document
from toolkit.routines.library import Library
from toolkit.routines.models import Dose, Routine
from toolkit.routines.routine import check_exercises, effective_dose

__all__ = [
    "find_item",
    "set_fields",
    "set_schedule",
    "add_item",
    "remove_item",
    "move_item",
    "duplicate_item",
    "swap_exercise",
    "set_dose",
    "reset_dose",
    "set_note",
    "problems_of",
    "dose_fields",
    "dose_bounds",
    "DOSE_FIELDS",
]


#: The dose fields that make sense for each kind of dose, in the order an editor shows them.
DOSE_FIELDS = {
    "timed": ("sets", "duration_s", "rest_s", "side"),
    "holds": ("sets", "reps", "hold_s", "rest_s", "side"),
    "breaths": ("sets", "reps", "rest_s"),
    "repetitions": ("sets", "reps", "rest_s", "side"),
}


def dose_fields(dose: Dose) -> tuple[str, ...]:
    """The fields a person can change for this kind of dose (timed, holds, breaths, reps)."""
    return DOSE_FIELDS["timed" if dose.timed else dose.counts]


def dose_bounds(field: str) -> tuple[int, int]:
    """The smallest and largest value the routine format allows for a dose field."""
    low, high = 0, 10_000
    for rule in Dose.model_fields[field].metadata:
        low = getattr(rule, "ge", low)
        high = getattr(rule, "le", high)
    return low, high


def _rebuild(data: dict[str, Any], library: Library | None = None) -> Routine:
    routine = validate_document(data, Routine)
    if library is not None:
        problems = check_exercises(routine, library)
        if problems:
            raise InvalidDocumentError(None, problems)
    return routine


def _data(routine: Routine) -> dict[str, Any]:
    return routine.model_dump(mode="python")


def _check_index(routine: Routine, index: int) -> None:
    if not 0 <= index < len(routine.items):
        raise HepkitError(
            f"item {index} does not exist; the routine has items 0 to {len(routine.items) - 1}"
        )


def find_item(routine: Routine, exercise_id: str) -> int:
    """The index of the first item using ``exercise_id``."""
    for index, item in enumerate(routine.items):
        if item.exercise == exercise_id:
            return index
    used = ", ".join(item.exercise for item in routine.items)
    raise HepkitError(f"no item uses exercise {exercise_id!r}; the routine has: {used}")


def set_fields(routine: Routine, **fields: Any) -> Routine:
    """Change top-level fields (``title``, ``introduction``, ``author``, ...)."""
    data = _data(routine)
    unknown = sorted(set(fields) - set(Routine.model_fields) - {"items", "schedule"})
    if unknown:
        raise HepkitError(f"unknown routine field(s): {', '.join(unknown)}")
    data.update(fields)
    return _rebuild(data)


def set_schedule(
    routine: Routine, sessions_per_day: int | None = None, days_per_week: int | None = None
) -> Routine:
    """Change how often the routine is done. [sessions/day, days/week]"""
    data = _data(routine)
    if sessions_per_day is not None:
        data["schedule"]["sessions_per_day"] = sessions_per_day
    if days_per_week is not None:
        data["schedule"]["days_per_week"] = days_per_week
    return _rebuild(data)


def add_item(
    routine: Routine, exercise_id: str, library: Library, index: int | None = None
) -> Routine:
    """Add an exercise from the library (at the end, or before ``index``)."""
    library.get(exercise_id)
    data = _data(routine)
    position = len(data["items"]) if index is None else index
    data["items"].insert(position, {"exercise": exercise_id})
    return _rebuild(data, library)


def remove_item(routine: Routine, index: int) -> Routine:
    """Remove the item at ``index``; a routine keeps at least one item."""
    _check_index(routine, index)
    if len(routine.items) == 1:
        raise HepkitError("a routine needs at least one exercise; add another before removing this")
    data = _data(routine)
    del data["items"][index]
    return _rebuild(data)


def move_item(routine: Routine, index: int, offset: int) -> Routine:
    """Move the item at ``index`` by ``offset`` places (-1 up, +1 down), within the list."""
    _check_index(routine, index)
    target = min(max(index + offset, 0), len(routine.items) - 1)
    data = _data(routine)
    item = data["items"].pop(index)
    data["items"].insert(target, item)
    return _rebuild(data)


def duplicate_item(routine: Routine, index: int) -> Routine:
    """Put a copy of the item at ``index`` right after it (for example for a second set)."""
    _check_index(routine, index)
    data = _data(routine)
    data["items"].insert(index + 1, dict(data["items"][index]))
    return _rebuild(data)


def swap_exercise(routine: Routine, index: int, exercise_id: str, library: Library) -> Routine:
    """Replace the exercise of an item, keeping its note; its dose goes back to the default."""
    _check_index(routine, index)
    library.get(exercise_id)
    data = _data(routine)
    data["items"][index]["exercise"] = exercise_id
    data["items"][index]["dose"] = None
    return _rebuild(data, library)


def set_dose(routine: Routine, index: int, library: Library, **changes: Any) -> Routine:
    """Change dose fields of one item (``sets``, ``reps``, ``hold_s``, ``rest_s``, ...).

    The item's dose starts from the exercise's default when it has none of its own. A change
    back to exactly the default dose removes the item's own dose.
    """
    _check_index(routine, index)
    item = routine.items[index]
    exercise = library.get(item.exercise)
    unknown = sorted(set(changes) - set(Dose.model_fields))
    if unknown:
        raise HepkitError(
            f"unknown dose field(s): {', '.join(unknown)}; allowed: {', '.join(Dose.model_fields)}"
        )
    dose = effective_dose(item, exercise).model_dump() | changes
    try:
        new_dose = Dose.model_validate(dose)
    except ValidationError:
        data = _data(routine)
        data["items"][index]["dose"] = dose
        return _rebuild(data)  # raises, located at items[i].dose...
    data = _data(routine)
    data["items"][index]["dose"] = (
        None if new_dose == exercise.default_dose else new_dose.model_dump()
    )
    return _rebuild(data)


def reset_dose(routine: Routine, index: int) -> Routine:
    """Go back to the exercise's default dose for one item."""
    _check_index(routine, index)
    data = _data(routine)
    data["items"][index]["dose"] = None
    return _rebuild(data)


def set_note(routine: Routine, index: int, note: str | None) -> Routine:
    """The clinician's note on one item for this patient; empty text removes it."""
    _check_index(routine, index)
    data = _data(routine)
    data["items"][index]["note"] = note if note and note.strip() else None
    return _rebuild(data)


def problems_of(error: InvalidDocumentError) -> dict[str, str]:
    """Problems by place, for showing each beside its field."""
    return {p.where: p.message for p in error.problems}
