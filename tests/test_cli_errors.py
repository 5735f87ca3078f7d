"""User errors become a message and an exit code, never a traceback; Ctrl-C exits 130."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from backplan.cli.errors import handle_errors
from backplan.errors import BackplanError, Problem

app = typer.Typer()


@app.command()
@handle_errors
def run(what: str) -> None:
    """A command that fails the way it is told to."""
    if what == "one":
        raise BackplanError("no such file: a.yaml")
    if what == "many":
        raise BackplanError(
            [Problem("a.yaml", 1, 2, "first"), Problem("a.yaml", 3, 4, "second")],
            title="The file has problems",
            exit_code=1,
        )
    if what == "interrupt":
        raise KeyboardInterrupt
    raise RuntimeError("a real bug keeps its traceback")


def test_one_problem_is_one_plain_line_and_exit_2():
    result = CliRunner().invoke(app, ["one"])
    assert result.exit_code == 2
    assert result.stderr == "Error: no such file: a.yaml\n"


def test_several_problems_are_listed_under_the_title_with_their_exit_code():
    result = CliRunner().invoke(app, ["many"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "The file has problems:",
        "a.yaml:1:2: first",
        "a.yaml:3:4: second",
    ]
    assert "Traceback" not in result.output


def test_ctrl_c_exits_130_saying_nothing_was_saved():
    result = CliRunner().invoke(app, ["interrupt"])
    assert result.exit_code == 130
    assert "nothing was saved" in result.stderr


def test_a_bug_is_not_disguised_as_a_user_error():
    result = CliRunner().invoke(app, ["bug"])
    assert isinstance(result.exception, RuntimeError)
