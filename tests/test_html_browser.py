"""The self-contained HTML handout in a real headless Chromium: on a 360 px phone and at
print width, no horizontal scroll, no text over text or over a picture, and no serious or
critical axe-core violation. Printed by Chromium, it takes about the PDF's pages.

Skipped, with the reason, when no Chromium is installed (`.ci/run` installs Debian's).
axe-core 4.14.1 (MPL-2.0, tests/data/axe-core.LICENSE) is vendored: the tests use no network.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from plan_fixtures import DATE
from pypdf import PdfReader

from backplan.clinic.profile import Clinic, Hours
from backplan.intake.answers import Answers
from backplan.library.catalogue import load_library
from backplan.planning.selection import select
from backplan.render import RenderOptions, render_html, render_pdf

pytestmark = pytest.mark.pdf

AXE = Path(__file__).parent / "data" / "axe.min.js"
BROWSER = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
if BROWSER is None:
    pytest.skip(
        "no Chromium to test the HTML handout in (apt-get install chromium)",
        allow_module_level=True,
    )

# Runs in the page after it loads, then writes what it found into the page for --dump-dom.
CHECKS = """
<script>
window.addEventListener('load', async () => {
  const out = {scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth};
  const text = [], pictures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || node.parentElement.closest('script, style, svg')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) text.push([node, r]);
  }
  for (const el of document.querySelectorAll('main svg, header img, main img')) {
    const r = el.getBoundingClientRect();
    if (r.width > 1 && r.height > 1) pictures.push([el, r]);
  }
  const over = (a, b, share) => {
    const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return x > 2 && y > share * Math.min(a.height, b.height);
  };
  const overlaps = [];
  for (let i = 0; i < text.length; i++) {
    for (let j = i + 1; j < text.length; j++) {
      if (text[i][0] !== text[j][0] && over(text[i][1], text[j][1], 0.4))
        overlaps.push(text[i][0].textContent.trim().slice(0, 30) + ' / ' + text[j][0].textContent.trim().slice(0, 30));
    }
    for (const [el, r] of pictures) {
      if (over(text[i][1], r, 0.4)) overlaps.push(text[i][0].textContent.trim().slice(0, 30) + ' on a picture');
    }
  }
  out.overlaps = overlaps.slice(0, 10);
  out.textRects = text.length;
  const axeResult = await axe.run(document, {resultTypes: ['violations']});
  out.violations = axeResult.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 2).map(n => n.target).join(', '));
  parent.postMessage(JSON.stringify(out), '*');
});
</script>
"""

# Headless Chromium will not make a window narrower than 500 px: the page runs in a frame of
# the width under test, and reports to the page around it, which --dump-dom prints.
FRAME = """<!DOCTYPE html><html lang="en"><head><title>frame</title></head><body style="margin:0">
<iframe title="handout" width="{width}" height="900" style="border:0" srcdoc="{page}"></iframe>
<script>
window.addEventListener('message', (event) => {{
  const pre = document.createElement('pre');
  pre.id = 'backplan-result';
  pre.textContent = event.data;
  document.body.appendChild(pre);
}});
</script></body></html>"""


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    """The seed clinic's split hours and a wide logo, a long Spanish name, in Spanish."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("browser")
    logo = folder / "logo.png"
    Image.new("RGB", (300, 100), "navy").save(logo)
    clinic = Clinic(
        name="Bayside Chiropractic",
        phone="305-555-0142",
        website="https://www.bayside-chiropractic.example/patients/home-exercise",
        hours=(
            Hours(days="Mon, Wed, Fri", times="9:00 am-12:30 pm, 3:30 pm-7:00 pm"),
            Hours(days="Sat", times="9:00 am-1:00 pm"),
        ),
        logo=logo,
    )
    library = load_library([])
    answers = Answers(
        patient={"name": "María Guadalupe Fernández-López de la Torre", "age": 46},
        sharp_pain=False,
        pain=3,
        red_flags=[],
        equipment=["mat", "resistance_band", "sturdy_support"],
        lang="es",
    )
    plan = select(answers, library, date=DATE, lang="es")
    options = RenderOptions(clinic=clinic, lang="es", library_dirs=(folder,))
    page = render_html(plan, options)
    return folder, page, plan, options


def test_the_html_is_one_self_contained_file(handout):
    folder, page, _plan, _options = handout
    assert "file:" not in page and str(folder) not in page and "site-packages" not in page
    # every picture, font and stylesheet is inside: no src, href or url() to anything else
    for url in re.findall(r'(?:src|href)="([^"]+)"|url\("?([^")]+)', page):
        target = next(u for u in url if u)
        assert target.startswith(("data:", "#")), target[:80]
    assert page.count("data:font/ttf;base64,") >= 3 and 'src="data:image/png;base64,' in page


@pytest.mark.parametrize("width", [360, 816])  # a phone; US Letter's width at 96 dpi
def test_in_chromium_no_sideways_scroll_no_overlap_no_serious_axe_violation(
    handout, tmp_path, width
):
    _folder, page, _plan, _options = handout
    checked = tmp_path / "checked.html"
    harness = f"<script>{AXE.read_text(encoding='utf-8')}</script>{CHECKS}"
    inner = page.replace("</body>", harness + "</body>")
    checked.write_text(
        FRAME.format(width=width, page=html.escape(inner, quote=True)), encoding="utf-8"
    )
    done = _chromium(
        f"--window-size={max(width, 500) + 40},1000",
        "--virtual-time-budget=20000",
        "--dump-dom",
        checked.as_uri(),
        profile=tmp_path / "profile",
    )
    found = re.search(r'<pre id="backplan-result">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found, done.stderr[-2000:]
    result = json.loads(html.unescape(found[1]))
    assert result["textRects"] > 200  # the checks saw the page
    assert result["width"] == width
    assert result["scrollWidth"] <= result["width"], result
    assert result["overlaps"] == []
    assert result["violations"] == []


def test_chromium_prints_it_on_about_as_many_pages_as_the_pdf(handout, tmp_path):
    _folder, _page, plan, options = handout
    page_file = tmp_path / "plan.html"
    page_file.write_text(render_html(plan, options), encoding="utf-8")
    printed = tmp_path / "printed.pdf"
    _chromium(
        f"--print-to-pdf={printed}",
        "--no-pdf-header-footer",
        page_file.as_uri(),
        profile=tmp_path / "profile",
    )
    ours = len(PdfReader(io.BytesIO(render_pdf(plan, options))).pages)
    theirs = PdfReader(printed)
    assert abs(len(theirs.pages) - ours) <= 1, (len(theirs.pages), ours)
    assert round(float(theirs.pages[0].mediabox.width)) == 612  # the page's own @page size
