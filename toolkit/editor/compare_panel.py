"""The app's Compare row: choose two versions of the open routine and see what changed.

A thin shell over :func:`toolkit.routines.compare.compare_routines`. Every text shown is
escaped, so whatever a clinician typed into a routine shows as text, never as markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from toolkit.editor.workspace import RoutineVersion
from toolkit.routines.compare import INLINE_TEXT_CHARS, Change, compare_routines
from toolkit.routines.library import Library
from toolkit.routines.models import Routine
from toolkit.routines.routine import load_routine

__all__ = ["OPEN_NOW", "ComparePanel", "changes_html", "open_now_label"]

#: The choice that stands for the routine open in the editor, unsaved changes included.
OPEN_NOW = "open-now"


def open_now_label(open_file: Path | None) -> str:
    """What the choice :data:`OPEN_NOW` is called: ``routine-v2.yaml (open now)``."""
    name = open_file.name if open_file is not None else "the routine"
    return f"{name} (open now)"


def _open_now_heading(label: str) -> str:
    return label.replace("(open now)", "as open now, with any unsaved changes")


def _change_html(change: Change) -> str:
    text = html.escape(change.text, quote=False)
    if max(len(change.before or ""), len(change.after or "")) > INLINE_TEXT_CHARS:
        rows = [
            f"<div><i>{when}:</i> {html.escape(value, quote=False)}</div>"
            for when, value in (("Before", change.before), ("After", change.after))
            if value is not None
        ]
        text += f"<div class='hepkit-change-detail'>{''.join(rows)}</div>"
    return f"<li class='hepkit-change hepkit-change-{change.kind}'>{text}</li>"


def changes_html(changes: list[Change], older: str, newer: str) -> str:
    """The changes from ``older`` to ``newer`` (what each is called) as an escaped HTML list."""
    title = f"From {html.escape(older, quote=False)} to {html.escape(newer, quote=False)}"
    if not changes:
        return (
            f"<div class='hepkit-changes'><b>{title}</b>: no changes; "
            "they say the same to the patient.</div>"
        )
    count = f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
    items = "".join(_change_html(change) for change in changes)
    return (
        f"<div class='hepkit-changes'><b>{title}</b>: {count}"
        f"<ul style='margin:4px 0; padding-left:1.4em'>{items}</ul></div>"
    )


class ComparePanel:
    """Two choices among the open routine's versions, a button, and the list of changes.

    Parameters
    ----------
    current : callable
        ``current()`` gives the routine open in the editor (as it stands) and the library.
    guard : callable
        Wraps the click handler (the editor's shows a problem in words).
    """

    def __init__(
        self,
        current: Callable[[], tuple[Routine, Library]],
        guard: Callable[[Callable[..., object]], Callable[..., None]],
    ):
        self._current = current
        self._open_now = open_now_label(None)
        # no wider than the page: a long version name would push the editor past it
        self.older = w.Dropdown(
            description="Compare", layout=w.Layout(width="auto", max_width="100%")
        )
        self.older.add_class("hepkit-compare-older")
        self.newer = w.Dropdown(description="with", layout=w.Layout(width="auto", max_width="100%"))
        self.newer.add_class("hepkit-compare-newer")
        for dropdown in (self.older, self.newer):
            dropdown.style.description_width = "initial"
        self.compare_button = w.Button(description="Show changes", layout=w.Layout(width="auto"))
        self.compare_button.add_class("hepkit-compare")
        self.compare_button.on_click(guard(lambda _b: self.show()))
        # a long list scrolls in its own box, so the editor below stays near
        self.changes = w.HTML("", layout=w.Layout(max_height="14em", overflow="auto"))
        self.changes.add_class("hepkit-changes-list")
        row = w.HBox(
            [self.older, self.newer, self.compare_button],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        self.widget = w.VBox([row, self.changes], layout=w.Layout(width="100%"))
        self.widget.add_class("hepkit-compare-panel")
        # A list names the two versions it compares: choosing another takes it away, so that
        # what is shown always matches what is chosen.
        for dropdown in (self.older, self.newer):
            dropdown.observe(lambda _change: self._clear(), names="value")
        self._showing = False

    def update(self, versions: list[RoutineVersion], open_file: Path | None = None) -> None:
        """Offer ``versions`` (newest first); the first to compare is the newest not open."""
        choices: list[tuple[str, RoutineVersion | str]] = [(v.label, v) for v in versions]
        self.older.options = choices
        others = [i for i, v in enumerate(versions) if v.path != open_file]
        self.older.index = (others[0] if others else 0) if versions else None
        self._open_now = open_now_label(open_file)
        self.newer.options = [(self._open_now, OPEN_NOW), *choices]
        self.newer.index = 0
        self.compare_button.disabled = not versions
        self.widget.layout.display = None if versions else "none"  # nothing saved to compare yet
        self._clear()

    def _clear(self) -> None:
        self.changes.value = ""
        self._showing = False

    def routine_changed(self) -> None:
        """The open routine changed: a list that compares it is shown again, up to date."""
        if self._showing and OPEN_NOW in (self.older.value, self.newer.value):
            self.show()

    def _routine(self, choice: RoutineVersion | str) -> tuple[Routine, str]:
        if isinstance(choice, RoutineVersion):
            return load_routine(choice.path), choice.label
        routine, _ = self._current()
        return routine, _open_now_heading(self._open_now)

    def show(self) -> list[Change]:
        """List what changed from the first choice to the second; return the changes."""
        _, library = self._current()
        if self.older.value is None:
            return []
        older, older_name = self._routine(self.older.value)
        newer, newer_name = self._routine(self.newer.value)
        changes = compare_routines(older, newer, library)
        self.changes.value = changes_html(changes, older_name, newer_name)
        self._showing = True
        return changes
