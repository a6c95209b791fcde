"""Names across the two scripts: sound classes of Arabic and English words, and the English run that transliterates an Arabic name.

One scheme serves sentence alignment (names as anchors), speakers' English names and the qa
names rule: both scripts reduce to Soundex-like sound classes (كاغينز and Caggins both to
2252), compared exactly or within an edit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# Sound classes shared by both scripts (in the spirit of Soundex). Letters with no class (vowels,
# w, y; ا و ي ع ة and hamza) are left out: transliterations disagree on them most. A final ه (a
# pronoun or الله) and an English final "ah"/"eh" h (Sarah for سارة) are left out too.
_AR_CLASSES = {
    "ب": "1", "ف": "1", "ڤ": "1", "پ": "1",
    "ج": "2", "ك": "2", "ق": "2", "غ": "2", "خ": "2", "س": "2", "ص": "2", "ز": "2", "ش": "2",
    "ظ": "2", "چ": "2", "گ": "2",
    "ت": "3", "ط": "3", "د": "3", "ض": "3", "ث": "3", "ذ": "3",
    "ل": "4", "م": "5", "ن": "5", "ر": "6", "ح": "7", "ه": "7",
}
_EN_CLASSES = {
    "b": "1", "p": "1", "f": "1", "v": "1",
    "c": "2", "g": "2", "j": "2", "k": "2", "q": "2", "s": "2", "x": "2", "z": "2",
    "t": "3", "d": "3", "l": "4", "m": "5", "n": "5", "r": "6", "h": "7",
}
_EN_DIGRAPHS = {"sh": "2", "kh": "2", "gh": "2", "ch": "2", "ck": "2", "ph": "1", "th": "3", "dh": "3"}
# تش is how Arabic writes the English "ch" (تشرشل, Churchill).
_AR_DIGRAPHS = {"تش": "2"}



_AR_VOWELS = set("اويىعءأإآئؤة")
_VOWELS = set("aeiouyw")


@lru_cache(maxsize=65536)
def sound_classes(word: str, vowels: bool = False) -> str:
    """Sound classes of an Arabic word; with `vowels`, long vowels and ع as "V" too (for breaking ties)."""
    out: list[str] = []
    i = 0
    while i < len(word):
        if vowels and word[i] in _AR_VOWELS:
            if not out or out[-1] != "V":
                out.append("V")
            i += 1
            continue
        pair = word[i : i + 2]
        if pair in _AR_DIGRAPHS:
            out.append(_AR_DIGRAPHS[pair])
            i += 2
            continue
        cls = _AR_CLASSES.get(word[i])
        if word[i] == "ه" and i == len(word) - 1:
            cls = None
        if cls and (not out or word[i] != word[i - 1]):
            out.append(cls)
        i += 1
    return "".join(out)


@lru_cache(maxsize=65536)
def english_sound_classes(word: str, vowels: bool = False) -> str:
    """Sound classes of an English word; with `vowels`, vowel runs as "V" too."""
    word = re.sub(r"(.)\1+", r"\1", word.lower())  # Caggins -> cagins
    out: list[str] = []
    i = 0
    while i < len(word):
        if vowels and word[i] in _VOWELS:
            if not out or out[-1] != "V":
                out.append("V")
            i += 1
            continue
        pair = word[i : i + 2]
        if pair in _EN_DIGRAPHS:
            out.append(_EN_DIGRAPHS[pair])
            i += 2
            continue
        if word[i] == "h" and i == len(word) - 1 and i > 0 and word[i - 1] in _VOWELS:
            i += 1
            continue
        if word[i] not in _VOWELS and word[i] in _EN_CLASSES:
            out.append(_EN_CLASSES[word[i]])
        i += 1
    return "".join(out)


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """1 - edit distance / longer length, on skeletons."""
    if not a or not b:
        return 0.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return 1 - previous[-1] / max(len(a), len(b))


@lru_cache(maxsize=65536)
def skeleton_similarity(a: str, b: str) -> float:
    """`similarity` of two skeletons where an h sound (class 7) present on one side only costs half:
    "John" has an h that جون lacks, أحمد an h that "Ahmed" hides."""
    if not a or not b:
        return 0.0
    previous = [0.0]
    for cb in b:
        previous.append(previous[-1] + (0.5 if cb == "7" else 1.0))
    for ca in a:
        gap = 0.5 if ca == "7" else 1.0
        current = [previous[0] + gap]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + gap, current[j - 1] + (0.5 if cb == "7" else 1.0),
                               previous[j - 1] + (ca != cb)))
        previous = current
    return 1 - previous[-1] / max(len(a), len(b))


_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
STOPWORDS = {"the", "a", "an", "in", "on", "of", "and", "but", "he", "she", "it", "they", "we", "this", "that",
             "these", "those", "as", "at", "for", "with", "by", "to", "from", "his", "her", "its", "their",
             "our", "i", "you", "if", "when", "while", "after", "before", "there", "regarding", "however"}


def _collapse(s: str) -> str:
    return re.sub(r"(.)\1+", r"\1", s)


_ARTICLE = re.compile("^(?:[وف]?[بكل]?ال|[وف]?لل)(?=...)")


def arabic_skeleton(word: str) -> str:
    """Skeleton of an Arabic word for matching names, without the article and the clitics before
    it (والبصرة -> 126, like Basra): its sound classes without h sounds, which one script writes
    and the other often not (أحمد, Ahmed)."""
    word = _ARTICLE.sub("", re.sub("[\u064b-\u065f\u0670\u0640]", "", word))
    return _collapse(sound_classes(word).replace("7", ""))


def arabic_skeletons(word: str) -> set[str]:
    """The word's skeleton, and the skeleton without a leading conjunction or preposition
    (وكاغينز -> 252), which cannot be told from a first letter of the name."""
    out = {arabic_skeleton(word)}
    if len(word) > 4 and word[0] in "وفبلك":
        out.add(arabic_skeleton(word[1:]))
    return {s for s in out if len(s) >= 2}


def english_skeleton(word: str) -> str:
    """Skeleton of an English word for matching names (al-Basra -> 126), as arabic_skeleton."""
    word = word.lower().replace("’", "'")
    word = re.sub(r"^(?:al|el|ad|ar|as|ash|at|az)-", "", word)
    word = re.sub(r"'s$", "", word)
    return _collapse(english_sound_classes(word).replace("7", ""))


# Edits allowed from this many classes: the classes are coarse (s, k, g, j share one), so shorter
# skeletons one edit apart match unrelated words by chance (sentence alignment on ntrex-dev
# falls from 0.998 to 0.990 when four classes allow an edit).
MIN_EDIT_LENGTH = 5


def skeletons_match(a: str, b: str) -> bool:
    """Whether two skeletons are one name: equal, or one edit apart when long enough."""
    if len(a) < 2 or len(b) < 2:
        return False
    if a == b:
        return True
    return min(len(a), len(b)) >= MIN_EDIT_LENGTH and _edit_distance(a, b) <= 1


def _edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def english_names(text: str) -> list[str]:
    """Skeletons of capitalized English words that are not the sentence's first word or a stopword."""
    out = []
    for i, m in enumerate(_ENGLISH_WORD.finditer(text)):
        word = m.group()
        bare = re.sub(r"^(?:al|el)-", "", word, flags=re.IGNORECASE)
        if i == 0 or not bare[:1].isupper() or word.lower() in STOPWORDS:
            continue
        skeleton = english_skeleton(word)
        if len(skeleton) >= 3:
            out.append(skeleton)
    return out



