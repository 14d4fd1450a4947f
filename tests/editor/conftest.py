"""Fixtures of the editor's tests."""

from __future__ import annotations

import pytest
from ipywidgets.widgets.widget import CallbackDispatcher

from toolkit.editor.widgets import RoutineEditor
from toolkit.routines.routine import load_routine


@pytest.fixture
def editor(routine_file, library):
    """The editor on a copy of the reference routine; no error may be left behind."""
    made = RoutineEditor(load_routine(routine_file, library), library)
    yield made
    assert made.errors == []


@pytest.fixture
def callbacks_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error in a widget callback fails the test (ipywidgets would only log it)."""

    def call(self, *args, **kwargs):
        value = None
        for callback in self.callbacks:
            value = callback(*args, **kwargs)
        return value

    monkeypatch.setattr(CallbackDispatcher, "__call__", call)
