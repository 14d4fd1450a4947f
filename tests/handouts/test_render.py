"""The patient handout as HTML: content and order, escaping, links, pictures, speed, contrast."""

from __future__ import annotations

import re
import statistics
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_helpers import (
    CLINIC_DIR,
    HOSTILE,
    VIDEO_URL,
    clinic_library,
    desk_routine,
    library_with,
    routine_of,
    squeeze,
)

from toolkit.errors import ExportError, InvalidDocumentError, UnsafeContentError
from toolkit.handouts.render import (
    BODY_FONT_PT,
    CONTRAST_PAIRS,
    PALETTE,
    paragraphs,
    render_handout,
    shared_items,
)
from toolkit.routines.library import Library
from toolkit.routines.models import Routine


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def positions(html: str, *needles: str) -> list[int]:
    found = [html.find(n) for n in needles]
    assert -1 not in found, [n for n, at in zip(needles, found, strict=True) if at == -1]
    return found


def test_sections_come_in_the_handout_order() -> None:
    html = render_handout(desk_routine(), clinic_library())
    at = positions(
        html,
        "<h1>Desk break for your back</h1>",
        "Short breaks with these movements ease a stiff back.",
        "Please read this first",
        "Your exercises at a glance",
        "Do this routine twice a day, on 5 days a week.",
        "Questions? Contact your clinic",
        "Riverside Physio",
        "Shoulder blade squeeze</h2>",
        "Pelvic tilt</h2>",
        "Walking</h2>",
    )
    assert at == sorted(at)


def test_each_exercise_shows_its_parts_in_order() -> None:
    html = render_handout(desk_routine(), clinic_library())
    first = html[html.find('id="exercise-1"') : html.find('id="exercise-2"')]
    at = positions(
        first,
        '<img src="data:image/png;base64,',
        "How much",
        "Hold for 5 seconds. Do this 8 times, 2 sets. Rest 30 seconds between sets.",
        "How to start:",
        "Sit near the front of a firm chair.",
        '<ol class="steps">',
        "<li>Sit tall, as if a string were lifting the top of your head.</li>",
        "Breathing and form",
        "Keep breathing the whole time.",
        "Keep your chin level.",
        "From your therapist:",
        "Use the picture to check your position.",
        f'href="{VIDEO_URL}"',
        "Take care",  # care and stop signs side by side, closing the card
        "Also stop and call us if",
        "You feel tingling or numbness in your hands.",
    )
    assert at == sorted(at)


def test_doses_read_as_plain_words() -> None:
    html = render_handout(desk_routine(), clinic_library())
    assert "Do this 12 times." in html  # the item's own dose, not pelvic tilt's default
    assert "Keep going for 5 minutes." in html


def test_headings_are_semantic() -> None:
    tags = parse(render_handout(desk_routine(), clinic_library())).tags
    names = [tag for tag, _ in tags]
    assert names.count("h1") == 1
    assert names.count("article") == 1
    html = render_handout(desk_routine(), clinic_library())
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    exercise_headings = [h for h in headings if 'class="number"' in h]
    assert len(exercise_headings) == 3
    assert '<span class="number">1.</span> Shoulder blade squeeze' in exercise_headings[0]


def test_fragment_is_an_article_and_standalone_a_document() -> None:
    fragment = render_handout(desk_routine(), clinic_library())
    assert fragment.lstrip().startswith('<article class="handout" lang="en">')
    assert "<html" not in fragment and "@page" not in fragment
    assert "<style>" in fragment  # the preview carries its scoped styles
    document = render_handout(desk_routine(), clinic_library(), standalone=True)
    assert document.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in document
    assert "<title>Desk break for your back</title>" in document
    assert "size: A4 portrait" in document


def test_preview_has_no_tick_sheet_or_qr_unless_asked() -> None:
    fragment = render_handout(desk_routine(), clinic_library())
    assert "Tick sheet" not in fragment and 'class="qr"' not in fragment
    asked = render_handout(desk_routine(), clinic_library(), tick_sheet=True, qr_codes=True)
    assert "Tick sheet" in asked and 'class="qr"' in asked


def _hostile_routine() -> Routine:
    data = desk_routine().model_dump()
    data["title"] = HOSTILE[:200]
    data["introduction"] = HOSTILE
    data["safety_notice"] = HOSTILE
    data["author"] = HOSTILE[:200]
    data["clinic"]["name"] = HOSTILE[:200]
    data["clinic"]["address"] = HOSTILE
    data["progression"] = [HOSTILE]
    for item in data["items"]:
        item["note"] = HOSTILE
    return Routine.model_validate(data)


