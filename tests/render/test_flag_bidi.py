"""Arabic inside flag messages keeps its place in every renderer: <bdi> in HTML, isolates in Markdown and terminals."""

from __future__ import annotations

from pipeline.document import Flag
from pipeline.render.bidi import FSI, LRM, PDI, isolate_rtl, visual_order
from pipeline.render.html import render_html
from pipeline.render.markdown import render_markdown
from pipeline.render.terminal import render_text
from tests.render.conftest import make_document

MESSAGE = "The translation repeats “كا” 18 times; check it against the Arabic."


def _flagged():
    doc = make_document()
    doc.sentences[0].flags = [Flag("repetition", "error", MESSAGE)]
    return doc


def test_each_arabic_run_is_isolated():
    assert isolate_rtl(MESSAGE) == f"The translation repeats “{FSI}كا{PDI}” 18 times; check it against the Arabic."
    assert isolate_rtl("الديمقراطي is written “Democrats” here") == f"{FSI}الديمقراطي{PDI} is written “Democrats” here"
    # Words, digits and spaces between Arabic letters stay in one run.
    assert isolate_rtl("x قبل 5 بعد y") == f"x {FSI}قبل 5 بعد{PDI} y"
    assert isolate_rtl("no Arabic here") == "no Arabic here"


def test_without_isolation_the_digits_join_the_arabic():
    # The scrambled message of the issue, and the same message once isolated.
    assert visual_order(MESSAGE, base_dir="L")[0].startswith("The translation repeats “18 ”")
    visual = visual_order(isolate_rtl(MESSAGE, "", LRM), base_dir="L")[0]
    assert visual.startswith("The translation repeats “اك") and "” 18 times" in visual


def test_html_puts_arabic_in_bdi():
    html = render_html(_flagged())
    assert "repeats “<bdi>كا</bdi>” 18 times" in html
    assert f"repeats “{FSI}كا{PDI}” 18 times" in html  # in the tooltip attribute, which holds no tags


def test_markdown_and_terminal_isolate_arabic():
    assert f"“{FSI}كا{PDI}” 18 times" in render_markdown(_flagged())
    assert f"“{FSI}كا{PDI}” 18 times" in render_text(_flagged(), width=200, bidi="off")
    shown = render_text(_flagged(), width=200, bidi="on")
    assert "” 18 times" in shown and "“18 ”" not in shown
