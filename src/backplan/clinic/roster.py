"""A clinic's roster: many patients' answers in one YAML or CSV file, for `backplan batch`.

YAML: a list of answers records, each exactly what `plan --answers` reads (so it may name a
`protocol`, a `lang`, `notes` and the other clinician adjustments). CSV: a header row naming
the same fields; `name` and `age` (or `patient.name`, `patient.age`) fill in the patient, a
dotted column such as `exercise_notes.bird-dog` or `dose.bird-dog.sets` fills a nested field,
and a list field's items are separated by `;`. An empty cell means "not given".

Each row is validated on its own: a bad row is reported with its row and line number and never
stops the others. Only a file that is not a roster at all (missing, not YAML or CSV, a CSV
header with an unknown column) raises a BackplanError.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from backplan.errors import BackplanError, Problem, display_path
from backplan.files.problems import suggest, validate
from backplan.files.yaml_source import (
    MAX_FILE_BYTES,
    STDIN,
    Source,
    best_effort_text,
    is_stdin,
    load_yaml_or_stdin,
    parse_yaml,
    read_stdin,
    read_text,
    stdin_bytes,
)
from backplan.intake.answers import (
    Answers,
    again_within,
    read_safety,
    salvage_text,
    stop_in_problems,
)
from backplan.intake.reading import safety_key, split_red_flags
from backplan.intake.screening import EMERGENCY, screen

CSV_SUFFIXES = (".csv", ".tsv")
LIST_SEPARATOR = ";"
# Short CSV column names for the nested patient fields.
COLUMN_ALIASES = {"name": "patient.name", "age": "patient.age"}


@dataclass(frozen=True)
class RosterRow:
    """One patient of the roster: their answers, or the problems that stop them being read."""

    number: int  # 1-based position among the roster's patients
    line: int | None  # where the row starts in the file
    answers: Any  # backplan.intake.answers.Answers; None when invalid, unless it already says stop
    problems: tuple[Problem, ...] = ()
    name: str | None = None  # the patient's name as written, even in an invalid row
    source: Source | None = None  # this row's positions, for errors found later (unknown ids)
    prefix: tuple[int, ...] = ()  # where the row sits in `source`

    @property
    def label(self) -> str:
        return self.name or f"row {self.number}"

    @property
    def ok(self) -> bool:
        return self.answers is not None


def read_roster(path: Path, model: type[BaseModel] | None = None) -> list[RosterRow]:
    """Every row of the roster at `path`, validated one by one as `model` (default Answers)."""
    if model is None:
        model = Answers
    path = Path(path)
    # Rows that could not be read as a record (cells in the wrong columns, a YAML syntax
    # error): their problems, and the stop their safety answers still give (or None).
    stops: dict[int, Any] = {}
    if path.suffix.lower() in CSV_SUFFIXES or _looks_like_csv(path):
        source, lines, row_problems = _csv_source(path, model, stops)
    else:
        try:
            source = load_yaml_or_stdin(path, what="roster")
        except BackplanError as exc:
            # One row's syntax error must not hide another row's emergency (issue 12).
            source, lines, row_problems = _yaml_rows_one_by_one(path, exc, stops)
        else:
            lines, row_problems = {}, {}
    if not isinstance(source.data, list):
        shape = source.problem(
            (),
            "a roster is a list of patients: one `- patient: ...` record per patient "
            "(or a CSV file with a header row)",
        )
        rows_of = _as_rows(source)
        if rows_of is None or model is not Answers or not _any_stops(rows_of.data, stops, rows_of):
            raise BackplanError([shape], title="The roster cannot be read")
        # A mapping of patients (`Ana: {...}`) or one record: an error, but its stops stand.
        source = rows_of
        row_problems = {i: [shape] for i in range(len(source.data))}
    if not source.data:
        raise BackplanError(
            [source.problem((), "the roster has no patients")], title="The roster cannot be read"
        )
    row_sources = _split_positions(source)
    early = _reading_problems(source)
    rows = []
    for i, record in enumerate(source.data):
        line = lines.get(i, source.position((i,))[0])
        if i in stops:
            # it cannot be read as a record: only the stop its text still gives, if any
            answers, problems = stops[i] if model is Answers else None, row_problems[i]
        else:
            answers, problems = validate(model, source, prefix=(i,))
            found = [*early.get(i, []), *row_problems.get(i, [])]
            if found:
                # a key given twice, a YAML tag that does not fit, a header column that is not
                # a field: the row must be checked
                answers, problems = None, sorted([*found, *problems], key=_order)
        if answers is None and model is Answers and i not in stops:
            # A typo must never hide a stop: such a row is made into its stop notice.
            answers, problems = stop_in_problems(source, (i,), list(problems))
        rows.append(
            RosterRow(
                number=i + 1,
                line=line,
                answers=answers,
                problems=tuple(problems),
                name=_name_in(record),
                source=row_sources.get(i),
                prefix=(i,),
            )
        )
    return rows


def _as_rows(source: Source) -> Source | None:
    """A roster written as a mapping, as a list of rows: `Ana: {...}` records by name (each
    keeps its key as the name when it has none), or a single record as one row."""
    data = source.data
    if not isinstance(data, dict) or not data:
        return None

    by_name = all(isinstance(v, dict) for v in data.values()) and not any(
        safety_key(str(k)) for k in data
    )
    keys = list(data) if by_name else [None]
    named = (
        [
            data[k] if "patient" in data[k] else {"patient": {"name": str(k)}, **data[k]}
            for k in keys
        ]
        if by_name
        else [data]
    )
    rows = Source(source.path, named)
    for attr in ("values", "keys"):
        for loc, position in getattr(source, attr).items():
            if not by_name:
                getattr(rows, attr)[(0, *loc)] = position
            elif loc and loc[0] in data:
                getattr(rows, attr)[(keys.index(loc[0]), *loc[1:])] = position
    for loc, later in source.again.items():
        if not by_name:
            rows.again[(0, *loc)] = later
        elif loc and loc[0] in data:
            rows.again[(keys.index(loc[0]), *loc[1:])] = later
    rows.problems = source.problems
    return rows


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


# A top-level item of a YAML roster: `- ` (or a lone `-`) at the start of a line.
_ROW_START = re.compile(r"^-(?:[ \t]|$)")


def _yaml_rows_one_by_one(
    path: Path, error: BackplanError, stops: dict[int, Any]
) -> tuple[Source, dict[int, int], dict[int, list[Problem]]]:
    """A YAML roster that cannot be parsed as a whole, split at its top-level `- ` items and
    each read on its own; a row that still cannot be parsed is searched for its stop
    (`answers.salvage_text`). Re-raises `error` when no row stops: then the whole file's
    error is the clearer message, as before."""
    if is_stdin(path):
        raw = stdin_bytes()  # read once: the same bytes the whole-file reading saw
    elif not path.is_file():
        raise error  # missing, a folder, a pipe or a device: the file's own error
    else:
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError:
            raise error from None  # unreadable: the file's own error
    if len(raw) > MAX_FILE_BYTES:
        raise error
    # A byte that is not UTF-8 makes its row unreadable, not the roster.
    text = best_effort_text(raw)
    pieces = _row_pieces(text)
    if not pieces:
        raise error
    source = Source(STDIN if is_stdin(path) else display_path(path), [])
    lines: dict[int, int] = {}
    row_problems: dict[int, list[Problem]] = {}
    for index, (start, row_text, body) in enumerate(pieces):
        lines[index] = start + 1
        source.values[(index,)] = (start + 1, 1)
        try:
            if "\ufffd" in row_text and "\ufffd".encode() not in raw:
                raise error  # the row holds the byte that is not UTF-8
            row = parse_yaml(row_text, source.path)
        except BackplanError as exc:
            source.data.append(None)
            row_problems[index] = list(exc.problems)
            stops[index] = salvage_text(body)
            continue
        record = row.data[0] if isinstance(row.data, list) and len(row.data) == 1 else row.data
        source.data.append(record)
        shift = 1 if isinstance(row.data, list) else 0
        for attr in ("values", "keys"):
            for loc, position in getattr(row, attr).items():
                if len(loc) >= shift:
                    getattr(source, attr)[(index, *loc[shift:])] = position
        for loc, later in row.again.items():
            source.again[(index, *loc[shift:])] = later
        source.problems += row.problems
    if not _any_stops(source.data, stops, source):
        raise error  # no row stops: the file's own error is the clearer message
    return source, lines, row_problems


def _row_pieces(text: str) -> list[tuple[int, str, str]]:
    """A broken roster's rows: (first line's index, the row's text placed at its lines, the
    row's own text for the stop search). YAML rows start at top-level `- ` items; a JSON
    array's rows are its top-level `{...}` objects (one cut short runs to the end)."""
    all_lines = text.splitlines()
    starts = [n for n, line in enumerate(all_lines) if _ROW_START.match(line)]
    if starts:
        ends = [*starts[1:], len(all_lines)]
        return [
            (
                start,
                "\n" * start + "\n".join(all_lines[start:end]),  # keeps the line numbers
                " " + "\n".join(all_lines[start:end])[1:],  # the `-` out: the row's mapping
            )
            for start, end in zip(starts, ends, strict=True)
        ]
    if not text.lstrip().startswith(("[", "{")):
        return []
    pieces = []
    for begin, end in _json_objects(text):
        line = text.count("\n", 0, begin)
        column = begin - (text.rfind("\n", 0, begin) + 1)
        body = text[begin:end]
        pieces.append((line, "\n" * line + " " * column + body, body))
    return pieces


