"""A stand-in for the kernel's event loop: it records timers, and the test says when time passes."""

from __future__ import annotations

from collections.abc import Callable


class FakeTimer:
    def __init__(self, delay_s: float, callback: Callable[[], None]):
        self.delay_s = delay_s
        self.callback = callback
        self.cancelled = False

    def cancel(self):
        self.cancelled = True


class FakeLoop:
    """Records what is scheduled; the test decides when the pause is over."""

    def __init__(self):
        self.timers: list[FakeTimer] = []

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> FakeTimer:
        self.timers.append(FakeTimer(delay_s, callback))
        return self.timers[-1]

    def pause(self):
        live = [t for t in self.timers if not t.cancelled]
        assert len(live) == 1, "one pause timer at a time"
        live[0].callback()
