"""Tests of the summarize stage: extractive picking and budgets, key quotations, config, the
abstractive path with a tiny BART, and the summary in JSON and the rendered views."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.config import validate
from pipeline.document import Document, Paragraph, Quote, QuoteTranslation, Sentence, Speaker
from pipeline.errors import ConfigError, ModelError
from pipeline.stages.summarize import Summarize
from pipeline.summarize.extractive import Budget, lexrank, pick, tfidf_vectors
from pipeline.summarize.terms import arabic_terms, article_words, english_terms, fold_arabic, stem_arabic
from tests.conftest import SAMPLES

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


# -- terms -------------------------------------------------------------------------------------
@pytest.mark.parametrize("a, b", [
    ("أكد", "اكد"), ("إعلان", "اعلان"), ("مستشفى", "مستشفي"), ("الحكومة", "الحكومه"), ("قائلاً", "قائلا"),
    ("٢٠٢٠", "2020"), ("مـسـؤول", "مسؤول"),
])
def test_fold_arabic_merges_spelling_variants(a: str, b: str) -> None:
    assert fold_arabic(a) == fold_arabic(b)


@pytest.mark.parametrize("word, stem", [
    ("والقوات", "قو"), ("القوات", "قو"), ("قوات", "قو"), ("بالعاصمه", "عاصم"), ("للشرطه", "شرط"),
    ("وقوات", "قو"),  # the article has "قوات": the و is a conjunction
    ("وزير", "وزير"), ("فريق", "فريق"), ("بلدان", "بلد"),  # no "زير", "ريق", "لدان": the letter is the word's
])
def test_stem_arabic_strips_proclitics_article_and_suffixes(word: str, stem: str) -> None:
    assert stem_arabic(word, known={"قوات", "وزير"}) == stem


def test_arabic_terms_drop_function_words_and_reporting_verbs_and_keep_numbers() -> None:
    terms = arabic_terms("وقال الوزير إن 116 عنصرا في العاصمة")
    assert terms == ["وزير", "116", "عنصر", "عاصم"]


def test_english_terms_drop_stop_words_and_plurals() -> None:
    assert english_terms("The ministers said the forces were withdrawn") == ["minister", "force", "withdrawn"]


# -- ranking and picking -----------------------------------------------------------------------
def test_lexrank_ranks_the_sentence_that_shares_most_highest() -> None:
    terms = [["a", "b"], ["b", "c"], ["a", "b", "c", "d"], ["d", "e"], ["x", "y"]]
    vectors, _ = tfidf_vectors(terms)
    ranks = lexrank(vectors)
    assert max(range(len(ranks)), key=ranks.__getitem__) == 2
    assert ranks[4] == min(ranks)  # shares nothing


def test_lexrank_ignores_copies_so_a_repeated_sentence_is_not_central_by_its_echo() -> None:
    terms = [["a", "b"], ["b", "c"], ["a", "b", "c"], ["x", "y", "z"], ["x", "y", "z"]]
    ranks = lexrank(tfidf_vectors(terms)[0])
    assert ranks[3] < ranks[2]


@pytest.mark.parametrize("budget, expected", [
    (Budget(sentences=2), 2),
    (Budget(sentences=10), 7),  # never more than the article, and the copy of the lead is left out
    (Budget(sentences=None, ratio=0.25), 2),  # ceil(0.25 * 8)
    (Budget(sentences=3, ratio=0.5), 4),  # ratio wins over sentences
    (Budget(sentences=1, ratio=0.01), 1),  # at least one sentence
])
def test_budget_in_sentences_and_ratio(article: Document, budget: Budget, expected: int) -> None:
    stage = Summarize(sentences=budget.sentences, ratio=budget.ratio, min_words=1)
    assert len(stage(article).summary.sentences) == expected


@pytest.mark.parametrize("words, at_least", [(15, 1), (30, 1), (45, 2), (60, 3)])
def test_word_budget_is_never_exceeded_and_is_used(article: Document, words: int, at_least: int) -> None:
    summary = Summarize(words=words)(article).summary
    used = sum(len(article.sentence(s).text.split()) for s in summary.sentences)
    assert used <= words
    assert len(summary.sentences) >= at_least


def test_word_budget_smaller_than_any_sentence_still_gives_the_best_sentence(article: Document) -> None:
    summary = Summarize(words=3)(article).summary
    assert summary.sentences == ["s1"]


def test_picks_the_lead_keeps_article_order_and_never_a_copy_twice(article: Document) -> None:
    summary = Summarize(sentences=5)(article).summary
    assert summary.sentences[0] == "s1"
    numbers = [int(s[1:]) for s in summary.sentences]
    assert numbers == sorted(numbers)
    assert not {"s1", "s8"} <= set(summary.sentences)


def test_short_sentences_are_picked_only_when_nothing_else_is_left(article: Document) -> None:
    assert "s7" not in Summarize(sentences=6)(article).summary.sentences
    only_short = make_doc([["الطقس معتدل."], ["الرياح خفيفة."]])
    assert Summarize(sentences=1)(only_short).summary.sentences == ["s1"]


def test_the_summary_is_bilingual_by_construction(article: Document) -> None:
    summary = Summarize()(article).summary
    assert summary.method == "extractive"
    assert summary.text["ar"] == " ".join(article.sentence(s).text for s in summary.sentences)
    assert summary.text["en"] == " ".join(ENGLISH[s] for s in summary.sentences)


def test_without_translations_the_summary_is_arabic_only() -> None:
    summary = Summarize()(make_doc(ARTICLE)).summary
    assert summary.text["ar"] and summary.text["en"] == ""


def test_weights_change_the_ranking(article: Document) -> None:
    """With centrality alone the pick is the most central sentence; with the lead alone, the lead."""
    only_centrality = Summarize(sentences=1, lead_weight=0, position_weight=0, paragraph_weight=0, title_weight=0)
    known = article_words(article.text)
    vectors, _ = tfidf_vectors([arabic_terms(s.text, known) for s in article.sentences])
    ranks = lexrank(vectors)
    assert only_centrality(article).summary.sentences == [f"s{ranks.index(max(ranks)) + 1}"]
    only_lead = Summarize(sentences=1, centrality_weight=0, position_weight=0, paragraph_weight=0, title_weight=0)
    assert only_lead(make_doc(ARTICLE)).summary.sentences == ["s1"]


def test_the_lead_is_the_first_sentence_that_says_something() -> None:
    """A kicker or a dateline left in the body is not the lead: the lead bonus goes to the first
    sentence long enough to be picked, even one less central than the rest."""
    lead = "وصل الرئيس إلى باريس صباح اليوم في زيارة رسمية تستمر يومين يلتقي خلالها نظيره الفرنسي."
    doc = make_doc([["عاجل:"], [lead], *ARTICLE[1:3]])
    stage = Summarize(sentences=1, centrality_weight=0.5, position_weight=0, paragraph_weight=0, title_weight=0)
    assert stage(doc).summary.sentences == ["s2"]
    without_lead = Summarize(sentences=1, lead_weight=0, position_weight=0, paragraph_weight=0, title_weight=0)
    assert without_lead(doc).summary.sentences != ["s2"]


def test_the_headline_pulls_its_sentence_up() -> None:
    doc = make_doc(ARTICLE)
    doc.meta["title"] = "الحكومة تعلن خطة جديدة لمكافحة الإرهاب"
    plain = Summarize(sentences=2)(make_doc(ARTICLE)).summary.sentences
    titled = Summarize(sentences=2, title_weight=2.0)(doc).summary.sentences
    assert "s6" not in plain and "s6" in titled


def test_empty_document_gives_an_empty_summary() -> None:
    doc = Document(text="", paragraphs=[], sentences=[], quotes=[])
    summary = Summarize()(doc).summary
    assert summary.sentences == [] and summary.text == {"ar": "", "en": ""} and summary.key_quotes == []


def test_pick_with_no_sentences() -> None:
    assert pick([], [], [], Budget()) == []


# -- key quotations ----------------------------------------------------------------------------
def quoted_article() -> Document:
    doc = make_doc(ARTICLE, ENGLISH)
    add_quote(doc, "الخلية كانت تخطط لتنفيذ هجمات على منشآت نفطية ومراكز أمنية في العاصمة",
              speaker="وزير الداخلية", speaker_en="the interior minister",
              english="was planning attacks on oil facilities and security centres in the capital")
    add_quote(doc, "قوات الأمن ضبطت كميات كبيرة من المتفجرات والأسلحة في مخازن الخلية",
              speaker="المتحدث باسم الشرطة", english=None)
    return doc


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


# -- config ------------------------------------------------------------------------------------
@pytest.mark.parametrize("block, message", [
    ({"ratio": 1.5}, "ratio"),
    ({"sentences": 0}, "sentences"),
    ({"words": 0}, "words"),
    ({"sentences": None}, "set one of"),
    ({"key_quotes": -1}, "key_quotes"),
    ({"method": "generative"}, "summarize.method"),
    ({"sentence": 3}, "did you mean 'sentences'"),
    ({"redundancy": 0}, "redundancy"),
])
def test_bad_settings_are_config_errors_naming_the_key(block: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        validate({"stages": ["normalize", "segment", "summarize"], "summarize": block})


def test_settings_come_from_yaml() -> None:
    config = validate({"stages": ["normalize", "segment", "summarize"],
                       "summarize": {"words": 80, "key_quotes": 5, "lead_weight": 1.0}})
    stage = config.section("summarize")
    assert stage.budget == Budget(sentences=3, ratio=None, words=80)
    assert stage.key_quotes == 5 and stage.weights.lead == 1.0


# -- the real samples, offline -----------------------------------------------------------------
def test_every_sample_gets_an_extractive_summary_with_no_model() -> None:
    from pipeline import Pipeline

    nlp = Pipeline.from_config(stages="normalize,segment,quotes,summarize")
    for path in sorted(SAMPLES.glob("*.ar.txt")):
        doc = nlp.read(path)
        summary = doc.summary
        assert summary.method == "extractive", path.name
        assert len(summary.sentences) == min(3, len(doc.sentences)), path.name
        assert summary.text["ar"] and summary.text["en"] == "", path.name
        speech = {q.id: q for q in doc.quotes if q.kind == "speech"}
        assert len(summary.key_quotes) == min(3, len(speech)), path.name
        for item in summary.key_quotes:
            assert item["ar"] == speech[item["quote"]].text


def test_cli_json_carries_the_summary(run_cli) -> None:
    result = run_cli("translate", str(SAMPLES / "naas-coalition-bases.ar.txt"), "--stages",
                     "normalize,segment,quotes,summarize", "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary["method"] == "extractive" and len(summary["sentences"]) == 3
    assert [set(k) for k in summary["key_quotes"]] == [{"quote", "sentence", "speaker", "speaker_en", "ar", "en"}] * 3


@pytest.mark.parametrize("fmt", ["json", "md", "html", "terminal", "tmx"])
def test_the_summary_and_key_quotes_are_in_every_view(fmt: str) -> None:
    from pipeline.render import render

    doc = Summarize()(quoted_article())
    out = render(doc, fmt, width=200, bidi="off")
    assert "summary" in out.lower()
    first_english = ENGLISH[doc.summary.sentences[0]]
    assert first_english[:40] in out
    assert "the interior minister" in out


def test_summary_survives_the_json_round_trip() -> None:
    doc = Summarize()(quoted_article())
    back = Document.from_json(doc.to_json())
    assert back.summary == doc.summary


# -- abstractive -------------------------------------------------------------------------------
def long_english_article() -> Document:
    """The made-up report with enough English that it does not fit the tiny BART's 64 tokens."""
    return make_doc(ARTICLE, ENGLISH)


