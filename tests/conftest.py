"""Test-wide isolation: no test reads or writes the real user's config, data or clinic profile."""

from __future__ import annotations

import os

import depth
import pytest
from hypothesis import settings

# "default" bounds every property for the normal run; BACKPLAN_LONG_TESTS=1 loads "long".
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", depth.PROFILE))


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    # The locale picks the language (issue 18): tests start from none, as a fresh shell in C.
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(autouse=True)
def _english_again():
    """Commands switch the process's interface language; each test starts in English."""
    from backplan.i18n import set_language

    set_language("en")
    yield
    set_language("en")


class _NoPango:
    """An import finder that fails WeasyPrint the way a missing Pango does (cffi's dlopen)."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError(
                "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
                "object file: No such file or directory"
            )
        return None


@pytest.fixture
def no_pango(monkeypatch):
    """This process as on a computer without Pango: importing WeasyPrint raises OSError."""
    import sys

    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    # cached fonts and stylesheets hold WeasyPrint objects from before
    from backplan.render import pdf

    pdf._font_config.cache_clear()
    pdf._stylesheets.cache_clear()
    yield
    pdf._font_config.cache_clear()
    pdf._stylesheets.cache_clear()
