"""How a safety answer is read, however it was written: one set of rules for every input.

Answers files (YAML and JSON), YAML and CSV rosters, the interview and the session prompts all
read yes/no, pain, age and red-flag ids through these functions, so no way of writing an answer
can weaken a stop (issue 12). Two kinds of reader:

- `read_*` take what a person wrote and return the value, or raise ValueError saying what
  could not be read (used by the Answers model and the prompts);
- `urgent_*` never fail: a value that cannot be read counts as the most urgent thing it could
  mean (clinical-screening.md §1 precedence: when in doubt, stop), used when a file has
  problems but its safety answers must still be screened.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from backplan.intake.questions import raw_wording
from backplan.intake.screening import EMERGENCY, RED_FLAG_IDS, SEE_CLINICIAN_SIGNS

PAIN_MIN, PAIN_MAX = 0, 10
AGE_MIN, AGE_MAX = 0, 120
# A string of red flags (a CSV cell, `red_flags: "a, b"`) is split on these.
FLAG_SEPARATORS = re.compile(r"[,;\n]+")


def _norm(text: str) -> str:
    """Lower case, compatibility forms folded (`ｙｅｓ` is yes), invisible characters (zero-width
    spaces) dropped, surrounding punctuation (`Yes.`) and repeated spaces gone."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.casefold().split()).strip(_END_PUNCTUATION)


# Punctuation a person adds around a word (`Yes.`, `¡sí!`, `"no"`); never part of an answer.
# Not `?`: `no?` is doubt, and doubt about a safety answer counts as its urgent value.
_END_PUNCTUATION = " .,;:!¡\"'`()[]{}"


@cache
def _words() -> dict[str, frozenset[str]]:
    """The yes, no and none words of every language, from data/questions.yaml (the interview's)."""
    out = {}
    for kind, by_lang in raw_wording()["words"].items():
        out[kind] = frozenset(_norm(w) for words in by_lang.values() for w in words)
    return out


def yes_words() -> frozenset[str]:
    return _words()["yes"]


def no_words() -> frozenset[str]:
    return _words()["no"]


def none_words() -> frozenset[str]:
    return _words()["none"]


def is_none_answer(text: str) -> bool:
    """`none`, `ninguno`, `no`, `0`...: nothing applies (a checklist at a prompt)."""
    return _norm(text) in none_words() or text.strip() == "0"


# -- yes / no -----------------------------------------------------------------------------------


