"""A routine's own texts (title, introduction, safety notice, progression, notes) in a language.

A routine keeps its Spanish texts in ``translations: {es: {...}}`` beside the texts it is
written in; :func:`routine_in_language` swaps them in for a handout in that language. The
default safety notice is translated by the message catalogue, so a routine that keeps it needs
no translation of its own. :func:`untranslated_texts` names the texts a patient would still
read in English, for ``hepkit validate``'s warning.
"""

from __future__ import annotations

import re

from toolkit.routines.catalogue import base_language, catalogue, catalogue_languages
from toolkit.routines.models import DEFAULT_SAFETY_NOTICE, Routine, RoutineText
from toolkit.routines.routine import carry_origin

__all__ = ["ENGLISH_MARKERS", "routine_in_language", "untranslated_texts", "looks_english"]

#: Short English words that Spanish never uses; text made of many of them is English.
ENGLISH_MARKERS = frozenset(
    [
        "the",
        "and",
        "your",
        "you",
        "to",
        "of",
        "with",
        "this",
        "is",
        "for",
        "it",
        "on",
        "are",
        "be",
        "do",
        "not",
        "when",
        "if",
        "that",
        "should",
        "feel",
        "never",
        "slowly",
        "gently",
        "keep",
        "stop",
        "each",
        "every",
        "will",
        "can",
        "may",
        "these",
        "them",
        "they",
        "have",
        "has",
        "at",
        "or",
        "up",
        "down",
        "back",
        "pain",
        "stretch",
    ]
)

#: Share of words that are :data:`ENGLISH_MARKERS` from which a text counts as English.
ENGLISH_SHARE = 0.15


def looks_english(text: str) -> bool:
    """Whether ``text`` reads as English (a share of its words are common English words)."""
    words = re.findall(r"[a-záéíóúñü']+", text.lower())
    if not words:
        return False
    return sum(w in ENGLISH_MARKERS for w in words) / len(words) >= ENGLISH_SHARE


def _text_for(routine: Routine, language: str) -> RoutineText:
    found = routine.translations or {}
    return found.get(language) or found.get(base_language(language)) or RoutineText()


def routine_in_language(routine: Routine, language: str) -> Routine:
    """``routine`` with its own texts in ``language`` where it has them.

    The routine's ``language`` becomes ``language``; a text with no translation stays as
    written, except the default safety notice, which the catalogue translates.
    """
    text = _text_for(routine, language)
    update: dict[str, object] = {"language": language}
    for field in ("title", "author", "introduction", "safety_notice", "progression"):
        value = getattr(text, field)
        if value is not None:
            update[field] = value
    if (
        text.safety_notice is None
        and routine.safety_notice == DEFAULT_SAFETY_NOTICE
        and base_language(language) in catalogue_languages()
    ):
        update["safety_notice"] = catalogue(language).gettext(DEFAULT_SAFETY_NOTICE)
    notes = text.notes or {}
    update["items"] = [
        item.model_copy(update={"note": notes[item.exercise]})
        if item.note and item.exercise in notes
        else item
        for item in routine.items
    ]
    translated = routine.model_copy(update=update)
    carry_origin(routine, translated)
    return translated


def untranslated_texts(routine: Routine, language: str | None = None) -> list[str]:
    """Where the routine's own texts would still be English in ``language``.

    ``language`` defaults to the routine's own; English needs nothing. Each place is named as
    in the file (``introduction``, ``progression[1]``, ``items[2].note``).
    """
    language = language or routine.language
    if base_language(language) == "en":
        return []
    shown = routine_in_language(routine, language)
    places = [("title", shown.title), ("introduction", shown.introduction)]
    places.append(("safety_notice", shown.safety_notice))
    places += [(f"progression[{i}]", p) for i, p in enumerate(shown.progression)]
    places += [(f"items[{i}].note", it.note) for i, it in enumerate(shown.items) if it.note]
    return [where for where, text in places if looks_english(text)]
