"""The patient handout as HTML: the editor's live preview and the printable document.

One Jinja2 environment, with autoescaping on for every template, is built once and kept; its
templates are compiled on first use. :func:`render_handout` first turns the routine into plain
data (:func:`handout_context`: words, checked links, embedded pictures), then fills the
template. Everything the clinician typed is escaped, so ``<script>`` shows as text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from toolkit.errors import ExportError, InvalidDocumentError
from toolkit.handouts.media import check_link, image_data_uri, qr_svg, resolve_image
from toolkit.handouts.paper import PAPER_SIZES
from toolkit.handouts.tick_sheet import PAIN_COLUMNS, WEEKDAYS, tick_weeks
from toolkit.routines.catalogue import base_language, catalogue
from toolkit.routines.library import Library
from toolkit.routines.models import Contact, Exercise, Routine
from toolkit.routines.routine import check_exercises, effective_dose, origin
from toolkit.routines.routine_texts import routine_in_language
from toolkit.routines.translations import translate_exercise
from toolkit.routines.wording import describe_dose, describe_schedule

__all__ = [
    "BODY_FONT_PT",
    "PALETTE",
    "CONTRAST_PAIRS",
    "PAPER_SIZES",
    "WEEKDAYS",
    "render_handout",
    "handout_context",
    "paragraphs",
    "shared_items",
]

#: Size of the handout's body text. [pt]
BODY_FONT_PT = 13

#: The handout's colours, one place; every pair in :data:`CONTRAST_PAIRS` meets WCAG AA.
PALETTE = {
    "text": "#1a1a1a",
    "background": "#ffffff",
    "muted": "#474747",
    "heading": "#0d3b66",
    "link": "#0a4f8f",
    "rule": "#767676",
    "safety_text": "#1a1a1a",
    "safety_background": "#fff1c2",
    "safety_border": "#8a5300",
    "note_background": "#e7f0fa",
}

#: (foreground, background) pairs of :data:`PALETTE` that text is drawn with.
CONTRAST_PAIRS = (
    ("text", "background"),
    ("muted", "background"),
    ("heading", "background"),
    ("link", "background"),
    ("safety_text", "safety_background"),
    ("safety_border", "safety_background"),
    ("safety_border", "background"),
    ("text", "note_background"),
    ("heading", "note_background"),
    ("link", "note_background"),
)


#: Drawings made so far, by the exercise's JSON: the editor's preview redraws nothing.
_FIGURES: dict[str, tuple[str, str]] = {}
_FIGURES_KEPT = 256

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


@functools.cache
def _template(name: str) -> jinja2.Template:
    return _environment().get_template(name)


#: The catalogue message of the long date (Babel/CLDR pattern): ``Tuesday 1 December 2026``.
LONG_DATE_PATTERN = "EEEE d MMMM y"

#: The catalogue message of the date the routine was updated: ``2026-11-25``.
UPDATED_DATE_PATTERN = "yyyy-MM-dd"


def _page_of(language: str) -> str:
    """``"Page " counter(page) " of " counter(pages)``: the CSS of the page number."""
    words = catalogue(language).gettext("Page {page} of {pages}").replace('"', "")
    css = '"' + words.replace("{page}", '" counter(page) "').replace(
        "{pages}", '" counter(pages) "'
    )
    return (css + '"').replace(' ""', "")


@functools.cache
def _stylesheet(paper: str | None, language: str = "en") -> Markup:
    """The handout's CSS (``paper`` adds the print page rules); our own text, not the user's."""
    css = _template("handout.css.j2").render(
        palette=PALETTE,
        body_pt=BODY_FONT_PT,
        page_size=PAPER_SIZES.get(paper or ""),
        page_of=Markup(_page_of(language)),  # our own words, quoted for CSS
    )
    return Markup(css)


def paragraphs(text: str) -> list[str]:
    """Split typed text into paragraphs at blank lines; single line breaks become spaces."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]


def _same_words(text: str) -> str:
    return " ".join(text.split()).casefold()


