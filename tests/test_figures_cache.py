"""The drawn-figure cache: a pose drawn once is read back, not drawn again; anything the
drawing depends on (pose, title, language, size, the drawing code) gives its own entry; a
broken or unwritable cache costs only time."""

from __future__ import annotations

from pathlib import Path

import pytest

from backplan.figures import cache as figure_cache
from backplan.figures import figure_for, render_pose
from backplan.figures.pose import Pose
from backplan.library.catalogue import load_library


@pytest.fixture(autouse=True)
def _empty_cache(fresh_cache):
    """Each test counts the drawings it made: a cache folder of its own, empty."""
    return fresh_cache


@pytest.fixture(scope="module")
def poses() -> list[Pose]:
    library = load_library([])
    found = [e.pose for e in library.exercises.values() if isinstance(e.pose, Pose)]
    assert len(found) >= 2
    return found[:2]


@pytest.fixture
def draws():
    """A stand-in for `render_pose` that records each drawing it makes."""
    made: list[tuple[str, str, bool]] = []

    def draw(pose: Pose, title: str, lang: str, small: bool) -> str:
        made.append((title, lang, small))
        return f'<svg xmlns="http://www.w3.org/2000/svg"><title>{title}</title></svg>'

    draw.made = made  # type: ignore[attr-defined]
    return draw


def cached_files() -> list[Path]:
    return sorted(figure_cache._folder().glob("*.svg"))


def test_a_pose_drawn_once_is_read_back_the_same(poses, draws):
    first = figure_cache.drawn(draws, poses[0], "Bird dog", "en", False)
    second = figure_cache.drawn(draws, poses[0], "Bird dog", "en", False)
    assert second == first and draws.made == [("Bird dog", "en", False)]
    assert len(cached_files()) == 1


def test_everything_a_drawing_depends_on_has_its_own_entry(poses, draws):
    figure_cache.drawn(draws, poses[0], "Bird dog", "en", False)
    figure_cache.drawn(draws, poses[1], "Bird dog", "en", False)  # another pose
    figure_cache.drawn(draws, poses[0], "Perro pájaro", "en", False)  # another title
    figure_cache.drawn(draws, poses[0], "Bird dog", "es", False)  # another language
    figure_cache.drawn(draws, poses[0], "Bird dog", "en", True)  # a warm-up's size
    assert len(draws.made) == 5 and len(cached_files()) == 5


def test_changed_drawing_code_draws_anew_and_drops_the_old_drawings(poses, draws, monkeypatch):
    figure_cache.drawn(draws, poses[0], "Bird dog", "en", False)
    old = figure_cache._folder()
    monkeypatch.setattr(figure_cache, "_code_key", lambda: "other-code")
    figure_cache.drawn(draws, poses[0], "Bird dog", "en", False)
    assert len(draws.made) == 2
    assert not old.exists() and len(cached_files()) == 1


def test_the_code_key_covers_every_module_of_the_figures_package():
    package = Path(figure_cache.__file__).parent
    assert (package / "svg.py").is_file() and (package / "scene.py").is_file()
    key = figure_cache._code_key()
    figure_cache._code_key.cache_clear()
    assert figure_cache._code_key() == key  # the same source, the same key


@pytest.mark.parametrize("broken", ["", "<svg", "not a drawing at all", "\udcff"])
def test_a_broken_entry_is_drawn_again(poses, draws, broken):
    figure_cache.drawn(draws, poses[0], "Bird dog", "en", False)
    (entry,) = cached_files()
    entry.write_bytes(broken.encode("utf-8", "surrogateescape"))
    again = figure_cache.drawn(draws, poses[0], "Bird dog", "en", False)
    assert again.endswith("</svg>") and len(draws.made) == 2
    assert entry.read_text(encoding="utf-8") == again  # and written back whole


def test_an_unwritable_cache_still_draws(poses, draws, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert figure_cache.drawn(draws, poses[0], "Bird dog", "en", False).endswith("</svg>")
    assert figure_cache.drawn(draws, poses[0], "Bird dog", "en", False).endswith("</svg>")
    assert len(draws.made) == 2


def test_an_exercise_figure_draws_through_the_cache(poses):
    library = load_library([])
    exercise = next(e for e in library.exercises.values() if isinstance(e.pose, Pose))
    name = exercise.text("en").name
    figure = figure_for(exercise, library.folder_of(exercise.id), "en")
    assert figure is not None and figure.draw is not None
    svg = figure.svg_markup()
    assert svg == render_pose(exercise.pose, name, "en", exercise.kind == "warmup")
    assert [p.read_text(encoding="utf-8") for p in cached_files()] == [svg]
    assert figure.svg_markup() == svg  # now read from the cache
