"""Plain-language wording of doses and schedules, as a patient reads them.

``Hold for 5 seconds. Do this 10 times, 2 sets, each side.``
"""

from __future__ import annotations

from toolkit.routines.models import Dose, Schedule

__all__ = ["describe_dose", "describe_schedule", "describe_seconds", "label"]

_SIDE_WORDS = {
    "both": "",
    "each-side": ", each side",
    "left": ", left side only",
    "right": ", right side only",
    "alternating": ", switching sides each time",
}


def label(slug: str) -> str:
    """A choice as people write it: ``lying-on-back`` -> ``lying on back``."""
    return slug.replace("-", " ")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one}" if count == 1 else f"{count} {many or one + 's'}"


def describe_seconds(seconds: int) -> str:
    """``90`` -> ``1 minute 30 seconds``; ``600`` -> ``10 minutes``. [s]"""
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return _plural(rest, "second")
    text = _plural(minutes, "minute")
    return f"{text} {_plural(rest, 'second')}" if rest else text


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def describe_dose(dose: Dose) -> str:
    """The dose in plain words, one or more short sentences."""
    sets = f", {dose.sets} sets" if dose.sets > 1 else ""
    side = _SIDE_WORDS[dose.side]
    if dose.duration_s is not None:
        text = f"Keep going for {describe_seconds(dose.duration_s)}{sets}{side}."
    elif dose.counts == "breaths":
        assert dose.reps is not None
        text = f"Take {_plural(dose.reps, 'slow breath')}{sets}."
    else:
        assert dose.reps is not None
        text = f"Do this {_plural(dose.reps, 'time')}{sets}{side}."
        if dose.counts == "holds" and dose.hold_s is not None:
            text = f"Hold for {describe_seconds(dose.hold_s)}. {text}"
    if dose.rest_s and dose.sets > 1:
        text += f" Rest {describe_seconds(dose.rest_s)} between sets."
    return text


def describe_schedule(schedule: Schedule) -> str:
    """``Do this routine twice a day, every day.``"""
    days = (
        "every day"
        if schedule.days_per_week == 7
        else f"on {_plural(schedule.days_per_week, 'day')} a week"
    )
    return f"Do this routine {_times(schedule.sessions_per_day)} a day, {days}."
