"""Hostile or careless input gets a clear error with file and line, never a crash or a hang."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app

runner = CliRunner()

ANSWERS = "patient: {name: Ana}\nsharp_pain: false\npain: 3\nred_flags: []\n"


def _plan(tmp_path, monkeypatch, extra: str, *args: str):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(ANSWERS + extra)
    return runner.invoke(app, ["plan", "--answers", "a.yaml", *args])


@pytest.mark.parametrize(
    "value",
    ["/etc/passwd", "../exercises/protocols/home-starter.yaml", '"a\\0b"', "x" * 300, "fifo"],
)
def test_a_protocol_is_a_name_never_a_path(tmp_path, monkeypatch, value):
    os.mkfifo(tmp_path / "fifo")  # reading it would wait forever
    result = _plan(tmp_path, monkeypatch, f"protocol: {value}\n")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "a.yaml:5:11: " in result.stderr
    assert "home-starter" in result.stderr  # the known names
    assert "root:" not in result.output  # nothing of the file is quoted


def test_protocol_option_takes_names_only(tmp_path, monkeypatch):
    result = _plan(tmp_path, monkeypatch, "", "--protocol", "/etc/passwd")
    assert result.exit_code == 2
    assert "--protocol: `/etc/passwd` is not a protocol name" in result.stderr
    assert "root:" not in result.output


def test_a_roster_rows_protocol_path_fails_that_row_at_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(
        "- {patient: {name: Ana}, sharp_pain: false, pain: 2, red_flags: []}\n"
        "- {patient: {name: Bo}, sharp_pain: false, pain: 2, red_flags: [], protocol: /etc/passwd}\n"
    )
    result = runner.invoke(app, ["batch", "r.yaml", "-o", "out", "-f", "json"])
    assert result.exit_code == 1, result.output
    assert "r.yaml:2:" in result.stdout.replace("\n", "")
    assert "root:" not in result.output