def read_yes_no(value: Any) -> bool:
    """True or False from a boolean or a yes/no word in English or Spanish; never a number."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = _norm(value)
        if word in yes_words():
            return True
        if word in no_words():
            return False
    raise ValueError(
        f"{_shown(value)} is not yes or no; write true or false (yes/no, sí/no are read too)"
    )


def read_optional_yes_no(value: Any) -> bool | None:
    """As `read_yes_no`, with null (not answered) kept as None."""
    return None if value is None else read_yes_no(value)


def urgent_yes_no(values: Iterable[Any]) -> tuple[bool, list[str]]:
    """True if any value says yes or cannot be read (it might mean yes); and what was unread."""
    found, unread = False, []
    for value in values:
        try:
            found = read_yes_no(value) or found
        except ValueError:
            unread.append(_shown(value))
            found = True
    return found, unread


# -- pain ---------------------------------------------------------------------------------------

_PAIN = re.compile(r"(?P<n>[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:/10|outof10|de10|sobre10)?")


# Pain written as a word (`seven`, `siete`), as a person may type it at a prompt.
_NUMBER_WORDS = {
    word: str(n)
    for words in (
        "zero one two three four five six seven eight nine ten",
        "cero uno dos tres cuatro cinco seis siete ocho nueve diez",
    )
    for n, word in enumerate(words.split())
}


def _pain_number(value: Any) -> int:
    """Pain as a whole number, a fraction rounded up (7.5 is 8); not range-checked."""
    if isinstance(value, bool):
        raise ValueError(f"{_shown(value)} is a yes/no answer, not a pain score from 0 to 10")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{_shown(value)} is not a pain score from 0 to 10")
        return math.ceil(value)
    if isinstance(value, str):
        text = "".join(unicodedata.normalize("NFKC", value).casefold().split())
        text = _NUMBER_WORDS.get(_norm(value).split("/")[0].strip(), text)
        match = _PAIN.fullmatch(text)
        if match:
            number = match["n"].replace(",", ".")
            return int(number) if number.isdigit() else math.ceil(float(number))
    raise ValueError(
        f"{_shown(value)} is not a pain score; write a whole number from 0 to 10 (9/10 is read too)"
    )


def read_pain_number(value: Any) -> int:
    """A score typed at a prompt, read like pain (`3/10`, 7.5 is 8); the caller checks range."""
    return _pain_number(value)


def read_pain(value: Any) -> int:
    """Pain from 0 to 10: `7`, `"9/10"`, `7.5` (rounded up to 8). Raises ValueError."""
    number = _pain_number(value)
    if not PAIN_MIN <= number <= PAIN_MAX:
        raise ValueError(f"{_shown(value)} is outside 0 to 10")
    return number


def urgent_pain(values: Iterable[Any]) -> tuple[int | None, list[str]]:
    """The highest pain given; a value that cannot be read, or above 10, counts as 10."""
    found: int | None = None
    unread = []
    for value in values:
        try:
            number = read_pain(value)
        except ValueError:
            unread.append(_shown(value))
            number = PAIN_MAX
        found = number if found is None else max(found, number)
    return found, unread


# -- age ----------------------------------------------------------------------------------------

_AGE = re.compile(r"(?P<n>[0-9]{1,4}) ?(?:years?( old)?|yrs?|y|años|año)?")


def read_age(value: Any) -> int | None:
    """An age in whole years, decimal (`055` is 55); None when not given. Raises ValueError."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{_shown(value)} is a yes/no answer, not an age")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        match = _AGE.fullmatch(_norm(value))
        if match:
            value = int(match["n"], 10)
    if isinstance(value, int):
        return value
    raise ValueError(f"{_shown(value)} is not an age; write the age in whole years, like 42")


# -- red flags ----------------------------------------------------------------------------------


def _flag_key(text: str) -> str:
    """A red-flag id as compared: case, spaces, `-`/`_` and anaesthesia's spelling ignored."""
    key = re.sub(r"[\W_]+", "_", _norm(text)).strip("_")
    return key.replace("anesthesia", "anaesthesia")


_FLAG_KEYS = {_flag_key(i): i for i in RED_FLAG_IDS}
# Far longer than any sign's name: such a text is not a sign misspelt, and comparing it letter
# by letter costs seconds (difflib is quadratic), so it is taken as the emergency it may hide.
_LONGEST_FLAG_TEXT = 4 * max(len(k) for k in _FLAG_KEYS)
# More unreadable red flags than a person writes by hand (see `urgent_red_flags`).
MAX_WEIGHED_FLAGS = 200


def red_flag_id(value: Any) -> Any:
    """The reference's id for a red flag however it is written (the interview's own words
    for it, English or Spanish, too); anything else unchanged."""
    if isinstance(value, str):
        key = _flag_key(value)
        return _FLAG_KEYS.get(key) or _sign_labels().get(key, value)
    return value


@cache
def _sign_labels() -> dict[str, str]:
    """The interview's checklist items (`Fiebre o escalofríos, ...`) by sign id, every
    language: a sign written in the words it was asked in is that sign."""
    questions = raw_wording()["questions"]
    return {
        _flag_key(label): sign
        for group in ("emergency_signs", "clinician_signs")
        for sign, by_lang in questions[group]["items"].items()
        for label in by_lang.values()
        if sign in RED_FLAG_IDS
    }


@cache
def _sign_words() -> dict[str, frozenset[str]]:
    """Each sign's longer words: its id's and its checklist item's in every language."""
    words: dict[str, set[str]] = {sign: set(sign.split("_")) for sign in RED_FLAG_IDS}
    for key, sign in _sign_labels().items():
        words[sign].update(key.split("_"))
    return {sign: frozenset(w for w in found if len(w) >= 5) for sign, found in words.items()}


