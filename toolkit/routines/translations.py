"""An exercise's patient-facing text in another language, read from a sibling file.

The Spanish text of ``exercises/bridge.yaml`` lives in ``exercises/es/bridge.yaml`` and holds
only the words a patient reads (:class:`ExerciseText`); everything else (dose, poses, tags)
stays in the exercise's own file. A field the translation leaves out falls back to English.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from toolkit.routines.catalogue import base_language
from toolkit.routines.documents import read_document, validate_document
from toolkit.routines.models import Exercise, LongText, ShortText

__all__ = [
    "ENGLISH",
    "TRANSLATED_FIELDS",
    "ExerciseText",
    "translation_path",
    "read_translation",
    "translate_exercise",
    "missing_translations",
]

#: The language every exercise file is written in.
ENGLISH = "en"

#: The patient-facing fields of an exercise a translation carries (``alt``: the drawing's).
TRANSLATED_FIELDS = (
    "name",
    "summary",
    "start",
    "steps",
    "breathing",
    "cues",
    "cautions",
    "stop_if",
    "alt",
)


class ExerciseText(BaseModel):
    """The words of one exercise in one language; each field optional."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText | None = None
    summary: LongText | None = None
    start: LongText | None = None
    steps: list[LongText] | None = None
    breathing: LongText | None = None
    cues: list[LongText] | None = None
    cautions: list[LongText] | None = None
    stop_if: list[LongText] | None = None
    alt: LongText | None = Field(None, description="Text alternative of the drawing.")


def translation_path(source: Path, language: str) -> Path:
    """Where the translation of the exercise read from ``source`` lives."""
    return source.parent / base_language(language) / source.name


def read_translation(source: Path | None, language: str) -> ExerciseText | None:
    """The translation of an exercise file, or ``None`` when there is none (or English)."""
    if source is None or base_language(language) == ENGLISH:
        return None
    path = translation_path(source, language)
    if not path.is_file():
        return None
    return validate_document(read_document(path), ExerciseText, path)


def _english(exercise: Exercise, field: str) -> object:
    if field == "alt":
        return exercise.poses.alt if exercise.poses else None
    return getattr(exercise, field)


def translate_exercise(exercise: Exercise, language: str, source: Path | None) -> Exercise:
    """``exercise`` with its words in ``language``; English for each field left out."""
    text = read_translation(source, language)
    if text is None:
        return exercise
    given = text.model_dump(exclude_none=True)
    alt = given.pop("alt", None)
    translated = exercise.model_copy(update=given)
    if alt is not None and exercise.poses is not None:
        translated = translated.model_copy(
            update={"poses": exercise.poses.model_copy(update={"alt": alt})}
        )
    return translated


def missing_translations(exercise: Exercise, language: str, source: Path | None) -> list[str]:
    """Each field that has English text but no translation, or a list of another length."""
    text = read_translation(source, language)
    missing: list[str] = []
    for field in TRANSLATED_FIELDS:
        english = _english(exercise, field)
        if english is None:
            continue
        translated = getattr(text, field) if text is not None else None
        if translated is None:
            missing.append(field)
        elif isinstance(english, list) and len(translated) != len(english):
            missing.append(f"{field} ({len(translated)} items, English has {len(english)})")
    return missing