def shared_items(lists: Sequence[Sequence[str]], at_least: int = 2) -> list[str]:
    """The items that at least ``at_least`` of the lists hold, each once, in first-seen order.

    Items are compared ignoring case and runs of spaces or line breaks, so that
    ``"Pain spreads down your leg."`` in one exercise and ``"pain  spreads down your LEG."``
    in another count as one. An item repeated within one list counts once for that list.

    Parameters
    ----------
    lists : sequence of sequence of str
        One list per exercise (its ``stop_if`` items, say).
    at_least : int
        How many of the lists must hold an item for it to be shared. [lists]

    Returns
    -------
    list of str
        The shared items, spelled as where they were first seen.
    """
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for items in lists:
        for key in {_same_words(item) for item in items}:
            counts[key] = counts.get(key, 0) + 1
        for item in items:
            first.setdefault(_same_words(item), item)
    return [item for key, item in first.items() if counts[key] >= at_least]


def _own_items(items: Sequence[str], shared: Sequence[str]) -> list[str]:
    """``items`` without those in ``shared`` (compared as :func:`shared_items` does)."""
    common = {_same_words(item) for item in shared}
    return [item for item in items if _same_words(item) not in common]


def _image_roots(exercise: Exercise, library: Library, routine_dir: Path | None) -> list[Path]:
    roots = []
    source = library.source(exercise.id)
    if source is not None:
        roots.append(source.parent)
    if routine_dir is not None:
        roots.append(routine_dir)
    return roots


def _drawing(exercise: Exercise, where: str) -> tuple[Markup, str] | None:
    """The exercise's generated drawing (SVG made by hepkit, text escaped) and its alt text."""
    if exercise.poses is None:
        return None
    # Imported here: the drawing modules take the handout's palette from this module.
    from toolkit.handouts.figures import exercise_figure

    key = exercise.model_dump_json()
    if key not in _FIGURES:
        if len(_FIGURES) >= _FIGURES_KEPT:
            _FIGURES.clear()
        figure = exercise_figure(exercise, where)
        _FIGURES[key] = (figure.svg, figure.alt)
    svg, alt = _FIGURES[key]
    return Markup(svg), alt


def _date_words(day: dt.date, language: str, pattern: str = LONG_DATE_PATTERN) -> str:
    from babel.dates import format_date

    return format_date(day, catalogue(language).gettext(pattern), locale=base_language(language))


def _contact(clinic: Contact) -> dict[str, Any]:
    website = clinic.website and check_link(clinic.website, "clinic website")
    return {
        "name": clinic.name,
        "phone": clinic.phone,
        "email": clinic.email,
        "website": website,
        "address": paragraphs(clinic.address) if clinic.address else [],
    }


