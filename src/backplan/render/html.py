"""HTML from Jinja templates: the clinic's template folder first, then the built-in one.

One cached environment per template folder, autoescape on: everything a person typed is
escaped. The handout's fixed words come from `wording`, so every format says the same.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from backplan import i18n
from backplan.errors import BackplanError, Problem, display_path
from backplan.plan import Figure, Plan, Stop
from backplan.render import wording
from backplan.render.qr import qr_svg
from backplan.resources import builtin_templates_dir

STYLESHEET = "handout.css"
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
def environment(clinic_dir: Path | None) -> Environment:
    """The Jinja environment for a clinic template folder (or none): built once per process.

    Sandboxed: a clinic's template is data, and must not reach Python's internals or the
    shell (`lipsum.__globals__` and the like raise SecurityError)."""
    loaders: list[BaseLoader] = [FolderLoader(clinic_dir)] if clinic_dir is not None else []
    loaders.append(FileSystemLoader(str(builtin_templates_dir())))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["w"] = wording
    env.filters["figure"] = figure_markup
    env.filters["shape"] = figure_shape
    env.filters["qr"] = qr_svg  # video links as scannable codes (render/qr.py)
    return env


def fonts_dir() -> Path:
    """The folder holding the bundled Atkinson Hyperlegible TTF files."""
    return Path(str(files("fontpkg_atkinson_hyperlegible") / "files"))


def fonts_css() -> str:
    """@font-face rules for the bundled font, by file URL (the fetcher allows that folder)."""
    rules = []
    for suffix, style, weight in _FONT_FILES:
        url = (fonts_dir() / f"AtkinsonHyperlegible-{suffix}.ttf").as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); '
            f"font-style: {style}; font-weight: {weight}; }}"
        )
    return "\n".join(rules) + "\n"


def page_css(paper: str) -> str:
    """Paper size and the translated "Page X of Y" (code-owned so --paper and --lang apply)."""
    if paper not in _PAPER_SIZES:
        raise BackplanError(f"unknown paper size `{paper}`; use letter or a4")
    page, of = (_css_string(s) for s in (i18n.gettext("Page"), i18n.gettext("of")))
    return (
        f"@page {{ size: {_PAPER_SIZES[paper]}; "
        f'@bottom-right {{ content: "{page} " counter(page) " {of} " counter(pages); }} }}\n'
    )


def stylesheet_source(clinic_dir: Path | None) -> tuple[str, Path]:
    """The text of handout.css (the clinic's if it has one) and the file it came from."""
    env = environment(clinic_dir)
    try:
        text, filename, _uptodate = env.loader.get_source(env, STYLESHEET)  # type: ignore[union-attr]
    except TemplateNotFound:
        raise BackplanError(f"no {STYLESHEET} in the templates folders") from None
    return text, Path(filename or builtin_templates_dir() / STYLESHEET)


def render_page(outcome: Plan | Stop, options: Any, *, inline_css: bool) -> str:
    """The HTML of the handout or the stop notice; `inline_css` embeds every stylesheet."""
    clinic_dir = options.template_folder()
    env = environment(clinic_dir)
    name = "stop.html.j2" if isinstance(outcome, Stop) else "handout.html.j2"
    styles = None  # for the PDF, the parsed stylesheets are cached and passed separately
    if inline_css:
        css, _path = stylesheet_source(clinic_dir)
        styles = _style_markup(fonts_css() + page_css(options.paper) + css)
    try:
        template = env.get_template(name)
        return template.render(**_context(outcome, options), styles=styles)
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


def _context(outcome: Plan | Stop, options: Any) -> dict[str, Any]:
    clinic = options.clinic
    is_stop = isinstance(outcome, Stop)
    title = wording.stop_heading(outcome) if is_stop else wording.plan_title()
    if outcome.patient.name:
        title = f"{title}: {outcome.patient.name}"
    return {
        "lang": outcome.lang or options.lang,
        "title": title,
        "author": clinic.name if clinic is not None else "backplan",
        "clinic": clinic,
        "logo_url": clinic.logo.as_uri() if clinic is not None and clinic.logo else None,
        "outcome": outcome,
        "plan": None if is_stop else outcome,
        "stop": outcome if is_stop else None,
        "date": wording.date_text(outcome.date),
        "clinician": None if is_stop else outcome.clinician,
        "paper": options.paper,
        "log_weeks": [] if is_stop else _log_weeks(outcome),
        "log_rows": [] if is_stop else _log_rows(outcome),
        # the old log's columns per week, kept for clinic templates written against it
        "log_columns": 0 if is_stop else len(outcome.exercises) + bool(outcome.warmup) + 1,
    }


def _log_rows(plan: Plan) -> list[tuple[str, str]]:
    """The log's rows, (badge, name): the warm-up as one row, then each exercise."""
    rows = [("W", i18n.gettext("Warm-up"))] if plan.warmup else []
    return rows + [(str(n), item.name) for n, item in enumerate(plan.exercises, 1)]


def _log_weeks(plan: Plan) -> list[list[int]]:
    """Week numbers two to a table, so a two-week log is one table of seven rows."""
    weeks = list(range(1, plan.weeks + 1))
    return [weeks[i : i + 2] for i in range(0, len(weeks), 2)]


_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)


def figure_markup(figure: Figure | None) -> Markup:
    """An illustration with its text alternative: inline SVG gets a <title>, an image its alt."""
    if figure is None:
        return Markup("")
    svg = figure.svg_markup()
    if svg:
        match = _SVG_OPEN.search(svg)
        if match and "<title" not in svg.lower():
            # WeasyPrint takes an inline SVG's PDF alt text only from a <title> child.
            title = Markup("<title>{}</title>").format(figure.alt)
            svg = svg[: match.end()] + str(title) + svg[match.end() :]
        return Markup(svg)  # drawn by backplan's own figure code, not typed by a person
    if figure.path:
        return Markup('<img src="{}" alt="{}">').format(Path(figure.path).as_uri(), figure.alt)
    return Markup("")


_VIEWBOX = re.compile(r'viewBox="[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)"')
WIDE = 1.5  # two standing frames side by side; stacked lying or kneeling frames are near 1


def figure_shape(markup: str) -> str:
    """'wide' for a drawing at least 1.5 times as wide as tall, else 'tall' (images too:
    their size is unknown until layout). The handout sets the steps beside a tall one."""
    match = _VIEWBOX.search(markup)
    if match and float(match[2]) > 0 and float(match[1]) / float(match[2]) >= WIDE:
        return "wide"
    return "tall"


def _style_markup(css: str) -> Markup:
    # A stylesheet inside <style> must not be able to close the element.
    return Markup(css.replace("</", "<\\/"))


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
