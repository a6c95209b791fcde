"""Small Arabic text helpers shared by stages and evaluation: letter folding for matching, word forms."""

from __future__ import annotations

import re

# Harakat, tanween, shadda, sukun, dagger alef, Quranic marks, and tatweel: they change nothing a
# matcher should care about ("قائلاً" is "قائلا").
MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# The same without the Quranic marks, as the QA checks strip them.
HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
# Letters that writers interchange freely: hamza-seated alefs, taa marbuta and haa, alef maqsura and yaa.
LETTER_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_FOLD_KEEP_MAQSURA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه"})
_SPACE = re.compile(r"\s+")
# Arabic-Indic and Persian digits as ASCII, one character for one.
EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# A letter of any Arabic block, presentation forms included: text with one needs translating.
ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def fold(text: str, *, keep_maqsura: bool = False) -> str:
    """Text reduced for matching: no diacritics or tatweel, alef/taa marbuta/yaa variants merged,
    whitespace collapsed. Not for display. `keep_maqsura` keeps ى apart from ي, for word lists where
    it tells words apart (على / the name علي, نفى / the noun نفي)."""
    table = _FOLD_KEEP_MAQSURA if keep_maqsura else LETTER_FOLD
    return _SPACE.sub(" ", MARKS.sub("", text).translate(table)).strip()


def strip_article(word: str) -> str:
    """A folded word without its definite article: "الخليه" -> "خليه" (short words keep theirs)."""
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def strip_conjunction(word: str) -> str:
    """A folded word without a leading و/ف, for looking it up in a word list ("وقال" -> "قال"). Names
    that start with these letters lose them too, so never use it to rewrite a name."""
    return word[1:] if len(word) >= 3 and word[0] in "وف" else word
