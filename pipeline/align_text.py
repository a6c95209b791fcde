"""`tarjama align AR EN`: an Arabic article and an existing English translation aligned sentence by sentence and quotation by quotation, with no MT model.

The Arabic is read, normalized, segmented and its quotations found by the usual stages. The
English is split into paragraphs and sentences, and the sentences are aligned by dynamic
programming in the manner of Gale and Church (1993): the cost of a bead (1-1, 1-2, 2-1, 1-0,
0-1 and a few more) is how unlikely its length ratio is, plus anchors that a translation keeps:
paragraph starts (when the English has paragraphs: a translation that puts the whole article
in one paragraph, or joins paragraphs, still aligns), numbers, the count of quotations, and
names whose consonants match across the scripts. Two Arabic sentences rendered as one English
sentence are scored, and split, at the English clause boundary that fits best. Each quotation
then gets its span in the aligned English by the quotation marks, paragraph by paragraph and
sentence by sentence (method "reference"); where the marks do not settle it, by its place in
the sentence (method "position", a low confidence). Speakers get the English words whose
consonants match their name.
"""

from __future__ import annotations

import argparse
import copy
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.arabic import EASTERN_DIGITS
from pipeline.document import Document, Quote, QuoteTranslation
from pipeline.errors import InputError, UsageError
from pipeline.stages.align import (
    Bead,
    Found,
    compose,
    find_marked_spans,
    marks_alignment,
    quotations,
    touched_beads,
    trim,
    word_bounds,
)

ARABIC_STAGES = ("normalize", "segment", "quotes")

# -- the English side ---------------------------------------------------------------------------

BULLET = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)])\s+")
# Words after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "cpl", "adm", "gov", "sen",
    "rep", "rev", "st", "jr", "sr", "no", "nos", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est", "fig", "vol",
    "al", "ibid", "op", "cf", "mt", "ft", "pp",
}
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")


