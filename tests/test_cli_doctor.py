import json

from typer.testing import CliRunner

from backplan import doctor
from backplan.cli.app import app
from backplan.doctor import Fact

runner = CliRunner()


def test_doctor_prints_a_table_of_facts():
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    for word in ("backplan", "weasyprint", "pango", "font subsetting", "Atkinson", "config"):
        assert word in result.output


def test_doctor_json_is_parseable_and_complete():
    result = runner.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"versions", "yaml", "text", "fonts", "paths", "library"}
    assert data["versions"]["backplan"]["value"]
    assert isinstance(data["text"]["font subsetting"]["ok"], bool)


def test_doctor_lists_problems_with_their_hints(monkeypatch):
    facts = [
        Fact("text", "font subsetting", "fontTools (slower)", ok=False, hint="install it"),
        Fact("versions", "[bold]odd[/]", "1.0"),
    ]
    monkeypatch.setattr(doctor, "gather", lambda: facts)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "font subsetting: install it" in result.output
    assert "[bold]odd[/]" in result.output  # markup in a value is shown, not interpreted


def test_doctor_has_help():
    result = runner.invoke(app, ["doctor", "--help"])
    assert result.exit_code == 0
    assert "--json" in result.output
