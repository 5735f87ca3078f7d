"""HTML from Jinja templates: the clinic's template folder first, then the built-in one.

One cached environment per template folder and language, autoescape on: everything a person
typed is escaped. The handout's fixed words come from `wording`, so every format says the same;
`_()` in a template and the `w` it calls speak the environment's language, never the process's.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import mimetypes
import re
from collections.abc import Iterator, Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

import jinja2
from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    pass_context,
)
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from backplan.errors import BackplanError, Problem, display_path
from backplan.i18n import Words, words
from backplan.planning.outcome import Figure, Plan, Stop
from backplan.render.controls import without_controls
from backplan.render.qr import qr_svg
from backplan.render.wording import Wording
from backplan.resources import (
    builtin_templates_dir,
    code_stamp,
    start_code_folder,
    user_cache_dir,
)

if TYPE_CHECKING:
    from backplan.clinic.profile import Clinic
    from backplan.render import RenderOptions

STYLESHEET = "handout.css"
LOG_STYLESHEET = "log.css"  # after handout.css, always: the log's drawn days
LARGE_PRINT_STYLESHEET = "large-print.css"  # after those, for large print only
FONT_FAMILY = "Atkinson Hyperlegible"
_FONT_FILES = (
    ("Regular", "normal", 400),
    ("Italic", "italic", 400),
    ("Bold", "normal", 700),
    ("BoldItalic", "italic", 700),
)
_PAPER_SIZES = {"letter": "letter", "a4": "A4"}


class FolderLoader(FileSystemLoader):
    """A FileSystemLoader that refuses a template whose real path leaves its folder (a link)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.root = folder.resolve()

    def get_source(self, environment: Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not real.is_relative_to(self.root):
            raise BackplanError(
                f"{display_path(filename)}: refused: the template `{template}` is a link to a "
                f"file outside the templates folder {display_path(self.root)}; copy the file in",
                title="A template has a problem",
            )
        return source, filename, uptodate


@cache
def environment(clinic_dir: Path | None, lang: str) -> Environment:
    """The Jinja environment for a clinic template folder (or none) and a language: built once
    per process for each pair, so a batch of English and Spanish rows compiles each template
    at most twice and no request changes another's words.

    Sandboxed: a clinic's template is data, and must not reach Python's internals or the
    shell (`lipsum.__globals__` and the like raise SecurityError)."""
    said = words(lang)
    loaders: list[BaseLoader] = [FolderLoader(clinic_dir)] if clinic_dir is not None else []
    loaders.append(FileSystemLoader(str(builtin_templates_dir())))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        bytecode_cache=_compiled_templates(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        finalize=_without_controls,  # no NUL or ESC from a name or a note reaches the page
    )
    # jinja2.ext.i18n's `_` looks `gettext` up in the globals; newstyle escapes and formats
    env.install_gettext_callables(said.gettext, said.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["w"] = Wording(said)
    env.filters["figure"] = _figure_filter
    env.filters["shape"] = figure_shape
    env.filters["qr"] = lambda url: qr_svg(url, said)  # video links as codes (render/qr.py)
    env.filters["breakable"] = breakable
    env.filters["time_ranges"] = time_ranges
    env.filters["halves"] = balanced_halves
    env.filters["units"] = with_units
    return env


# A number and the unit after it ("10 cm", "30 seconds", "2 segundos") stay on one line.
_NUMBER_UNIT = re.compile(
    r"(\d) (?=(?:cm|mm|m|kg|lb|in|ft|s|min|seconds?|minutes?|segundos?|minutos?|times|veces)\b)"
)


def with_units(text: str) -> str:
    """The text with a no-break space between each number and its unit."""
    joined = _NUMBER_UNIT.sub("\\1\u00a0", text)
    return Markup(joined) if isinstance(text, Markup) else joined  # escaped once, not twice


# About how many characters of a step fit on a line of one of two columns (11 pt, Letter or A4).
_COLUMN_CHARS = 42


def balanced_halves(steps: Sequence[str]) -> tuple[list[str], list[str]]:
    """The steps split in two runs whose taller is as short as can be (the first on a tie)."""
    lines = list(itertools.accumulate(max(1, -(-len(s) // _COLUMN_CHARS)) for s in steps))
    total = lines[-1] if lines else 0
    heights = [0, *lines]  # the first column's height when cut before step k
    cut = min(range(len(heights)), key=lambda k: (max(heights[k], total - heights[k]), -k))
    return list(steps[:cut]), list(steps[cut:])


def _compiled_templates() -> BytecodeCache | None:
    """Jinja's compiled templates, kept in the user's cache folder: compiling the handout's
    templates costs each PDF about a tenth of backplan's own time. Jinja reuses an entry only
    while its template's text is unchanged; the folder is this code's own (`_code_key`)."""
    folder = user_cache_dir() / f"templates-{_code_key()}"
    try:
        if not folder.is_dir():
            start_code_folder(folder, "templates")
    except OSError:
        return None  # no cache folder: compile every time, as before
    return _QuietBytecodeCache(str(folder))


@cache
def _code_key() -> str:
    """The stamp of this module and of Jinja: the environment's settings (autoescape, the
    output filter, the trimmed blocks) and Jinja's code generator are compiled into each
    template, so templates compiled by other code are never read."""
    return code_stamp([Path(__file__), Path(jinja2.__file__)])


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """A compiled-template cache whose failures cost only time, never the handout."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # an unreadable or broken entry: compile the template again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # the cache folder gone or read-only
            super().dump_bytecode(bucket)


def _without_controls(value: Any) -> Any:
    if isinstance(value, Markup):
        return Markup(without_controls(value))
    return without_controls(value) if isinstance(value, str) else value


_BREAK_AFTER = re.compile(r"(?<=[/@])(?=.)|(?=\.[^\s.])")


def breakable(text: str | None) -> Markup:
    """A web address or e-mail that may wrap only after a slash or @, or before a dot: never
    inside a word, and never right after "://"."""
    if not text:
        return Markup("")
    scheme, sep, rest = str(text).partition("://")
    if not sep:
        scheme, rest = "", scheme
    head = Markup.escape(scheme + sep)
    pieces = _BREAK_AFTER.split(rest)
    body = Markup("<wbr>").join(Markup.escape(p) for p in pieces)
    return Markup('<span class="nobreak">{}</span>').format(head + body) if sep else body


def time_ranges(text: str) -> Markup:
    """Opening times that wrap only between their ranges: "9:00 am-12:30 pm," never splits."""
    parts = [p.strip() for p in str(text).split(",")]
    spans = [
        Markup('<span class="range">{}{}</span>').format(p, "," if i < len(parts) - 1 else "")
        for i, p in enumerate(parts)
    ]
    return Markup(" ").join(spans)


def fonts_dir() -> Path:
    """The folder holding the bundled Atkinson Hyperlegible TTF files."""
    return Path(str(files("fontpkg_atkinson_hyperlegible") / "files"))


@cache
def fonts_css(inline: bool = False) -> str:
    """@font-face rules for the bundled font: by file URL for the PDF (the fetcher allows that
    folder), or `inline` as data: URIs, so an HTML handout works e-mailed on its own. Made
    once per process: a batch of HTML handouts inlines the same fonts in each."""
    folder = fonts_dir()
    rules = []
    for suffix, style, weight in _FONT_FILES:
        path = folder / f"AtkinsonHyperlegible-{suffix}.ttf"
        url = data_uri(path) if inline else path.as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); '
            f"font-style: {style}; font-weight: {weight}; }}"
        )
    return "\n".join(rules) + "\n"


def data_uri(path: Path | str) -> str:
    """The file as a data: URI (base64), for a page that carries its own pictures and fonts."""
    path = Path(path)
    # the bundled fonts without `mimetypes`, whose first use reads the system's type tables
    kind = "font/ttf" if path.suffix.lower() == ".ttf" else mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def page_css(paper: str, words: Words) -> str:
    """Paper size and the translated "Page X of Y" (code-owned so --paper and --lang apply)."""
    _ = words.gettext
    if paper not in _PAPER_SIZES:
        raise BackplanError(f"unknown paper size `{paper}`; use letter or a4")
    page, of = (_css_string(s) for s in (_("Page"), _("of")))
    return (
        f"@page {{ size: {_PAPER_SIZES[paper]}; "
        f'@bottom-right {{ content: "{page} " counter(page) " {of} " counter(pages); }} }}\n'
    )


def stylesheet_source(clinic_dir: Path | None, large: bool = False) -> tuple[str, Path]:
    """The text of handout.css then log.css (each the clinic's if it has one), followed in
    `large` print by large-print.css, and the file handout.css came from."""
    env = environment(clinic_dir, "en")  # the same folders in every language
    names = (LOG_STYLESHEET, LARGE_PRINT_STYLESHEET) if large else (LOG_STYLESHEET,)
    try:
        text, filename, _uptodate = env.loader.get_source(env, STYLESHEET)  # type: ignore[union-attr]
        for name in names:
            text += "\n" + env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    except TemplateNotFound as exc:
        raise BackplanError(f"no {exc.name} in the templates folders") from None
    return text, Path(filename or builtin_templates_dir() / STYLESHEET)


def render_page(
    outcome: Plan | Stop, options: RenderOptions, *, inline_css: bool, tight: bool = False
) -> str:
    """The HTML of the handout or the stop notice; `inline_css` embeds every stylesheet and
    picture; `tight` asks the stylesheet for its closer layout (body class "tight")."""
    clinic_dir, clinic = options.template_folder(), options.clinic
    said = words(options.lang)
    env = environment(clinic_dir, said.lang)
    name = "stop.html.j2" if isinstance(outcome, Stop) else "handout.html.j2"
    styles = None  # for the PDF, the parsed stylesheets are cached and passed separately
    if inline_css:
        css, _path = stylesheet_source(clinic_dir, options.is_large_print())
        rest = page_css(options.paper_size(), said) + css + running_css(outcome, clinic, said)
        styles = Stylesheets(fonts_css(inline=True), rest)
    try:
        template = env.get_template(name)
        context = _context(outcome, options, Wording(said), inline=inline_css)
        return template.render(**context, styles=styles, tight=tight)
    except TemplateSyntaxError as exc:  # a clinic's template with a mistake in it
        where = display_path(exc.filename) if exc.filename else exc.name or name
        raise BackplanError(
            [Problem(where, exc.lineno, None, exc.message or "template syntax error")],
            title="A template has a problem",
        ) from None
    except UndefinedError as exc:
        raise BackplanError(
            f"{name}: the template uses something the handout does not have: {exc.message}",
            title="A template has a problem",
        ) from None
    except SecurityError as exc:  # the sandbox stopped it: nothing was run
        raise BackplanError(
            f"{name}: refused: the template tried something a handout template may not do "
            f"({exc}); templates can only show the plan's values",
            title="A template has a problem",
        ) from None


def _context(
    outcome: Plan | Stop, options: RenderOptions, w: Wording, *, inline: bool = False
) -> dict[str, Any]:
    clinic = options.clinic
    stop = outcome if isinstance(outcome, Stop) else None
    plan = outcome if isinstance(outcome, Plan) else None
    large = options.is_large_print()
    title = w.stop_heading(stop) if stop is not None else w.plan_title()
    if outcome.patient.name:
        title = f"{title}: {outcome.patient.name}"
    logo_url = None
    if clinic is not None and clinic.logo:
        logo_url = _asset_url(clinic.logo, inline)
    return {
        "lang": outcome.lang or options.lang,
        "title": title,
        "author": clinic.name if clinic is not None else "backplan",
        "clinic": clinic,
        "logo_url": logo_url,
        # in the PDF's page (its stylesheets are passed apart); the HTML has it in `styles`
        "running": None if inline else _style_markup(running_css(outcome, clinic, w.words)),
        "inline": inline,
        "outcome": outcome,
        "plan": plan,
        "stop": stop,
        "date": w.date_text(outcome.date),
        "clinician": plan.clinician if plan is not None else None,
        "paper": options.paper_size(),
        "large_print": large,
        "log_weeks": _log_weeks(plan, 1 if large else 2) if plan is not None else [],
        "log_rows": _log_rows(plan, w) if plan is not None else [],
        # the old log's columns per week, kept for clinic templates written against it
        "log_columns": len(plan.exercises) + bool(plan.warmup) + 1 if plan is not None else 0,
    }


def running_css(outcome: Plan | Stop, clinic: Clinic | None, words: Words) -> str:
    """The running header and footer's words: the patient's name at the top of pages 2 on,
    the clinic and its phone at the foot of every page. Set as page-margin content (never as
    hidden text in the page, which a screen reader would read before the title)."""
    foot = Wording(words).no_clinic_contact()
    if clinic is not None:
        foot = " · ".join(v for v in (clinic.name, clinic.phone) if v)
    patient = _css_string(outcome.patient.name or "")
    return (
        f'@page {{ @top-right {{ content: "{patient}"; }} '
        f'@bottom-left {{ content: "{_css_string(foot)}"; }} }}\n'
        "@page :first { @top-right { content: none; } }\n"
    )


def _asset_url(path: Path | str, inline: bool) -> str:
    """A picture's URL: a file URL the PDF's fetcher checks, or a data: URI in the HTML."""
    return data_uri(path) if inline else Path(path).as_uri()


def _log_rows(plan: Plan, w: Wording) -> list[tuple[str, str]]:
    """The log's rows, (badge, name): the warm-up as one row, then each exercise."""
    _ = w.words.gettext
    rows = [(w.warmup_badge(), _("Warm-up"))] if plan.warmup else []
    return rows + [(str(n), item.name) for n, item in enumerate(plan.exercises, 1)]


def _log_weeks(plan: Plan, per_table: int = 2) -> list[list[int]]:
    """Week numbers two to a table (one in large print), so a two-week log is one table."""
    weeks = list(range(1, plan.weeks + 1))
    return [weeks[i : i + per_table] for i in range(0, len(weeks), per_table)]


_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_DESC = re.compile(r"<desc>(.*?)</desc>", re.IGNORECASE | re.DOTALL)


@pass_context
def _figure_filter(context: Any, figure: Figure | None) -> Markup:
    return figure_markup(figure, inline=bool(context.get("inline")))


def figure_markup(figure: Figure | None, *, inline: bool = False) -> Markup:
    """An illustration with its text alternative: the exercise's name and what the pose
    shows, in the picture's alt (the PDF's alt text) and in a drawing's own <title>.

    A drawing goes in as an <img> with the SVG in a data: URL, not as inline SVG: WeasyPrint
    then reads it with a C XML parser instead of its HTML parser and never runs the handout's
    stylesheet over its hundreds of nodes (a tenth of the layout time). `inline` puts an
    image file in the page as a data: URI."""
    if figure is None:
        return Markup("")
    svg = figure.svg_markup()
    if svg:
        match = _SVG_OPEN.search(svg)
        if match and "<title" not in svg.lower():
            title = Markup("<title>{}</title>").format(figure.alt)
            svg = svg[: match.end()] + str(title) + svg[match.end() :]
        desc = _DESC.search(svg)
        if desc and desc[1].strip():
            # the alt text is the description, not the heading repeated (still escaped text)
            svg = _TITLE.sub(lambda m: f"<title>{m[1]}: {desc[1]}</title>", svg, count=1)
        named = _TITLE.search(svg)
        alt = unescape_xml(named[1]) if named else figure.alt
        # drawn by backplan's own figure code, not typed by a person; escaped as a URL
        url = "data:image/svg+xml," + url_escaped(svg)
        return Markup('<img class="drawing" src="{}" alt="{}">').format(url, alt)
    if figure.path:
        return Markup('<img src="{}" alt="{}">').format(_asset_url(figure.path, inline), figure.alt)
    return Markup("")


# Left as they are in a drawing's data: URL (short and still readable); the rest is %-escaped.
_URL_SAFE = " /=.,:;-_()!*'"
# The ASCII characters `quote` escapes with _URL_SAFE, "%" first (the escapes hold one).
_URL_ESCAPES = {
    c: f"%{ord(c):02X}"
    for c in ["%", *map(chr, range(128))]
    if not (c.isalnum() or c in "_.-~" + _URL_SAFE)
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def url_escaped(text: str) -> str:
    """`quote(text, safe=_URL_SAFE)`, about ten times faster on a drawing: a handful of
    characters (`<`, `>`, `"`, `#`) recur thousands of times, and `quote` looks each
    character up in Python."""
    for char, escape in _URL_ESCAPES.items():
        if char in text:
            text = text.replace(char, escape)
    if not text.isascii():
        text = _NON_ASCII.sub(lambda m: quote(m[0]), text)
    return text


# The references XML has (a drawing is XML): the five named ones and numeric ones.
_XML_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_XML_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def unescape_xml(text: str) -> str:
    """XML text with its references replaced by their characters (the html module's
    `unescape` would do as well, but importing its entity tables costs a run about 1.5 ms)."""
    return _XML_REFERENCE.sub(_xml_character, text) if "&" in text else text


def _xml_character(match: re.Match[str]) -> str:
    if match[1]:
        return _XML_NAMED[match[1]]
    code = int(match[2]) if match[2] else int(match[3], 16)
    valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
    return chr(code) if valid else match[0]  # not a character: left as it was written


_VIEWBOX = re.compile(r'viewBox="[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)"')
WIDE = 1.5  # two standing frames side by side; stacked lying or kneeling frames are near 1


def figure_shape(markup: str) -> str:
    """'wide' for a drawing at least 1.5 times as wide as tall, else 'tall' (images too:
    their size is unknown until layout). The handout sets the steps beside a tall one."""
    # A drawing's SVG is in a data: URL: its <svg> tag holds the viewBox, so only the URL up
    # to that tag's end (`>`, escaped as %3E) is unescaped, not the whole drawing.
    end = markup.find("%3E", max(markup.find("%3Csvg"), 0))
    match = _VIEWBOX.search(unquote(markup[: end + 3] if end >= 0 else markup))
    if match and float(match[2]) > 0 and float(match[1]) / float(match[2]) >= WIDE:
        return "wide"
    return "tall"


class Stylesheets:
    """The page's stylesheets for its <style>: the inlined fonts, then the rest, whose
    control characters are dropped here, once. Not a string, so the template's output filter
    (`_without_controls`) passes it by instead of reading a third of a megabyte of fonts
    again; what a template makes of it (`styles ~ x`, a filter) is a string and is read."""

    __slots__ = ("markup",)

    def __init__(self, fonts: str, css: str) -> None:
        # the fonts are base64 of the package's files: no control character, no "</"
        self.markup = Markup(fonts) + _style_markup(without_controls(css))

    def __html__(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __len__(self) -> int:
        return len(self.markup)

    def __bool__(self) -> bool:
        return bool(self.markup)

    # Read as the string it was before, by a clinic's template: `"x" in styles`, `styles[:9]`,
    # `styles.count(...)`. What these return is a string again, so the filter reads it.
    def __contains__(self, text: str) -> bool:
        return text in self.markup

    def __getitem__(self, index: Any) -> str:
        return self.markup[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.markup)

    def __getattr__(self, name: str) -> Any:
        if name == "markup":  # not set yet (a copy being made): no endless lookup
            raise AttributeError(name)
        return getattr(self.markup, name)


def _style_markup(css: str) -> Markup:
    # A stylesheet inside <style> must not be able to close the element.
    return Markup(css.replace("</", "<\\/"))


def _css_string(text: str) -> str:
    """Text for a CSS "string": control characters as spaces, and no < or > at all, so a
    name can never close the <style> element it sits in."""
    text = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return text.replace("<", "\\3c ").replace(">", "\\3e ")
