import pytest

from backplan.clinic.profile import (
    Clinic,
    clinic_template_text,
    default_clinic_path,
    load_clinic,
    read_clinic,
)
from backplan.errors import BackplanError


def write(tmp_path, text, name="clinic.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_starter_profile_loads_and_marks_what_to_fill_in(tmp_path):
    path = write(tmp_path, clinic_template_text())
    clinic = read_clinic(path)
    assert clinic.placeholder_fields() == ["name", "address", "phone"]
    assert clinic.logo is None and clinic.templates is None
    warnings = []
    # an unfilled name means no profile: the handout never prints a made-up clinic
    assert load_clinic(path, warn=warnings.append) is None
    assert len(warnings) == 1 and "clinic name" in warnings[0] and "clinic.yaml" in warnings[0]


@pytest.mark.parametrize(
    "text",
    [
        "name: Bayside\nphone: 555-0100\naddress: 1 Main Street, Springfield\n",
        'name: Bayside\nphone: "FILL IN: the phone patients call"\naddress: "FILL IN: x"\n',
    ],
)
def test_made_up_phone_and_address_are_left_off_with_a_warning(tmp_path, text):
    warnings = []
    clinic = load_clinic(write(tmp_path, text), warn=warnings.append)
    assert clinic.name == "Bayside" and clinic.phone is None and clinic.address is None
    assert len(warnings) == 1 and "`address`, `phone`" in warnings[0]


def test_the_old_starter_profile_is_a_placeholder_too(tmp_path):
    old = "name: Your Clinic Name\nphone: 555-0100\n"
    assert load_clinic(write(tmp_path, old), warn=lambda _m: None) is None


def test_profile_defaults_and_spanish_hours(tmp_path):
    clinic = load_clinic(
        write(
            tmp_path,
            "name: Bayside\npaper: a4\nlang: es\nlarge_print: true\nhours:\n"
            "  - days: Mon, Wed, Fri\n    times: '9:00 am-12:30 pm, 3:30 pm-7:00 pm'\n"
            "    translations: {es: {days: 'lun, mié, vie', times: '9:00-12:30, 15:30-19:00'}}\n"
            "  - {days: Sat, times: '9:00-13:00'}\n",
        )
    )
    assert (clinic.paper, clinic.lang, clinic.large_print) == ("a4", "es", True)
    assert clinic.hours_in("es") == [
        ("lun, mié, vie", "9:00-12:30, 15:30-19:00"),
        ("Sat", "9:00-13:00"),
    ]
    assert clinic.hours_in("en")[0] == ("Mon, Wed, Fri", "9:00 am-12:30 pm, 3:30 pm-7:00 pm")
    with pytest.raises(BackplanError, match="paper"):
        load_clinic(write(tmp_path, "name: Bayside\npaper: a5\n"))


def test_no_default_profile_means_none():
    assert not default_clinic_path().exists()
    assert load_clinic(None) is None


def test_default_profile_is_read_when_present():
    path = default_clinic_path()
    path.parent.mkdir(parents=True)
    path.write_text("name: Default Clinic\n")
    assert load_clinic(None).name == "Default Clinic"


def test_logo_and_templates_are_relative_to_the_profile(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "tpl").mkdir()
    clinic = load_clinic(write(tmp_path, "name: A\nlogo: logo.png\ntemplates: tpl\n"))
    assert clinic.logo == (tmp_path / "logo.png").resolve()
    assert clinic.templates == (tmp_path / "tpl").resolve()


def test_problems_have_file_line_and_column(tmp_path):
    path = write(
        tmp_path,
        "name: A\nphon: 555\nhours:\n  - days: Sat\n    times: 9:00\nlogo: missing.png\n",
    )
    with pytest.raises(BackplanError) as info:
        load_clinic(path)
    messages = [str(p) for p in info.value.problems]
    assert any(
        m.endswith("clinic.yaml:2:1: unknown key `phon`; did you mean `phone`?") for m in messages
    )
    # base 60 never applies (yamlsource): an unquoted 9:00 is the text 9:00, not a problem
    assert not any("hours" in m for m in messages)


def test_missing_logo_and_folder_are_reported_with_lines(tmp_path):
    path = write(tmp_path, "name: A\nlogo: missing.png\ntemplates: nowhere\n")
    with pytest.raises(BackplanError) as info:
        load_clinic(path)
    lines = {(p.line, p.message.split(":")[0]) for p in info.value.problems}
    assert lines == {(2, "`logo`"), (3, "`templates`")}


def test_logo_must_be_an_image(tmp_path):
    write(tmp_path, "x", "logo.txt")
    with pytest.raises(BackplanError, match="`logo` must be one of"):
        load_clinic(write(tmp_path, "name: A\nlogo: logo.txt\n"))


def test_phone_typed_as_a_number_is_still_text():
    assert Clinic.model_validate({"name": "A", "phone": 5550100}).phone == "5550100"


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(BackplanError, match="no such clinic profile"):
        load_clinic(tmp_path / "nope.yaml")
