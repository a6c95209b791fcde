"""Names across the two scripts: consonant skeletons of Arabic and English words, and the English run that transliterates an Arabic name."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Consonant skeletons: a name written in Arabic and its English transliteration reduce to the
# same letters (كاغينز and Caggins both to KGNS). Vowels, h, w, y, ain and hamza are dropped
# because the two scripts write them too differently to compare.
_AR_SKELETON = str.maketrans({
    "ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "T", "ج": "G", "غ": "G", "گ": "G", "خ": "K", "ك": "K",
    "ق": "K", "د": "D", "ض": "D", "ذ": "D", "ر": "R", "ز": "S", "س": "S", "ش": "S", "ص": "S", "ظ": "S",
    "ف": "F", "ڤ": "F", "ل": "L", "م": "M", "ن": "N",
})
_EN_DIGRAPHS = (("sch", "S"), ("sh", "S"), ("ch", "TS"), ("th", "T"), ("dh", "D"), ("kh", "K"), ("gh", "G"),
                ("ph", "F"), ("ck", "K"), ("x", "KS"))
_EN_SKELETON = str.maketrans({"b": "B", "p": "B", "t": "T", "d": "D", "g": "G", "j": "G", "k": "K", "q": "K",
                              "r": "R", "s": "S", "z": "S", "f": "F", "v": "F", "l": "L", "m": "M", "n": "N"})
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
STOPWORDS = {"the", "a", "an", "in", "on", "of", "and", "but", "he", "she", "it", "they", "we", "this", "that",
             "these", "those", "as", "at", "for", "with", "by", "to", "from", "his", "her", "its", "their",
             "our", "i", "you", "if", "when", "while", "after", "before", "there", "regarding", "however"}


def _collapse(s: str) -> str:
    return re.sub(r"(.)\1+", r"\1", s)


_ARTICLE = re.compile("^(?:[وف]?[بكل]?ال|[وف]?لل)(?=...)")


def arabic_skeleton(word: str) -> str:
    """Consonant skeleton of an Arabic word, without the article and the clitics before it
    (والبصرة -> BSR, like Basra)."""
    word = _ARTICLE.sub("", re.sub("[\u064b-\u065f\u0670\u0640]", "", word))
    return _collapse("".join(ch for ch in word.translate(_AR_SKELETON) if ch.isupper() and ch.isascii()))


def arabic_skeletons(word: str) -> set[str]:
    """The word's skeleton, and the skeleton without a leading conjunction or preposition
    (وكاغينز -> KGNS), which cannot be told from a first letter of the name."""
    out = {arabic_skeleton(word)}
    if len(word) > 4 and word[0] in "وفبلك":
        out.add(arabic_skeleton(word[1:]))
    return {s for s in out if len(s) >= 2}


def english_skeleton(word: str) -> str:
    word = word.lower().replace("’", "'")
    word = re.sub(r"^(?:al|el|ad|ar|as|ash|at|az)-", "", word)
    word = re.sub(r"'s$", "", word)
    for pair, letter in _EN_DIGRAPHS:
        word = word.replace(pair, letter)
    word = re.sub(r"c(?=[eiy])", "S", word)
    word = word.replace("c", "K")
    return _collapse("".join(ch for ch in word.translate(_EN_SKELETON) if ch.isupper()))


def skeletons_match(a: str, b: str) -> bool:
    if len(a) < 2 or len(b) < 2:
        return False
    if a == b:
        return True
    return min(len(a), len(b)) >= 4 and _edit_distance(a, b) <= 1


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
    skeletons of four letters or more (looked up by single deletions, so it stays fast)."""

    def __init__(self, sentences: Sequence[str]) -> None:
        self.exact: dict[str, set[int]] = {}
        self.deleted: dict[str, set[int]] = {}
        for k, text in enumerate(sentences):
            for word in _ARABIC_WORD.findall(text):
                for skeleton in arabic_skeletons(word):
                    self.exact.setdefault(skeleton, set()).add(k)
                    if len(skeleton) >= 4:
                        for variant in _deletions(skeleton):
                            self.deleted.setdefault(variant, set()).add(k)

    def sentences_with(self, skeleton: str) -> frozenset[int]:
        hits = set(self.exact.get(skeleton, ()))
        if len(skeleton) >= 4:
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
