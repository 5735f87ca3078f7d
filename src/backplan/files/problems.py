"""Turning pydantic's validation errors into plain-words problems with file:line:column.

Each message names the field, says what is wrong and how to fix it; the wording is aimed at
clinic staff editing YAML, not at programmers.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from backplan.errors import Problem
from backplan.files.yaml_source import Loc, Source

_KEY = "[key]"  # pydantic's marker for "the key of this dict entry", not its value

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (one `- item` per line, or [a, b])",
    "tuple_type": "a list (one `- item` per line, or [a, b])",  # a tuple is a list in YAML
    "date_type": "a date written YYYY-MM-DD, like 2026-03-02",
    "date_parsing": "a date written YYYY-MM-DD, like 2026-03-02",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD, like 2026-03-02",
    "date_from_datetime_inexact": "a date written YYYY-MM-DD, like 2026-03-02",
    "dict_type": "a mapping (`key: value` lines)",
    "model_type": "a mapping (`key: value` lines)",
    "model_attributes_type": "a mapping (`key: value` lines)",
}
_SHORT_TYPE_WORDS = {
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}
_ID_PATTERNS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": ("-", "hyphens", "cable-pull-through"),
    r"^[a-z0-9]+(_[a-z0-9]+)*$": ("_", "underscores", "stability_ball"),
}
_BOUNDS = {
    "greater_than_equal": "at least",
    "less_than_equal": "at most",
    "greater_than": "more than",
    "less_than": "less than",
}


def validate(model: type[BaseModel], source: Source, prefix: Loc = ()) -> tuple[Any, list[Problem]]:
    """Validate `source.data` (or the part at `prefix`) as `model`: (instance or None, problems).

    With problems the instance is None, so callers can test either. Problems found while
    reading the file (a key given twice) are included when validating the whole document.
    """
    early = list(source.problems) if not prefix else []
    data: Any = source.data
    for part in prefix:
        data = data[part]
    if not isinstance(data, dict):
        where = "the file" if not prefix else f"`{_loc_text(prefix)}`"
        return None, [
            *early,
            source.problem(
                prefix, f"{where} must be a mapping of `key: value` lines, not {_show(data)}"
            ),
        ]
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        return None, early + problems_from(exc, source, model, prefix)
    return (None, early) if early else (instance, [])


def problems_from(
    exc: ValidationError, source: Source, model: type[BaseModel], prefix: Loc = ()
) -> list[Problem]:
    """One problem per distinct mistake, in file order, worded for people editing YAML."""
    data: Any = source.data
    for part in prefix:
        data = data[part]
    errors = _pick_union_branches(
        [_Error(dict(err), data) for err in exc.errors(include_url=False)]
    )
    typos = _typos(errors, model)
    problems: dict[tuple[Loc, str], Problem] = {}
    for error in errors:
        if error.type == "missing" and error.loc in typos:
            continue  # "unknown key `wehn`; did you mean `when`?" says it already
        for problem in _problems(error, source, model, prefix):
            problems.setdefault((error.loc, problem.message), problem)
    return sorted(problems.values(), key=lambda p: (p.line or 0, p.column or 0))


def _typos(errors: list[_Error], model: type[BaseModel]) -> set[Loc]:
    """Where an unknown key looks like a misspelling of a known field (loc of that field)."""
    out = set()
    for error in errors:
        if error.type == "extra_forbidden":
            close = closest(str(error.loc[-1]), _known_fields(model, error.loc[:-1]))
            if close:
                out.add((*error.loc[:-1], close))
    return out


def misspelt_fields(data: dict[str, Any], model: type[BaseModel]) -> set[str]:
    """Fields of `model` that an unknown key of `data` seems to misspell."""
    fields = model.model_fields
    return {c for key in data if key not in fields if (c := closest(str(key), fields))}


def suggest(word: str, choices: Iterable[str]) -> str:
    """`; did you mean `x`?` for the closest choice, or an empty string."""
    close = closest(word, choices)
    return f"; did you mean `{close}`?" if close else ""


SIMILAR_ENOUGH = 0.6  # difflib's ratio for a likely typo (`steeps`/`steps`, `nmae`/`name`)
SIMILAR_ANYWAY = 0.8  # ... and for one whose first letter differs too (`ball`/`wall`: 0.75, no)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most likely meant: the one choice that has `word` as a whole part (`ball`
    in `stability_ball`), else a close one that starts like it (people seldom mistype the
    first letter), else a very close one. None when nothing is close enough."""
    options = [str(c) for c in choices]
    text = str(word).casefold()
    parts = [c for c in options if text in re.split(r"[_\-\s]+", c.casefold()) and c != text]
    if len(parts) == 1:
        return parts[0]
    for found in difflib.get_close_matches(str(word), options, n=5, cutoff=SIMILAR_ENOUGH):
        same_start = found[:1].casefold() == text[:1]
        if same_start or difflib.SequenceMatcher(None, text, found).ratio() >= SIMILAR_ANYWAY:
            return found
    return None


