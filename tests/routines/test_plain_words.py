"""Problems said in everyday words: one sentence for each kind of rule a routine can break."""

from __future__ import annotations

import pytest

from toolkit.errors import InvalidDocumentError, Problem
from toolkit.routines import editing
from toolkit.routines.plain_words import field_words, number_bounds, plain_error, plain_problem

KNEE_TO_CHEST = 3


def _plain(change, *args, **kwargs):
    with pytest.raises(InvalidDocumentError) as caught:
        change(*args, **kwargs)
    return [(p.where, p.message) for p in plain_error(caught.value).problems]


@pytest.fixture
def routine(routine_file, library):
    from toolkit.routines.routine import load_routine

    return load_routine(routine_file, library)


@pytest.mark.parametrize(
    ("fields", "where", "message"),
    [
        ({"title": ""}, "title", "The title can't be empty"),
        ({"author": "   "}, "author", "The author can't be empty"),
        ({"introduction": ""}, "introduction", "The introduction can't be empty"),
        ({"safety_notice": ""}, "safety_notice", "The safety notice can't be empty"),
        ({"title": "x" * 201}, "title", "The title is too long: 201 characters, at most 200 fit"),
        ({"version": 0}, "version", "The version must be at least 1, not 0"),
        (
            {"language": "English"},
            "language",
            "Language is not written in a form that can be used: 'English'",
        ),
        ({"items": []}, "items", "The list of exercises needs at least 1 exercise"),
    ],
)
def test_routine_fields(routine, fields, where, message):
    assert _plain(editing.set_fields, routine, **fields) == [(where, message)]


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ({"reps": 0}, "reps", "Times must be between 1 and 50, not 0"),
        ({"reps": 9999}, "reps", "Times must be between 1 and 50, not 9999"),
        ({"sets": 11}, "sets", "Sets must be between 1 and 10, not 11"),
        ({"hold_s": 0}, "hold_s", "The hold must be between 1 and 120 seconds, not 0"),
        ({"rest_s": 301}, "rest_s", "The rest must be between 0 and 300 seconds, not 301"),
        ({"reps": "many"}, "reps", "Times must be a whole number, not 'many'"),
        ({"reps": 2.5}, "reps", "Times must be a whole number, not 2.5"),
        (
            {"side": "middle"},
            "side",
            "The side must be one of 'both', 'left', 'right', 'each-side' or 'alternating', "
            "not 'middle'",
        ),
    ],
)
def test_dose_fields(routine, library, change, where, message):
    problems = _plain(editing.set_dose, routine, KNEE_TO_CHEST, library, **change)
    assert problems == [(f"items[3].dose.{where}", message)]


@pytest.mark.parametrize(
    ("sessions", "days", "message"),
    [
        (7, None, "Sessions a day must be between 1 and 6, not 7"),
        (None, 0, "Days a week must be between 1 and 7, not 0"),
    ],
)
def test_schedule(routine, sessions, days, message):
    [(_, said)] = _plain(editing.set_schedule, routine, sessions, days)
    assert said == message


def test_bounds_are_the_models():
    assert number_bounds("reps") == (1, 50)
    assert number_bounds("duration_s") == (5, 1800)
    assert number_bounds("days_per_week") == (1, 7)
    assert number_bounds("version") == (1, None)
    assert number_bounds("title") == (None, None)
    assert number_bounds("no-such-field") == (None, None)


def test_field_words():
    assert field_words("items[3].dose.reps") == "times"
    assert field_words("items[2]") == "the list of exercises"
    assert field_words("clinic.phone") == "the phone number"
    assert field_words("progression[0]") == "progression"


def test_a_missing_field():
    problem = Problem("clinic.name", "required field is missing", has_value=False, kind="missing")
    assert plain_problem(problem).message == "The name is needed"


def test_an_unknown_kind_keeps_its_message():
    problem = Problem("items[0].dose", "give either reps or duration_s", has_value=False)
    assert plain_problem(problem) is problem


def test_the_plain_problem_shows_its_value_once():
    problem = Problem(
        "title", "String should have at least 1 character", "", kind="string_too_short"
    )
    assert str(plain_problem(problem)) == "title: The title can't be empty"


def test_plain_error_keeps_the_source():
    error = InvalidDocumentError("a.yaml", [Problem("title", "x", "", kind="string_too_short")])
    assert str(plain_error(error)) == "a.yaml: 1 problem\n  - title: The title can't be empty"
    assert plain_error(InvalidDocumentError(None, [])).source == "<memory>"


def test_the_kind_does_not_change_equality():
    assert Problem("title", "m", 1, kind="a", context={"x": 1}) == Problem("title", "m", 1)
