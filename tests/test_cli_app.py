"""The top-level command: version, help, `python -m backplan`, and docs that match the commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from backplan import __version__
from backplan.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _commands(group: typer.Typer, prefix: str = "") -> list[tuple[str, typer.models.CommandInfo]]:
    found = []
    for info in group.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        found.append((f"{prefix}{name}", info))
    for sub in group.registered_groups:
        found += _commands(sub.typer_instance, f"{prefix}{sub.name} ")
    return found


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"backplan {__version__}"


def test_python_dash_m_runs_the_same_app():
    proc = subprocess.run(
        [sys.executable, "-m", "backplan", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"backplan {__version__}"


def test_no_arguments_shows_help_not_a_traceback():
    result = runner.invoke(app, [])
    assert "Usage" in result.output
    assert "Traceback" not in result.output


def test_every_command_has_help_text():
    commands = _commands(app)
    assert len(commands) >= 8
    for name, info in commands:
        doc = info.help or (info.callback.__doc__ or "")
        assert doc.strip(), f"`backplan {name}` has no help text"
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Usage" in result.output


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _ in _commands(app):
        assert re.search(rf"backplan {re.escape(name)}\b", readme), (
            f"README never shows `backplan {name}`"
        )


def test_unknown_command_is_a_usage_error():
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code == 2
