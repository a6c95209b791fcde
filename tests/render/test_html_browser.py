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
