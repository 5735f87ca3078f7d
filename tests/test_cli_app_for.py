"""`main` parses with an app holding only the command named first (`app_for`): the same usage,
help and errors as the whole app, which `--help`, root options and unknown names still get."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app, app_for

runner = CliRunner()

SAME = [
    ["plan", "--help"],
    ["plan", "--bogus"],
    ["plan", "--max-exercises", "x"],
    ["exercises", "--help"],
    ["exercises", "list", "--help"],
    ["exercises", "lst"],
    ["clinic"],
    ["log", "add", "--help"],
    ["session", "--help"],
    ["doctor", "--help"],
    ["protocols", "list"],
]


@pytest.mark.parametrize("args", SAME, ids=" ".join)
def test_the_one_command_app_says_what_the_whole_app_says(args):
    whole = runner.invoke(app, args)
    one = runner.invoke(app_for(args), args)
    assert (one.exit_code, one.output) == (whole.exit_code, whole.output)


def test_the_one_command_app_holds_only_the_command_named():
    one = app_for(["plan", "--answers", "a.yaml"])
    assert [c.name for c in one.registered_commands] == ["plan"]
    assert one.registered_groups == []
    group = app_for(["exercises", "list"])
    assert [g.name for g in group.registered_groups] == ["exercises"]
    assert group.registered_commands == []


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["pla"], ["-h", "plan"]])
def test_no_command_named_first_gets_the_whole_app(args):
    assert app_for(args) is app
