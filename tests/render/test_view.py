"""The bilingual rows every renderer draws: where each quotation's Arabic and English spans land."""

from __future__ import annotations

import pytest

from pipeline.document import Quote, QuoteTranslation
from pipeline.render.view import Mark, build_view, innermost_quote, pieces


def row(view, sentence_id):
    return next(r for r in view.rows if r.id == sentence_id)


def test_quotation_spans_in_both_languages(doc):
    view = build_view(doc)
    s3 = row(view, "s3")
    q3 = doc.quote("q3")
    (ar,) = [m for m in s3.ar_marks if m.quote == "q3"]
    (en,) = [m for m in s3.en_marks if m.quote == "q3"]
    assert s3.ar[ar.start : ar.end] == q3.text
    assert s3.en[en.start : en.end] == q3.translation.text
    assert [q.id for q in s3.quotes] == ["q3"]
    assert [q.id for q in view.quotes] == ["q2", "q3"]  # "ناس", a name in marks, is not one


def test_english_spread_over_two_sentence_translations(doc):
    q3 = doc.quote("q3")
    s4 = doc.sentence("s4")
    q3.translation.spans = [("s3", q3.translation.start, q3.translation.end), ("s4", 0, 7)]
    view = build_view(doc)
    assert [(m.start, m.end) for m in row(view, "s4").en_marks if m.quote == "q3"] == [(0, 7)]
    assert s4.translation[:7] == "Caggins"
    assert row(view, "s3").separate == []


@pytest.mark.parametrize(
    ("start", "end", "method"),
    [(None, None, "separate"), (500, 520, "marks"), (10, 5, "marks")],
)
def test_a_quotation_with_no_usable_english_span_is_shown_on_its_own(doc, start, end, method):
    doc.quote("q3").translation = QuoteTranslation("we shall evacuate", start, end, 0.4, method)
    s3 = row(build_view(doc), "s3")
    assert [q.id for q in s3.separate] == ["q3"]
    assert not [m for m in s3.en_marks if m.quote == "q3"]


def test_a_quotation_over_two_sentences_is_marked_in_both(doc):
    s4 = doc.sentence("s4")
    start = doc.text.index("سنخلي")
    doc.quotes.append(Quote(id="q9", sentence="s3", start=start, end=s4.start + 10, text=doc.text[start : s4.start + 10],
                            kind="speech", sentences=["s3", "s4"]))
    view = build_view(doc)
    assert [m for m in row(view, "s4").ar_marks if m.quote == "q9"] == [Mark(0, 10, quote="q9")]
    assert [q.id for q in row(view, "s4").quotes] == []  # its speaker is shown where it starts
    assert "q9" in [q.id for q in row(view, "s3").quotes]


def test_sentences_whose_offsets_do_not_fit_the_text(doc):
    for sentence in doc.sentences:
        sentence.start += 3  # a stage that shifted offsets: fall back to finding the text
    s2 = row(build_view(doc), "s2")
    (ar,) = [m for m in s2.ar_marks if m.quote == "q2"]
    assert s2.ar[ar.start : ar.end] == doc.quote("q2").text


def test_flag_span(doc):
    s4 = row(build_view(doc), "s4")
    (mark,) = [m for m in s4.en_marks if m.flag is not None]
    assert s4.en[mark.start : mark.end] == "Deir ez-Zor"


def test_pieces_nest_inner_quotations():
    marks = [Mark(0, 10, quote="outer"), Mark(3, 6, quote="inner"), Mark(5, 8, flag=0)]
    cut = pieces("0123456789ab", marks)
    assert [text for text, _ in cut] == ["012", "34", "5", "67", "89", "ab"]
    assert [innermost_quote(m) for _, m in cut] == ["outer", "inner", "inner", "outer", "outer", None]
    assert [any(x.flag is not None for x in m) for _, m in cut] == [False, False, True, True, False, False]


def test_flags_only_and_no_sentences(doc):
    assert [r.id for r in build_view(doc, flags_only=True).rows] == ["s4"]
    doc.sentences = None
    doc.paragraphs = None
    (only,) = build_view(doc).rows
    assert only.ar == doc.text and only.en is None
