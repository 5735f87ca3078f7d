"""Turning pydantic's validation errors into plain-words problems with file:line:column."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from backplan.errors import Problem
from backplan.yamlsource import Loc, Source

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (one `- item` per line, or [a, b])",
    "dict_type": "a mapping (`key: value` lines)",
    "model_type": "a mapping (`key: value` lines)",
    "model_attributes_type": "a mapping (`key: value` lines)",
}


def _loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _known_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names allowed at `loc` (the mapping that holds the unknown key), when we can tell."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            current = None
            break
        current = _model_in(field.annotation)
    return list(getattr(current, "model_fields", {}) or [])


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def problems_from(
    exc: ValidationError, source: Source, model: type[BaseModel], prefix: Loc = ()
) -> list[Problem]:
    """One problem per distinct location, in file order, worded for people editing YAML."""
    problems: dict[Loc, Problem] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
        full = (*prefix, *loc)
        if full in problems:
            continue  # a union reports each branch; the first says enough
        problems[full] = _problem(err, loc, full, source, model)
    return sorted(problems.values(), key=lambda p: (p.line or 0, p.column or 0))


def _is_union_tag(part: Any) -> bool:
    # pydantic names union branches in loc, e.g. 'list[str]' or 'str'; they mean nothing to users
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "bool"})


def _problem(
    err: dict[str, Any], loc: Loc, full: Loc, source: Source, model: type[BaseModel]
) -> Problem:
    kind = err["type"]
    name = _loc_text(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _known_fields(model, loc[:-1])
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = (
            f"; did you mean `{close[0]}`?"
            if close
            else (f"; known keys: {', '.join(known)}" if known else "")
        )
        return source.problem(full, f"unknown key `{key}`{hint}", key=True)
    if kind == "missing":
        return source.problem(full[:-1], f"missing required field `{loc[-1]}`")
    if kind in _TYPE_WORDS:
        got = err.get("input")
        return source.problem(full, f"`{name}` must be {_TYPE_WORDS[kind]}, not {_show(got)}")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return source.problem(full, f"`{name}` is {_show(err.get('input'))}; use one of {expected}")
    if kind == "string_pattern_mismatch":
        return source.problem(full, _pattern_message(name, err))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        ctx = err.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        words = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }[kind]
        return source.problem(
            full, f"`{name}` is {_show(err.get('input'))}; it must be {words} {bound}"
        )
    if kind == "string_too_short":
        return source.problem(full, f"`{name}` is empty; write something or remove the line")
    if kind == "string_too_long":
        return source.problem(full, f"`{name}` is too long; keep it under 2,000 characters")
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        return source.problem(full, msg if not loc else f"`{name}`: {msg}")
    return source.problem(full, f"`{name}`: {err['msg']}")


def _pattern_message(name: str, err: dict[str, Any]) -> str:
    pattern = err.get("ctx", {}).get("pattern", "")
    got = _show(err.get("input"))
    if "-" in pattern and "_" not in pattern:
        return f"`{name}` is {got}; ids are lowercase words joined by hyphens, like `cable-pull-through`"
    if "_" in pattern:
        return f"`{name}` is {got}; ids are lowercase words joined by underscores, like `stability_ball`"
    if "http" in pattern:
        return f"`{name}` is {got}; give a full link starting with https://"
    return f"`{name}` is {got}; it does not have the expected form"


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


def validate(model: type[BaseModel], source: Source, prefix: Loc = ()) -> tuple[Any, list[Problem]]:
    """Validate `source.data` (or the part at `prefix`) as `model`: (instance or None, problems)."""
    data: Any = source.data
    for part in prefix:
        data = data[part]
    if not isinstance(data, dict):
        return None, [
            source.problem(prefix, f"expected a mapping of `key: value` lines, found {_show(data)}")
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from(exc, source, model, prefix)


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""
