"""Tokens of an article and what a word's written form tells: the article, a clitic, a possessive,
a plural ending, a passive vowel."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.arabic import fold, strip_article, strip_conjunction
from pipeline.document import Speaker
from pipeline.lexicon import (
    ADDRESSEES,
    ATTRIBUTION,
    BODY_NOUNS,
    MEDIA_NOUNS,
    SAYING_NOUNS,
    STATEMENT_NOUNS,
    STOP_WORDS,
    TIME_WORDS,
)

# -- quotation marks --------------------------------------------------------------------------------
# Each mark belongs to a family; a quotation closes with a mark of the family that opened it. The
# nominal direction is what the mark means in logical order; real text reverses it often enough
# (`إن ” القوات ... الوباء”`) that the position around a mark decides, and the nominal one only
# breaks ties.
FAMILY = {"“": "curly", "”": "curly", "„": "curly", "‟": "curly",
          "«": "guillemet", "»": "guillemet", "‹": "angle", "›": "angle", '"': "straight"}
NOMINAL = {"“": "open", "„": "open", "«": "open", "‹": "open",
           "”": "close", "‟": "close", "»": "close", "›": "close", '"': None}
MARKS = frozenset(FAMILY)
CLOSING_PUNCT = frozenset(".,،؛;:!?؟)]}…-–—")
OPENING_PUNCT = frozenset("([{:،,؛;-–—|/")
CLITICS = frozenset("بلوفك")
TATWEEL = "\u0640"

ARABIC = re.compile("[\u0621-\u064a]")
ARTICLE_START = re.compile("^[وف]?ال")
MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640]+|\S")



@dataclass
class Token:
    start: int
    end: int
    text: str
    fold: str  # folded, for comparing names
    key: str  # folded with ى kept, for looking up word lists
    is_word: bool = field(init=False)
    bare: str = field(init=False)  # the key without a leading و/ف
    base: str = field(init=False)  # folded, without a leading و/ف and the article: how a noun is found again
    role: bool | None = field(default=None, init=False)  # whether a title noun, once asked (names.py)

    def __post_init__(self) -> None:
        self.is_word, self.bare, self.base = _word_shape(self.text, self.key, self.fold)

    @classmethod
    def at(cls, start: int, text: str) -> Token:
        return cls(start, start + len(text), text, *_folds(text))


@lru_cache(maxsize=1 << 16)  # an article's words come back often, and across articles too
def _folds(word: str) -> tuple[str, str]:
    """A word folded for comparing names and as the word lists are looked up (ى kept)."""
    return fold(word), fold(word, keep_maqsura=True)


@lru_cache(maxsize=1 << 16)
def _word_shape(text: str, key: str, folded: str) -> tuple[bool, str, str]:
    return text[0].isalnum() or text[0] == "_", strip_conjunction(key), strip_article(strip_conjunction(folded))



class TokenIndex:
    """Finding tokens by offset: the part of `_Finder` every other part leans on."""

    def _token_index(self, offset: int) -> int:
        return bisect.bisect_left(self.token_starts, offset)

    def _tokens_between(self, start: int, end: int, *, keep_quotes: bool = False) -> list[Token]:
        """Tokens in [start, end), without the insides of quotations (names in marks stay)."""
        k = self._token_index(start)
        out = []
        while k < len(self.tokens) and self.tokens[k].start < end:
            tok = self.tokens[k]
            if keep_quotes or not self._inside_quotation(tok.start):
                out.append(tok)
            k += 1
        return out

    def _inside_quotation(self, offset: int) -> bool:
        """Whether `offset` lies between the marks of a quotation (not a name's)."""
        k = bisect.bisect_left(self.inside_opens, offset) - 1
        return k >= 0 and self.inside_reach[k] > offset

    def _words_before(self, offset: int, n: int) -> list[Token]:
        sentence = self._sentence_at(offset) if self.sentences else None
        floor = sentence.start if sentence is not None else 0
        k = self._token_index(offset)
        out = []
        while k > 0 and len(out) < n:
            k -= 1
            tok = self.tokens[k]
            if tok.start < floor or (tok.text in MARKS and tok.start not in self.name_marks):
                break  # the previous quotation; the marks of a name (اطلع "ناس" عليه) do not count
            out.insert(0, tok)
        return out

    def _sentence_tokens_before(self, offset: int) -> list[Token]:
        sentence = self._sentence_at(offset) if self.sentences else None
        return self._tokens_between(sentence.start if sentence is not None else 0, offset)


def with_plurals(verbs: set[str]) -> set[str]:
    """The verbs with their plural forms added: تابع → تابعوا, يتابع → يتابعون."""
    past = {v for v in verbs if v[0] != "ي" and not (v[0] == "ت" and "ي" + v[1:] in verbs)}
    plurals = {v + "وا" for v in past if not v.endswith(("ت", "وا", "ون"))}
    plurals |= {v + "ون" for v in verbs if v[0] == "ي" and not v.endswith("ون")}
    return verbs | plurals


def role_forms(tok: Token) -> frozenset[str]:
    """How a title noun is looked up: without a conjunction, a preposition glued to it, the article
    or the feminine ending (والمحامية، للمخرجة، الوزيرة → محامي، مخرج، وزير)."""
    return role_forms_of(tok.fold) | role_forms_of(tok.bare)


@lru_cache(maxsize=1 << 16)  # a pure function of the word, asked for the same words again and again
def role_forms_of(word: str) -> frozenset[str]:
    forms = set()
    for w in (word, word[1:] if word[:1] in "لبوف" and word[1:3] == "ال" else word,
              "ال" + word[2:] if word.startswith("لل") else word):
        w = strip_article(w)
        forms.add(w)
        if w.endswith("ه") and len(w) > 3:
            forms.add(w[:-1])
        for suffix in ("هما", "هم", "ها", "ه"):  # نظيرته، نظيره: with a possessive
            stem = w[:-len(suffix)]
            if w.endswith(suffix) and len(stem) >= 3:
                stem = stem[:-1] + "ه" if stem.endswith("ت") else stem
                forms.update((stem, stem[:-1]) if stem.endswith("ه") else (stem,))
                break
    return frozenset(forms)


def base_word(word: str) -> str:
    """A folded word as names are compared: without a conjunction or preposition before the article,
    and without the article (والمحاميه، للمخرجه، المخرجه → محاميه، مخرجه)."""
    if word[:1] in "وفلب" and word[1:3] == "ال":
        word = word[1:]
    elif word.startswith("لل"):
        word = "ال" + word[2:]
    return strip_article(word)


def same_ending(a: str, b: str) -> bool:
    """Whether two phrases' first words agree in their last letter where folding hides it: المخرجة (the
    woman director) is not مخرجه (his director)."""
    wa, wb = a.split()[:1], b.split()[:1]
    if not wa or not wb:
        return True
    ea, eb = MARKS_RE.sub("", wa[0])[-1:], MARKS_RE.sub("", wb[0])[-1:]
    return {ea, eb} != {"ة", "ه"}


def split_commas(words: list[Token]) -> list[list[Token]]:
    segments: list[list[Token]] = [[]]
    for tok in words:
        if tok.text in "،,":
            segments.append([])
        else:
            segments[-1].append(tok)
    return [s for s in segments if s]


def is_adverbial(tok: Token) -> bool:
    """A fronted phrase, not a subject: a preposition (في، عن، بشأن، بالإضافة), a time word, كما."""
    bare = tok.bare
    if bare in STOP_WORDS or bare in TIME_WORDS or bare in ("بشان", "بالاضافه", "بالتالي") or is_attribution(tok):
        return True
    return bare.startswith(("بال", "لل")) or (bare.startswith("ب") and bare[1:] in ("شان", "حسب"))


def is_nisba(tok: Token) -> bool:
    """البرتغالي، الأردنية: a definite adjective of origin, which may stand before a name."""
    word = strip_conjunction(tok.fold)
    return word.startswith("ال") and word.endswith(("ي", "يه")) and len(word) >= 5


def is_addressee(tok: Token) -> bool:
    """للصحفيين، لوسائل الإعلام: whom something was said to, after the speaker."""
    word = tok.fold
    if word.startswith("لل"):
        word = word[2:]
    elif word.startswith("ل"):
        word = word[1:]
    else:
        return False
    return word in ADDRESSEES


def is_passive(tok: Token) -> bool:
    """كُتب، نُقل: a verb written with a damma on its first letter (after و/ف) is passive."""
    text = tok.text[1:] if tok.key != tok.bare else tok.text
    return len(text) > 1 and text[1] == "\u064f"


def feminine(text: str) -> bool:
    """Written with the feminine ending ة (or the plural ات)."""
    return MARKS_RE.sub("", text).endswith(("ة", "ات"))


def is_attribution(tok: Token) -> bool:
    """بحسب، وفقا، نقلا: by the word as written too, since و of وفق is not a conjunction."""
    return tok.key in ATTRIBUTION or tok.bare in ATTRIBUTION


def is_prepositional(tok: Token) -> bool:
    """للصحفيين، لوكالة، بوزارة: a word with a preposition glued to it cannot start a subject."""
    return tok.fold.startswith("لل") or (tok.fold[:1] in "لب" and strip_article(tok.fold[1:]) in MEDIA_NOUNS | BODY_NOUNS)


def is_plural_noun(tok: Token) -> bool:
    """ناشطون، المحتجون، مراقبين: a sound masculine plural (not a verb: يقولون)."""
    return tok.is_word and is_plural_noun_text(tok.text)


def is_plural_noun_text(text: str) -> bool:
    words = fold(text).split()
    if not words:
        return False
    word = strip_article(strip_conjunction(words[0]))
    definite = strip_conjunction(words[0]).startswith("ال")
    verb_like = word[0] in "يت" or word[:2] in ("سي", "ست")  # يقولون، سيعودون
    return len(word) >= 5 and word.endswith(("ون", "ين")) and (definite or not verb_like)


def strip_clitic(word: str) -> str:
    """A folded word without one leading proclitic letter (لصحيفه → صحيفه) when a word remains."""
    return word[1:] if len(word) > 3 and word[0] in "لبوفك" else word


def is_definite(tok: Token, *, after_conjunction: bool = True) -> bool:
    """الخلية, للأمم, and (with `after_conjunction`) والشخص: the article. Inside a name a word like
    والاس is a name, not و + ال."""
    word = MARKS_RE.sub("", tok.text)
    return word.startswith(("ال", "لل")) or (after_conjunction and word[:1] in "وف" and word[1:3] in ("ال", "لل"))


def object_follows(words: list[Token], tok: Token) -> bool:
    """`ووصف المعارضون الاتفاق`: a definite plural (-ون) is not followed by its adjective unless that
    agrees (المعارضون السوريون); another definite noun is the verb's object."""
    if not words or not words[-1].is_word:
        return False
    last = words[-1].fold
    return is_definite(words[-1]) and last.endswith("ون") and is_definite(tok) and not tok.fold.endswith(("ون", "ين"))


def said_object(words: list[Token], tok: Token) -> bool:
    """`وكتب مسؤول بالحزب تغريدة`: an indefinite noun of saying after a subject is what the subject
    said or wrote, its object; not after another such noun, whose adjective it is (تقرير حديث)."""
    return bool(words) and tok.is_word and not is_definite(tok) and tok.bare in SAYING_NOUNS and \
        strip_article(words[-1].bare) not in SAYING_NOUNS | STATEMENT_NOUNS


def contains(words: list[str], part: list[str]) -> bool:
    return any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


def has_possessive(text: str) -> bool:
    """قواته، بلادها، حسابهم: a pronoun ending (ة is not one), so not a name's word; but the ه of
    الله ends a name (عبدالله، نصرالله)."""
    return len(text) >= 5 and text.endswith(("ه", "ها", "هم", "هما")) and not fold(text).endswith("الله")


def looks_like_person(words: list[str]) -> bool:
    """عبدالخالق الحوثي, أبو علي العسكري, محمد بن سلمان: the shapes of Arabic personal names."""
    if not 1 < len(words) <= 3:
        return False
    return words[0].startswith("عبد") or words[0] in ("ابو", "ام", "ابن") or "بن" in words[1:-1]


def ends_with(name: list[str], words: list[str]) -> bool:
    return len(name) > len(words) and name[-len(words):] == words


def has_pronoun_suffix(text: str) -> bool:
    """بيانها، اسمه: a pronoun ending, read on the unfolded word (الوزارة ends with ة, not with ه)."""
    return MARKS_RE.sub("", text).endswith(("ها", "ه", "هم", "هما"))


def is_latin_after_la(text: str) -> bool:
    """لـCNN: an outlet glued to its preposition."""
    plain = text.replace(TATWEEL, "")
    return len(plain) > 1 and plain[0] == "ل" and plain[1].isascii() and plain[1].isalpha()


def clean_mention(text: str) -> str:
    """A mention as a name: without a conjunction before its article (والشخص → الشخص), without
    quotation marks (a body named in marks inside a title), one space between words."""
    words = "".join(" " if c in MARKS else c for c in text).split()  # عضو قائمة "الاتفاق الجديد"
    if words and words[0][:1] in "وف" and fold(words[0])[1:3] == "ال":
        words[0] = words[0][1:]
    return " ".join(words)


def with_commas(words: list[Token], tokens: list[Token], index) -> list[Token]:
    """The words with the commas between them put back, so that a mention keeps its segments."""
    if not words:
        return words
    first, last = index(words[0].start), index(words[-1].start)
    return [t for t in tokens[first:last + 1] if t.is_word or t.text in "،,"]


def again(speaker: Speaker | None) -> Speaker | None:
    """The same speaker, met again without a mention of its own in this sentence."""
    if speaker is None:
        return None
    return Speaker(mention=speaker.mention, name=speaker.name, start=None, end=None)


