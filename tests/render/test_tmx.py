"""The TMX 1.4 memory: well-formed, one unit per sentence, Arabic source and English target, flags as notes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.render import render
from tests.golden import assert_golden
from tests.render.conftest import strip_to

GOLDEN = Path(__file__).parent / "golden"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def units(tmx: str) -> list[ET.Element]:
    root = ET.fromstring(tmx.encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    return root.findall("./body/tu")


def test_golden(doc):
    text = render(doc, "tmx")
    assert_golden(text, GOLDEN / "document.tmx")


def test_one_unit_per_sentence_with_both_languages(doc):
    tmx = render(doc, "tmx")
    assert tmx.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    header = ET.fromstring(tmx.encode()).find("header")
    for key in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(key), key
    assert header.get("srclang") == "ar"
    tus = units(tmx)
    assert [tu.get("tuid") for tu in tus] == ["s1", "s2", "s3", "s4"]
    for tu, sentence in zip(tus, doc.sentences, strict=True):
        variants = {tuv.get(LANG): tuv.find("seg").text for tuv in tu.findall("tuv")}
        assert variants == {"ar": sentence.text, "en": sentence.translation}
        # The DTD order: notes and props, then the variants.
        tags = [child.tag for child in tu]
        assert tags == sorted(tags, key=lambda t: t == "tuv")
    notes = [note.text for note in tus[3].findall("note")]
    assert notes == ["QA warning [name-spelling]: the place دير الزور is spelled two ways in this article"]
    assert [p.text for p in tus[1].findall("prop")] == ["q2 speech: مايلز كاغينز"]


def test_hostile_text_stays_well_formed(hostile_doc):
    tus = units(render(hostile_doc, "tmx"))
    english = tus[0].findall("tuv")[1].find("seg").text
    assert '<script>alert("x")</script> | a&b\nline ]]> ' in english
    assert "\x0b" not in english  # not allowed in XML at all: dropped


@pytest.mark.parametrize("stage", ["text", "segment", "quotes", "translate"])
def test_any_subset_of_stages(doc, stage):
    tus = units(render(strip_to(doc, stage), "tmx"))
    assert len(tus) == (1 if stage == "text" else 4)
    languages = {tuv.get(LANG) for tu in tus for tuv in tu.findall("tuv")}
    assert languages == ({"ar", "en"} if stage == "translate" else {"ar"})
