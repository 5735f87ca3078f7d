"""Writing one exercise's drawing to a file, so a clinic sees its pose before printing.

SVG is the drawing itself; PDF lays it out on a page through WeasyPrint (imported only
here); PNG converts that page with poppler's `pdftoppm` when it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from backplan.errors import BackplanError, display_path
from backplan.figures import render_pose
from backplan.files.atomic import write_atomic
from backplan.library.model import Exercise
from backplan.render.fetcher import FetchPolicy, make_fetcher

FORMATS = (".svg", ".pdf", ".png")
PNG_DPI = 150


def preview_svg(exercise: Exercise, lang: str = "en") -> str:
    """The drawing of an exercise's pose, or a BackplanError saying why there is none."""
    text = exercise.text(lang)
    if exercise.pose is None:
        if exercise.image is not None:
            raise BackplanError(
                f"`{exercise.id}` uses its own picture ({exercise.image}); there is no pose to draw"
            )
        raise BackplanError(
            f"`{exercise.id}` has no `pose:` to draw; docs/pose-format.md shows how to add one"
        )
    return render_pose(exercise.pose, text.name, lang)


def write_preview(exercise: Exercise, path: Path, lang: str = "en") -> Path:
    """Write the drawing as SVG, PDF or PNG, chosen by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise BackplanError(
            f"{display_path(path)}: cannot tell the format from `{path.suffix or 'no suffix'}`; "
            "end the file name with .svg, .pdf or .png"
        )
    svg = preview_svg(exercise, lang)
    if suffix == ".svg":
        return write_atomic(path, svg + "\n")
    if suffix == ".png":
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            raise BackplanError(
                "writing PNG needs `pdftoppm` (Debian/Ubuntu: apt install poppler-utils; "
                "macOS: brew install poppler); write .svg or .pdf instead"
            )
    pdf = page_pdf(svg, exercise.text(lang).name, lang)
    if suffix == ".pdf":
        return write_atomic(path, pdf)
    assert pdftoppm is not None  # checked above, before the slow PDF
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "figure.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                str(PNG_DPI),
                "-singlefile",
                str(source),
                str(Path(tmp) / "figure"),
            ],
            check=True,
            capture_output=True,
        )
        return write_atomic(path, (Path(tmp) / "figure.png").read_bytes())


def page_pdf(svg: str, title: str, lang: str) -> bytes:
    """One landscape page holding the drawing, titled, in the handout's font."""
    import weasyprint

    from backplan.render.html import FONT_FAMILY, fonts_css, fonts_dir

    css = fonts_css() + (
        "@page { size: A5 landscape; margin: 12mm; }\n"
        f'body {{ font-family: "{FONT_FAMILY}", sans-serif; }}\n'
        "h1 { font-size: 14pt; margin: 0 0 6mm; }\n"
        "svg { width: 100%; height: auto; max-height: 100mm; }\n"
    )
    page = (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{css}</style></head>"
        f"<body><h1>{escape(title)}</h1>{svg}</body></html>"
    )
    fetcher = make_fetcher(FetchPolicy.of(folders=(fonts_dir(),)))
    return weasyprint.HTML(string=page, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
