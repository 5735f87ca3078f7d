"""The shared consoles: what a person typed is printed as typed."""

from __future__ import annotations

from typer.testing import CliRunner

from backplan.cli.app import app

runner = CliRunner()


def test_emoji_codes_in_names_and_errors_are_printed_as_typed(tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        '- patient: {name: "Ana :x:"}\n  sharp_pain: false\n  pain: eleven\n  red_flags: []\n'
    )
    result = runner.invoke(app, ["batch", str(roster), "-o", str(tmp_path / "out"), "-f", "md"])
    # pain that cannot be read counts as severe: the row is a stop notice (exit 3), not a failure
    assert result.exit_code == 3, result.output
    assert "Ana :x:" in result.stdout
    assert "❌" not in result.output
