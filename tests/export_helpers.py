"""Shared test data for the handout and export tests (plain functions, imported by the tests)."""

from __future__ import annotations

import functools
from pathlib import Path

from locations import TEST_DATA

from toolkit.routines.library import Library, load_library
from toolkit.routines.models import Exercise, Routine
from toolkit.routines.routine import load_routine

EXPORT_DATA = TEST_DATA / "export"
CLINIC_DIR = EXPORT_DATA / "clinic"
DESK_ROUTINE = EXPORT_DATA / "desk-break.yaml"
VIDEO_URL = "https://videos.example.org/shoulder-blade-squeeze"

#: Text a hostile or careless user might type into any field.
HOSTILE = (
    '<script>alert("x")</script> <img src=x onerror="alert(1)"> '
    '<a href="javascript:alert(2)">click</a>'
)


@functools.cache
def clinic_library() -> Library:
    """The built-in library plus the test clinic's folder (one exercise with a picture)."""
    return load_library(CLINIC_DIR)


def desk_routine() -> Routine:
    """A routine of 3 exercises, 2 sessions a day, 5 days a week, with picture and video."""
    return load_routine(DESK_ROUTINE, clinic_library())


def library_with(exercise: Exercise, folder: Path | None = None) -> Library:
    """A library of one exercise, read (as far as pictures go) from ``folder``."""
    sources = {exercise.id: folder / f"{exercise.id}.yaml"} if folder is not None else {}
    return Library([exercise], sources)


def squeeze() -> Exercise:
    """The test clinic's exercise (it has a picture and a video link)."""
    return clinic_library().get("clinic-shoulder-blade-squeeze")


def routine_of(library: Library, *exercise_ids: str) -> Routine:
    """The reference routine's fields with other items."""
    base = load_routine(DESK_ROUTINE, clinic_library())
    data = base.model_dump()
    data["items"] = [{"exercise": i} for i in exercise_ids]
    return Routine.model_validate(data)
