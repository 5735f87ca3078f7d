"""The safe YAML reader: positions, limits, and a clear message for every way a file can be bad."""

from __future__ import annotations

import pytest

from backplan.errors import BackplanError
from backplan.files.yaml_source import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    dump_yaml,
    load_yaml,
    parse_yaml,
    read_text,
    to_json,
)

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def error_of(text: str) -> str:
    with pytest.raises(BackplanError) as info:
        parse_yaml(text, "x.yaml")
    assert len(info.value.problems) == 1
    return str(info.value.problems[0])


def test_positions_of_values_and_keys():
    source = parse_yaml("id: a\nsteps:\n  - one\n  - two\ndose: {sets: 2}\n", "x.yaml")
    assert source.data == {"id": "a", "steps": ["one", "two"], "dose": {"sets": 2}}
    assert source.values[("id",)] == (1, 5)
    assert source.keys[("steps",)] == (2, 1)
    assert source.values[("steps", 1)] == (4, 5)
    assert source.values[("dose", "sets")] == (5, 14)
    assert source.position(("dose", "sets", "deeper")) == (5, 14)  # nearest known ancestor
    assert source.position(("steps",), key=True) == (2, 1)


def test_problem_is_located():
    source = parse_yaml("id: a\nname: b\n", "x.yaml")
    assert str(source.problem(("name",), "bad")) == "x.yaml:2:7: bad"
    assert str(source.problem(("name",), "bad", key=True)) == "x.yaml:2:1: bad"


def test_scalars_resolve_like_yaml_but_keys_stay_text():
    source = parse_yaml(
        "n: 12\nq: '12'\nb: true\nd: 2020-01-02\nnull_: ~\n1: one\nyes: two\nt: !!str 5\n",
        "x.yaml",
    )
    assert source.data == {
        "n": 12,
        "q": "12",
        "b": True,
        "d": "2020-01-02",  # a date stays text: pydantic reads it where a date is wanted
        "null_": None,
        "1": "one",
        "yes": "two",
        "t": "5",
    }


def test_block_text_is_text():
    source = parse_yaml("why: >-\n  12 and\n  more\nwho: |\n  true\n", "x.yaml")
    assert source.data == {"why": "12 and more", "who": "true\n"}


def test_key_given_twice_is_a_problem_but_reading_goes_on():
    source = parse_yaml("name: a\nid: b\nname: c\n", "x.yaml")
    assert source.data == {"name": "a", "id": "b"}
    assert [str(p) for p in source.problems] == [
        "x.yaml:3:1: `name` is given twice (first on line 1): line 1 says 'a', line 3 says 'c';"
        " keep the right one"
    ]


def test_a_safety_answer_given_twice_shows_both_values():
    source = parse_yaml("sharp_pain: false\npain: 2\nsharp_pain: true\n", "a.yaml")
    assert [str(p) for p in source.problems] == [
        "a.yaml:3:1: `sharp_pain` is given twice (first on line 1): line 1 says false, "
        "line 3 says true; keep the right one"
    ]


def test_billion_laughs_is_refused_at_the_first_anchor():
    assert error_of(BILLION_LAUGHS) == (
        "x.yaml:1:4: YAML anchors and aliases (& and *) are not allowed; write the value out"
    )


def test_an_alias_alone_is_refused():
    assert error_of("a: 1\nb: *x\n") == (
        "x.yaml:2:4: YAML anchors and aliases (& and *) are not allowed; write the value out"
    )


def test_too_many_values():
    text = "[" + ",".join(["0"] * (MAX_NODES + 1)) + "]"
    assert f"the file has more than {MAX_NODES:,} values, the limit" in error_of(text)


def test_too_deep():
    depth = MAX_DEPTH + 5
    assert f"nested more than {MAX_DEPTH} levels deep" in error_of("[" * depth + "]" * depth)


def test_empty_and_comment_only_files():
    assert error_of("") == "x.yaml:1:1: the file is empty; it needs `key: value` lines"
    assert error_of("  \n\n") == "x.yaml:1:1: the file is empty; it needs `key: value` lines"
    assert error_of("# nothing\n") == (
        "x.yaml:1:1: the file has only comments; it needs `key: value` lines"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a:\n\t- b\n",
            "x.yaml:2:1: YAML syntax error: found character that cannot start any "
            "token (indent with spaces, not tabs)",
        ),
        (
            "why: Note: this\n",
            "x.yaml:1:10: YAML syntax error: mapping values are not allowed "
            "in this context (put quotes around text that contains a colon)",
        ),
        ("a: [1, 2\n", "YAML syntax error"),
    ],
)
def test_syntax_errors_say_where_and_how_to_fix(text, expected):
    assert expected in error_of(text)


def test_a_second_document_is_refused():
    assert error_of("a: 1\n---\nb: 2\n") == (
        "x.yaml:2:1: a second document starts here; one exercise per file: split the file at "
        "the `---`"
    )


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object:os.system echo\n", "!!python/object:os.system"),
        ("a: !!set {x}\n", "!!set"),
        ("a: !custom 1\n", "!custom"),
    ],
)
def test_unsafe_or_unknown_tags_are_noted_and_never_constructed(text, tag):
    # Noted, not raised: the rest of the file (a stop among it) must still be read (issue 13.1).
    source = parse_yaml(text, "x.yaml")
    assert any(f"the YAML tag `{tag}` is not allowed here" in p.message for p in source.problems)
    assert source.problems[0].line == 1
    assert isinstance(source.data["a"], str | dict)


def test_a_list_as_a_key_is_refused():
    assert "a key must be a plain word" in error_of("? [a, b]\n: c\n")


def test_read_text_refuses_a_file_over_1_mib(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES)
    with pytest.raises(BackplanError) as info:
        read_text(big, what="exercise file")
    assert info.value.problems[0].message == (
        "the whole exercise file is larger than 1 MiB, the limit; split it into smaller files"
    )


def test_read_text_accepts_exactly_1_mib(tmp_path):
    ok = tmp_path / "ok.yaml"
    ok.write_bytes(b"a" * MAX_FILE_BYTES)
    assert len(read_text(ok)) == MAX_FILE_BYTES


def test_non_utf8_says_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes("id: x\nname: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(BackplanError) as info:
        load_yaml(bad)
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (2, 10)
    assert "not UTF-8 text (byte 0xe9 here)" in problem.message
    assert "save it with the UTF-8 encoding" in problem.message


def test_a_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffname: Café\n".encode())
    assert load_yaml(path).data == {"name": "Café"}


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(BackplanError, match="no such exercise file"):
        load_yaml(tmp_path / "nope.yaml", what="exercise file")
    with pytest.raises(BackplanError, match="is a folder, not a file"):
        load_yaml(tmp_path)


def test_load_yaml_shows_the_path_it_is_given(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("a: [\n")
    with pytest.raises(BackplanError) as info:
        load_yaml(path, shown="clinic/a.yaml")
    assert info.value.problems[0].path == "clinic/a.yaml"


def test_dump_and_json_keep_unicode():
    data = {"name": "Peso muerto", "nota": "sí", "n": [1, 2]}
    assert parse_yaml(dump_yaml(data), "x").data == data
    assert '"sí"' in to_json(data)
