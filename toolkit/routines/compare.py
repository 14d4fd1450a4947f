"""What differs between two versions of a routine, in plain words a clinician reads.

    >>> for change in compare_routines(load_routine("back-v1.yaml"), load_routine("back-v2.yaml"),
    ...                                library):
    ...     print(change)
    Title: “Back care, week 1” → “Back care, week 2”
    Added: Pelvic tilt (after Drawing-in)
    Single knee to chest: reps 10 → 12

Exercises are matched by their id (the second of two alike with the second), so an exercise
that changed place is *moved*, not removed and added again; of the exercises in both versions,
the fewest that explain the new order are the ones called moved. An exercise added where one
was removed *replaced* it. Doses are compared as the
patient gets them: an item without its own dose has the exercise's usual dose.

The texts are plain text, not HTML: whatever a person typed is quoted as it is, and a page
that shows them must escape them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from toolkit.errors import UnknownExerciseError
from toolkit.routines.library import Library
from toolkit.routines.models import Dose, Routine, RoutineItem
from toolkit.routines.routine import effective_dose
from toolkit.routines.wording import describe_dose, describe_seconds

__all__ = ["Change", "ChangeKind", "compare_routines", "INLINE_TEXT_CHARS"]

#: What a change is about.
ChangeKind = Literal["field", "added", "removed", "replaced", "moved", "dose", "note"]

#: Texts up to this long are quoted in the change itself; longer ones only in ``before`` and
#: ``after``. [characters]
INLINE_TEXT_CHARS = 80

#: The routine's own fields a clinician or patient reads, in the order a change list gives them.
_TEXT_FIELDS = {
    "title": "Title",
    "condition": "Condition",
    "author": "Prepared by",
    "language": "Language",
    "introduction": "Introduction",
    "safety_notice": "Safety notice",
    "next_routine": "Next routine",
}
_CLINIC_FIELDS = {
    "name": "Clinic name",
    "phone": "Clinic phone",
    "email": "Clinic email",
    "website": "Clinic website",
    "address": "Clinic address",
}
_SIDES = {
    "both": "both sides together",
    "each-side": "each side",
    "left": "left side only",
    "right": "right side only",
    "alternating": "switching sides",
}


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a routine.

    Attributes
    ----------
    kind : {"field", "added", "removed", "replaced", "moved", "dose", "note"}
        What changed: one of the routine's own fields, or an exercise (added, removed, put in
        the place of another, moved, its dose or its note).
    text : str
        The change in plain words: ``Single knee to chest: reps 10 → 12``.
    exercise : str or None
        The exercise's id, for a change about one exercise.
    before, after : str or None
        For a text, the whole text before and after (``None`` when there was none).
    """

    kind: ChangeKind
    text: str
    exercise: str | None = None
    before: str | None = None
    after: str | None = None

    def __str__(self) -> str:
        return self.text


def _quoted(text: str) -> str:
    return f"“{text}”"


def _text_change(
    what: str,
    old: str | None,
    new: str | None,
    kind: ChangeKind = "field",
    exercise: str | None = None,
) -> Change:
    """``Title: “a” → “b”``; ``Clinic phone added: “…”``; a long text: ``Introduction changed``."""
    if old is None:
        text = f"{what} added" + (
            f": {_quoted(new or '')}" if len(new or "") <= INLINE_TEXT_CHARS else ""
        )
    elif new is None:
        text = f"{what} removed" + (
            f" (was {_quoted(old)})" if len(old) <= INLINE_TEXT_CHARS else ""
        )
    elif max(len(old), len(new)) <= INLINE_TEXT_CHARS:
        text = f"{what}: {_quoted(old)} → {_quoted(new)}"
    else:
        text = f"{what} changed"
    return Change(kind, text, exercise, old, new)


