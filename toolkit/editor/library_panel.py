"""The editor's Library panel: search the exercise library, filter it, and add an exercise.

The list shows the exercises that match the words typed (best match first) and the filters
(position, body region, goal); when none does, :func:`no_matches_html` says why and what to
try instead. Adding goes through a callback, the editor's, which knows the routine.
"""

from __future__ import annotations

import html
import typing
from collections.abc import Callable

import ipywidgets as w

from toolkit.editor.controls import ANY, Guard, button, with_class
from toolkit.routines.library import Library
from toolkit.routines.models import BodyRegion, Goal, Position
from toolkit.routines.wording import label

__all__ = ["LibraryPanel", "no_matches_html"]


def no_matches_html(library: Library, text: str, filtered: bool) -> str:
    """Why the list is empty, and what to try instead.

    Parameters
    ----------
    library : Library
        Where a close spelling of ``text`` is looked for.
    text : str
        The words searched for (already stripped); may be empty.
    filtered : bool
        True when a filter is set to something else than "any".
    """
    suggestion = library.suggest(text) if text else None
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


class LibraryPanel:
    """A search field, three filters, the exercises that match, and an Add button.

    Parameters
    ----------
    library : Library
        Where the exercises come from.
    guard : callable
        Wraps each handler (the editor's shows a problem in words).
    on_add : callable
        ``on_add()`` adds the exercise chosen in :attr:`matches` to the routine.
    """

    def __init__(self, library: Library, guard: Guard, on_add: Callable[[], object]):
        self.library = library
        self.search = with_class(w.Text(placeholder="Search exercises"), "hepkit-search")
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
        self.matches = with_class(w.Select(rows=10), "hepkit-library")
        self.no_matches = with_class(w.HTML(""), "hepkit-no-matches")
        self.add_button = button("Add", "hepkit-add", on_add, guard)
        for control in (self.search, *self.filters):
            control.observe(guard(self.show_matches), names="value")

    @property
    def filters(self) -> tuple[w.Dropdown, w.Dropdown, w.Dropdown]:
        """The position, region and goal filters."""
        return (self.position_filter, self.region_filter, self.goal_filter)

    def show_matches(self, _change: object = None) -> None:
        """List the exercises that match the search and the filters, or say why none does."""
        found = self.library.search(self.search.value).filter(
            position=self.position_filter.value or None,
            body_region=self.region_filter.value or None,
            goal=self.goal_filter.value or None,
        )
        if self.search.value.strip():  # best match first
            self.matches.options = [(ex.name, ex.id) for ex in found]
        else:
            self.matches.options = sorted((ex.name, ex.id) for ex in found)
        filtered = any(f.value != ANY for f in self.filters)
        self.no_matches.value = (
            "" if len(found) else no_matches_html(self.library, self.search.value.strip(), filtered)
        )
