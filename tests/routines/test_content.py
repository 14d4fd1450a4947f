"""The built-in library and reference routines are complete, valid and in plain language."""

from __future__ import annotations

import pytest
import textstat

from toolkit.paths import routines_dir
from toolkit.routines.library import load_library
from toolkit.routines.models import Exercise
from toolkit.routines.routine import load_routine

#: Highest US school grade allowed for patient-facing text (Flesch-Kincaid).
MAX_READING_GRADE = 8.0

LIBRARY = load_library()


def _patient_text(ex: Exercise) -> str:
    parts = [ex.summary, ex.start, *ex.steps, ex.breathing or "", *ex.cues, *ex.cautions]
    parts += ex.stop_if
    return " ".join(p if p.rstrip().endswith((".", "!", "?")) else p + "." for p in parts if p)


@pytest.mark.parametrize("exercise", list(LIBRARY), ids=lambda ex: ex.id)
def test_exercise_reads_at_grade_8_or_below(exercise):
    grade = textstat.flesch_kincaid_grade(_patient_text(exercise))
    assert grade <= MAX_READING_GRADE, f"{exercise.id}: grade {grade}"


def test_reading_grade_measure_is_sensitive():
    """The measure itself must be able to fail: dense clinical prose scores far above 8."""
    dense = (
        "Posterior pelvic tilting facilitates neuromuscular re-education of the transversus "
        "abdominis, consequently attenuating nociceptive lumbopelvic symptomatology."
    )
    assert textstat.flesch_kincaid_grade(dense) > MAX_READING_GRADE


@pytest.mark.parametrize("exercise", list(LIBRARY), ids=lambda ex: ex.id)
def test_exercise_is_complete_enough_to_hand_out(exercise):
    assert 3 <= len(exercise.steps) <= 6
    assert exercise.breathing
    assert exercise.cues
    assert exercise.cautions and exercise.stop_if
    assert not any(step.lstrip()[:2].rstrip(".").isdigit() for step in exercise.steps)


@pytest.mark.parametrize("path", sorted(routines_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_reference_routines_validate_against_the_library(path):
    routine = load_routine(path, LIBRARY)
    assert routine.id == path.stem


def test_gentle_back_stretches_follows_the_seed_order():
    routine = load_routine(routines_dir() / "gentle-back-stretches.yaml", LIBRARY)
    assert [item.exercise for item in routine.items] == [
        "diaphragmatic-breathing",
        "neutral-spine-pelvic-tilts",
        "drawing-in",
        "single-knee-to-chest",
        "double-knee-to-chest",
        "pelvic-tilt",
    ]
    assert "health care provider" in routine.safety_notice
    assert "pain worse" in routine.safety_notice
