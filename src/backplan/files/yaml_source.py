"""Reading YAML safely and remembering where every value came from.

Safety: only safe tags (libyaml's parser when present), no anchors or aliases (a "billion
laughs" file is refused at its first `&`), caps on file size, node count and nesting depth,
all enforced while parsing so a hostile file never grows in memory. Positions: every value
and every mapping key keeps its line and column, so validation errors can say
`file:line:column`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import sys
import weakref
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
MAX_NODES = 100_000  # a real exercise file has about a hundred
MAX_DEPTH = 64  # deeper nesting is never meaningful here and would exhaust the stack

Loc = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class Source:
    """A parsed document with the position of each value (`values`) and mapping key (`keys`).

    `problems` holds mistakes found while reading that do not stop the reading (a key given
    twice); `validation.validate` reports them with the rest.
    """

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # A key given twice: the later values, by the key's location (the first is in `data`).
    # The safety reader takes the most urgent of them all (answers.safety_answers).
    again: dict[Loc, list[Any]] = field(default_factory=dict)

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


def _fail(shown: str, line: int | None, column: int | None, message: str) -> BackplanError:
    return BackplanError([Problem(shown, line, column, message)])


def read_text(path: Path, *, what: str = "file", shown: str | None = None) -> str:
    """Read a UTF-8 text file under the size cap, or raise a BackplanError that says why not.

    `shown` is the path as messages print it (default: relative to the working directory).
    """
    shown = shown if shown is not None else display_path(path)
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            # A named pipe or a device would wait for input for ever, or never end.
            raise _fail(
                shown,
                None,
                None,
                f"is not a regular file (a pipe or a device); give {'an' if what[:1] in 'aeiou' else 'a'} {what}",
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise _fail(shown, None, None, f"no such {what}") from None
    except IsADirectoryError:
        raise _fail(
            shown, None, None, f"is a folder, not {'an' if what[:1] in 'aeiou' else 'a'} {what}"
        ) from None
    except PermissionError:
        raise _fail(shown, None, None, "cannot read it: permission denied") from None
    except OSError as exc:
        raise _fail(shown, None, None, f"cannot read it: {exc.strerror or exc}") from None
    return decode_text(raw, what=what, shown=shown)


STDIN = "<stdin>"  # how messages name standard input (`--answers -`)


def is_stdin(path: Path | str | None) -> bool:
    """`-` given for a file: standard input (or standard output, for an output file)."""
    return path is not None and str(path) == "-"


_read_from: weakref.WeakKeyDictionary[Any, bytes] = weakref.WeakKeyDictionary()


def stdin_bytes() -> bytes:
    """Standard input's bytes (at most the cap and one byte), read once: a second reader (a
    stop looked for in a file that cannot be read as a whole) gets the same bytes."""
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    if stream not in _read_from:
        raw = stream.read(MAX_FILE_BYTES + 1)
        _read_from[stream] = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    return _read_from[stream]


def read_stdin(what: str = "file") -> str:
    """Standard input as text, under the same cap and checks as a file."""
    return decode_text(stdin_bytes(), what=what, shown=STDIN)


def load_yaml_or_stdin(path: Path, *, what: str = "file") -> Source:
    """`load_yaml`, with `-` read from standard input and named `<stdin>` in messages."""
    if is_stdin(path):
        return parse_yaml(read_stdin(what), STDIN)
    return load_yaml(path, what=what)


def decode_text(raw: bytes, *, what: str, shown: str) -> str:
    """Bytes read from a file or a pipe as UTF-8 text, or a BackplanError that says why not."""
    if len(raw) > MAX_FILE_BYTES:
        raise _fail(
            shown,
            None,
            None,
            f"the whole {what} is larger than 1 MiB, the limit; split it into smaller files",
        )
    unicode = _unicode_with_bom(raw)
    if unicode is not None:
        return unicode
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8", errors="replace")) + 1
        raise _fail(
            shown,
            line,
            column,
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} here); "
            "open it in your editor and save it with the UTF-8 encoding",
        ) from None


# Byte-order marks of the other Unicode encodings, UTF-32 first (its little-endian mark begins
# with UTF-16's). Windows editors and spreadsheets ("Unicode text") save UTF-16 with a mark.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _unicode_with_bom(raw: bytes) -> str | None:
    """A file in UTF-16 or UTF-32 that says so with its byte-order mark, as text; else None."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None  # the mark lied: reported as not UTF-8, like any other byte
    return None