def resembles_sign(text: str) -> bool:
    """Whether a key may name a sign: its id one typo off (`sadle_anaesthesia`), or a word
    of the sign's id or checklist item (`fiebre`, `cancer`); used for keys answered yes."""
    key = _flag_key(text)
    if len(key) > _LONGEST_FLAG_TEXT:
        return True  # as in `flag_urgency`: no sign's name, but it may hide one (and is slow)
    compact = key.replace("_", "")
    if any(_near(compact, k.replace("_", "")) for k in _FLAG_KEYS):
        return True
    words = [w for w in key.split("_") if len(w) >= 5]
    return any(
        difflib.SequenceMatcher(None, w, sign_word).ratio() >= 0.85
        for w in words
        for sign_words in _sign_words().values()
        for sign_word in sign_words
    )


def _nothing(item: Any) -> bool:
    """An entry of a red-flag list that reports nothing: `none`, `no`, `ninguno`, empty."""
    if item is None or item is False:
        return True
    if not isinstance(item, str):
        return False
    # Brackets, quotes and dashes alone are what is left of a list's syntax; a `?` is doubt,
    # which is not nothing (it is read, and counts, as a sign that cannot be read).
    return not item.strip(_SYNTAX) or _norm(item) in none_words()


_SYNTAX = " \t\r\n[](){}\"'`,;-*•"


