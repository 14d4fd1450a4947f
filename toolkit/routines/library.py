"""The exercise library: load folders of exercise files, look up, filter and search.

The built-in library lives in ``toolkit/data/exercises/`` (one YAML file per exercise, the file name
being the exercise id). A clinic adds its own folder on top; an id may appear only once.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import HepkitError, InvalidDocumentError, Problem, UnknownExerciseError
from toolkit.paths import exercises_dir
from toolkit.routines.documents import (
    JSON_SUFFIXES,
    YAML_SUFFIXES,
    closest,
    read_document,
    validate_document,
)
from toolkit.routines.models import BodyRegion, Exercise, Goal, Position
from toolkit.routines.translations import translate_exercise
from toolkit.routines.wording import describe_dose, label

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Library", "load_library", "load_exercise"]

MEMORY = "<memory>"

#: How much more a word found in an exercise's name counts than one found elsewhere.
NAME_WEIGHT = 3.0

#: How alike (difflib ratio, 0 to 1) a misspelt word must be to a word of an exercise.
FUZZY_CUTOFF = 0.8

#: How alike a word must be to one of the library's words to be suggested in its place.
SUGGEST_CUTOFF = 0.7


def load_exercise(path: str | Path) -> Exercise:
    """Read and check one exercise file; its name must be ``<id>.yaml`` (or ``.json``)."""
    path = Path(path)
    exercise = validate_document(read_document(path), Exercise, path)
    if exercise.id != path.stem:
        raise InvalidDocumentError(
            path,
            [Problem("id", f"must match the file name {path.stem!r}", exercise.id)],
        )
    return exercise


class Library:
    """A set of exercises by id, in id order, each remembering the file it came from.

    A search's result is in order of relevance instead, best first; filtering keeps it.
    """

    def __init__(
        self,
        exercises: Iterable[Exercise],
        sources: dict[str, Path] | None = None,
        *,
        ranked: bool = False,
    ):
        ordered = exercises if ranked else sorted(exercises, key=lambda ex: ex.id)
        self._exercises = {ex.id: ex for ex in ordered}
        self._sources = dict(sources or {})

    def __len__(self) -> int:
        return len(self._exercises)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._exercises.values())

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._exercises

    def __repr__(self) -> str:
        return f"<Library of {len(self)} exercises>"

    @property
    def ids(self) -> list[str]:
        """Every exercise id, sorted (a search's result: best match first)."""
        return list(self._exercises)

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id; an unknown id names the closest ids."""
        try:
            return self._exercises[exercise_id]
        except KeyError:
            raise UnknownExerciseError(exercise_id, closest(exercise_id, self.ids)) from None

    def source(self, exercise_id: str) -> Path | None:
        """The file an exercise was read from (``None`` for one made in code)."""
        self.get(exercise_id)
        return self._sources.get(exercise_id)

    def filter(
        self,
        position: str | None = None,
        body_region: str | None = None,
        goal: str | None = None,
        tag: str | None = None,
    ) -> Library:
        """The exercises matching every criterion given (``None`` means any)."""
        _check_choice("position", position, Position)
        _check_choice("body_region", body_region, BodyRegion)
        _check_choice("goal", goal, Goal)
        kept = [
            ex
            for ex in self
            if (position is None or ex.position == position)
            and (body_region is None or body_region in ex.body_regions)
            and (goal is None or goal in ex.goals)
            and (tag is None or tag in ex.tags)
        ]
        return self._subset(kept)

    def search(self, text: str) -> Library:
        """Exercises that match every word of ``text``, best first (any case, any order).

        A word matches when it is part of the exercise's name, id, description, steps, tags,
        goals, position, body regions or equipment, or is spelt nearly like one of their
        words (``hamstrng`` finds the hamstring stretch). Matches in the name rank above
        matches elsewhere, exact spellings above near ones; ties keep the library's order.
        An empty ``text`` keeps every exercise.
        """
        words = text.lower().split()
        scored = []
        for position, ex in enumerate(self):
            score = _relevance(ex, words)
            if score > 0 or not words:
                scored.append((-score, position, ex))
        return self._subset([ex for _, _, ex in sorted(scored, key=lambda row: row[:2])])

    def suggest(self, text: str) -> str | None:
        """A search like ``text`` that finds something, for when ``text`` finds nothing.

        Each word is replaced by the nearest word of the library's exercises; None when no
        such search finds an exercise.
        """
        vocabulary = sorted({word for ex in self for word in _words(_haystack(ex))})
        suggested = []
        for word in text.lower().split():
            near = difflib.get_close_matches(word, vocabulary, n=1, cutoff=SUGGEST_CUTOFF)
            if near:
                suggested.append(near[0])
        if not suggested or suggested == text.lower().split():
            return None
        guess = " ".join(suggested)
        return guess if len(self.search(guess)) else None

    def table(self) -> pd.DataFrame:
        """One row per exercise: id, name, position, regions, goals, default dose, tags."""
        import pandas as pd

        rows = [
            {
                "id": ex.id,
                "name": ex.name,
                "position": label(ex.position),
                "body regions": ", ".join(map(label, ex.body_regions)),
                "goals": ", ".join(map(label, ex.goals)),
                "default dose": describe_dose(ex.default_dose),
                "tags": ", ".join(ex.tags),
            }
            for ex in self
        ]
        columns = ["id", "name", "position", "body regions", "goals", "default dose", "tags"]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def merged(self, other: Library) -> Library:
        """This library plus another; an id found in both is an error naming both files."""
        clashes = sorted(set(self.ids) & set(other.ids))
        if clashes:
            detail = "; ".join(
                f"{i!r} in {self._sources.get(i, MEMORY)} and {other._sources.get(i, MEMORY)}"
                for i in clashes
            )
            raise HepkitError(f"exercise id defined twice: {detail}; give one of them a new id")
        return Library([*self, *other], {**self._sources, **other._sources})

    def in_language(self, language: str) -> Library:
        """The same exercises with their words in ``language`` (English where none is given).

        Each exercise's translation is read from ``<its folder>/<language>/<id>.yaml``.
        """
        return Library(
            [translate_exercise(ex, language, self._sources.get(ex.id)) for ex in self],
            self._sources,
        )

    def _subset(self, kept: list[Exercise], ranked: bool = True) -> Library:
        """A library of ``kept``, in the order given."""
        sources = {ex.id: self._sources[ex.id] for ex in kept if ex.id in self._sources}
        return Library(kept, sources, ranked=ranked)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _word_score(
    word: str, name: str, name_words: list[str], rest: str, rest_words: list[str]
) -> float:
    """How well one searched word matches an exercise; 0 when it does not."""
    if word in name:
        return NAME_WEIGHT
    if word in rest:
        return 1.0
    near_name = max((difflib.SequenceMatcher(None, word, w).ratio() for w in name_words), default=0)
    if near_name >= FUZZY_CUTOFF:
        return NAME_WEIGHT * near_name / 2
    near_rest = max((difflib.SequenceMatcher(None, word, w).ratio() for w in rest_words), default=0)
    return near_rest / 2 if near_rest >= FUZZY_CUTOFF else 0.0


def _relevance(ex: Exercise, words: list[str]) -> float:
    """The sum of each word's score; 0 when a word matches nothing."""
    name = f"{ex.name} {ex.id}".lower()
    rest = _haystack(ex)
    name_words, rest_words = _words(name), _words(rest)
    total = 0.0
    for word in words:
        score = _word_score(word, name, name_words, rest, rest_words)
        if score == 0:
            return 0.0
        total += score
    return total


def _haystack(ex: Exercise) -> str:
    parts = [ex.id, ex.name, ex.summary, ex.start, *ex.steps, *ex.tags, *ex.goals]
    parts += [ex.position, *ex.body_regions, *ex.equipment]
    return " ".join(parts).lower()


def _check_choice(name: str, value: str | None, allowed_type: object) -> None:
    allowed = typing.get_args(allowed_type)
    if value is not None and value not in allowed:
        raise HepkitError(f"{name} {value!r} is not known; allowed: {', '.join(allowed)}")


def _read_folder(folder: Path) -> Library:
    if not folder.is_dir():
        raise HepkitError(f"{folder}: exercise folder not found")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES + JSON_SUFFIXES)
    exercises: list[Exercise] = []
    sources: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in files:
        try:
            exercise = load_exercise(path)
        except InvalidDocumentError as exc:
            problems += [
                Problem(f"{path.name}: {p.where}".rstrip(": "), p.message, p.value, p.has_value)
                for p in exc.problems
            ]
            continue
        if exercise.id in sources:
            problems.append(
                Problem(path.name, f"id also used by {sources[exercise.id].name}", exercise.id)
            )
            continue
        exercises.append(exercise)
        sources[exercise.id] = path
    if problems:
        raise InvalidDocumentError(folder, problems)
    return Library(exercises, sources)


def load_library(*folders: str | Path, builtin: bool = True) -> Library:
    """Load the built-in library and any clinic folders added to it.

    Parameters
    ----------
    *folders : str or Path
        Extra folders of exercise files, for example a clinic's own.
    builtin : bool
        Include hepkit's built-in library (``toolkit/data/exercises/``).

    Raises
    ------
    InvalidDocumentError
        One error listing every bad file in a folder, each problem located.
    HepkitError
        A folder that does not exist, or an id defined in two folders.
    """
    library = _read_folder(exercises_dir()) if builtin else Library([])
    for folder in folders:
        library = library.merged(_read_folder(Path(folder)))
    return library
