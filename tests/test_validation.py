"""pydantic errors turned into located, plain-words problems."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from backplan.files.problems import closest, misspelt_fields, suggest, validate
from backplan.files.yaml_source import parse_yaml
from backplan.library.model import Dose, Exercise, Vocabulary

ORIGINAL = "id: a\nname: A\nkind: original\npattern: hinge\nproblem: P.\nsource: S.\n"


def messages(model, text: str) -> list[str]:
    instance, problems = validate(model, parse_yaml(text, "x.yaml"))
    assert instance is None
    return [str(p) for p in problems]


def test_a_valid_document_gives_the_instance_and_no_problems():
    instance, problems = validate(Exercise, parse_yaml(ORIGINAL, "x.yaml"))
    assert problems == []
    assert instance.id == "a"


def test_unknown_key_suggests_the_nearest_or_lists_the_allowed_ones():
    got = messages(Dose, "sets: 2\nrep: 10\ncolour: red\n")
    assert got == [
        "x.yaml:2:1: unknown key `rep`; did you mean `reps`?",
        "x.yaml:3:1: unknown key `colour`; the keys allowed here are: sets, reps, hold_s, "
        "rest_s, per_side, days_per_week, minutes",
    ]


def test_unknown_key_inside_a_dict_of_models_knows_the_models_fields():
    got = messages(Exercise, ORIGINAL + "translations:\n  es:\n    nmae: B\n")
    assert got == ["x.yaml:9:5: unknown key `nmae` in `translations.es`; did you mean `name`?"]


def test_missing_field_points_at_the_mapping():
    got = messages(Exercise, "id: a\nkind: original\npattern: hinge\nproblem: P.\nsource: S.\n")
    assert got == ["x.yaml:1:1: missing required field `name` (add a `name:` line)"]


def test_nested_missing_field_names_its_mapping():
    got = messages(Exercise, ORIGINAL + "progression:\n  to: b\n")
    assert got == [
        "x.yaml:8:3: missing required field `when` in `progression` (add a `when:` line)"
    ]


def test_a_misspelt_key_is_not_also_reported_missing():
    got = messages(Exercise, ORIGINAL + "progression: {to: b, wehn: later}\n")
    assert got == ["x.yaml:7:22: unknown key `wehn` in `progression`; did you mean `when`?"]


def test_each_field_a_kind_needs_is_its_own_problem():
    text = "id: a\nname: A\nkind: modified\npattern: hinge\nsteps: []\nsource: S.\n"
    assert messages(Exercise, text) == [
        "x.yaml:1:1: missing required field `replaces` (needed for kind modified)",
        "x.yaml:1:1: missing required field `why` (needed for kind modified)",
        "x.yaml:1:1: missing required field `dose` (needed for kind modified)",
        "x.yaml:5:1: `steps` is empty; an exercise of kind modified needs it filled in",
    ]


def test_wrong_types_say_what_was_expected():
    got = messages(Exercise, "id: a\nname: 12\nkind: original\npattern: hinge\nproblem: [x]\n")
    assert got == [
        "x.yaml:1:1: missing required field `source` (add a `source:` line)",
        "x.yaml:2:7: `name` must be text, not 12 (put it in quotes to keep it as text)",
        "x.yaml:5:10: `problem` must be text, not a list",
    ]


def test_whole_number_and_boolean_wording():
    got = messages(Dose, "sets: two\nreps: 2.5\nper_side: maybe\n")
    assert got == [
        "x.yaml:1:7: `sets` must be a whole number written with digits, like 2, not 'two'",
        "x.yaml:2:7: `reps` must be a whole number written with digits, like 2, not 2.5",
        "x.yaml:3:11: `per_side` must be true or false, not 'maybe'",
    ]


def test_empty_values_say_where_to_write():
    got = messages(Exercise, ORIGINAL.replace("name: A", "name:") + "cues:\n  -\n")
    assert got == [
        "x.yaml:2:6: `name` has no value; write it after the colon, or remove the line",
        "x.yaml:8:4: `cues[0]` has no value; write it after the `-`, or remove the line",
    ]


def test_a_choice_suggests_the_nearest():
    got = messages(Exercise, ORIGINAL.replace("kind: original", "kind: orignal"))
    assert got == [
        "x.yaml:3:7: `kind` is 'orignal'; did you mean `original`? use one of: original, "
        "modified, standalone, warmup"
    ]


def test_an_id_in_the_wrong_form_gets_a_corrected_one():
    got = messages(Exercise, ORIGINAL.replace("id: a", "id: Wall Sit_2"))
    assert got == [
        "x.yaml:1:5: `id` is 'Wall Sit_2'; ids are lowercase words joined by hyphens: "
        "write `wall-sit-2`"
    ]


def test_a_dict_key_in_the_wrong_form_is_located_at_the_key():
    got = messages(Vocabulary, "equipment:\n  Foam Roller: {label: a foam roller}\n")
    assert got == [
        "x.yaml:2:3: the key 'Foam Roller' in `equipment` is not a valid id; ids are lowercase "
        "words joined by underscores: write `foam_roller`"
    ]


def test_union_keeps_the_branch_that_fits_the_value():
    got = messages(Exercise, ORIGINAL + "equipment:\n  - [mat, Big Towel]\n  - 5\n")
    assert got == [
        "x.yaml:8:11: `equipment[0][1]` is 'Big Towel'; ids are lowercase words joined by "
        "underscores: write `big_towel`",
        "x.yaml:9:5: `equipment[1]` must be text or a list, not 5",
    ]


def test_bounds_and_lengths():
    got = messages(Dose, "sets: 0\nreps: 10\ndays_per_week: 8\n")
    assert got == [
        "x.yaml:1:7: `sets` is 0; it must be at least 1",
        "x.yaml:3:16: `days_per_week` is 8; it must be at most 7",
    ]
    long_id = "a" * 81
    got = messages(Exercise, ORIGINAL.replace("id: a", f"id: {long_id}"))
    assert got == ["x.yaml:1:5: `id` is 81 characters long; the limit is 80, so shorten it"]


def test_a_model_rule_keeps_its_own_words():
    assert messages(Dose, "sets: 2\n") == ["x.yaml:1:1: give `reps`, `hold_s` or `minutes`"]


def test_a_link_must_be_a_full_link():
    got = messages(Exercise, ORIGINAL + "video: youtu.be/x\n")
    assert got == ["x.yaml:7:8: `video` is 'youtu.be/x'; give a full link starting with https://"]


def test_the_top_level_must_be_a_mapping():
    assert messages(Exercise, "- a\n- b\n") == [
        "x.yaml:1:1: the file must be a mapping of `key: value` lines, not a list"
    ]


def test_a_key_given_twice_is_reported_with_the_rest():
    got = messages(Exercise, ORIGINAL + "name: B\n")
    assert got == [
        "x.yaml:7:1: `name` is given twice (first on line 2): line 2 says 'A', line 7 says 'B';"
        " keep the right one"
    ]


def test_validate_a_part_of_the_document():
    source = parse_yaml("exercise:\n  sets: 2\n  reps: x\n", "x.yaml")
    instance, problems = validate(Dose, source, ("exercise",))
    assert instance is None
    assert [str(p) for p in problems] == [
        "x.yaml:3:9: `reps` must be a whole number written with digits, like 2, not 'x'"
    ]
    source = parse_yaml("exercise: [1]\n", "x.yaml")
    _, problems = validate(Dose, source, ("exercise",))
    assert [str(p) for p in problems] == [
        "x.yaml:1:11: `exercise` must be a mapping of `key: value` lines, not a list"
    ]


def test_problems_come_in_file_order():
    _, problems = validate(Exercise, parse_yaml("source: 1\nname: 2\nid: A\n", "x.yaml"))
    lines = [p.line for p in problems]
    assert lines == sorted(lines)


def test_a_model_without_nested_models():
    class Small(BaseModel):
        model_config = ConfigDict(extra="forbid")
        colour: str

    # the misspelt key explains the missing field, so only one problem
    assert messages(Small, "color: red\n") == [
        "x.yaml:1:1: unknown key `color`; did you mean `colour`?"
    ]


def test_suggest_and_closest():
    assert suggest("dumbell", ["dumbbell", "mat"]) == "; did you mean `dumbbell`?"
    assert suggest("zzz", ["dumbbell", "mat"]) == ""
    assert closest("hing", ["hinge", "squat"]) == "hinge"
    assert closest("", ["hinge"]) is None


def test_misspelt_fields():
    assert misspelt_fields({"steeps": [], "name": "x", "zzz": 1}, Exercise) == {"steps"}


# -- issue 18: errors in users' words ----------------------------------------------------------


def test_a_suggestion_comes_from_the_same_vocabulary_and_only_when_likely():
    from backplan.files.problems import closest

    equipment = ["mat", "wall", "stability_ball", "towel", "resistance_band"]
    assert closest("ball", equipment) == "stability_ball"  # a whole part of one id
    assert closest("band", equipment) == "resistance_band"
    assert closest("towle", equipment) == "towel"
    assert closest("ball", ["wall", "mat"]) is None  # a real word, not a typo of `wall`
    assert closest("nmae", ["name", "purpose"]) == "name"


def test_a_clinic_profile_hours_error_is_in_plain_words():
    from backplan.clinic.profile import Clinic

    got = messages(Clinic, "name: A\nhours: 9-5\n")
    assert got == [
        "x.yaml:2:8: `hours` must be a list (one `- item` per line, or [a, b]), not '9-5'; "
        "each item is a mapping, like `- days: ...` with `times: ...`"
    ]
    assert not any("Input should be" in m for m in got)


def test_a_bad_date_is_in_plain_words():
    from backplan.intake.answers import Clearance

    got = messages(Clearance, "by: Dr. Ruiz\non: last tuesday\nreasons: [history_of_cancer]\n")
    assert got == [
        "x.yaml:2:5: `on` must be a date written YYYY-MM-DD, like 2026-03-02, not 'last tuesday'"
    ]