class _Error:
    """A pydantic error with its location split into the path in the data and union branches."""

    def __init__(self, err: dict[str, Any], data: Any) -> None:
        self.type: str = err["type"]
        self.msg: str = err["msg"]
        self.input: Any = err.get("input")
        self.ctx: dict[str, Any] = err.get("ctx") or {}
        raw = tuple(err["loc"])
        loc: list[str | int] = []
        self.branch: str | None = None
        self.branch_at: Loc = ()
        self.after_branch: Loc = ()
        self.key = False
        node = data
        for i, part in enumerate(raw):
            last = i == len(raw) - 1
            if part == _KEY:
                self.key = True
            elif _has(node, part):
                loc.append(part)
                node = node[part]
            elif last and self.type in ("missing", "extra_forbidden"):
                loc.append(part)
            elif self.branch is None and isinstance(part, str):
                # pydantic names the union member it tried ('constrained-str', 'list[...]')
                self.branch = part
                self.branch_at = tuple(loc)
                self.after_branch = tuple(p for p in raw[i + 1 :] if p != _KEY)
            else:
                loc.append(part)
        self.loc: Loc = tuple(loc)

    @property
    def shallow_type_error(self) -> bool:
        return not self.after_branch and self.type in _TYPE_WORDS


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _pick_union_branches(errors: list[_Error]) -> list[_Error]:
    """Keep the union member that matched the value's shape; merge pure type mismatches."""
    out: list[_Error] = []
    groups: dict[Loc, list[_Error]] = {}
    for error in errors:
        if error.branch is None:
            out.append(error)
        else:
            groups.setdefault(error.branch_at, []).append(error)
    for errs in groups.values():
        branches: dict[str, list[_Error]] = {}
        for error in errs:
            branches.setdefault(error.branch or "", []).append(error)
        deep = [b for b in branches.values() if not all(e.shallow_type_error for e in b)]
        if deep:
            out.extend(deep[0])
        else:
            first = errs[0]
            first.ctx = {"expected": [b[0].type for b in branches.values()]}
            first.type = "union_type"
            out.append(first)
    return out


def _loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _problems(error: _Error, source: Source, model: type[BaseModel], prefix: Loc) -> list[Problem]:
    loc = error.loc
    full = (*prefix, *loc)
    name = _loc_text(loc)
    kind = error.type
    got = _show(error.input)

    if kind == "missing_for_kind":
        kind = error.ctx["kind"]
        return [missing_for_kind_problem(source, full, f, kind) for f in error.ctx["fields"]]
    if error.key:
        return [source.problem(full, _key_message(error, _loc_text(loc[:-1])), key=True)]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _known_fields(model, loc[:-1])
        close = closest(key, known)
        if close:
            hint = f"; did you mean `{close}`?"
        elif known:
            hint = f"; the keys allowed here are: {', '.join(known)}"
        else:
            hint = ""
        where = f" in `{_loc_text(loc[:-1])}`" if loc[:-1] else ""
        return [source.problem(full, f"unknown key `{key}`{where}{hint}", key=True)]
    if kind == "missing":
        where = f" in `{_loc_text(loc[:-1])}`" if loc[:-1] else ""
        return [
            source.problem(
                full[:-1], f"missing required field `{loc[-1]}`{where} (add a `{loc[-1]}:` line)"
            )
        ]
    if kind == "union_type":
        words = " or ".join(
            dict.fromkeys(_SHORT_TYPE_WORDS.get(t, "text") for t in error.ctx["expected"])
        )
        return [source.problem(full, f"`{name}` must be {words}, not {got}")]
    if kind in _TYPE_WORDS:
        in_list = bool(loc) and isinstance(loc[-1], int)
        items = _known_fields(model, (*loc, 0)) if kind in ("list_type", "tuple_type") else None
        return [source.problem(full, _type_message(kind, name, error.input, in_list, items))]
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(error.ctx.get("expected", "")))
        close = closest(str(error.input), choices)
        hint = f"did you mean `{close}`? " if close else ""
        return [source.problem(full, f"`{name}` is {got}; {hint}use one of: {', '.join(choices)}")]
    if kind == "string_pattern_mismatch":
        return [source.problem(full, _pattern_message(name, error))]
    if kind in _BOUNDS:
        bound = next(iter(error.ctx.values()), "")
        return [source.problem(full, f"`{name}` is {got}; it must be {_BOUNDS[kind]} {bound}")]
    if kind == "string_too_short":
        return [source.problem(full, f"`{name}` is empty; write something or remove the line")]
    if kind == "string_too_long":
        limit = error.ctx.get("max_length")
        return [
            source.problem(
                full,
                f"`{name}` is {len(str(error.input)):,} characters long; "
                f"the limit is {limit:,}, so shorten it",
            )
        ]
    if kind == "value_error":
        msg = str(error.ctx.get("error", error.msg))
        return [source.problem(full, msg if not loc else f"`{name}`: {msg}")]
    if error.msg.startswith("Input should be "):  # pydantic's words, put as ours
        return [source.problem(full, f"`{name}` must be {error.msg[16:]}, not {got}")]
    return [source.problem(full, f"`{name}`: {error.msg}")]


