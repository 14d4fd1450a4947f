"""The text alternative of a drawing, when the exercise file gives none."""

from __future__ import annotations

from toolkit.routines.models import Exercise

__all__ = ["alt_text"]

_POSITION = {
    "lying-on-back": "lying on your back",
    "lying-on-front": "lying on your front",
    "lying-on-side": "lying on your side",
    "hands-and-knees": "on your hands and knees",
    "kneeling": "kneeling",
    "sitting": "sitting",
    "standing": "standing",
}

_PROP = {
    "mat": "on a mat",
    "bed": "on a bed",
    "chair": "with a chair",
    "wall": "with your back to a wall",
    "strap": "holding a strap",
    "step": "with a step",
    "cushion": "with a cushion",
}


def alt_text(exercise: Exercise) -> str:
    """What the drawing shows, in the patient's words.

    The ``alt`` of the ``poses`` section when given; otherwise built from the position,
    the props and how the drawing shows the movement.
    """
    poses = exercise.poses
    if poses is not None and poses.alt:
        return poses.alt
    place = _POSITION[exercise.position]
    props = [_PROP[p.kind] for p in poses.props] if poses is not None else []
    where = " ".join([place, *props])
    name = exercise.name[0].lower() + exercise.name[1:]
    if poses is not None and poses.show == "panels":
        how = "the left picture shows the start and the right picture the end position."
    else:
        how = "the solid figure shows the end position; a faint outline shows the start."
    return f"Drawing of {name}: {where}; {how}"
