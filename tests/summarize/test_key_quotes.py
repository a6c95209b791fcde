"""Key quotations: which quotations the summary shows, with speaker and English."""

from __future__ import annotations

import re

import pytest

from pipeline.document import Document, Quote
from pipeline.stages.summarize import Summarize
from tests.summarize.articles import add_quote, make_doc, quoted_article


def test_key_quotes_give_speaker_arabic_and_english(article: Document) -> None:
    doc = quoted_article()
    items = Summarize(key_quotes=5)(doc).summary.key_quotes
    assert [i["quote"] for i in items] == ["q1", "q2"]
    assert items[0] == {
        "quote": "q1", "sentence": "s2", "speaker": "وزير الداخلية", "speaker_en": "the interior minister",
        "ar": doc.quote("q1").text, "en": "was planning attacks on oil facilities and security centres in the capital",
    }
    assert items[1]["en"] == "" and items[1]["speaker_en"] == ""


@pytest.mark.parametrize("count", [0, 1, 2])
def test_key_quote_count_is_configurable(count: int) -> None:
    assert len(Summarize(key_quotes=count)(quoted_article()).summary.key_quotes) == count


def test_only_speech_quotations_are_key_quotes() -> None:
    doc = make_doc([['ووصف المتحدث الانسحاب بأنه "هروب مذل" أمام الجميع في العاصمة اليوم.',
                     'وقال المتحدث إن "القوات ستبقى في مواقعها حتى نهاية العام المقبل كما هو مقرر".']])
    add_quote(doc, "هروب مذل", kind="phrase", speaker="المتحدث")
    add_quote(doc, "القوات ستبقى في مواقعها حتى نهاية العام المقبل كما هو مقرر", speaker="المتحدث")
    assert [i["quote"] for i in Summarize()(doc).summary.key_quotes] == ["q2"]


def test_key_quotes_prefer_a_speaker_over_none_and_skip_repeats() -> None:
    said = "سنواصل دعم القوات العراقية في مواجهة التهديدات الإرهابية في كل المناطق"
    doc = make_doc([[f'وقال المتحدث باسم التحالف إن "{said}".',
                     f'ونقلت وسائل إعلام عن مصدر قوله "{said}".',
                     'وقال مصدر أمني "إن الوضع الأمني مستقر في معظم مناطق البلاد حاليا".']])
    add_quote(doc, said, speaker="المتحدث باسم التحالف")
    doc.quotes.append(Quote(id="q2", sentence="s2", start=doc.text.rindex(said), end=doc.text.rindex(said) + len(said),
                            text=said, kind="speech", sentences=["s2"]))
    add_quote(doc, "إن الوضع الأمني مستقر في معظم مناطق البلاد حاليا")
    items = Summarize(key_quotes=3)(doc).summary.key_quotes
    assert [i["quote"] for i in items] == ["q1", "q3"]


def test_key_quotes_let_several_voices_in() -> None:
    doc = make_doc([[
        'وقال الوزير إن "الحكومة ستعلن خطة جديدة للإصلاح الاقتصادي خلال الأسابيع المقبلة".',
        'وأضاف الوزير "سنخفض الضرائب على الشركات الصغيرة لدعم النمو الاقتصادي في البلاد".',
        'وتابع الوزير "الإصلاح الاقتصادي يحتاج إلى وقت وصبر من جميع المواطنين".',
        'من جهته قال رئيس الغرفة التجارية إن "الخطة خطوة مهمة لدعم القطاع الخاص والاقتصاد".',
    ]])
    for s in doc.sentences[:3]:
        add_quote(doc, re.search(r'"(.+)"', s.text).group(1), speaker="الوزير")
    add_quote(doc, re.search(r'"(.+)"', doc.sentences[3].text).group(1), speaker="رئيس الغرفة التجارية")
    speakers = [i["speaker"] for i in Summarize(key_quotes=2)(doc).summary.key_quotes]
    assert sorted(speakers) == ["الوزير", "رئيس الغرفة التجارية"]
