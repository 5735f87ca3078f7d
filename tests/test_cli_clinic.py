from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.clinic import clinic_template_text, default_clinic_path

runner = CliRunner()


def test_init_writes_the_starter_profile_to_the_config_folder():
    result = runner.invoke(app, ["clinic", "init"])
    assert result.exit_code == 0, result.output
    path = default_clinic_path()
    assert path.read_text() == clinic_template_text()
    assert "Wrote" in result.output and "backplan clinic show" in result.output


def test_init_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text("name: Mine\n")
    result = runner.invoke(app, ["clinic", "init", "--path", str(path)])
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert path.read_text() == "name: Mine\n"
    result = runner.invoke(app, ["clinic", "init", "--path", str(path), "--force"])
    assert result.exit_code == 0
    assert path.read_text() == clinic_template_text()


def test_show_prints_where_and_what():
    runner.invoke(app, ["clinic", "init"])
    path = default_clinic_path()
    path.write_text("name: Bayside\nhours:\n  - {days: Mon-Fri, times: '8:00-18:00'}\npaper: a4\n")
    result = runner.invoke(app, ["clinic", "show"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "clinic.yaml" in result.output
    assert "Bayside" in result.output and "a4" in result.output
    assert "Mon-Fri: 8:00-18:00" in result.output
    assert "Fill in" not in result.output


def test_show_marks_the_fields_still_to_fill_in():
    runner.invoke(app, ["clinic", "init"])
    result = runner.invoke(app, ["clinic", "show"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "Fill in: address, name, phone" in result.output
    assert "not filled in" in result.output


def test_show_without_a_profile_says_how_to_make_one():
    result = runner.invoke(app, ["clinic", "show"])
    assert result.exit_code == 2
    assert "no clinic profile" in result.output and "backplan clinic init" in result.output


def test_show_reports_problems_with_line_numbers(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text("name: A\nhourz: []\n")
    result = runner.invoke(app, ["clinic", "show", "--path", str(path)])
    assert result.exit_code == 2
    assert "clinic.yaml:2:1: unknown key `hourz`; did you mean `hours`?" in result.output
