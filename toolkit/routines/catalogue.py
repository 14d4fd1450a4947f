"""The message catalogue: every patient-facing sentence in each language hepkit speaks.

The catalogues are gettext ``.po`` files, ``toolkit/locale/<language>/LC_MESSAGES/hepkit.po``,
with plural forms. They are compiled in memory with Babel the first time a language is used,
so there is no build step and no compiled file to keep current.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from pathlib import Path

from toolkit.errors import HepkitError

__all__ = [
    "DOMAIN",
    "locale_dir",
    "catalogue_path",
    "catalogue_languages",
    "catalogue",
    "base_language",
    "format_number",
    "format_day",
]

#: The gettext domain of hepkit's messages.
DOMAIN = "hepkit"


def locale_dir() -> Path:
    """The folder of the catalogues, ``toolkit/locale/``."""
    return Path(__file__).resolve().parent.parent / "locale"


def base_language(language: str) -> str:
    """``es-MX`` -> ``es``: the catalogue a regional language uses."""
    return language.split("-")[0].lower()


def catalogue_path(language: str) -> Path:
    """The ``.po`` file of a language."""
    return locale_dir() / base_language(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_languages() -> list[str]:
    """Every language with a catalogue, sorted."""
    return sorted(p.parent.parent.name for p in locale_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@functools.cache
def catalogue(language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``language`` (``gettext`` and ``ngettext`` on it).

    Raises
    ------
    HepkitError
        No catalogue for the language; the message names those there are.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = catalogue_path(language)
    if not path.is_file():
        raise HepkitError(
            f"no patient texts in language {language!r}; "
            f"available: {', '.join(catalogue_languages())}"
        )
    with path.open("rb") as po:
        messages = read_po(po, locale=base_language(language), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def format_number(value: float, language: str) -> str:
    """A number as the language writes it (``1,5`` in Spanish)."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=base_language(language))


def format_day(day: dt.date, language: str) -> str:
    """A date in words, as the language writes it (``25 de noviembre de 2026``)."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=base_language(language))
