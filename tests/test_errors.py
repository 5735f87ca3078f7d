"""Problems print as `path:line:column: message`, with as much of the place as is known."""

from __future__ import annotations

from pathlib import Path

from backplan.errors import EXIT_USAGE, BackplanError, Problem, display_path


def test_a_problem_names_path_line_and_column():
    assert (
        str(Problem("ex.yaml", 3, 7, "unknown key `stpes`")) == "ex.yaml:3:7: unknown key `stpes`"
    )


def test_a_problem_without_column_or_line_or_path_drops_only_what_is_unknown():
    assert str(Problem("ex.yaml", 3, None, "bad")) == "ex.yaml:3: bad"
    assert str(Problem("ex.yaml", None, None, "bad")) == "ex.yaml: bad"
    assert str(Problem(message="bad")) == "bad"


def test_problems_sort_by_file_then_line_then_column():
    found = sorted([Problem("b", 1, 1, "x"), Problem("a", 9, 1, "x"), Problem("a", 2, 5, "x")])
    assert [(p.path, p.line) for p in found] == [("a", 2), ("a", 9), ("b", 1)]


def test_an_error_keeps_every_problem_and_defaults_to_the_usage_exit_code():
    exc = BackplanError([Problem("a", 1, 1, "one"), Problem("b", 2, 2, "two")], title="T")
    assert exc.exit_code == EXIT_USAGE
    assert str(exc) == "a:1:1: one\nb:2:2: two"
    assert BackplanError("plain words", exit_code=1).exit_code == 1


def test_display_path_is_relative_inside_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "lib" / "a.yaml") == str(Path("lib") / "a.yaml")
    assert display_path("/elsewhere/a.yaml") == "/elsewhere/a.yaml"