def english_paragraphs(text: str) -> list[str]:
    """Paragraphs of an English text. One line is one paragraph, unless the text separates
    paragraphs by blank lines and wraps lines inside them; a bullet line is a paragraph."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    wrapped = any(len([ln for ln in b.splitlines() if ln.strip()]) > 1 for b in blocks) and len(blocks) > 1
    paragraphs: list[str] = []
    for block in blocks:
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if not wrapped:
            paragraphs.extend(lines)
            continue
        current: list[str] = []
        for line in lines:
            if current and BULLET.match(line):
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            paragraphs.append(" ".join(current))
    return [re.sub(r"\s+", " ", p).strip() for p in paragraphs]


def english_sentences(paragraph: str, *, max_quote_words: int = 150) -> list[str]:
    """Sentences of one English paragraph: a boundary after . ! ? … (and closing marks) before a
    capital, a digit or an opening mark; never after an abbreviation or an initial, nor inside
    a quotation that closes later in the paragraph, unless that quotation is longer than
    `max_quote_words` (a statement quoted at length is cut into sentences, as the Arabic is)."""
    inside = [(s.start, s.end) for s in find_marked_spans(paragraph)
              if not s.open_right and len(paragraph[s.start : s.end].split()) <= max_quote_words]
    cuts = [0]
    for m in SENTENCE_END.finditer(paragraph):
        end = m.end()
        rest = paragraph[end:].lstrip()
        if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘«'([-•"):
            continue
        word = re.search(r"([A-Za-z]+)\W*$", paragraph[: m.start() + 1].rstrip(".!?…"))
        if m.group().startswith(".") and word:
            token = word.group(1)
            before = paragraph[: word.start(1)]
            if token.lower() in ABBREVIATIONS or len(token) == 1 or before.endswith("."):
                continue  # Dr. / J. / U.S.
        if any(a < end < b for a, b in inside):  # the boundary falls before the closing mark
            continue
        cuts.append(end)
    cuts.append(len(paragraph))
    out = [paragraph[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)]
    return [s for s in out if s]


# -- anchors ------------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"(?<=\d)[,٬](?=\d{3}(?!\d))")


def numbers(text: str) -> Counter[str]:
    """The numbers written in digits (Western or Arabic-Indic), leading zeros dropped."""
    text = _THOUSANDS.sub("", text.translate(EASTERN_DIGITS))
    return Counter(d.lstrip("0") or "0" for d in re.findall(r"\d+", text))


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


# -- sentence alignment ----------------------------------------------------------------------------


@dataclass
class Unit:
    """A sentence or paragraph run on one side, with what the cost looks at. `ids` are the
    Arabic sentence indices of an Arabic unit; `names` holds, for each English name in an
    English unit, the Arabic sentence indices whose words have the same consonants."""

    length: int
    numbers: Counter[str]
    quotes: int  # quotations opening in it (on the English side, pairs of marks)
    ids: frozenset[int] = frozenset()
    names: list[frozenset[int]] = field(default_factory=list)
    starts: bool = False  # the unit begins a paragraph
    breaks: bool = False  # a paragraph begins inside the unit (after its first sentence)
    text: str = ""  # of an English sentence
    names_marked: int = 0  # Arabic: names and titles in marks, which a translation may keep marked


def merge(units: Sequence[Unit]) -> Unit:
    if len(units) == 1:
        return units[0]
    return Unit(sum(u.length for u in units) + max(0, len(units) - 1), sum((u.numbers for u in units), Counter()),
                sum(u.quotes for u in units), frozenset().union(*(u.ids for u in units)),
                [n for u in units for n in u.names], starts=bool(units) and units[0].starts,
                breaks=any(u.starts or u.breaks for u in units[1:]) or any(u.breaks for u in units[:1]),
                names_marked=sum(u.names_marked for u in units))


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


# Bead kinds (Arabic count, English count) and their prior probabilities. Translators often cut a
# long Arabic sentence in two; joining two Arabic sentences is rarer; dropping one rarer still.
BEAD_PRIORS = {(1, 1): 0.85, (1, 2): 0.06, (2, 1): 0.03, (1, 3): 0.01, (3, 1): 0.004, (2, 2): 0.01,
               (1, 0): 0.006, (0, 1): 0.006}
VARIANCE = 7.0  # of English characters per Arabic character, as Gale and Church's s^2
NUMBER_WEIGHT = 2.0
QUOTE_WEIGHT = 2.0
NAME_WEIGHT = 1.0
PARAGRAPH_WEIGHT = 3.0  # a bead starting a paragraph on one side only, or holding a break on one side only


def _normal_tail(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass
class Scorer:
    """The cost of a bead: -log of its prior and of its length ratio, plus anchor mismatches
    (numbers on one side only, a different count of quotations, English names whose consonants
    match no word of the Arabic side but match one elsewhere in the article). Several Arabic
    sentences against one English sentence are scored as that sentence cut in as many parts,
    each against its Arabic sentence, at the best clause boundary: a bead that only fits as a
    whole (an Arabic sentence the translator left out) costs what it should."""

    ratio: float  # English characters per Arabic character in this document
    paragraphs: bool = True  # whether the English has paragraphs to compare with the Arabic's
    english: Callable[[str], Unit] | None = None  # features of a piece of English, for the cuts
    _features: dict[str, Unit] = field(default_factory=dict, repr=False)
    _splits: dict[tuple[frozenset[int], str], tuple[float, list[str]]] = field(default_factory=dict, repr=False)

    def cost(self, ar: Sequence[Unit], en: Sequence[Unit]) -> float:
        a, e = merge(ar), merge(en)
        cost = -math.log(BEAD_PRIORS[(len(ar), len(en))])
        if self.paragraphs and ar and en:
            cost += PARAGRAPH_WEIGHT * ((a.starts != e.starts) + (a.breaks != e.breaks))
        if len(ar) > 1 and len(en) == 1 and self.english is not None and en[0].text:
            return cost + self.split(ar, en[0].text)[0]
        # A sentence left out has no length to compare: only its prior and its anchors count.
        return cost + self.pair(a, e, length=bool(ar and en))

    def pair(self, a: Unit, e: Unit, *, length: bool = True) -> float:
        """Length and anchor cost of one Arabic unit against one English unit."""
        cost = 0.0
        if length:
            expected = self.ratio * a.length
            z = (e.length - expected) / math.sqrt(VARIANCE * max(1.0, (expected + e.length) / 2))
            cost -= math.log(max(_normal_tail(z), 1e-12))
        cost += NUMBER_WEIGHT * sum(((a.numbers - e.numbers) + (e.numbers - a.numbers)).values())
        cost += QUOTE_WEIGHT * min(abs(a.quotes - e.quotes), abs(a.quotes + a.names_marked - e.quotes))
        cost += NAME_WEIGHT * sum(1 for hits in e.names if hits and not hits & a.ids)
        return cost

    def split(self, ar: Sequence[Unit], text: str) -> tuple[float, list[str]]:
        """The cheapest cut of `text` into len(ar) parts, and its cost."""
        key = (frozenset().union(*(u.ids for u in ar)), text)
        if key not in self._splits:
            options = []
            for parts, cut_cost in split_options(text, [u.length for u in ar]):
                if self.english is None or not all(parts):
                    continue
                cost = cut_cost
                for unit, part in zip(ar, parts, strict=True):
                    if part not in self._features:
                        self._features[part] = self.english(part)
                    cost += self.pair(unit, self._features[part])
                options.append((cost, parts))
            self._splits[key] = min(options, default=(self.pair(merge(ar), self.english(text) if self.english
                                                                  else Unit(len(text), Counter(), 0)),
                                                       split_english(text, [u.length for u in ar])))
        return self._splits[key]


def align_units(ar: Sequence[Unit], en: Sequence[Unit], scorer: Scorer, *, band: int = 30
                ) -> list[tuple[list[int], list[int]]]:
    """Beads (Arabic indices, English indices) of the cheapest monotone alignment."""
    n, m = len(ar), len(en)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    # Only cells near the diagonal: a translation does not drift far from the source's order.
    band = max(band, abs(n - m) + 3)
    for i in range(n + 1):
        centre = i * m / n if n else 0
        for j in range(max(0, int(centre) - band), min(m, int(centre) + band) + 1):
            if best[i][j] == inf:
                continue
            for da, de in BEAD_PRIORS:
                if i + da > n or j + de > m:
                    continue
                cost = best[i][j] + scorer.cost(ar[i : i + da], en[j : j + de])
                if cost < best[i + da][j + de]:
                    best[i + da][j + de] = cost
                    back[i + da][j + de] = (da, de)
    beads = []
    i, j = n, m
    while i > 0 or j > 0:
        da, de = back[i][j]  # type: ignore[misc]
        beads.append((list(range(i - da, i)), list(range(j - de, j))))
        i, j = i - da, j - de
    return beads[::-1]


@dataclass
class SentenceAlignment:
    """The English of each Arabic sentence (None where none), the sentence beads, and the
    paragraph groups of beads (indices into `beads`)."""

    english: list[str | None]
    beads: list[list[int]]  # Arabic sentence indices per bead, every Arabic sentence in one
    groups: list[list[int]]
    unaligned: list[str] = field(default_factory=list)  # English sentences matched to no Arabic


def _quote_counts(doc: Document, *, names: bool = False) -> dict[str, int]:
    """Quotations (or, with `names`, names and titles in marks) opening in each sentence."""
    counts: dict[str, int] = {}
    for q in doc.quotes or []:
        if (q.kind in ("name", "title", "term")) if names else q.is_quotation:
            counts[q.sentence] = counts.get(q.sentence, 0) + 1
    return counts


def align_sentences(doc: Document, english_text: str) -> SentenceAlignment:
    """Align the Arabic sentences of `doc` (segmented) with the English text in one pass over
    all sentences, paragraph starts on both sides acting as anchors (when the English has
    paragraphs); the beads are then gathered by Arabic paragraph."""
    sentences = doc.sentences or []
    starts = {p.sentences[0] for p in doc.paragraphs or [] if p.sentences}
    counts, named = _quote_counts(doc), _quote_counts(doc, names=True)
    ar_sent = [Unit(len(s.text.strip()), numbers(s.text), counts.get(s.id, 0), frozenset({k}),
                    starts=s.id in starts, names_marked=named.get(s.id, 0)) for k, s in enumerate(sentences)]
    en_paras = [p for p in (english_sentences(p) for p in english_paragraphs(english_text)) if p]
    skeletons = SkeletonIndex([s.text for s in sentences])

    def english_unit(text: str, starts: bool = False) -> Unit:
        opened = sum(1 for span in find_marked_spans(text) if not span.open_left)
        return Unit(len(text.strip()), numbers(text), opened, starts=starts, text=text,
                    names=[skeletons.sentences_with(n) for n in english_names(text)])

    en_flat = [text for paragraph in en_paras for text in paragraph]
    en_sent = [english_unit(text, k == 0) for paragraph in en_paras for k, text in enumerate(paragraph)]
    total_ar = sum(u.length for u in ar_sent) or 1
    total_en = sum(u.length for u in en_sent)
    scorer = Scorer(ratio=max(0.3, min(3.0, total_en / total_ar)) if total_en else 1.3,
                    paragraphs=len(en_paras) > 1 and len(starts) > 1, english=english_unit)
    english: list[str | None] = [None] * len(sentences)
    beads: list[list[int]] = []
    pending: list[str] = []  # English before any Arabic: goes to the first Arabic sentence
    unaligned: list[str] = []
    for ar_b, en_b in align_units(ar_sent, en_sent, scorer):
        texts = [en_flat[k] for k in en_b]
        if not ar_b:
            # English with no Arabic counterpart stays with the Arabic sentence before it in the
            # same paragraph, so that a reviewer still sees it; a paragraph of its own is set aside.
            if beads and not en_sent[en_b[0]].starts:
                last = beads[-1][-1]
                english[last] = " ".join(t for t in (english[last], *texts) if t)
            elif not beads:
                pending.extend(texts)
            else:
                unaligned.extend(texts)
            continue
        texts = pending + texts
        pending = []
        if not texts:
            parts = [""] * len(ar_b)
        elif len(ar_b) > 1 and len(texts) == 1:
            parts = scorer.split([ar_sent[k] for k in ar_b], texts[0])[1]
        else:
            parts = split_english(" ".join(texts), [ar_sent[k].length for k in ar_b])
        for k, part in zip(ar_b, parts, strict=True):
            english[k] = part
        beads.append(list(ar_b))
    unaligned.extend(pending)
    groups: list[list[int]] = []
    for b, ids in enumerate(beads):
        if groups and not ar_sent[ids[0]].starts:
            groups[-1].append(b)
        else:
            groups.append([b])
    return SentenceAlignment(english, beads, groups, unaligned)


def split_english(text: str, weights: Sequence[int]) -> list[str]:
    """Cut `text` into len(weights) parts of about those proportions, at clause boundaries
    (a sentence end, ; : , or a dash) near the proportional points."""
    if len(weights) == 1:
        return [text]
    total = sum(weights) or 1
    cuts, acc = [], 0
    candidates = [(pos, rank) for pos, rank, _ in _cut_points(text)]
    for w in weights[:-1]:
        acc += w
        target = len(text) * acc / total
        floor = cuts[-1] if cuts else 0
        options = [(abs(pos - target) / max(1, len(text)) + penalty, pos) for pos, penalty in candidates
                   if pos > floor]
        cuts.append(min(options)[1] if options else len(text))
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]


# What cutting one English sentence costs, by where: translators who join two Arabic sentences
# join them at a sentence end, a semicolon or colon, or a comma or dash; rarely at a bare space.
CUT_COSTS = {"sentence": 0.0, "semicolon": 0.5, "comma": 1.0, "space": 3.0}


def split_options(text: str, weights: Sequence[int], *, tries: int = 8) -> list[tuple[list[str], float]]:
    """Ways to cut `text` into len(weights) parts, each with the cost of its cuts: for two parts,
    the `tries` places nearest the proportional point (clause boundaries first); for more,
    the proportional cut only."""
    if len(weights) != 2:
        return [(split_english(text, weights), CUT_COSTS["comma"] * (len(weights) - 1))]
    target = len(text) * weights[0] / max(1, sum(weights))
    ranked = sorted((abs(pos - target) / max(1, len(text)) + rank, pos, kind)
                    for pos, rank, kind in _cut_points(text))
    options: list[tuple[list[str], float]] = []
    seen = set()
    for _, pos, kind in ranked:
        parts = [text[:pos].strip(), text[pos:].strip()]
        if all(parts) and pos not in seen:
            seen.add(pos)
            options.append((parts, CUT_COSTS[kind]))
        if len(options) >= tries:
            break
    return options or [(split_english(text, weights), CUT_COSTS["space"])]


def _cut_points(text: str) -> list[tuple[int, float, str]]:
    """Places a sentence may be cut, with a rank penalty and their kind."""
    points = [(m.end(), 0.0, "sentence") for m in re.finditer(r"[.!?…][\"'”’)]*\s", text)]
    points += [(m.end(), 0.05, "semicolon") for m in re.finditer(r"[;:]\s", text)]
    points += [(m.end(), 0.1, "comma") for m in re.finditer(r"(?:,|\s[–—-])\s", text)]
    taken = {p for p, _, _ in points}
    points += [(m.end(), 0.25, "space") for m in re.finditer(r"\s", text) if m.end() not in taken]
    return points


def align_texts(ar_doc: Document, english_text: str) -> list[str | None]:
    """The English aligned with each Arabic sentence of `ar_doc` (None where none)."""
    return align_sentences(ar_doc, english_text).english


# -- quotations -------------------------------------------------------------------------------------


def position_translation(q: Quote, beads: list[Bead]) -> QuoteTranslation:
    """A quotation's English guessed from its place in the aligned sentences: the same share
    of the English as of the Arabic, widened to whole words. Low confidence by nature."""
    parts = []
    for b in touched_beads(q, beads):
        bead = beads[b]
        if not bead.english:
            continue
        width = max(1, bead.ar_end - bead.ar_start)
        a = (max(q.start, bead.ar_start) - bead.ar_start) / width
        c = (min(q.end, bead.ar_end) - bead.ar_start) / width
        start, end = word_bounds(bead.english, int(a * len(bead.english)), int(c * len(bead.english)))
        start, end = trim(bead.english, start, end)
        whole = a <= 0.01 and c >= 0.99
        parts.append(Found(b, start, end, 0.8 if whole else 0.3))
    if not parts:
        return QuoteTranslation(text="", start=None, end=None, confidence=0.0, method="position")
    return compose(q, beads, parts, "position")


def align_reference_quotes(doc: Document, alignment: SentenceAlignment) -> None:
    """Every quotation's span in the reference English: by marks, else by position."""
    sentences = doc.sentences or []
    beads = [Bead([sentences[k] for k in ids]) for ids in alignment.beads]
    by_marks = marks_alignment(doc, beads, alignment.groups, method="reference")
    for q in quotations(doc):
        found = by_marks.get(q.id)
        q.translation = found if found is not None and found.confidence > 0 else position_translation(q, beads)


