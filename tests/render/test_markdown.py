"""The Markdown view: a GitHub table that stays a table whatever the article holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.render import render
from pipeline.render.markdown import escape_md
from tests.golden import assert_golden
from tests.render.conftest import strip_to

GOLDEN = Path(__file__).parent / "golden"


def table_rows(markdown: str, header: str) -> list[list[str]]:
    """The cells of the table whose header row starts with `header`, split on unescaped pipes."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in _split_cells(line)]
        rows.append(cells)
    return rows


def _split_cells(line: str) -> list[str]:
    cells, current, escaped = [], "", False
    for char in line.strip()[1:-1]:
        if char == "|" and not escaped:
            cells.append(current)
            current = ""
        else:
            current += char
        escaped = char == "\\" and not escaped
    return [*cells, current]


def test_golden(doc):
    text = render(doc, "md")
    assert_golden(text, GOLDEN / "document.md")


def test_sentence_table_has_four_columns_and_quotations_marked(doc):
    rows = table_rows(render(doc, "md"), "| # | English")
    assert [r[0] for r in rows] == ["s1", "s2", "s3", "s4"]
    assert all(len(r) == 4 for r in rows)
    assert "<b>سنخلي قاعدة القائم" in rows[2][2] and "<sup>q3</sup>" in rows[2][2]
    assert "<b>we will evacuate" in rows[2][1] and "<sup>q3</sup>" in rows[2][1]
    assert "name-spelling" in rows[3][3]
    assert rows[0][3] == ""


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a | b", "a \\| b"),
        ("line one\nline two", "line one<br>line two"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("a & b", "a &amp; b"),
        ("*not bold* _nor this_", "\\*not bold\\* \\_nor this\\_"),
        ("قال \"نعم\"", "قال \"نعم\""),
    ],
)
def test_escape(text, escaped):
    assert escape_md(text) == escaped


def test_hostile_text_keeps_the_table_intact(hostile_doc):
    markdown = render(hostile_doc, "md")
    rows = table_rows(markdown, "| # | English")
    assert all(len(r) == 4 for r in rows)
    assert "<script>" not in markdown and "<img" not in markdown
    # Every table line is one line: the newline inside the article became <br>.
    assert all(line.count("|") >= 5 for line in markdown.splitlines() if line.startswith("| s"))


@pytest.mark.parametrize("stage", ["text", "segment", "quotes", "translate"])
def test_any_subset_of_stages(doc, stage):
    partial = strip_to(doc, stage)
    rows = table_rows(render(partial, "md"), "| # | English")
    assert rows and all(len(r) == 4 for r in rows)
    if stage in ("text", "segment", "quotes"):
        assert all(r[1] == "" for r in rows)
    if stage == "text":
        assert len(rows) == 1
    assert ("<sup>q2</sup>" in render(partial, "md")) == (stage in ("quotes", "translate"))
