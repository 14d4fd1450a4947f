"""Plain-language wording of doses and schedules, as a patient reads them.

``Hold for 5 seconds. Do this 10 times, 2 sets, each side.`` The sentences come from the
message catalogue (:mod:`toolkit.routines.catalogue`), so each reads naturally in the patient's
language: ``Mantenga 5 segundos. Hágalo 10 veces de cada lado, 2 series.``
"""

from __future__ import annotations

from toolkit.routines.catalogue import catalogue, format_number
from toolkit.routines.models import Dose, Schedule

__all__ = ["describe_dose", "describe_schedule", "describe_seconds", "label"]

#: The catalogue message of each side, added after the count.
_SIDE_MESSAGES = {
    "both": "",
    "each-side": ", each side",
    "left": ", left side only",
    "right": ", right side only",
    "alternating": ", switching sides each time",
}


def label(slug: str) -> str:
    """A choice as people write it: ``lying-on-back`` -> ``lying on back``."""
    return slug.replace("-", " ")


def _counted(one: str, many: str, count: int, language: str) -> str:
    text = catalogue(language).ngettext(one, many, count)
    return text.format(count=format_number(count, language))


def describe_seconds(seconds: int, language: str = "en") -> str:
    """``90`` -> ``1 minute 30 seconds``; ``600`` -> ``10 minutes``. [s]"""
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return _counted("{count} second", "{count} seconds", rest, language)
    text = _counted("{count} minute", "{count} minutes", minutes, language)
    if not rest:
        return text
    both = catalogue(language).gettext("{minutes} {seconds}")
    return both.format(
        minutes=text, seconds=_counted("{count} second", "{count} seconds", rest, language)
    )


def describe_dose(dose: Dose, language: str = "en") -> str:
    """The dose in plain words, one or more short sentences, in ``language``."""
    words = catalogue(language)
    sets = _counted(", {count} set", ", {count} sets", dose.sets, language) if dose.sets > 1 else ""
    side = words.gettext(_SIDE_MESSAGES[dose.side]) if dose.side != "both" else ""
    if dose.duration_s is not None:
        text = words.gettext("Keep going for {duration}{sets}{side}.").format(
            duration=describe_seconds(dose.duration_s, language), sets=sets, side=side
        )
    elif dose.counts == "breaths":
        assert dose.reps is not None
        text = words.ngettext(
            "Take {count} slow breath{sets}.", "Take {count} slow breaths{sets}.", dose.reps
        ).format(count=format_number(dose.reps, language), sets=sets)
    else:
        assert dose.reps is not None
        times = _counted("{count} time", "{count} times", dose.reps, language)
        text = words.gettext("Do this {times}{sets}{side}.").format(
            times=times, sets=sets, side=side
        )
        if dose.counts == "holds" and dose.hold_s is not None:
            hold = words.gettext("Hold for {duration}.").format(
                duration=describe_seconds(dose.hold_s, language)
            )
            text = f"{hold} {text}"
    if dose.rest_s and dose.sets > 1:
        rest = words.gettext("Rest {duration} between sets.")
        text += " " + rest.format(duration=describe_seconds(dose.rest_s, language))
    return text


def _times(count: int, language: str) -> str:
    if count == 2:
        return catalogue(language).gettext("twice")
    return _counted("once", "{count} times", count, language)


def describe_schedule(schedule: Schedule, language: str = "en") -> str:
    """``Do this routine twice a day, every day.``, in ``language``."""
    words = catalogue(language)
    days = (
        words.gettext("every day")
        if schedule.days_per_week == 7
        else _counted(
            "on {count} day a week", "on {count} days a week", schedule.days_per_week, language
        )
    )
    return words.gettext("Do this routine {times} a day, {days}.").format(
        times=_times(schedule.sessions_per_day, language), days=days
    )
