"""Exercise drawings: what the posed figure means, the SVG it gives, and pinned errors.

Regenerate the SVG baselines after an intended change of a drawing with
``HEPKIT_UPDATE_BASELINES=1 python -m pytest tests/handouts/test_figures.py`` and look at
``python -m toolkit.handouts.figures.contact_sheet docs/exercises.png`` before committing.
"""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET

import pytest
from locations import BASELINES as BASELINE_DIR

from toolkit.errors import InvalidDocumentError
from toolkit.handouts.figures import exercise_figure, exercise_scene, skeleton
from toolkit.handouts.figures.layout import collisions
from toolkit.handouts.figures.props import MAT_THICKNESS
from toolkit.handouts.figures.skeleton import RADII
from toolkit.handouts.figures.svg import COLOURS
from toolkit.routines.documents import validate_document
from toolkit.routines.models import Exercise, Pose

BASELINES = BASELINE_DIR / "figures"
UPDATE = os.environ.get("HEPKIT_UPDATE_BASELINES") == "1"
LIFTED = {"glute-bridge", "prone-on-elbows", "prone-press-up"}  # the movement lifts the trunk


def _ids(library):
    return library.ids


def _scene(library, exercise_id):
    return exercise_scene(library.get(exercise_id), library.source(exercise_id))


def _joints(scene, key):
    return next(p for p in scene.placed if p.key == key).skeleton.joints


def _angle(v) -> float:
    """Direction of a 2D vector from +x, counter-clockwise. [deg]"""
    return math.degrees(math.atan2(v[1], v[0]))


def _hip_flexion(j) -> float:
    """Signed hip flexion from the drawn points: 0 in line with the trunk, toward the face +."""
    down = (j["pelvis"][0] - j["waist"][0], j["pelvis"][1] - j["waist"][1])
    thigh = (j["near_knee"][0] - j["near_hip"][0], j["near_knee"][1] - j["near_hip"][1])
    face = (j["nose"][0] - j["head"][0], j["nose"][1] - j["head"][1])
    turn = (_angle(thigh) - _angle(down) + 180) % 360 - 180
    toward_face = down[0] * face[1] - down[1] * face[0]  # which way "forward" turns
    return turn if toward_face > 0 else -turn


def _lowest(capsules, names) -> float:
    return min(min(c.a[1], c.b[1]) - c.radius for c in capsules if c.name in names)


TRUNK = {"hips", "lower_trunk", "upper_trunk"}


