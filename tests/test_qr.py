"""Video QR codes: inline SVG beside the exercise's link, with a text alternative."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import segno

from backplan.i18n import words
from backplan.planning.outcome import Dose, Patient, Plan, PlanItem
from backplan.render import RenderOptions, render_html
from backplan.render.qr import qr_svg

URL = "https://video.example.org/watch?v=abc&t=30"


def _plan(video: str | None) -> Plan:
    item = PlanItem(
        id="wall-plank",
        name="Wall Plank",
        kind="modified",
        pattern="core",
        level="beginner",
        replaces=None,
        replaces_name=None,
        why=None,
        chosen_because="test",
        equipment=("wall",),
        equipment_labels=("a wall",),
        dose=Dose(sets=3, reps=None, hold_s=20, rest_s=30, per_side=False, days_per_week=3),
        steps=("Stand facing a wall.",),
        video=video,
    )
    return Plan(
        Patient("Ana"),
        dt.date(2025, 3, 4),
        (),
        (item, dataclasses.replace(item, id="b", video=None)),
    )


def test_qr_is_inline_svg_of_the_url_with_a_title():
    svg = str(qr_svg(URL, words("en")))
    assert svg.startswith('<svg role="img" ')
    assert 'class="qr"' in svg
    # the link, escaped, as the text alternative
    assert (
        "<title>QR code for the video: https://video.example.org/watch?v=abc&amp;t=30</title>"
        in svg
    )
    # the same modules segno draws for the URL: the viewBox is the symbol plus a 2-module border
    size = segno.make(URL, error="m", micro=False).symbol_size(scale=1, border=2)[0]
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert str(qr_svg(None, words("en"))) == "" and str(qr_svg("", words("en"))) == ""


def test_the_handout_shows_a_qr_beside_each_video_and_only_there():
    html = render_html(_plan(URL), RenderOptions())
    blocks = re.findall(
        r'<section class="exercise[^"]*" id="ex-([^"]+)">(.*?)</section>', html, re.S
    )
    found = {eid: 'class="qr"' in body for eid, body in blocks}
    assert found == {"wall-plank": True, "b": False}
    video = next(body for eid, body in blocks if eid == "wall-plank")
    assert re.search(r'<p class="video"><svg role="img" [^>]*class="qr"', video)
    # the address may break only after a dot or slash (<wbr>), never inside a word
    shown = re.sub(r"<wbr>|<span[^>]*>|</span>", "", video)
    assert "https://video.example.org/watch?v=abc&amp;t=30</p>" in shown


def test_no_video_no_qr():
    assert 'class="qr"' not in render_html(_plan(None), RenderOptions())
