"""Small Arabic text helpers shared by stages and evaluation: letter folding for matching, word forms."""

from __future__ import annotations

import re

# Harakat, tanween, shadda, sukun, dagger alef, Quranic marks, and tatweel: they change nothing a
# matcher should care about ("قائلاً" is "قائلا").
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Letters that writers interchange freely: hamza-seated alefs, taa marbuta and haa, alef maqsura and yaa.
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_FOLD_KEEP_MAQSURA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه"})
_SPACE = re.compile(r"\s+")


def fold(text: str, *, keep_maqsura: bool = False) -> str:
    """Text reduced for matching: no diacritics or tatweel, alef/taa marbuta/yaa variants merged,
    whitespace collapsed. Not for display. `keep_maqsura` keeps ى apart from ي, for word lists where
    it tells words apart (على / the name علي, نفى / the noun نفي)."""
    table = _FOLD_KEEP_MAQSURA if keep_maqsura else _FOLD
    return _SPACE.sub(" ", _MARKS.sub("", text).translate(table)).strip()


def strip_article(word: str) -> str:
    """A folded word without its definite article: "الخليه" -> "خليه" (short words keep theirs)."""
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def strip_conjunction(word: str) -> str:
    """A folded word without a leading و/ف, for looking it up in a word list ("وقال" -> "قال"). Names
    that start with these letters lose them too, so never use it to rewrite a name."""
    return word[1:] if len(word) >= 3 and word[0] in "وف" else word