def test_abstractive_summary_with_a_tiny_bart_in_chunks(tiny_bart_dir) -> None:
    stage = Summarize(method="abstractive", model=str(tiny_bart_dir), num_beams=1, max_new_tokens=8, threads=1)
    doc = stage(long_english_article())
    summary = doc.summary
    assert summary.method == "abstractive"
    assert summary.text["en"].strip()
    rounds = doc.provenance["summarize"]["chunks"]
    assert rounds[0] > 1 and rounds[-1] == 1  # chunked, then the chunks' summaries summarized again
    assert doc.provenance["summarize"]["model"] == str(tiny_bart_dir)
    ids = {s.id for s in doc.sentences}
    assert set(summary.sentences) <= ids
    assert all(set(v) <= ids for v in (summary.links or {}).values())
    assert summary.key_quotes == []  # no quotations in this document
    # The model is loaded once and reused; a short text is one chunk.
    loaded = stage._summarizer
    short = stage(make_doc([[LEAD]], {"s1": ENGLISH["s1"]}))
    assert stage._summarizer is loaded and short.provenance["summarize"]["chunks"] == [1]


def test_abstractive_end_to_end_after_translation(tiny_model_dir, tiny_bart_dir) -> None:
    """read, normalize, segment, quotes, translate (tiny Marian), summarize (tiny BART), as a user runs it."""
    from pipeline import Pipeline

    nlp = Pipeline.from_config(
        model=str(tiny_model_dir),
        stages="normalize,segment,quotes,translate,summarize",
        sets=["generation.num_beams=1", "generation.max_new_tokens=6", "summarize.method=abstractive",
              f"summarize.model={tiny_bart_dir}", "summarize.num_beams=1", "summarize.max_new_tokens=6",
              "summarize.threads=1"],
    )
    doc = nlp.read(SAMPLES / "wire-baghdad-jubouri-corruption.ar.txt")
    assert doc.summary.method == "abstractive" and doc.summary.text["en"].strip()
    assert len(doc.summary.key_quotes) == 2
    back = Document.from_json(doc.to_json())
    assert back.summary == doc.summary and back.provenance["summarize"]["chunks"][-1] == 1


