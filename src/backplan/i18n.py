"""Interface strings in the person's language, through gettext catalogues, carried as a value.

`words(lang)` gives a `Words`: the catalogue and the date formats of one language. Whatever
writes text takes a `Words` (or the `lang` code and calls `words(lang)`), so two requests in
two languages never share state.

Catalogues live in backplan/locale/<lang>/LC_MESSAGES/backplan.mo, compiled with Babel
from the .po files next to them (see docs/clinic-workflows.md, "Spanish"). Exercise content is translated
in the exercise files themselves (`translations:`), not here.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SUPPORTED = ("en", "es")
_LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    return _gettext.translation("backplan", localedir=_LOCALE_DIR, languages=[lang], fallback=True)


@dataclass(frozen=True)
class Words:
    """The interface words of one language: its gettext catalogue and its date formats."""

    lang: str
    _catalogue: _gettext.NullTranslations | None = field(default=None, compare=False, repr=False)

    def gettext(self, message: str) -> str:
        if self._catalogue is None:
            return message
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self._catalogue is None:
            return singular if n == 1 else plural
        return self._catalogue.ngettext(singular, plural, n)

    def long_date(self, day: dt.date) -> str:
        """A date as people write it in this language: March 2, 2026; 2 de marzo de 2026."""
        if self.lang == "en":  # Babel's English and Spanish, without loading its locale data
            return f"{_ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}"
        if self.lang == "es":
            return f"{day.day} de {_SPANISH_MONTHS[day.month - 1]} de {day.year}"
        from babel.dates import format_date  # Babel's locale data costs ~60 ms to import

        return format_date(day, format="long", locale=self.lang)

    def short_date(self, day: dt.date) -> str:
        """A day and a month name, no year: Nov 9; 9 nov."""
        if self.lang == "en":
            return f"{_ENGLISH_MONTHS[day.month - 1][:3]} {day.day}"
        if self.lang == "es":
            return f"{day.day} {_SPANISH_SHORT[day.month - 1]}"
        from babel.dates import format_skeleton

        return format_skeleton("MMMd", day, locale=self.lang)


# Babel's month names for "long" and "MMMd" dates in English and Spanish; a test checks
# every day of a year against Babel.
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SPANISH_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
_SPANISH_SHORT = (
    "ene",
    "feb",
    "mar",
    "abr",
    "may",
    "jun",
    "jul",
    "ago",
    "sept",
    "oct",
    "nov",
    "dic",
)


@cache
def words(lang: str) -> Words:
    """The words of `lang` (English when backplan does not speak it)."""
    if lang not in SUPPORTED:
        lang = "en"
    return Words(lang, None if lang == "en" else _translations(lang))


def lang_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the locale asks for (`es_ES.UTF-8` is es), or None: the first of LC_ALL,
    LC_MESSAGES and LANG that is set decides, as POSIX orders them; C, POSIX and languages
    backplan does not speak give None (the caller's default)."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in SUPPORTED else None
    return None
