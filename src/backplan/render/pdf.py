"""The printable handout: HTML from the templates, laid out by WeasyPrint as a tagged PDF.

WeasyPrint is imported inside `render` only: the terminal page and `--help` do not pay for it
(about half a second). The font configuration and the parsed stylesheets are kept for the
life of the process, because a batch renders hundreds of handouts.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from backplan.errors import BackplanError
from backplan.plan import Plan, Stop
from backplan.render import html
from backplan.render.fetcher import FetchPolicy, make_fetcher, refusal
from backplan.resources import builtin_exercises_dir, builtin_templates_dir

log = logging.getLogger(__name__)


def render(outcome: Plan | Stop, options: Any) -> bytes:
    """The PDF bytes of the handout or the stop notice."""
    from backplan.doctor import load_weasyprint

    weasyprint = load_weasyprint()  # without Pango: doctor's message, exit 2

    clinic = options.clinic
    clinic_dir = options.template_folder()
    policy = FetchPolicy.of(
        folders=(
            builtin_templates_dir(),
            html.fonts_dir(),
            builtin_exercises_dir(),
            *options.library_dirs,
            clinic_dir,
        ),
        files=(clinic.logo if clinic is not None else None,),
    )
    page = html.render_page(outcome, options, inline_css=False)
    with _quiet_weasyprint() as problems:
        try:
            stylesheets = _stylesheets(clinic_dir, options.paper, _lang_key())
            document = weasyprint.HTML(
                string=page,
                base_url=str((clinic_dir or builtin_templates_dir()).resolve()) + "/",
                url_fetcher=make_fetcher(policy),
            )
            _drop_attachments(document)
            rendered = document.render(
                stylesheets=stylesheets, font_config=_font_config(), pdf_variant="pdf/ua-1"
            )
            rendered.metadata.attachments = []
            data = rendered.write_pdf(pdf_variant="pdf/ua-1")
        except BaseException as exc:
            error = refusal(exc)
            if error is None:
                raise
            raise error from None
    if problems:
        raise BackplanError(problems, title="The handout could not use a picture or stylesheet")
    return data


@cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    # Drop the cached objects before interpreter shutdown tears down the modules their
    # finalisers need (otherwise Python prints an "Exception ignored" at exit).
    atexit.register(_font_config.cache_clear)
    atexit.register(_stylesheets.cache_clear)
    return FontConfiguration()


@cache
def _stylesheets(clinic_dir: Path | None, paper: str, lang: str) -> list[Any]:
    """The bundled font, the page setup and handout.css, parsed once per folder, paper, language."""
    import weasyprint

    css_text, css_path = html.stylesheet_source(clinic_dir)
    policy = FetchPolicy.of(folders=(builtin_templates_dir(), html.fonts_dir(), clinic_dir))
    fetcher = make_fetcher(policy)
    font_config = _font_config()
    return [
        weasyprint.CSS(string=html.fonts_css(), font_config=font_config, url_fetcher=fetcher),
        weasyprint.CSS(
            string=css_text,
            base_url=str(css_path.resolve()),
            font_config=font_config,
            url_fetcher=fetcher,
        ),
        weasyprint.CSS(string=html.page_css(paper), font_config=font_config, url_fetcher=fetcher),
    ]


def _lang_key() -> str:
    from backplan.i18n import current_language

    return current_language()


def _drop_attachments(document: Any) -> None:
    """Neutralise rel=attachment: WeasyPrint would embed the whole linked file in the PDF."""
    for element in document.etree_element.iter():
        rel = element.get("rel") if hasattr(element, "get") else None
        if rel and "attachment" in rel.lower().split():
            del element.attrib["rel"]


@contextlib.contextmanager
def _quiet_weasyprint() -> Iterator[list[str]]:
    """Keep WeasyPrint's log off the user's terminal; collect the errors that matter.

    WeasyPrint logs an error when an image or stylesheet cannot be used (the handout would
    silently lack it); its warnings are about CSS details and go to our debug log.
    """
    logger = logging.getLogger("weasyprint")
    problems: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                problems.append(record.getMessage())
            else:
                log.debug("weasyprint: %s", record.getMessage())

    handler = Collect()
    before = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield problems
    finally:
        logger.removeHandler(handler)
        logger.propagate = before
