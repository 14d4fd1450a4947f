"""Exercise drawings: one articulated figure posed by joint angles, drawn as SVG.

Public use::

    figure = exercise_figure(exercise)      # exercise.poses from its YAML
    figure.svg, figure.alt                  # SVG text and its text alternative
    joints = skeleton(pose)                 # placed joint positions, for checks [px]

Modules: :mod:`.skeleton` (proportions, joint angles to positions), :mod:`.props` (mat,
chair, wall...), :mod:`.layout` (view, resting on the floor, collision checks), :mod:`.svg`
(drawing) and :mod:`.words` (the generated alt text).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InvalidDocumentError, Problem
from toolkit.handouts.figures.layout import Scene, build_scene, place_pose
from toolkit.handouts.figures.props import prop_boxes
from toolkit.handouts.figures.svg import scene_svg
from toolkit.handouts.figures.words import alt_text
from toolkit.routines.models import Exercise, Pose, Prop

__all__ = ["Figure", "exercise_figure", "exercise_scene", "skeleton"]


@dataclass(frozen=True)
class Figure:
    """A drawn exercise: ``svg`` (self-contained SVG text) and ``alt`` (what it shows)."""

    exercise_id: str
    svg: str
    alt: str


def exercise_scene(exercise: Exercise, source: str | Path | None = None) -> Scene:
    """Every pose of the exercise placed in the drawing, with its props.

    Parameters
    ----------
    exercise : Exercise
        An exercise with a ``poses`` section.
    source : str or Path, optional
        The exercise file, named in errors.

    Raises
    ------
    InvalidDocumentError
        No ``poses`` section, or a pose that puts the body into the floor or a prop.
    """
    where = source if source is not None else f"exercise {exercise.id!r}"
    if exercise.poses is None:
        raise InvalidDocumentError(
            where,
            [
                Problem(
                    "poses",
                    "no poses to draw; add a poses: section with start and end",
                    has_value=False,
                )
            ],
        )
    return build_scene(exercise.poses, where)


def exercise_figure(exercise: Exercise, source: str | Path | None = None) -> Figure:
    """Draw an exercise: the end pose over a faint start, or start and end side by side.

    Parameters
    ----------
    exercise : Exercise
        An exercise with a ``poses`` section.
    source : str or Path, optional
        The exercise file, named in errors.

    Returns
    -------
    Figure
        The SVG (deterministic: the same exercise gives the same bytes) and its alt text.
    """
    scene = exercise_scene(exercise, source)
    alt = alt_text(exercise)
    return Figure(exercise.id, scene_svg(scene, alt), alt)


def skeleton(
    pose: Pose,
    view: str = "side",
    facing: str = "right",
    props: list[Prop] | None = None,
) -> dict[str, tuple[float, float, float]]:
    """Joint positions of a pose placed in the drawing. [px]

    Parameters
    ----------
    pose : Pose
        Joint angles [deg], optionally the hip position [px].
    view, facing : str
        As in the ``poses`` section of an exercise file.
    props : list of Prop, optional
        The props; the body rests on the highest one under it (floor at y=0 otherwise).

    Returns
    -------
    dict
        Joint name to (x, y, depth) [px]: x to the right, y up from the floor, depth
        toward the viewer.
    """
    raw = place_pose(pose, view, facing)
    xs = [x for c in raw.capsules for x in (c.a[0], c.b[0])]
    boxes = prop_boxes(props or [], (min(xs), max(xs)), facing)
    return dict(place_pose(pose, view, facing, boxes).joints)
