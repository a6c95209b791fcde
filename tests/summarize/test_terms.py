"""Content words of the summary: Arabic folding and stemming, and the terms of each language."""

from __future__ import annotations

import pytest

from pipeline.summarize.terms import arabic_terms, english_terms, fold_arabic, stem_arabic


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
