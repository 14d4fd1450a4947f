"""The handout as PDF: its text, a rendered page, embedded fonts, page sizes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from export_helpers import clinic_library, desk_routine
from PIL import Image, ImageStat

from toolkit.exports.formats import export

pytestmark = pytest.mark.needs("pdftotext", "pdftoppm", "pdffonts", "pdfinfo")


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(c) for c in command], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "desk.pdf"
    export(desk_routine(), "pdf", path, library=clinic_library())
    return path


def test_text_holds_every_exercise_and_dose(pdf: Path) -> None:
    text = " ".join(run("pdftotext", pdf, "-").split())
    for words in (
        "Desk break for your back",
        "Please read this first",
        "Do this routine twice a day, on 5 days a week.",
        "Shoulder blade squeeze",
        "Pelvic tilt",
        "Walking",
        "Hold for 5 seconds. Do this 8 times, 2 sets. Rest 30 seconds between sets.",
        "Do this 12 times.",
        "Keep going for 5 minutes.",
        "Riverside Physio",
        "Tick sheet",
    ):
        assert words in text


def test_first_page_renders_with_ink_on_it(pdf: Path, tmp_path: Path) -> None:
    run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, tmp_path / "page")
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as image:
        grey = image.convert("L")
        assert grey.size[0] > 400 and grey.size[1] > 600  # A4 at 60 dpi: 496 x 702
        low, high = grey.getextrema()
        assert low < 80 and high > 240  # dark text on a light page
        assert ImageStat.Stat(grey).mean[0] < 250  # not an empty page


def test_fonts_are_embedded(pdf: Path) -> None:
    rows = run("pdffonts", pdf).splitlines()[2:]
    assert rows
    for row in rows:
        emb = row.split()[-5]
        assert emb == "yes", row


def test_pages_are_a4_or_letter(pdf: Path, tmp_path: Path) -> None:
    assert "(A4)" in run("pdfinfo", pdf)
    letter = export(
        desk_routine(), "pdf", tmp_path / "letter.pdf", library=clinic_library(), paper="letter"
    )
    assert "612 x 792 pts (letter)" in run("pdfinfo", letter)


def test_title_and_tags_for_screen_readers(pdf: Path) -> None:
    info = run("pdfinfo", pdf)
    assert "Desk break for your back" in info
    assert "Tagged:          yes" in info
