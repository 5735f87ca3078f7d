"""`--help` and the terminal plan import only what they use (issue 19: start-up cost).

Each check runs in a fresh interpreter, so modules other tests imported do not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ANSWERS = Path(__file__).parent / "data" / "answers" / "plan-home.yaml"
# Libraries that serve only the handout, the calendar or the figures.
HEAVY = ("weasyprint", "jinja2", "icalendar", "backplan.render.html", "backplan.figures.scene")

RUN = """
import json, sys
from backplan.cli.app import main
sys.argv = ["backplan", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + " CODE " + str(code) + "\\n")
"""


def imported(args: list[str], tmp_path: Path) -> tuple[set[str], str]:
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "COLUMNS": "100",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    tail = done.stderr.rsplit("MODULES ", 1)[1]
    modules, code = tail.rsplit(" CODE ", 1)
    return set(json.loads(modules)), code.strip()


def test_importing_the_app_imports_no_renderer_or_babel():
    code = (
        "import json, sys, backplan.cli.app;"
        "print(json.dumps([m for m in sys.modules if m.split('.')[0] in "
        "('weasyprint', 'jinja2', 'babel', 'icalendar', 'pydantic')]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_help_imports_no_renderer_or_babel(tmp_path):
    modules, code = imported(["--help"], tmp_path)
    assert code == "0"
    assert not {m for m in modules if m.split(".")[0] in ("weasyprint", "jinja2", "babel")}


def test_the_terminal_plan_imports_nothing_only_a_file_output_needs(tmp_path):
    modules, code = imported(["plan", "--answers", str(ANSWERS)], tmp_path)
    assert code == "0"
    assert "backplan.render.terminal" in modules  # it did print the plan
    assert not [m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")]
    assert not [m for m in modules if m.split(".")[0] == "babel"]  # the date without Babel


def test_the_html_plan_on_standard_output_imports_no_rich(tmp_path):
    """The page's bytes go straight to stdout: Rich's console (about 16 ms) is for the terminal."""
    modules, code = imported(["plan", "--answers", str(ANSWERS), "-f", "html"], tmp_path)
    assert code == "0"
    assert "backplan.render.html" in modules  # it did render the page
    assert not [m for m in modules if m.split(".")[0] == "rich"]


def test_the_html_plan_to_a_file_imports_no_rich(tmp_path):
    out = tmp_path / "plan.html"
    modules, code = imported(["plan", "--answers", str(ANSWERS), "-o", str(out)], tmp_path)
    assert code == "0" and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not [m for m in modules if m.split(".")[0] == "rich"]