def _fields(old: Routine, new: Routine) -> list[Change]:
    changes = []
    for field, what in _TEXT_FIELDS.items():
        before, after = getattr(old, field), getattr(new, field)
        if before != after:
            changes.append(_text_change(what, before, after))
    for field, what in _CLINIC_FIELDS.items():
        before, after = getattr(old.clinic, field), getattr(new.clinic, field)
        if before != after:
            changes.append(_text_change(what, before, after))
    for field, what in (("sessions_per_day", "Sessions a day"), ("days_per_week", "Days a week")):
        before, after = getattr(old.schedule, field), getattr(new.schedule, field)
        if before != after:
            changes.append(Change("field", f"{what}: {before} → {after}"))
    changes += _progression(old.progression, new.progression)
    changes += _translations(old, new)
    return changes


def _progression(old: list[str], new: list[str]) -> list[Change]:
    removed = [step for step in old if step not in new]
    added = [step for step in new if step not in old]
    changes = [_text_change("Progression step", step, None) for step in removed]
    changes += [_text_change("Progression step", None, step) for step in added]
    kept_old = [step for step in old if step in new]
    kept_new = [step for step in new if step in old]
    if kept_old != kept_new:
        changes.append(Change("field", "Progression steps put in a new order"))
    return changes


def _translations(old: Routine, new: Routine) -> list[Change]:
    before, after = old.translations or {}, new.translations or {}
    changes = []
    for language in sorted(set(before) | set(after)):
        if language not in before:
            changes.append(Change("field", f"Texts in another language ({language}) added"))
        elif language not in after:
            changes.append(Change("field", f"Texts in another language ({language}) removed"))
        elif before[language] != after[language]:
            changes.append(Change("field", f"Texts in another language ({language}) changed"))
    return changes


def _keys(items: Sequence[RoutineItem]) -> list[tuple[str, int]]:
    """Each item as (exercise id, how many alike came before it): the same in both versions."""
    seen: Counter[str] = Counter()
    keys = []
    for item in items:
        keys.append((item.exercise, seen[item.exercise]))
        seen[item.exercise] += 1
    return keys


def _longest_rising(values: list[int]) -> set[int]:
    """The positions in ``values`` of one longest strictly rising run (not necessarily adjacent)."""
    best: list[int] = [1] * len(values)
    before: list[int | None] = [None] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            if values[j] < value and best[j] + 1 > best[i]:
                best[i], before[i] = best[j] + 1, j
    if not values:
        return set()
    position: int | None = max(range(len(values)), key=lambda i: best[i])
    kept = set()
    while position is not None:
        kept.add(position)
        position = before[position]
    return kept


class _Names:
    def __init__(self, library: Library):
        self.library = library

    def __call__(self, exercise_id: str) -> str:
        try:
            return self.library.get(exercise_id).name
        except UnknownExerciseError:
            return exercise_id


def _place(items: Sequence[RoutineItem], index: int, name: _Names) -> str:
    return "first" if index == 0 else f"after {name(items[index - 1].exercise)}"


def _seconds(value: int | None) -> str:
    return "none" if value is None else describe_seconds(value)


def _dose_changes(old: Dose, new: Dose) -> list[str]:
    """``reps 10 → 12``, one for each field that differs; a new kind of dose in full."""
    if old.timed != new.timed or old.counts != new.counts:
        return [f"dose “{describe_dose(old)}” → “{describe_dose(new)}”"]
    counted = "breaths" if new.counts == "breaths" else "reps"
    words = []
    if old.sets != new.sets:
        words.append(f"sets {old.sets} → {new.sets}")
    if old.reps != new.reps:
        words.append(f"{counted} {old.reps} → {new.reps}")
    if old.hold_s != new.hold_s:
        words.append(f"hold {_seconds(old.hold_s)} → {_seconds(new.hold_s)}")
    if old.duration_s != new.duration_s:
        words.append(f"time {_seconds(old.duration_s)} → {_seconds(new.duration_s)}")
    if old.rest_s != new.rest_s:
        words.append(f"rest between sets {_seconds(old.rest_s)} → {_seconds(new.rest_s)}")
    if old.side != new.side:
        words.append(f"side {_SIDES[old.side]} → {_SIDES[new.side]}")
    return words


