"""Test-wide isolation: no test reads or writes the real user's config, data or clinic profile."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import depth
import pytest
from hypothesis import settings
from pdf_guard import backplan_pdf_guard

# "default" bounds every property for the normal run; BACKPLAN_LONG_TESTS=1 loads "long".
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", depth.PROFILE))


@pytest.fixture(scope="session")
def _shared_cache_home(tmp_path_factory):
    """One cache folder for the run, as one person's commands share theirs."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch, _shared_cache_home):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    # The cache holds only the parsed exercise files, each checked against its file's size
    # and time, compiled templates, and drawings keyed by their pose and the drawing code: a
    # fresh one per test made every test parse the built-in library again (~0.1 s each, a
    # tenth of the suite's CPU time). Tests of the cache itself take `fresh_cache`.
    monkeypatch.setenv("XDG_CACHE_HOME", str(_shared_cache_home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    # The locale picks the language (issue 18): tests start from none, as a fresh shell in C.
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def fresh_cache(tmp_path_factory, monkeypatch):
    """An empty cache folder of this test's own, for tests of what the cache keeps."""
    folder = tmp_path_factory.mktemp("fresh-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True, scope="session")
def _one_click_command_per_app():
    """Typer's CliRunner builds the Click command from every signature again on each invoke
    (15 ms; thousands of invokes): build it once per app, as the real `backplan` does once."""
    import typer.testing

    original = getattr(typer.testing, "_get_command", None)
    if original is None:  # another Typer: no shortcut, same results
        yield
        return
    built: dict[object, object] = {}

    def get_command(app):
        if app not in built:
            built[app] = original(app)
        return built[app]

    typer.testing._get_command = get_command
    yield
    typer.testing._get_command = original


PDF_GUARD = Path(__file__).parent / "pdf_guard"


@pytest.fixture(scope="session")
def _pdf_guard_notes(tmp_path_factory):
    """A folder for the notes of renders, and a count to name each test's file."""
    return tmp_path_factory.mktemp("pdf-guard"), itertools.count()


@pytest.fixture(autouse=True)
def _pdf_renders_only_in_pdf_tests(request, _pdf_guard_notes, monkeypatch):
    """A test that renders with WeasyPrint must be marked `pdf`, so `-m "not pdf"` stays quick.

    Renders in this process, in forked workers and in child Pythons (through a sitecustomize
    on PYTHONPATH) are noted in a file; the test fails after it ran if there is any note.
    """
    if request.node.get_closest_marker("pdf") is not None:
        yield
        return
    folder, count = _pdf_guard_notes
    log = folder / f"{next(count)}.txt"
    monkeypatch.setenv(backplan_pdf_guard.LOG_VARIABLE, str(log))
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(PDF_GUARD), path])))
    try:
        import weasyprint
    except (ImportError, OSError):  # no Pango here: nothing can render
        weasyprint = None
    original = backplan_pdf_guard.watch(weasyprint.HTML, str(log)) if weasyprint else None
    try:
        yield
    finally:
        if weasyprint is not None:
            weasyprint.HTML.render = original
    if log.exists():
        pytest.fail(
            "this test renders a PDF with WeasyPrint but is not marked `@pytest.mark.pdf`:\n"
            + log.read_text(encoding="utf-8")[:2000],
            pytrace=False,
        )


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
