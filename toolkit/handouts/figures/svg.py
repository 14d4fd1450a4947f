"""Drawing a placed scene as a small, self-contained, deterministic SVG.

Every number is written with one decimal, elements come in a fixed order, and nothing
refers outside the file. Body parts are round-capped thick strokes drawn twice per chain of
parts (a dark outline, then the fill), so that each limb reads as one rounded solid shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from toolkit.handouts.figures.layout import Placed, Scene
from toolkit.handouts.figures.props import Box
from toolkit.handouts.figures.skeleton import Capsule, Skeleton
from toolkit.handouts.render import PALETTE

__all__ = ["COLOURS", "scene_svg", "number", "near_is_near"]

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


def _arrow(points: Sequence[tuple[float, float]]) -> list[str]:
    """A curved (three points) or straight (two points) arrow in SVG coordinates."""
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
    return [
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


def scene_svg(scene: Scene, alt: str) -> str:
    """The whole drawing as SVG text, with ``alt`` as its title."""
    poses = scene.poses
    strap = any(p.kind == "strap" for p in poses.props)
    near_first = near_is_near(scene.placed[0].skeleton)
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
        body.append(
            f'<line x1="{number(left + dx - 6)}" y1="0.0" x2="{number(right + dx + 6)}" y2="0.0" '
            f'stroke="{COLOURS["floor"]}" stroke-width="1.6"/>'
        )
        body += [_box(b, dx) for b in scene.boxes]
        for i, placed in enumerate(group):
            ghost = i < len(group) - 1
            body += _figure(placed.skeleton, dx, near_first, ghost)
            if strap:
                body.append(_strap(placed.skeleton, dx))
        if poses.show == "overlay" and poses.motion:
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
