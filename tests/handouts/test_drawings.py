"""The exercise drawings in the handout: beside the steps, named for screen readers, escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from export_helpers import CLINIC_DIR, HOSTILE, library_with, routine_of, squeeze

from toolkit.handouts.figures import exercise_figure
from toolkit.handouts.render import render_handout
from toolkit.routines.models import Exercise, Poses

POSES = {
    "props": ["chair"],
    "start": {"trunk": 0},
    "end": {"near_shoulder": 90, "far_shoulder": 90},
    "alt": "Drawing: standing beside a chair, both arms raised forward.",
}


def drawn(**update: object) -> Exercise:
    """The test clinic's exercise with poses and, unless given, no picture of its own."""
    fields = {"image": None, "poses": Poses.model_validate(POSES), **update}
    return squeeze().model_copy(update=fields)


def handout(exercise: Exercise, **options: object) -> str:
    library = library_with(exercise, CLINIC_DIR)
    return render_handout(routine_of(library, exercise.id), library, **options)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def tags(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def test_the_card_shows_the_drawing_before_the_dose_and_the_steps() -> None:
    exercise = drawn()
    html = handout(exercise, standalone=True)
    card = html[html.index('id="exercise-1"') :]
    figure = exercise_figure(exercise)
    at = [
        card.index('<figure class="drawing"><svg'),
        card.index('role="img">'),
        card.index(f"<title>{POSES['alt']}</title>"),
        card.index("How much"),
        card.index('<ol class="steps">'),
    ]
    assert at == sorted(at)
    assert figure.svg in card  # the engine's own drawing, unchanged


def test_the_glance_page_shows_the_same_drawing_small_and_hidden_from_screen_readers() -> None:
    html = handout(drawn(), standalone=True)
    glance = html[html.index('class="glance-list"') : html.index('class="contact"')]
    assert '<span class="thumb" aria-hidden="true"><svg' in glance
    assert "Hold for 5 seconds. Do this 8 times, 2 sets." in glance  # the dose beside it
    assert handout(drawn()).count("<svg") == 2  # thumbnail and card (the preview has no QR)


def test_a_clinicians_picture_replaces_the_drawing() -> None:
    html = handout(squeeze().model_copy(update={"poses": Poses.model_validate(POSES)}))
    assert "<svg" not in html and '<figure class="picture">' in html


def test_an_exercise_without_poses_has_no_drawing() -> None:
    html = handout(squeeze().model_copy(update={"image": None}))
    assert "<svg" not in html and "<figure" not in html and "How much" in html


def test_exercise_text_never_enters_the_drawing_unescaped() -> None:
    poses = Poses.model_validate({**POSES, "alt": HOSTILE})
    html = handout(drawn(name=HOSTILE[:200], poses=poses), standalone=True)
    assert "script" not in tags(html)
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_a_generated_alt_text_escapes_the_exercise_name() -> None:
    poses = Poses.model_validate({key: value for key, value in POSES.items() if key != "alt"})
    html = handout(drawn(name=HOSTILE[:200], poses=poses), standalone=True)
    card = html[html.index('<figure class="drawing">') :]
    title = card[card.index("<title>") : card.index("</title>")]
    assert title.startswith("<title>Drawing of &lt;script&gt;")
    assert "<" not in title[len("<title>") :]
    assert "script" not in tags(html)
