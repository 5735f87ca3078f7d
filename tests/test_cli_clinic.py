from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.clinic.profile import clinic_template_text, default_clinic_path

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


ANSWERS = __import__("pathlib").Path(__file__).parent / "data" / "answers"


def large(page: str) -> bool:
    return __import__("re").search(r'<body class="[^"]*\blarge-print\b', page) is not None


def test_an_unfilled_profile_warns_and_prints_no_made_up_clinic():
    runner.invoke(app, ["clinic", "init"])
    for answers, code in (("plan-home.yaml", 0), ("stop-sharp-pain.yaml", 3)):
        result = runner.invoke(app, ["plan", "-a", str(ANSWERS / answers), "--format", "html"])
        assert result.exit_code == code, result.output
        assert "warning" in result.stderr and "clinic name" in result.stderr
        assert "FILL IN" not in result.stdout and "555-0100" not in result.stdout
    page = runner.invoke(app, ["plan", "-a", str(ANSWERS / "plan-home.yaml"), "-f", "html"])
    assert "Stop and call your chiropractor if" in page.stdout


def test_the_profile_sets_paper_and_large_print_and_an_option_wins(tmp_path):
    profile = tmp_path / "clinic.yaml"
    profile.write_text("name: Bayside\nphone: 305-555-0142\npaper: a4\nlarge_print: true\n")
    base = ["plan", "-a", str(ANSWERS / "plan-home.yaml"), "-f", "html", "--clinic", str(profile)]
    page = runner.invoke(app, base).stdout
    assert "size: A4" in page and large(page) and "Bayside" in page
    assert "size: letter" in runner.invoke(app, [*base, "--paper", "letter"]).stdout


def test_large_print_from_the_option_or_the_answers_file(tmp_path):
    plain = ["plan", "-a", str(ANSWERS / "plan-home.yaml"), "-f", "html"]
    assert not large(runner.invoke(app, plain).stdout)
    assert large(runner.invoke(app, [*plain, "--large-print"]).stdout)
    answers = tmp_path / "answers.yaml"
    answers.write_text((ANSWERS / "plan-home.yaml").read_text() + "large_print: true\n")
    assert large(runner.invoke(app, ["plan", "-a", str(answers), "-f", "html"]).stdout)


def test_batch_large_print_per_row_and_by_option(tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "- {patient: {name: Ana Big}, sharp_pain: false, pain: 2, red_flags: [],"
        " large_print: true}\n"
        "- {patient: {name: Bo Small}, sharp_pain: false, pain: 2, red_flags: []}\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "html", "-j", "1"])
    assert result.exit_code == 0, result.output
    pages = {p.name.split("-")[0]: p.read_text() for p in out.glob("*.html")}
    assert large(pages["ana"]) and not large(pages["bo"])
    again = tmp_path / "again"
    runner.invoke(
        app, ["batch", str(roster), "-o", str(again), "-f", "html", "-j", "1", "--large-print"]
    )
    assert all(large(p.read_text()) for p in again.glob("*.html"))


def test_a_template_reaching_for_the_shell_exits_2_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "_footer.html.j2").write_text(
        "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}"
    )
    answers = ANSWERS / "plan-home.yaml"
    result = runner.invoke(
        app, ["plan", "-a", str(answers), "-f", "html", "--templates", str(folder)]
    )
    assert result.exit_code == 2 and "refused" in result.stderr
    assert "Traceback" not in result.output and not marker.exists()


def test_the_profile_option_is_called_clinic_as_in_plan_and_batch(tmp_path):
    path = tmp_path / "clinic.yaml"
    result = runner.invoke(app, ["clinic", "init", "--clinic", str(path)])
    assert result.exit_code == 0, result.output
    assert f"backplan clinic show --clinic {path}" in " ".join(result.output.split())
    result = runner.invoke(app, ["clinic", "show", "--clinic", str(path)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "FILL IN" in result.output
    for command in ("init", "show"):
        shown = runner.invoke(app, ["clinic", command, "--help"], env={"COLUMNS": "120"}).output
        assert "--clinic" in shown
        assert "--path" not in shown  # still read, no longer taught


def test_every_command_names_the_clinic_profile_option_the_same():
    import typer

    from backplan.cli.app import app as root

    group = typer.main.get_command(root)
    seen = 0
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subs = command.commands.values() if hasattr(command, "commands") else [command]
        for sub in subs:
            for param in sub.params:
                if param.name == "clinic" or "--clinic" in getattr(param, "opts", []):
                    assert param.opts == ["--clinic"], (name, sub.name, param.opts)
                    seen += 1
    assert seen >= 4  # plan, batch, clinic init, clinic show


def test_show_prints_no_padding_spaces_when_piped():
    runner.invoke(app, ["clinic", "init"])
    default_clinic_path().write_text("name: Bayside\nphone: 305-555-0142\n")
    result = runner.invoke(app, ["clinic", "show"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Bayside" in result.stdout
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []
