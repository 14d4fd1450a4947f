"""Placing each pose in the drawing: view, facing, resting on the floor or a prop, checks.

Coordinates are those of the drawing [px]: x to the right, y up with the floor at y=0, and
a depth (larger is nearer the viewer). In the side view they are the world coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from toolkit.errors import InvalidDocumentError, Problem
from toolkit.handouts.figures.props import Box, prop_boxes, support_height
from toolkit.handouts.figures.skeleton import Capsule, Skeleton, pose_skeleton, view_rotation
from toolkit.routines.models import Pose, Poses

__all__ = ["Placed", "Scene", "place_pose", "build_scene", "collisions", "SAMPLES"]

#: Points checked along each capsule against the floor and the props. [count]
SAMPLES = 9
#: How far a part may sink into a prop before it counts as a collision. [px]
TOLERANCE = 0.6


@dataclass(frozen=True)
class Placed:
    """One pose placed in the drawing: its key (``start``, ``end``, ``also[0]``...)."""

    key: str
    pose: Pose
    skeleton: Skeleton


@dataclass(frozen=True)
class Scene:
    """Every pose of an exercise placed, with the prop boxes they share."""

    poses: Poses
    placed: tuple[Placed, ...]
    boxes: tuple[Box, ...]


def _turned(pose: Pose, view: str, facing: str) -> Skeleton:
    # the top view is placed as the side view (so it rests on the floor or the mat) and only
    # turned when drawn: see :func:`toolkit.handouts.figures.svg.from_above`
    rot = view_rotation("side" if view == "top" else view)
    mirror = -1.0 if facing == "left" else 1.0

    def turn(p: tuple[float, float, float]) -> tuple[float, float, float]:
        q = rot @ np.array(p)
        return (mirror * float(q[0]), float(q[1]), float(q[2]))

    raw = pose_skeleton(pose)
    return Skeleton(
        {k: turn(v) for k, v in raw.joints.items()},
        tuple(Capsule(c.name, c.chain, turn(c.a), turn(c.b), c.radius) for c in raw.capsules),
    )


def _samples(c: Capsule) -> list[tuple[float, float]]:
    return [
        (c.a[0] + (c.b[0] - c.a[0]) * t, c.a[1] + (c.b[1] - c.a[1]) * t)
        for t in np.linspace(0.0, 1.0, SAMPLES)
    ]


def place_pose(
    pose: Pose, view: str = "side", facing: str = "right", boxes: Sequence[Box] = ()
) -> Skeleton:
    """Turn a pose to the view and rest it on the floor or its support.

    Parameters
    ----------
    pose : Pose
        Joint angles [deg]; ``hip_x`` and ``hip_y`` [px] place the hip centre when given.
    view, facing : str
        Named view (see :func:`view_rotation`) and which way the figure faces. A ``top`` view
        is placed as the side view; the drawing turns it.
    boxes : sequence of Box
        The props; the body is lowered until its lowest part rests on one.
    """
    turned = _turned(pose, view, facing)
    dx = pose.hip_x or 0.0
    if pose.hip_y is not None:
        return turned.moved(dx, pose.hip_y)
    lift = float(
        max(
            support_height(boxes, x + dx) + c.radius - y
            for c in turned.capsules
            for x, y in _samples(c)
        )
    )
    return turned.moved(dx, lift)


def collisions(skeleton: Skeleton, boxes: Sequence[Box]) -> list[tuple[str, str, float]]:
    """Parts that sink into the floor or a prop: (part, prop part, depth [px]), deepest first."""
    found: dict[tuple[str, str], float] = {}
    for c in skeleton.capsules:
        for x, y in _samples(c):
            depth = c.radius - y
            if depth > TOLERANCE:
                found[(c.name, "floor")] = max(found.get((c.name, "floor"), 0.0), depth)
            for b in boxes:
                inside = min(x - b.x0, b.x1 - x, y - b.y0, b.y1 - y)
                gap = c.radius + inside  # how far the capsule reaches into the box
                nearest = np.hypot(max(b.x0 - x, 0.0, x - b.x1), max(b.y0 - y, 0.0, y - b.y1))
                depth = gap if inside >= 0 else c.radius - nearest
                if depth > TOLERANCE:
                    key = (c.name, f"{b.prop} {b.part}" if b.prop != b.part else b.prop)
                    found[key] = max(found.get(key, 0.0), float(depth))
    return sorted(((p, q, d) for (p, q), d in found.items()), key=lambda t: -t[2])


def _keyed(poses: Poses) -> list[tuple[str, Pose]]:
    middle = [(f"also[{i}]", p) for i, p in enumerate(poses.also)]
    return [("start", poses.start), *middle, ("end", poses.end)]


def build_scene(poses: Poses, source: str | Path | None = None) -> Scene:
    """Place every pose of an exercise with its props, and refuse a body inside a prop.

    Raises
    ------
    InvalidDocumentError
        A pose that puts a part of the body into the floor, the mat, a wall or a chair; the
        problem names the pose field (``poses.end.hip_y``...) and how deep it goes [px].
    """
    keyed = _keyed(poses)
    xs = [
        x
        for _, pose in keyed
        for c in _turned(pose, poses.view, poses.facing).capsules
        for x in (c.a[0] + (pose.hip_x or 0.0), c.b[0] + (pose.hip_x or 0.0))
    ]
    boxes = tuple(prop_boxes(poses.props, (min(xs), max(xs)), poses.facing))
    placed = []
    problems = []
    for key, pose in keyed:
        skeleton = place_pose(pose, poses.view, poses.facing, boxes)
        hits = collisions(skeleton, boxes)
        if hits:
            part, prop, depth = hits[0]
            field = "hip_y" if pose.hip_y is not None else "hip_x" if pose.hip_x else ""
            where = f"poses.{key}" + (f".{field}" if field else "")
            message = (
                f"puts the {part.replace('_', ' ')} {depth:.1f} px into the {prop}; "
                "change the joint angles or the hip position"
            )
            value = getattr(pose, field) if field else None
            problems.append(Problem(where, message, value, has_value=bool(field)))
        placed.append(Placed(key, pose, skeleton))
    if problems:
        raise InvalidDocumentError(source, problems)
    return Scene(poses, tuple(placed), boxes)
