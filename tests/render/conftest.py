"""Hand-built documents for the renderer tests: the first sample's opening, as every stage would leave it."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from pipeline.document import (
    Document,
    Flag,
    Paragraph,
    Quote,
    QuoteTranslation,
    Sentence,
    Source,
    Speaker,
    Summary,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "naas-coalition-bases.ar.txt"

# The English a translator would give; each quotation's English appears verbatim inside it.
ENGLISH = [
    "The international coalition against ISIS attributed the withdrawal of American forces from "
    "al-Qaim base to the Iraqi security forces having emerged victorious from their war against ISIS, "
    "explaining that the coalition moved its forces from small headquarters to its larger ones.",
    "The spokesman for the international coalition, Colonel Myles Caggins, said in a press statement "
    'seen by "Nas" today (March 20, 2020) that "coalition forces understand that ISIS elements still '
    'pose a threat in some Iraqi areas, despite the geographical defeat of ISIS".',
    'Caggins affirmed "we will evacuate al-Qaim base because we have made sure of the strength and '
    'effectiveness of the Iraqi security forces", stressing the continued support of the coalition.',
    'Caggins revealed that "some of the soldiers who left al-Qaim will head to Deir ez-Zor in Syria, '
    'others to Ain al-Asad base, and the rest will return to America".',
]
QUOTE_EN = [
    "coalition forces understand that ISIS elements still pose a threat in some Iraqi areas, "
    "despite the geographical defeat of ISIS",
    "we will evacuate al-Qaim base because we have made sure of the strength and effectiveness of "
    "the Iraqi security forces",
]


def _sample_sentences() -> list[str]:
    """The first four sentences of the sample's first body paragraph (its dateline cut off)."""
    paragraph = SAMPLE.read_text(encoding="utf-8").splitlines()[7]
    body = paragraph.removeprefix("بغداد - ناس ").strip()
    # Sentence ends as the article writes them: a full stop (maybe after a closing mark) and a space.
    cuts = [m.end() for m in re.finditer(r'"?\. ', body)]
    starts = [0, *cuts]
    return [body[a:b].strip() for a, b in zip(starts, cuts[:4], strict=False)]


def make_document() -> Document:
    """A document as the whole pipeline leaves it: 4 sentences, 2 speech quotations with speakers
    and English spans, a name in quotation marks, one QA flag and a summary."""
    arabic = _sample_sentences()
    text = " ".join(arabic)
    sentences = []
    offset = 0
    for i, (ar, en) in enumerate(zip(arabic, ENGLISH, strict=True), start=1):
        sentences.append(Sentence(id=f"s{i}", start=offset, end=offset + len(ar), text=ar, translation=en))
        offset += len(ar) + 1
    doc = Document(
        text=text,
        source=Source(path="samples/naas-coalition-bases.ar.txt", sha256="0" * 64, encoding="utf-8"),
        meta={
            "title": "التحالف الدولي يتحدث عن أسباب إخلاء عدد من قواعده في العراق",
            "date": "2020-03-20T12:28",
            "dateline": "بغداد - ناس",
        },
        paragraphs=[Paragraph(id="p1", start=0, end=len(text), sentences=[s.id for s in sentences])],
        sentences=sentences,
        provenance={"tarjama": "0.1.0", "model": "Helsinki-NLP/opus-mt-ar-en", "backend": "transformers"},
    )
    caggins = {"mention": "كاغينز", "name": "مايلز كاغينز", "english": "Myles Caggins"}
    q1_ar = "قوات التحالف تتفهم أن عناصر داعش"
    q2_ar = "سنخلي قاعدة القائم"
    doc.quotes = [
        _quote(doc, "q1", "s2", "ناس", "name", None, None),
        _quote(doc, "q2", "s2", q1_ar, "speech", caggins, QUOTE_EN[0]),
        _quote(doc, "q3", "s3", q2_ar, "speech", caggins, QUOTE_EN[1]),
    ]
    for q in doc.quotes:
        doc.sentence(q.sentence).quotes.append(q.id)
    s4 = doc.sentence("s4")
    where = s4.translation.index("Deir ez-Zor")
    s4.flags = [
        Flag(
            rule="name-spelling",
            severity="warning",
            message="the place دير الزور is spelled two ways in this article",
            span=(where, where + len("Deir ez-Zor")),
            on="en",
        )
    ]
    for s in doc.sentences:
        if s.flags is None:
            s.flags = []
    doc.summary = Summary(
        method="extractive",
        sentences=["s2", "s3"],
        text={"ar": " ".join(arabic[1:3]), "en": " ".join(ENGLISH[1:3])},
        key_quotes=[{"quote": "q3", "sentence": "s3", "speaker": "مايلز كاغينز", "speaker_en": "Myles Caggins",
                     "ar": doc.quote("q3").text, "en": QUOTE_EN[1]}],
    )
    return doc


def _quote(doc, qid, sid, arabic_start, kind, speaker, english) -> Quote:
    sentence = doc.sentence(sid)
    start = doc.text.index(arabic_start, sentence.start)
    # A speech quotation runs to its closing mark; a name in marks is just the name.
    end = doc.text.index('"', start) if kind == "speech" else start + len(arabic_start)
    quote = Quote(id=qid, sentence=sid, start=start, end=end, text=doc.text[start:end], kind=kind,
                  sentences=[sid], marks=('"', '"'))
    if speaker:
        quote.speaker = Speaker(**speaker)
    if english:
        en_start = sentence.translation.index(english)
        quote.translation = QuoteTranslation(
            text=english, start=en_start, end=en_start + len(english), confidence=0.9, method="marks"
        )
    return quote


def strip_to(doc: Document, stage: str) -> Document:
    """The document as it stood after `stage` (text, segment, quotes, translate) ran last."""
    doc = copy.deepcopy(doc)
    doc.summary = None
    for s in doc.sentences or []:
        s.flags = None
    if stage in ("text", "segment", "quotes"):
        for s in doc.sentences or []:
            s.translation = None
        for q in doc.quotes or []:
            q.translation = None
    if stage in ("text", "segment"):
        doc.quotes = None
        for s in doc.sentences or []:
            s.quotes = []
    if stage == "text":
        doc.sentences = None
        doc.paragraphs = None
    return doc


STAGE_SUBSETS = ("text", "segment", "quotes", "translate", "all")


@pytest.fixture
def doc() -> Document:
    return make_document()


@pytest.fixture(params=STAGE_SUBSETS)
def partial_doc(request) -> Document:
    """The document after each prefix of the pipeline (and complete)."""
    full = make_document()
    return full if request.param == "all" else strip_to(full, request.param)


@pytest.fixture
def hostile_doc() -> Document:
    """Article text that would break a renderer that forgets to escape: markup, table pipes,
    newlines, ampersands, a control character, a very long URL."""
    doc = make_document()
    evil = '<script>alert("x")</script> | a&b\nline ]]> \x0b'
    url = "https://example.com/" + "a" * 300
    s1 = doc.sentences[0]
    s1.translation = f"{s1.translation} {evil} {url}"
    doc.meta["title"] = f"{doc.meta['title']} <b>{evil}</b>"
    doc.quote("q2").speaker.english = '<img src=x onerror="alert(1)">'
    doc.sentence("s4").flags[0].message = "<i>check</i> & fix"
    return doc
