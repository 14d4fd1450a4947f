"""The patient's companion: one offline HTML page that runs a session and writes a log.

The page shows today's session one exercise at a time (drawing, steps, cues, the dose in plain
words), counts reps, holds, breaths, sets and rests, asks for pain before and after, keeps the
history on the device, and saves a CSV in hepkit's canonical log columns that the patient
sends to the clinic. Nothing leaves the device on its own: the file holds every script, style
and drawing, and asks for nothing over a network.

What the page needs from Python is made here, once, when the file is written:

- the routine's text and doses (dose and schedule worded by :mod:`toolkit.routines.wording`),
- the CSV header, from :data:`toolkit.logs.columns.CANONICAL_COLUMNS`,
- the warning-sign patterns of :data:`toolkit.logs.red_flags.RED_FLAG_PATTERNS`, turned into
  JavaScript regular expressions by :func:`js_pattern`,
- every patient-facing sentence, from one messages file (``templates/companion_messages.*.json``)
  that a translation can replace.

They travel to the script in one ``<script type="application/json">`` block (:func:`json_block`),
so routine text is data, never code or markup.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from toolkit.errors import ExportError, HepkitError
from toolkit.handouts.media import image_data_uri, resolve_image
from toolkit.logs.columns import CANONICAL_COLUMNS
from toolkit.logs.red_flags import RED_FLAG_PATTERNS, RED_FLAG_PATTERNS_VERSION
from toolkit.routines.catalogue import base_language, catalogue
from toolkit.routines.library import Library
from toolkit.routines.models import Contact, Exercise, Routine, RoutineItem
from toolkit.routines.routine_texts import routine_in_language
from toolkit.routines.translations import translate_exercise
from toolkit.routines.wording import describe_dose, describe_schedule

__all__ = [
    "PAIN_RISE_WARNING",
    "BREATH_IN_S",
    "BREATH_OUT_S",
    "STORAGE_PREFIX",
    "companion_messages",
    "companion_data",
    "companion_html",
    "js_pattern",
    "json_block",
]

#: Pain after at least this many points above pain before shows the safety notice. [NRS points]
PAIN_RISE_WARNING = 2
#: The breathing pacer: seconds of breathing in, then out, for one slow breath. [s]
BREATH_IN_S = 4
BREATH_OUT_S = 6
#: Start of the localStorage key of a page's history (then routine id, version, patient).
STORAGE_PREFIX = "hepkit-companion"

_TEMPLATES = Path(__file__).resolve().parent / "templates"

# Python-only regular expression syntax, and what JavaScript writes instead (None: refused).
_PY_ONLY = (
    (re.compile(r"\(\?P<"), "(?<"),
    (re.compile(r"\(\?P=(\w+)\)"), r"\\k<\1>"),
    (re.compile(r"\(\?[aiLmsux-]+[:)]"), None),
    (re.compile(r"\\[AZ]"), None),
    (re.compile(r"\(\?#"), None),
    (re.compile(r"[*+?}][+]"), None),
)


def js_pattern(pattern: str) -> str:
    """A Python regular expression as the source of an equal JavaScript one.

    The red-flag patterns use the syntax both languages share (alternation, groups, ``?``,
    ``*``, ``\\w``); named groups are rewritten, and anything that would mean something else
    in JavaScript is refused rather than translated wrongly.

    Raises
    ------
    ExportError
        Inline flags, ``\\A``/``\\Z``, comments or possessive quantifiers.
    """
    for python, javascript in _PY_ONLY:
        if python.search(pattern):
            if javascript is None:
                raise ExportError(
                    f"pattern {pattern!r} uses {python.search(pattern).group(0)!r}, which "  # type: ignore[union-attr]
                    "JavaScript reads differently; write it with groups, alternation and "
                    "quantifiers only"
                )
            pattern = python.sub(javascript, pattern)
    return pattern


@functools.cache
def companion_messages(language: str = "en") -> dict[str, Any]:
    """Every patient-facing sentence of the page, from ``companion_messages.<language>.json``.

    Raises
    ------
    ExportError
        No messages file for ``language``.
    """
    path = _TEMPLATES / f"companion_messages.{language}.json"
    if not path.is_file():
        known = sorted(p.name.split(".")[1] for p in _TEMPLATES.glob("companion_messages.*.json"))
        raise ExportError(
            f"the companion has no messages in language {language!r}; available: "
            + ", ".join(known)
        )
    messages: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return messages


def _picture(exercise: Exercise, library: Library, language: str) -> dict[str, str] | None:
    """The exercise's drawing as a data URI and its text alternative, or None."""
    try:
        from toolkit.handouts.figures import exercise_figure

        if exercise.poses is not None:
            figure = exercise_figure(exercise)
            data = "data:image/svg+xml;charset=utf-8," + _uri_escape(figure.svg)
            return {"src": data, "alt": figure.alt}
    except HepkitError:
        pass  # a drawing that cannot be made: fall back to the picture file, if any
    if exercise.image:
        source = library.source(exercise.id)
        roots = [source.parent] if source is not None else []
        path = resolve_image(exercise.image, roots, f"exercise {exercise.id!r}")
        alt = catalogue(language).gettext("Drawing of {name}").format(name=exercise.name)
        return {"src": image_data_uri(path), "alt": alt}
    return None


