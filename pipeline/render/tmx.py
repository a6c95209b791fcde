"""The translation as a TMX 1.4 memory: one translation unit per sentence, Arabic source, English target."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from pipeline.document import Document
from pipeline.render import renderer
from pipeline.render.view import build_view, speaker_label

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# XML 1.0 cannot hold these at all, escaped or not; article text scraped from the web sometimes has them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


@renderer("tmx", suffixes=(".tmx",), options=("flags_only",))
def render_tmx(doc: Document, *, flags_only: bool = False) -> str:
    """One <tu> per sentence (per paragraph, or one for the text, before segmentation); the English
    <tuv> where the sentence has a translation; QA flags as <note>, speakers as <prop>."""
    from pipeline.version import __version__

    view = build_view(doc, flags_only=flags_only)
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": "tarjama",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "tarjama",
            "adminlang": "en",
            "srclang": "ar",
            "datatype": "plaintext",
        },
    )
    # What the whole memory came from: the article and the model, once.
    if doc.source.path:
        _prop(header, "x-document", doc.source.path)
    if doc.provenance.get("model"):
        _prop(header, "x-model", str(doc.provenance["model"]))
    # The summary belongs to the document, not to one unit (an abstractive one pairs with no sentence).
    if view.summary is not None:
        _prop(header, "x-summary-method", view.summary["method"])
        _prop(header, "x-summary-sentences", " ".join(doc.summary.sentences))
        for lang in ("ar", "en"):
            if view.summary[lang]:
                _prop(header, f"x-summary-{lang}", view.summary[lang])
        for item in view.summary["key_quotes"]:
            speaker = item["speaker_en"] or item["speaker"]
            _prop(header, "x-key-quote", f"{speaker}: «{item['ar']}»" + (f" “{item['en']}”" if item["en"] else ""))
    body = ET.SubElement(root, "body")
    for row in view.rows:
        tu = ET.SubElement(body, "tu", tuid=xml_text(row.id))
        # The DTD wants notes and props before the variants.
        for flag in row.flags:
            note = ET.SubElement(tu, "note")
            note.text = xml_text(f"QA {flag.severity} [{flag.rule}]: {flag.message}")
        for quote in row.quotes:
            speaker = speaker_label(quote, lang="ar")
            described = f"{quote.id} {quote.kind}" + (f": {speaker}" if speaker else "")
            _prop(tu, "x-quotation", described)
        _variant(tu, "ar", row.ar)
        if row.en:
            _variant(tu, "en", row.en)
    ET.indent(root, space=" ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + ET.tostring(root, encoding="unicode") + "\n"
    )


def _prop(parent: ET.Element, kind: str, value: str) -> None:
    prop = ET.SubElement(parent, "prop", type=kind)
    prop.text = xml_text(value)


def _variant(tu: ET.Element, lang: str, text: str) -> None:
    tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
    seg = ET.SubElement(tuv, "seg")
    seg.text = xml_text(text)
