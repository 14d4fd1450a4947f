"""The printed handout page by page: glance page, whole cards, running title, page count."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import pytest
from locations import REPO

from toolkit.exports.formats import export
from toolkit.paths import routines_dir
from toolkit.routines.library import Library
from toolkit.routines.models import Routine
from toolkit.routines.routine import effective_dose, load_routine
from toolkit.routines.wording import describe_dose

pytestmark = pytest.mark.needs("pdftotext")

TITLE = "Gentle back stretches for home"

#: Pages of the reference routine (6 exercises) and of a 10-exercise routine, tick sheet
#: included, at 13 pt: the glance page (with the stop signs the exercises share), cards three
#: to an A4 page (a card is 80-100 mm tall: the drawing beside the dose and the start, the
#: steps under it, care and stop signs side by side), the tick sheet. The issue's goal is at
#: most 4 and 6.
REFERENCE_PAGES = 4
TEN_EXERCISE_PAGES = 6

#: The same handouts in Spanish (``language="es"``), whose words run about a tenth longer: the
#: Spanish texts and card labels are cut to the same goal of 4 and 6 A4 pages.
SPANISH_PAGES = {"reference": 4, "ten": 6}

#: A routine of the whole library (25 exercises) on A4: two glance pages (25 exercises do not fit
#: on one), every card three to a page (9 pages) and the tick sheet. The budget any card layout
#: must meet is 2 + ceil(25 / 3) + 1 = 12 pages; this is what it prints, in both languages.
LIBRARY_PAGES = 12

#: Tallest card of any library exercise on A4 [mm], measured in the laid-out page, borders
#: included: three such cards and the two gaps between them (2.5 mm) fill the 277 mm between
#: the page margins, less the running title and footer. The tallest today is 89.7 mm.
MAX_CARD_MM = 90.0

#: The same on Letter paper, 18 mm shorter than A4: two cards share a page where a long card
#: (with its own stop signs, or the therapist's note) would be the third.
LETTER_PAGES = {"reference": 5, "ten": 6}


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def squeezed(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def reference_routine(library: Library) -> Routine:
    return load_routine(routines_dir() / "gentle-back-stretches.yaml", library)


@pytest.fixture(scope="module")
def ten_routine(library: Library) -> Routine:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_export import routine_of_size

    return routine_of_size(library, 10)


def _export(
    routine: Routine,
    library: Library,
    folder: Path,
    paper: str = "a4",
    language: str | None = None,
    fmt: str = "pdf",
) -> Path:
    path = folder / f"{routine.id}-{paper}-{language or 'en'}.{fmt}"
    export(
        routine,
        fmt,
        path,
        library=library,
        patient_id="p-017",
        start=dt.date(2026, 12, 1),
        paper=paper,
        language=language,
    )
    return path


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory, library: Library, reference_routine: Routine
) -> list[str]:
    return pages(_export(reference_routine, library, tmp_path_factory.mktemp("pages")))


@pytest.fixture(scope="module")
def ten(
    tmp_path_factory: pytest.TempPathFactory, library: Library, ten_routine: Routine
) -> list[str]:
    return pages(_export(ten_routine, library, tmp_path_factory.mktemp("pages")))


@pytest.fixture(scope="module")
def letter(
    tmp_path_factory: pytest.TempPathFactory,
    library: Library,
    reference_routine: Routine,
    ten_routine: Routine,
) -> dict[str, list[str]]:
    folder = tmp_path_factory.mktemp("letter")
    return {
        "reference": pages(_export(reference_routine, library, folder, "letter")),
        "ten": pages(_export(ten_routine, library, folder, "letter")),
    }


@pytest.fixture(scope="module")
def spanish(
    tmp_path_factory: pytest.TempPathFactory,
    library: Library,
    reference_routine: Routine,
    ten_routine: Routine,
) -> dict[str, list[str]]:
    folder = tmp_path_factory.mktemp("spanish")
    return {
        "reference": pages(_export(reference_routine, library, folder, language="es")),
        "ten": pages(_export(ten_routine, library, folder, language="es")),
    }


def test_the_reference_routine_meets_the_page_goal(reference: list[str]) -> None:
    assert len(reference) == REFERENCE_PAGES <= 4


def test_ten_exercises_meet_the_page_goal(ten: list[str]) -> None:
    assert len(ten) == TEN_EXERCISE_PAGES <= 6


@pytest.mark.parametrize("which", ["reference", "ten"])
def test_spanish_handouts_meet_the_page_goal(
    which: str, spanish: dict[str, list[str]], request: pytest.FixtureRequest
) -> None:
    printed = spanish[which]
    assert len(printed) == SPANISH_PAGES[which] <= {"reference": 4, "ten": 6}[which]
    routine = request.getfixturevalue(f"{which}_routine")
    _card_pages(printed, routine, request.getfixturevalue("library"), "es")
    for number, page in enumerate(printed, 1):
        assert f"Página {number} de {len(printed)}" in page and "Para p-017" in page
    assert "Tiene preguntas? Llame a su clínica" in printed[0]  # the glance page stays one page


@pytest.mark.parametrize("which", ["reference", "ten"])
def test_letter_paper_keeps_cards_whole_and_pages_counted(
    which: str, letter: dict[str, list[str]], request: pytest.FixtureRequest
) -> None:
    printed = letter[which]
    assert len(printed) == LETTER_PAGES[which]
    routine = request.getfixturevalue(f"{which}_routine")
    _card_pages(printed, routine, request.getfixturevalue("library"))
    for number, page in enumerate(printed, 1):
        assert f"Page {number} of {len(printed)}" in page and "For p-017" in page
    assert "Questions? Contact your clinic" in printed[0]  # the glance page stays one page
    assert "Tick sheet" in printed[-1] and "Tick sheet" not in printed[-2]


def test_every_page_carries_title_patient_and_page_x_of_y(reference: list[str]) -> None:
    for number, page in enumerate(reference, 1):
        assert TITLE in page and "For p-017" in page
        assert f"Page {number} of {len(reference)}" in page


def test_the_first_page_is_the_glance_page(
    reference: list[str], reference_routine: Routine, library: Library
) -> None:
    first = reference[0]
    assert "Your exercises at a glance" in first and "Please read this first" in first
    assert "Questions? Contact your clinic" in first and "555-0100" in first
    for number, item in enumerate(reference_routine.items, 1):
        exercise = library.get(item.exercise)
        assert f"{number}. {exercise.name}" in first
        assert describe_dose(effective_dose(item, exercise)) in first


def test_the_stop_signs_several_exercises_share_are_on_the_first_page(
    reference: list[str],
) -> None:
    first = reference[0]
    assert "Stop and call us if in any of these exercises:" in first
    for sign in (
        "Pain spreads down your leg.",
        "You feel numbness or tingling in your legs or feet.",
        "Your pain gets worse and stays worse after you stop.",
    ):
        assert sign in first
        assert not any(sign in page for page in reference[1:-1])  # not repeated on every card


#: A card's first heading and the words its last box starts with, by language.
CARD_WORDS = {"en": ("How much", "stop and call us if"), "es": ("Cuánto", "llámenos si")}


def _card_pages(
    printed: list[str], routine: Routine, library: Library, language: str = "en", glance: int = 1
) -> list[str]:
    """The page each card is on; fails unless every card's first and last words share it.

    ``glance`` is the number of glance pages before the cards (they name every exercise too).
    """
    first, last = CARD_WORDS[language]
    words = library.in_language(language) if language != "en" else library
    found = []
    for number, item in enumerate(routine.items, 1):
        exercise = words.get(item.exercise)
        (page,) = [p for p in printed[glance:] if f"{number}. {exercise.name}" in p]
        dose = describe_dose(effective_dose(item, exercise), language)
        assert first in page and squeezed(dose) in page
        assert last in page.lower()  # the end of the card is on its page
        found.append(page)
    return found


@pytest.mark.parametrize("which", ["reference", "ten"])
def test_no_card_breaks_across_pages(which: str, request: pytest.FixtureRequest) -> None:
    printed = request.getfixturevalue(which)
    routine = request.getfixturevalue(f"{which}_routine")
    _card_pages(printed, routine, request.getfixturevalue("library"))


@pytest.mark.parametrize("which", ["reference", "ten"])
def test_no_stop_sign_is_lost(which: str, request: pytest.FixtureRequest) -> None:
    printed = request.getfixturevalue(which)
    routine = request.getfixturevalue(f"{which}_routine")
    library = request.getfixturevalue("library")
    for item, page in zip(routine.items, _card_pages(printed, routine, library), strict=True):
        for sign in library.get(item.exercise).stop_if:
            assert squeezed(sign) in printed[0] or squeezed(sign) in page, sign


def test_the_tick_sheet_comes_last_dated_from_the_start(reference: list[str]) -> None:
    last = reference[-1]
    assert "Tick sheet" in last and "Tue 1 Dec" in last and "Mon 14 Dec" in last
    assert "Pain before (0-10)" in last and "Pain after (0-10)" in last


def _card_heights(html: Path) -> tuple[int, dict[str, float]]:
    """Pages of a handout laid out by WeasyPrint, and each card's height on them. [mm]"""
    from weasyprint import HTML

    document = HTML(filename=str(html)).render()
    heights: dict[str, float] = {}
    for page in document.pages:
        boxes = [page._page_box]  # the laid-out page: WeasyPrint's box tree, walked by hand
        while boxes:
            box = boxes.pop()
            element = getattr(box, "element", None)
            if (
                element is not None
                and element.tag == "section"
                and "exercise" in (element.get("class") or "").split()
            ):
                heights.setdefault(element.get("id"), box.border_height() * 25.4 / 96)
            boxes.extend(getattr(box, "children", None) or [])
    return len(document.pages), heights