def _dose(item: RoutineItem, library: Library) -> Dose | None:
    try:
        return effective_dose(item, library.get(item.exercise))
    except UnknownExerciseError:
        return item.dose


def _replacements(
    old_keys: list[tuple[str, int]], new_keys: list[tuple[str, int]]
) -> dict[int, int]:
    """Added items (new index) that took the place of a removed one (old index): both come
    right after the same exercise that is in both versions, or both come first."""
    old_at = {key: i for i, key in enumerate(old_keys)}
    new_at = {key: i for i, key in enumerate(new_keys)}

    def after(keys: list[tuple[str, int]], index: int) -> tuple[str, int] | None:
        return keys[index - 1] if index else None

    removed = {
        after(old_keys, i): i
        for i, key in enumerate(old_keys)
        if key not in new_at and (i == 0 or old_keys[i - 1] in new_at)
    }
    return {
        j: removed[after(new_keys, j)]
        for j, key in enumerate(new_keys)
        if key not in old_at
        and (j == 0 or new_keys[j - 1] in old_at)
        and after(new_keys, j) in removed
    }


def _items(old: Routine, new: Routine, library: Library) -> list[Change]:
    name = _Names(library)
    old_keys, new_keys = _keys(old.items), _keys(new.items)
    old_at = {key: i for i, key in enumerate(old_keys)}
    new_at = {key: i for i, key in enumerate(new_keys)}
    replaced = _replacements(old_keys, new_keys)
    changes = [
        Change("removed", f"Removed: {name(key[0])}", key[0])
        for i, key in enumerate(old_keys)
        if key not in new_at and i not in replaced.values()
    ]
    kept = [key for key in new_keys if key in old_at]
    stayed = {kept[i] for i in _longest_rising([old_at[key] for key in kept])}
    for index, key in enumerate(new_keys):
        exercise, item = key[0], new.items[index]
        if index in replaced:
            before = old.items[replaced[index]]
            text = f"Replaced: {name(before.exercise)} with {name(exercise)}"
            changes.append(Change("replaced", text, exercise))
            if before.note != item.note:
                what = f"{name(exercise)}: note"
                changes.append(_text_change(what, before.note, item.note, "note", exercise))
            continue
        if key not in old_at:
            where = _place(new.items, index, name)
            changes.append(Change("added", f"Added: {name(exercise)} ({where})", exercise))
            continue
        if key not in stayed:
            where = _place(new.items, index, name)
            changes.append(Change("moved", f"Moved: {name(exercise)} (now {where})", exercise))
        before = old.items[old_at[key]]
        old_dose, new_dose = _dose(before, library), _dose(item, library)
        if old_dose is not None and new_dose is not None:
            for words in _dose_changes(old_dose, new_dose):
                changes.append(Change("dose", f"{name(exercise)}: {words}", exercise))
        if before.note != item.note:
            what = f"{name(exercise)}: note"
            changes.append(_text_change(what, before.note, item.note, "note", exercise))
    return changes


def compare_routines(old: Routine, new: Routine, library: Library) -> list[Change]:
    """What changed from ``old`` to ``new``, in plain words: fields first, then exercises.

    Parameters
    ----------
    old, new : Routine
        Two versions of a routine (the earlier first).
    library : Library
        Where the exercises' names and usual doses come from; an exercise it lacks is named
        by its id.

    Returns
    -------
    list of Change
        Empty when the two say the same to the patient (the version number and the dates are
        not compared). Each change's ``text`` reads on its own:
        ``Added: Pelvic tilt (after Drawing-in)``, ``Moved: Bridge (now first)``,
        ``Replaced: Double knee to chest with Knee rolls`` (an exercise added where one was
        removed),
        ``Single knee to chest: reps 10 → 12``, ``Walking: time 10 minutes → 15 minutes``.
    """
    return _fields(old, new) + _items(old, new, library)