def _json_objects(text: str) -> list[tuple[int, int]]:
    """Where each top-level `{...}` of a JSON text begins and ends, strings skipped."""
    found: list[tuple[int, int]] = []
    depth, begin, in_string, escaped = 0, 0, False, False
    for at, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            begin = at if depth == 0 else begin
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                found.append((begin, at + 1))
    if depth > 0:
        found.append((begin, len(text)))
    return found


def _reading_problems(source: Source) -> dict[int, list[Problem]]:
    """The problems found while reading the file (keys given twice, tags), by the row they
    fall in: the rows' first lines divide the file."""
    starts = sorted(
        (pos[0], loc[0])
        for loc, pos in source.values.items()
        if len(loc) == 1 and isinstance(loc[0], int)
    )
    found: dict[int, list[Problem]] = {}
    for problem in source.problems:
        row = None
        for start, index in starts:
            if problem.line is not None and start <= problem.line:
                row = index
        if row is not None:
            found.setdefault(row, []).append(problem)
    return found


def _split_positions(source: Source) -> dict[int, Source]:
    """One small Source per row: a worker process gets its row's positions, not the roster's."""
    rows: dict[int, Source] = {}
    for attr in ("values", "keys"):
        for loc, position in getattr(source, attr).items():
            if loc and isinstance(loc[0], int):
                row = rows.setdefault(loc[0], Source(source.path, None))
                getattr(row, attr)[loc] = position
    return rows


