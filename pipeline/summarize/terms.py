"""Content terms of a sentence for summarization: Arabic folded and light-stemmed, English lower-cased."""

from __future__ import annotations

import re
from collections.abc import Collection

from pipeline.arabic import LETTER_FOLD, MARKS
from pipeline.lexicon import PARTICIPLES, SPEECH_VERBS

# arabic.fold's letters, hamza on waw and yaa seats too, and Arabic-Indic digits as ASCII.
_FOLD = {**LETTER_FOLD, **str.maketrans({"ؤ": "و", "ئ": "ي"}), **str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")}
_WORD = re.compile(r"[\w]+", re.UNICODE)

# Function words (folded spelling), and the reporting verbs and participles of pipeline.lexicon: they
# open half the sentences of a news article, so they say nothing about what a sentence is about.
_ARABIC_STOPWORDS = """
في من الي علي عن ان او ثم مع بعد قبل حتي كما لكن بل اذا اذ لو لا ما لم لن قد كان كانت يكون تكون
هذا هذه ذلك تلك هولاء اولئك هنا هناك الذي التي الذين اللذين اللتين اللواتي اللاتي التي الا غير سوي
كل بعض اي عند لدي لدي منذ خلال ضمن نحو حول دون بين امام وراء فوق تحت عبر لدي ازاء وفق وفقا
هو هي هم هما هن انا نحن انت انتم انه انها انهم اننا ايضا فقط حيث بينما كذلك اما وان وقد ولا وما
بان لان كي لكي عليه
عليها فيه فيها منه منها اليه اليها عنه عنها به بها له لها لهم بهم منهم فيهم عليهم الان اليوم امس
"""
ARABIC_STOPWORDS = frozenset(_ARABIC_STOPWORDS.split())

_ENGLISH_STOPWORDS = """
a an the and or but if then than that this these those there here of in on at to for from by with
about as into over after before between during under against without within through also not no
is are was were be been being has have had do does did will would shall should can could may might
must it its he she they them his her their we our you your i me my us who whom whose which what
when where why how all any both each few more most other some such only own same so too very just
said says say added told stressed noted pointed out according one two
"""
ENGLISH_STOPWORDS = frozenset(_ENGLISH_STOPWORDS.split())

_PROCLITICS = "وفبلك"
_ARABIC_PREFIXES = ("ال", "لل")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def fold_arabic(text: str) -> str:
    """Spelling variants that mean the same word become one: hamza forms, alef maqsura, ta marbuta,
    diacritics, tatweel, Arabic-Indic digits."""
    return MARKS.sub("", text).translate(_FOLD)


# The reporting words as this module folds them, alone and after و.
ARABIC_STOPWORDS |= {f for w in (*SPEECH_VERBS, *PARTICIPLES) for f in (fold_arabic(w), "و" + fold_arabic(w))}


def article_words(text: str) -> set[str]:
    """Every folded word of a text: what `stem_arabic` checks a word without its proclitic against."""
    return {w.lower() for w in _WORD.findall(fold_arabic(text))}


def stem_arabic(word: str, known: Collection[str] = ()) -> str:
    """Light stemming after Larkey's light10: strip a proclitic, the article and common suffixes,
    so that `والقوات`, `القوات`, `بقوات` and `قوات` are one term. A lone و/ف/ب/ل/ك is taken for a
    proclitic only before the article or when the rest is a word of the article (`known`), since
    many words begin with those letters (`وزير`, `فريق`, `بلد`)."""
    if len(word) > 3 and word[0] in _PROCLITICS:
        rest = word[1:]
        if rest.startswith("ال") or rest in known:
            word = rest
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix):]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    if word.endswith("ا") and len(word) >= 5:  # the accusative's alif: "عنصرا" is "عنصر"
        word = word[:-1]
    return word


def arabic_terms(text: str, known: Collection[str] = ()) -> list[str]:
    """The content terms of an Arabic sentence, in order (Latin words and numbers kept, lower-cased);
    `known` is the article's words (`article_words`), for telling proclitics from first letters."""
    terms = []
    for word in _WORD.findall(fold_arabic(text)):
        word = word.lower()
        if word in ARABIC_STOPWORDS or word.replace("_", "") == "":
            continue
        stem = stem_arabic(word, known) if not word.isascii() else word
        if len(stem) < 2 and not stem.isdigit():
            continue
        if stem in ARABIC_STOPWORDS:
            continue
        terms.append(stem)
    return terms


def english_terms(text: str) -> list[str]:
    """The content terms of an English sentence: lower-cased, stop words out, plural -s off."""
    terms = []
    for word in _WORD.findall(text.lower()):
        if word in ENGLISH_STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        terms.append(word)
    return terms


def word_count(text: str) -> int:
    return len(text.split())