def test_chunks_fit_the_window_and_keep_the_order(tiny_bart_dir) -> None:
    from pipeline.summarize.abstractive import Summarizer

    summarizer = Summarizer(str(tiny_bart_dir), num_beams=1, max_new_tokens=8, threads=1)
    assert summarizer.window == 64
    units = [*ENGLISH.values(), " ".join(ENGLISH.values())]  # the last is longer than the window
    chunks = summarizer.chunk(units)
    assert len(chunks) > 1
    assert " ".join(chunks) == " ".join(units)  # nothing lost, nothing reordered
    assert all(summarizer.count_tokens(c) <= summarizer.window for c in chunks)


def test_summary_sentences_link_to_the_source_sentences_they_draw_on() -> None:
    from pipeline.summarize.abstractive import link_sentences, split_english

    summary = ("Police arrested a terrorist cell of twenty members in the capital. "
               "The cell trained abroad in making explosives. The weather was a topic too.")
    links = link_sentences(split_english(summary), list(ENGLISH.items()))
    assert links["1"][0] in ("s1", "s8")
    assert links["2"] == ["s3"]
    assert "3" not in links or links["3"] == ["s7"]


def test_abstractive_needs_the_english() -> None:
    with pytest.raises(ConfigError, match="translate"):
        Summarize(method="abstractive", model="unused")(make_doc(ARTICLE))
    from pipeline import Pipeline

    with pytest.raises(ConfigError, match="put 'translate' before 'summarize'"):
        Pipeline.from_config(stages="normalize,segment,summarize", sets=["summarize.method=abstractive"])


def test_a_missing_summarization_model_fails_with_the_fix(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    stage = Summarize(method="abstractive", model="tarjama-tests/no-such-summarizer")
    with pytest.raises(ModelError, match="tarjama models download tarjama-tests/no-such-summarizer"):
        stage(make_doc(ARTICLE, ENGLISH))
    with pytest.raises(ModelError, match="does not exist"):
        Summarize(method="abstractive", model=str(tmp_path / "nowhere"))(make_doc(ARTICLE, ENGLISH))


def test_a_model_that_is_not_seq2seq_is_refused(tmp_path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}), encoding="utf-8")
    with pytest.raises(ModelError, match="cannot write summaries"):
        Summarize(method="abstractive", model=str(tmp_path))(make_doc(ARTICLE, ENGLISH))
