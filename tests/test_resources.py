"""The built-in exercises and templates are found wherever backplan runs from."""

from __future__ import annotations

import os
import subprocess
import sys

from backplan.resources import builtin_exercises_dir, builtin_templates_dir, package_data_dir


def test_the_packaged_folders_hold_what_the_tool_reads():
    assert (builtin_exercises_dir() / "vocabulary.yaml").is_file()
    assert any(builtin_exercises_dir().glob("*.yaml"))
    assert (builtin_templates_dir() / "handout.html.j2").is_file()
    assert (package_data_dir() / "questions.yaml").is_file()


def test_they_are_found_from_any_working_directory(tmp_path):
    code = "from backplan.resources import builtin_exercises_dir as d; print(d())"
    env = {**os.environ, "PYTHONSAFEPATH": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(builtin_exercises_dir())
