"""The reference routine handed out in Spanish: no English string of the catalogue, the
handout template or the routine's own texts is left in the handout (HTML and PDF), the
companion or the calendar."""

from __future__ import annotations

import datetime as dt
import html.parser
import re
import subprocess
from pathlib import Path

import icalendar
import pytest
from babel.messages.pofile import read_po
from locations import REPO

from toolkit.cli.main import main
from toolkit.errors import ExportError, HepkitError
from toolkit.exports.companion import companion_data, companion_messages
from toolkit.exports.formats import export
from toolkit.handouts.render import LONG_DATE_PATTERN, UPDATED_DATE_PATTERN
from toolkit.handouts.tick_sheet import ROW_DATE_PATTERN
from toolkit.paths import routines_dir
from toolkit.routines.catalogue import catalogue_path
from toolkit.routines.routine import load_routine

REFERENCE = routines_dir() / "gentle-back-stretches.yaml"
TEMPLATE = REPO / "toolkit" / "handouts" / "templates" / "handout.html.j2"
START, END = dt.date(2026, 12, 1), dt.date(2026, 12, 14)

#: Catalogue messages that are Babel date patterns, not words.
PATTERNS = {LONG_DATE_PATTERN, UPDATED_DATE_PATTERN, ROW_DATE_PATTERN}


def _english_fragments() -> set[str]:
    """Every run of English words of every catalogue message (placeholders cut out)."""
    with catalogue_path("en").open("rb") as po:
        messages = [m for m in read_po(po) if m.id]
    fragments = set()
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            if text in PATTERNS:
                continue
            for piece in re.split(r"\{\w+\}", text):
                piece = piece.strip(" ,.:;()?")
                if re.search(r"[A-Za-z]{2,}", piece):
                    fragments.add(piece)
    return fragments


def _routine_english(routine) -> set[str]:
    """The routine's own English texts and those of its exercises, whole."""
    from toolkit.routines.library import load_library

    library = load_library()
    texts = {routine.title, routine.author, *routine.progression}
    texts |= {item.note for item in routine.items if item.note}
    for item in routine.items:
        ex = library.get(item.exercise)
        texts |= {ex.name, ex.summary, ex.start, *ex.steps, *ex.cues, *ex.cautions, *ex.stop_if}
        texts |= {ex.breathing or "", ex.poses.alt if ex.poses and ex.poses.alt else ""}
    return {t for t in texts if t}


def english_left(text: str, routine) -> list[str]:
    """Each English string found in ``text`` (whitespace runs made single spaces)."""
    flat = " ".join(text.split())
    found = [
        f
        for f in sorted(_english_fragments())
        if re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", flat)
    ]
    return found + [t for t in sorted(_routine_english(routine)) if " ".join(t.split()) in flat]


class _Text(html.parser.HTMLParser):
    """The text a reader sees or hears: text nodes (not the stylesheet) and alt/aria text."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self._skip += 1
        self.parts += [f" {v} " for k, v in attrs if k in ("alt", "aria-label", "title") and v]

    def handle_endtag(self, tag):
        if tag == "style":
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return "".join(parser.parts)


@pytest.fixture(scope="module")
def reference():
    return load_routine(REFERENCE)


@pytest.fixture(scope="module")
def spanish_html(reference, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("es") / "handout.html"
    export(reference, "html", path, language="es", patient_id="p-001", start=START, end=END)
    return path


def test_the_spanish_handout_has_no_english_left(spanish_html, reference):
    markup = spanish_html.read_text(encoding="utf-8")
    assert '<html lang="es">' in markup
    text = html_text(markup)
    assert english_left(text, reference) == []
    for spanish in (
        "Lea esto primero",
        "Mantenga 20 segundos",
        "Haga esta rutina una vez al día, todos los días.",
        "Para p-001, desde el martes 1 de diciembre de 2026",
        "Hoja para marcar",
        "mar 1 dic",
        "Dolor antes (0-10)",
        "Respirar con la barriga",
    ):
        assert spanish in " ".join(text.split()), spanish


def test_the_scan_finds_english_in_the_english_handout(reference, tmp_path):
    path = export(reference, "html", tmp_path / "en.html", patient_id="p-001", start=START)
    left = english_left(html_text(path.read_text(encoding="utf-8")), reference)
    assert {"Please read this first", "Tick sheet", "Steps", "Belly breathing"} <= set(left)


@pytest.mark.needs("pdftotext")
def test_the_spanish_pdf_has_no_english_left(reference, tmp_path):
    path = export(reference, "pdf", tmp_path / "es.pdf", language="es", start=START, end=END)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    text = done.stdout
    assert "Página 1 de" in text
    assert "Estiramientos suaves de espalda para casa" in " ".join(text.split())
    assert english_left(text, reference) == []


def test_the_handout_template_has_no_words_of_its_own():
    source = TEMPLATE.read_text(encoding="utf-8")
    source = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>|&\w+;", " ", source)
    assert re.findall(r"[A-Za-z]{2,}", source) == []


def test_language_es_in_the_routine_is_enough(reference, tmp_path):
    spanish = reference.model_copy(update={"language": "es"})
    path = export(spanish, "html", tmp_path / "h.html")
    assert english_left(html_text(path.read_text(encoding="utf-8")), reference) == []


def test_the_spanish_companion(reference, library):
    data = companion_data(reference.model_copy(update={"language": "es"}), library)
    assert data["messages"] == companion_messages("es")
    assert data["messages"].keys() == companion_messages("en").keys()
    assert data["routine"]["title"] == "Estiramientos suaves de espalda para casa"
    assert data["routine"]["schedule_words"] == "Haga esta rutina una vez al día, todos los días."
    first = data["items"][0]
    assert first["name"] == "Respirar con la barriga"
    assert first["note"].startswith("Empiece siempre")
    text = " ".join(str(v) for item in data["items"] for v in item.values())
    text += " " + " ".join(str(v) for v in data["routine"].values())
    assert english_left(text, reference) == []


def test_the_spanish_companion_page_and_calendar_from_the_cli(tmp_path, capsys):
    page, ics = tmp_path / "c.html", tmp_path / "c.ics"
    for fmt, out in (("companion", page), ("ics", ics)):
        argv = ["export", str(REFERENCE), "--format", fmt, "--output", str(out)]
        assert main([*argv, "--language", "es", "--start", "2026-12-01"]) == 0
    assert '<html lang="es">' in page.read_text(encoding="utf-8")
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    event = next(iter(calendar.walk("VEVENT")))
    description = str(event["description"])
    assert description.startswith("Haga esta rutina una vez al día, todos los días.")
    assert "1. Respirar con la barriga: Haga 10 respiraciones lentas." in description
    assert str(event["summary"]) == "Estiramientos suaves de espalda para casa"
    alarm = next(iter(event.walk("VALARM")))
    assert str(alarm["description"]).startswith("Es la hora de sus ejercicios")
    reference = load_routine(REFERENCE)
    assert english_left(description, reference) == []


def test_a_language_is_only_for_a_patients_format(reference, tmp_path):
    with pytest.raises(ExportError, match=r"language is for the formats a patient reads .*'yaml'"):
        export(reference, "yaml", tmp_path / "r.yaml", language="es")


def test_a_language_without_texts_is_refused(reference, tmp_path):
    with pytest.raises(HepkitError, match=r"no patient texts in language 'fr'; available: en, es"):
        export(reference, "html", tmp_path / "r.html", language="fr")
    assert not (tmp_path / "r.html").exists()
