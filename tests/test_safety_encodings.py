"""No way of writing an answer weakens a stop (issue 12): one intent, many encodings.

Hypothesis draws what a person means (signs, sharp pain, pain, age, new onset), then writes each
field in a random way a person or a spreadsheet might (case, hyphens, US spelling, a string for
a list, a key given twice with a harmless value first, leading zeros, fractions, `9/10`,
Spanish words), as YAML, JSON, a YAML roster or a CSV roster. The file goes through the real
reading path; the outcome must be at least as urgent as the intent, with no exercise.
The expected urgency is worked out here from the reference's ids (reference_ids), not from
screening.py. BACKPLAN_LONG_FUZZ=1 (or a number of examples) runs many more.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import reference_ids
from depth import LONG
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from backplan.clinic.roster import read_roster
from backplan.errors import BackplanError
from backplan.intake.answers import StopInInvalidAnswers, load_answers
from backplan.pipeline import PlanRequest, make_outcome
from backplan.planning.outcome import Plan, Stop

# BACKPLAN_LONG_TESTS=1 or BACKPLAN_LONG_FUZZ=1 runs 600 examples; a larger number runs that many.
_LONG = os.environ.get("BACKPLAN_LONG_FUZZ", "")
EXAMPLES = int(_LONG) if _LONG.isdigit() and int(_LONG) > 1 else 600 if _LONG or LONG else 60
RANK = {None: 0, "see_clinician": 1, "emergency": 2}
runner = CliRunner()


@dataclass(frozen=True)
class Intent:
    emergency: tuple[str, ...]
    clinician: tuple[str, ...]
    sharp: bool
    pain: int
    age: int | None
    new_onset: bool

    def urgency(self) -> str | None:
        if self.emergency:
            return "emergency"
        age_rule = self.new_onset and self.age is not None and (self.age > 50 or self.age < 20)
        if self.clinician or self.sharp or self.pain >= 7 or age_rule:
            return "see_clinician"
        return None


intents = st.builds(
    Intent,
    emergency=st.lists(st.sampled_from(reference_ids.EMERGENCY), max_size=2, unique=True).map(
        tuple
    ),
    clinician=st.lists(st.sampled_from(reference_ids.SEE_CLINICIAN), max_size=2, unique=True).map(
        tuple
    ),
    sharp=st.booleans(),
    pain=st.integers(0, 10),
    age=st.one_of(st.none(), st.integers(0, 120)),
    new_onset=st.booleans(),
)


# --- encodings: each returns the text a file holds (a YAML flow value) or a CSV cell ------------


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@st.composite
def flag_text(draw, flag: str) -> str:
    """One red-flag id as a person might type it."""
    if "anaesthesia" in flag and draw(st.booleans()):
        flag = flag.replace("anaesthesia", "anesthesia")
    words = flag.split("_")
    joined = words[0]
    for word in words[1:]:
        # unicode dashes, dots, slashes and a zero-width space too (issue 12 attacks)
        seps = ["_", "-", " ", "  ", " - ", ".", "/", "–", "—", "‐", "_\u200b"]
        joined += draw(st.sampled_from(seps)) + word
    case = draw(st.sampled_from(["lower", "upper", "title", "mixed"]))
    if case == "upper":
        joined = joined.upper()
    elif case == "title":
        joined = joined.title()
    elif case == "mixed":
        flips = draw(st.lists(st.booleans(), min_size=len(joined), max_size=len(joined)))
        joined = "".join(c.upper() if f else c for c, f in zip(joined, flips, strict=True))
    if draw(st.integers(0, 5)) == 0:  # full-width letters, as some keyboards type them
        joined = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in joined)
    end = draw(st.sampled_from(["", " ", ".", "!"]))
    return draw(st.sampled_from(["", " ", "  "])) + joined + end


YES = ["true", "True", "yes", "YES", '" TRUE "', '"sí"', '"Si"', '"s"', '"verdadero"', '" y "']
YES += ['"Yes."', '"SÍ!"', '"ＹＥＳ"', '"true\u00a0"', '"\u200byes"']
NO = ["false", "no", "No", '"n"', '"falso"', '" FALSE "', '"No."', '"ｎｏ"']
YES_CELLS = ["TRUE", " sí ", "yes", "Y", "verdadero", "Si"]
NO_CELLS = ["false", "No", " n ", "falso"]


@st.composite
def yes_no(draw, value: bool, cell: bool = False) -> str:
    if cell:
        return draw(st.sampled_from(YES_CELLS if value else NO_CELLS))
    return draw(st.sampled_from(YES if value else NO))


@st.composite
def pain_text(draw, pain: int, cell: bool = False) -> str:
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    palabras = [
        "cero",
        "uno",
        "dos",
        "tres",
        "cuatro",
        "cinco",
        "seis",
        "siete",
        "ocho",
        "nueve",
        "diez",
    ]
    forms = [str(pain), f"{pain}/10", f" {pain} ", words[pain], palabras[pain].title()]
    forms.append("".join(chr(ord(c) + 0xFEE0) for c in str(pain)))  # full-width digits
    if pain < 10:
        forms.append(f"0{pain}")  # a leading zero is decimal, never octal
    if pain > 0:
        forms.append(str(pain - 0.5))  # a fraction rounds up to the intended pain
    form = draw(st.sampled_from(forms))
    if cell:
        return form
    plain = form.strip() == form and "/" not in form
    return form if plain and draw(st.booleans()) else quoted(form)


@st.composite
def age_text(draw, age: int, cell: bool = False) -> str:
    form = draw(st.sampled_from([str(age), f"0{age}", f"00{age}"]))
    return form if cell or draw(st.booleans()) else quoted(form)


@st.composite
def flags_value(draw, flags: list[str]) -> str:
    texts = [draw(flag_text(f)) for f in flags]
    shape = draw(st.sampled_from(["list", "string", "mapping", "nested", "with-none"]))
    if shape == "mapping":  # `{saddle_anaesthesia: yes}`
        return "{" + ", ".join(f"{quoted(t)}: {draw(yes_no(True))}" for t in texts) + "}"
    if shape == "nested":  # `[[saddle_anaesthesia]]`
        return "[" + ", ".join(f"[{quoted(t)}]" for t in texts) + "]"
    if shape == "with-none":  # a none-word beside the signs reports nothing more
        texts.insert(draw(st.integers(0, len(texts))), draw(st.sampled_from(["none", "ninguno"])))
    if texts and shape == "string":
        sep = draw(st.sampled_from([", ", ";", " ; ", "\n"]))
        return quoted(sep.join(texts))  # one string for the whole list
    return "[" + ", ".join(quoted(t) for t in texts) + "]"


@st.composite
def record_fields(draw, intent: Intent) -> list[tuple[str, str]]:
    """(key, flow value) pairs for one answers record, duplicates included."""
    fields: list[tuple[str, str]] = []

    def twice(key: str, benign: str, value: str) -> None:
        if draw(st.booleans()):
            fields.append((key, benign))  # the harmless value first: it must not win
        fields.append((draw(key_text(key)), value))

    flags = list(intent.emergency + intent.clinician)
    draw(st.randoms(use_true_random=False)).shuffle(flags)
    twice("red_flags", "[]", draw(flags_value(flags)))
    twice("sharp_pain", "false", draw(yes_no(intent.sharp)))
    twice("pain", "0", draw(pain_text(intent.pain)))
    if intent.age is not None:
        age = draw(age_text(intent.age))
        where = draw(st.sampled_from(["patient", "twice", "top"]))
        if where == "top":  # `age:` at the top level, a common slip: still the age
            fields.append((draw(key_text("age")), age))
        else:
            first = "age: 35, " if where == "twice" else ""
            fields.append((draw(key_text("patient")), "{" + first + "age: " + age + "}"))
        twice("new_onset", "false", draw(yes_no(intent.new_onset)))
    draw(st.randoms(use_true_random=False)).shuffle(fields)
    return fields


# Ways a safety KEY is written: each must still be read as the field (answer_reading.safety_key).
KEY_SPELLINGS = {
    "red_flags": ["Red Flags", "RED_FLAGS", "red-flags", "redflags", "red_flgas", "flags"],
    "sharp_pain": ["Sharp Pain", "sharpPain", "sharp_pian", "SHARP-PAIN"],
    "pain": ["Pain", "PAIN", "pain_score", "dolor"],
    "new_onset": ["New Onset", "new-onset", "newOnset", "new_onest"],
    "patient": ["Patient", "pateint", "paciente"],
    "age": ["Age", "edad", "aeg"],
}


@st.composite
def key_text(draw, key: str) -> str:
    """The key as written: usually right, sometimes another spelling (an error that must not
    hide the stop)."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(KEY_SPELLINGS[key]))
    return key


