"""Typed models of the routine format: exercise, dose, schedule, routine item and routine.

The models are the single definition of what a valid file is. The JSON Schema committed under
``toolkit/data/schema/`` is generated from them (see :func:`toolkit.routines.routine.json_schema`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

__all__ = [
    "SCHEMA_VERSION",
    "DEFAULT_SAFETY_NOTICE",
    "Slug",
    "Position",
    "BodyRegion",
    "Goal",
    "Side",
    "Dose",
    "Pose",
    "Prop",
    "Poses",
    "Exercise",
    "Schedule",
    "Contact",
    "RoutineItem",
    "RoutineText",
    "Routine",
]

#: The newest routine format this code reads and writes.
SCHEMA_VERSION = 1

DEFAULT_SAFETY_NOTICE = (
    "Only start these exercises once your health care provider has said they are right for "
    "you. Move slowly and gently. Stop any exercise that makes your pain worse, and tell your "
    "therapist. Get medical help at once if you have new numbness, weakness in your legs, or "
    "trouble controlling your bladder or bowels."
)

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2, max_length=60),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]

Position = Literal[
    "lying-on-back",
    "lying-on-front",
    "lying-on-side",
    "hands-and-knees",
    "kneeling",
    "sitting",
    "standing",
]
BodyRegion = Literal["lower-back", "core", "pelvis", "hips", "hamstrings", "mid-back"]
Goal = Literal["relaxation", "mobility", "flexibility", "motor-control", "strength", "endurance"]
Side = Literal["both", "left", "right", "each-side", "alternating"]
Counts = Literal["repetitions", "holds", "breaths"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Dose(_Model):
    """How much of an exercise to do in one session.

    sets : int -- number of sets. [count]
    reps : int or None -- repetitions (or holds, or breaths) in each set; for ``alternating``
        the total of single moves, left and right together. [count]
    counts : what one rep is: a repetition, a hold, or a breath.
    hold_s : int or None -- how long each hold lasts; only with ``counts: holds``. [s]
    rest_s : int or None -- rest between sets. [s]
    duration_s : int or None -- length of each set for an exercise dosed by time. [s]
    side : both, left, right, each-side (the whole dose on each side) or alternating.
    """

    sets: int = Field(1, ge=1, le=10)
    reps: int | None = Field(None, ge=1, le=50)
    counts: Counts = "repetitions"
    hold_s: int | None = Field(None, ge=1, le=120)
    rest_s: int | None = Field(None, ge=0, le=300)
    duration_s: int | None = Field(None, ge=5, le=1800)
    side: Side = "both"

    @model_validator(mode="after")
    def _coherent(self) -> Dose:
        if (self.reps is None) == (self.duration_s is None):
            raise ValueError(
                "give either reps (a counted exercise) or duration_s (an exercise dosed by "
                "time), not both and not neither"
            )
        if self.duration_s is not None and (
            self.hold_s is not None or self.counts != "repetitions"
        ):
            raise ValueError("an exercise dosed by time (duration_s) takes no hold_s and no counts")
        if self.counts == "holds" and self.hold_s is None:
            raise ValueError("counts: holds needs hold_s, the seconds of each hold")
        if self.hold_s is not None and self.counts != "holds":
            raise ValueError("hold_s is only allowed with counts: holds")
        if self.counts == "breaths" and self.side != "both":
            raise ValueError("a breathing exercise has no side; use side: both")
        return self

    @property
    def timed(self) -> bool:
        """True for an exercise dosed by time rather than by count."""
        return self.duration_s is not None

    @property
    def volume(self) -> int:
        """Prescribed volume in one session: sets x reps, or sets x seconds; x2 for each-side."""
        per_set = self.duration_s if self.duration_s is not None else self.reps
        assert per_set is not None  # guaranteed by _coherent
        return self.sets * per_set * (2 if self.side == "each-side" else 1)


def _angle(low: float, high: float, what: str, default: float = 0.0) -> Any:
    """A joint angle field: ``what`` in degrees, from ``low`` to ``high``. [deg]"""
    return Field(default, ge=low, le=high, description=f"{what} [deg], {low} to {high}")


class Pose(_Model):
    """One still position of the figure, as joint angles in degrees.

    Angles are measured from standing upright with the arms hanging; ``near_`` is the side
    nearer to the viewer in a side view, ``far_`` the other side. Flexion is positive.
    ``hip_x`` and ``hip_y`` place the hip centre [px], floor at y=0, up positive; left out,
    the hip is at x=0 and the body is lowered until it rests on the floor or its prop.
    """

    trunk: float = _angle(-180, 180, "lean of the pelvis from upright, forward positive")
    roll: float = _angle(-180, 180, "turn of the whole body about its long axis")
    spine: float = _angle(-60, 60, "bend of the upper back on the pelvis, rounding positive")
    twist: float = _angle(-90, 90, "turn of the chest on the pelvis about the long axis")
    neck: float = _angle(-60, 60, "bend of the head on the chest, chin down positive")
    near_hip: float = _angle(-40, 150, "near hip flexion")
    far_hip: float = _angle(-40, 150, "far hip flexion")
    near_hip_abd: float = _angle(-45, 90, "near hip abduction, out to the side")
    far_hip_abd: float = _angle(-45, 90, "far hip abduction, out to the side")
    near_hip_rot: float = _angle(-60, 60, "near hip turn about the thigh, outward positive")
    far_hip_rot: float = _angle(-60, 60, "far hip turn about the thigh, outward positive")
    near_knee: float = _angle(0, 160, "near knee flexion")
    far_knee: float = _angle(0, 160, "far knee flexion")
    near_ankle: float = _angle(-30, 70, "near ankle, toes pointed positive")
    far_ankle: float = _angle(-30, 70, "far ankle, toes pointed positive")
    near_shoulder: float = _angle(-60, 200, "near shoulder flexion, arm forward and up")
    far_shoulder: float = _angle(-60, 200, "far shoulder flexion, arm forward and up")
    near_shoulder_abd: float = _angle(-30, 180, "near shoulder abduction, out to the side")
    far_shoulder_abd: float = _angle(-30, 180, "far shoulder abduction, out to the side")
    near_elbow: float = _angle(0, 160, "near elbow flexion")
    far_elbow: float = _angle(0, 160, "far elbow flexion")
    belly: float = Field(
        0.0, ge=-6, le=8, description="belly pushed out (breath in) or drawn in, negative [px]"
    )
    hip_x: float | None = Field(None, ge=-300, le=300, description="hip centre x [px]")
    hip_y: float | None = Field(None, ge=0, le=300, description="hip centre height [px]")

    @model_validator(mode="before")
    @classmethod
    def _known_joints(cls, value: Any) -> Any:
        if isinstance(value, dict):
            unknown = [str(key) for key in value if key not in cls.model_fields]
            if unknown:
                near = difflib.get_close_matches(unknown[0], list(cls.model_fields), n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                raise ValueError(
                    f"unknown joint {unknown[0]!r}{hint} (known: {', '.join(cls.model_fields)})"
                )
        return value


PropKind = Literal["mat", "bed", "chair", "wall", "strap", "step", "cushion"]


class Prop(_Model):
    """A prop in the drawing; ``x`` places a chair, wall, step or cushion [px]."""

    kind: PropKind
    x: float = Field(0.0, ge=-300, le=300, description="where the prop stands [px]")

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: Any) -> Any:
        return {"kind": value} if isinstance(value, str) else value


class Poses(_Model):
    """How the exercise is drawn: the start and end positions, the view and the props."""

    view: Literal["side", "front", "feet", "top", "above", "angled"] = Field(
        "side",
        description=(
            "side view; front: seen from in front; feet: from the feet end; top: a lying "
            "figure seen from above, on its mat; above: the side view from a little higher "
            "(bent knees of a side-lying figure show); angled: from the side turned toward "
            "the feet end and a little higher (a leg crossed over the other shows)"
        ),
    )
    facing: Literal["right", "left"] = "right"
    show: Literal["overlay", "panels"] = Field(
        "overlay",
        description="overlay: end pose over a faint start; panels: start, arrow, end",
    )
    props: list[Prop] = Field(default_factory=list)
    start: Pose
    end: Pose
    also: list[Pose] = Field(
        default_factory=list, max_length=3, description="positions between start and end"
    )
    motion: str | None = Field(
        None,
        pattern=r"^(near|far)_(knee|ankle|hand|elbow)$|^(head|pelvis|waist|belly|pelvis_tilt)$",
        description=(
            "joint whose path an arrow shows, for example near_knee; belly: an arrow out of "
            "or into the belly; pelvis_tilt: a curved arrow turning round the pelvis"
        ),
    )
    alt: LongText | None = Field(None, description="Text alternative; generated if left out.")


class Exercise(_Model):
    """One exercise of the library, written for the patient."""

    id: Slug
    name: ShortText
    summary: LongText
    position: Position
    body_regions: list[BodyRegion] = Field(min_length=1)
    goals: list[Goal] = Field(min_length=1)
    equipment: list[ShortText] = Field(default_factory=list)
    start: LongText = Field(description="How to get into the starting position.")
    steps: list[LongText] = Field(min_length=2, description="Numbered steps, in order.")
    breathing: LongText | None = None
    cues: list[LongText] = Field(default_factory=list, description="Form cues.")
    cautions: list[LongText] = Field(min_length=1)
    stop_if: list[LongText] = Field(min_length=1, description="When to stop.")
    default_dose: Dose
    image: str | None = Field(None, description="Picture file, relative to the exercise's folder.")
    video_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    tags: list[Tag] = Field(default_factory=list)
    poses: Poses | None = Field(None, description="How to draw the exercise.")

    @field_validator("image")
    @classmethod
    def _image_inside_folder(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(
            r"[\w][\w-]*(/[\w][\w.-]*)*\.[A-Za-z0-9]+", value
        ):
            raise ValueError(
                "the image must be a file inside the exercise's folder, written as a relative "
                "path such as 'images/bridge.png' (no leading '/', no '..')"
            )
        return value


class Schedule(_Model):
    """How often the routine is done."""

    sessions_per_day: int = Field(1, ge=1, le=6)
    days_per_week: int = Field(7, ge=1, le=7)


class Contact(_Model):
    """The clinic the patient can call."""

    name: ShortText
    phone: ShortText | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    website: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    address: LongText | None = None


class RoutineItem(_Model):
    """One exercise in a routine, with an optional dose for this patient and a note."""

    exercise: Slug
    dose: Dose | None = None
    note: LongText | None = None


LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]


class RoutineText(_Model):
    """A routine's own words in another language; a field left out stays as written."""

    title: ShortText | None = None
    author: ShortText | None = Field(None, description="Who prepared it, as the handout says.")
    introduction: LongText | None = None
    safety_notice: LongText | None = None
    progression: list[LongText] | None = None
    notes: dict[Slug, LongText] | None = Field(
        None, description="Each item's note, by exercise id."
    )


class Routine(_Model):
    """A home exercise routine, as handed to one patient or kept as a template."""

    schema_version: int = Field(SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION)
    id: Slug
    title: ShortText
    version: int = Field(1, ge=1)
    author: ShortText
    clinic: Contact
    created: dt.date
    updated: dt.date
    condition: ShortText
    language: LanguageCode = "en"
    introduction: LongText
    safety_notice: LongText = DEFAULT_SAFETY_NOTICE
    schedule: Schedule = Field(default_factory=Schedule)
    items: list[RoutineItem] = Field(min_length=1)
    progression: list[LongText] = Field(default_factory=list)
    #: The routine a patient moves on to when ready (a routine id), named by the report's
    #: "Ready to progress" group and used by ``hepkit progress``.
    next_routine: Slug | None = None
    #: The routine's own texts in other languages, by language code (``es``), used when the
    #: handout is made in that language.
    translations: dict[LanguageCode, RoutineText] | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Routine:
        if self.updated < self.created:
            raise ValueError(
                f"updated ({self.updated}) is before created ({self.created}); "
                "updated must be on or after created"
            )
        return self
