"""The interactive routine editor: a thin shell of ipywidgets over an editing session.

The editor owns an :class:`~toolkit.editor.session.EditingSession`, which keeps the routine,
its undo history, its unsaved state and its file. Every field and button makes one call to it
(each change being one function of :mod:`toolkit.routines.editing`); the editor only shows
problems beside their fields, in everyday words, and refreshes the handout preview
(:func:`toolkit.handouts.render.render_handout`) after each change. ``editor.routine`` is
always a plain, valid :class:`~toolkit.routines.models.Routine`.

Text and number fields apply what is typed when typing pauses
(:mod:`toolkit.editor.typing_pause`), one undo step per pause; the preview marks the cards a
change touched and flags the card of the exercise being worked on, for the page to scroll to
(:mod:`toolkit.editor.preview_marks`).

Each panel's widgets are made in a module of their own: the header
(:mod:`~toolkit.editor.toolbar`), the exercise library (:mod:`~toolkit.editor.library_panel`),
the routine's exercises (:mod:`~toolkit.editor.items_panel`), the selected exercise's dose
(:mod:`~toolkit.editor.dose_panel`) and the routine's own fields
(:mod:`~toolkit.editor.routine_fields`); :mod:`~toolkit.editor.layout` arranges them. The
editor wires them to the session, keeps what is selected and the problems shown, and gives
each widget a name of its own (``editor.dose["reps"]``, ``editor.save_button``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from toolkit.editor.controls import problem_html, with_class
from toolkit.editor.dose_panel import ITEM_PROBLEMS, DosePanel
from toolkit.editor.downloads import DownloadPanel
from toolkit.editor.items_panel import ItemsPanel
from toolkit.editor.layout import arrange
from toolkit.editor.library_panel import LibraryPanel
from toolkit.editor.open_panel import OpenPanel
from toolkit.editor.preview_marks import PreviewState, follow, mark_preview
from toolkit.editor.routine_fields import DETAIL_PROBLEMS, RoutineFieldsPanel
from toolkit.editor.session import HISTORY_LIMIT, EditingSession
from toolkit.editor.toolbar import Toolbar, open_file_html
from toolkit.editor.typing_pause import TypingPause
from toolkit.editor.workspace import workspace_routine_ids
from toolkit.errors import HepkitError, InvalidDocumentError, Problem
from toolkit.handouts.render import render_handout
from toolkit.routines import editing
from toolkit.routines.library import Library
from toolkit.routines.models import Routine
from toolkit.routines.routine import load_routine

__all__ = ["RoutineEditor", "HISTORY_LIMIT"]

log = logging.getLogger(__name__)


def _from_browser(change: dict[str, Any]) -> bool:
    """True when a widget's new value came from the page (ipywidgets locks it while it sets it)."""
    return change["name"] in getattr(change["owner"], "_property_lock", {})


def _in_words(problem: Problem) -> str:
    if problem.has_value:
        return f"{problem.message} (got {problem.value!r})"
    return problem.message