def as_yaml(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields)


def as_json(fields: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{quoted(key)}: {value}" for key, value in fields) + "}\n"


def as_yaml_roster(fields: list[tuple[str, str]]) -> str:
    return "- {" + ", ".join(f"{key}: {value}" for key, value in fields) + "}\n"


@st.composite
def csv_roster(draw, intent: Intent) -> str:
    flags = [draw(flag_text(f)) for f in intent.emergency + intent.clinician]
    row = {
        "name": "Ana",
        "sharp_pain": draw(yes_no(intent.sharp, cell=True)),
        "pain": draw(pain_text(intent.pain, cell=True)),
        "red_flags": draw(st.sampled_from([";", ",", "\n", " ; "])).join(flags),
    }
    if intent.age is not None:
        row["age"] = draw(age_text(intent.age, cell=True))
        row["new_onset"] = draw(yes_no(intent.new_onset, cell=True))
    out = io.StringIO()
    delimiter = draw(st.sampled_from([",", ";"]))  # `;`: spreadsheets in Spanish locales
    writer = csv.writer(out, delimiter=delimiter)
    header = list(row)
    if draw(st.booleans()):  # the red-flags column headed another way
        header[header.index("red_flags")] = draw(st.sampled_from(KEY_SPELLINGS["red_flags"]))
    writer.writerow(header)
    writer.writerow(list(row.values()))
    return out.getvalue()


