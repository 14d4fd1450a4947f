"""The props the library uses (mat, bed, chair, wall, strap, step, cushion) as simple boxes.

Each prop is a set of axis-aligned boxes in drawing coordinates [px] (floor at y=0, up
positive). A *support* box is one the body may rest on but not sink into (mat, bed, chair
seat, step, cushion); a *solid* box is one the body may touch but not pass through (wall,
chair back). The strap has no box: it is drawn between the hands and a foot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.routines.models import Prop

__all__ = ["Box", "MAT_THICKNESS", "SEAT_HEIGHT", "prop_boxes", "support_height"]

#: Thickness of the exercise mat. [px]
MAT_THICKNESS = 4.0
#: Height of the chair seat above the floor. [px]
SEAT_HEIGHT = 40.0
_BED_HEIGHT = 34.0
_SEAT_DEPTH = 40.0
_BACK_HEIGHT = 48.0
_WALL_HEIGHT = 200.0
_STEP = (50.0, 18.0)
_CUSHION = (26.0, 7.0)


@dataclass(frozen=True)
class Box:
    """An axis-aligned box [px]: ``x0 <= x <= x1``, ``y0 <= y <= y1``.

    ``prop`` is the prop it belongs to, ``part`` what it is (``seat``, ``back``, ``leg``...),
    ``support`` whether the body may rest on its top.
    """

    prop: str
    part: str
    x0: float
    y0: float
    x1: float
    y1: float
    support: bool


def prop_boxes(props: Sequence[Prop], body_x: tuple[float, float], facing: str) -> list[Box]:
    """The boxes of every prop, the mat and bed spanning the body's extent ``body_x``.

    Parameters
    ----------
    props : sequence of Prop
        The props of the exercise; ``x`` places a chair (centre of the seat), a wall (its
        face), a step or a cushion (centre) [px].
    body_x : (float, float)
        Leftmost and rightmost x of the figure in all its positions. [px]
    facing : str
        ``right`` or ``left``: the chair back and the wall are behind the figure.
    """
    back = -1.0 if facing == "right" else 1.0
    boxes: list[Box] = []
    kinds = {p.kind for p in props}
    base = MAT_THICKNESS if "mat" in kinds else 0.0
    for prop in props:
        x = prop.x
        if prop.kind == "mat":
            boxes.append(Box("mat", "mat", body_x[0] - 14, 0.0, body_x[1] + 14, base, True))
        elif prop.kind == "bed":
            x0, x1 = body_x[0] - 14, body_x[1] + 14
            boxes.append(Box("bed", "top", x0, _BED_HEIGHT - 8, x1, _BED_HEIGHT, True))
            for leg in (x0 + 4, x1 - 10):
                boxes.append(Box("bed", "leg", leg, 0.0, leg + 6, _BED_HEIGHT - 8, False))
        elif prop.kind == "chair":
            half = _SEAT_DEPTH / 2
            boxes.append(
                Box("chair", "seat", x - half, SEAT_HEIGHT - 4, x + half, SEAT_HEIGHT, True)
            )
            rear = x + back * half
            bx0, bx1 = sorted((rear, rear - back * 4))
            boxes.append(
                Box("chair", "back", bx0, SEAT_HEIGHT, bx1, SEAT_HEIGHT + _BACK_HEIGHT, False)
            )
            for leg in (x - half + 1, x + half - 4):
                boxes.append(Box("chair", "leg", leg, 0.0, leg + 3, SEAT_HEIGHT - 4, False))
        elif prop.kind == "wall":
            x0, x1 = sorted((x, x + back * 10))
            boxes.append(Box("wall", "wall", x0, 0.0, x1, _WALL_HEIGHT, False))
        elif prop.kind == "step":
            boxes.append(
                Box("step", "step", x - _STEP[0] / 2, 0.0, x + _STEP[0] / 2, _STEP[1], True)
            )
        elif prop.kind == "cushion":
            w, h = _CUSHION
            boxes.append(Box("cushion", "cushion", x - w / 2, base, x + w / 2, base + h, True))
    return boxes


def support_height(boxes: Sequence[Box], x: float) -> float:
    """Height of the highest support under ``x`` (0 for the bare floor). [px]"""
    tops = [b.y1 for b in boxes if b.support and b.x0 <= x <= b.x1]
    return max(tops, default=0.0)