def best_effort_text(raw: bytes) -> str:
    """Bytes as text whatever they are, for finding a stop in a file that cannot be read as
    a whole: UTF-16/32 by their mark, UTF-16 without one by its zero bytes, else UTF-8 with
    each bad byte replaced (a stop must be found even where the encoding is wrong)."""
    unicode = _unicode_with_bom(raw)
    if unicode is not None:
        return unicode
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    if len(raw) >= 4 and len(raw) % 2 == 0:
        # Every ASCII character of UTF-16 text has a zero byte on one side, and UTF-8 text
        # has none (a stray NUL aside): mostly zeros on one side is UTF-16.
        for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
            if zeros >= len(raw) // 8 and zeros >= 4 * others:  # a quarter of it ASCII
                try:
                    return raw.decode(encoding)
                except UnicodeDecodeError:
                    continue
    return raw.decode("utf-8-sig", errors="replace")


def load_yaml(
    path: Path, *, what: str = "file", allow_json: bool = True, shown: str | None = None
) -> Source:
    """Parse a YAML (or JSON, which is YAML) file into a Source. Raises BackplanError."""
    shown = shown if shown is not None else display_path(path)
    return parse_yaml(read_text(path, what=what, shown=shown), shown)


def parse_yaml(text: str, shown: str) -> Source:
    """Parse YAML text into a Source; `shown` is the path used in messages. Raises BackplanError."""
    if not text.strip():
        raise _fail(shown, 1, 1, "the file is empty; it needs `key: value` lines")
    source = Source(shown, None)
    loader = _Loader(text)
    try:
        source.data = _Builder(loader, source).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = exc.problem or exc.context or "invalid YAML"
        at = _char_at(text, mark.line, mark.column) if mark else ""
        raise _fail(
            shown,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
            f"YAML syntax error: {msg}{_syntax_hint(msg, at)}",
        ) from None
    except yaml.YAMLError as exc:
        # e.g. a control character libyaml refuses to read: its position is a character
        # offset, which we turn into the line and column an editor shows.
        position = getattr(exc, "position", None)
        character = getattr(exc, "character", None)
        if isinstance(position, int) and position >= 0:
            # libyaml counts UTF-8 bytes, PyYAML's own reader characters.
            before = (
                text[:position]
                if _Loader is yaml.SafeLoader
                else text.encode("utf-8")[:position].decode("utf-8", "ignore")
            )
            line = before.count("\n") + 1
            column = len(before) - (before.rfind("\n") + 1) + 1
            code = ord(character) if isinstance(character, str) else character
            what = f"U+{code:04X}" if isinstance(code, int) else "?"
            raise _fail(
                shown,
                line,
                column,
                f"the file contains a control character ({what}) that YAML does not allow; "
                "delete it (it often comes with text pasted from another program)",
            ) from None
        msg = " ".join(str(exc).split())
        raise _fail(shown, None, None, f"YAML error: {msg}") from None
    finally:
        loader.dispose()
    return source


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def _syntax_hint(msg: str, at: str = "") -> str:
    if "tab" in msg or at == "\t":
        return " (indent with spaces, not tabs)"
    if "mapping values are not allowed" in msg:
        return " (put quotes around text that contains a colon)"
    if "could not find expected ':'" in msg:
        return " (each line of a mapping needs `key: value`)"
    if "expected a single document" in msg or "but found '<document start>'" in msg:
        return " (one exercise per file: remove the `---` line and split the file)"
    if "did not find expected" in msg or "expected <block end>" in msg:
        return " (check the indentation: items of one list or mapping line up exactly)"
    return ""


