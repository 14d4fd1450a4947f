"""Typed changes wait for a pause in typing, then apply together."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from fake_loop import FakeLoop

from toolkit.editor.typing_pause import TYPING_PAUSE_S, TypingPause, loop_call_later


def test_the_pause_is_between_300_and_500_ms():
    assert TYPING_PAUSE_S == 0.4
    assert TypingPause().pause_s == TYPING_PAUSE_S


def test_changes_wait_for_the_pause_and_the_latest_of_each_field_wins():
    loop = FakeLoop()
    pause = TypingPause(call_later=loop.call_later)
    applied = []
    for text in ("B", "Ba", "Back"):
        pause.push("title", lambda text=text: applied.append(("title", text)))
    pause.push("note", lambda: applied.append(("note", "x")))
    assert applied == []
    assert pause.held == ("title", "note")
    assert [t.delay_s for t in loop.timers] == [TYPING_PAUSE_S] * 4
    assert [t.cancelled for t in loop.timers] == [True, True, True, False]  # each key restarts

    loop.pause()
    assert applied == [("title", "Back"), ("note", "x")]
    assert pause.held == ()


def test_flush_applies_at_once_and_calls_off_the_timer():
    loop = FakeLoop()
    pause = TypingPause(call_later=loop.call_later)
    applied = []
    pause.push("reps", lambda: applied.append(5))
    pause.flush()
    assert applied == [5]
    assert loop.timers[-1].cancelled
    pause.flush()  # nothing held: nothing happens
    assert applied == [5]


def in_a_new_thread(work):
    """``work()`` run in a thread of its own: no event loop runs there (in this thread one may,
    left by the browser tests' Playwright when they ran earlier in the session)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def test_without_an_event_loop_changes_apply_at_once():
    def work():
        applied = []
        pause = TypingPause()
        pause.push("title", lambda: applied.append("now"))
        return applied, loop_call_later(1.0, lambda: None)

    applied, timer = in_a_new_thread(work)
    assert applied == ["now"]
    assert timer is None


def test_on_a_running_loop_the_change_comes_after_the_pause():
    applied = []

    async def type_then_wait():
        pause = TypingPause(pause_s=0.05)
        pause.push("title", lambda: applied.append("typed"))
        assert applied == []
        await asyncio.sleep(0.2)

    in_a_new_thread(lambda: asyncio.run(type_then_wait()))
    assert applied == ["typed"]


def test_a_failing_change_keeps_the_rest_held():
    pause = TypingPause(call_later=FakeLoop().call_later)

    def fail():
        raise ValueError("boom")

    pause.push("title", fail)
    pause.push("other", lambda: None)
    with pytest.raises(ValueError, match="^boom$"):
        pause.flush()
    assert pause.held == ("other",)
