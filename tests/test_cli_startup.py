"""What `main` does to start quickly: it parses with an app holding only the command named
first (`app_for`), with the same usage, help and errors as the whole app, which `--help`, root
options and unknown names still get; and it pauses the cyclic garbage collector for a one-off
command, leaving it as it found it."""

from __future__ import annotations

import gc
import os
import sys

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app, app_for, main

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


@pytest.mark.parametrize("collecting", [True, False])
def test_main_leaves_the_collector_as_it_found_it(monkeypatch, capsys, collecting):
    monkeypatch.setattr(sys, "argv", ["backplan", "--version"])
    seen = []
    monkeypatch.setattr(
        "backplan.cli.app.app_for", lambda args: lambda: seen.append(gc.isenabled())
    )
    (gc.enable if collecting else gc.disable)()
    try:
        with pytest.raises(SystemExit) as done:
            main()
        assert (done.value.code, gc.isenabled()) == (0, collecting)
        assert seen == [False]  # a one-off command ran without it
    finally:
        gc.enable()


def test_a_batch_keeps_the_collector(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["backplan", "batch", "--help"])
    seen = []
    monkeypatch.setattr(
        "backplan.cli.app.app_for", lambda args: lambda: seen.append(gc.isenabled())
    )
    gc.enable()
    with pytest.raises(SystemExit):
        main()
    assert seen == [True] and gc.isenabled()


@pytest.mark.parametrize(("given", "kept"), [(None, "__all__"), ("logfire", "logfire")])
def test_main_turns_off_pydantic_plugins_unless_told_otherwise(monkeypatch, given, kept):
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "placeholder")  # restored after the test
    if given is None:
        monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS")
    else:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", given)
    monkeypatch.setattr(sys, "argv", ["backplan", "--version"])
    monkeypatch.setattr("backplan.cli.app.app_for", lambda args: lambda: None)
    try:
        with pytest.raises(SystemExit):
            main()
    finally:
        gc.enable()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == kept