class _Builder:
    """Turns parser events into plain data, recording positions and enforcing the caps.

    Working on events rather than composed nodes means an alias, an oversized or an overly
    deep document is refused before it is built.
    """

    def __init__(self, loader: Any, source: Source) -> None:
        self.loader = loader
        self.source = source
        self.count = 0
        self.get = loader.get_event
        self.values = source.values
        # First characters that may make a plain scalar a number, a boolean, null or a date;
        # any other plain scalar is text, and skipping the resolver for it halves the cost.
        self.special = set(loader.yaml_implicit_resolvers) - {None}

    def _error(self, event: yaml.Event, message: str) -> BackplanError:
        mark = event.start_mark
        return _fail(self.source.path, mark.line + 1, mark.column + 1, message)

    def document(self) -> Any:
        get = self.get
        get()  # stream start
        event = get()
        if type(event) is yaml.StreamEndEvent:
            raise _fail(
                self.source.path,
                1,
                1,
                "the file has only comments; it needs `key: value` lines",
            )
        data = self.node(get(), (), 0)
        get()  # document end
        event = get()
        if type(event) is not yaml.StreamEndEvent:
            raise self._error(
                event,
                "a second document starts here; one exercise per file: split the file at the `---`",
            )
        return data

    def node(self, event: yaml.Event, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._error(event, f"the file has more than {MAX_NODES:,} values, the limit")
        cls = type(event)
        if cls is yaml.AliasEvent or event.anchor is not None:
            raise self._error(
                event, "YAML anchors and aliases (& and *) are not allowed; write the value out"
            )
        mark = event.start_mark
        self.values[loc] = (mark.line + 1, mark.column + 1)
        if cls is yaml.ScalarEvent:
            value = event.value
            if event.tag is None and (
                not event.implicit[0] or (value and value[0] not in self.special)
            ):
                return value  # quoted, block or plain text: never a number or a date
            return self.scalar(event)
        if depth >= MAX_DEPTH:
            raise self._error(event, f"the file is nested more than {MAX_DEPTH} levels deep")
        get = self.get
        if cls is yaml.SequenceStartEvent:
            self.check_tag(event, "tag:yaml.org,2002:seq")
            items: list[Any] = []
            while type(event := get()) is not yaml.SequenceEndEvent:
                items.append(self.node(event, (*loc, len(items)), depth + 1))
            return items
        self.check_tag(event, "tag:yaml.org,2002:map")
        mapping: dict[str, Any] = {}
        keys = self.source.keys
        while type(event := get()) is not yaml.MappingEndEvent:
            key = self.key(event, loc)
            child = (*loc, key)
            mark = event.start_mark
            if key in mapping:
                again = self.node(get(), (*loc, f"{key} (again)"), depth + 1)
                first = keys[child][0]
                said = ""
                if mapping[key] != again and not isinstance(again, dict | list):
                    # Both answers shown, so nobody keeps the wrong one (e.g. sharp pain) by guess.
                    said = f": line {first} says {_said(mapping[key])}, line {mark.line + 1} says {_said(again)}"
                self.source.problems.append(
                    Problem(
                        self.source.path,
                        mark.line + 1,
                        mark.column + 1,
                        f"`{key}` is given twice (first on line {first}){said}; keep the right one",
                    )
                )
                self.source.again.setdefault(child, []).append(again)
                continue
            keys[child] = (mark.line + 1, mark.column + 1)
            mapping[key] = self.node(get(), child, depth + 1)
        return mapping

    def key(self, event: yaml.Event, loc: Loc) -> str:
        if type(event) is not yaml.ScalarEvent:
            raise self._error(event, "a key must be a plain word, not a list or a mapping")
        if event.anchor is not None:
            raise self._error(
                event, "YAML anchors and aliases (& and *) are not allowed; write the value out"
            )
        self.count += 1
        # Keys stay text exactly as written: `1:` or `yes:` would otherwise become 1 or True.
        return event.value

    def check_tag(self, event: yaml.Event, default: str) -> None:
        tag = event.tag
        if tag is not None and tag not in ("!", default):
            # Noted, not raised: the rest of the file (a stop among it) must still be read.
            self._tag_problem(event, tag, "is not allowed here; the list or mapping is read as is")

    def _tag_problem(self, event: yaml.Event, tag: str, what: str) -> None:
        written = tag.replace("tag:yaml.org,2002:", "!!")
        mark = event.start_mark
        self.source.problems.append(
            Problem(
                self.source.path,
                mark.line + 1,
                mark.column + 1,
                f"the YAML tag `{written}` {what}; remove it",
            )
        )

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        """The value of a scalar, by backplan's rules; never raises (see `plain_scalar`)."""
        value = event.value
        tag = event.tag
        if tag is None:
            if not event.implicit[0]:  # quoted or block text: never a number or a date
                return value
            return plain_scalar(value)
        if tag in ("!", _STR_TAG):
            return value
        convert = _TAGGED.get(tag)
        if convert is None:
            self._tag_problem(event, tag, f"is not allowed here; {value!r} is read as text")
            return value
        converted = convert(value)
        if converted is _UNREAD:
            self._tag_problem(
                event, tag, f"does not fit the value {value!r}, which is read as text"
            )
            return value
        return converted


# Plain scalars are read by these rules, not YAML 1.1's: integers are decimal (a leading zero
# is not octal: `055` is 55, as a person means it), and `0x1f`, `0o17`, `0b101` and base-60
# `1:30` stay text. Dates stay text too (pydantic reads an ISO date where a date is wanted), so
# an impossible date such as 2025-02-29 is an answer to check, never a crash.
_INT = re.compile(r"[-+]?[0-9][0-9_]*")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
}
_BOOLS = {
    **dict.fromkeys(("yes", "true", "on"), True),
    **dict.fromkeys(("no", "false", "off"), False),
}
_NULLS = ("", "~", "null")
_UNREAD = object()


