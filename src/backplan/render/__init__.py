"""Rendering a finished Plan or Stop: the terminal page, HTML, the PDF handout, Markdown, JSON.

Renderers read the outcome and decide nothing. This module is the interface the CLI calls;
WeasyPrint is imported only when a PDF is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from backplan.errors import EXIT_USAGE, BackplanError, display_path
from backplan.files.atomic import write_atomic
from backplan.i18n import words

if TYPE_CHECKING:
    from rich.console import Console

    from backplan.clinic.profile import Clinic
    from backplan.planning.outcome import Outcome

FORMATS = ("terminal", "json", "pdf", "html", "md", "ics")
SUFFIXES = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".json": "json",
    ".ics": "ics",  # calendar reminders (render/ics.py)
}
PAPERS = ("letter", "a4")


@dataclass(frozen=True)
class RenderOptions:
    """How to present an outcome: paper size, clinic profile, template folder, language."""

    paper: str | None = None  # --paper; None: the clinic profile's, else letter
    clinic: Clinic | None = None
    templates_dir: Path | None = None  # --templates; otherwise the clinic profile's folder
    lang: str = "en"
    library_dirs: tuple[Path, ...] = ()  # folders a figure image may come from
    large_print: bool = False  # --large-print or the answers' `large_print` (or the clinic's)

    def paper_size(self) -> str:
        """The paper: the option's, else the clinic profile's, else US Letter."""
        if self.paper is not None:
            return self.paper
        return (self.clinic.paper if self.clinic is not None else None) or "letter"

    def is_large_print(self) -> bool:
        """Large print when asked for, or when the clinic makes it its default."""
        return self.large_print or (self.clinic is not None and self.clinic.large_print)

    def template_folder(self) -> Path | None:
        """The clinic's template folder that overrides the built-ins, if any."""
        if self.templates_dir is not None:
            return self.templates_dir
        return self.clinic.templates if self.clinic is not None else None


def print_outcome(outcome: Outcome, console: Console, options: RenderOptions) -> None:
    """Print the plan, or the stop notice, as a page on the console."""
    from backplan.planning.outcome import Stop
    from backplan.render import terminal

    if isinstance(outcome, Stop):
        terminal.print_stop(outcome, console, options.clinic, words(options.lang))
    else:
        terminal.print_plan(outcome, console, options.clinic, words(options.lang))


def format_for(path: Path | None, fmt: str | None) -> str:
    """The output format: `fmt` if given, else from the file's suffix, else the terminal."""
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise BackplanError(
                f"unknown format `{fmt}`; use one of {', '.join(FORMATS)}", exit_code=EXIT_USAGE
            )
        return fmt
    if path is None:
        return "terminal"
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        what = f"`{path.suffix}`" if path.suffix else "no suffix"
        raise BackplanError(
            f"{display_path(path)}: cannot tell the format from {what}; name the file "
            f"{', '.join(s for s in SUFFIXES if s != '.htm')}, or give --format "
            f"({', '.join(f for f in FORMATS if f != 'terminal')})",
            exit_code=EXIT_USAGE,
        )
    return found


def render_bytes(outcome: Outcome, fmt: str, options: RenderOptions) -> bytes:
    """The outcome as the bytes of a file in `fmt` (a stop gives the stop notice only)."""
    if fmt == "pdf":
        return render_pdf(outcome, options)
    if fmt == "ics":
        from backplan.render.ics import render_ics

        return render_ics(outcome)
    if fmt == "html":
        text = render_html(outcome, options)
    elif fmt == "md":
        from backplan.render.markdown import render_markdown

        text = render_markdown(outcome, options)
    elif fmt == "json":
        from backplan.files.yaml_source import to_json

        text = to_json(outcome.to_dict()) + "\n"
    elif fmt == "terminal":
        text = render_text(outcome, options)
    else:
        raise BackplanError(f"unknown format `{fmt}`; use one of {', '.join(FORMATS)}")
    return text.encode("utf-8")


def write_outcome(outcome: Outcome, path: Path, fmt: str | None, options: RenderOptions) -> Path:
    """Write the outcome to `path` in `fmt` (or the suffix's format), atomically."""
    data = render_bytes(outcome, format_for(path, fmt), options)
    return write_atomic(path, data)


def render_text(outcome: Outcome, options: RenderOptions, width: int = 80) -> str:
    """The terminal page as plain text (no colour), for a file or a test."""
    from rich.console import Console  # not at the top: the HTML on stdout never needs it

    console = Console(
        file=io.StringIO(), width=width, no_color=True, force_terminal=False, highlight=False
    )
    with console.capture() as capture:
        print_outcome(outcome, console, options)
    return "\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n"


def render_html(outcome: Outcome, options: RenderOptions) -> str:
    """A standalone HTML page (styles inline) of the plan or the stop notice."""
    from backplan.render import html

    return html.render_page(outcome, options, inline_css=True)


def render_pdf(outcome: Outcome, options: RenderOptions) -> bytes:
    """The printable handout (or the stop notice) as a tagged PDF."""
    from backplan.render import pdf

    return pdf.render(outcome, options)