@pytest.fixture(scope="module", params=["en", "es"])
def whole_library(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, library: Library
) -> tuple[str, Routine, Path, tuple[int, dict[str, float]]]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_export import routine_of_size

    language = request.param
    routine = routine_of_size(library, len(library.ids))
    folder = tmp_path_factory.mktemp(f"library-{language}")
    pdf = _export(routine, library, folder, language=language)
    html = _export(routine, library, folder, language=language, fmt="html")
    return language, routine, pdf, _card_heights(html)


def test_every_library_exercise_fits_three_cards_to_an_a4_page(
    whole_library: tuple[str, Routine, Path, tuple[int, dict[str, float]]], library: Library
) -> None:
    language, routine, pdf, (laid_out, heights) = whole_library
    assert len(routine.items) == len(library.ids) == 25
    printed = pages(pdf)
    budget = 2 + math.ceil(len(routine.items) / 3) + 1
    assert len(printed) == laid_out == LIBRARY_PAGES <= budget
    _card_pages(printed, routine, library, language, glance=2)  # every card on one page
    assert len(heights) == 25
    tallest = max(heights, key=heights.__getitem__)
    number = int(tallest.rsplit("-", 1)[1])
    assert heights[tallest] <= MAX_CARD_MM, (routine.items[number - 1].exercise, heights)
    assert heights[tallest] > MAX_CARD_MM - 5.3  # a 13 pt line: the limit is measured, not loose
