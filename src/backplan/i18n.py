"""Interface strings in the person's language, through gettext catalogues.

Catalogues live in backplan/locale/<lang>/LC_MESSAGES/backplan.mo, compiled with Babel
from the .po files next to them (see docs/clinic-workflows.md, "Spanish"). Exercise content is translated
in the exercise files themselves (`translations:`), not here.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

SUPPORTED = ("en", "es")
_LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_current = "en"


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    return _gettext.translation("backplan", localedir=_LOCALE_DIR, languages=[lang], fallback=True)


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


def set_language(lang: str) -> None:
    """Switch the interface language for this process (en when a catalogue is missing)."""
    global _current
    _current = lang if lang in SUPPORTED else "en"


def current_language() -> str:
    return _current


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Interface strings in `lang` inside the block, then the caller's language again."""
    before = _current
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


def gettext(message: str) -> str:
    if _current == "en":
        return message
    return _translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if _current == "en":
        return singular if n == 1 else plural
    return _translations(_current).ngettext(singular, plural, n)


_ = gettext
