"""Every sample article through the real normalize and segment stages, rendered in every format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline import Pipeline
from pipeline.render import format_names, render
from pipeline.render.diff import diff_documents, reference_document
from tests.render.test_html import Page
from tests.render.test_markdown import table_rows

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.ar.txt"))


@pytest.fixture(scope="module")
def nlp():
    return Pipeline.from_config(stages="normalize,segment,quotes")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_every_format_renders_the_sample(nlp, sample):
    doc = nlp.read(sample)
    assert doc.sentences
    out = {fmt: render(doc, fmt, width=90) for fmt in format_names()}
    assert json.loads(out["json"])["text"] == doc.text
    lines = out["terminal"].splitlines()
    assert max(len(line) for line in lines) <= 90
    assert sum(bool(re.match(r"s\d+ +│", line)) for line in lines) == len(doc.sentences)
    assert not re.search("[\u0621-\u063f\u0641-\u064a]", out["terminal"])  # all Arabic shaped (tatweel may stay)
    assert len(table_rows(out["md"], "| # | English")) == len(doc.sentences)
    page = Page(out["html"])
    assert page.errors == []
    assert len(page.find("td", **{"class": "ar"})) == len(doc.sentences)
    # Every quotation the quotes stage found is marked, whole, in the Arabic column.
    for quote in doc.quotes:
        if not quote.is_quotation:
            continue
        pieces = [e for e in page.elements if e["tag"] == "span" and "td" in e["parents"]
                  and quote.id in e["attrs"].get("data-quotes", "").split()
                  and "speaker" not in e["attrs"].get("class", "")]
        marked = "".join(e["text"] for e in pieces)  # flat pieces: a nested quotation's lie beside its parent's
        assert "".join(marked.split()) == "".join(quote.text.split()), quote.id
    assert len(ET.fromstring(out["tmx"].encode()).findall("./body/tu")) == len(doc.sentences)


def test_a_run_against_its_reference_translation(nlp):
    sample = SAMPLES[[p.name for p in SAMPLES].index("naas-coalition-bases.ar.txt")]
    english = sample.with_name("naas-coalition-bases.en.txt").read_text(encoding="utf-8")
    doc = nlp.read(sample)
    reference = reference_document(doc, english)
    assert sum(s.translation is not None and s.translation != "" for s in reference.sentences) >= 0.8 * len(doc.sentences)
    caggins = next(s for s in reference.sentences if s.text.startswith("واكد كاغينز"))
    assert "Caggins affirmed" in caggins.translation
    # A run whose English is the reference itself: full marks, no quotation differs.
    result = diff_documents(reference, None, reference_text=english)
    assert (result.chrf, result.changed, result.quotes) == (100.0, 0, [])
    # The segmented run, not translated, against the reference: every quotation's English is missing.
    untranslated = diff_documents(doc, None, reference_text=english)
    added = {c.quote for c in untranslated.quotes if c.change == "translation-added"}
    assert added == {q.id for q in doc.quotes if q.is_quotation and q.id in {
        r.id for r in reference.quotes if r.translation and r.translation.text}}
