"""The interactive routine editor: a thin shell of ipywidgets over :mod:`toolkit.routines.editing`.

Every button and field calls one function of :mod:`toolkit.routines.editing`; the editor only
keeps the undo history, shows problems beside their fields, and refreshes the handout preview
(:func:`toolkit.handouts.render.render_handout`) after each change. ``editor.routine`` is always
a plain, valid :class:`~toolkit.routines.models.Routine`.
"""

from __future__ import annotations

import functools
import html
import logging
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from toolkit.errors import HepkitError, InvalidDocumentError, SaveConflictError
from toolkit.handouts.render import render_handout
from toolkit.routines import editing
from toolkit.routines.library import Library
from toolkit.routines.models import BodyRegion, Dose, Goal, Position, Routine
from toolkit.routines.routine import (
    carry_origin,
    effective_dose,
    new_version,
    next_version_path,
    origin,
    save_routine,
)
from toolkit.routines.wording import label

__all__ = ["RoutineEditor"]

log = logging.getLogger(__name__)

#: Undo steps kept.
HISTORY_LIMIT = 200

DOSE_LABELS = {
    "sets": "Sets",
    "reps": "Times",
    "hold_s": "Hold [s]",
    "rest_s": "Rest [s]",
    "duration_s": "Time [s]",
    "side": "Side",
}
ROUTINE_TEXT_FIELDS = ("title", "author", "introduction", "safety_notice")


