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
from typing import TYPE_CHECKING, Any

from backplan.doctor import load_weasyprint
from backplan.errors import BackplanError
from backplan.i18n import words
from backplan.planning.outcome import Plan, Stop
from backplan.render import html
from backplan.render.fetcher import FetchPolicy, make_fetcher, refusal
from backplan.resources import builtin_exercises_dir, builtin_templates_dir

if TYPE_CHECKING:
    from backplan.render import RenderOptions

log = logging.getLogger(__name__)


def render(outcome: Plan | Stop, options: RenderOptions) -> bytes:
    """The PDF bytes of the handout or the stop notice."""
    weasyprint = load_weasyprint()  # without Pango: doctor's message, exit 2

    _patch_tagging()
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
    with _quiet_weasyprint() as problems:
        try:
            stylesheets = _stylesheets(
                clinic_dir, options.paper_size(), options.lang, options.is_large_print()
            )

            def lay_out(tight: bool) -> Any:
                page = html.render_page(outcome, options, inline_css=False, tight=tight)
                document = weasyprint.HTML(
                    string=page,
                    base_url=str((clinic_dir or builtin_templates_dir()).resolve()) + "/",
                    url_fetcher=make_fetcher(policy),
                )
                _drop_attachments(document)
                images = dict(_DRAWINGS)
                rendered = document.render(
                    stylesheets=stylesheets,
                    font_config=_font_config(),
                    pdf_variant="pdf/ua-1",
                    cache=images,
                )
                if len(_DRAWINGS) > _MOST_DRAWINGS:  # a huge library: start afresh, stay flat
                    _DRAWINGS.clear()
                _DRAWINGS.update((k, v) for k, v in images.items() if k.startswith(_SVG_URL))
                return rendered

            # Large print is laid out closer from the start, once: there the closer layout
            # keeps the type, the log's boxes and the spacing and narrows the figures, and
            # over 108 large-print plans (en/es, Letter/A4, 1-6 exercises, the protocols) it
            # was never longer and saved a page in 59 (737 pages against 799). Its log never
            # shares page 1, so the rule below would always have laid it out twice.
            large = options.is_large_print()
            rendered = lay_out(tight=large)
            if not large and worth_a_closer_layout(rendered):
                tighter = lay_out(tight=True)
                if len(tighter.pages) < len(rendered.pages):
                    rendered = tighter
            rendered.metadata.attachments = []
            _RUNNING_TEXT.update(_margin_text_boxes(rendered))
            try:
                data = rendered.write_pdf(pdf_variant="pdf/ua-1")
            finally:
                _RUNNING_TEXT.clear()
        except BaseException as exc:
            error = refusal(exc)
            if error is None:
                raise
            raise error from None
    if problems:
        raise BackplanError(
            "\n".join(problems), title="The handout could not use a picture or stylesheet"
        )
    return data


# The drawings WeasyPrint has read, by their data: URL (which is the whole drawing), kept
# for the life of the process: a batch's handouts share most of them. Only drawings: a
# picture file is read anew each time, through the fetch policy of that handout.
_SVG_URL = "data:image/svg+xml,"
_DRAWINGS: dict[str, Any] = {}
_MOST_DRAWINGS = 64  # at most ~200 KB each: ~12 MB

# The text boxes of the page margins (running header and footer) of the PDF being written.
_RUNNING_TEXT: set[Any] = set()


def _margin_text_boxes(document: Any) -> set[Any]:
    from weasyprint.formatting_structure import boxes

    found: set[Any] = set()
    for page in document.pages:
        for margin in page._page_box.children[1:]:
            if isinstance(margin, boxes.MarginBox):
                found.update(b for b in margin.descendants() if isinstance(b, boxes.TextBox))
    return found


@cache
def _patch_tagging() -> None:
    """Two PDF/UA fixes to WeasyPrint 70's tagging, applied once per process.

    - Every TH gets a /Scope (Column, or Row for `scope="row"`): WeasyPrint links cells to
      headers by /Headers and IDs but writes no IDTree, so a checker cannot resolve them
      (Matterhorn 15-003).
    - The running header and footer (page-margin text) are marked as artifacts: WeasyPrint
      tags them as Spans that hang outside the structure tree (Matterhorn 01-001).
    Both wrap private functions; on a WeasyPrint without them the PDF is as before."""
    try:
        from weasyprint.formatting_structure import boxes
        from weasyprint.pdf import stream, tags
    except ImportError:  # pragma: no cover - a WeasyPrint without tagging
        return
    real = getattr(tags, "_build_box_tree", None)
    stream_class: Any = getattr(stream, "Stream", None)
    if real is None or not hasattr(stream_class, "marked"):  # pragma: no cover
        return
    real_marked = stream_class.marked

    @contextlib.contextmanager
    def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        if box in _RUNNING_TEXT:
            with self.artifact():
                yield
        else:
            with real_marked(self, box, tag):
                yield

    def build(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        if isinstance(box, boxes.MarginBox) and _RUNNING_TEXT:
            return  # drawn as artifacts: nothing of it belongs in the tree
        for element in real(box, parent, *args):
            if element.get("S") == "/TH" and "A" in element and box.element is not None:
                scope = "/Row" if box.element.get("scope") == "row" else "/Column"
                element["A"]["Scope"] = scope
            yield element

    tags._build_box_tree = build  # the recursion inside looks it up here, so all levels
    stream_class.marked = marked


def worth_a_closer_layout(document: Any) -> bool:
    """Whether the closer layout may save a page of this standard-print layout: its last page
    is less than a third full, or its log was pushed off the first page."""
    if len(document.pages) < 2:
        return False
    return last_page_fill(document) < 1 / 3 or _first_page_of(document, "log-title") > 0


def last_page_fill(document: Any) -> float:
    """How far down its page area the last page's content reaches, from 0 to 1."""
    from weasyprint.formatting_structure import boxes

    page = document.pages[-1]._page_box
    top, height = page.content_box_y(), page.height
    root = page.children[0]  # the document's boxes; the page-margin boxes come after
    bottoms = [
        b.position_y + b.margin_height()
        for b in root.descendants()
        if isinstance(b, boxes.LineBox | boxes.ReplacedBox)
    ]
    return max(0.0, (max(bottoms, default=top) - top) / height) if height else 1.0


def _first_page_of(document: Any, element_id: str) -> int:
    """The index of the first page showing the element with this id (-1 when none does)."""
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == element_id:
                return number
    return -1


@cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    # Drop the cached objects before interpreter shutdown tears down the modules their
    # finalisers need (otherwise Python prints an "Exception ignored" at exit).
    atexit.register(_font_config.cache_clear)
    atexit.register(_stylesheets.cache_clear)
    atexit.register(_DRAWINGS.clear)
    return FontConfiguration()


@cache
def _stylesheets(clinic_dir: Path | None, paper: str, lang: str, large: bool) -> list[Any]:
    """The bundled font, the page setup, handout.css and log.css (large-print.css too in large print),
    parsed once per folder, paper, language and print size."""
    import weasyprint

    css_text, css_path = html.stylesheet_source(clinic_dir, large)
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
        weasyprint.CSS(
            string=html.page_css(paper, words(lang)), font_config=font_config, url_fetcher=fetcher
        ),
    ]


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