def handout_context(
    routine: Routine,
    library: Library,
    *,
    qr_codes: bool = False,
    routine_dir: Path | None = None,
    patient_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    clinic: Contact | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """The routine as plain data for the handout template, every link and picture checked.

    Parameters
    ----------
    routine : Routine
        The routine to show.
    library : Library
        Holds every exercise the routine names.
    qr_codes : bool
        Add an inline SVG QR code beside each video link.
    routine_dir : Path, optional
        Folder pictures may also come from; default the folder the routine was loaded from.
    patient_id : str, optional
        The patient, named at the top of every page.
    start, end : datetime.date, optional
        First and last day of the prescription: dates on the tick sheet and its length.
    clinic : Contact, optional
        The clinic to name instead of the routine's own ``clinic:``.
    language : str, optional
        The patient's language (``es``); default the routine's ``language``. The routine's
        own texts come from its ``translations``, the exercises' from their translation
        files, every other word from the message catalogue.

    Raises
    ------
    InvalidDocumentError
        An exercise id the library does not hold, or a drawing whose pose is impossible.
    UnsafeContentError
        A video or clinic link that is not ``http(s)``, or a picture path leaving its folder.
    """
    problems = check_exercises(routine, library)
    if problems:
        raise InvalidDocumentError(origin(routine), problems)
    loaded_from = origin(routine)
    if routine_dir is None and loaded_from is not None:
        routine_dir = loaded_from.parent
    language = language or routine.language
    words = catalogue(language)
    routine = routine_in_language(routine, language)
    exercises = []
    chosen = {
        item.exercise: translate_exercise(
            library.get(item.exercise), language, library.source(item.exercise)
        )
        for item in routine.items
    }
    shared_stop_if = shared_items([exercise.stop_if for exercise in chosen.values()])
    for index, item in enumerate(routine.items):
        exercise = chosen[item.exercise]
        where = f"items[{index}] (exercise {exercise.id!r})"
        video = exercise.video_url and check_link(exercise.video_url, f"{where} video_url")
        image = drawing = None
        alt = exercise.name
        if exercise.image:
            roots = _image_roots(exercise, library, routine_dir)
            image = image_data_uri(resolve_image(exercise.image, roots, f"{where} image"))
        else:
            drawn = _drawing(exercise, where)
            if drawn is not None:
                drawing, alt = drawn
        exercises.append(
            {
                "number": index + 1,
                "name": exercise.name,
                "start": exercise.start,
                "steps": exercise.steps,
                "breathing": exercise.breathing,
                "cues": exercise.cues,
                "dose": describe_dose(effective_dose(item, exercise), language),
                "cautions": exercise.cautions,
                "stop_if": _own_items(exercise.stop_if, shared_stop_if),
                "note": paragraphs(item.note) if item.note else [],
                "image": image,
                "drawing": drawing,
                "alt": alt,
                "video": video,
                "qr": Markup(qr_svg(video)) if (video and qr_codes) else None,
            }
        )
    return {
        "lang": language,
        "_": words.gettext,
        "ngettext": words.ngettext,
        "title": routine.title,
        "introduction": paragraphs(routine.introduction),
        "safety_notice": paragraphs(routine.safety_notice),
        "schedule": describe_schedule(routine.schedule, language),
        "sessions_per_day": routine.schedule.sessions_per_day,
        "days_per_week": routine.schedule.days_per_week,
        "exercises": exercises,
        "shared_stop_if": shared_stop_if,
        "progression": routine.progression,
        "clinic": _contact(clinic if clinic is not None else routine.clinic),
        "patient_id": patient_id,
        "start": _date_words(start, language) if start is not None else None,
        "end": _date_words(end, language) if end is not None else None,
        "tick_weeks": tick_weeks(start, end, language),
        "pain_columns": {column: words.gettext(text) for column, text in PAIN_COLUMNS.items()},
        "author": routine.author,
        "version": routine.version,
        "updated": _date_words(routine.updated, language, UPDATED_DATE_PATTERN),
    }


def render_handout(
    routine: Routine,
    library: Library,
    *,
    standalone: bool = False,
    tick_sheet: bool | None = None,
    qr_codes: bool | None = None,
    paper: str = "a4",
    routine_dir: str | Path | None = None,
    patient_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    clinic: Contact | None = None,
    language: str | None = None,
) -> str:
    """The patient handout of a routine, as HTML.

    Parameters
    ----------
    routine : Routine
        The routine to show.
    library : Library
        Holds every exercise the routine names.
    standalone : bool
        False: an HTML fragment (one ``<article>`` with its own scoped styles) for the live
        preview. True: a whole document with print styles, ready to save or print.
    tick_sheet : bool, optional
        End with a tick sheet (days of the week by sessions per day); default ``standalone``.
    qr_codes : bool, optional
        Put a QR code beside each video link; default ``standalone``.
    paper : {"a4", "letter"}
        Page size of the print styles (only used when ``standalone``).
    routine_dir : str or Path, optional
        Folder pictures may also come from; default the folder the routine was loaded from.
    patient_id : str, optional
        The patient, named at the top of every printed page.
    start, end : datetime.date, optional
        First and last day of the prescription: the tick sheet's dates and weeks (default
        :data:`~toolkit.handouts.tick_sheet.DEFAULT_WEEKS` weeks, dates left to write in).
    clinic : Contact, optional
        The clinic to name instead of the routine's own ``clinic:``.
    language : str, optional
        The patient's language; default the routine's ``language``.

    Returns
    -------
    str
        The HTML. Pictures are embedded as ``data:`` URIs; nothing is fetched from a network.

    Raises
    ------
    ExportError
        An unknown paper size, or a picture that is missing or not a picture type.
    UnsafeContentError
        A link that is not ``http(s)``, or a picture path outside the allowed folders.
    """
    if paper not in PAPER_SIZES:
        raise ExportError(f"paper {paper!r} is not known; allowed: {', '.join(PAPER_SIZES)}")
    context = handout_context(
        routine,
        library,
        qr_codes=standalone if qr_codes is None else qr_codes,
        routine_dir=Path(routine_dir) if routine_dir is not None else None,
        patient_id=patient_id,
        start=start,
        end=end,
        clinic=clinic,
        language=language,
    )
    return _template("handout.html.j2").render(
        context,
        standalone=standalone,
        tick_sheet=standalone if tick_sheet is None else tick_sheet,
        css=_stylesheet(paper if standalone else None, context["lang"]),
    )