def plain_scalar(text: str) -> Any:
    """An unquoted YAML value as None, a bool, a decimal int, a float, or the text itself."""
    # YAML's core forms: all lower, all upper or capitalised (`Yes`, `TRUE`, `null`).
    if text not in (text.lower(), text.upper(), text.capitalize()):
        return text
    low = text.lower()
    if low in _NULLS:
        return None
    if low in _BOOLS:
        return _BOOLS[low]
    try:
        if _INT.fullmatch(text):
            return int(text.replace("_", ""), 10)
        if _FLOAT.fullmatch(text) and any(c.isdigit() for c in text):
            return float(text.replace("_", ""))
    except ValueError:  # more digits than Python converts (4300): an answer to check, as text
        return text
    if low in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[low]
    return text


def _tagged_int(text: str) -> Any:
    value = plain_scalar(text.strip())
    return value if type(value) is int else _UNREAD


def _tagged_float(text: str) -> Any:
    value = plain_scalar(text.strip())
    return float(value) if type(value) in (int, float) else _UNREAD


def _tagged_bool(text: str) -> Any:
    value = plain_scalar(text.strip())
    return value if type(value) is bool else _UNREAD


def _tagged_null(text: str) -> Any:
    return None if text.strip().lower() in _NULLS else _UNREAD


_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[Tt ][0-9:.]+(?:Z|[-+]\d{2}:?\d{2})?)?")


def _tagged_timestamp(text: str) -> Any:
    """A real ISO date or moment stays text (pydantic parses it where a date is wanted)."""
    text = text.strip()
    if not _ISO_MOMENT.fullmatch(text):
        return _UNREAD
    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        return _UNREAD
    return text


_TAGGED = {
    "tag:yaml.org,2002:int": _tagged_int,
    "tag:yaml.org,2002:float": _tagged_float,
    "tag:yaml.org,2002:bool": _tagged_bool,
    "tag:yaml.org,2002:null": _tagged_null,
    "tag:yaml.org,2002:timestamp": _tagged_timestamp,
}


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


def _said(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict | list):
        return "a list" if isinstance(value, list) else "a mapping"
    return repr(value) if isinstance(value, str) else str(value)
