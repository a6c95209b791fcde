"""Sentence alignment of an Arabic document with an English text, in the manner of Gale and Church (1993) with anchors.

The sentences are aligned by dynamic programming: the cost of a bead (1-1, 1-2, 2-1, 1-0, 0-1
and a few more) is how unlikely its length ratio is, plus anchors that a translation keeps:
numbers, the count of quotations, and names whose consonants match across the scripts. Two
Arabic sentences rendered as one English sentence are scored, and split, at the English clause
boundary that fits best.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pipeline.align.english import english_paragraphs, english_sentences, numbers
from pipeline.align.marks import find_marked_spans
from pipeline.align.transliteration import SkeletonIndex, english_names
from pipeline.document import Document

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
    text: str = ""  # of an English sentence
    names_marked: int = 0  # Arabic: names and titles in marks, which a translation may keep marked


def merge(units: Sequence[Unit]) -> Unit:
    if len(units) == 1:
        return units[0]
    return Unit(sum(u.length for u in units) + max(0, len(units) - 1), sum((u.numbers for u in units), Counter()),
                sum(u.quotes for u in units), frozenset().union(*(u.ids for u in units)),
                [n for u in units for n in u.names], starts=bool(units) and units[0].starts,
                names_marked=sum(u.names_marked for u in units))



# Bead kinds (Arabic count, English count) and their prior probabilities. Translators often cut a
# long Arabic sentence in two; joining two Arabic sentences is rarer; dropping one rarer still.
BEAD_PRIORS = {(1, 1): 0.85, (1, 2): 0.06, (2, 1): 0.03, (1, 3): 0.01, (3, 1): 0.004, (2, 2): 0.01,
               (1, 0): 0.006, (0, 1): 0.006}
VARIANCE = 7.0  # of English characters per Arabic character, as Gale and Church's s^2
NUMBER_WEIGHT = 2.0
QUOTE_WEIGHT = 2.0
NAME_WEIGHT = 1.0


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
    english: Callable[[str], Unit] | None = None  # features of a piece of English, for the cuts
    _features: dict[str, Unit] = field(default_factory=dict, repr=False)
    _splits: dict[tuple[frozenset[int], str], tuple[float, list[str]]] = field(default_factory=dict, repr=False)

    def cost(self, ar: Sequence[Unit], en: Sequence[Unit]) -> float:
        a, e = merge(ar), merge(en)
        cost = -math.log(BEAD_PRIORS[(len(ar), len(en))])
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
    all sentences; the beads are then gathered by Arabic paragraph. Paragraph starts are not
    anchors: translators and editors reflow paragraphs (on NTREX-128 news reflowed into
    paragraphs of their own, paragraph anchors cost 0.4 points of accuracy, and gained
    nothing where the English kept the Arabic's paragraphs)."""
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
                    english=english_unit)
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