def name_speakers(doc: Document) -> None:
    """Each speaker's English name: the words of the aligned English whose consonants match the
    Arabic name's (Myles Caggins for مايلز كاغينز); None where no such words are found."""
    cache: dict[str, str | None] = {}
    for q in quotations(doc):
        speaker = q.speaker
        if speaker is None or speaker.english:
            continue
        if speaker.name not in cache:
            cache[speaker.name] = _english_name(doc, speaker.name, speaker.mention)
        speaker.english = cache[speaker.name]


def _english_name(doc: Document, name: str, mention: str) -> str | None:
    for arabic in dict.fromkeys([name, mention]):
        if not arabic:
            continue
        for m in re.finditer(re.escape(arabic), doc.text):
            sentence = next((s for s in doc.sentences or [] if s.start <= m.start() < s.end), None)
            if sentence is None or not sentence.translation:
                continue
            found = find_name(arabic, sentence.translation)
            if found:
                return found
    return None


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


# -- the whole job ------------------------------------------------------------------------------------


def read_english(path: str | Path) -> str:
    """An English text file: UTF-8 (with or without BOM), else Windows-1252 as a last resort."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path} does not exist; give the path of the English translation.")
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give the English translation file.")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save the English translation as UTF-8.") from None


def _arabic_pipeline(config: Any, stages: Sequence[str] = ARABIC_STAGES) -> Any:
    from pipeline.config import Config, load_config
    from pipeline.pipeline import Pipeline
    from pipeline.stages import registry

    cfg = copy.deepcopy(config) if isinstance(config, Config) else load_config(config)
    known = registry()
    return Pipeline(cfg, stages=[s for s in stages if s in known and s in ARABIC_STAGES])


def align_document(doc: Document, english_text: str, *, reference: str = "reference") -> Document:
    """Fill a segmented Arabic document (with quotations) from an English translation: each
    sentence's `translation`, each quotation's English span, each speaker's English name."""
    alignment = align_sentences(doc, english_text)
    for sentence, english in zip(doc.sentences or [], alignment.english, strict=True):
        sentence.translation = english or ""
    align_reference_quotes(doc, alignment)
    name_speakers(doc)
    if alignment.unaligned:
        doc.meta["unaligned_english"] = alignment.unaligned
    doc.provenance.update({"model": f"reference:{reference}", "backend": "reference"})
    doc.provenance["align"] = {"methods": dict(Counter(q.translation.method for q in quotations(doc)
                                                        if q.translation))}
    return doc