@pytest.mark.parametrize("standalone", [False, True])
def test_typed_text_is_shown_as_text_and_runs_nothing(standalone: bool) -> None:
    html = render_handout(_hostile_routine(), clinic_library(), standalone=standalone)
    parsed = parse(html)
    assert not any(tag == "script" for tag, _ in parsed.tags)
    assert not any(any(name.startswith("on") for name in attrs) for _, attrs in parsed.tags), (
        "an event handler attribute got through"
    )
    hrefs = [attrs.get("href") or "" for tag, attrs in parsed.tags if tag == "a"]
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    srcs = [attrs.get("src") or "" for tag, attrs in parsed.tags if tag == "img"]
    assert srcs and all(s.startswith("data:image/") for s in srcs)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert any('<img src=x onerror="alert(1)">' in text for text in parsed.text)


def test_hostile_exercise_text_from_a_library_file_is_escaped_too() -> None:
    exercise = squeeze().model_copy(
        update={"name": HOSTILE[:200], "steps": [HOSTILE, HOSTILE], "cues": [HOSTILE]}
    )
    library = library_with(exercise, CLINIC_DIR)
    html = render_handout(routine_of(library, exercise.id), library, standalone=True)
    parsed = parse(html)
    assert not any(tag == "script" for tag, _ in parsed.tags)
    thumbnail, card = (attrs for tag, attrs in parsed.tags if tag == "img")
    assert card["alt"] == HOSTILE[:200]  # the alt text is the name, as text
    assert thumbnail["alt"] == ""


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "https:///no-host",
        "https://example.org/a video",
        "ftp://example.org/v.mp4",
    ],
)
def test_video_links_other_than_http_are_refused(url: str) -> None:
    exercise = squeeze().model_copy(update={"video_url": url})
    library = library_with(exercise, CLINIC_DIR)
    message = (
        r"items\[0\] \(exercise 'clinic-shoulder-blade-squeeze'\) video_url: link "
        + re.escape(repr(url))
        + r" is refused; a handout only takes web links that start with http:// or https://"
    )
    with pytest.raises(UnsafeContentError, match=message):
        render_handout(routine_of(library, exercise.id), library)


def test_clinic_website_must_be_http_too() -> None:
    routine = desk_routine()
    routine.clinic = routine.clinic.model_copy(update={"website": "javascript:alert(1)"})
    with pytest.raises(UnsafeContentError, match=r"^clinic website: link 'javascript:alert"):
        render_handout(routine, clinic_library())


@pytest.mark.parametrize("image", ["../../../../etc/passwd", "/etc/hostname", "pictures/../../x"])
def test_a_picture_outside_the_allowed_folders_is_refused(image: str) -> None:
    exercise = squeeze().model_copy(update={"image": image})
    library = library_with(exercise, CLINIC_DIR)
    message = (
        r"items\[0\] \(exercise 'clinic-shoulder-blade-squeeze'\) image: image path "
        + re.escape(repr(image))
        + r" leads outside the allowed folders .*; keep pictures beside the exercise or the "
        r"routine file"
    )
    with pytest.raises(UnsafeContentError, match=message):
        render_handout(routine_of(library, exercise.id), library)


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes((CLINIC_DIR / "pictures" / "shoulder-blade-squeeze.png").read_bytes())
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "sneaky.png").symlink_to(secret)
    exercise = squeeze().model_copy(update={"image": "sneaky.png"})
    library = library_with(exercise, folder)
    with pytest.raises(UnsafeContentError, match=r"image path 'sneaky.png' leads outside"):
        render_handout(routine_of(library, exercise.id), library)


def test_a_missing_picture_is_an_export_error() -> None:
    exercise = squeeze().model_copy(update={"image": "pictures/nowhere.png"})
    library = library_with(exercise, CLINIC_DIR)
    with pytest.raises(ExportError, match=r"image 'pictures/nowhere.png' not found in .*clinic"):
        render_handout(routine_of(library, exercise.id), library)


def test_a_file_that_is_not_a_picture_is_refused() -> None:
    exercise = squeeze().model_copy(update={"image": "clinic-shoulder-blade-squeeze.yaml"})
    library = library_with(exercise, CLINIC_DIR)
    with pytest.raises(ExportError, match=r"is not a picture type hepkit embeds; allowed: .png"):
        render_handout(routine_of(library, exercise.id), library)