class SkeletonIndex:
    """Which Arabic sentences hold a word with a given consonant skeleton, one edit allowed for
    skeletons of MIN_EDIT_LENGTH classes or more (looked up by single deletions, so it stays fast)."""

    def __init__(self, sentences: Sequence[str]) -> None:
        self.exact: dict[str, set[int]] = {}
        self.deleted: dict[str, set[int]] = {}
        for k, text in enumerate(sentences):
            for word in _ARABIC_WORD.findall(text):
                for skeleton in arabic_skeletons(word):
                    self.exact.setdefault(skeleton, set()).add(k)
                    if len(skeleton) >= MIN_EDIT_LENGTH:
                        for variant in _deletions(skeleton):
                            self.deleted.setdefault(variant, set()).add(k)

    def sentences_with(self, skeleton: str) -> frozenset[int]:
        hits = set(self.exact.get(skeleton, ()))
        if len(skeleton) >= MIN_EDIT_LENGTH:
            hits |= self.deleted.get(skeleton, set())
            for variant in _deletions(skeleton):
                hits |= self.exact.get(variant, set()) | self.deleted.get(variant, set())
        return frozenset(hits)


def _deletions(s: str) -> set[str]:
    return {s[:i] + s[i + 1 :] for i in range(len(s))}



NAME_CONNECTORS = {"bin", "ibn", "bint", "abu", "al", "el", "ben", "bou", "abd"}


def _name_like(word: str) -> bool:
    bare = re.sub(r"^(?:al|el)-", "", word, flags=re.IGNORECASE)
    return bare[:1].isupper() or word.lower() in NAME_CONNECTORS


def _same_name(a: str, b: str) -> bool:
    return a == b != "" or skeletons_match(a, b)


def find_name(arabic: str, english: str) -> str | None:
    """The run of English name words (capitalized, or a connector such as bin) transliterating
    the Arabic name, or None. The words must match at least half the Arabic words, in order
    (one English word may render two: حزب الله, Hezbollah), on three consonants or more in all."""
    targets = [t for t in (arabic_skeleton(w) for w in _ARABIC_WORD.findall(arabic)) if t]
    words = [(m.start(), m.end(), english_skeleton(m.group())) for m in _ENGLISH_WORD.finditer(english)
             if _name_like(m.group())]
    # Runs of name words with nothing but spaces or hyphens between them.
    best: tuple[float, int, int] | None = None
    for first in range(len(words)):
        k, j, matched, consonants, last = 0, first, 0, 0, None
        while j < len(words) and k < len(targets):
            if last is not None and english[words[last][1] : words[j][0]].strip(" -"):
                break  # the run of names ended
            skeleton = words[j][2]
            step = 0
            if k + 1 < len(targets) and _same_name(skeleton, targets[k] + targets[k + 1]):
                step = 2
            elif _same_name(skeleton, targets[k]):
                step = 1
            elif last is not None and k + 1 < len(targets) and _same_name(skeleton, targets[k + 1]):
                k, step = k + 1, 1  # an Arabic word the English leaves out
            if not step:
                break
            matched, k, last = matched + step, k + step, j
            consonants += len(skeleton)
            j += 1
        if last is None or consonants < 3 or matched * 2 < len(targets):
            continue
        score = matched / len(targets)
        if best is None or score > best[0]:
            best = (score, first, last)
    if best is None:
        return None
    _, first, last = best
    return english[words[first][0] : words[last][1]]