def _name_in(record: Any) -> str | None:
    patient = record.get("patient") if isinstance(record, dict) else None
    name = patient.get("name") if isinstance(patient, dict) else None
    return (str(name).strip() or None) if name else None


# Suffixes a spreadsheet gives its text exports besides .csv/.tsv (Excel's "Unicode Text" is a
# tab-separated .txt): such a file is CSV when its first line is a header row.
_SNIFFED_SUFFIXES = (".txt", ".text", "")


def _looks_like_csv(path: Path) -> bool:
    """A roster on standard input (`-`), or in a .txt file, is CSV when its first line is a
    header row, not YAML (a `- ` list item, a `key: value`, a `#` comment or a `---`)."""
    if is_stdin(path):
        raw = stdin_bytes()
    elif path.suffix.lower() in _SNIFFED_SUFFIXES and path.is_file():
        try:
            with path.open("rb") as handle:
                raw = handle.read(64 * 1024)
        except OSError:
            return False  # read as YAML, which says why it cannot be read
    else:
        return False
    text = best_effort_text(raw)  # a bad byte: reported later
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not is_stdin(path) and not any(sep in first for sep in ",;\t"):
        return False  # one word a line: not a header row
    return not (first.startswith(("-", "#", "[", "{")) or ": " in first or first.endswith(":"))


