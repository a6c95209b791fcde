"""The rich terminal view as a reader sees it: both columns, paired colours, shaped Arabic, nothing cut."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from bidi import get_display
from rich.console import Console
from rich.style import Style
from rich.text import Text

from pipeline.render import render
from pipeline.render.bidi import shape
from pipeline.render.terminal import document_view, print_document, quote_style
from pipeline.render.view import build_view
from tests.golden import assert_golden
from tests.render.conftest import strip_to

GOLDEN = Path(__file__).parent / "golden"
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def segments_by_colour(doc, width=120):
    """Text drawn in each colour, as rich would write it to a colour terminal."""
    console = Console(width=width, file=StringIO(), color_system="truecolor")
    drawn: dict[str, str] = {}
    for segment in console.render(document_view(doc), console.options):
        if segment.style and segment.style.color:
            drawn[segment.style.color.name] = drawn.get(segment.style.color.name, "") + segment.text
    return drawn


def visual(word: str) -> str:
    return get_display(shape(Text(word)).plain, base_dir="R")


def test_golden_100_columns(doc):
    text = render(doc, "terminal", width=100)
    assert_golden(text, GOLDEN / "terminal-100.txt")


def test_both_columns_title_and_summary_are_shown(doc):
    text = render(doc, "terminal", width=120)
    assert "English" in text and visual("العربية") in text
    assert visual("التحالف") in text.splitlines()[1]  # the title, in the header box
    assert "2020-03-20T12:28" in text
    assert "Summary (extractive)" in text and "Key quotations" in text
    assert "Myles Caggins" in text


@pytest.mark.parametrize("width", [80, 120, 250])
def test_nothing_is_cut_at_any_width(doc, width):
    doc = strip_to(doc, "translate")  # no summary: every word below comes from the sentences
    text = render(doc, "terminal", width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert not ARABIC_LETTER.search(text)  # every Arabic letter is shaped
    for sentence in doc.sentences:
        for run in re.findall("[\u0621-\u064a]+", sentence.text):
            assert visual(run) in text, run
        for word in sentence.translation.split():
            assert word in text, word


@pytest.mark.parametrize("width", [80, 160])
def test_a_long_arabic_sentence_starts_on_its_first_line(doc, width):
    lines = render(doc, "terminal", width=width).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("s2 "))
    end = next(i for i, line in enumerate(lines) if line.startswith("s3 "))
    arabic = [line.rsplit("│", 1)[1] for line in lines[start:end] if line.rsplit("│", 1)[1].strip()]
    words = doc.sentence("s2").text.split()
    last = visual(words[-1].strip('".'))
    assert len(arabic) > 2
    assert visual(words[0]) in arabic[0] and visual(words[1]) in arabic[0]
    assert last in arabic[-1] and last not in arabic[0]


def test_quotation_colours_are_paired_across_columns(doc):
    view = build_view(doc)
    drawn = segments_by_colour(doc)
    colours = set()
    for quote in view.quotes:
        colour = Style.parse(quote_style(view, quote.id)).color.name
        colours.add(colour)
        in_colour = drawn[colour]
        arabic = "".join(PRESENTATION_FORM.findall(in_colour))
        assert Counter(arabic) == Counter(PRESENTATION_FORM.findall(shape(Text(quote.text)).plain))
        english = re.sub(r"\s+", " ", re.sub("[\u0600-\u06ff\ufb50-\ufeff]", "", in_colour))
        assert " ".join(quote.translation.text.split()) in english
        assert quote.speaker.english in english
    assert len(colours) == len(view.quotes)  # each quotation its own colour
    # The name in quotation marks ("ناس", the outlet) is not a quotation: not coloured.
    assert all(visual("ناس") not in text for text in drawn.values() if text)


def test_flags_have_a_marker_and_a_legend(doc):
    text = render(doc, "terminal", width=120)
    s4 = next(i for i, line in enumerate(text.splitlines()) if line.startswith("s4"))
    assert "⚠" in text.splitlines()[s4 + 1]
    assert "QA flags" in text
    assert "s4 ⚠ name-spelling" in text


def test_flags_only_shows_only_flagged_sentences(doc):
    text = render(doc, "terminal", width=120, flags_only=True)
    gutters = [line.split()[0] for line in text.splitlines() if re.match(r"s\d+ ", line)]
    assert gutters == ["s4", "s4"]  # its row, and its line in the legend
    clean = strip_to(doc, "translate")
    assert "No sentence has a QA flag." in render(clean, "terminal", width=100, flags_only=True)


def test_bidi_off_writes_arabic_in_logical_order(doc):
    text = render(strip_to(doc, "segment"), "terminal", width=250, bidi="off")
    first_words = " ".join(doc.sentences[0].text.split()[:4])
    assert first_words in text
    assert not PRESENTATION_FORM.search(text)


@pytest.mark.parametrize("stage", ["text", "segment", "quotes", "translate"])
def test_any_subset_of_stages(doc, stage):
    partial = strip_to(doc, stage)
    text = render(partial, "terminal", width=100)
    assert "English" in text
    if stage == "text":
        assert "not segmented" in text
        assert visual("عزا") in text
    if stage in ("text", "segment", "quotes"):
        assert "not translated" in text
        assert "coalition" not in text  # no English sentence
    drawn = segments_by_colour(partial)
    assert bool(drawn) == (stage in ("quotes", "translate"))  # colours only once quotations exist


def test_long_url_does_not_break_the_layout(hostile_doc):
    for width in (80, 250):
        text = render(hostile_doc, "terminal", width=width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert "https://example.com/" in text
        assert text.count("a" * 20) >= 300 // width  # the URL folded over lines, not dropped


def test_print_document_pages_only_on_a_terminal(doc, monkeypatch):
    console = Console(width=100, file=StringIO(), color_system=None, record=True)
    calls = []
    monkeypatch.setattr(Console, "pager", lambda self, **kw: calls.append(kw) or pytest.fail("paged"))
    print_document(doc, console=console, pager=True)
    assert calls == []
    assert "s4" in console.export_text()