def test_every_library_exercise_is_drawn(library):
    assert len(library) == 25
    for exercise in library:
        assert exercise.poses is not None, exercise.id
        figure = exercise_figure(exercise, library.source(exercise.id))
        root = ET.fromstring(figure.svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(root.get("viewBox", "").split()) == 4
        assert "<image" not in figure.svg and "href=" not in figure.svg
        assert "http" not in figure.svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert figure.alt.startswith("Drawing") and len(figure.alt) > 40
        assert root.find("{http://www.w3.org/2000/svg}title").text == figure.alt


@pytest.mark.parametrize("position", ["lying-on-back", "lying-on-front"])
def test_lying_exercises_rest_flat_on_the_mat(library, position):
    for exercise in library.filter(position=position):
        scene = _scene(library, exercise.id)
        for placed in scene.placed:
            lifted = placed.key != "start" and exercise.id in LIFTED
            if scene.poses.view not in ("side", "top") or lifted:
                continue
            j = placed.skeleton.joints
            tilt = abs(_angle((j["neck"][0] - j["pelvis"][0], j["neck"][1] - j["pelvis"][1])))
            tilt = min(tilt, 180 - tilt)
            assert tilt <= 15, (exercise.id, placed.key, tilt)
            low = _lowest(placed.skeleton.capsules, TRUNK)
            assert abs(low - MAT_THICKNESS) <= 3, (exercise.id, placed.key, low)


def test_lifts_keep_the_right_part_down(library):
    bridge = _scene(library, "glute-bridge")
    start, end = _joints(bridge, "start"), _joints(bridge, "end")
    assert end["pelvis"][1] > start["pelvis"][1] + 15  # the hips come up
    for exercise_id in ("prone-press-up", "prone-on-elbows"):
        scene = _scene(library, exercise_id)
        end = next(p for p in scene.placed if p.key == "end").skeleton
        assert _lowest(end.capsules, {"hips", "lower_trunk"}) <= MAT_THICKNESS + 3  # hips down
        assert end.joints["neck"][1] > _joints(scene, "start")["neck"][1] + 12  # chest up


@pytest.mark.parametrize("exercise_id", ["single-knee-to-chest", "double-knee-to-chest"])
def test_knee_to_chest_ends_with_the_hip_flexed(library, exercise_id):
    scene = _scene(library, exercise_id)
    start, end = _joints(scene, "start"), _joints(scene, "end")
    assert _hip_flexion(end) > 100
    assert _hip_flexion(start) < 60
    assert end["near_knee"][1] > start["near_knee"][1]  # the knee comes up off the mat
    hand_to_knee = math.dist(end["near_hand"][:2], end["near_knee"][:2])
    assert hand_to_knee < 15  # holding the knee


def test_knee_rolls_drop_the_knees_to_one_side_with_the_shoulders_flat(library):
    scene = _scene(library, "lower-trunk-rotation")
    assert scene.poses.view == "top"  # seen from above, the placed joints are side-view ones
    start, end = _joints(scene, "start"), _joints(scene, "end")
    for j in (start, end):
        assert abs(j["near_shoulder"][1] - j["far_shoulder"][1]) < 2  # shoulders level
    # the chest stays down on the mat (the rolled pelvis, wider than deep, lifts it a little)
    chest = next(p for p in scene.placed if p.key == "end").skeleton.capsules
    assert _lowest(chest, {"upper_trunk"}) - MAT_THICKNESS <= 5
    for side, drop in (("near", 15), ("far", 4)):  # the knees come down, stacked
        assert end[f"{side}_knee"][1] < start[f"{side}_knee"][1] - drop
        assert end[f"{side}_knee"][2] > start[f"{side}_knee"][2] + 15  # to the same side
    assert math.dist(end["near_knee"], end["far_knee"]) < 2 * RADII["thigh"] + 4  # together


def test_standing_back_extension_ends_behind_vertical(library):
    scene = _scene(library, "standing-back-extension")
    for key, behind in (("start", False), ("end", True)):
        j = _joints(scene, key)
        face = j["nose"][0] - j["head"][0]
        lean = (j["neck"][0] - j["pelvis"][0]) * (1 if face > 0 else -1)
        assert (lean < -3) is behind, (key, lean)


def _trunk_tilt(j) -> float:
    """Angle of the pelvis-to-neck line from horizontal, either way round. [deg]"""
    tilt = abs(_angle((j["neck"][0] - j["pelvis"][0], j["neck"][1] - j["pelvis"][1])))
    return min(tilt, 180 - tilt)


def _on_the_mat(j, hand: str, knee: str) -> tuple[float, float]:
    """How far the hand and the front of the knee are above the mat. [px]"""
    hand_gap = j[f"{hand}_hand"][1] - RADII["hand"] - MAT_THICKNESS
    knee_gap = j[f"{knee}_knee"][1] - RADII["thigh"] - MAT_THICKNESS
    return hand_gap, knee_gap


@pytest.mark.parametrize(
    ("exercise_id", "key", "hands", "knees"),
    [
        ("bird-dog", "start", ("near", "far"), ("near", "far")),
        ("bird-dog", "end", ("near",), ("far",)),
        ("childs-pose", "start", ("near", "far"), ("near", "far")),
        ("cat-cow", "start", ("near", "far"), ("near", "far")),
    ],
)
def test_hands_and_knees_rest_on_the_mat_with_a_flat_back(library, exercise_id, key, hands, knees):
    j = _joints(_scene(library, exercise_id), key)
    assert _trunk_tilt(j) <= 15, (key, _trunk_tilt(j))
    for hand in hands:
        for knee in knees:
            hand_gap, knee_gap = _on_the_mat(j, hand, knee)
            assert -0.6 <= hand_gap <= 3, (key, hand, hand_gap)
            assert -0.6 <= knee_gap <= 3, (key, knee, knee_gap)


def test_childs_pose_sits_back_on_the_heels(library):
    scene = _scene(library, "childs-pose")
    start, end = _joints(scene, "start"), _joints(scene, "end")
    for side in ("near", "far"):
        assert math.dist(end["pelvis"][:2], end[f"{side}_heel"][:2]) < 20  # hips on heels
        assert abs(end[f"{side}_knee"][0] - start[f"{side}_knee"][0]) < 3  # knees stay put
        assert end[f"{side}_hand"][0] > end["head"][0]  # arms reach forward past the head
        assert end[f"{side}_hand"][1] - RADII["hand"] - MAT_THICKNESS <= 3  # on the mat
    assert end["neck"][1] < end["pelvis"][1]  # chest lower than the hips, toward the thighs
    assert end["pelvis"][1] < start["pelvis"][1] - 15  # the hips come down and back


def test_bird_dog_reaches_opposite_arm_and_leg(library):
    j = _joints(_scene(library, "bird-dog"), "end")
    assert abs(j["far_hand"][1] - j["far_shoulder"][1]) < 8  # arm level, forward
    assert j["far_hand"][0] > j["far_shoulder"][0] + 40
    assert abs(j["near_ankle"][1] - j["near_hip"][1]) < 12  # leg level, back
    assert j["near_ankle"][0] < j["near_hip"][0] - 50


def test_wall_sit_keeps_the_back_on_the_wall(library):
    scene = _scene(library, "wall-sit")
    wall = next(b for b in scene.boxes if b.prop == "wall")
    for placed in scene.placed:
        chest = next(c for c in placed.skeleton.capsules if c.name == "upper_trunk")
        assert abs(min(chest.a[0], chest.b[0]) - chest.radius - wall.x1) < 2.5
    end = _joints(scene, "end")
    assert end["pelvis"][1] < _joints(scene, "start")["pelvis"][1] - 20


def _world(scene, key):
    """Joints of a pose seen from the side, resting on the mat: unturned by the view. [px]"""
    pose = next(p for p in scene.placed if p.key == key).pose
    return skeleton(pose, "side", scene.poses.facing, scene.poses.props)


def _along(point, a, b) -> tuple[float, float]:
    """How far along a-b the nearest point to ``point`` lies (0-1), and how far off it is."""
    ab = [q - p for p, q in zip(a, b, strict=True)]
    ap = [q - p for p, q in zip(a, point, strict=True)]
    t = max(0.0, min(1.0, sum(x * y for x, y in zip(ab, ap, strict=True)) / sum(x * x for x in ab)))
    nearest = [p + t * d for p, d in zip(a, ab, strict=True)]
    return t, math.dist(point, nearest)


def test_figure_four_crosses_one_ankle_over_the_other_knee(library):
    scene = _scene(library, "figure-four-stretch")
    assert scene.poses.view == "angled"  # the crossed shin runs across: the side view hides it
    for key in ("start", "end"):
        j = _world(scene, key)
        assert _trunk_tilt(j) <= 5, key  # lying flat on the back
        low = _lowest(next(p for p in scene.placed if p.key == key).skeleton.capsules, TRUNK)
        assert low - MAT_THICKNESS <= 12, (key, low)  # on the mat, also as drawn
        where, off = _along(j["near_ankle"], j["far_hip"], j["far_knee"])
        assert 0.6 <= where <= 1.0, key  # the ankle rests just below the other knee
        assert off <= RADII["thigh"] + RADII["shin"] + 4, (key, off)  # on the thigh, not in it
        assert off >= RADII["thigh"], (key, off)
        assert abs(j["near_knee"][2] - j["near_hip"][2]) > 20  # the crossed knee falls out
    start, end = _world(scene, "start"), _world(scene, "end")
    assert end["far_knee"][1] > start["far_knee"][1] + 10  # the other thigh comes toward you
    assert end["far_ankle"][1] > start["far_ankle"][1] + 20  # its foot leaves the mat
    assert math.dist(end["far_hand"][:2], end["far_knee"][:2]) < 30  # holding that thigh


def test_side_plank_on_knees_lifts_the_hips_into_a_line(library):
    scene = _scene(library, "side-plank-on-knees")
    assert scene.poses.show == "panels"  # overlaid, the lifted and the lying body merge
    start, end = _world(scene, "start"), _world(scene, "end")
    support = "far" if start["far_elbow"][1] < start["near_elbow"][1] else "near"
    for j in (start, end):
        assert abs(j[f"{support}_elbow"][0] - j[f"{support}_shoulder"][0]) < 6  # elbow below
    assert end["pelvis"][1] > start["pelvis"][1] + 10  # the hips come up
    knees = [(end["near_knee"][i] + end["far_knee"][i]) / 2 for i in (0, 1)]
    body = _angle((end["head"][0] - end["pelvis"][0], end["head"][1] - end["pelvis"][1]))
    thighs = _angle((end["pelvis"][0] - knees[0], end["pelvis"][1] - knees[1]))
    assert abs(body - thighs) < 15  # head, hips and knees in a line
    drawn = {p.key: p.skeleton.capsules for p in scene.placed}
    arm = {f"{support}_upper_arm", f"{support}_forearm", f"{support}_hand"}
    assert _lowest(drawn["end"], arm) - MAT_THICKNESS <= 2  # as drawn: on the forearm...
    assert _lowest(drawn["end"], {"near_thigh", "far_thigh", "near_shin", "far_shin"}) <= (
        MAT_THICKNESS + 2
    )  # ...and the knees
    assert _lowest(drawn["start"], {"hips"}) - MAT_THICKNESS <= 4  # starting with hips down


def test_no_body_part_in_the_floor_a_prop_or_a_wall(library):
    for exercise in library:
        scene = _scene(library, exercise.id)
        for placed in scene.placed:
            assert collisions(placed.skeleton, scene.boxes) == [], (exercise.id, placed.key)
            low = min(min(c.a[1], c.b[1]) - c.radius for c in placed.skeleton.capsules)
            assert low >= -0.6, (exercise.id, placed.key)


def _luminance(colour: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_near_and_far_limbs_differ_in_tone_not_only_hue(library):
    svg = exercise_figure(library.get("bird-dog")).svg
    assert COLOURS["near"] in svg and COLOURS["far"] in svg
    assert _luminance(COLOURS["far"]) - _luminance(COLOURS["near"]) > 0.35
    assert _luminance(COLOURS["outline"]) < 0.02


def test_the_same_exercise_gives_the_same_svg(library):
    exercise = library.get("cat-cow")
    assert exercise_figure(exercise).svg == exercise_figure(exercise).svg


def test_svg_baselines(library):
    BASELINES.mkdir(parents=True, exist_ok=True)
    for exercise in library:
        svg = exercise_figure(exercise, library.source(exercise.id)).svg
        target = BASELINES / f"{exercise.id}.svg"
        if UPDATE:
            target.write_text(svg, encoding="utf-8")
        assert target.read_text(encoding="utf-8") == svg, (
            f"{exercise.id}: drawing changed; look at it, then HEPKIT_UPDATE_BASELINES=1"
        )


def test_skeleton_rests_standing_figure_on_the_floor():
    j = skeleton(Pose())
    assert j["pelvis"][0] == 0.0
    assert j["head"][1] > j["pelvis"][1] > j["near_knee"][1] > j["near_ankle"][1] > 0


def _with_poses(library, poses) -> dict:
    data = library.get("pelvic-tilt").model_dump(mode="json", exclude_none=True)
    data["poses"] = poses
    return data


def test_bad_angle_is_refused_with_its_place(library):
    data = _with_poses(library, {"start": {"trunk": -90}, "end": {"near_knee": 200}})
    with pytest.raises(
        InvalidDocumentError,
        match=r"pelvic-tilt\.yaml: 1 problem\n  - poses\.end\.near_knee: Input should be less than or equal to 160 \(got 200\)",
    ):
        validate_document(data, Exercise, "pelvic-tilt.yaml")


def test_unknown_joint_is_refused_with_a_suggestion(library):
    data = _with_poses(library, {"start": {"trunk": -90}, "end": {"near_kne": 90}})
    with pytest.raises(
        InvalidDocumentError,
        match=r"poses\.end: unknown joint 'near_kne'; did you mean 'near_knee'\? \(known: trunk, roll",
    ):
        validate_document(data, Exercise, "pelvic-tilt.yaml")


def test_body_placed_into_a_prop_names_the_field(library):
    data = _with_poses(
        library,
        {"props": ["mat"], "start": {"trunk": -90, "hip_y": 5}, "end": {"trunk": -90}},
    )
    exercise = validate_document(data, Exercise, "pelvic-tilt.yaml")
    with pytest.raises(
        InvalidDocumentError,
        match=r"pelvic-tilt\.yaml: 1 problem\n  - poses\.start\.hip_y: puts the .* px into the (floor|mat); change the joint angles or the hip position \(got 5\.0\)",
    ):
        exercise_figure(exercise, "pelvic-tilt.yaml")


def test_missing_poses_are_reported(library):
    data = library.get("pelvic-tilt").model_dump(mode="json", exclude_none=True)
    data.pop("poses")
    with pytest.raises(InvalidDocumentError, match=r"poses: no poses to draw"):
        exercise_figure(Exercise.model_validate(data))


@pytest.mark.parametrize(
    ("exercise_id", "way"), [("diaphragmatic-breathing", 1), ("drawing-in", -1)]
)
def test_belly_rises_or_draws_in_with_an_arrow(library, exercise_id, way):
    scene = _scene(library, exercise_id)
    start, end = _joints(scene, "start"), _joints(scene, "end")
    assert way * (end["belly"][1] - start["belly"][1]) >= 4  # the belly outline moves [px]
    assert scene.poses.motion == "belly"
    svg = exercise_figure(library.get(exercise_id)).svg
    assert svg.count("<polygon") >= 2  # the arrow head, over its white edge


@pytest.mark.parametrize("exercise_id", ["pelvic-tilt", "neutral-spine-pelvic-tilts"])
def test_pelvic_tilts_turn_the_pelvis_visibly(library, exercise_id):
    scene = _scene(library, exercise_id)
    turns = []
    for key in ("start", "end"):
        j = _joints(scene, key)
        turns.append(_angle((j["waist"][0] - j["pelvis"][0], j["waist"][1] - j["pelvis"][1])))
    assert abs((turns[1] - turns[0] + 180) % 360 - 180) >= 10  # [deg]
    assert scene.poses.motion == "pelvis_tilt"
