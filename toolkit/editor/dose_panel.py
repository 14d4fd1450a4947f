"""The editor's panel of the selected exercise: its name, its dose, its note, its problems.

Only the dose fields that fit the exercise are shown (:func:`toolkit.routines.editing.dose_fields`):
a hold for a stretch, a duration for a walk. A duration is typed in minutes and seconds, as
clinicians say it ("walk 10 min"). Each number field has its problem box beside it; problems
of the exercise as a whole (adding, moving, the note) are shown under the note. What is typed
goes to the editor, which knows which exercise is selected and makes the change.
"""

from __future__ import annotations

import functools
import html
import typing
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from toolkit.editor.controls import Guard, WhenPaused, button, number_field, problem_box, with_class
from toolkit.routines import editing
from toolkit.routines.models import Dose, Exercise, RoutineItem
from toolkit.routines.routine import effective_dose
from toolkit.routines.wording import label

__all__ = ["DOSE_LABELS", "ITEM_PROBLEMS", "NUMBER_DOSE_FIELDS", "DosePanel"]

DOSE_LABELS = {
    "sets": "Sets",
    "reps": "Times",
    "hold_s": "Hold [s]",
    "rest_s": "Rest [s]",
    "duration_s": "and [s]",
    "side": "Side",
}
NUMBER_DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s", "duration_s")
#: Problems that belong to the selected exercise; they go when another one is selected.
ITEM_PROBLEMS = ("items", "note", "dose", *(f"dose.{field}" for field in NUMBER_DOSE_FIELDS))


class DosePanel:
    """The selected exercise's heading, dose fields, Default dose button and note.

    Parameters
    ----------
    guard : callable
        Wraps each handler (the editor's shows a problem in words).
    when_paused : callable
        ``when_paused(field, handler)``: an observer of a typed field (the editor's).
    on_dose : callable
        ``on_dose(field, change)``: a dose field changed (``sets`` ... ``side``).
    on_duration_min : callable
        ``on_duration_min(change)``: the minutes of the duration changed.
    on_note : callable
        ``on_note(change)``: the note changed.
    on_default : callable
        ``on_default()``: back to the exercise's own dose.
    """

    def __init__(
        self,
        guard: Guard,
        when_paused: WhenPaused,
        on_dose: Callable[[str, dict[str, Any]], object],
        on_duration_min: Callable[[dict[str, Any]], object],
        on_note: Callable[[dict[str, Any]], object],
        on_default: Callable[[], object],
    ):
        self.default_button = button("Default dose", "hepkit-default-dose", on_default, guard)
        self.dose: dict[str, w.Widget] = {}
        self.dose_problems: dict[str, w.HTML] = {}
        for field in NUMBER_DOSE_FIELDS:
            css = f"hepkit-dose-{field.replace('_', '-')}"
            self.dose[field] = number_field(field, DOSE_LABELS[field], css)
            self.dose_problems[field] = problem_box(css)
        sides = typing.get_args(Dose.model_fields["side"].annotation)
        self.dose["side"] = with_class(
            w.Dropdown(options=[(label(s), s) for s in sides], description="Side"),
            "hepkit-dose-side",
        )
        # a duration is given in minutes and seconds, as clinicians say it (walk 10 min)
        self.duration_min = with_class(
            w.IntText(description="Time [min]", continuous_update=True),
            "hepkit-dose-duration-min",
        )
        self.duration_min.observe(when_paused("dose.duration_s", on_duration_min), names="value")
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
            on_field = functools.partial(on_dose, field)
            if field in NUMBER_DOSE_FIELDS:
                widget.observe(when_paused(f"dose.{field}", on_field), names="value")
            else:
                widget.observe(guard(on_field), names="value")
        self.note = with_class(w.Textarea(description="Note", rows=3), "hepkit-note")
        self.note.observe(when_paused("note", on_note), names="value")
        self.item_problem = problem_box("hepkit-item")
        self.selected_heading = with_class(w.HTML(""), "hepkit-selected")

    def show(
        self,
        item: RoutineItem,
        exercise: Exercise,
        problems: Mapping[str, str],
        typed: str | None,
    ) -> None:
        """Show the dose and note of ``item`` (an item of ``exercise``).

        A field with a problem in ``problems``, and the note while it is being applied from
        typing (``typed``), keep what was typed.
        """
        dose = effective_dose(item, exercise)
        shown = editing.dose_fields(dose)
        for field, widget in self.dose.items():
            widget.layout.display = "" if field in shown else "none"
            self.dose_rows[field].layout.display = widget.layout.display
            if f"dose.{field}" not in problems:  # keep what was typed, beside its problem
                value = getattr(dose, field)
                value = 0 if value is None else value
                if field == "duration_s":
                    self.duration_min.value, value = divmod(value, 60)
                widget.value = value
        if "note" not in problems and typed != "note":
            self.note.value = item.note or ""
        # last, so that the heading shown means the fields below it are up to date
        self.selected_heading.value = f"<h4>Selected: {html.escape(exercise.name)}</h4>"
