"""Proportions of the figure and forward kinematics: joint angles to joint positions.

The figure is built in three dimensions so that a side-lying or twisting exercise can be
shown, then seen along one axis. World coordinates are in drawing units [px]: x forward
(the way a standing figure faces), y up with the floor at y=0, z toward the viewer of the
side view (the ``near`` side). Every segment is a capsule: a line with a radius.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from toolkit.routines.models import Pose

__all__ = [
    "Capsule",
    "Skeleton",
    "LENGTHS",
    "RADII",
    "pose_skeleton",
    "view_rotation",
    "ABOVE_ELEVATION",
    "ANGLED_TURN",
    "ANGLED_ELEVATION",
]

#: Segment lengths. [px]
LENGTHS = {
    "lower_trunk": 22.0,
    "upper_trunk": 30.0,
    "neck": 7.0,
    "head": 11.0,
    "hip_half": 8.0,
    "shoulder_half": 10.0,
    "shoulder_drop": 5.0,
    "upper_arm": 28.0,
    "forearm": 24.0,
    "thigh": 41.0,
    "shin": 39.0,
    "ankle_height": 5.0,
    "heel": 4.0,
    "foot": 14.0,
}

#: Half-thickness of each capsule. [px]
RADII = {
    "hips": 11.0,
    "lower_trunk": 12.5,
    "upper_trunk": 14.0,
    "shoulders": 9.0,
    "neck": 4.5,
    "head": 11.0,
    "nose": 2.6,
    "thigh": 8.0,
    "shin": 6.2,
    "foot": 3.4,
    "upper_arm": 5.4,
    "forearm": 4.4,
    "hand": 4.6,
}

#: How far above the near side the ``above`` view looks from. [deg]
ABOVE_ELEVATION = 25.0
#: How far the ``angled`` view turns from the near side toward the feet end, and looks from
#: above. [deg]
ANGLED_TURN = 30.0
ANGLED_ELEVATION = 20.0

Vec = np.ndarray


def _rx(deg: float) -> Vec:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def _ry(deg: float) -> Vec:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _rz(deg: float) -> Vec:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def view_rotation(view: str) -> Vec:
    """Rotation from world to camera for a named view (camera looks along -z).

    Parameters
    ----------
    view : str
        ``side`` (from the near side), ``front`` (from in front of a standing figure, that
        is from +x), ``feet`` (a three-quarter view from the feet end of a lying figure),
        ``above`` (from the near side and :data:`ABOVE_ELEVATION` higher, so that bent knees
        of a side-lying figure show) or ``angled`` (from the near side turned
        :data:`ANGLED_TURN` toward the feet end of a figure lying on its back and
        :data:`ANGLED_ELEVATION` higher, so that a leg crossed over the other shows).
    """
    if view == "front":
        return _ry(-90.0)
    if view == "feet":
        return _rx(28.0) @ _ry(-90.0)
    if view == "above":
        return _rx(ABOVE_ELEVATION)
    if view == "angled":
        return _rx(ANGLED_ELEVATION) @ _ry(-ANGLED_TURN)
    return np.eye(3)


@dataclass(frozen=True)
class Capsule:
    """One solid part of the figure: a segment from ``a`` to ``b`` with a ``radius`` [px].

    ``chain`` groups parts drawn together (``trunk``, ``near_leg``, ``far_arm``...).
    """

    name: str
    chain: str
    a: tuple[float, float, float]
    b: tuple[float, float, float]
    radius: float


@dataclass(frozen=True)
class Skeleton:
    """Joint positions [px] (world coordinates, floor at y=0, up positive) and the parts."""

    joints: dict[str, tuple[float, float, float]]
    capsules: tuple[Capsule, ...]

    def moved(self, dx: float, dy: float) -> Skeleton:
        """The same skeleton shifted by ``dx``, ``dy``. [px]"""

        def shift(p: tuple[float, float, float]) -> tuple[float, float, float]:
            return (p[0] + dx, p[1] + dy, p[2])

        return Skeleton(
            {k: shift(v) for k, v in self.joints.items()},
            tuple(
                Capsule(c.name, c.chain, shift(c.a), shift(c.b), c.radius) for c in self.capsules
            ),
        )


def _leg(joints: dict[str, Vec], pose: Pose, side: str, pelvis: Vec, r_pelvis: Vec) -> None:
    sign = 1.0 if side == "near" else -1.0
    length = LENGTHS
    hip = pelvis + r_pelvis @ np.array([0.0, 0.0, sign * length["hip_half"]])
    r_thigh = (
        r_pelvis
        @ _rz(getattr(pose, f"{side}_hip"))
        @ _rx(-sign * getattr(pose, f"{side}_hip_abd"))
        @ _ry(sign * getattr(pose, f"{side}_hip_rot"))
    )
    knee = hip + r_thigh @ np.array([0.0, -length["thigh"], 0.0])
    r_shin = r_thigh @ _rz(-getattr(pose, f"{side}_knee"))
    ankle = knee + r_shin @ np.array([0.0, -length["shin"], 0.0])
    r_foot = r_shin @ _rz(-getattr(pose, f"{side}_ankle"))
    joints[f"{side}_hip"] = hip
    joints[f"{side}_knee"] = knee
    joints[f"{side}_ankle"] = ankle
    joints[f"{side}_heel"] = ankle + r_foot @ np.array(
        [-length["heel"], -length["ankle_height"], 0.0]
    )
    joints[f"{side}_toe"] = ankle + r_foot @ np.array(
        [length["foot"], -length["ankle_height"], 0.0]
    )


def _arm(joints: dict[str, Vec], pose: Pose, side: str, neck: Vec, r_chest: Vec) -> None:
    sign = 1.0 if side == "near" else -1.0
    length = LENGTHS
    shoulder = neck + r_chest @ np.array(
        [0.0, -length["shoulder_drop"], sign * length["shoulder_half"]]
    )
    r_upper = (
        r_chest
        @ _rz(getattr(pose, f"{side}_shoulder"))
        @ _rx(-sign * getattr(pose, f"{side}_shoulder_abd"))
    )
    elbow = shoulder + r_upper @ np.array([0.0, -length["upper_arm"], 0.0])
    r_fore = r_upper @ _rz(getattr(pose, f"{side}_elbow"))
    wrist = elbow + r_fore @ np.array([0.0, -length["forearm"], 0.0])
    joints[f"{side}_shoulder"] = shoulder
    joints[f"{side}_elbow"] = elbow
    joints[f"{side}_wrist"] = wrist
    joints[f"{side}_hand"] = wrist + r_fore @ np.array([0.0, -RADII["hand"], 0.0])


def _capsules(j: dict[str, tuple[float, float, float]]) -> tuple[Capsule, ...]:
    r = RADII
    parts = [
        ("hips", "trunk", "near_hip", "far_hip"),
        ("lower_trunk", "trunk", "pelvis", "waist"),
        ("upper_trunk", "trunk", "waist", "chest"),
        ("shoulders", "trunk", "near_shoulder", "far_shoulder"),
        ("neck", "trunk", "neck", "head"),
        ("nose", "trunk", "nose", "nose"),
        ("head", "trunk", "head", "head"),
    ]
    for side in ("near", "far"):
        parts += [
            ("thigh", f"{side}_leg", f"{side}_hip", f"{side}_knee"),
            ("shin", f"{side}_leg", f"{side}_knee", f"{side}_ankle"),
            ("foot", f"{side}_leg", f"{side}_heel", f"{side}_toe"),
            ("upper_arm", f"{side}_arm", f"{side}_shoulder", f"{side}_elbow"),
            ("forearm", f"{side}_arm", f"{side}_elbow", f"{side}_wrist"),
            ("hand", f"{side}_arm", f"{side}_hand", f"{side}_hand"),
        ]
    return tuple(
        Capsule(
            name if chain == "trunk" else f"{chain.split('_')[0]}_{name}",
            chain,
            j[a],
            j[b],
            r[name],
        )
        for name, chain, a, b in parts
    )


def pose_skeleton(pose: Pose) -> Skeleton:
    """Joint positions of a pose with the hip centre at (0, 0, 0), before placing it.

    Parameters
    ----------
    pose : Pose
        Joint angles [deg].

    Returns
    -------
    Skeleton
        Joints named ``pelvis`` (hip centre), ``waist``, ``chest``, ``neck``, ``head`` (centre
        of the head), ``nose``, ``belly`` (the front of the belly), and for ``near``/``far``:
        ``hip``, ``knee``, ``ankle``, ``heel``, ``toe``, ``shoulder``, ``elbow``, ``wrist``,
        ``hand``. [px]
    """
    length = LENGTHS
    joints: dict[str, Vec] = {}
    pelvis = np.zeros(3)
    r_pelvis = _rz(-pose.trunk) @ _ry(pose.roll)
    waist = pelvis + r_pelvis @ np.array([0.0, length["lower_trunk"], 0.0])
    r_chest = r_pelvis @ _rz(-pose.spine) @ _ry(pose.twist)
    neck = waist + r_chest @ np.array([0.0, length["upper_trunk"], 0.0])
    r_head = r_chest @ _rz(-pose.neck)
    head = neck + r_head @ np.array([0.0, length["neck"] + length["head"], 0.0])
    joints.update(pelvis=pelvis, waist=waist, neck=neck, head=head)
    joints["chest"] = neck + r_chest @ np.array([0.0, -RADII["upper_trunk"] * 0.45, 0.0])
    joints["nose"] = head + r_head @ np.array([length["head"] * 0.95, -1.5, 0.0])
    for side in ("near", "far"):
        _leg(joints, pose, side, pelvis, r_pelvis)
        _arm(joints, pose, side, neck, r_chest)
    # the front of the belly, pushed out or drawn in by ``belly`` (the back stays put)
    front = r_pelvis @ np.array([1.0, 0.0, 0.0])
    joints["belly"] = (pelvis + waist) / 2 + front * (RADII["lower_trunk"] + pose.belly)
    points = {k: (float(v[0]), float(v[1]), float(v[2])) for k, v in joints.items()}
    capsules = _capsules(points)
    if pose.belly:
        shift = front * pose.belly / 2
        capsules = tuple(
            Capsule(
                c.name,
                c.chain,
                _point(np.array(c.a) + shift),
                _point(np.array(c.b) + shift),
                c.radius + pose.belly / 2,
            )
            if c.name == "lower_trunk"
            else c
            for c in capsules
        )
    return Skeleton(points, capsules)


def _point(v: Vec) -> tuple[float, float, float]:
    return (float(v[0]), float(v[1]), float(v[2]))