class RoutineEditor:
    """Edit a routine with widgets, see the handout change, and save a valid file.

    Parameters
    ----------
    routine : Routine
        The routine to start from (for example from :func:`toolkit.load_routine`).
    library : Library
        Where exercises are added from.
    path : str or Path, optional
        Where Save writes; default the file the routine was loaded from.
    """

    def __init__(
        self,
        routine: Routine,
        library: Library,
        path: str | Path | None = None,
        workspace: str | Path | None = None,
    ):
        self.session = EditingSession(routine, library, path)
        self._workspace = workspace
        self._from_history = False
        self._add_again: str | None = None  # an exercise already in, that Add was pressed for
        self._routine_ids = workspace_routine_ids(workspace)
        self._problems: dict[str, str] = {}
        self._selected = 0
        self._syncing = False
        #: Holds what is typed until typing pauses (see :mod:`toolkit.editor.typing_pause`).
        self.typing = TypingPause()
        self._typed: str | None = None  # the field whose typed value is being applied
        self._shown: PreviewState | None = None  # what the preview shows
        self.errors: list[BaseException] = []
        self._build()
        self._refresh()

    # -- the state, kept by the session ------------------------------------------------------

    @property
    def library(self) -> Library:
        """Where exercises come from."""
        return self.session.library

    @property
    def path(self) -> Path | None:
        """The file Save writes to (after Save as new version, the new file)."""
        return self.session.path

    @property
    def routine(self) -> Routine:
        """The routine as it stands: a valid model, a copy that is safe to keep or change."""
        return self.session.routine

    @property
    def dirty(self) -> bool:
        """True when there are changes not yet saved."""
        return self.session.dirty

    @property
    def problems(self) -> dict[str, str]:
        """Values typed that could not be used, by field (``title``, ``dose.reps``)."""
        return dict(self._problems)

    @property
    def preview_html(self) -> str:
        """The handout preview of the routine as it stands, as HTML, marking the last change."""
        return str(self.preview.value)

    def apply(self, change: Callable[[Routine], Routine], field: str | None = None) -> bool:
        """Apply one change (a function from routine to routine); return True if it took.

        A change that cannot be made is not applied: its problem is shown (beside ``field``
        when the editor has a place for it) and Save is disabled until it is put right.
        """
        return self._change(field or "routine", change)

    def _change(self, key: str, change: Callable[..., Routine], *args: Any, **kwargs: Any) -> bool:
        """Make one change; a problem is shown beside the field ``key`` instead."""
        try:
            self.session.apply(change, *args, **kwargs)
        except InvalidDocumentError as exc:
            self._problems[key] = "; ".join(_in_words(p) for p in exc.problems)
            self._refresh()
            return False
        except HepkitError as exc:
            self._problems[key] = str(exc)
            self._refresh()
            return False
        self._problems.pop(key, None)
        self._refresh()
        return True

    def undo(self) -> None:
        """Go back one change."""
        self.typing.flush()
        if self.session.undo():
            self._problems.clear()
            self._refresh()

    def redo(self) -> None:
        """Do again the change last undone."""
        self.typing.flush()
        if self.session.redo():
            self._problems.clear()
            self._refresh()

    def save(self) -> Path:
        """Write the routine to :attr:`path` (atomic; the old file is kept in ``.history/``)."""
        self.typing.flush()
        if self._problems:
            raise HepkitError("Put right the problems shown before saving.")
        if self._from_history:
            raise HepkitError(
                "This is an earlier copy; use Save as new version to keep it as the next version."
            )
        written = self.session.save()
        self._say(f"Saved to {written.name}.")
        self._files_changed()
        return written

    def open(self, path: str | Path, live: str | Path | None = None) -> None:
        """Edit another routine file (or an earlier copy of one, from ``.history/``).

        Parameters
        ----------
        path : str or Path
            The file to open.
        live : str or Path, optional
            The routine file ``path`` is a version of; default ``path`` itself. For an earlier
            copy, Save as new version writes beside ``live``; Save is not offered.

        Raises
        ------
        HepkitError
            There are unsaved changes (nothing is opened), or the file has problems.
        """
        self.typing.flush()
        if self.dirty:
            raise HepkitError(
                "You have unsaved changes: save them, or undo them, before opening another file."
            )
        path = Path(path)
        live_file = Path(live) if live is not None else path
        routine = load_routine(path, self.library)
        self.session = EditingSession(routine, self.library, live_file)
        self._from_history = path != live_file
        self._problems.clear()
        self._selected = 0
        self._say(f"Opened {path.name}.")
        self._files_changed()

    def save_new_version(self) -> Path:
        """Save as the next version number in a new file; the previous file stays as it is."""
        self.typing.flush()
        if self._problems:
            raise HepkitError("Put right the problems shown before saving.")
        written = self.session.save_as_new_version()
        self._from_history = False
        self._say(f"Saved version {self.session.current.version} as {written.name}.")
        self._files_changed()
        return written

    def reload(self) -> None:
        """Start again from the file being edited, as it is on disk now; Undo goes back."""
        self.typing.flush()
        self.session.reload()
        self._from_history = False
        self._problems.clear()
        self._say(f"Reloaded {self._file_name()} as it is now.")
        self._files_changed()

    def _files_changed(self) -> None:
        """After opening or saving: list the files again, then show the state."""
        self.opener.update(self.path)
        self._routine_ids = workspace_routine_ids(self._workspace)
        self._refresh()

    def _file_name(self) -> str:
        return self.path.name if self.path is not None else ""

    # -- the widgets -----------------------------------------------------------------------

    def _build(self) -> None:
        """Make the panels (each wired to the editor), then arrange them."""
        guard, when_paused = self._guard, self._when_paused
        self.library_panel = LibraryPanel(self.library, guard, self._on_add)
        self.items_panel = ItemsPanel(
            guard, self._on_select, self._move, self._on_remove, self._on_duplicate
        )
        self.dose_panel = DosePanel(
            guard,
            when_paused,
            on_dose=self._on_dose,
            on_duration_min=self._on_duration_min,
            on_note=self._on_note,
            on_default=self._on_default,
        )
        self.fields_panel = RoutineFieldsPanel(self._change, guard, when_paused)
        self.toolbar = Toolbar(
            guard, self.undo, self.redo, self.save, self.save_new_version, self.reload
        )
        self.opener = OpenPanel(
            self.open, guard, self._workspace, lambda: (self.session.current, self.library)
        )
        self.opener.update(self.path)
        self.preview = with_class(w.HTML(""), "hepkit-preview")
        self.downloads = DownloadPanel(
            lambda: (self.session.current, self.library, self.path), guard=guard
        )
        self._name_widgets()
        self.widget = arrange(self)

    def _name_widgets(self) -> None:
        """The panels' widgets as attributes of the editor (notebooks and tests reach them)."""
        library = self.library_panel
        self.search = library.search
        self.position_filter = library.position_filter
        self.region_filter = library.region_filter
        self.goal_filter = library.goal_filter
        self.matches = library.matches
        self.no_matches = library.no_matches
        self.add_button = library.add_button
        items = self.items_panel
        self.items = items.items
        self.up_button = items.up_button
        self.down_button = items.down_button
        self.remove_button = items.remove_button
        self.duplicate_button = items.duplicate_button
        dose = self.dose_panel
        self.default_button = dose.default_button
        self.dose = dose.dose
        self.dose_problems = dose.dose_problems
        self.duration_min = dose.duration_min
        self.dose_rows = dose.dose_rows
        self.note = dose.note
        self.item_problem = dose.item_problem
        self.selected_heading = dose.selected_heading
        fields = self.fields_panel
        self.text_fields = fields.text_fields
        self.field_problems = fields.field_problems
        self.sessions = fields.sessions
        self.days = fields.days
        self.schedule_problem = fields.schedule_problem
        self.progression = fields.progression
        self.next_routine = fields.next_routine
        self.clinic_fields = fields.clinic_fields
        self.details_problem = fields.details_problem
        toolbar = self.toolbar
        self.undo_button = toolbar.undo_button
        self.redo_button = toolbar.redo_button
        self.save_button = toolbar.save_button
        self.save_version_button = toolbar.save_version_button
        self.reload_button = toolbar.reload_button
        self.marker = toolbar.marker
        self.open_file = toolbar.open_file
        self.status = toolbar.status

    def _guard(self, handler: Callable[..., object], *, flush: bool = True) -> Callable[..., None]:
        """Show a user's mistake in words; record and re-raise anything unexpected.

        Unless ``flush`` is False, what was typed and waits for the pause is applied first, so
        that an action (a click, another exercise chosen) comes after the typing it follows.
        """

        @functools.wraps(handler)
        def run(*args: Any) -> None:
            if self._syncing:
                return
            try:
                if flush:
                    self.typing.flush()
                handler(*args)
            except HepkitError as exc:
                self._say(str(exc))
            except Exception as exc:
                self.errors.append(exc)
                self._say(f"Unexpected error, nothing was changed: {exc}")
                log.exception("routine editor callback failed")
                raise

        return run

    def _when_paused(self, field: str, handler: Callable[..., object]) -> Callable[..., None]:
        """An observer of a typed field: a change typed in the page waits for the pause.

        A value set from code is applied at once, so that a notebook that sets a field reads
        the changed routine on its next line.

        While it is applied, a text field is not written back to, so that the text typed
        meanwhile (a trailing space the routine would strip) stays as typed. A number is: the
        same number changes nothing, and seconds past a minute are carried to the minutes.
        """

        def apply(*args: Any) -> None:
            self._typed = field
            try:
                handler(*args)
            finally:
                self._typed = None

        def hold(change: dict[str, Any]) -> None:
            if _from_browser(change):
                self.typing.push(field, functools.partial(self._guard(apply, flush=False), change))
            else:  # set from code (a notebook, a test): at once, after what was typed
                self.typing.flush()
                apply(change)

        return self._guard(hold, flush=False)

    # -- handlers of the exercises: each is one change through the session -----------------

    def _on_add(self) -> None:
        if self.matches.value is None:
            raise HepkitError("Choose an exercise in the library list first.")
        chosen = self.matches.value
        already = [
            i for i, item in enumerate(self.session.current.items) if item.exercise == chosen
        ]
        if already and self._add_again != chosen:
            self._add_again = chosen
            name = self.library.get(chosen).name
            numbers = ", ".join(str(i + 1) for i in already)
            raise HepkitError(
                f"{name} is already in the routine (number {numbers}). "
                "Press Add again to add it once more."
            )
        self._add_again = None
        if self._change("items", editing.add_item, self.matches.value, self.library):
            self._select(len(self.session.current.items) - 1)

    def _move(self, offset: int) -> None:
        if self._change("items", editing.move_item, self._selected, offset):
            self._select(self._selected + offset)

    def _on_remove(self) -> None:
        self._change("items", editing.remove_item, self._selected)

    def _on_duplicate(self) -> None:
        if self._change("items", editing.duplicate_item, self._selected):
            self._select(self._selected + 1)

    def _on_default(self) -> None:
        self._change("dose", editing.reset_dose, self._selected)

    def _on_select(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self._select(change["new"])

    def _on_duration_min(self, change: dict[str, Any]) -> None:
        self._on_dose("duration_s", {"new": self.dose["duration_s"].value})

    def _on_dose(self, field: str, change: dict[str, Any]) -> None:
        value = None if field == "rest_s" and change["new"] == 0 else change["new"]
        if field == "duration_s":
            value = self.duration_min.value * 60 + change["new"]
        key = f"dose.{field}" if field in self.dose_problems else "dose"
        self._change(key, editing.set_dose, self._selected, self.library, **{field: value})

    def _on_note(self, change: dict[str, Any]) -> None:
        self._change("note", editing.set_note, self._selected, change["new"])

    def _select(self, index: int) -> None:
        if index != self._selected:
            for key in ITEM_PROBLEMS:
                self._problems.pop(key, None)
        self._selected = max(0, min(index, len(self.session.current.items) - 1))
        self._refresh()

    # -- showing the state -----------------------------------------------------------------

    def _refresh(self) -> None:
        routine = self.session.current
        self._selected = min(self._selected, len(routine.items) - 1)
        self._syncing = True
        try:
            self.fields_panel.show(routine, self._problems, self._typed, self._routine_ids)
            self.items_panel.show(routine, self.library, self._selected)
            item = routine.items[self._selected]
            exercise = self.library.get(item.exercise)
            self.dose_panel.show(item, exercise, self._problems, self._typed)
            if not self.matches.options:
                self.library_panel.show_matches()
        finally:
            self._syncing = False
        for field, box in self.field_problems.items():
            box.value = self._problem_html(field)
        for field, box in self.dose_problems.items():
            box.value = self._problem_html(f"dose.{field}")
        self.schedule_problem.value = self._problem_html("schedule")
        self.details_problem.value = "".join(self._problem_html(k) for k in DETAIL_PROBLEMS)
        shown_elsewhere = {
            *self.field_problems,
            *(f"dose.{f}" for f in self.dose_problems),
            "schedule",
            *DETAIL_PROBLEMS,
        }
        self.item_problem.value = "".join(
            self._problem_html(key) for key in self._problems if key not in shown_elsewhere
        )
        self._show_preview(routine)
        self.downloads.forget_if_changed(routine)
        if self.opener.compare is not None:  # a shown comparison with it stays up to date
            self.opener.compare.routine_changed()
        self.toolbar.show(
            can_undo=self.session.can_undo,
            can_redo=self.session.can_redo,
            has_problems=bool(self._problems),
            dirty=self.dirty,
            has_file=self.path is not None,
            from_history=self._from_history,
        )
        self.open_file.value = open_file_html(
            self._file_name(), routine.version, self._from_history
        )

    def _show_preview(self, routine: Routine) -> None:
        """The handout, its changed cards marked, scrolled to the exercise worked on."""
        state = follow(self._shown, routine, self._selected)
        if state is not self._shown:
            handout = render_handout(routine, self.library)
            self.preview.value = mark_preview(handout, state.changed, state.scroll_to)
            self._shown = state

    def _say(self, text: str) -> None:
        """Show a message to the person using the editor (escaped: it may quote their text)."""
        self.toolbar.say(text)

    def _problem_html(self, field: str) -> str:
        return problem_html(self._problems, field)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        routine = self.session.current
        state = "unsaved changes" if self.dirty else "saved"
        return (
            f"<RoutineEditor {routine.title!r} version {routine.version}, "
            f"{len(routine.items)} exercises, {state}>"
        )
