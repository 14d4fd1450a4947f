"""The app's Open panel: the routines of the workspace, and the versions of the one open
to open or compare.

Thin widgets over :mod:`toolkit.editor.workspace`; opening goes through a callback, the
editor's :meth:`~toolkit.editor.widgets.RoutineEditor.open`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from toolkit.editor.compare_panel import ComparePanel
from toolkit.editor.workspace import RoutineVersion, routine_versions, workspace_routines
from toolkit.routines.library import Library
from toolkit.routines.models import Routine

__all__ = ["OpenPanel"]


class OpenPanel:
    """A list of the workspace's routines and one of the open routine's versions, to open.

    Parameters
    ----------
    open_file : callable
        ``open_file(path, live)`` opens ``path``; ``live`` is the routine file it belongs to.
    guard : callable
        Wraps each click handler (the editor's shows a problem in words).
    workspace : str or Path, optional
        Folder of routines; default :func:`~toolkit.paths.workspace_dir`.
    current : callable, optional
        ``current()`` gives the routine being edited and the library; given, the panel also
        compares versions (:class:`~toolkit.editor.compare_panel.ComparePanel`).
    """

    def __init__(
        self,
        open_file: Callable[[Path, Path], object],
        guard: Callable[[Callable[..., object]], Callable[..., None]],
        workspace: str | Path | None = None,
        current: Callable[[], tuple[Routine, Library]] | None = None,
    ):
        self._open_file = open_file
        self.workspace = workspace
        narrow = {"width": "auto", "max_width": "100%"}  # a long file name stays on the page
        self.routines = w.Dropdown(description="Routine", layout=w.Layout(**narrow))
        self.routines.add_class("hepkit-routines")
        self.open_button = w.Button(description="Open", layout=w.Layout(width="auto"))
        self.open_button.add_class("hepkit-open")
        self.open_button.on_click(guard(lambda _b: self._open_routine()))
        self.versions = w.Dropdown(description="Version", layout=w.Layout(**narrow))
        self.versions.add_class("hepkit-versions")
        self.open_version_button = w.Button(
            description="Open version", layout=w.Layout(width="auto")
        )
        self.open_version_button.add_class("hepkit-open-version")
        self.open_version_button.on_click(guard(lambda _b: self._open_version()))
        for dropdown in (self.routines, self.versions):
            dropdown.style.description_width = "initial"
        row = w.Layout(flex_flow="row wrap", align_items="center")
        self.compare = ComparePanel(current, guard) if current is not None else None
        self.widget = w.VBox(
            [
                w.HBox(
                    [self.routines, self.open_button, self.versions, self.open_version_button],
                    layout=row,
                ),
                *([self.compare.widget] if self.compare is not None else []),
            ]
        )
        self.widget.add_class("hepkit-open-panel")

    def update(self, path: Path | None) -> None:
        """List the workspace's routines and the versions of ``path`` (the file being edited)."""
        files = workspace_routines(self.workspace)
        if path is not None and path.is_file() and path not in files:
            files.append(path)
        self.routines.options = [(f.name, f) for f in files]
        if path in files:
            self.routines.value = path
        found: list[RoutineVersion] = routine_versions(path) if path is not None else []
        self.versions.options = [(v.label, v) for v in found]
        self.versions.index = 0 if found else None  # shown, not blank
        self.open_button.disabled = not files
        self.open_version_button.disabled = not found
        # an empty choice is a puzzle: shown only when there is something to choose
        for widget, choices in (
            (self.routines, files),
            (self.open_button, files),
            (self.versions, found),
            (self.open_version_button, found),
        ):
            widget.layout.display = None if choices else "none"
        if self.compare is not None:
            self.compare.update(found, path)

    def _open_routine(self) -> None:
        if self.routines.value is not None:
            self._open_file(self.routines.value, self.routines.value)

    def _open_version(self) -> None:
        version = self.versions.value
        if version is not None:
            self._open_file(version.path, version.live)
