"""render(): one entry point for every format, on a document from any subset of the stages."""

from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.render import format_names, render


def test_formats():
    assert format_names() == ("terminal", "json", "md", "html", "tmx")


def test_json_is_the_document_contract(doc):
    assert Document.from_json(render(doc, "json")).to_dict() == doc.to_dict()


@pytest.mark.parametrize("fmt", format_names())
def test_every_format_renders_every_stage_subset(partial_doc, fmt):
    text = render(partial_doc, fmt, width=80)
    assert text.strip()
    # Quotations are named by id (a coloured label, <sup>, data-quote, <prop>) once the quotes stage ran.
    assert ("q2" in text) == (partial_doc.quotes is not None)


def test_unknown_format(doc):
    with pytest.raises(ValueError, match="unknown format 'pdf': use one of terminal, json, md, html, tmx"):
        render(doc, "pdf")


def test_a_document_with_no_text_at_all():
    empty = Document(text="")
    for fmt in format_names():
        assert isinstance(render(empty, fmt, width=80), str)
