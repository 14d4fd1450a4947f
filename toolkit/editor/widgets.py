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
"""

from __future__ import annotations

import functools
import html
import logging
import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from toolkit.editor.downloads import DownloadPanel
from toolkit.editor.layout import arrange
from toolkit.editor.open_panel import OpenPanel
from toolkit.editor.preview_marks import PreviewState, follow, mark_preview
from toolkit.editor.session import HISTORY_LIMIT, EditingSession
from toolkit.editor.typing_pause import TypingPause
from toolkit.editor.workspace import workspace_routine_ids
from toolkit.errors import HepkitError, InvalidDocumentError, Problem
from toolkit.handouts.render import render_handout
from toolkit.routines import editing
from toolkit.routines.library import Library
from toolkit.routines.models import BodyRegion, Dose, Goal, Position, Routine
from toolkit.routines.plain_words import number_bounds
from toolkit.routines.routine import effective_dose, load_routine
from toolkit.routines.wording import label

__all__ = ["RoutineEditor", "HISTORY_LIMIT"]

log = logging.getLogger(__name__)

DOSE_LABELS = {
    "sets": "Sets",
    "reps": "Times",
    "hold_s": "Hold [s]",
    "rest_s": "Rest [s]",
    "duration_s": "and [s]",
    "side": "Side",
}
NUMBER_DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s", "duration_s")
ROUTINE_TEXT_FIELDS = ("title", "author", "condition", "introduction", "safety_notice")
#: The value of a filter dropdown's "any" (not None, which a Dropdown shows as blank).
ANY = ""
CLINIC_LABELS = {
    "name": "Clinic name",
    "phone": "Phone",
    "email": "Email",
    "website": "Website",
    "address": "Address",
}
#: Problems shown under the routine's details and clinic fields.
DETAIL_PROBLEMS = ("progression", "next_routine", "clinic")
#: Problems that belong to the selected exercise; they go when another one is selected.
ITEM_PROBLEMS = ("items", "note", "dose", *(f"dose.{field}" for field in NUMBER_DOSE_FIELDS))


def _problem_box(css: str) -> w.HTML:
    box = w.HTML("")
    box.add_class("hepkit-problem")
    box.add_class(f"{css}-problem")
    return box


def _number_field(name: str, description: str, css: str) -> w.IntText:
    """A whole-number field that takes any value typed: out of bounds is refused in words."""
    low, high = number_bounds(name)
    field = w.IntText(
        description=description, tooltip=f"from {low} to {high}", continuous_update=True
    )
    field.add_class(css)
    return field


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
        self.search = self._css(w.Text(placeholder="Search exercises"), "hepkit-search")
        # "any" is the empty string, not None: a Dropdown whose value is None shows blank
        any_ = [("any", ANY)]
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
        self.no_matches = self._css(w.HTML(""), "hepkit-no-matches")
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
        self.dose_problems: dict[str, w.HTML] = {}
        for field in NUMBER_DOSE_FIELDS:
            css = f"hepkit-dose-{field.replace('_', '-')}"
            self.dose[field] = _number_field(field, DOSE_LABELS[field], css)
            self.dose_problems[field] = _problem_box(css)
        sides = typing.get_args(Dose.model_fields["side"].annotation)
        self.dose["side"] = self._css(
            w.Dropdown(options=[(label(s), s) for s in sides], description="Side"),
            "hepkit-dose-side",
        )
        # a duration is given in minutes and seconds, as clinicians say it (walk 10 min)
        self.duration_min = self._css(
            w.IntText(description="Time [min]", continuous_update=True),
            "hepkit-dose-duration-min",
        )
        self.duration_min.observe(
            self._when_paused("dose.duration_s", self._on_duration_min), names="value"
        )
        self.dose_rows = {
            field: w.HBox([widget, self.dose_problems[field]])
            if field in NUMBER_DOSE_FIELDS
            else widget
            for field, widget in self.dose.items()
        }
        self.dose_rows["duration_s"].children = (
            self.duration_min,
            *self.dose_rows["duration_s"].children,
        )
        for field, widget in self.dose.items():
            on_dose = functools.partial(self._on_dose, field)
            if field in NUMBER_DOSE_FIELDS:
                widget.observe(self._when_paused(f"dose.{field}", on_dose), names="value")
            else:
                widget.observe(self._guard(on_dose), names="value")
        self.note = self._css(w.Textarea(description="Note", rows=3), "hepkit-note")
        self.note.observe(self._when_paused("note", self._on_note), names="value")
        self.item_problem = _problem_box("hepkit-item")
        self.selected_heading = self._css(w.HTML(""), "hepkit-selected")

        self.text_fields: dict[str, w.Widget] = {
            "title": w.Text(description="Title"),
            "author": w.Text(description="Author"),
            "condition": w.Text(description="Condition"),
            "introduction": w.Textarea(description="Introduction", rows=4),
            "safety_notice": w.Textarea(description="Safety", rows=4),
        }
        self.field_problems: dict[str, w.HTML] = {}
        for field, widget in self.text_fields.items():
            css = f"hepkit-{field.replace('_', '-')}"
            self._css(widget, css)
            self.field_problems[field] = _problem_box(css)
            on_text = functools.partial(self._on_text, field)
            widget.observe(self._when_paused(field, on_text), names="value")
        self.sessions = _number_field("sessions_per_day", "Sessions a day", "hepkit-sessions")
        self.days = _number_field("days_per_week", "Days a week", "hepkit-days")
        for widget in (self.sessions, self.days):
            widget.style.description_width = "initial"
            widget.observe(self._when_paused("schedule", self._on_schedule), names="value")
        self.schedule_problem = _problem_box("hepkit-schedule")
        self.progression = self._css(
            w.Textarea(description="Progression notes (one per paragraph)", rows=4),
            "hepkit-progression",
        )
        self.progression.observe(
            self._when_paused("progression", self._on_progression), names="value"
        )
        self.next_routine = self._css(
            w.Dropdown(description="Next routine", options=[("none", ANY)]), "hepkit-next-routine"
        )
        self.next_routine.observe(self._guard(self._on_next_routine), names="value")
        self.clinic_fields: dict[str, w.Widget] = {}
        for field, text in CLINIC_LABELS.items():
            box = (
                w.Textarea(description=text, rows=2)
                if field == "address"
                else w.Text(description=text)
            )
            self.clinic_fields[field] = self._css(box, f"hepkit-clinic-{field}")
            box.observe(self._when_paused("clinic", self._on_clinic), names="value")
        self.details_problem = _problem_box("hepkit-details")

        self.undo_button = self._button("Undo", "hepkit-undo", self.undo)
        self.redo_button = self._button("Redo", "hepkit-redo", self.redo)
        self.save_button = self._button("Save", "hepkit-save", self.save)
        self.save_version_button = self._button(
            "Save as new version", "hepkit-save-version", self.save_new_version
        )
        self.reload_button = self._button("Reload", "hepkit-reload", self.reload)
        self.marker = self._css(w.Label(""), "hepkit-unsaved")
        self.open_file = self._css(w.HTML(""), "hepkit-open-file")
        self.opener = OpenPanel(
            self.open, self._guard, self._workspace, lambda: (self.session.current, self.library)
        )
        self.opener.update(self.path)
        self.status = self._css(w.HTML(""), "hepkit-status")
        self.preview = self._css(w.HTML(""), "hepkit-preview")
        self.downloads = DownloadPanel(
            lambda: (self.session.current, self.library, self.path), guard=self._guard
        )
        self.widget = arrange(self)

    @staticmethod
    def _css(widget: Any, css: str) -> Any:
        widget.add_class(css)
        return widget

    def _button(self, text: str, css: str, action: Callable[[], object]) -> w.Button:
        button = self._css(w.Button(description=text), css)
        button.on_click(self._guard(lambda _button: action()))
        return button

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

    # -- handlers: each is one change through the session ----------------------------------

    def _on_filter(self, _change: object = None) -> None:
        found = self.library.search(self.search.value).filter(
            position=self.position_filter.value or None,
            body_region=self.region_filter.value or None,
            goal=self.goal_filter.value or None,
        )
        if self.search.value.strip():  # best match first
            self.matches.options = [(ex.name, ex.id) for ex in found]
        else:
            self.matches.options = sorted((ex.name, ex.id) for ex in found)
        self.no_matches.value = "" if len(found) else self._no_matches_html()

    def _no_matches_html(self) -> str:
        """Why the list is empty, and what to try instead."""
        text = self.search.value.strip()
        filtered = any(
            f.value != ANY for f in (self.position_filter, self.region_filter, self.goal_filter)
        )
        suggestion = self.library.suggest(text) if text else None
        said = (
            f"No exercise matches {html.escape(repr(text), quote=False)}"
            if text
            else "No exercise matches"
        )
        if suggestion is not None:
            said += f". Try <b>{html.escape(suggestion)}</b>"
        elif filtered:
            said += ". Set the filters back to 'any'"
        else:
            said += ". Try fewer or shorter words"
        return f"<i>{said}.</i>"

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

    def _on_text(self, field: str, change: dict[str, Any]) -> None:
        self._change(field, editing.set_fields, **{field: change["new"]})

    def _on_progression(self, change: dict[str, Any]) -> None:
        notes = [n.strip() for n in re.split(r"\n\s*\n", change["new"]) if n.strip()]
        self._change("progression", editing.set_fields, progression=notes)

    def _on_next_routine(self, change: dict[str, Any]) -> None:
        self._change("next_routine", editing.set_fields, next_routine=change["new"] or None)

    def _on_clinic(self, _change: object = None) -> None:
        clinic = {
            field: (widget.value.strip() or None) if field != "name" else widget.value
            for field, widget in self.clinic_fields.items()
        }
        self._change("clinic", editing.set_fields, clinic=clinic)

    def _on_schedule(self, _change: object = None) -> None:
        self._change("schedule", editing.set_schedule, self.sessions.value, self.days.value)

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
            self._show_fields(routine)
            self._show_items(routine)
            self._show_dose(routine)
            if not self.matches.options:
                self._on_filter()
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
            *DETAIL_PROBLEMS,
        }
        self.item_problem.value = "".join(
            self._problem_html(key) for key in self._problems if key not in shown_elsewhere
        )
        self._show_preview(routine)
        self.downloads.forget_if_changed(routine)
        self.undo_button.disabled = not self.session.can_undo
        self.redo_button.disabled = not self.session.can_redo
        no_file = self.path is None
        self.save_button.disabled = (
            bool(self._problems) or not self.dirty or no_file or self._from_history
        )
        self.save_version_button.disabled = bool(self._problems) or no_file
        self.reload_button.disabled = no_file
        self.marker.value = "● unsaved changes" if self.dirty else ""
        self.open_file.value = self._open_file_html(routine)

    def _show_preview(self, routine: Routine) -> None:
        """The handout, its changed cards marked, scrolled to the exercise worked on."""
        state = follow(self._shown, routine, self._selected)
        if state is not self._shown:
            handout = render_handout(routine, self.library)
            self.preview.value = mark_preview(handout, state.changed, state.scroll_to)
            self._shown = state

    def _open_file_html(self, routine: Routine) -> str:
        """Which file and version is open, in words."""
        name = html.escape(self._file_name() or "no file")
        if self._from_history:
            return (
                f"<b>An earlier copy of {name}</b> (version {routine.version}): "
                "Save as new version keeps it"
            )
        return f"<b>Editing {name}</b> (version {routine.version})"

    def _say(self, text: str) -> None:
        """Show a message to the person using the editor (escaped: it may quote their text)."""
        self.status.value = html.escape(text, quote=False)

    def _problem_html(self, field: str) -> str:
        text = self._problems.get(field)
        return f'<span style="color:#b00020">{html.escape(text)}</span>' if text else ""

    def _show_fields(self, routine: Routine) -> None:
        for field, widget in self.text_fields.items():
            if field not in self._problems and field != self._typed:
                widget.value = getattr(routine, field)
        if "schedule" not in self._problems:
            self.sessions.value = routine.schedule.sessions_per_day
            self.days.value = routine.schedule.days_per_week
        if "progression" not in self._problems and self._typed != "progression":
            shown = [n.strip() for n in re.split(r"\n\s*\n", self.progression.value) if n.strip()]
            if shown != routine.progression:
                self.progression.value = "\n\n".join(routine.progression)
        ids = [i for i in self._routine_ids if i != routine.id]
        if routine.next_routine is not None and routine.next_routine not in ids:
            ids.append(routine.next_routine)
        self.next_routine.options = [("none", ANY), *((i, i) for i in sorted(ids))]
        self.next_routine.value = routine.next_routine or ANY
        if "clinic" not in self._problems and self._typed != "clinic":
            for field, widget in self.clinic_fields.items():
                widget.value = getattr(routine.clinic, field) or ""

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
        dose = effective_dose(item, exercise)
        shown = editing.dose_fields(dose)
        for field, widget in self.dose.items():
            widget.layout.display = "" if field in shown else "none"
            self.dose_rows[field].layout.display = widget.layout.display
            if f"dose.{field}" not in self._problems:  # keep what was typed, beside its problem
                value = getattr(dose, field)
                value = 0 if value is None else value
                if field == "duration_s":
                    self.duration_min.value, value = divmod(value, 60)
                widget.value = value
        if "note" not in self._problems and self._typed != "note":
            self.note.value = item.note or ""
        # last, so that the heading shown means the fields below it are up to date
        self.selected_heading.value = f"<h4>Selected: {html.escape(exercise.name)}</h4>"

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
