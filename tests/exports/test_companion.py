"""The companion page without a browser: self-contained, small, escaped, and fed from Python."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import textstat

from toolkit.analysis import flags as analysis_flags
from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS
from toolkit.cli.main import main
from toolkit.errors import ExportError
from toolkit.exports.companion import (
    BREATH_IN_S,
    BREATH_OUT_S,
    PAIN_RISE_WARNING,
    companion_data,
    companion_html,
    companion_messages,
    js_pattern,
    json_block,
)
from toolkit.logs import red_flags
from toolkit.logs.columns import CANONICAL_COLUMNS
from toolkit.paths import routines_dir
from toolkit.routines.library import Library
from toolkit.routines.models import Contact, Routine
from toolkit.routines.routine import load_routine
from toolkit.routines.wording import describe_dose

#: Largest page for the reference routine. [bytes]
MAX_PAGE_BYTES = 400_000
#: Highest US school grade of patient-facing text (as for the library).
MAX_READING_GRADE = 8.0

DATA_BLOCK = re.compile(
    r'<script type="application/json" id="companion-data">(.*?)</script>', re.DOTALL
)


@pytest.fixture
def reference(library: Library) -> Routine:
    return load_routine(routines_dir() / "gentle-back-stretches.yaml", library)


def page_data(html: str) -> dict:
    found = DATA_BLOCK.search(html)
    assert found is not None
    return json.loads(found.group(1))


def test_the_page_is_one_small_file_that_asks_for_nothing(reference, library):
    html = companion_html(reference, library, patient_id="P001", start=dt.date(2026, 12, 1))
    assert len(html.encode("utf-8")) < MAX_PAGE_BYTES
    assert "<link" not in html
    sources = re.findall(r"""(?:src|href|action)\s*=\s*["']?([^"'\s>]+)""", html)
    assert all(url.startswith("data:") for url in sources), sources
    assert not re.search(r"\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon)\b", html)
    assert re.search(r"default-src 'none'.*connect-src 'none'", html)


def test_the_page_carries_the_routine_columns_patterns_and_messages(reference, library):
    html = companion_html(reference, library, patient_id="P001", start=dt.date(2026, 12, 1))
    data = page_data(html)
    assert data["columns"] == list(CANONICAL_COLUMNS)
    assert data["patient_id"] == "P001" and data["start"] == "2026-12-01"
    assert data["storage_key"] == "hepkit-companion.gentle-back-stretches.v1.P001"
    assert data["red_flags"]["patterns"] == list(red_flags.RED_FLAG_PATTERNS.values())
    assert data["messages"] == companion_messages("en")
    assert [item["exercise_id"] for item in data["items"]] == [
        item.exercise for item in reference.items
    ]
    knee = data["items"][3]
    assert knee["sides"] == ["left", "right"] and knee["kind"] == "holds"
    assert knee["dose_words"] == describe_dose(library.get("single-knee-to-chest").default_dose)
    assert data["items"][0]["kind"] == "breaths"
    assert data["routine"]["schedule_words"] == "Do this routine once a day, every day."
    assert data["clinic"] == {"name": reference.clinic.name, "phone": "555-0100", "email": None}


def test_without_a_patient_the_page_asks_and_another_clinic_can_be_named(reference, library):
    clinic = Contact(name="Riverside Physio", phone="+44 20 7946 0000")
    data = companion_data(reference, library, clinic=clinic)
    assert data["patient_id"] is None and data["start"] is None
    assert data["storage_key"].endswith(".v1.-")
    assert data["clinic"]["name"] == "Riverside Physio"


def test_routine_text_cannot_leave_the_data_block(reference, library):
    hostile = "</script><script>alert(1)</script><!-- & -->"
    routine = reference.model_copy(update={"introduction": hostile, "title": "<b>x</b>"})
    html = companion_html(routine, library)
    assert html.count("</script>") == 2  # the data block's and the script's own
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert page_data(html)["routine"]["introduction"] == hostile
    assert str(json_block({"a": "<&>\u2028"})) == '{"a":"\\u003c\\u0026\\u003e\\u2028"}'


def test_the_warning_patterns_are_defined_once_and_turned_into_javascript():
    assert analysis_flags.RED_FLAG_PATTERNS is red_flags.RED_FLAG_PATTERNS
    assert js_pattern(r"(?P<word>weak)\w* (?P=word)") == r"(?<word>weak)\w* \k<word>"
    for pattern in red_flags.RED_FLAG_PATTERNS.values():
        assert js_pattern(pattern) == pattern


@pytest.mark.parametrize("pattern", [r"(?i)fever", r"\Afever", r"fever\Z", r"a++"])
def test_python_only_pattern_syntax_is_refused(pattern):
    with pytest.raises(ExportError, match=r"which JavaScript reads differently; write it with"):
        js_pattern(pattern)


def test_an_unknown_language_names_those_there_are():
    with pytest.raises(
        ExportError, match=r"the companion has no messages in language 'xx'; available: en, es$"
    ):
        companion_messages("xx")


def test_thresholds_of_the_page():
    assert PAIN_RISE_WARNING == 2 == DEFAULT_THRESHOLDS.rise_points  # the analysis rise
    assert (BREATH_IN_S, BREATH_OUT_S) == (4, 6)


def _message_text(messages: dict) -> str:
    parts = []
    for value in messages.values():
        values = value if isinstance(value, list) else [value]
        parts += [re.sub(r"\{\w+\}", "it", str(v)) for v in values]
    return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)


def test_the_pages_own_text_reads_at_grade_8_or_below():
    grade = textstat.flesch_kincaid_grade(_message_text(companion_messages("en")))
    assert grade <= MAX_READING_GRADE, grade


def test_the_reading_measure_can_fail():
    dense = {
        "x": "Discontinuation of the programme necessitates immediate consultation with the "
        "physiotherapeutic practitioner responsible for individualised rehabilitation."
    }
    assert textstat.flesch_kincaid_grade(_message_text(dense)) > MAX_READING_GRADE


def test_hepkit_export_writes_the_companion(tmp_path: Path, capsys):
    target = tmp_path / "companion.html"
    code = main(
        [
            "export",
            "gentle-back-stretches",
            "--format",
            "companion",
            "--output",
            str(target),
            "--patient",
            "P001",
            "--start",
            "2026-12-01",
        ]
    )
    assert code == 0 and capsys.readouterr().out == f"wrote {target}\n"
    data = page_data(target.read_text(encoding="utf-8"))
    assert (data["patient_id"], data["start"]) == ("P001", "2026-12-01")


def test_the_pages_spanish_text_reads_bastante_facil():
    """Fernández-Huerta of at least 70, like the exercises' Spanish text."""
    textstat.set_lang("es")
    try:
        text = _message_text(companion_messages("es")).replace(" it", " eso")
        score = textstat.fernandez_huerta(text)
    finally:
        textstat.set_lang("en_US")
    assert score >= 70, score