def align_reference(ar_path: str | Path, en_path: str | Path, config: Any = None, *,
                    stages: Sequence[str] | None = None) -> Document:
    """Read, segment and quote the Arabic article, then align it with the English translation
    at `en_path`; runs the qa stage afterwards when one is registered. `config` is a Config, the
    path of a config file, or None for the default; `stages` (default: all of normalize,
    segment, quotes and qa) may leave out quotes or qa."""
    chosen = list(stages) if stages is not None else [*ARABIC_STAGES, "qa"]
    nlp = _arabic_pipeline(config, chosen)
    english = read_english(en_path)
    doc = nlp.read(ar_path)
    started = time.perf_counter()
    align_document(doc, english, reference=str(en_path))
    doc.provenance.setdefault("timings_s", {})["align"] = round(time.perf_counter() - started, 4)
    doc.provenance["stages"] = [*nlp.stage_names, "align"]
    if "qa" in chosen:
        _run_qa(doc, nlp)
    return doc


def _run_qa(doc: Document, nlp: Any) -> None:
    """The qa stage on the aligned document, when one is registered (it needs no model here)."""
    from pipeline.stages import build, registry

    if "qa" not in registry():
        return
    component = build("qa", nlp.config.stage_settings.get("qa", {}))
    if hasattr(component, "setup"):
        component.setup(nlp.context)
    started = time.perf_counter()
    component(doc)
    doc.provenance["timings_s"]["qa"] = round(time.perf_counter() - started, 4)
    doc.provenance["stages"].append("qa")


