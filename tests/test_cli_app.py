"""The top-level command: version, help, `python -m backplan`, and docs that match the commands."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
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


def _readme_blocks(lang: str) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", readme, flags=re.S)


# Commands that need a person at the keyboard, or files a reader brings (a roster, a clinic
# folder): the rest of the README's examples must run as written.
_NEEDS_A_PERSON_OR_THEIR_FILES = ("roster.csv", "my-clinic", "session", "--protocol")


@pytest.mark.pdf
def test_the_readme_examples_run(tmp_path, monkeypatch):
    import shlex

    sample = next(b for b in _readme_blocks("yaml") if "sharp_pain" in b)
    (tmp_path / "ana.yaml").write_text(sample, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    commands = [
        line.split("#")[0].strip()
        for block in _readme_blocks("sh")
        for line in block.splitlines()
        if line.startswith("backplan ")
    ]
    ran = 0
    for command in commands:
        interview = command.startswith("backplan plan") and "--answers" not in command
        if interview or any(s in command for s in _NEEDS_A_PERSON_OR_THEIR_FILES):
            continue
        argv = shlex.split(command.split(">")[0])[1:]
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, f"{command}\n{result.output}"
        assert "Traceback" not in result.output
        ran += 1
    assert ran >= 15
    assert (tmp_path / "ana.pdf").stat().st_size > 10_000
    assert (tmp_path / "ana.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def _run_with_stdout(args: list[str], stdout) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backplan", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize(("answers", "code"), [("plan-home.yaml", 2), ("stop-emergency.yaml", 4)])
def test_a_full_stdout_is_a_message_and_exit_2_but_a_stop_keeps_its_code(answers, code):
    with open("/dev/full", "w") as full:
        done = _run_with_stdout(
            ["plan", "--answers", str(ROOT / "tests/data/answers" / answers)], full
        )
    assert "Traceback" not in done.stderr
    assert "could not write the output: No space left on device" in done.stderr
    assert done.returncode == code


@pytest.mark.parametrize(("answers", "code"), [("plan-home.yaml", 2), ("stop-emergency.yaml", 4)])
def test_a_closed_pipe_is_a_message_not_a_traceback(answers, code):
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head -1` that has already gone
    with os.fdopen(write_end, "w") as pipe:
        done = _run_with_stdout(
            ["plan", "--answers", str(ROOT / "tests/data/answers" / answers)], pipe
        )
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert "could not write the output: Broken pipe" in done.stderr
    assert done.returncode == code


def test_guarded_output_remembers_the_first_failure_and_drops_the_rest():
    from backplan.cli.streams import GuardedOutput

    class Full(io.StringIO):
        def write(self, text):
            raise OSError(28, "No space left on device")

    guard = GuardedOutput(Full())
    assert guard.write("plan") == 4
    guard.write("more")
    guard.flush()
    assert guard.failure is not None and guard.failure.errno == 28


def test_shell_completion_is_offered_and_completes_commands():
    """Issue 18: `--install-completion` / `--show-completion`, and the completion itself."""
    shown = runner.invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert "--install-completion" in shown.output
    assert "--show-completion" in shown.output
    script = runner.invoke(app, ["--show-completion", "bash"])
    assert script.exit_code == 0
    assert "_backplan_completion" in script.output
    done = runner.invoke(
        app,
        [],
        prog_name="backplan",
        env={"_BACKPLAN_COMPLETE": "complete_bash", "COMP_WORDS": "backplan pl", "COMP_CWORD": "1"},
    )
    assert done.output.split() == ["plan"]
    values = runner.invoke(
        app,
        [],
        prog_name="backplan",
        env={
            "_BACKPLAN_COMPLETE": "complete_bash",
            "COMP_WORDS": "backplan plan --format ",
            "COMP_CWORD": "3",
        },
    )
    assert "ics" in values.output.split()
    assert "pdf" in values.output.split()


def test_help_with_completion_on_stays_lazy():
    """Issue 18: completion is on, and `backplan --help` still loads no pipeline module."""
    code = (
        "import sys\n"
        "from backplan.cli.app import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pydantic', 'weasyprint', 'jinja2', 'backplan.intake.answers',\n"
        "         'backplan.render', 'backplan.intake.interview', 'yaml') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in done.stdout, done.stdout[-300:] + done.stderr[-300:]
