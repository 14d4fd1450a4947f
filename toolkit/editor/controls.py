"""The small widget makers the editor's panels share: a widget with its CSS class, a button,
a whole-number field, and the box that shows a field's problem in words.

The CSS classes name each widget for the page's styles and for the browser tests
(``hepkit-dose-reps``). How a click or a typed value reaches the routine is the editor's
business: a panel is given its ``guard`` (shows a problem in words) and ``when_paused`` (applies
what is typed once typing pauses), see :class:`~toolkit.editor.widgets.RoutineEditor`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from toolkit.routines.plain_words import number_bounds

__all__ = [
    "ANY",
    "Guard",
    "WhenPaused",
    "button",
    "number_field",
    "problem_box",
    "problem_html",
    "with_class",
]

#: The value of a dropdown's "any" or "none" (not None, which a Dropdown shows as blank).
ANY = ""

#: ``guard(handler)``: the handler, showing a mistake in words instead of raising.
Guard = Callable[[Callable[..., object]], Callable[..., None]]
#: ``when_paused(field, handler)``: an observer that applies what is typed once typing pauses.
WhenPaused = Callable[[str, Callable[..., object]], Callable[..., None]]


def with_class(widget: Any, css: str) -> Any:
    """``widget``, given the CSS class ``css``."""
    widget.add_class(css)
    return widget


def button(text: str, css: str, action: Callable[[], object], guard: Guard) -> w.Button:
    """A button labelled ``text`` that calls ``action()`` through ``guard`` when clicked."""
    made = with_class(w.Button(description=text), css)
    made.on_click(guard(lambda _button: action()))
    return made


def problem_box(css: str) -> w.HTML:
    """Where the problem of the field of class ``css`` is shown (empty when there is none)."""
    box = w.HTML("")
    box.add_class("hepkit-problem")
    box.add_class(f"{css}-problem")
    return box


def number_field(name: str, description: str, css: str) -> w.IntText:
    """A whole-number field that takes any value typed: out of bounds is refused in words."""
    low, high = number_bounds(name)
    field = w.IntText(
        description=description, tooltip=f"from {low} to {high}", continuous_update=True
    )
    field.add_class(css)
    return field


def problem_html(problems: Mapping[str, str], field: str) -> str:
    """The problem of ``field`` in ``problems``, escaped and in red; empty when it has none."""
    text = problems.get(field)
    return f'<span style="color:#b00020">{html.escape(text)}</span>' if text else ""
