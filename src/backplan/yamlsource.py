"""Reading YAML safely and remembering where every value came from.

Safety: only the safe loader (libyaml's CSafeLoader when present), no aliases or anchors
(a "billion laughs" file is refused before anything walks it), a cap on file size and on
the number of nodes. Positions: every value and every mapping key keeps its line and column,
so validation errors can say `file:line:column`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from backplan.errors import BackplanError, Problem, display_path

try:  # libyaml is several times faster; PyYAML without it still works.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: far above any real exercise, answers or roster row
MAX_NODES = 200_000

Loc = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed document with the position of each value (`values`) and mapping key (`keys`)."""

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of `loc`, or of its nearest ancestor that we know."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        while True:
            if loc in self.values:
                return self.values[loc]
            if loc in self.keys:
                return self.keys[loc]
            if not loc:
                return (None, None)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, col = self.position(loc, key=key)
        return Problem(self.path, line, col, message)


def read_text(path: Path, *, what: str = "file") -> str:
    """Read a UTF-8 text file under the size cap, or raise a BackplanError that says why not."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BackplanError(
                [
                    Problem(
                        shown,
                        None,
                        None,
                        f"the {what} is {size:,} bytes; the limit is 1 MiB "
                        "(split it into smaller files)",
                    )
                ]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BackplanError([Problem(shown, None, None, f"no such {what}")]) from None
    except IsADirectoryError:
        raise BackplanError([Problem(shown, None, None, f"is a folder, not a {what}")]) from None
    except PermissionError:
        raise BackplanError(
            [Problem(shown, None, None, "cannot read it: permission denied")]
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BackplanError(
            [Problem(shown, line, None, "is not UTF-8 text; save it as UTF-8 in your editor")]
        ) from None


def load_yaml(path: Path, *, what: str = "file", allow_json: bool = True) -> Source:
    """Parse a YAML (or JSON, which is YAML) file into a Source. Raises BackplanError."""
    text = read_text(path, what=what)
    return parse_yaml(text, display_path(path))


def parse_yaml(text: str, shown: str) -> Source:
    if not text.strip():
        raise BackplanError([Problem(shown, 1, 1, "the file is empty")])
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise BackplanError(
                    [Problem(shown, 1, 1, "the file has no content, only comments")]
                )
            source = Source(shown, None)
            _index(node, (), source, set(), [0])
            source.data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = exc.problem or exc.context or "invalid YAML"
        hint = _syntax_hint(msg)
        raise BackplanError(
            [
                Problem(
                    shown,
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
                    f"YAML syntax error: {msg}{hint}",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise BackplanError([Problem(shown, None, None, f"YAML error: {exc}")]) from None
    return source


def _syntax_hint(msg: str) -> str:
    if "tab" in msg:
        return " (indent with spaces, not tabs)"
    if "mapping values are not allowed" in msg:
        return " (put quotes around text that contains a colon)"
    if "could not find expected ':'" in msg:
        return " (each line of a mapping needs `key: value`)"
    return ""


def _index(node: yaml.Node, loc: Loc, source: Source, seen: set[int], count: list[int]) -> None:
    """Record positions; refuse aliases (a node met twice) and documents that are too large."""
    if id(node) in seen or getattr(node, "anchor", None):
        raise BackplanError(
            [
                Problem(
                    source.path,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    "YAML anchors and aliases (& and *) are not allowed; write the value out",
                )
            ]
        )
    seen.add(id(node))
    count[0] += 1
    if count[0] > MAX_NODES:
        raise BackplanError([Problem(source.path, None, None, "the file has too many values")])
    source.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if id(key_node) in seen:
                _index(key_node, loc, source, seen, count)  # raises
            seen.add(id(key_node))
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            child = (*loc, key)
            source.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _index(value_node, child, source, seen, count)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), source, seen, count)


def dump_yaml(data: Any) -> str:
    """YAML text for data we wrote ourselves (answers, clinic profiles): readable, unicode kept."""
    return yaml.dump(
        data,
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
