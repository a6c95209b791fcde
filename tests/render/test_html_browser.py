"""The HTML page in a real headless Chromium: it loads, focusing a quotation highlights its pair, a screenshot is written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pipeline.render import render
from tests.render.test_html import Page

# Debian's package; `make test` installs it when missing. A missing browser fails this test, it is
# never skipped: CI must show the HTML view was really checked.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


def chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: install Debian's `chromium` (make test does it)."
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",  # let the page's load handler run before the dump
        *args,
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_page_loads_and_focus_highlights_the_quotation_pair(tmp_path, doc):
    page_file = tmp_path / "doc.html"
    page_file.write_text(render(doc, "html"), encoding="utf-8")
    url = page_file.as_uri()

    # `#focus=q2` makes the page focus quotation q2's English on load, as a reader's Tab would.
    dom = Page(chromium(tmp_path, url + "#focus=q2", "--dump-dom").stdout)
    assert len(dom.find("td", **{"class": "ar"})) == 4  # the page loaded and was laid out by our markup
    q2 = dom.find("span", data_quote="q2")
    q3 = dom.find("span", data_quote="q3")
    assert q2 and q3
    assert all("paired" in e["attrs"]["class"].split() for e in q2)  # both columns and the speaker
    cells = {a["attrs"]["class"] for e in q2 for a in e["ancestors"] if a["tag"] == "td"}
    assert cells == {"en", "ar"}
    assert not any("paired" in e["attrs"]["class"].split() for e in q3)

    # Without the focus request nothing is highlighted: the highlight comes from the focus event.
    plain = Page(chromium(tmp_path, url, "--dump-dom").stdout)
    assert not any("paired" in e["attrs"].get("class", "") for e in plain.elements)

    screenshot = tmp_path / "page.png"
    chromium(tmp_path, url + "#focus=q3", f"--screenshot={screenshot}", "--window-size=1280,2000",
             "--hide-scrollbars")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000  # a drawn page, not a blank one


MEASURE = """<script>
window.addEventListener("load", () => {
  const row = document.querySelector("table.doc tbody tr");
  const ar = row.querySelector("td.ar").getBoundingClientRect();
  const en = row.querySelector("td.en").getBoundingClientRect();
  // How many line boxes each long word takes: 1 unless it was broken inside.
  const pieces = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const word of WORDS) {
      const at = node.data.indexOf(word);
      if (at >= 0 && !(word in pieces)) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        pieces[word] = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
      }
    }
  }
  const metrics = {scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
                   ar: [ar.left, ar.top, ar.right, ar.bottom], en: [en.left, en.top, en.right, en.bottom], pieces};
  parent.postMessage(JSON.stringify(metrics), "*");
});
</script>"""

# Headless Chromium keeps a window at least 500 px wide: the page goes in a frame of the width to test.
FRAME = """<!doctype html><html><body style="margin:0">
<iframe src="PAGE" style="width:WIDTHpx;height:900px;border:0"></iframe>
<script>window.addEventListener("message", e => document.body.setAttribute("data-metrics", e.data));</script>
</body></html>"""


def measure(tmp_path: Path, page: str, width: int, words: list[str]) -> dict:
    import html
    import json
    import re

    script = MEASURE.replace("WORDS", json.dumps(words))
    path = tmp_path / f"page-{width}.html"
    path.write_text(page.replace("</body>", script + "</body>"), encoding="utf-8")
    frame = tmp_path / f"frame-{width}.html"
    frame.write_text(FRAME.replace("PAGE", path.name).replace("WIDTH", str(width)), encoding="utf-8")
    dom = chromium(tmp_path, frame.as_uri(), "--dump-dom", "--window-size=1500,1000", "--hide-scrollbars").stdout
    found = re.search(r'data-metrics="([^"]*)"', dom)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


def test_the_page_reads_on_a_phone_and_side_by_side_on_a_desktop(tmp_path, hostile_doc):
    # A long word in every sentence (an old three-column phone layout cut it "rapprochemen|t") and
    # the fixture's 300-character URL, which may wrap but must not widen the page.
    for sentence in hostile_doc.sentences:
        sentence.translation = f"{sentence.translation} a rapprochement between internationalisation efforts"
    page = render(hostile_doc, "html")
    words = ["rapprochement", "internationalisation"]

    phone = measure(tmp_path, page, 420, words)
    assert phone["viewport"] == 420
    assert phone["scrollWidth"] <= phone["viewport"], phone  # no sideways scrolling
    assert phone["ar"][3] <= phone["en"][1], phone  # the Arabic box ends above the English one starts
    assert phone["pieces"] == {w: 1 for w in words}, phone  # no word broken inside

    desktop = measure(tmp_path, page, 1400, words)
    assert desktop["scrollWidth"] <= desktop["viewport"], desktop
    assert desktop["ar"][1] == desktop["en"][1], desktop  # one row: the two side by side
    assert desktop["en"][2] <= desktop["ar"][0], desktop  # English on the left, Arabic on its right
    assert desktop["pieces"] == {w: 1 for w in words}, desktop
