"""English text for alignment: sentences, paragraphs, numbers, clause splits."""

from __future__ import annotations

import pytest

from pipeline.align.english import english_paragraphs, english_sentences, numbers
from pipeline.align.sentences import split_english

SENTENCE_CASES = [
    ("He left. She stayed.", ["He left.", "She stayed."]),
    ("Dr. Smith met Col. Jones. They talked.", ["Dr. Smith met Col. Jones.", "They talked."]),
    ("The U.S. Army left. It was over.", ["The U.S. Army left.", "It was over."]),
    ("The U.S. Army left.", ["The U.S. Army left."]),
    ("John F. Kennedy spoke. Then he left.", ["John F. Kennedy spoke.", "Then he left."]),
    ('He said: "We are ready. We will help." Then he left.', ['He said: "We are ready.', 'We will help."', "Then he left."]),
    ('He said "we will stay". Then he left.', ['He said "we will stay".', "Then he left."]),
    ("Growth was 3.5 percent in 2020. It fell.", ["Growth was 3.5 percent in 2020.", "It fell."]),
    ("Is it over? Nobody knows! Really.", ["Is it over?", "Nobody knows!", "Really."]),
    ("It rose to 169. 13 people died.", ["It rose to 169.", "13 people died."]),
    ("It ended. and then more", ["It ended. and then more"]),  # no capital after: not a boundary
]



@pytest.mark.parametrize(("paragraph", "expected"), SENTENCE_CASES)
def test_english_sentences(paragraph: str, expected: list[str]) -> None:
    assert english_sentences(paragraph) == expected



def test_quotation_is_cut_into_sentences() -> None:
    long = " ".join(["word"] * 40)
    assert len(english_sentences(f'He said: "{long}. Word {long}." Then he left.')) == 3


PARAGRAPH_CASES = [
    ("One.\nTwo.\n", ["One.", "Two."]),
    ("\ufeffOne.\r\n\r\nTwo.\r\n", ["One.", "Two."]),
    ("A first paragraph\nwrapped here.\n\nA second one\nwrapped too.\n", ["A first paragraph wrapped here.",
                                                                       "A second one wrapped too."]),
    ("Intro line\nwrapped.\n- a bullet\n- another\n\nEnd.", ["Intro line wrapped.", "- a bullet", "- another", "End."]),
]



@pytest.mark.parametrize(("text", "expected"), PARAGRAPH_CASES)
def test_english_paragraphs(text: str, expected: list[str]) -> None:
    assert english_paragraphs(text) == expected


NUMBER_CASES = [
    ("بلغ العدد ١٦٩ إصابة و13 وفاة", {"169": 1, "13": 1}),
    ("1,000 people on 20 March 2020", {"1000": 1, "20": 1, "2020": 1}),
    ("2020.03.20", {"2020": 1, "3": 1, "20": 1}),
    ("no digits", {}),
]



@pytest.mark.parametrize(("text", "expected"), NUMBER_CASES)
def test_numbers(text: str, expected: dict[str, int]) -> None:
    assert dict(numbers(text)) == expected



def test_split_english_at_clause_boundaries() -> None:
    text = "The ministry announced the figures; the spokesman said the situation was under control."
    assert split_english(text, [10, 12]) == ["The ministry announced the figures;",
                                             "the spokesman said the situation was under control."]
    assert split_english("One sentence.", [5]) == ["One sentence."]
