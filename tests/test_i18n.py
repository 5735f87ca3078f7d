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


def test_words_are_one_language_s_values_and_fall_back():
    spanish, english = i18n.words("es"), i18n.words("en")
    assert spanish.gettext("Your exercises") == "Sus ejercicios"
    assert spanish.ngettext("{n} set", "{n} sets", 2) == "{n} series"
    assert spanish.gettext("not in the catalogue") == "not in the catalogue"
    assert (
        english.gettext("Your exercises") == "Your exercises"
    )  # asking in Spanish changed nothing
    assert i18n.words("es") is spanish  # built once
    assert i18n.words("fr") == english  # a language backplan does not speak: English
    assert spanish.short_date(dt.date(2026, 12, 7)) == "7 dic"
    assert english.short_date(dt.date(2026, 12, 7)) == "Dec 7"


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
    return {
        lang: (
            make_outcome(PlanRequest(person, date=date, lang=lang)),
            make_outcome(PlanRequest(stopper, date=date, lang=lang)),
        )
        for lang in ("en", "es")
    }


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


def _every_format(outcome, lang: str) -> str:
    """The outcome as terminal text, Markdown, HTML and a calendar, all in one string."""
    from backplan.render import RenderOptions, render_bytes

    options = RenderOptions(lang=lang)
    pages = [render_bytes(outcome, fmt, options) for fmt in ("terminal", "md", "html")]
    from backplan.render.ics import Reminders, render_ics

    pages.append(render_ics(outcome, reminders=Reminders(zone=None)).replace(b"\r\n ", b""))
    return _words(b"\n".join(pages).decode("utf-8"))


def test_two_requests_in_two_languages_in_one_process_keep_their_own_words(catalogue):
    """Spanish, then English, then Spanish again, with nothing reset in between: each output
    is in its own language only, and the same request gives the same bytes every time."""
    pairs = _fixed_strings(catalogue)
    spanish_words = {es: en for en, es in pairs.items() if es}
    outcomes = _outcomes()
    for index in (0, 1):  # the plan, then the stop notice (its screening reasons too)
        spanish = _every_format(outcomes["es"][index], "es")
        english = _every_format(outcomes["en"][index], "en")
        assert _every_format(outcomes["es"][index], "es") == spanish
        assert _english_left(spanish, pairs, english) == []
        assert _english_left(english, spanish_words, spanish) == []
    said = {lang: {r.id: r.message for r in outcomes[lang][1].reasons} for lang in ("es", "en")}
    assert said["es"]["sharp_pain"].startswith("Tiene un dolor agudo")
    assert said["en"]["sharp_pain"].startswith("You have sharp pain")


def test_a_spanish_progress_report_then_an_english_one_each_in_its_own_words():
    from rich.console import Console

    from backplan.home.logdb import ExerciseRecord, LogRecords, PsfsRecord, SessionRecord
    from backplan.home.progress import build_report
    from backplan.render.progress import print_report, render_html

    dose = {"sets": 2, "reps": 8, "hold_s": 0, "rest_s": 30, "days_per_week": 3}
    plan = {"status": "plan", "exercises": [{"id": "bird-dog", "name": "Bird dog", "dose": dose}]}
    day = dt.date(2026, 12, 7)
    records = LogRecords(
        tuple(
            SessionRecord(
                n,
                f"{day + dt.timedelta(days=2 * n)}T18:00:00+01:00",
                f"{day + dt.timedelta(days=2 * n)}T18:20:00+01:00",
                plan,
                3,
                2,
                "sharp_pain" if n == 3 else None,
                None,
            )
            for n in (1, 2, 3)
        ),
        (ExerciseRecord(1, 1, "bird-dog", "Bird dog", "modified", 2, 8, None, 7, False, ""),),
        psfs=(PsfsRecord(1, f"{day}", "socks", 4, 1),),
    )

    def shown(lang: str) -> str:
        report = build_report(records, day + dt.timedelta(days=10), lang=lang)
        console = Console(width=100, no_color=True)
        with console.capture() as page:
            print_report(report, console)
        return page.get() + _words(render_html(report))

    spanish, english, spanish_again = shown("es"), shown("en"), shown("es")
    assert "dic" in spanish and "Dec" not in spanish
    assert "Dec" in english and "dic" not in english
    assert "Progreso" in spanish and "Progress" in english
    assert "quiropráctico" in spanish and "quiropráctico" not in english  # the advice
    assert spanish_again == spanish


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


def test_no_module_keeps_a_process_wide_setting():
    """Language and other per-request settings travel as values (issue 14): no module of
    backplan rebinds a module-level name at run time (`global`), and i18n offers no setter."""
    import ast
    from pathlib import Path

    import backplan

    src = Path(backplan.__file__).parent
    rebinding = [
        f"{path.relative_to(src)}:{node.lineno}"
        for path in sorted(src.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Global)
    ]
    assert rebinding == []
    assert not [name for name in dir(i18n) if name in ("set_language", "current_language", "_")]


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