def split_red_flags(value: Any) -> Any:
    """A string of red flags as a list (split on `,`, `;` and new lines); `none` as [].
    A none-word inside a list (`[none]`, `[no]`) reports nothing and is dropped."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        items: list[Any] = []
        for item in value:
            if isinstance(item, str) and red_flag_id(item) in RED_FLAG_IDS:
                items.append(item.strip())  # a checklist item's words may hold a comma
            elif isinstance(item, str):
                items += [p.strip() for p in FLAG_SEPARATORS.split(item) if not _nothing(p)]
            elif not _nothing(item):
                items.append(item)
        return items
    return value


def flag_urgency(text: str) -> str:
    """How urgent an unreadable red flag could be: see-a-clinician only when it resembles
    nothing but see-a-clinician signs; otherwise, and when in doubt, an emergency."""
    key = _flag_key(text)
    if len(key) > _LONGEST_FLAG_TEXT:
        return EMERGENCY
    close = set(difflib.get_close_matches(key, list(_FLAG_KEYS), n=20, cutoff=0.6))
    words = [w for w in key.split("_") if len(w) >= 4]
    for flag_key in _FLAG_KEYS:
        parts = [p for p in flag_key.split("_") if len(p) >= 4]
        if any(
            difflib.SequenceMatcher(None, w, p).ratio() >= 0.8 or (len(w) >= 5 and p.startswith(w))
            for w in words
            for p in parts
        ):
            close.add(flag_key)
    ids = {_FLAG_KEYS[k] for k in close}
    if ids and ids <= set(SEE_CLINICIAN_SIGNS):
        return "see_clinician"
    return EMERGENCY


def _said_no(value: Any) -> bool:
    try:
        return value is None or not read_yes_no(value)
    except ValueError:
        return False  # unreadable: it might mean yes


def flag_entries(value: Any) -> list[Any]:
    """The entries of a red-flag answer however nested: `[[a]]` and `{a: yes}` give `a`."""
    if isinstance(value, dict):
        # `{saddle_anaesthesia: yes}`: the signs not answered no (unreadable counts). A sign
        # with no value is listed: that is how YAML writes a set (`!!set {a}`, `? a`, `a:`),
        # and a list of red flags written as one must not lose its signs (§1: when in doubt,
        # stop).
        return [k for k, v in value.items() if v is None or not _said_no(v)]
    items = split_red_flags(value)
    if not isinstance(items, list):
        return [items]
    entries: list[Any] = []
    for item in items:
        entries += flag_entries(item) if isinstance(item, list | dict) else [item]
    return entries


def urgent_red_flags(values: Iterable[Any]) -> tuple[list[str], list[tuple[str, str]]]:
    """Every red flag of every value given (a key twice: the union), and the entries that
    could not be read with the urgency each could have (`flag_urgency`)."""
    known: list[str] = []
    unread: list[tuple[str, str]] = []
    for value in values:
        if value is None or value is False:
            continue  # `red_flags:` left empty or `no`: nothing reported here
        for item in flag_entries(value):
            flag = red_flag_id(item)
            if flag in RED_FLAG_IDS:
                known.append(flag)
            else:
                text = _shown(item) if not isinstance(item, str) else item
                # Past MAX_WEIGHED_FLAGS unreadable entries each counts as an emergency at
                # once: weighing one costs about a millisecond, and tens of thousands must
                # not keep the stop from being shown (never weaker: the strongest outcome).
                weighed = len(unread) < MAX_WEIGHED_FLAGS
                unread.append((text, flag_urgency(text) if weighed else EMERGENCY))
    return list(dict.fromkeys(known)), list(dict.fromkeys(unread))


def unread_checklist_answer(raw: str, emergency: bool) -> tuple[list[str], list[tuple[str, str]]]:
    """A checklist answer that could not be read, at its most urgent (the input ended on it):
    the signs it names count as themselves, and the rest is an unreadable red flag, an
    emergency at the emergency checklist whatever it resembles (clinical-screening.md §1)."""
    known, unread = urgent_red_flags([raw])
    return known, [(text, EMERGENCY if emergency else urgency) for text, urgency in unread]


def pick_items(raw: str, items: list[tuple[str, str]]) -> list[str]:
    """A checklist answer typed at a prompt: numbers (`1 3`, `1,3`, `1.`), the items' ids in
    any spelling, or an item's own words; the ids in the list's order. Raises ValueError."""
    text = unicodedata.normalize("NFKC", raw)
    by_key = {_flag_key(oid): oid for oid, _label in items}
    by_key.update({_flag_key(label): oid for oid, label in items})
    if _flag_key(text) in by_key:
        return [by_key[_flag_key(text)]]
    picked = set()
    for token in re.split(r"[\s,;]+", text):
        number = token.strip(".)#")  # `1.`, `1)`, `#1`
        if number.isdigit() and 1 <= int(number) <= len(items):
            picked.add(items[int(number) - 1][0])
        elif _flag_key(token) in by_key:
            picked.add(by_key[_flag_key(token)])
        elif token and _norm(token) not in ("and", "y", "&", "e"):  # `1 and 3`, `1 y 3`
            raise ValueError(raw)
    if not picked:
        raise ValueError(raw)
    return [oid for oid, _label in items if oid in picked]


# -- leg symptoms -------------------------------------------------------------------------------

LEG_CHOICES = ("none", "one_leg_above_knee", "one_leg_below_knee")
# Words that say "both legs" (the interview's "Yes, in both legs" / "Sí, en las dos piernas"):
# that answer is the emergency sign bilateral_leg_symptoms (clinical-screening.md §2).
_BOTH_LEGS = re.compile(r"\b(both|two|2|bilateral|ambas|ambos|dos|las_dos)\b")
# Words of one leg or none: an unreadable answer with them is not read as both legs.
_LEFT = re.compile(r"\b(left|izquierda|izquierdo|izq)\b")
_RIGHT = re.compile(r"\b(right|derecha|derecho|der)\b")
_ONE_LEG = re.compile(r"\b(one|1|single|left|right|una|un|izquierda|derecha|none|no|ninguna)\b")


def leg_choice(value: Any) -> Any:
    """A leg-symptoms answer as its choice id (`One-Leg Below Knee` is one_leg_below_knee);
    anything else unchanged. `no` (YAML's false) is none."""
    if value is False:
        return "none"
    if isinstance(value, str):
        key = _flag_key(value)
        if key in LEG_CHOICES:
            return key
        if key in _leg_labels():
            return _leg_labels()[key]
        if _norm(value) in no_words() or _norm(value) in none_words():
            return "none"
    return value


@cache
def _leg_labels() -> dict[str, str]:
    """The interview's option labels (`Yes, in one leg, going below the knee`) by choice."""
    options = raw_wording()["questions"]["leg_symptoms"]["options"]
    return {
        _flag_key(label): choice
        for choice, by_lang in options.items()
        for label in by_lang.values()
        if choice in LEG_CHOICES and choice != "none"  # `No` is read as a no-word
    }


def names_both_legs(text: str) -> bool:
    """Whether typed words name both legs (`both`, `las dos`, `left and right`); unlike
    `says_both_legs`, words that cannot be read are not counted (a prompt asks again)."""
    words = _flag_key(text).replace("_", " ")
    return bool(_BOTH_LEGS.search(words)) or bool(_LEFT.search(words) and _RIGHT.search(words))


def says_both_legs(value: Any) -> bool:
    """Whether a leg-symptoms answer says both legs, or cannot be read and might (when in
    doubt: the emergency sign, clinical-screening.md §1)."""
    if value is None or leg_choice(value) in LEG_CHOICES:
        return False
    key = _flag_key(value) if isinstance(value, str) else ""
    words = key.replace("_", " ")
    if _LEFT.search(words) and _RIGHT.search(words):
        return True  # `left and right`, `izquierda y derecha`: both legs, in two words
    return bool(_BOTH_LEGS.search(key) or _BOTH_LEGS.search(words)) or not _ONE_LEG.search(words)


# -- keys ---------------------------------------------------------------------------------------

# The safety fields, and names people give them (English, Spanish, shorthand). A key that is
# one of these, or a near miss of one (`redflgas`, `sharpPain`, `aeg`), is read as the field by
# the safety reader: a typo in a safety KEY must not hide its stop (issue 12).
SAFETY_KEYS = ("sharp_pain", "pain", "red_flags", "new_onset", "leg_symptoms", "patient", "age")
_KEY_ALIASES = {
    "redflag": "red_flags",
    "flags": "red_flags",
    "flag": "red_flags",
    "redflagsigns": "red_flags",
    "banderasrojas": "red_flags",
    "signosdealarma": "red_flags",
    "signosdealerta": "red_flags",
    "senalesdealarma": "red_flags",
    "senalesdealerta": "red_flags",
    "senalesdepeligro": "red_flags",
    "signosdepeligro": "red_flags",
    "alarmas": "red_flags",
    "warningsigns": "red_flags",
    "redflagsymptoms": "red_flags",
    "dolorintenso": "pain",
    "intensidaddeldolor": "pain",
    "inicionuevo": "new_onset",
    "dolornuevo": "new_onset",
    "sintomasenlaspiernas": "leg_symptoms",
    "painscore": "pain",
    "painlevel": "pain",
    "currentpain": "pain",
    "painnow": "pain",
    "nrs": "pain",
    "dolor": "pain",
    "doloractual": "pain",
    "niveldedolor": "pain",
    "sharp": "sharp_pain",
    "doloragudo": "sharp_pain",
    "dolorpunzante": "sharp_pain",
    "onset": "new_onset",
    "recentonset": "new_onset",
    "inicioreciente": "new_onset",
    "nuevo": "new_onset",
    "legs": "leg_symptoms",
    "leg": "leg_symptoms",
    "legpain": "leg_symptoms",
    "piernas": "leg_symptoms",
    "sintomasenpiernas": "leg_symptoms",
    "edad": "age",
    "years": "age",
    "paciente": "patient",
    "person": "patient",
}


def _compact(text: str) -> str:
    """A key's letters and digits only, accents dropped (`señales` is `senales`)."""
    plain = unicodedata.normalize("NFKD", _norm(text))
    return re.sub(r"[\W_]+", "", "".join(c for c in plain if not unicodedata.combining(c)))


def _swapped(a: str, b: str) -> bool:
    """The same, or two neighbouring letters swapped (`aeg`, `pian`)."""
    if a == b:
        return True
    diff = [i for i in range(len(a)) if len(a) == len(b) and a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and sorted(a) == sorted(b)


def _near(a: str, b: str) -> bool:
    """One typo apart: two letters swapped, or (for longer words) nearly the same letters."""
    if _swapped(a, b):
        return True
    return min(len(a), len(b)) >= 5 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


@cache
def safety_key(text: str) -> str | None:
    """The safety field a key names, however it is spelt (case, spaces, `-`, camelCase, a
    Spanish name, one typo); None when it names none."""
    key = _compact(str(text))
    if not key:
        return None
    for field in SAFETY_KEYS:
        if key == _compact(field):
            return field
    if key in _KEY_ALIASES:
        return _KEY_ALIASES[key]
    # A field's own name: one typo apart; another name for it: only two letters swapped
    # (`color` must not be read as `dolor`).
    near = [
        (difflib.SequenceMatcher(None, key, _compact(f)).ratio(), f)
        for f in SAFETY_KEYS
        if _near(key, _compact(f))
    ] + [(1.0, f) for alias, f in _KEY_ALIASES.items() if _swapped(key, alias)]
    return max(near)[1] if near else None


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "a mapping"
    return str(value)
