"""Drawing a placed scene as a small, self-contained, deterministic SVG.

Every number is written with one decimal, elements come in a fixed order, and nothing
refers outside the file. Body parts are round-capped thick strokes drawn twice per chain of
parts (a dark outline, then the fill), so that each limb reads as one rounded solid shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

import numpy as np

from toolkit.handouts.figures.layout import Placed, Scene
from toolkit.handouts.figures.props import Box
from toolkit.handouts.figures.skeleton import RADII, Capsule, Skeleton
from toolkit.handouts.render import PALETTE

__all__ = ["COLOURS", "scene_svg", "number", "near_is_near", "from_above"]

#: Colours of the drawing: a calm blue body, far limbs much lighter, dark outlines.
COLOURS = {
    "near": "#2f6aa8",
    "trunk": "#5b8fc9",
    "far": "#c4d9ef",
    "outline": PALETTE["text"],
    "ghost": "#f3f5f8",
    "ghost_outline": "#7d8791",
    "floor": PALETTE["muted"],
    "mat": "#cbd3dc",
    "furniture": "#b9c0c8",
    "wall": "#e2e5e9",
    "cushion": PALETTE["note_background"],
    "strap": PALETTE["safety_border"],
    "arrow": PALETTE["heading"],
}

_OUTLINE = 1.3  # width of the dark edge around each part [px]
_GAP = 46.0  # between two panels, room for the arrow [px]
_MARGIN = 8.0  # around the drawing [px]
_CHAIN_ORDER = ("far_leg", "far_arm", "trunk", "near_leg", "near_arm")
_TOP_ELEVATION = 65.0  # the top view looks down from a little to the near side [deg]
_MAT_HALF_WIDTH = 34.0  # half the width of the mat, seen from above [px]


def number(value: float) -> str:
    """A coordinate with one decimal, never ``-0.0``. [px]"""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def near_is_near(skeleton: Skeleton) -> bool:
    """Whether the ``near`` limbs are the ones nearer the viewer (or on top, when level)."""
    near, far = skeleton.joints["near_hip"], skeleton.joints["far_hip"]
    if abs(near[2] - far[2]) > 1.0:
        return near[2] > far[2]
    return near[1] >= far[1]


def _chain_fill(chain: str, near_first: bool) -> str:
    if chain == "trunk":
        return COLOURS["trunk"]
    is_near = chain.startswith("near") == near_first
    return COLOURS["near"] if is_near else COLOURS["far"]


def _part(c: Capsule, dx: float, grow: float, colour: str, dash: str = "") -> str:
    x0, y0, x1, y1 = c.a[0] + dx, -c.a[1], c.b[0] + dx, -c.b[1]
    r = c.radius + grow
    if math.hypot(x1 - x0, y1 - y0) < 0.05:
        return f'<circle cx="{number(x0)}" cy="{number(y0)}" r="{number(r)}" fill="{colour}"/>'
    return (
        f'<path d="M{number(x0)} {number(y0)}L{number(x1)} {number(y1)}" '
        f'stroke="{colour}" stroke-width="{number(2 * r)}"{dash}/>'
    )


def _figure(skeleton: Skeleton, dx: float, near_first: bool, ghost: bool) -> list[str]:
    chains: dict[str, list[Capsule]] = {}
    for c in skeleton.capsules:
        chains.setdefault(c.chain, []).append(c)

    def depth(name: str) -> tuple[float, int]:
        parts = chains[name]
        mean = sum(c.a[2] + c.b[2] for c in parts) / (2 * len(parts))
        return (round(mean, 1), _CHAIN_ORDER.index(name))

    out = ['<g fill="none" stroke-linecap="round">']
    for name in sorted(chains, key=depth):
        if ghost:
            edge, fill = COLOURS["ghost_outline"], COLOURS["ghost"]
        else:
            edge, fill = COLOURS["outline"], _chain_fill(name, near_first)
        out += [_part(c, dx, _OUTLINE, edge) for c in chains[name]]
        out += [_part(c, dx, 0.0, fill) for c in chains[name]]
    out.append("</g>")
    return out


def _box(b: Box, dx: float) -> str:
    colour = {
        "mat": COLOURS["mat"],
        "bed": COLOURS["furniture"],
        "chair": COLOURS["furniture"],
        "step": COLOURS["furniture"],
        "wall": COLOURS["wall"],
        "cushion": COLOURS["cushion"],
    }[b.prop]
    rx = 2.0 if b.prop in ("mat", "cushion") else 0.8
    return (
        f'<rect x="{number(b.x0 + dx)}" y="{number(-b.y1)}" width="{number(b.x1 - b.x0)}" '
        f'height="{number(b.y1 - b.y0)}" rx="{number(rx)}" fill="{colour}" '
        f'stroke="{COLOURS["outline"]}" stroke-width="1"/>'
    )


def _strap(skeleton: Skeleton, dx: float) -> str:
    j = skeleton.joints
    heel, toe = j["near_heel"], j["near_toe"]
    foot = ((heel[0] + toe[0]) / 2 + dx, -(heel[1] + toe[1]) / 2)
    ends = [(j[k][0] + dx, -j[k][1]) for k in ("near_hand", "far_hand")]
    d = f"M{number(ends[0][0])} {number(ends[0][1])}L{number(foot[0])} {number(foot[1])}"
    d += f"L{number(ends[1][0])} {number(ends[1][1])}"
    return (
        f'<path d="{d}" fill="none" stroke="{COLOURS["strap"]}" stroke-width="2.4" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
    )


def _arrow(points: Sequence[tuple[float, float]], halo: bool = False) -> list[str]:
    """A curved (three points) or straight (two points) arrow in SVG coordinates.

    ``halo`` draws a white edge under it, for an arrow that crosses the figure.
    """
    (x0, y0), (x1, y1) = points[0], points[-1]
    d = f"M{number(x0)} {number(y0)}"
    if len(points) == 3:
        cx, cy = points[1]
        d += f"Q{number(cx)} {number(cy)} {number(x1)} {number(y1)}"
    else:
        cx, cy = x0, y0
        d += f"L{number(x1)} {number(y1)}"
    ux, uy = x1 - cx, y1 - cy
    size = math.hypot(ux, uy) or 1.0
    ux, uy = ux / size, uy / size
    tip = (x1 + ux * 6, y1 + uy * 6)
    left = (x1 - uy * 4.5, y1 + ux * 4.5)
    right = (x1 + uy * 4.5, y1 - ux * 4.5)
    head = " ".join(f"{number(x)},{number(y)}" for x, y in (tip, left, right))
    colour = COLOURS["arrow"]
    under = (
        [
            f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="5.0" '
            'stroke-linecap="round"/>',
            f'<polygon points="{head}" fill="#ffffff" stroke="#ffffff" stroke-width="2.4" '
            'stroke-linejoin="round"/>',
        ]
        if halo
        else []
    )
    return [
        *under,
        f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.2" stroke-linecap="round"/>',
        f'<polygon points="{head}" fill="{colour}"/>',
    ]


def _motion(scene: Scene, joint: str, dx: float) -> list[str]:
    first, last = scene.placed[0].skeleton.joints, scene.placed[-1].skeleton.joints
    p0 = (first[joint][0] + dx, -first[joint][1])
    p1 = (last[joint][0] + dx, -last[joint][1])
    centre = (last["pelvis"][0] + dx, -last["pelvis"][1] - 30)
    mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
    ox, oy = mx - centre[0], my - centre[1]
    size = math.hypot(ox, oy) or 1.0
    ox, oy = ox / size, oy / size
    span = math.hypot(p1[0] - p0[0], p1[1] - p0[1])
    shift = 16.0
    a = (p0[0] + ox * shift, p0[1] + oy * shift)
    b = (p1[0] + ox * shift, p1[1] + oy * shift)
    c = (mx + ox * (shift + 0.3 * span), my + oy * (shift + 0.3 * span))
    return _arrow([a, c, b])


def _belly_arrow(scene: Scene, dx: float) -> tuple[list[str], float]:
    """A straight arrow at the belly: away from it when it swells, into it when drawn in."""
    first, last = scene.placed[0], scene.placed[-1]
    j = last.skeleton.joints
    front = (
        np.subtract(j["belly"][:2], j["pelvis"][:2])
        - np.subtract(j["waist"][:2], j["pelvis"][:2]) / 2
    )
    front = front / (np.hypot(*front) or 1.0)
    surface = np.array(j["belly"][:2])
    outward = last.pose.belly >= first.pose.belly
    near, far = surface + front * 7, surface + front * 27
    a, b = (near, far) if outward else (far, near)
    top = max(a[1], b[1]) + 8.0
    return _arrow([(a[0] + dx, -a[1]), (b[0] + dx, -b[1])], halo=True), top


def _tilt_arrow(scene: Scene, dx: float) -> tuple[list[str], float]:
    """A curved arrow round the pelvis, turning the way the pelvis turns from start to end."""
    turns = []
    for placed in (scene.placed[0], scene.placed[-1]):
        j = placed.skeleton.joints
        turns.append(math.atan2(j["waist"][1] - j["pelvis"][1], j["waist"][0] - j["pelvis"][0]))
    turn = (turns[1] - turns[0] + math.pi) % (2 * math.pi) - math.pi
    way = 1.0 if turn >= 0 else -1.0  # counter-clockwise in the drawing, y up
    j = scene.placed[-1].skeleton.joints
    cx, cy = j["pelvis"][0] + dx, j["pelvis"][1]
    radius = RADII["hips"] + 13.0
    angles = [math.radians(90.0 + way * 55.0 * k) for k in (-1.0, 0.0, 1.0)]
    p0, mid, p1 = ((cx + radius * math.cos(a), cy + radius * math.sin(a)) for a in angles)
    control = (2 * mid[0] - (p0[0] + p1[0]) / 2, 2 * mid[1] - (p0[1] + p1[1]) / 2)
    return _arrow([(x, -y) for x, y in (p0, control, p1)], halo=True), cy + radius + 8.0


def _local_motion(scene: Scene, dx: float) -> tuple[list[str], float]:
    """The arrow of a movement seen in one place (belly, pelvis tilt) and its top. [px]"""
    if scene.poses.motion == "belly":
        return _belly_arrow(scene, dx)
    if scene.poses.motion == "pelvis_tilt":
        return _tilt_arrow(scene, dx)
    return [], 0.0


def _bounds(skeletons: Sequence[Skeleton], boxes: Sequence[Box]) -> tuple[float, float, float]:
    """Left, right and top of a panel. [px]"""
    xs = [x for s in skeletons for c in s.capsules for x in (c.a[0], c.b[0])]
    rs = [c.radius + _OUTLINE for s in skeletons for c in s.capsules]
    left = min(min(xs) - max(rs), *(b.x0 for b in boxes if b.prop != "wall"), 0.0)
    right = max(max(xs) + max(rs), *(b.x1 for b in boxes if b.prop != "wall"), 0.0)
    for b in boxes:
        if b.prop == "wall":
            left, right = min(left, b.x0), max(right, b.x1)
    top = max(max(c.a[1], c.b[1]) + c.radius for s in skeletons for c in s.capsules)
    top = max(top, *(b.y1 for b in boxes if b.prop != "wall"), 0.0) + _OUTLINE
    return left, right, top


def from_above(scene: Scene) -> Scene:
    """A scene placed in the side view, seen from above: the floor is the drawing's plane.

    The far side of the body is at the top of the drawing and the height above the floor
    becomes the depth (higher parts are drawn over lower ones). The mat, if any, becomes a
    rectangle under the body; the drawing's y=0 is the lowest thing drawn.
    """
    up, out = math.cos(math.radians(_TOP_ELEVATION)), math.sin(math.radians(_TOP_ELEVATION))

    def seen(p: tuple[float, float, float]) -> tuple[float, float, float]:
        return (p[0], p[1] * up - p[2] * out, p[1] * out + p[2] * up)

    turned = [
        Skeleton(
            {k: seen(v) for k, v in placed.skeleton.joints.items()},
            tuple(
                Capsule(c.name, c.chain, seen(c.a), seen(c.b), c.radius)
                for c in placed.skeleton.capsules
            ),
        )
        for placed in scene.placed
    ]
    mats = [b for b in scene.boxes if b.prop in ("mat", "bed")]
    edges = [seen((0.0, b.y1, z))[1] for b in mats for z in (-_MAT_HALF_WIDTH, _MAT_HALF_WIDTH)]
    low = min(
        [*edges, *(min(c.a[1], c.b[1]) - c.radius - _OUTLINE for s in turned for c in s.capsules)]
    )
    boxes = tuple(
        Box(b.prop, b.part, b.x0, min(edges) - low, b.x1, max(edges) - low, True) for b in mats
    )
    placed = tuple(
        Placed(p.key, p.pose, s.moved(0.0, -low)) for p, s in zip(scene.placed, turned, strict=True)
    )
    return Scene(scene.poses, placed, boxes)


def scene_svg(scene: Scene, alt: str) -> str:
    """The whole drawing as SVG text, with ``alt`` as its title."""
    poses = scene.poses
    strap = any(p.kind == "strap" for p in poses.props)
    near_first = near_is_near(scene.placed[0].skeleton)
    if poses.view == "top":
        scene = from_above(scene)
    if poses.show == "overlay":
        groups: list[list[Placed]] = [list(scene.placed)]
    else:
        groups = [[p] for p in scene.placed]
    body: list[str] = []
    cursor, height, marks = 0.0, 0.0, []
    for group in groups:
        left, right, top = _bounds([p.skeleton for p in group], scene.boxes)
        dx = cursor - left
        height = max(height, top)
        if poses.view != "top":
            body.append(
                f'<line x1="{number(left + dx - 6)}" y1="0.0" x2="{number(right + dx + 6)}" '
                f'y2="0.0" stroke="{COLOURS["floor"]}" stroke-width="1.6"/>'
            )
        body += [_box(b, dx) for b in scene.boxes]
        for i, placed in enumerate(group):
            ghost = i < len(group) - 1
            body += _figure(placed.skeleton, dx, near_first, ghost)
            if strap:
                body.append(_strap(placed.skeleton, dx))
        if poses.motion in ("belly", "pelvis_tilt"):
            if group is groups[-1]:
                arrow, arrow_top = _local_motion(scene, dx)
                body += arrow
                height = max(height, arrow_top)
        elif poses.show == "overlay" and poses.motion:
            body += _motion(scene, poses.motion, dx)
        marks.append((cursor, cursor + right - left))
        cursor += right - left + _GAP
    width = cursor - _GAP
    for (_, end), (begin, _) in zip(marks, marks[1:], strict=False):
        y = -min(height * 0.5, 40.0)
        body += _arrow([(end + 10, y), (begin - 16, y)])
    x0, y0 = -_MARGIN, -(height + _MARGIN)
    w, h = width + 2 * _MARGIN, height + 2 * _MARGIN + 1
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{number(x0)} {number(y0)} '
        f'{number(w)} {number(h)}" width="{number(w)}" height="{number(h)}" role="img">'
    )
    return "\n".join([head, f"<title>{escape(alt)}</title>", *body, "</svg>"]) + "\n"
