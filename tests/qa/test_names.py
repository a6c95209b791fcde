"""The names rule's judgement of two English forms: a derived word, a respelling, or different words."""

from __future__ import annotations

import pytest

from pipeline.align.transliteration import arabic_skeleton, english_skeleton, skeletons_match
from pipeline.qa.names import related, spelling_similarity
from pipeline.qa.rules import NamesRule


@pytest.mark.parametrize(("a", "b"), [
    ("Iraq", "Iraqi"), ("Syria", "Syrian"), ("Germany", "German"), ("Catalonia", "Catalan"),
    ("Arabia", "Arabiya"), ("Houthi", "Houthis"), ("Lebanon", "Lebanese"), ("Democratic", "Democrats"),
])
def test_a_name_and_a_word_made_from_it_are_related(a, b):
    assert related(a, b)


@pytest.mark.parametrize(("a", "b"), [("Askari", "Askary"), ("Caggins", "Kaggins"), ("Kavanaugh", "Kavanough")])
def test_respellings_are_not_related(a, b):
    assert not related(a, b)
    assert spelling_similarity(a, b) >= NamesRule.min_spelling_similarity


@pytest.mark.parametrize(("a", "b"), [("France", "French"), ("Naples", "Napoli"), ("Spain", "Spanish")])
def test_different_words_are_not_spellings_of_one_name(a, b):
    assert not related(a, b)
    assert spelling_similarity(a, b) < NamesRule.min_spelling_similarity


@pytest.mark.parametrize(("arabic", "english"), [("والبصرة", "Basra"), ("كاغينز", "Caggins"), ("أحمد", "Ahmed"),
                                                 ("ترامب", "Trump")])
def test_one_skeleton_for_both_scripts(arabic, english):
    assert arabic_skeleton(arabic) == english_skeleton(english)


def test_short_skeletons_must_be_equal():
    assert skeletons_match("252", "252") and not skeletons_match("252", "2526")
    assert skeletons_match("123456", "12346") and not skeletons_match("1234", "124")


def test_a_tie_suggests_neither_spelling():
    from pipeline.document import Document, Sentence
    from pipeline.qa.rules import check_names

    pairs = [("قال ماكجريجور إن الفريق جاهز", "McGregor said the team was ready"),
             ("وأضاف ماكجريجور أن المباراة صعبة", "MacGregor added that the match was hard")]
    sentences, text = [], ""
    for k, (ar, en) in enumerate(pairs):
        sentences.append(Sentence(f"s{k + 1}", len(text), len(text) + len(ar), ar, en))
        text += ar + " "
    flags = check_names(Document(text=text, sentences=sentences), NamesRule())
    messages = [f.message for found in flags.values() for f in found]
    assert len(messages) == 2 and all("use one form." in m and "suggested" not in m for m in messages)