def _uri_escape(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe=" =:/;,'()-_.!~*")


def _item_data(item: RoutineItem, library: Library, language: str) -> dict[str, Any]:
    exercise = library.get(item.exercise)
    exercise = translate_exercise(exercise, language, library.source(exercise.id))
    dose = item.dose if item.dose is not None else exercise.default_dose
    kind = (
        "timed"
        if dose.duration_s is not None
        else {"repetitions": "reps", "holds": "holds", "breaths": "breaths"}[dose.counts]
    )
    sides = {"each-side": ["left", "right"], "left": ["left"], "right": ["right"]}
    return {
        "exercise_id": exercise.id,
        "name": exercise.name,
        "summary": exercise.summary,
        "picture": _picture(exercise, library, language),
        "dose_words": describe_dose(dose, language),
        "note": item.note,
        "start": exercise.start,
        "steps": list(exercise.steps),
        "breathing": exercise.breathing,
        "cues": list(exercise.cues),
        "stop_if": list(exercise.stop_if),
        "kind": kind,
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_s": dose.hold_s,
        "rest_s": dose.rest_s or 0,
        "duration_s": dose.duration_s,
        "sides": sides.get(dose.side, ["both"]),
    }


def companion_data(
    routine: Routine,
    library: Library,
    *,
    patient_id: str | None = None,
    start: dt.date | None = None,
    clinic: Contact | None = None,
) -> dict[str, Any]:
    """Everything the page's script reads: routine, doses, columns, patterns and messages.

    Parameters
    ----------
    routine : Routine
        The routine the patient follows.
    library : Library
        Holds the routine's exercises.
    patient_id : str, optional
        Written in every row of the log; without it the page asks the patient for their code.
    start : datetime.date, optional
        First day of the programme; the calendar and the week's count begin there.
    clinic : Contact, optional
        Who the patient calls; default the routine's clinic.
    """
    contact = clinic if clinic is not None else routine.clinic
    language = routine.language
    routine = routine_in_language(routine, language)
    return {
        "format": 1,
        "routine": {
            "id": routine.id,
            "version": routine.version,
            "title": routine.title,
            "introduction": routine.introduction,
            "safety_notice": routine.safety_notice,
            "schedule_words": describe_schedule(routine.schedule, language),
            "sessions_per_day": routine.schedule.sessions_per_day,
            "days_per_week": routine.schedule.days_per_week,
        },
        "patient_id": patient_id,
        "start": start.isoformat() if start is not None else None,
        "clinic": {"name": contact.name, "phone": contact.phone, "email": contact.email},
        "items": [_item_data(item, library, language) for item in routine.items],
        "columns": list(CANONICAL_COLUMNS),
        "red_flags": {
            "version": RED_FLAG_PATTERNS_VERSION,
            "patterns": [js_pattern(p) for p in RED_FLAG_PATTERNS.values()],
            "flags": "i",
        },
        "pain_rise_warning": PAIN_RISE_WARNING,
        "pacer": {"in_s": BREATH_IN_S, "out_s": BREATH_OUT_S},
        "storage_key": ".".join(
            [STORAGE_PREFIX, routine.id, f"v{routine.version}", patient_id or "-"]
        ),
        "messages": companion_messages(base_language(language)),
    }


def json_block(data: Any) -> Markup:
    """``data`` as JSON safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``, so no text
    of the routine can close the script element or open a comment.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def companion_html(
    routine: Routine,
    library: Library,
    *,
    patient_id: str | None = None,
    start: dt.date | None = None,
    clinic: Contact | None = None,
) -> str:
    """The companion page: one self-contained HTML document, for a phone or a computer.

    Parameters are those of :func:`companion_data`.

    Returns
    -------
    str
        The page. It makes no request of any kind; the log it saves has the columns of
        :data:`~toolkit.logs.columns.CANONICAL_COLUMNS`.
    """
    data = companion_data(routine, library, patient_id=patient_id, start=start, clinic=clinic)
    script = (_TEMPLATES / "companion.js").read_text(encoding="utf-8")
    if "</script" in script.lower():  # pragma: no cover - guards edits of the script
        raise ExportError("companion.js must not contain '</script'")
    return (
        _environment()
        .get_template("companion.html.j2")
        .render(
            language=routine.language,
            messages=data["messages"],
            title=routine.title,
            data=json_block(data),
            script=Markup(script),
        )
    )
