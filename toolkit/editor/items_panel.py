"""The editor's list of the routine's exercises, in order, with buttons to move the selected one
up or down, duplicate it or remove it.

Choosing an exercise in the list selects it for the dose panel
(:mod:`toolkit.editor.dose_panel`); each button calls the editor, which knows which exercise
is selected and makes the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.editor.controls import Guard, button, with_class
from toolkit.routines.library import Library
from toolkit.routines.models import Routine

__all__ = ["ItemsPanel", "item_names"]


def item_names(routine: Routine, library: Library) -> list[str]:
    """The routine's exercises as the list shows them: ``4. Single knee to chest``."""
    return [
        f"{n}. {library.get(item.exercise).name}" for n, item in enumerate(routine.items, start=1)
    ]


class ItemsPanel:
    """The exercises of the routine, and Up, Down, Duplicate and Remove buttons.

    Parameters
    ----------
    guard : callable
        Wraps each handler (the editor's shows a problem in words).
    on_select : callable
        Observes the list: ``on_select(change)``, the new value being the index chosen.
    on_move : callable
        ``on_move(offset)`` moves the selected exercise by ``offset`` places (-1 is up).
    on_remove, on_duplicate : callable
        Remove, or duplicate, the selected exercise.
    """

    def __init__(
        self,
        guard: Guard,
        on_select: Callable[[dict[str, Any]], object],
        on_move: Callable[[int], object],
        on_remove: Callable[[], object],
        on_duplicate: Callable[[], object],
    ):
        self.items = with_class(w.Select(rows=10), "hepkit-items")
        self.items.observe(guard(on_select), names="value")
        self.up_button = button("Up", "hepkit-up", lambda: on_move(-1), guard)
        self.down_button = button("Down", "hepkit-down", lambda: on_move(1), guard)
        self.remove_button = button("Remove", "hepkit-remove", on_remove, guard)
        self.duplicate_button = button("Duplicate", "hepkit-duplicate", on_duplicate, guard)

    def show(self, routine: Routine, library: Library, selected: int) -> None:
        """List the routine's exercises, ``selected`` (an index) chosen."""
        names = item_names(routine, library)
        self.items.options = [(name, index) for index, name in enumerate(names)]
        self.items.value = selected
