"""Arabic in a terminal: shaping, reordering line by line, wrapping before reordering, the auto signal."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from bidi import get_display
from rich.console import Console
from rich.text import Text

from pipeline.render.bidi import BidiText, has_rtl, resolve_bidi, shape, visual_order
from tests.render.conftest import make_document

# Both brackets of a pair to one character: compares orders while ignoring mirroring.
SAME_BRACKET = str.maketrans(")]}>»", "([{<«")


@pytest.mark.parametrize(
    "line",
    [
        "قال المتحدث إن القوات انسحبت",
        'وقال كاغينز، إن "قوات التحالف تتفهم"',
        "اليوم (20 آذار 2020)، إن عناصر داعش",
        "بحسب مسؤولين في وزارة الصحة، فيما بلغ عدد الإصابات 169.",
        "نشر الخبر على موقع https://example.com/news?id=5 أمس",
        "قاعدة Ain al-Asad في الأنبار",
    ],
)
def test_visual_order_agrees_with_python_bidi(line):
    # python-bidi's Rust get_display leaves brackets to the font (no mirroring); ours mirrors
    # them, as a terminal that draws glyphs as given needs. Otherwise the two must agree.
    visual, order = visual_order(line)
    assert visual.translate(SAME_BRACKET) == get_display(line, base_dir="R").translate(SAME_BRACKET)
    assert sorted(order) == list(range(len(line)))


def test_brackets_are_mirrored_in_right_to_left_text():
    visual, _ = visual_order("اليوم (الخميس)")
    # Read right to left, the bracket after اليوم must open towards the left: drawn as ")".
    assert visual == "(سيمخلا) مويلا"


def test_shaping_gives_presentation_forms_and_keeps_styles():
    text = Text("قال ")
    text.append("سنخلي قاعدة", style="bold cyan")
    shaped = shape(text)
    assert not re.search("[\u0621-\u064a]", shaped.plain)  # every letter in a joined form
    coloured = "".join(shaped.plain[s.start : s.end] for s in shaped.spans if s.style == "bold cyan")
    assert coloured.replace(" ", "") == shape(Text("سنخلي قاعدة")).plain.replace(" ", "")


def test_a_wrapped_sentence_reads_from_the_top_line_down():
    sentence = make_document().sentence("s2").text
    words = sentence.split()
    console = Console(width=40, file=StringIO(), color_system=None)
    lines = [line.plain for line in BidiText(Text(sentence)).lines(console, 40)]
    assert len(lines) > 3
    first_word = get_display(shape(Text(words[0])).plain)
    last_word = get_display(shape(Text(words[-1])).plain, base_dir="R")
    assert first_word in lines[0]
    assert last_word.strip('".') in lines[-1]
    assert first_word not in "".join(lines[1:])
    # Right-aligned: each line ends at the column's right edge when rendered.
    console.print(BidiText(Text(sentence)))
    assert all(len(line) <= 40 for line in lines)


def test_long_tokens_fold_instead_of_overflowing():
    text = "رابط " + "https://example.com/" + "z" * 120 + " و 1234567890123456789012345678901234567890"
    console = Console(width=30, file=StringIO(), color_system=None, record=True)
    console.print(BidiText(Text(text)))
    out = console.export_text()
    assert all(len(line) <= 30 for line in out.splitlines())
    assert out.count("z") == 120


def test_off_leaves_logical_order_for_the_terminal():
    sentence = "قال المتحدث إن القوات انسحبت من القاعدة"
    console = Console(width=200, file=StringIO(), color_system=None, record=True)
    console.print(BidiText(Text(sentence), reorder=False))
    assert console.export_text().strip() == sentence


@pytest.mark.parametrize(
    ("env", "terminal", "expected"),
    [
        ({}, True, True),
        ({"VTE_VERSION": "7200"}, True, False),  # GNOME Terminal and friends lay out bidi themselves
        ({"VTE_VERSION": "5200"}, True, True),  # VTE before 0.58 does not
        ({"KONSOLE_VERSION": "230800"}, True, False),
        ({}, False, False),  # a file or a pipe: keep the logical order for the editor
        ({"MLTERM": "3.9.3"}, True, False),
        ({"TERM_PROGRAM": "Apple_Terminal"}, True, False),  # macOS Terminal.app lays out bidi
        ({"TERM_PROGRAM": "mintty"}, True, False),
        ({"XTERM_VERSION": "XTerm(390)"}, True, True),  # a plain xterm shows cells left to right
        ({"TERM_PROGRAM": "iTerm.app"}, True, True),
        ({"WT_SESSION": "1b2c"}, True, True),  # Windows Terminal
        ({"KITTY_WINDOW_ID": "1"}, True, True),
    ],
)
def test_auto_mode_signal(monkeypatch, env, terminal, expected):
    for key in ("VTE_VERSION", "KONSOLE_VERSION", "MLTERM", "TERM_PROGRAM"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    console = Console(file=StringIO(), force_terminal=terminal)
    assert resolve_bidi("auto", console=console) is expected
    assert resolve_bidi("on", console=console) is True
    assert resolve_bidi("off", console=console) is False


def test_has_rtl():
    assert has_rtl("Caggins said كاغينز")
    assert not has_rtl("Caggins said (March 20)")
