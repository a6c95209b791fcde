"""A made-up bilingual article and helpers to build documents for the summarize tests."""

from __future__ import annotations

import pytest

from pipeline.document import Document, Paragraph, Quote, QuoteTranslation, Sentence, Speaker

# A made-up report: a lead, quotations from two speakers, background, a one-line aside, and the
# lead repeated at the end as a recap (as pages do with teasers).
LEAD = "أعلن وزير الداخلية اليوم السبت القبض على خلية إرهابية تضم عشرين عنصرا في العاصمة بعد عملية أمنية واسعة."


ARTICLE = [
    [LEAD,
     'وقال الوزير في مؤتمر صحفي إن "الخلية كانت تخطط لتنفيذ هجمات على منشآت نفطية ومراكز أمنية في العاصمة".'],
    ["وأضاف الوزير أن التحقيقات كشفت أن عناصر الخلية الإرهابية تلقوا تدريبات في الخارج على صناعة المتفجرات.",
     'من جهته، قال المتحدث باسم الشرطة إن "قوات الأمن ضبطت كميات كبيرة من المتفجرات والأسلحة في مخازن الخلية".'],
    ["وتأتي العملية الأمنية بعد أسابيع من هجوم استهدف دورية للشرطة في جنوب البلاد.",
     "وكانت الحكومة قد أعلنت خطة جديدة لمكافحة الإرهاب مطلع العام الجاري."],
    ["الطقس معتدل اليوم."],
    [LEAD],
]


ENGLISH = {
    "s1": "The interior minister announced on Saturday the arrest of a terrorist cell of twenty members in the capital.",
    "s2": 'The minister said the cell "was planning attacks on oil facilities and security centres in the capital".',
    "s3": "He added that investigations showed the cell's members had trained abroad in making explosives.",
    "s4": 'A police spokesman said "security forces seized large amounts of explosives and weapons in the cell\'s depots".',
    "s5": "The operation comes weeks after an attack on a police patrol in the south of the country.",
    "s6": "The government had announced a new counter-terrorism plan at the start of the year.",
    "s7": "The weather is mild today.",
    "s8": "The interior minister announced on Saturday the arrest of a terrorist cell of twenty members in the capital.",
}


def make_doc(paragraphs: list[list[str]], english: dict[str, str] | None = None) -> Document:
    """A segmented Document: paragraphs on their own lines, sentences joined by a space."""
    text, paras, sentences = "", [], []
    for p_index, paragraph in enumerate(paragraphs, start=1):
        if text:
            text += "\n"
        start = len(text)
        ids = []
        for k, sentence in enumerate(paragraph):
            if k:
                text += " "
            sid = f"s{len(sentences) + 1}"
            sentences.append(Sentence(id=sid, start=len(text), end=len(text) + len(sentence), text=sentence,
                                      translation=(english or {}).get(sid)))
            text += sentence
            ids.append(sid)
        paras.append(Paragraph(id=f"p{p_index}", start=start, end=len(text), sentences=ids))
    return Document(text=text, paragraphs=paras, sentences=sentences, quotes=[])


def add_quote(doc: Document, words: str, *, kind: str = "speech", speaker: str | None = None,
              speaker_en: str | None = None, english: str | None = None) -> Quote:
    """A quotation of `words` (found in doc.text) by `speaker`, as the quotes and align stages give."""
    start = doc.text.index(words)
    sentence = next(s for s in doc.sentences if s.start <= start < s.end)
    quote = Quote(
        id=f"q{len(doc.quotes) + 1}", sentence=sentence.id, start=start, end=start + len(words), text=words,
        kind=kind, sentences=[sentence.id],
        speaker=Speaker(mention=speaker, name=speaker, english=speaker_en) if speaker else None,
        translation=QuoteTranslation(english, None, None, 0.9, "marks") if english else None,
    )
    doc.quotes.append(quote)
    sentence.quotes.append(quote.id)
    return quote


@pytest.fixture
def article() -> Document:
    return make_doc(ARTICLE, ENGLISH)


# -- key quotations ----------------------------------------------------------------------------
def quoted_article() -> Document:
    doc = make_doc(ARTICLE, ENGLISH)
    add_quote(doc, "الخلية كانت تخطط لتنفيذ هجمات على منشآت نفطية ومراكز أمنية في العاصمة",
              speaker="وزير الداخلية", speaker_en="the interior minister",
              english="was planning attacks on oil facilities and security centres in the capital")
    add_quote(doc, "قوات الأمن ضبطت كميات كبيرة من المتفجرات والأسلحة في مخازن الخلية",
              speaker="المتحدث باسم الشرطة", english=None)
    return doc
