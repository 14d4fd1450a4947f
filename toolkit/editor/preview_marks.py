"""What the editor's preview marks: the exercise cards a change touched, and the card to show.

After each change the editor compares the routine before and after (:func:`changed_cards`):
a card whose dose or note changed is marked on that part, a card that is new or now holds
another exercise is marked whole. :func:`mark_preview` writes the marks into the preview's
HTML only, as classes and a "Changed" label (so the mark is not colour alone), and flags the
card the preview should scroll to. The handout itself never carries them: exports render the
routine afresh. How the marks look, and how they fade after :data:`CHANGED_SHOWN_S`, is in
:data:`~toolkit.editor.layout.EDITOR_CSS`; the scroll is done by the app's page
(``app/jupyter/voila/templates/hepkit``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from toolkit.routines.models import Routine

__all__ = [
    "CHANGED_CLASS",
    "CHANGED_LABEL",
    "CHANGED_PART_CLASS",
    "CHANGED_SHOWN_S",
    "SCROLL_ATTRIBUTE",
    "PreviewState",
    "changed_cards",
    "follow",
    "mark_preview",
]

#: Class of a card a change touched.
CHANGED_CLASS = "hepkit-changed"
#: Class of the part of a card that changed (its dose line, its note).
CHANGED_PART_CLASS = "hepkit-changed-part"
#: The words shown on a changed card.
CHANGED_LABEL = "Changed"
#: How long a change stays marked. [s]
CHANGED_SHOWN_S = 4
#: Attribute of the card the preview scrolls to.
SCROLL_ATTRIBUTE = "data-hepkit-scroll"

#: The parts of a card that can be marked, by the class of their element in the handout.
PARTS = {"dose": "dose", "note": "note"}
WHOLE = "card"

_CARD = re.compile(r'<section class="exercise" id="exercise-(\d+)"')


@dataclass(frozen=True)
class PreviewState:
    """What the preview shows: the routine, the exercise selected, the marks, the scroll.

    Parameters
    ----------
    routine : Routine
        The routine shown.
    selected : int
        Index of the item selected in the editor.
    changed : dict of int to tuple of str
        The marked cards and parts, as :func:`changed_cards` gives them.
    scroll_to : int, optional
        The item whose card the preview brings into view.
    """

    routine: Routine
    selected: int
    changed: dict[int, tuple[str, ...]] = field(default_factory=dict)
    scroll_to: int | None = None


def follow(shown: PreviewState | None, routine: Routine, selected: int) -> PreviewState:
    """What the preview should show next, given what it shows (``shown``) and the editor's state.

    - Nothing changed: ``shown`` itself (the preview is left as it is).
    - The routine changed: the cards it touched are marked, and the preview scrolls to the
      selected card if it is one of them, else to the first.
    - Only the selection moved: scroll to the selected card; the marks stay if it is one of
      the marked cards (an exercise just added, duplicated or moved is then selected), and go
      otherwise.
    """
    if shown is None:
        return PreviewState(routine, selected)
    if routine == shown.routine:
        if selected == shown.selected:
            return shown
        kept = shown.changed if selected in shown.changed else {}
        return PreviewState(routine, selected, kept, selected)
    changed = changed_cards(shown.routine, routine)
    scroll_to = (selected if selected in changed else min(changed)) if changed else None
    return PreviewState(routine, selected, changed, scroll_to)


def changed_cards(before: Routine, after: Routine) -> dict[int, tuple[str, ...]]:
    """The cards of ``after`` that differ from ``before``, and what in each changed.

    Parameters
    ----------
    before, after : Routine
        The routine before and after one change.

    Returns
    -------
    dict of int to tuple of str
        By item index in ``after``: ``("dose",)``, ``("note",)``, both, or ``("card",)`` for a
        card that is new or shows another exercise (or changed otherwise). Of two exercises
        swapped, both cards are marked; a removed item leaves no card to mark.
    """
    old = [item.model_dump_json() for item in before.items]
    new = [item.model_dump_json() for item in after.items]
    if len(old) == len(new):  # changed in place, or moved: each card that differs
        return {
            index: _parts(before.items[index], after.items[index])
            for index in range(len(new))
            if old[index] != new[index]
        }
    # added or removed: the cards between the unchanged start and the unchanged end
    same = min(len(old), len(new))
    start = next((i for i in range(same) if old[i] != new[i]), same)
    end = next((i for i in range(same - start) if old[-1 - i] != new[-1 - i]), same - start)
    return {index: (WHOLE,) for index in range(start, len(new) - end)}


def _parts(old: object, new: object) -> tuple[str, ...]:
    if getattr(old, "exercise", None) != getattr(new, "exercise", None):
        return (WHOLE,)
    parts = tuple(p for p in PARTS if getattr(old, p, None) != getattr(new, p, None))
    # a change elsewhere in the item (none today) marks the whole card
    return parts or (WHOLE,)


def mark_preview(
    preview: str, changed: Mapping[int, tuple[str, ...]], scroll_to: int | None
) -> str:
    """The preview's HTML with ``changed`` cards marked and ``scroll_to``'s card flagged.

    Parameters
    ----------
    preview : str
        The handout fragment, as :func:`~toolkit.handouts.render.render_handout` makes it.
    changed : mapping of int to tuple of str
        What changed, by item index (from :func:`changed_cards`).
    scroll_to : int, optional
        The item whose card the preview should bring into view; None leaves it where it is.
    """
    pieces = _CARD.split(preview)
    # pieces: text before the first card, then (number, rest of that card and after) pairs
    out = [pieces[0]]
    for number_text, rest in zip(pieces[1::2], pieces[2::2], strict=True):
        index = int(number_text) - 1
        classes = "exercise"
        extra = ""
        parts = changed.get(index)
        if parts:
            classes += f" {CHANGED_CLASS}"
            what = ", ".join(p for p in parts if p != WHOLE)
            label = f"{CHANGED_LABEL}: {what}" if what else CHANGED_LABEL
            rest = _mark_parts(rest, parts)
            rest = re.sub(
                r"(</h2>)",
                rf'\1<p class="hepkit-changed-label" role="status">{label}</p>',
                rest,
                count=1,
            )
        if index == scroll_to:
            extra = f' {SCROLL_ATTRIBUTE}=""'
        out.append(f'<section class="{classes}" id="exercise-{number_text}"{extra}')
        out.append(rest)
    return "".join(out)


def _mark_parts(card: str, parts: tuple[str, ...]) -> str:
    end = card.find("</section>")
    head, tail = (card, "") if end < 0 else (card[:end], card[end:])
    for part in parts:
        if part in PARTS:
            head = head.replace(
                f'class="{PARTS[part]}"', f'class="{PARTS[part]} {CHANGED_PART_CLASS}"', 1
            )
    return head + tail
