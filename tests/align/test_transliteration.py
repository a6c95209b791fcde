"""Finding an Arabic name in English text by its consonants."""

from __future__ import annotations

import pytest

from pipeline.align.transliteration import find_name

NAME_CASES = [
    ("مايلز كاغينز", "The spokesman, Colonel Myles Caggins, said", "Myles Caggins"),
    ("أبو علي العسكري", "A commander (Abu Ali al-Askari) said", "Abu Ali al-Askari"),
    ("كتائب حزب الله", "Kataib Hezbollah in Iraq renewed its threat", "Kataib Hezbollah"),
    ("محمد بن سلمان", "He called Crown Prince Mohammed bin Salman", "Mohammed bin Salman"),
    ("بن والاس", "Defence Secretary Ben Wallace announced", "Ben Wallace"),
    ("سليم الجبوري", "Speaker Salim al-Jabouri said", "Salim al-Jabouri"),
    ("خلية الاعلام الامني", "The Security Media Cell announced", None),  # translated, not transliterated
    ("العسكري", "serious security work continues", None),  # lower-case words are no names
]



@pytest.mark.parametrize(("arabic", "english", "expected"), NAME_CASES)
def test_find_name(arabic: str, english: str, expected: str | None) -> None:
    assert find_name(arabic, english) == expected
