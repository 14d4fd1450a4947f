"""The editor's header: which file is open, Undo, Redo, Save, Save as new version, Reload, the
unsaved-changes marker, and the status line that says what happened.

Each button calls the editor's method of the same name; :meth:`Toolbar.show` enables only what
can be done now (no Save with a problem shown, nothing to save, or an earlier copy open).
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from toolkit.editor.controls import Guard, button, with_class

__all__ = ["UNSAVED_MARK", "Toolbar", "open_file_html"]

#: What the marker says while there are changes not yet saved.
UNSAVED_MARK = "● unsaved changes"


def open_file_html(file_name: str, version: int, from_history: bool) -> str:
    """Which file and version is open, in words (``file_name`` empty when there is none)."""
    name = html.escape(file_name or "no file")
    if from_history:
        return f"<b>An earlier copy of {name}</b> (version {version}): Save as new version keeps it"
    return f"<b>Editing {name}</b> (version {version})"


class Toolbar:
    """The header's buttons, marker, open file and status line.

    Parameters
    ----------
    guard : callable
        Wraps each click handler (the editor's shows a problem in words).
    undo, redo, save, save_new_version, reload : callable
        What each button does (the editor's methods).
    """

    def __init__(
        self,
        guard: Guard,
        undo: Callable[[], object],
        redo: Callable[[], object],
        save: Callable[[], object],
        save_new_version: Callable[[], object],
        reload: Callable[[], object],
    ):
        self.undo_button = button("Undo", "hepkit-undo", undo, guard)
        self.redo_button = button("Redo", "hepkit-redo", redo, guard)
        self.save_button = button("Save", "hepkit-save", save, guard)
        self.save_version_button = button(
            "Save as new version", "hepkit-save-version", save_new_version, guard
        )
        self.reload_button = button("Reload", "hepkit-reload", reload, guard)
        self.marker = with_class(w.Label(""), "hepkit-unsaved")
        self.open_file = with_class(w.HTML(""), "hepkit-open-file")
        self.status = with_class(w.HTML(""), "hepkit-status")

    def show(
        self,
        *,
        can_undo: bool,
        can_redo: bool,
        has_problems: bool,
        dirty: bool,
        has_file: bool,
        from_history: bool,
    ) -> None:
        """Enable what can be done now, and mark unsaved changes."""
        self.undo_button.disabled = not can_undo
        self.redo_button.disabled = not can_redo
        self.save_button.disabled = has_problems or not dirty or not has_file or from_history
        self.save_version_button.disabled = has_problems or not has_file
        self.reload_button.disabled = not has_file
        self.marker.value = UNSAVED_MARK if dirty else ""

    def say(self, text: str) -> None:
        """Show a message to the person using the editor (escaped: it may quote their text)."""
        self.status.value = html.escape(text, quote=False)
