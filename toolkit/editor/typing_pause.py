"""Changes typed into the editor are applied when typing pauses, not at every key.

The editor's text and number fields send their value as the clinician types. Each value is
held here under its field's name (a later value replaces an earlier one), and all held changes
are applied together once no key has come for :data:`TYPING_PAUSE_S`: one change, one undo
step, one new preview per pause. Any other action (a click, choosing another exercise, Save)
applies what is held first, so nothing typed is lost or lands on the wrong exercise.

The pause is timed on the kernel's event loop. Without a running loop (plain Python, a test)
nothing is held: each change is applied at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

__all__ = ["TYPING_PAUSE_S", "TypingPause"]

#: How long typing must pause before what was typed is applied. [s]
TYPING_PAUSE_S = 0.4


class Timer(Protocol):
    """What a scheduler returns: a call that can be called off."""

    def cancel(self) -> object: ...


#: ``call_later(delay_s, callback)``: run ``callback`` after ``delay_s`` [s]; None if it cannot.
CallLater = Callable[[float, Callable[[], None]], Timer | None]


def loop_call_later(delay_s: float, callback: Callable[[], None]) -> Timer | None:
    """Schedule ``callback`` on the running event loop; None when no loop is running."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.call_later(delay_s, callback)


class TypingPause:
    """Hold the latest change of each field until typing pauses, then apply them in order.

    Parameters
    ----------
    pause_s : float
        Quiet time after the last key before the held changes are applied. [s]
    call_later : callable, optional
        The scheduler, ``call_later(delay_s, callback) -> timer or None``; default the running
        event loop's. When it returns None, changes are applied at once.
    """

    def __init__(self, pause_s: float = TYPING_PAUSE_S, call_later: CallLater | None = None):
        self.pause_s = pause_s
        self._call_later = call_later or loop_call_later
        self._held: dict[str, Callable[[], object]] = {}
        self._timer: Timer | None = None

    @property
    def held(self) -> tuple[str, ...]:
        """The fields whose typed value waits for the pause, in the order first typed."""
        return tuple(self._held)

    def push(self, field: str, apply: Callable[[], object]) -> None:
        """Hold ``apply`` (the change typed into ``field``) and start the pause again."""
        self._held[field] = apply
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._call_later(self.pause_s, self.flush)
        if self._timer is None:
            self.flush()

    def flush(self) -> None:
        """Apply every held change now, in the order the fields were first typed into."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._held:
            field = next(iter(self._held))
            self._held.pop(field)()
