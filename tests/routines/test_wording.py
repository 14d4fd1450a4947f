"""Dose and schedule wording from the catalogue: each kind of dose in English and Spanish."""

from __future__ import annotations

import itertools

import pytest

from toolkit.errors import HepkitError
from toolkit.routines.catalogue import catalogue, catalogue_path
from toolkit.routines.models import Dose, Schedule
from toolkit.routines.wording import describe_dose, describe_schedule, describe_seconds

DOSES = {
    "reps": (
        Dose(reps=10),
        "Do this 10 times.",
        "Hágalo 10 veces.",
    ),
    "one rep": (Dose(reps=1), "Do this 1 time.", "Hágalo 1 vez."),
    "holds": (
        Dose(reps=3, counts="holds", hold_s=20, side="each-side"),
        "Hold for 20 seconds. Do this 3 times, each side.",
        "Mantenga 20 segundos. Hágalo 3 veces de cada lado.",
    ),
    "breaths": (
        Dose(reps=8, counts="breaths"),
        "Take 8 slow breaths.",
        "Haga 8 respiraciones lentas.",
    ),
    "one breath": (
        Dose(reps=1, counts="breaths"),
        "Take 1 slow breath.",
        "Respire despacio 1 vez.",
    ),
    "duration": (
        Dose(duration_s=90),
        "Keep going for 1 minute 30 seconds.",
        "Siga durante 1 minuto y 30 segundos.",
    ),
    "each side": (
        Dose(reps=5, side="each-side"),
        "Do this 5 times, each side.",
        "Hágalo 5 veces de cada lado.",
    ),
    "one side": (
        Dose(reps=5, side="left"),
        "Do this 5 times, left side only.",
        "Hágalo 5 veces, solo del lado izquierdo.",
    ),
    "alternating": (
        Dose(reps=10, side="alternating"),
        "Do this 10 times, switching sides each time.",
        "Hágalo 10 veces, cambiando de lado cada vez.",
    ),
    "sets and rests": (
        Dose(sets=2, reps=8, counts="holds", hold_s=5, rest_s=30),
        "Hold for 5 seconds. Do this 8 times, 2 sets. Rest 30 seconds between sets.",
        "Mantenga 5 segundos. Hágalo 8 veces, 2 series. Descanse 30 segundos entre series.",
    ),
    "timed sets each side": (
        Dose(sets=3, duration_s=60, side="each-side", rest_s=60),
        "Keep going for 1 minute, 3 sets, each side. Rest 1 minute between sets.",
        "Siga durante 1 minuto de cada lado, 3 series. Descanse 1 minuto entre series.",
    ),
}


@pytest.mark.parametrize("kind", DOSES)
def test_each_kind_of_dose_in_english(kind):
    dose, english, _ = DOSES[kind]
    assert describe_dose(dose) == english
    assert describe_dose(dose, "en") == english


@pytest.mark.parametrize("kind", DOSES)
def test_each_kind_of_dose_in_spanish(kind):
    dose, _, spanish = DOSES[kind]
    assert describe_dose(dose, "es") == spanish
    assert describe_dose(dose, "es-MX") == spanish


def _old_english(dose: Dose) -> str:
    """The wording as it was written in code before the catalogue, kept as the oracle."""

    def plural(count, one, many=None):
        return f"{count} {one}" if count == 1 else f"{count} {many or one + 's'}"

    def seconds(s):
        minutes, rest = divmod(s, 60)
        if minutes == 0:
            return plural(rest, "second")
        text = plural(minutes, "minute")
        return f"{text} {plural(rest, 'second')}" if rest else text

    sides = {
        "both": "",
        "each-side": ", each side",
        "left": ", left side only",
        "right": ", right side only",
        "alternating": ", switching sides each time",
    }
    sets = f", {dose.sets} sets" if dose.sets > 1 else ""
    side = sides[dose.side]
    if dose.duration_s is not None:
        text = f"Keep going for {seconds(dose.duration_s)}{sets}{side}."
    elif dose.counts == "breaths":
        text = f"Take {plural(dose.reps, 'slow breath')}{sets}."
    else:
        text = f"Do this {plural(dose.reps, 'time')}{sets}{side}."
        if dose.counts == "holds":
            text = f"Hold for {seconds(dose.hold_s)}. {text}"
    if dose.rest_s and dose.sets > 1:
        text += f" Rest {seconds(dose.rest_s)} between sets."
    return text


def _every_kind_of_dose():
    for sets, side, rest in itertools.product(
        (1, 2), ("both", "each-side", "left", "right", "alternating"), (None, 0, 45)
    ):
        yield Dose(sets=sets, reps=1, side=side, rest_s=rest)
        yield Dose(sets=sets, reps=12, side=side, rest_s=rest)
        yield Dose(sets=sets, reps=4, counts="holds", hold_s=1, side=side, rest_s=rest)
        yield Dose(sets=sets, reps=4, counts="holds", hold_s=61, side=side, rest_s=rest)
        yield Dose(sets=sets, duration_s=600, side=side, rest_s=rest)
        yield Dose(sets=sets, duration_s=65, side=side, rest_s=rest)
    yield Dose(sets=3, reps=5, counts="breaths", rest_s=20)


def test_english_wording_is_unchanged_by_the_catalogue():
    for dose in _every_kind_of_dose():
        assert describe_dose(dose) == _old_english(dose), dose


@pytest.mark.parametrize(
    ("seconds", "english", "spanish"),
    [
        (1, "1 second", "1 segundo"),
        (45, "45 seconds", "45 segundos"),
        (60, "1 minute", "1 minuto"),
        (61, "1 minute 1 second", "1 minuto y 1 segundo"),
        (600, "10 minutes", "10 minutos"),
    ],
)
def test_seconds_in_both_languages(seconds, english, spanish):
    assert describe_seconds(seconds) == english
    assert describe_seconds(seconds, "es") == spanish


@pytest.mark.parametrize(
    ("schedule", "english", "spanish"),
    [
        (
            Schedule(),
            "Do this routine once a day, every day.",
            "Haga esta rutina una vez al día, todos los días.",
        ),
        (
            Schedule(sessions_per_day=2, days_per_week=5),
            "Do this routine twice a day, on 5 days a week.",
            "Haga esta rutina dos veces al día, 5 días a la semana.",
        ),
        (
            Schedule(sessions_per_day=3, days_per_week=1),
            "Do this routine 3 times a day, on 1 day a week.",
            "Haga esta rutina 3 veces al día, 1 día a la semana.",
        ),
    ],
)
def test_schedule_in_both_languages(schedule, english, spanish):
    assert describe_schedule(schedule) == english
    assert describe_schedule(schedule, "es") == spanish


def test_a_language_without_a_catalogue_is_refused_naming_those_there_are():
    with pytest.raises(HepkitError, match=r"no patient texts in language 'fr'; available: en, es"):
        describe_dose(Dose(reps=3), "fr")


def _messages(language):
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


def test_english_and_spanish_catalogues_hold_the_same_messages_all_translated():
    english, spanish = _messages("en"), _messages("es")
    assert english.keys() == spanish.keys()
    for msgid, text in spanish.items():
        forms = text if isinstance(text, tuple) else (text,)
        assert all(forms), f"{msgid!r} has no Spanish text"


def test_the_catalogue_is_compiled_once_per_language():
    assert catalogue("es") is catalogue("es")
    assert catalogue("es").ngettext("{count} minute", "{count} minutes", 2) == "{count} minutos"
