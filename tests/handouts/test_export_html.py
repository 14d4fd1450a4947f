"""The handout as one self-contained HTML file: inline styles, embedded pictures, tick sheet, QR."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from export_helpers import HOSTILE, VIDEO_URL, clinic_library, desk_routine

from toolkit.exports.formats import export
from toolkit.handouts.render import WEEKDAYS


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("html") / "desk.html"
    export(desk_routine(), "html", path, library=clinic_library())
    return path.read_text(encoding="utf-8")


def test_nothing_is_fetched_from_anywhere(html: str) -> None:
    sources = re.findall(r'\bsrc="([^"]*)"', html)
    assert sources and all(s.startswith("data:image/") for s in sources)
    links = re.findall(r'\bhref="([^"]*)"', html)
    web = [link for link in links if link.startswith("http")]
    assert sorted(web) == ["https://riverside.example/contact", VIDEO_URL]  # clinic and video
    assert "<link" not in html and "@import" not in html and "url(" not in html


def test_styles_are_inline_with_print_pages(html: str) -> None:
    assert html.count("<style>") == 1
    assert "size: A4 portrait" in html
    assert 'content: "Page " counter(page) " of " counter(pages);' in html
    assert "content: string(routine-title);" in html and "content: string(patient);" in html


def test_letter_paper_on_request(tmp_path: Path) -> None:
    path = export(
        desk_routine(), "html", tmp_path / "d.html", library=clinic_library(), paper="letter"
    )
    assert "size: letter portrait" in path.read_text(encoding="utf-8")


def test_pictures_have_the_exercise_name_as_alt_text(html: str) -> None:
    assert '<img src="data:image/png;base64,' in html
    thumbnail, card = re.findall(r"<img [^>]*>", html)
    assert 'alt="Shoulder blade squeeze"' in card
    glance = html[html.index('class="glance-list"') : html.index('class="contact"')]
    assert thumbnail in glance and 'alt=""' in thumbnail  # the name is written beside it
    assert '<span class="thumb" aria-hidden="true">' in glance


def test_tick_sheet_has_a_row_per_day_and_a_column_per_session(html: str) -> None:
    sheet = html[html.index('class="tick-sheet"') :]
    assert re.findall(r'<th scope="row">(\w+)</th>', sheet) == list(WEEKDAYS) * 2  # 2 weeks
    assert re.findall(r'<th scope="col">([^<]+)</th>', sheet) == [
        "Day",
        "Session 1",
        "Session 2",
        "Pain before (0-10)",
        "Pain after (0-10)",
    ]
    assert sheet.count('<td class="box"></td>') == 14 * 2
    assert sheet.count('<td class="pain"></td>') == 14 * 2
    assert sheet.count('starting: <span class="write-in">') == 2  # the patient dates it


def test_tick_sheet_for_one_session_a_day(tmp_path: Path) -> None:
    routine = desk_routine()
    routine.schedule.sessions_per_day = 1
    text = export(routine, "html", tmp_path / "d.html", library=clinic_library()).read_text()
    sheet = text[text.index('class="tick-sheet"') :]
    assert re.findall(r'<th scope="col">([^<]+)</th>', sheet)[:2] == ["Day", "Done"]
    assert sheet.count('<td class="box"></td>') == 14


def test_a_qr_code_sits_beside_each_video_link(html: str) -> None:
    video = html[html.index('class="video"') :]
    video = video[: video.index("</section>")]
    assert f'href="{VIDEO_URL}"' in video
    assert "<svg" in video and 'class="qr-code"' in video
    assert 'aria-label="QR code that opens the video of Shoulder blade squeeze"' in video
    assert html.count('class="qr"') == 1  # only the one exercise with a video


def test_user_text_is_escaped_in_the_file(tmp_path: Path) -> None:
    routine = desk_routine()
    routine.items[0].note = HOSTILE
    text = export(routine, "html", tmp_path / "d.html", library=clinic_library()).read_text()
    assert "<script" not in text
    assert "<img src=x" not in text and "&lt;img src=x onerror=" in text
    assert 'href="javascript' not in text
