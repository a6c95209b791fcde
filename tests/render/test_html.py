"""The HTML page: self-contained, right-to-left Arabic, linked quotation pairs, flags as badges, all text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from pipeline.render import render
from tests.render.conftest import strip_to

VOID = {"meta", "br", "col", "img", "input", "link", "hr"}


class Page(HTMLParser):
    """Every element with its attributes and text, and a check that tags nest properly."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.errors: list[str] = []
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {[e['tag'] for e in self.stack]}")

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": [e["tag"] for e in self.stack],
                   "ancestors": list(self.stack)}
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1]["tag"] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1]['tag'] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def find(self, tag=None, **attrs):
        return [
            e for e in self.elements
            if (tag is None or e["tag"] == tag)
            and all(e["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def test_page_structure_and_directions(doc):
    page = Page(render(doc, "html"))
    assert page.errors == []
    arabic_cells = page.find("td", **{"class": "ar"})
    english_cells = page.find("td", **{"class": "en"})
    assert len(arabic_cells) == len(english_cells) == 4
    assert all(c["attrs"]["dir"] == "rtl" and c["attrs"]["lang"] == "ar" for c in arabic_cells)
    assert all(c["attrs"]["dir"] == "ltr" and c["attrs"]["lang"] == "en" for c in english_cells)
    assert doc.sentence("s1").text in arabic_cells[0]["text"]
    assert doc.sentence("s1").translation in english_cells[0]["text"]
    # Summary on top: before the sentence table.
    order = [e["tag"] + "." + e["attrs"].get("class", "") for e in page.elements]
    assert order.index("section.summary") < order.index("table.doc")
    summary = page.find("section", **{"class": "summary"})[0]
    assert "Key quotations" in summary["text"]
    # The key quotation is linked to its pair in the sentences: same data-quote, same colour.
    linked = [e for e in page.find("span", data_quote="q3") if "section" in e["parents"]]
    assert len(linked) == 2 and {e["attrs"]["class"] for e in linked} == {"q c1"}


def test_quotation_pairs_are_linked_and_focusable(doc):
    page = Page(render(doc, "html"))
    for quote_id in ("q2", "q3"):
        spans = [e for e in page.find("span", data_quote=quote_id)
                 if "speaker" not in e["attrs"]["class"] and "td" in e["parents"]]
        columns = {next(a["attrs"]["class"] for a in reversed(e["ancestors"]) if a["tag"] == "td") for e in spans}
        assert columns == {"en", "ar"}
        assert all(e["attrs"].get("tabindex") == "0" for e in spans)
        quote = doc.quote(quote_id)
        assert quote.text in "".join(e["text"] for e in spans)
        assert quote.translation.text in "".join(e["text"] for e in spans)
        colours = {c for e in spans for c in e["attrs"]["class"].split() if re.fullmatch(r"c\d", c)}
        assert len(colours) == 1
    # The outlet's name in quotation marks is not a quotation: no span.
    assert page.find("span", data_quote="q1") == []


def test_speakers_are_shown(doc):
    page = Page(render(doc, "html"))
    speakers = page.find("span", **{"class": "speaker q c0"})
    assert speakers and "Myles Caggins" in speakers[0]["text"]
    assert any("مايلز كاغينز" in s["text"] for s in speakers)


def test_flags_are_badges_with_their_explanation(doc):
    page = Page(render(doc, "html"))
    badges = page.find("span", **{"class": "flag warning"})
    assert len(badges) == 1
    badge = badges[0]
    assert badge["attrs"]["tabindex"] == "0"
    assert "name-spelling" in badge["attrs"]["title"]
    assert "spelled two ways" in badge["text"]  # the explanation, shown on hover and focus by CSS
    assert page.find("mark", **{"class": "flagged"})[0]["text"] == "Deir ez-Zor"
    assert page.find("tr", id="s4", **{"class": "flagged"})


def test_self_contained(doc):
    html = render(doc, "html")
    assert not re.search(r"<link|<img|\ssrc=|@import|url\(|https?://", html)
    assert html.count("<style>") == 1 and html.count("<script>") == 1


def test_every_piece_of_article_text_is_escaped(hostile_doc):
    html = render(hostile_doc, "html")
    page = Page(html)
    assert page.errors == []
    assert html.count("<script>") == 1  # ours only
    assert "<b>" not in html and "<img" not in html and "<i>check" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # What the reader sees is the text as written.
    english = page.find("td", **{"class": "en"})[0]["text"]
    assert '<script>alert("x")</script> | a&b' in english
    assert "<img src=x onerror=\"alert(1)\">" in "".join(s["text"] for s in page.find("span"))
    assert page.find("title")[0]["text"].endswith('<b><script>alert("x")</script> | a&b\nline ]]> \x0b</b>')


@pytest.mark.parametrize("stage", ["text", "segment", "quotes", "translate"])
def test_any_subset_of_stages(doc, stage):
    partial = strip_to(doc, stage)
    page = Page(render(partial, "html"))
    assert page.errors == []
    arabic_cells = page.find("td", **{"class": "ar"})
    assert arabic_cells
    assert "عزا التحالف الدولي" in arabic_cells[0]["text"]
    if stage in ("text", "segment", "quotes"):
        english = "".join(c["text"] for c in page.find("td", **{"class": "en"}))
        assert not any(s.translation in english for s in doc.sentences)
    assert bool(page.find("span", data_quote="q2")) == (stage in ("quotes", "translate"))
    if stage == "text":
        assert len(arabic_cells) == 1 and arabic_cells[0]["text"] == partial.text


def test_flags_only(doc):
    page = Page(render(doc, "html", flags_only=True))
    assert [row["attrs"]["id"] for row in page.find("tr") if "id" in row["attrs"]] == ["s4"]


def test_notebook_repr_is_the_html_view(doc):
    assert doc._repr_html_() == render(doc, "html")
    # In a notebook the page is inserted into the notebook's own: every style rule stays inside the view.
    from pipeline.render.html import CSS

    selectors = [rule.split("{")[0].strip() for rule in re.findall(r"[^{}]+\{[^{}]*\}", CSS.replace("@media print {", ""))]
    assert selectors and all(part.strip().startswith(".tarjama") for sel in selectors for part in sel.split(","))
