"""Video links as QR codes on the handout: the patient scans the code instead of typing a link.

The code is drawn by segno as inline SVG (vector, so it prints sharp at any size); nothing is
fetched. The link itself is printed beside it for anyone without a phone camera.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

from backplan.i18n import Words


@lru_cache(maxsize=256)
def _svg(url: str, title: str) -> str:
    import segno

    # Error level M (segno raises it when the size allows): a creased or smudged handout still
    # scans. A 2-module quiet zone plus the page's white margin beside it is enough for phones.
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(
        scale=1, border=2, title=title, svgclass="qr", lineclass=None, omitsize=True
    )


def qr_svg(url: str | None, words: Words) -> Markup:
    """The link as an inline SVG QR code with a text alternative (empty when there is no link).

    Registered, in the page's language, as the Jinja filter `qr`: `{{ item.video | qr }}`.
    segno escapes the title.
    """
    _ = words.gettext
    if not url:
        return Markup("")
    svg = _svg(url, _("QR code for the video: {url}").format(url=url))
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))
