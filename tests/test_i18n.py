"""The Spanish interface: the catalogue covers every string in the code, the compiled .mo
matches the .po, and a Spanish handout has no English left in its fixed text."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from backplan import i18n

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "backplan" / "locale"
PO = LOCALE / "es" / "LC_MESSAGES" / "backplan.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^}]*)?\}|%\([a-z_]+\)[sd]")


def _extracted() -> set[str | tuple[str, str]]:
    """Every msgid in the code and templates, as `make extract` (babel.cfg) finds them."""
    found: set = set()
    method_map = [("**.py", "python"), ("**.j2", "jinja2")]
    options = {"**.j2": {"extensions": "jinja2.ext.i18n"}}
    for folder in (ROOT / "src", ROOT / "templates"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder), method_map, options, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="es")


def test_every_string_in_the_code_has_a_spanish_translation(catalogue):
    translated = {
        m.id
        for m in catalogue
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(map(str, _extracted() - translated))
    assert not missing, (
        f"{len(missing)} strings have no Spanish translation; run `make update`, translate them "
        f"in {PO.relative_to(ROOT)}, then `make compile`:\n" + "\n".join(missing)
    )


def test_translations_keep_every_placeholder(catalogue):
    for m in catalogue:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = sorted(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            assert sorted(PLACEHOLDER.findall(s)) == want, (m.id, s)


def test_the_compiled_catalogue_matches_the_po(catalogue):
    with MO.open("rb") as f:
        mo = gettext.GNUTranslations(f)
    assert mo.info()["language"] == "es"
    for m in catalogue:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            assert mo.ngettext(*m.id, 1) == m.string[0], f"{MO.name} is stale: make compile"
            assert mo.ngettext(*m.id, 5) == m.string[1], f"{MO.name} is stale: make compile"
        else:
            assert mo.gettext(m.id) == m.string, f"{MO.name} is stale: run `make compile`"


def test_gettext_switches_language_and_falls_back():
    i18n.set_language("es")
    try:
        assert i18n.gettext("Your exercises") == "Sus ejercicios"
        assert i18n.ngettext("{n} set", "{n} sets", 2) == "{n} series"
        assert i18n.gettext("not in the catalogue") == "not in the catalogue"
    finally:
        i18n.set_language("en")
    assert i18n.gettext("Your exercises") == "Your exercises"


def _fixed_strings(catalogue) -> dict[str, str]:
    """English fixed text -> Spanish, split at placeholders into literal runs worth checking."""
    pairs: dict[str, str] = {}
    for m in catalogue:
        if not m.id or isinstance(m.id, tuple) or m.string == m.id:
            continue
        english = [p.strip(" :.,;") for p in PLACEHOLDER.split(m.id)]
        spanish = [p.strip(" :.,;") for p in PLACEHOLDER.split(m.string)]
        for en, es in zip(english, spanish, strict=False):
            if en and en != es and (len(en) > 2 or en.istitle()):
                pairs[en] = es
    return pairs


def _words(text: str) -> str:
    """Visible text only (no tags, styles or attribute values), whitespace collapsed."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text)


def _english_left(text: str, pairs: dict[str, str], shown_in_english: str) -> list[str]:
    return sorted(
        en
        for en in pairs
        if re.search(rf"(?<![\w-]){re.escape(en)}(?![\w-])", shown_in_english)
        and re.search(rf"(?<![\w-]){re.escape(en)}(?![\w-])", text)
    )


def _outcomes():
    from backplan.intake.answers import Answers
    from backplan.pipeline import PlanRequest, make_outcome

    date = dt.date(2025, 3, 4)
    person = Answers(sharp_pain=False, pain=5, red_flags=[], equipment=["chair"], notes=[])
    stopper = Answers(
        sharp_pain=True, pain=3, red_flags=["history_of_cancer", "fever_or_systemically_unwell"]
    )
    try:
        return {
            lang: (
                make_outcome(PlanRequest(person, date=date, lang=lang)),
                make_outcome(PlanRequest(stopper, date=date, lang=lang)),
            )
            for lang in ("en", "es")
        }
    finally:
        i18n.set_language("en")  # make_outcome switches the process's language


@pytest.mark.pdf
def test_a_spanish_pdf_has_no_english_fixed_text_left(catalogue, tmp_path):
    from pypdf import PdfReader

    from backplan.render import RenderOptions, write_outcome

    pairs = _fixed_strings(catalogue)
    texts = {}
    for lang, (plan, _stop) in _outcomes().items():
        path = write_outcome(plan, tmp_path / f"{lang}.pdf", None, RenderOptions(lang=lang))
        texts[lang] = _words(" ".join(p.extract_text() for p in PdfReader(path).pages))
    shown = [en for en in pairs if en in texts["en"]]
    assert len(shown) >= 10  # the comparison means something: the handout's headings, dose words
    assert _english_left(texts["es"], pairs, texts["en"]) == []
    for heading in ("Your exercises", "Warm-up", "Sets", "Common mistakes", "Your log"):
        assert heading in texts["en"] and pairs[heading] in texts["es"]


def test_a_spanish_stop_notice_and_terminal_page_have_no_english_left(catalogue):
    from backplan.render import RenderOptions, render_html, render_text

    pairs = _fixed_strings(catalogue)
    outcomes = _outcomes()
    for index, render in ((0, render_text), (1, render_text), (1, render_html)):
        english = _words(render(outcomes["en"][index], RenderOptions(lang="en")))
        spanish = _words(render(outcomes["es"][index], RenderOptions(lang="es")))
        assert _english_left(spanish, pairs, english) == [], render.__name__


def test_language_block_restores_the_callers_language_even_after_an_error():
    import pytest

    from backplan.i18n import _, current_language, language, set_language

    set_language("es")
    with pytest.raises(RuntimeError), language("en"):
        assert _("Safety check") == "Safety check"
        raise RuntimeError
    assert current_language() == "es"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "es"}, "es"),
        ({"LANG": "es_MX"}, "es"),
        ({"LANG": "ca_ES@valencia"}, None),  # a language backplan does not speak
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({}, None),
        ({"LANG": "es_ES.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),  # LC_MESSAGES over LANG
        ({"LC_MESSAGES": "en_US.UTF-8", "LC_ALL": "es_ES.UTF-8"}, "es"),  # LC_ALL over both
        ({"LC_ALL": "", "LANG": "es_ES.UTF-8"}, "es"),  # set but empty: not set
        ({"LC_ALL": "C", "LANG": "es_ES.UTF-8"}, None),  # LC_ALL=C decides: the default
    ],
)
def test_the_locale_picks_the_language_as_posix_orders_it(env, expected):
    from backplan.i18n import lang_from_environment

    assert lang_from_environment(env) == expected


@pytest.mark.parametrize("lang", ["en", "es"])
def test_dates_without_babel_are_babels_dates(lang):
    import datetime as dt

    from babel.dates import format_date, format_skeleton

    from backplan.i18n import words

    these = words(lang)
    for n in range(366):
        day = dt.date(2028, 1, 1) + dt.timedelta(days=n)
        assert these.long_date(day) == format_date(day, format="long", locale=lang)
        assert these.short_date(day) == format_skeleton("MMMd", day, locale=lang)