def missing_for_kind_problem(source: Source, mapping: Loc, field: str, kind: str) -> Problem:
    """A field that this kind of exercise needs: absent (at the mapping) or empty (at its key)."""
    if (*mapping, field) in source.keys:
        return source.problem(
            (*mapping, field),
            f"`{field}` is empty; an exercise of kind {kind} needs it filled in",
            key=True,
        )
    return source.problem(mapping, f"missing required field `{field}` (needed for kind {kind})")


def _type_message(
    kind: str, name: str, value: Any, in_list: bool, item_fields: list[str] | None = None
) -> str:
    if value is None:
        where = "`-`" if in_list else "colon"
        return f"`{name}` has no value; write it after the {where}, or remove the line"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"`{name}` must be a whole number written with digits, like 2, not {_show(value)}"
    message = f"`{name}` must be {_TYPE_WORDS[kind]}, not {_show(value)}"
    if kind in ("list_type", "tuple_type") and item_fields:
        # a list of mappings: show the shape of one item
        first, *rest = item_fields
        message += f"; each item is a mapping, like `- {first}: ...`" + "".join(
            f" with `{f}: ...`" for f in rest[:1]
        )
    if kind == "string_type" and not isinstance(value, list | dict):
        return message + " (put it in quotes to keep it as text)"
    return message


def _key_message(error: _Error, name: str) -> str:
    key = _show(error.input)
    if error.type == "string_pattern_mismatch":
        pattern = error.ctx.get("pattern", "")
        if pattern in _ID_PATTERNS:
            sep, words, example = _ID_PATTERNS[pattern]
            return (
                f"the key {key} in `{name}` is not a valid id; ids are lowercase words joined "
                f"by {words}: write `{_slug(str(error.input), sep) or example}`"
            )
    if error.type == "literal_error":
        choices = re.findall(r"'([^']*)'", str(error.ctx.get("expected", "")))
        return f"the key {key} in `{name}` is not allowed; use one of: {', '.join(choices)}"
    return f"the key {key} in `{name}`: {error.msg}"


def _pattern_message(name: str, error: _Error) -> str:
    pattern = str(error.ctx.get("pattern", ""))
    got = _show(error.input)
    if pattern in _ID_PATTERNS:
        sep, words, example = _ID_PATTERNS[pattern]
        fixed = _slug(str(error.input), sep)
        return (
            f"`{name}` is {got}; ids are lowercase words joined by {words}: "
            f"write `{fixed or example}`"
        )
    if "http" in pattern:
        return f"`{name}` is {got}; give a full link starting with https://"
    return f"`{name}` is {got}; it does not have the expected form"


def _slug(text: str, sep: str) -> str:
    return re.sub(r"[^a-z0-9]+", sep, text.lower()).strip(sep)


def _show(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return str(value).lower()
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _known_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names allowed in the mapping at `loc`, when a model describes it."""
    candidates: list[Any] = [model]
    for part in loc:
        following: list[Any] = []
        for annotation in candidates:
            for option in _options(annotation):
                origin = typing.get_origin(option)
                if isinstance(option, type) and issubclass(option, BaseModel):
                    field = option.model_fields.get(str(part))
                    if field is not None:
                        following.append(field.annotation)
                elif origin is dict:
                    following.append(typing.get_args(option)[1])
                elif origin in (list, tuple) and isinstance(part, int):
                    following.append(typing.get_args(option)[0])  # tuple[X, ...] too
        candidates = following
    for annotation in candidates:
        for option in _options(annotation):
            if isinstance(option, type) and issubclass(option, BaseModel):
                return list(option.model_fields)
    return []


def _options(annotation: Any) -> list[Any]:
    """The members of a union (or the annotation itself), with `Annotated` unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _options(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return [o for arg in typing.get_args(annotation) for o in _options(arg)]
    return [annotation]
