"""The extractive summary: LexRank, budgets, and how sentences are picked."""

from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.stages.summarize import Summarize
from pipeline.summarize.extractive import Budget, lexrank, pick, tfidf_vectors
from pipeline.summarize.terms import arabic_terms, article_words
from tests.summarize.articles import ARTICLE, ENGLISH, make_doc


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
