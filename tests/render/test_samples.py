"""Every sample article through the real normalize and segment stages, rendered in every format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline import Pipeline
from pipeline.render import FORMATS, render
from pipeline.render.diff import align_reference, diff_documents
from tests.render.test_html import Page
from tests.render.test_markdown import table_rows

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.ar.txt"))


@pytest.fixture(scope="module")
def nlp():
    return Pipeline.from_config(stages="normalize,segment")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_every_format_renders_the_sample(nlp, sample):
    doc = nlp.read(sample)
    assert doc.sentences
    out = {fmt: render(doc, fmt, width=90) for fmt in FORMATS}
    assert json.loads(out["json"])["text"] == doc.text
    lines = out["terminal"].splitlines()
    assert max(len(line) for line in lines) <= 90
    assert sum(bool(re.match(r"s\d+ ", line)) for line in lines) == len(doc.sentences)
    assert not re.search("[\u0621-\u063f\u0641-\u064a]", out["terminal"])  # all Arabic shaped (tatweel may stay)
    assert len(table_rows(out["md"], "| # | English")) == len(doc.sentences)
    page = Page(out["html"])
    assert page.errors == []
    assert len(page.find("td", **{"class": "ar"})) == len(doc.sentences)
    assert len(ET.fromstring(out["tmx"].encode()).findall("./body/tu")) == len(doc.sentences)


def test_reference_translation_aligns_to_the_sentences(nlp):
    sample = SAMPLES[[p.name for p in SAMPLES].index("naas-coalition-bases.ar.txt")]
    doc = nlp.read(sample)
    english = align_reference(doc, sample.with_name("naas-coalition-bases.en.txt").read_text(encoding="utf-8"))
    assert len(english) == len(doc.sentences)
    assert sum(e is not None for e in english) >= 0.8 * len(english)
    caggins = next(i for i, s in enumerate(doc.sentences) if s.text.startswith("واكد كاغينز"))
    assert "Caggins affirmed" in (english[caggins] or "")
    # A run whose "translation" is the reference itself scores full marks against it.
    for sentence, text in zip(doc.sentences, english, strict=True):
        sentence.translation = text
    result = diff_documents(doc, None, reference_text=sample.with_name("naas-coalition-bases.en.txt").read_text())
    assert result.chrf == 100.0