def _problem_box(css: str) -> w.HTML:
    box = w.HTML("")
    box.add_class("hepkit-problem")
    box.add_class(f"{css}-problem")
    return box


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

    def __init__(self, routine: Routine, library: Library, path: str | Path | None = None):
        self.library = library
        self.path = Path(path) if path is not None else origin(routine)
        self._history: list[Routine] = [routine]
        self._future: list[Routine] = []
        self._saved = routine
        self._file_routine = routine  # the object whose origin guards against lost edits
        self._problems: dict[str, str] = {}
        self._selected = 0
        self._syncing = False
        self.errors: list[BaseException] = []
        self._build()
        self._refresh()

    # -- the state -------------------------------------------------------------------------

    @property
    def routine(self) -> Routine:
        """The routine as it stands: a valid model, a copy that is safe to keep or change."""
        return self._history[-1].model_copy(deep=True)

    @property
    def dirty(self) -> bool:
        """True when there are changes not yet saved."""
        return self._history[-1] != self._saved

    @property
    def problems(self) -> dict[str, str]:
        """Values typed that could not be used, by field (``title``, ``items[2].dose``)."""
        return dict(self._problems)

    @property
    def preview_html(self) -> str:
        """The handout preview of the current routine, as HTML."""
        return str(self.preview.value)

    def apply(self, change: Callable[[Routine], Routine], field: str | None = None) -> bool:
        """Apply one change (a function from routine to routine); return True if it took.

        An invalid result is not applied: its problem is shown beside ``field`` and Save is
        disabled until the field holds a usable value again.
        """
        try:
            new = change(self._history[-1])
        except InvalidDocumentError as exc:
            self._problems[field or "routine"] = "; ".join(str(p) for p in exc.problems)
            self._refresh()
            return False
        except HepkitError as exc:
            self._problems[field or "routine"] = str(exc)
            self._refresh()
            return False
        self._problems.pop(field or "routine", None)
        if new != self._history[-1]:
            self._history.append(new)
            del self._history[:-HISTORY_LIMIT]
            self._future.clear()
        self._refresh()
        return True

    def undo(self) -> None:
        """Go back one change."""
        if len(self._history) > 1:
            self._future.append(self._history.pop())
            self._problems.clear()
            self._refresh()

    def redo(self) -> None:
        """Do again the change last undone."""
        if self._future:
            self._history.append(self._future.pop())
            self._problems.clear()
            self._refresh()

    def save(self, overwrite: bool = False) -> Path:
        """Write the routine to :attr:`path` (atomic; the old file is kept in ``.history/``)."""
        if self._problems:
            raise HepkitError("fix the problems shown before saving: " + "; ".join(self._problems))
        if self.path is None:
            raise HepkitError("this editor has no file to save to; create it with path=...")
        current = self._history[-1]
        carry_origin(self._file_routine, current)
        try:
            written = save_routine(current, self.path, overwrite=overwrite)
        except SaveConflictError:
            raise HepkitError(
                f"{self.path.name} was changed by someone else since you opened it. Use Save as "
                "new version to keep your changes in a new file, or reload to start from the "
                "file as it is now."
            ) from None
        self._file_routine = current
        self._saved = current
        self._say(f"Saved to {written.name}.")
        self._refresh()
        return written

    def save_new_version(self) -> Path:
        """Save as the next version number in a new file; the previous file stays as it is."""
        if self.path is None:
            raise HepkitError("this editor has no file to save to; create it with path=...")
        newer = new_version(self._history[-1])
        target = next_version_path(self.path, newer.version)
        written = save_routine(newer, target)
        self._history.append(newer)
        self._future.clear()
        self._saved = newer
        self._file_routine = newer
        self.path = written
        self._say(f"Saved version {newer.version} as {written.name}.")
        self._refresh()
        return written

    # -- the widgets -----------------------------------------------------------------------

    def _build(self) -> None:
        self.search = self._css(w.Text(placeholder="Search exercises"), "hepkit-search")
        any_ = [("any", None)]
        self.position_filter = w.Dropdown(
            options=any_ + [(label(p), p) for p in typing.get_args(Position)],
            description="Position",
        )
        self.region_filter = w.Dropdown(
            options=any_ + [(label(r), r) for r in typing.get_args(BodyRegion)],
            description="Region",
        )
        self.goal_filter = w.Dropdown(
            options=any_ + [(label(g), g) for g in typing.get_args(Goal)], description="Goal"
        )
        self.matches = self._css(w.Select(rows=10), "hepkit-library")
        self.add_button = self._button("Add", "hepkit-add", self._on_add)
        for control in (self.search, self.position_filter, self.region_filter, self.goal_filter):
            control.observe(self._guard(self._on_filter), names="value")

        self.items = self._css(w.Select(rows=10), "hepkit-items")
        self.items.observe(self._guard(self._on_select), names="value")
        self.up_button = self._button("Up", "hepkit-up", lambda: self._move(-1))
        self.down_button = self._button("Down", "hepkit-down", lambda: self._move(1))
        self.remove_button = self._button("Remove", "hepkit-remove", self._on_remove)
        self.duplicate_button = self._button("Duplicate", "hepkit-duplicate", self._on_duplicate)
        self.default_button = self._button("Default dose", "hepkit-default-dose", self._on_default)

        self.dose: dict[str, w.Widget] = {}
        for field in ("sets", "reps", "hold_s", "rest_s", "duration_s"):
            low, high = editing.dose_bounds(field)
            widget = w.BoundedIntText(min=low, max=high, description=DOSE_LABELS[field])
            self.dose[field] = self._css(widget, f"hepkit-dose-{field.replace('_', '-')}")
        sides = typing.get_args(Dose.model_fields["side"].annotation)
        self.dose["side"] = self._css(
            w.Dropdown(options=[(label(s), s) for s in sides], description="Side"),
            "hepkit-dose-side",
        )
        for field, widget in self.dose.items():
            widget.observe(self._guard(functools.partial(self._on_dose, field)), names="value")
        self.note = self._css(w.Textarea(description="Note", rows=3), "hepkit-note")
        self.note.observe(self._guard(self._on_note), names="value")
        self.item_problem = _problem_box("hepkit-item")
        self.selected_heading = self._css(w.HTML(""), "hepkit-selected")

        self.text_fields: dict[str, w.Widget] = {
            "title": w.Text(description="Title"),
            "author": w.Text(description="Author"),
            "introduction": w.Textarea(description="Introduction", rows=4),
            "safety_notice": w.Textarea(description="Safety", rows=4),
        }
        self.field_problems: dict[str, w.HTML] = {}
        for field, widget in self.text_fields.items():
            css = f"hepkit-{field.replace('_', '-')}"
            self._css(widget, css)
            self.field_problems[field] = _problem_box(css)
            widget.observe(self._guard(functools.partial(self._on_text, field)), names="value")
        self.sessions = self._css(
            w.BoundedIntText(
                min=1, max=6, description="Sessions a day", style={"description_width": "initial"}
            ),
            "hepkit-sessions",
        )
        self.days = self._css(
            w.BoundedIntText(
                min=1, max=7, description="Days a week", style={"description_width": "initial"}
            ),
            "hepkit-days",
        )
        for widget in (self.sessions, self.days):
            widget.observe(self._guard(self._on_schedule), names="value")

        self.undo_button = self._button("Undo", "hepkit-undo", self.undo)
        self.redo_button = self._button("Redo", "hepkit-redo", self.redo)
        self.save_button = self._button("Save", "hepkit-save", self.save)
        self.save_version_button = self._button(
            "Save as new version", "hepkit-save-version", self.save_new_version
        )
        self.marker = self._css(w.Label(""), "hepkit-unsaved")
        self.status = self._css(w.HTML(""), "hepkit-status")
        self.preview = self._css(w.HTML(""), "hepkit-preview")
        self._layout()

    def _layout(self) -> None:
        full = w.Layout(width="98%")
        for widget in (*self.text_fields.values(), self.note, self.matches, self.items):
            widget.layout = full
        library_panel = w.VBox(
            [
                w.HTML("<h3>Library</h3>"),
                self.search,
                self.position_filter,
                self.region_filter,
                self.goal_filter,
                self.matches,
                self.add_button,
            ],
            layout=w.Layout(width="24%"),
        )
        routine_fields = [
            widget
            for field in ROUTINE_TEXT_FIELDS
            for widget in (self.text_fields[field], self.field_problems[field])
        ]
        routine_panel = w.VBox(
            [
                w.HTML("<h3>Routine</h3>"),
                *routine_fields,
                w.HBox([self.sessions, self.days]),
                w.HTML("<h3>Exercises</h3>"),
                self.items,
                w.HBox(
                    [self.up_button, self.down_button, self.duplicate_button, self.remove_button]
                ),
                self.selected_heading,
                *self.dose.values(),
                self.default_button,
                self.note,
                self.item_problem,
            ],
            layout=w.Layout(width="36%"),
        )
        preview_panel = w.VBox(
            [w.HTML("<h3>Handout preview</h3>"), self.preview],
            layout=w.Layout(width="40%", max_height="900px", overflow="auto"),
        )
        toolbar = w.HBox(
            [
                self.undo_button,
                self.redo_button,
                self.save_button,
                self.save_version_button,
                self.marker,
            ]
        )
        self.marker.layout = w.Layout(flex="0 0 auto")
        self.save_version_button.layout = w.Layout(width="auto")
        panels = w.HBox([library_panel, routine_panel, preview_panel])
        self.widget = w.VBox([toolbar, self.status, panels])
        self.widget.add_class("hepkit-editor")

    @staticmethod
    def _css(widget: Any, css: str) -> Any:
        widget.add_class(css)
        return widget

    def _button(self, text: str, css: str, action: Callable[[], object]) -> w.Button:
        button = self._css(w.Button(description=text), css)
        button.on_click(self._guard(lambda _button: action()))
        return button

    def _guard(self, handler: Callable[..., object]) -> Callable[..., None]:
        """Show a user's mistake in words; record and re-raise anything unexpected."""

        @functools.wraps(handler)
        def run(*args: Any) -> None:
            if self._syncing:
                return
            try:
                handler(*args)
            except HepkitError as exc:
                self._say(str(exc))
            except Exception as exc:
                self.errors.append(exc)
                self._say(f"Unexpected error, nothing was changed: {exc}")
                log.exception("routine editor callback failed")
                raise

        return run

    # -- handlers: each is one call into toolkit.routines.editing ---------------------------------

    def _on_filter(self, _change: object = None) -> None:
        found = self.library.search(self.search.value).filter(
            position=self.position_filter.value,
            body_region=self.region_filter.value,
            goal=self.goal_filter.value,
        )
        self.matches.options = sorted((ex.name, ex.id) for ex in found)

    def _on_add(self) -> None:
        if self.matches.value is None:
            raise HepkitError("choose an exercise in the library list first")
        exercise_id = self.matches.value
        index = len(self._history[-1].items)
        if self.apply(lambda r: editing.add_item(r, exercise_id, self.library), "items"):
            self._select(index)

    def _move(self, offset: int) -> None:
        index = self._selected
        if self.apply(lambda r: editing.move_item(r, index, offset), "items"):
            self._select(min(max(index + offset, 0), len(self._history[-1].items) - 1))

    def _on_remove(self) -> None:
        index = self._selected
        if self.apply(lambda r: editing.remove_item(r, index), "items"):
            self._select(min(index, len(self._history[-1].items) - 1))

    def _on_duplicate(self) -> None:
        index = self._selected
        if self.apply(lambda r: editing.duplicate_item(r, index), "items"):
            self._select(index + 1)

    def _on_default(self) -> None:
        self.apply(lambda r: editing.reset_dose(r, self._selected), self._item_field())

    def _on_select(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self._select(change["new"])

    def _on_dose(self, field: str, change: dict[str, Any]) -> None:
        value = change["new"]
        if field == "rest_s" and value == 0:
            value = None
        index = self._selected
        self.apply(
            lambda r: editing.set_dose(r, index, self.library, **{field: value}), self._item_field()
        )

    def _on_note(self, change: dict[str, Any]) -> None:
        index = self._selected
        self.apply(lambda r: editing.set_note(r, index, change["new"]), self._item_field())

    def _on_text(self, field: str, change: dict[str, Any]) -> None:
        self.apply(lambda r: editing.set_fields(r, **{field: change["new"]}), field)

    def _on_schedule(self, _change: object = None) -> None:
        sessions, days = self.sessions.value, self.days.value
        self.apply(lambda r: editing.set_schedule(r, sessions, days), "schedule")

    def _item_field(self) -> str:
        return f"items[{self._selected}]"

    def _select(self, index: int) -> None:
        self._selected = index
        self._refresh()

    # -- showing the state -----------------------------------------------------------------

    def _refresh(self) -> None:
        routine = self._history[-1]
        self._selected = min(self._selected, len(routine.items) - 1)
        self._syncing = True
        try:
            self._show_fields(routine)
            self._show_items(routine)
            self._show_dose(routine)
            if not self.matches.options:
                self._on_filter()
        finally:
            self._syncing = False
        for field, box in self.field_problems.items():
            box.value = self._problem_html(field)
        self.item_problem.value = self._problem_html(self._item_field()) or self._problem_html(
            "items"
        )
        self.preview.value = render_handout(routine, self.library)
        self.undo_button.disabled = len(self._history) == 1
        self.redo_button.disabled = not self._future
        self.save_button.disabled = bool(self._problems) or not self.dirty or self.path is None
        self.save_version_button.disabled = bool(self._problems) or self.path is None
        self.marker.value = "● unsaved changes" if self.dirty else ""

    def _say(self, text: str) -> None:
        """Show a message to the person using the editor (escaped: it may quote their text)."""
        self.status.value = html.escape(text, quote=False)

    def _problem_html(self, field: str) -> str:
        text = self._problems.get(field)
        return f'<span style="color:#b00020">{html.escape(text)}</span>' if text else ""

    def _show_fields(self, routine: Routine) -> None:
        for field, widget in self.text_fields.items():
            if field not in self._problems:
                widget.value = getattr(routine, field)
        if "schedule" not in self._problems:
            self.sessions.value = routine.schedule.sessions_per_day
            self.days.value = routine.schedule.days_per_week

    def _show_items(self, routine: Routine) -> None:
        names = [
            f"{n}. {self.library.get(item.exercise).name}"
            for n, item in enumerate(routine.items, start=1)
        ]
        self.items.options = [(name, index) for index, name in enumerate(names)]
        self.items.value = self._selected

    def _show_dose(self, routine: Routine) -> None:
        item = routine.items[self._selected]
        exercise = self.library.get(item.exercise)
        self.selected_heading.value = f"<h4>Selected: {html.escape(exercise.name)}</h4>"
        dose = effective_dose(item, exercise)
        shown = editing.dose_fields(dose)
        if self._item_field() in self._problems:
            return
        for field, widget in self.dose.items():
            widget.layout.display = "" if field in shown else "none"
            value = getattr(dose, field)
            widget.value = 0 if value is None and field != "side" else value
            if value is None and field != "rest_s" and isinstance(widget, w.BoundedIntText):
                widget.value = widget.min
        self.note.value = item.note or ""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        routine = self._history[-1]
        state = "unsaved changes" if self.dirty else "saved"
        return (
            f"<RoutineEditor {routine.title!r} version {routine.version}, "
            f"{len(routine.items)} exercises, {state}>"
        )
