"""The compiled-template cache (render/html.py): read back across runs, never stale.

Each render here runs as in a new process: the in-memory environments are dropped first, so
what the page is made from is the cache folder on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.sandbox import SandboxedEnvironment
from plan_fixtures import plan

from backplan.render import RenderOptions, render_html
from backplan.render import html as html_render


@pytest.fixture
def new_process(fresh_cache):
    """No environment kept in memory, and this test's own empty cache folder."""
    html_render.environment.cache_clear()
    yield fresh_cache
    html_render.environment.cache_clear()


def rendered(options: RenderOptions | None = None) -> str:
    html_render.environment.cache_clear()  # as a new run of `backplan`
    return render_html(plan(), options or RenderOptions())


def entries(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "backplan").glob("templates-*/*.cache"))


def no_compiling(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a template was compiled again")

    monkeypatch.setattr(SandboxedEnvironment, "compile", refuse)


def test_compiled_templates_are_kept_and_read_back(new_process, monkeypatch):
    first = rendered()
    assert len(entries(new_process)) >= 5  # the handout and the parts it includes
    no_compiling(monkeypatch)
    assert rendered() == first  # every template came from the cache


def test_a_broken_or_unreadable_entry_is_compiled_again(new_process, monkeypatch):
    first = rendered()
    kept = entries(new_process)
    kept[0].write_bytes(b"")  # empty
    kept[1].write_bytes(kept[1].read_bytes()[:40])  # cut short
    kept[2].write_bytes(b"j2 not a compiled template at all")
    kept[3].unlink()
    kept[3].mkdir()  # a folder where the entry was: cannot be read or replaced
    assert rendered() == first
    kept[3].rmdir()
    assert rendered() == first  # the entry is written where the folder was
    no_compiling(monkeypatch)
    assert rendered() == first  # the broken entries were written anew, whole


def test_templates_compiled_by_other_code_are_never_read(new_process, monkeypatch):
    (new_process / "backplan" / "templates").mkdir(parents=True)  # an older backplan's
    monkeypatch.setattr(html_render, "_code_key", lambda: "older")
    first = rendered()
    assert entries(new_process) and all(
        p.parent.name == "templates-older" for p in entries(new_process)
    )
    compiled = []
    original = SandboxedEnvironment.compile

    def counting(self, *args, **kwargs):
        compiled.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SandboxedEnvironment, "compile", counting)
    monkeypatch.setattr(html_render, "_code_key", lambda: "newer")
    assert rendered() == first
    assert len(compiled) == len(entries(new_process))  # each compiled again, none read
    folders = sorted(p.name for p in (new_process / "backplan").iterdir())
    assert [f for f in folders if f.startswith("templates")] == ["templates-newer"]


def test_the_code_key_changes_with_this_module_or_jinja(monkeypatch):
    stamped = []
    monkeypatch.setattr(html_render, "code_stamp", lambda paths: stamped.extend(paths) or "x")
    html_render._code_key.cache_clear()
    try:
        assert html_render._code_key() == "x"
    finally:
        html_render._code_key.cache_clear()
    names = [p.name for p in stamped]
    assert names == ["html.py", "__init__.py"] and stamped[1].parent.name == "jinja2"


@pytest.mark.parametrize(
    "options",
    [
        RenderOptions(lang="es"),
        RenderOptions(paper="a4"),
        RenderOptions(large_print=True),
        RenderOptions(lang="es", paper="a4", large_print=True),
    ],
    ids=["spanish", "a4", "large-print", "all-three"],
)
def test_language_paper_and_large_print_never_come_from_the_cache(
    options, new_process, tmp_path_factory, monkeypatch
):
    rendered(RenderOptions())  # the English letter page's compiled templates are kept
    warm = rendered(options)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cold")))
    cold = rendered(options)  # compiled from scratch
    assert warm == cold
    assert warm != rendered(RenderOptions())


def test_a_clinic_template_comes_first_and_its_edits_show(new_process, tmp_path):
    built_in = rendered()  # the built-in footer is compiled and kept
    footer = tmp_path / "_footer.html.j2"
    footer.write_text("<footer>first words</footer>")
    options = RenderOptions(templates_dir=tmp_path)
    assert "<footer>first words</footer>" in rendered(options)
    footer.write_text("<footer>other words</footer>")  # the same length
    page = rendered(options)
    assert "<footer>other words</footer>" in page and "first words" not in page
    assert rendered() == built_in  # and the built-in one is still the built-in one


def test_no_cache_folder_means_compiling_each_time(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    try:
        page = rendered()
    finally:
        html_render.environment.cache_clear()
    assert "<footer" in page and not (tmp_path / "a-file" / "backplan").exists()
