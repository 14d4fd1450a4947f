"""A routine's own texts in Spanish: swapped in by language, English ones found."""

from __future__ import annotations

import pytest

from toolkit.paths import routines_dir
from toolkit.routines.models import DEFAULT_SAFETY_NOTICE, RoutineText
from toolkit.routines.routine import load_routine, origin
from toolkit.routines.routine_texts import looks_english, routine_in_language, untranslated_texts

REFERENCE = routines_dir() / "gentle-back-stretches.yaml"


def test_the_reference_routine_has_spanish_texts_for_all_it_says():
    routine = load_routine(REFERENCE)
    spanish = routine_in_language(routine, "es")
    assert spanish.language == "es"
    assert spanish.title == "Estiramientos suaves de espalda para casa"
    assert spanish.introduction.startswith("Estos movimientos suaves")
    assert spanish.safety_notice.startswith("Empiece estos ejercicios")
    assert len(spanish.progression) == len(routine.progression)
    notes = [item.note for item in spanish.items]
    assert [n is None for n in notes] == [item.note is None for item in routine.items]
    assert notes[5] == "Haga el movimiento con la barriga, no con las nalgas."
    assert untranslated_texts(routine, "es") == []
    assert origin(spanish) == origin(routine)


def test_english_needs_no_translation_and_keeps_the_texts():
    routine = load_routine(REFERENCE)
    assert untranslated_texts(routine) == []
    assert routine_in_language(routine, "en").introduction == routine.introduction


def test_the_default_safety_notice_is_translated_by_the_catalogue():
    routine = load_routine(REFERENCE).model_copy(
        update={"translations": {"es": RoutineText(title="Espalda")}}
    )
    assert routine.safety_notice == DEFAULT_SAFETY_NOTICE
    spanish = routine_in_language(routine, "es-MX")
    assert spanish.title == "Espalda"
    assert spanish.safety_notice.startswith("Empiece estos ejercicios")
    assert untranslated_texts(routine, "es") == [
        "introduction",
        "progression[0]",
        "progression[1]",
        "items[0].note",
        "items[1].note",
        "items[5].note",
    ]


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Go slowly. You should feel a gentle stretch, never sharp pain.", True),
        ("Keep this middle position for the rest of the routine.", True),
        ("Vaya despacio. Debe notar que se estira un poco, nunca un dolor fuerte.", False),
        ("Mantenga esta postura media en el resto de la rutina.", False),
        ("", False),
    ],
)
def test_english_text_is_told_from_spanish(text, english):
    assert looks_english(text) is english