def _csv_source(
    path: Path, model: type[BaseModel], stops: dict[int, Any] | None = None
) -> tuple[Source, dict[int, int], dict[int, list[Problem]]]:
    """The CSV as a Source shaped like the YAML roster, each cell located at its line.

    `stops` gets, for each row whose cells cannot be matched to the columns, the stop its
    cells still give (or None)."""
    stops = {} if stops is None else stops
    shown = STDIN if is_stdin(path) else display_path(path)
    text, text_problems = _csv_text(path, model)
    delimiter = _delimiter(path, text.split("\n", 1)[0])
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    columns, header_problems = _header(reader, model, shown)
    header_problems = text_problems + header_problems
    source = Source(shown, [])
    lines: dict[int, int] = {}
    row_problems: dict[int, list[Problem]] = {}
    try:
        for start, cells, problem in _rows(reader, text.splitlines(), delimiter, columns, shown):
            if not any(c.strip() for c in cells):
                continue  # spreadsheets leave blank lines at the end
            index = len(source.data)
            lines[index] = start
            found = [dataclasses.replace(p, line=start) for p in header_problems]
            if problem is not None:
                found.append(dataclasses.replace(problem, line=start))
            if len(cells) > len(columns):
                stops[index] = _misaligned_stop(cells, columns)
                found = [
                    Problem(
                        shown,
                        start,
                        None,
                        f"the row has {len(cells)} cells but the header names "
                        f"{len(columns)} columns (a comma inside a name needs quotes)",
                    )
                ]
            if found:
                row_problems[index] = found
            source.data.append(
                _record(source, index, start, cells, columns, model, clashes=bool(header_problems))
            )
    except csv.Error as exc:
        raise BackplanError([Problem(shown, reader.line_num, None, f"CSV error: {exc}")]) from None
    if header_problems and not _any_stops(source.data, stops, source):
        # No row stops: the header's problems are the one clear error, as for any roster.
        if text_problems:
            raise BackplanError(text_problems, title="The roster cannot be read")
        raise BackplanError(header_problems, title="The roster's header row has problems")
    return source, lines, row_problems


def _csv_text(path: Path, model: type[BaseModel]) -> tuple[str, list[Problem]]:
    """The CSV's text; for answers, a file not in UTF-8 (a spreadsheet's Windows-1252) is
    still read, with the problem every row then carries: its rows' stops are shown, no row
    gets a plan, and without a stop the problem is the file's one error (issue 12)."""
    try:
        return (read_stdin("roster") if is_stdin(path) else read_text(path, what="roster")), []
    except BackplanError as exc:
        if model is not Answers or not any("not UTF-8" in p.message for p in exc.problems):
            raise
        raw = stdin_bytes() if is_stdin(path) else path.read_bytes()[:MAX_FILE_BYTES]
        # Each row carries it at its own line, so the byte's place goes in the words.
        problems = [
            dataclasses.replace(
                p,
                line=None,
                column=None,
                message=p.message.replace("here", f"on line {p.line}, column {p.column}"),
            )
            for p in exc.problems
        ]
        return best_effort_text(raw), problems


def _delimiter(path: Path, first_line: str) -> str:
    """Tab for .tsv (or a tab-separated header), `;` when the header uses it, else `,`."""
    if path.suffix.lower() == ".tsv" or ("\t" in first_line and "," not in first_line):
        return "\t"
    # Spreadsheets in Spanish (and other) locales save CSV with `;` between cells.
    if ";" in first_line and "," not in first_line:
        return ";"
    return ","


def _header(
    reader: Any, model: type[BaseModel], shown: str
) -> tuple[list[tuple[str, ...]], list[Problem]]:
    """The header row's columns, and its problems when the rows may still be read for stops."""
    try:
        header = next(reader)
    except StopIteration:
        raise BackplanError([Problem(shown, 1, 1, "the file is empty")]) from None
    except csv.Error as exc:
        raise BackplanError([Problem(shown, 1, None, f"CSV error: {exc}")]) from None
    try:
        return _columns(header, model, shown), []
    except BackplanError as exc:
        # A misspelt column (`Red Flags`) or an extra one must not hide a row's stop: the
        # safety reader reads each row by its columns' names, and every row carries the
        # header's problems, so none gets a plan until the header is fixed.
        if model.__name__ != "Answers":
            raise
        return [_column_as_written(name) for name in header], list(exc.problems)


