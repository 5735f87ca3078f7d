import json
import sys

import pytest

from backplan import doctor
from backplan.doctor import Fact, gather, problems, to_dict


def by_name(facts):
    return {(f.section, f.name): f for f in facts}


def test_reports_versions_of_backplan_and_its_libraries():
    from backplan import __version__

    facts = by_name(gather())
    assert facts[("versions", "backplan")].value == __version__
    for shown, _ in doctor.PACKAGES:
        assert ("versions", shown) in facts
    assert facts[("versions", "pyyaml")].value[0].isdigit()


def test_a_missing_package_is_a_problem_with_a_hint(monkeypatch):
    monkeypatch.setattr(doctor, "PACKAGES", (("nothere", "backplan-no-such-dist"),))
    fact = by_name(doctor._versions())[("versions", "nothere")]
    assert fact.value == "not installed"
    assert fact.ok is False
    assert "pip install backplan-no-such-dist" in fact.hint


def test_yaml_loader_is_named():
    fact = by_name(gather())[("yaml", "loader")]
    assert fact.value.startswith(("CSafeLoader", "SafeLoader"))
    assert fact.ok is fact.value.startswith("CSafeLoader")


def test_pango_and_subsetting_follow_weasyprint_ffi():
    from weasyprint.text import ffi as wffi

    facts = by_name(gather())
    v = wffi.pango.pango_version()
    assert facts[("text", "pango")].value == f"{v // 10000}.{v // 100 % 100}.{v % 100}"
    uses_hb = wffi.harfbuzz_subset is not None and wffi.harfbuzz.hb_version_atleast(4, 1, 0)
    subsetting = facts[("text", "font subsetting")]
    assert subsetting.ok is bool(uses_hb)
    assert subsetting.value.startswith("HarfBuzz" if uses_hb else "fontTools")


def test_without_harfbuzz_subset_says_how_to_install_it(monkeypatch):
    from weasyprint.text import ffi as wffi

    monkeypatch.setattr(wffi, "harfbuzz_subset", None)
    fact = by_name(doctor._text_facts())[("text", "font subsetting")]
    assert fact.ok is False
    assert fact.value.startswith("fontTools")
    assert "libharfbuzz-subset0" in fact.hint


def test_a_weasyprint_that_cannot_load_is_reported_not_raised(monkeypatch):
    import weasyprint.text

    monkeypatch.delattr(weasyprint.text, "ffi")
    monkeypatch.setitem(sys.modules, "weasyprint.text.ffi", None)  # import now fails
    assert "halted" in doctor.weasyprint_libraries()["error"]
    facts = by_name(doctor._text_facts())
    assert facts[("text", "weasyprint")].ok is False
    assert facts[("text", "weasyprint")].value.startswith("cannot load: ModuleNotFoundError")
    assert "libpango" in facts[("text", "weasyprint")].hint


def test_atkinson_fonts_are_found():
    fonts = doctor.atkinson_font_files()
    assert {f.stem for f in fonts} >= {"AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"}
    fact = by_name(gather())[("fonts", "Atkinson Hyperlegible")]
    assert fact.ok is True
    assert "Regular" in fact.value


def test_missing_fonts_are_a_problem(monkeypatch):
    monkeypatch.setattr(doctor, "atkinson_font_files", list)
    (fact,) = doctor._font_facts()
    assert fact.ok is False
    assert "fontpkg-atkinson-hyperlegible" in fact.hint


def test_paths_are_the_platform_folders_under_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    profile = tmp_path / "config" / "backplan" / "clinic.yaml"
    profile.parent.mkdir(parents=True)
    profile.write_text("name: x\n")
    facts = by_name(doctor._path_facts())
    assert facts[("paths", "config folder")].value == str(tmp_path / "config" / "backplan")
    assert facts[("paths", "clinic profile")].value == f"{profile} (found)"
    database = tmp_path / "data" / "backplan" / "log.sqlite3"
    assert facts[("paths", "session log")].value == f"{database} (none yet)"


def test_paths_agree_with_the_modules_that_own_them():
    from backplan.clinic.profile import default_clinic_path
    from backplan.home.logdb import default_db_path

    assert doctor.clinic_profile_path() == default_clinic_path()
    assert doctor.log_database_path() == default_db_path()


def test_library_counts_the_builtin_exercise_files():
    from backplan.library.catalogue import exercise_files
    from backplan.resources import builtin_exercises_dir

    facts = by_name(gather())
    assert facts[("library", "built-in folder")].value == str(builtin_exercises_dir())
    count = len(exercise_files(builtin_exercises_dir()))
    assert facts[("library", "exercise files")].value == str(count)


def test_to_dict_groups_by_section_and_is_json():
    facts = [Fact("a", "x", "1"), Fact("a", "y", "2", ok=False, hint="fix"), Fact("b", "z", "3")]
    data = to_dict(facts)
    assert data == {
        "a": {
            "x": {"value": "1", "ok": None, "hint": ""},
            "y": {"value": "2", "ok": False, "hint": "fix"},
        },
        "b": {"z": {"value": "3", "ok": None, "hint": ""}},
    }
    assert json.loads(json.dumps(data)) == data
    assert problems(facts) == [facts[1]]


def test_without_pango_a_pdf_is_doctors_message_not_a_traceback(no_pango):
    """Issue 18: the OSError of a missing Pango becomes a user error (exit 2) in doctor's words."""
    from backplan.doctor import PANGO_HINT, gather, load_weasyprint, problems
    from backplan.errors import BackplanError

    with pytest.raises(BackplanError) as caught:
        load_weasyprint()
    assert caught.value.exit_code == 2
    said = [str(p) for p in caught.value.problems]
    assert f"weasyprint: {PANGO_HINT}" in said
    assert any("libpango-1.0-0" in line for line in said)
    # doctor, in the same process, names the same fact with the same hint
    (fact,) = [f for f in problems(gather()) if f.name == "weasyprint"]
    assert f"{fact.name}: {fact.hint}" == f"weasyprint: {PANGO_HINT}"
