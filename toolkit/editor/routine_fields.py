"""The editor's fields of the routine itself: its texts, schedule, progression notes, the routine
that follows it, and the clinic's contact details.

Each field is one change through the editor (``change(key, edit, ...)``, the editor's
``_change``), which shows a problem beside the field's key instead of applying it. Progression
notes are typed one per paragraph (:func:`progression_notes`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as w

from toolkit.editor.controls import ANY, Guard, WhenPaused, number_field, problem_box, with_class
from toolkit.routines import editing
from toolkit.routines.models import Routine

__all__ = [
    "CLINIC_LABELS",
    "DETAIL_PROBLEMS",
    "ROUTINE_TEXT_FIELDS",
    "RoutineFieldsPanel",
    "progression_notes",
]

ROUTINE_TEXT_FIELDS = ("title", "author", "condition", "introduction", "safety_notice")
CLINIC_LABELS = {
    "name": "Clinic name",
    "phone": "Phone",
    "email": "Email",
    "website": "Website",
    "address": "Address",
}
#: Problems shown under the routine's details and clinic fields.
DETAIL_PROBLEMS = ("progression", "next_routine", "clinic")

#: ``change(key, edit, *args, **kwargs)``: make one change; True if it took.
Change = Callable[..., bool]


def progression_notes(text: str) -> list[str]:
    """The notes typed in ``text``, one per paragraph (a blank line between two)."""
    return [n.strip() for n in re.split(r"\n\s*\n", text) if n.strip()]


class RoutineFieldsPanel:
    """Title, author, condition, introduction, safety; schedule; progression; next; clinic.

    Parameters
    ----------
    change : callable
        ``change(key, edit, *args, **kwargs)`` applies ``edit`` (a function of
        :mod:`toolkit.routines.editing`) or shows its problem beside ``key``.
    guard : callable
        Wraps each handler (the editor's shows a problem in words).
    when_paused : callable
        ``when_paused(field, handler)``: an observer of a typed field (the editor's).
    """

    def __init__(self, change: Change, guard: Guard, when_paused: WhenPaused):
        self._change = change
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
            with_class(widget, css)
            self.field_problems[field] = problem_box(css)
            on_text = functools.partial(self._on_text, field)
            widget.observe(when_paused(field, on_text), names="value")
        self.sessions = number_field("sessions_per_day", "Sessions a day", "hepkit-sessions")
        self.days = number_field("days_per_week", "Days a week", "hepkit-days")
        for widget in (self.sessions, self.days):
            widget.style.description_width = "initial"
            widget.observe(when_paused("schedule", self._on_schedule), names="value")
        self.schedule_problem = problem_box("hepkit-schedule")
        self.progression = with_class(
            w.Textarea(description="Progression notes (one per paragraph)", rows=4),
            "hepkit-progression",
        )
        self.progression.observe(when_paused("progression", self._on_progression), names="value")
        self.next_routine = with_class(
            w.Dropdown(description="Next routine", options=[("none", ANY)]), "hepkit-next-routine"
        )
        self.next_routine.observe(guard(self._on_next_routine), names="value")
        self.clinic_fields: dict[str, w.Widget] = {}
        for field, text in CLINIC_LABELS.items():
            box = (
                w.Textarea(description=text, rows=2)
                if field == "address"
                else w.Text(description=text)
            )
            self.clinic_fields[field] = with_class(box, f"hepkit-clinic-{field}")
            box.observe(when_paused("clinic", self._on_clinic), names="value")
        self.details_problem = problem_box("hepkit-details")

    # -- handlers: each is one change -------------------------------------------------------

    def _on_text(self, field: str, change: dict[str, Any]) -> None:
        self._change(field, editing.set_fields, **{field: change["new"]})

    def _on_schedule(self, _change: object = None) -> None:
        self._change("schedule", editing.set_schedule, self.sessions.value, self.days.value)

    def _on_progression(self, change: dict[str, Any]) -> None:
        notes = progression_notes(change["new"])
        self._change("progression", editing.set_fields, progression=notes)

    def _on_next_routine(self, change: dict[str, Any]) -> None:
        self._change("next_routine", editing.set_fields, next_routine=change["new"] or None)

    def _on_clinic(self, _change: object = None) -> None:
        clinic = {
            field: (widget.value.strip() or None) if field != "name" else widget.value
            for field, widget in self.clinic_fields.items()
        }
        self._change("clinic", editing.set_fields, clinic=clinic)

    # -- showing the routine ----------------------------------------------------------------

    def show(
        self,
        routine: Routine,
        problems: Mapping[str, str],
        typed: str | None,
        routine_ids: Sequence[str],
    ) -> None:
        """Show the routine's fields.

        A field with a problem in ``problems``, and a text field while it is being applied
        from typing (``typed``), keep what was typed. The next routine is chosen among
        ``routine_ids`` (the workspace's), this routine left out.
        """
        for field, widget in self.text_fields.items():
            if field not in problems and field != typed:
                widget.value = getattr(routine, field)
        if "schedule" not in problems:
            self.sessions.value = routine.schedule.sessions_per_day
            self.days.value = routine.schedule.days_per_week
        if "progression" not in problems and typed != "progression":
            shown = progression_notes(self.progression.value)
            if shown != routine.progression:
                self.progression.value = "\n\n".join(routine.progression)
        ids = [i for i in routine_ids if i != routine.id]
        if routine.next_routine is not None and routine.next_routine not in ids:
            ids.append(routine.next_routine)
        self.next_routine.options = [("none", ANY), *((i, i) for i in sorted(ids))]
        self.next_routine.value = routine.next_routine or ANY
        if "clinic" not in problems and typed != "clinic":
            for field, widget in self.clinic_fields.items():
                widget.value = getattr(routine.clinic, field) or ""