def _rows(
    reader: Any,
    physical: list[str],
    delimiter: str,
    columns: list[tuple[str, ...]],
    shown: str,
) -> Iterator[tuple[int, list[str], Problem | None]]:
    """(line, cells, problem): the reader's rows, but a quote left open that swallowed the
    rows after it gives each of its lines back as its own row, with the problem."""
    end = reader.line_num
    for cells in reader:
        start, end = end + 1, reader.line_num
        split = _unclosed_quote(physical[start - 1 : end], delimiter, len(columns))
        if split is None:
            yield start, cells, None
            continue
        problem = Problem(
            shown,
            start,
            None,
            'a quote (") opened in this row is not closed, so it took in the rows after it; '
            f"lines {start} to {end} were each read as their own row: close the quote",
        )
        for offset, line_cells in split:
            yield start + offset, line_cells, problem


def _record(
    source: Source,
    index: int,
    start: int,
    cells: list[str],
    columns: list[tuple[str, ...]],
    model: type[BaseModel],
    *,
    clashes: bool,
) -> dict[str, Any]:
    """One row's cells as a record shaped like the YAML roster's, located at line `start`.

    `clashes`: the header has problems that already name a column clash, so skip the cell."""
    # a CSV cell has a line but no useful character column
    source.values[(index,)] = (start, None)  # type: ignore[assignment]
    record: dict[str, Any] = {}
    for path_parts, cell in zip(columns, cells, strict=False):
        value = _cell_value(cell, path_parts, model)
        if value is None:
            continue
        if clashes and _has(record, path_parts):
            # A column given twice (the header's problems name it): the later cell is kept
            # as a key given twice is in YAML, so the safety reader takes the most urgent.
            source.again.setdefault((index, *path_parts), []).append(value)
            continue
        try:
            _put(record, path_parts, value)
        except (AttributeError, TypeError):
            if not clashes:
                raise
            continue  # a clash the header's problems already name
        for depth in range(1, len(path_parts) + 1):
            loc = (index, *path_parts[:depth])
            source.keys.setdefault(loc, (start, None))  # type: ignore[arg-type]
            source.values.setdefault(loc, (start, None))  # type: ignore[arg-type]
    return record


def _has(record: dict[str, Any], parts: tuple[str, ...]) -> bool:
    """Whether a dotted column's field is already filled in this row by a column of the same
    name (not a field inside it: that clash is the header's `_nesting_clashes`)."""
    target: Any = record
    for part in parts:
        if not isinstance(target, dict) or part not in target:
            return False
        target = target[part]
    return not isinstance(target, dict)


def _any_stops(records: list[Any], stops: dict[int, Any], source: Source | None = None) -> bool:
    if any(a is not None for a in stops.values()):
        return True
    for i, record in enumerate(records):
        answers, _notes = read_safety(record, again_within(source, (i,)) if source else None)
        if answers is not None and screen(answers) is not None:
            return True
    return False


def _unclosed_quote(
    lines: list[str], delimiter: str, width: int
) -> list[tuple[int, list[str]]] | None:
    """The lines of one CSV record, each read alone (quotes as plain text), when the record
    spans lines and a later one has exactly a row's cells (a quote left open took it in);
    None for an ordinary record, a note on several lines included."""
    if len(lines) < 2:
        return None
    alone = [
        (offset, next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), []))
        for offset, line in enumerate(lines)
        if line.strip()
    ]
    if not any(len(cells) == width for offset, cells in alone if offset > 0):
        return None
    return alone


def _column_as_written(name: str) -> tuple[str, ...]:
    """A header cell as a column when the header has problems: the alias or dotted field it
    names, else its own name (the safety reader matches it, `Red Flags` as red_flags)."""
    name = COLUMN_ALIASES.get(name.strip(), name.strip())
    return tuple(p.strip() for p in name.split(".")) if "." in name else (name,)