@st.composite
def encoded(draw):
    intent = draw(intents)
    kind = draw(st.sampled_from(["yaml", "json", "yaml-roster", "csv-roster"]))
    if kind == "csv-roster":
        return intent, kind, draw(csv_roster(intent))
    fields = draw(record_fields(intent))
    if draw(st.integers(0, 4)) == 0:
        fields.append(("levell", "expert"))  # a typo elsewhere must not hide the stop
    text = {"yaml": as_yaml, "json": as_json, "yaml-roster": as_yaml_roster}[kind](fields)
    wrap = draw(st.sampled_from(["", "", "bom", "crlf", "document", "array"]))
    if wrap == "array" and kind == "json":
        text = "[" + text.strip() + "]\n"  # a JSON array of one object
    elif wrap == "document" and kind == "yaml":
        text = "---\n" + text
    elif wrap == "crlf":
        text = text.replace("\n", "\r\n")
    elif wrap == "bom":
        text = "\ufeff" + text
    return intent, kind, text


# --- the real reading path ---------------------------------------------------------------------


def outcome_rank(kind: str, path: Path) -> tuple[int, object]:
    """How urgent the outcome is when `path` is read as `kind` (an error counts as 0)."""
    if kind.endswith("roster"):
        try:
            (row,) = read_roster(path)
        except BackplanError as exc:  # a file error (a misspelt column and no stop): 0
            return 0, exc
        answers = row.answers
        if answers is None:
            return 0, row.problems
    else:
        try:
            answers, _source = load_answers(path)
        except StopInInvalidAnswers as exc:
            answers = exc.answers
        except BackplanError as exc:
            return 0, exc
    outcome = make_outcome(PlanRequest(answers, library=_empty_library()))
    if isinstance(outcome, Stop):
        assert not hasattr(outcome, "exercises")
        return RANK[outcome.urgency], outcome
    assert isinstance(outcome, Plan)
    return 0, outcome


def _empty_library():
    from selection_fixtures import library

    return library()


SUFFIX = {"yaml": ".yaml", "json": ".json", "yaml-roster": ".yaml", "csv-roster": ".csv"}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encoded())
def test_no_encoding_of_an_intent_lowers_its_urgency(case):
    intent, kind, text = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"answers{SUFFIX[kind]}"
        path.write_text(text, encoding="utf-8")
        rank, seen = outcome_rank(kind, path)
    expected = RANK[intent.urgency()]
    assert rank >= expected, f"{kind} file:\n{text}\nintent {intent}\ngot {seen!r}"


@settings(
    max_examples=max(EXAMPLES // 4, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(encoded().filter(lambda c: c[1] in ("yaml", "json") and c[0].urgency() is not None))
def test_through_the_cli_a_stop_is_never_weakened(case):
    from backplan.cli.app import app

    intent, kind, text = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"answers{SUFFIX[kind]}"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["plan", "-a", str(path), "-f", "json", "--date", "2026-03-02"])
    expected = 4 if intent.urgency() == "emergency" else 3
    assert result.exit_code >= expected and result.exit_code in (3, 4), result.output
    out = json.loads(result.stdout)
    assert out["status"] == "stop" and "exercises" not in out


def test_the_fraction_encoding_is_what_the_rule_reads():
    # the oracle's assumption, stated: a fraction just below the intent rounds up to it
    assert all(math.ceil(p - 0.5) == p for p in range(1, 11))