# -- command line ---------------------------------------------------------------------------------


def add_command(sub: argparse._SubParsersAction, add_pipeline_options: Callable[[Any], None],
                add_output_options: Callable[[Any], None]) -> None:
    p = sub.add_parser("align", help="align an Arabic article with an existing English translation")
    p.add_argument("ar", help="the Arabic article (text file)")
    p.add_argument("en", help="its English translation (text file, one paragraph per line)")
    add_pipeline_options(p)
    add_output_options(p)
    p.set_defaults(run=cmd_align)


def cmd_align(args: argparse.Namespace) -> int:
    from pipeline.cli import choose_format, emit
    from pipeline.config import load_config
    from pipeline.io import check_output

    fmt = choose_format(args.format, args.output)
    for path in (args.ar, args.en):
        if not Path(path).exists():
            raise UsageError(f"input file {path} does not exist; give `tarjama align ARABIC.txt ENGLISH.txt`.")
    if args.output:
        check_output(args.output, overwrite=args.overwrite)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()] if getattr(args, "stages", None) else None
    config = load_config(args.config, overrides={"model": args.model, "backend": args.backend}, sets=args.sets)
    if stages is not None:
        allowed = (*ARABIC_STAGES, "align", "qa", "render")
        unknown = [s for s in stages if s not in allowed]
        if unknown:
            raise UsageError(f"--stages {','.join(unknown)} cannot run in `tarjama align` (it uses no translation "
                             f"model); choose from {', '.join(allowed)}.")
        if "segment" not in stages:
            raise UsageError("--stages for `tarjama align` must include segment: sentences are what it aligns.")
    doc = align_reference(args.ar, args.en, config, stages=stages)
    for warning in doc.meta.get("warnings", []):
        print(f"tarjama: warning: {warning}", file=sys.stderr)
    emit(doc, fmt, args, render_settings=config.stage_settings.get("render", {}))
    return 0
