"""Every library exercise has complete Spanish text, in plain Spanish; the loader falls back."""

from __future__ import annotations

import pytest
import textstat

from toolkit.errors import InvalidDocumentError
from toolkit.routines.library import load_library
from toolkit.routines.models import Exercise
from toolkit.routines.translations import missing_translations, translate_exercise

#: Lowest Spanish readability allowed (Fernández-Huerta; 70 and up is "bastante fácil").
MIN_SPANISH_READABILITY = 70.0

LIBRARY = load_library()
SPANISH = LIBRARY.in_language("es")


def _patient_text(ex: Exercise) -> str:
    parts = [ex.summary, ex.start, *ex.steps, ex.breathing or "", *ex.cues, *ex.cautions]
    parts += ex.stop_if
    return " ".join(p if p.rstrip().endswith((".", "!", "?")) else p + "." for p in parts if p)


def _spanish_readability(text: str) -> float:
    textstat.set_lang("es")
    try:
        return float(textstat.fernandez_huerta(text))
    finally:
        textstat.set_lang("en_US")


def test_the_library_has_25_exercises_to_translate():
    assert len(LIBRARY) == 25


@pytest.mark.parametrize("exercise_id", LIBRARY.ids)
def test_every_field_of_every_exercise_is_in_spanish(exercise_id):
    exercise = LIBRARY.get(exercise_id)
    assert missing_translations(exercise, "es", LIBRARY.source(exercise_id)) == []


@pytest.mark.parametrize("exercise_id", LIBRARY.ids)
def test_spanish_text_differs_from_english_field_by_field(exercise_id):
    english, spanish = LIBRARY.get(exercise_id), SPANISH.get(exercise_id)
    for field in ("summary", "start", "breathing"):
        assert getattr(spanish, field) != getattr(english, field), field
    for field in ("steps", "cues", "cautions", "stop_if"):
        pairs = zip(getattr(spanish, field), getattr(english, field), strict=True)
        assert all(es != en for es, en in pairs), field
    if english.poses and english.poses.alt:
        assert spanish.poses and spanish.poses.alt != english.poses.alt
        assert spanish.poses.start == english.poses.start
    assert spanish.default_dose == english.default_dose


@pytest.mark.parametrize("exercise", list(SPANISH), ids=lambda ex: ex.id)
def test_spanish_exercise_reads_bastante_facil(exercise):
    score = _spanish_readability(_patient_text(exercise))
    assert score >= MIN_SPANISH_READABILITY, f"{exercise.id}: Fernández-Huerta {score:.1f}"


def test_spanish_readability_measure_is_sensitive():
    dense = (
        "La basculación pélvica posterior facilita la reeducación neuromuscular del transverso "
        "abdominal, atenuando consecuentemente la sintomatología nociceptiva lumbopélvica."
    )
    assert _spanish_readability(dense) < MIN_SPANISH_READABILITY


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_a_missing_field_falls_back_to_english_and_is_reported(tmp_path):
    source = LIBRARY.source("walking")
    assert source is not None
    _write(tmp_path, "walking.yaml", source.read_text(encoding="utf-8"))
    _write(tmp_path / "es", "walking.yaml", "name: Caminar\nsteps: [Camine.]\n")
    english = LIBRARY.get("walking")
    spanish = translate_exercise(english, "es", tmp_path / "walking.yaml")
    assert spanish.name == "Caminar"
    assert spanish.summary == english.summary
    missing = missing_translations(english, "es", tmp_path / "walking.yaml")
    assert missing[:2] == ["summary", "start"]
    assert "steps (1 items, English has 4)" in missing
    assert "alt" in missing


def test_english_and_untranslated_languages_give_the_english_exercise():
    walking = LIBRARY.get("walking")
    assert translate_exercise(walking, "en", LIBRARY.source("walking")) is walking
    assert translate_exercise(walking, "fr", LIBRARY.source("walking")) is walking
    assert translate_exercise(walking, "es-MX", LIBRARY.source("walking")).name == "Caminar"


def test_a_translation_with_an_unknown_field_is_refused(tmp_path):
    _write(tmp_path / "es", "walking.yaml", "nombre: Caminar\n")
    with pytest.raises(InvalidDocumentError, match="nombre"):
        translate_exercise(LIBRARY.get("walking"), "es", tmp_path / "walking.yaml")
