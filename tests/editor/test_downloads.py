"""Files handed over from the app: names after routine and version, content decoded from links."""

from __future__ import annotations

import base64
import re

import pytest

from toolkit.editor.downloads import DOWNLOADS, download_file, download_link, download_name
from toolkit.routines.routine import load_routine


def _decoded(link_html: str) -> tuple[str, str, bytes]:
    found = re.search(r'download="([^"]+)" href="data:([^;]+);base64,([^"]+)"', link_html)
    assert found, link_html
    return found[1], found[2], base64.b64decode(found[3])


@pytest.fixture
def routine(routine_file, library):
    return load_routine(routine_file, library)


def test_names_follow_the_file_and_the_version(routine, tmp_path):
    newer = routine.model_copy(update={"version": 2})
    assert download_name(newer, "pdf", tmp_path / "gentle-back-stretches.yaml") == (
        "gentle-back-stretches-v2.pdf"
    )
    assert download_name(newer, "html", tmp_path / "gentle-back-stretches-v7.yaml") == (
        "gentle-back-stretches-v2.html"
    )
    assert download_name(newer, "companion", None) == f"{routine.id}-v2-companion.html"
    assert download_name(newer, "routine", None) == f"{routine.id}-v2.yaml"


def test_unknown_kind_is_refused(routine, library):
    with pytest.raises(ValueError, match="no download 'docx'; allowed: pdf, html, companion"):
        download_file(routine, library, "docx")


def test_link_holds_the_file():
    name, mime, data = _decoded(download_link(b"abc", 'a"b.txt', "text/plain"))
    assert (name, mime, data) == ("a&quot;b.txt", "text/plain", b"abc")


def test_each_button_makes_its_file(editor):
    editor.downloads.buttons["pdf"].click()
    name, mime, data = _decoded(editor.downloads.link.value)
    assert name == f"{editor.path.stem}-v1.pdf" and mime == "application/pdf"
    assert data.startswith(b"%PDF")
    editor.downloads.buttons["html"].click()
    name, _, data = _decoded(editor.downloads.link.value)
    assert name.endswith("-v1.html") and b"Gentle back stretches for home" in data
    editor.downloads.buttons["companion"].click()
    name, _, data = _decoded(editor.downloads.link.value)
    assert name.endswith("-v1-companion.html") and b"<script" in data
    editor.downloads.buttons["routine"].click()
    name, _, data = _decoded(editor.downloads.link.value)
    assert name.endswith("-v1.yaml") and b"title: Gentle back stretches for home" in data
    assert list(DOWNLOADS) == ["pdf", "html", "companion", "routine"]


def test_link_goes_when_the_routine_changes(editor):
    editor.downloads.buttons["routine"].click()
    assert editor.downloads.link.value
    editor.text_fields["title"].value = "Another title"
    assert editor.downloads.link.value == ""