def test_a_picture_may_sit_beside_the_routine(tmp_path: Path) -> None:
    folder = tmp_path / "routine"
    (folder / "pictures").mkdir(parents=True)
    picture = CLINIC_DIR / "pictures" / "shoulder-blade-squeeze.png"
    (folder / "pictures" / "shoulder-blade-squeeze.png").write_bytes(picture.read_bytes())
    library = Library([squeeze()])  # made in code: no library folder
    routine = routine_of(library, squeeze().id)
    with pytest.raises(ExportError, match=r"has no folder to be found in"):
        render_handout(routine, library)
    html = render_handout(routine, library, routine_dir=folder)
    assert '<img src="data:image/png;base64,iVBORw0KGgo' in html
    assert 'alt="Shoulder blade squeeze"' in html


def test_an_unknown_exercise_is_located() -> None:
    routine = routine_of(clinic_library(), "pelvic-tilt")
    routine.items[0].exercise = "pelvic-tilts"
    with pytest.raises(InvalidDocumentError, match=r"items\[0\]\.exercise: unknown exercise id"):
        render_handout(routine, clinic_library())


def test_an_unknown_paper_size_is_refused() -> None:
    with pytest.raises(ExportError, match=r"paper 'a5' is not known; allowed: a4, letter"):
        render_handout(desk_routine(), clinic_library(), standalone=True, paper="a5")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize(("foreground", "background"), CONTRAST_PAIRS)
def test_colours_meet_wcag_aa(foreground: str, background: str) -> None:
    light, dark = sorted(
        (_luminance(PALETTE[foreground]), _luminance(PALETTE[background])), reverse=True
    )
    assert (light + 0.05) / (dark + 0.05) >= 4.5


def test_body_text_is_large() -> None:
    assert BODY_FONT_PT >= 12
    html = render_handout(desk_routine(), clinic_library(), standalone=True)
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)pt", html)]
    assert min(sizes) >= 12
    assert f"font-size: {BODY_FONT_PT}pt" in html


def test_paragraphs_join_wrapped_lines_and_split_at_blank_lines() -> None:
    assert paragraphs("one\ntwo\n\n  three  \n") == ["one two", "three"]


def test_preview_of_20_items_is_fast(library: Library) -> None:
    ids = library.ids[:20]
    routine = routine_of(library, *ids)
    render_handout(routine, library)
    runs = []
    for _ in range(15):
        began = time.perf_counter()
        render_handout(routine, library)
        runs.append(time.perf_counter() - began)
    assert statistics.median(runs) < 0.050


def test_shared_items_are_those_of_at_least_two_lists_compared_loosely() -> None:
    lists = [
        ["Pain spreads down your leg.", "You feel dizzy."],
        ["pain  spreads down\nyour LEG.", "Your knee hurts."],
        ["Your knee hurts.", "Your knee hurts.", "Only here."],
    ]
    assert shared_items(lists) == ["Pain spreads down your leg.", "Your knee hurts."]
    assert shared_items(lists, at_least=3) == []
    assert shared_items([["Twice in one list.", "twice in one  list."]]) == []


def test_shared_stop_signs_move_to_the_first_page_and_cards_keep_their_own() -> None:
    routine = routine_of(clinic_library(), "pelvic-tilt", "drawing-in", "diaphragmatic-breathing")
    html = render_handout(routine, clinic_library())
    box = html[html.index('class="stop-all"') : html.index('class="glance"')]
    assert box.count("<li>") == 3 and "<li>Pain spreads down your leg.</li>" in box
    cards = html[html.index('id="exercise-1"') :]
    assert "Pain spreads down your leg." not in cards
    assert "Stop and call us if you notice any sign in the box on page 1." in cards
    breathing = html[html.index('id="exercise-3"') :]
    assert "Also stop and call us if" in breathing
    assert "You feel dizzy, short of breath, or have pain in your chest." in breathing


def test_without_shared_stop_signs_each_card_keeps_them_all() -> None:
    routine = routine_of(clinic_library(), "clinic-shoulder-blade-squeeze", "pelvic-tilt")
    html = render_handout(routine, clinic_library())
    assert 'class="stop-all"' not in html and "Also stop" not in html
    assert html.count("<h3>Stop and call us if</h3>") == 2
    assert "<li>Pain spreads down your leg.</li>" in html
