"""The Document's JSON form: the contract of DESIGN.md, both ways."""

from __future__ import annotations

from pipeline.document import Document, Flag, Paragraph, Quote, QuoteTranslation, Sentence, Speaker, Summary


def full_document() -> Document:
    text = "قال كاغينز إن \"القوات ستغادر\". وأضاف."
    doc = Document(text=text)
    doc.paragraphs = [Paragraph("p1", 0, len(text), ["s1", "s2"])]
    doc.sentences = [
        Sentence("s1", 0, 30, text[0:30], translation='Caggins said "the forces will leave".', quotes=["q1"],
                 flags=[Flag("numbers", "warning", "a number is missing", (0, 7))]),
        Sentence("s2", 31, len(text), text[31:], translation="He added."),
    ]
    doc.quotes = [Quote("q1", "s1", 15, 28, text[15:28], "speech", sentences=["s1"], marks=('"', '"'),
                        speaker=Speaker("كاغينز", "مايلز كاغينز", 4, 10, "Caggins"),
                        translation=QuoteTranslation("the forces will leave", 14, 35, 0.9, "marks"))]
    doc.summary = Summary("extractive", ["s1"], {"ar": text[0:30], "en": "Caggins said."})
    doc.provenance = {"model": "m", "backend": "transformers"}
    return doc


def test_round_trip():
    doc = full_document()
    again = Document.from_json(doc.to_json())
    assert again.to_dict() == doc.to_dict()
    assert again.quotes[0].speaker.name == "مايلز كاغينز"
    assert again.sentences[0].flags[0].span == (0, 7)


def test_stages_that_did_not_run_leave_their_fields_out():
    data = Document(text="نص").to_dict()
    assert data["schema"] == "tarjama.document/1"
    for key in ("sentences", "paragraphs", "quotes", "summary", "qa"):
        assert key not in data
    doc = full_document()
    doc.sentences[1].translation = None
    assert "translation" not in doc.to_dict()["sentences"][1]


def test_offsets_index_text():
    data = full_document().to_dict()
    for s in data["sentences"]:
        assert data["text"][s["start"]:s["end"]] == s["text"]
    for q in data["quotes"]:
        assert data["text"][q["start"]:q["end"]] == q["text"]