def _misaligned_stop(cells: list[str], columns: list[tuple[str, ...]]) -> Any:
    """The stop a row with more cells than columns still gives (an unquoted comma in a name
    or a note): every way the extra cells may have been inserted is read, and the most urgent
    stop of the readings whose safety cells all read wins; of all of them when none does."""
    extra = len(cells) - len(columns)
    readings = []
    for at in range(len(columns) + 1):  # the extra cells sit before column `at`
        shifted = cells[:at] + cells[at + extra :]
        record: dict[str, Any] = {}
        for parts, cell in zip(columns, shifted, strict=False):
            value = _cell_value(cell, parts, Answers)
            if value is not None and len(parts) <= 2:
                target = record
                for part in parts[:-1]:
                    target = target.setdefault(part, {}) if isinstance(target, dict) else {}
                if isinstance(target, dict):
                    target[parts[-1]] = value
        answers, notes = read_safety(record)
        readings.append((not notes, answers))
    clean = [a for ok, a in readings if ok] or [a for _ok, a in readings]
    stopped = [(a, stop) for a in clean if a is not None and (stop := screen(a)) is not None]
    if not stopped:
        return None
    return max(stopped, key=lambda s: (s[1].urgency == EMERGENCY, len(s[1].reasons)))[0]


def _columns(header: list[str], model: type[BaseModel], shown: str) -> list[tuple[str, ...]]:
    fields = model.model_fields
    known = [*fields, *COLUMN_ALIASES]
    problems, columns, seen = [], [], set()
    for number, raw in enumerate(header, start=1):
        name = raw.strip()
        name = COLUMN_ALIASES.get(name, name)
        parts = tuple(p.strip() for p in name.split("."))
        if not name or parts[0] not in fields:
            problems.append(
                Problem(
                    shown,
                    1,
                    None,
                    f"column {number} `{raw.strip()}` is not an answers field"
                    f"{suggest(parts[0], known) if name else ''}; known columns: {', '.join(known)}",
                )
            )
        elif name in seen:
            problems.append(Problem(shown, 1, None, f"column `{raw.strip()}` appears twice"))
        seen.add(name)
        columns.append(parts)
    problems += _nesting_clashes(header, columns, shown)
    if problems:
        raise BackplanError(problems, title="The roster's header row has problems")
    return columns


def _nesting_clashes(
    header: list[str], columns: list[tuple[str, ...]], shown: str
) -> list[Problem]:
    """Columns where one names a value and another a field inside it (`pain` and `pain.x`)."""
    problems = []
    for number, parts in enumerate(columns, start=1):
        for other_number, other in enumerate(columns, start=1):
            if len(other) > len(parts) and other[: len(parts)] == parts:
                problems.append(
                    Problem(
                        shown,
                        1,
                        None,
                        f"column {number} `{header[number - 1].strip()}` is a single value, but "
                        f"column {other_number} `{header[other_number - 1].strip()}` is a field "
                        "inside it; keep only one of the two",
                    )
                )
                break
    return problems


def _cell_value(cell: str, parts: tuple[str, ...], model: type[BaseModel]) -> Any:
    text = cell.strip()
    if parts == ("red_flags",):
        # answer_reading's rule for red flags: split on `,`, `;` or new lines, as everywhere
        return split_red_flags(text)
    if _is_list(_annotation_at(model, parts)):
        # an empty cell in a list column is an empty list: a spreadsheet cannot say more
        return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
    return text or None


def _annotation_at(model: type[BaseModel], parts: tuple[str, ...]) -> Any:
    """The type a dotted column fills, following nested models and mapping values."""
    annotation: Any = model
    for part in parts:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part)
            if field is None:
                return None
            annotation = field.annotation
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return None
    return annotation


def _unwrap(annotation: Any) -> Any:
    """`X | None` and `Annotated[X, ...]` as X."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return annotation


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _is_list(typing.get_args(annotation)[0])
    return False


def _put(record: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    """Set a dotted column's value; `_columns` has made sure no column is inside another."""
    target = record
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value
