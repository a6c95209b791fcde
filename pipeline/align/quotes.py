"""Quotation pairing: each Arabic quotation's span in the aligned English, by the marks kept or by its place."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pipeline.align.attention import word_bounds
from pipeline.align.marks import ALL_MARKS, TRIM, MarkedSpan, find_marked_spans
from pipeline.align.sentences import SentenceAlignment
from pipeline.document import Document, Quote, QuoteTranslation, Sentence
from pipeline.text import trim_span

# -- matching Arabic quotations with English spans ----------------------------------------------


@dataclass
class Piece:
    """One stretch of text on either side, as fractions of the stretch being matched."""

    start: float
    end: float
    depth: int = 0
    open_left: bool = False
    open_right: bool = False
    joins_next: bool = False  # English: only an attribution stands between it and the next span

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2


def agreement(ar: Piece, en: Piece) -> float:
    """How well two pieces sit in the same place with the same share of their text, in [0, 1]."""
    place = math.exp(-(((ar.center - en.center) / 0.3) ** 2))
    ar_len, en_len = max(ar.end - ar.start, 1e-3), max(en.end - en.start, 1e-3)
    size = min(ar_len, en_len) / max(ar_len, en_len)
    shape = 1.0 if (ar.depth > 0) == (en.depth > 0) else 0.6
    ends = 1.0
    if ar.open_left != en.open_left:
        ends *= 0.8
    if ar.open_right != en.open_right:
        ends *= 0.8
    return place * math.sqrt(size) * shape * ends


def match_pieces(ar: Sequence[Piece], en: Sequence[Piece], *, by_count: bool = True,
                 allowed: Callable[[int, tuple[int, ...]], bool] | None = None,
                 ) -> list[tuple[int, tuple[int, ...], float]]:
    """Pair Arabic and English pieces in order: (arabic index, english indices, confidence).
    The same count on both sides pairs them one to one in order (confidence 0.7 to 0.95); a
    different count (or `by_count` false) pairs them by place and size, monotonically
    (confidence at most 0.7), only pairs that `allowed` accepts, an Arabic quotation taking two
    neighbouring English spans when the English broke it with its attribution."""
    if not ar or not en:
        return []
    if len(ar) == len(en) and by_count:
        return [(i, (i,), 0.7 + 0.25 * agreement(a, e)) for i, (a, e) in enumerate(zip(ar, en, strict=True))]
    # Monotone alignment maximizing the summed agreement of the pairs kept.
    n, m = len(ar), len(en)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]

    def joined(j: int) -> Piece | None:  # en[j] and en[j + 1] as one quotation
        a, b = en[j], en[j + 1]
        if a.depth != b.depth or not a.joins_next:
            return None
        return Piece(a.start, b.end, a.depth, a.open_left, b.open_right)

    def score(i: int, j: int, width: int) -> float | None:
        piece = en[j] if width == 1 else joined(j)
        if piece is None or (allowed is not None and not allowed(i, tuple(range(j, j + width)))):
            return None
        return agreement(ar[i], piece)

    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            options = []
            if i > 0:
                options.append((best[i - 1][j], (1, 0)))
            if j > 0:
                options.append((best[i][j - 1], (0, 1)))
            for width in (1, 2):
                if i > 0 and j >= width and (value := score(i - 1, j - width, width)) is not None:
                    options.append((best[i - 1][j - width] + value - 0.2 * width, (1, width)))
            best[i][j], move[i][j] = max(options)
    pairs = []
    i, j = n, m
    while i > 0 or j > 0:
        da, de = move[i][j]
        if da and de:
            value = score(i - 1, j - de, de) or 0.0
            pairs.append((i - 1, tuple(range(j - de, j)), 0.7 * value))
        i, j = i - da, j - de
    return pairs[::-1]


# -- beads: stretches of Arabic and the English aligned with them -------------------------------


@dataclass
class Bead:
    """Consecutive Arabic sentences and the English made of their translations joined by a space.
    `offsets[k]` is where sentence k's translation starts in `english`."""

    sentences: list[Sentence]
    english: str = ""
    offsets: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts, self.offsets, pos = [], [], 0
        for s in self.sentences:
            text = s.translation or ""
            if parts and text:
                pos += 1
            self.offsets.append(pos)
            parts.append(text)
            pos += len(text)
        self.english = " ".join(p for p in parts if p)

    @property
    def ar_start(self) -> int:
        return self.sentences[0].start

    @property
    def ar_end(self) -> int:
        return self.sentences[-1].end

    def to_sentences(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """An English span of the bead as (sentence id, start, end) in each sentence's translation."""
        out = []
        for s, off in zip(self.sentences, self.offsets, strict=True):
            text = s.translation or ""
            a, b = max(start, off), min(end, off + len(text))
            if b > a:
                a, b = trim_span(text, a - off, b - off, TRIM)
                if b > a:
                    out.append((s.id, a, b))
        return out


@dataclass
class Found:
    """An English span found for (part of) a quotation: bead index, offsets in the bead's English."""

    bead: int
    start: int
    end: int
    confidence: float


def quotations(doc: Document) -> list[Quote]:
    return [q for q in doc.quotes or [] if q.is_quotation]


def clip(quote: Quote, lo: int, hi: int) -> tuple[int, int] | None:
    a, b = max(quote.start, lo), min(quote.end, hi)
    return (a, b) if b > a else None


def match_by_marks(doc: Document, beads: list[Bead], groups: list[list[int]]) -> dict[str, list[Found]]:
    """English spans for the quotations, found by quotation marks. `groups` gathers consecutive
    beads (a paragraph); counts are compared for a whole group first, then bead by bead.
    Names and titles in marks (not quotations) count too when the English kept their marks."""
    found: dict[str, list[Found]] = {}
    marked = [q for q in doc.quotes or [] if q.is_quotation or q.kind in ("name", "title", "term")]
    for group in groups:
        if group:
            _match_group(beads, group, marked, found)
    return found


Clipped = tuple[Quote, tuple[int, int]]


Pairing = list[tuple[Quote, MarkedSpan, float]]


def _pairings_in_order(ar: list[Clipped], spans: list[MarkedSpan], lo: int, hi: int, english: str) -> list[Pairing]:
    """Ways to pair quotations with English spans in order, where the counts agree, most likely
    first: the quotations alone; the quotations with the spans that an attribution breaks
    (`"A," he said, "B"`) taken as one; the quotations with the names and titles in marks, when
    the English kept their marks (each such span a few words long)."""
    quotes_only = [(q, c) for q, c in ar if q.is_quotation]
    if not spans:
        return [] if quotes_only else [[]]
    en_pieces = _en_pieces(spans, english)
    runs: list[list[int]] = []  # one span, or spans that only an attribution separates
    for j, piece in enumerate(en_pieces):
        if runs and en_pieces[runs[-1][-1]].joins_next and piece.depth == en_pieces[runs[-1][-1]].depth:
            runs[-1].append(j)
        else:
            runs.append([j])
    singles = [[j] for j in range(len(spans))]
    options = [(quotes_only, singles), (quotes_only, runs), (ar, singles)]
    out: list[Pairing] = []
    for items, groups in options:
        if len(items) != len(groups) or not items:
            continue
        merged = [Piece(en_pieces[g[0]].start, en_pieces[g[-1]].end, en_pieces[g[0]].depth,
                        en_pieces[g[0]].open_left, en_pieces[g[-1]].open_right) for g in groups]
        pairing: Pairing = []
        for i, (k,), conf in match_pieces([_ar_piece(q, c, lo, hi) for q, c in items], merged):
            q = items[i][0]
            if q.is_quotation:
                pairing.extend((q, spans[j], conf) for j in groups[k])
            elif len(english[spans[groups[k][0]].start : spans[groups[k][-1]].end].split()) > MAX_NAME_WORDS:
                break  # a name's marks around a long span: the counts agree by chance
            else:  # a name or title whose marks the English kept: its English is known too
                pairing.append((q, spans[groups[k][0]], conf))
        else:
            if pairing not in out:
                out.append(pairing)
    return out


# A name or a title in marks is a few words long in English too.
MAX_NAME_WORDS = 6


def _match_group(beads: list[Bead], group: list[int], marked: list[Quote], found: dict[str, list[Found]]) -> None:
    # The group's English is its beads' English joined by spaces; spans are found on it whole so
    # that a quotation running over several sentences is one span.
    texts = [beads[b].english for b in group]
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    english = " ".join(texts)
    spans = find_marked_spans(english)
    lo, hi = beads[group[0]].ar_start, beads[group[-1]].ar_end
    bead_ranges = [(starts[k], starts[k] + len(texts[k])) for k in range(len(group))]

    def record(q: Quote, k_span: tuple[int, int], conf: float) -> None:
        for k, (a, b) in enumerate(bead_ranges):
            s, e = max(k_span[0], a), min(k_span[1], b)
            if e > s:
                found.setdefault(q.id, []).append(Found(group[k], s - a, e - a, conf))

    def consistent(pairing: Pairing, offset: int) -> bool:
        """Each English span lies in the sentences of its quotation: counts that agree by chance
        (a quotation left unmarked, another broken in two) pair across sentences."""
        for q, span, _ in pairing:
            arabic = {s.id for b in group for s in beads[b].sentences if clip(q, s.start, s.end)}
            a, b = span.start + offset, span.end + offset
            for k, (ra, rb) in enumerate(bead_ranges):
                if min(b, rb) > max(a, ra):
                    pieces = beads[group[k]].to_sentences(max(a, ra) - ra, min(b, rb) - ra)
                    if any(sid not in arabic for sid, _, _ in pieces):
                        return False
        return True

    options = _pairings_in_order([(q, c) for q in marked if (c := clip(q, lo, hi))], spans, lo, hi, english)
    paired = next((p for p in options if consistent(p, 0)), None)
    if paired is not None:
        for q, span, conf in paired:
            record(q, (span.start, span.end), conf)
    else:
        _match_beads(beads, group, marked, spans, english, bead_ranges, record, consistent)
    _match_leftover_names(group, marked, spans, english, (lo, hi), found, bead_ranges, record, consistent)


def _match_beads(beads: list[Bead], group: list[int], marked: list[Quote], spans: list[MarkedSpan], english: str,
                 bead_ranges: list[tuple[int, int]], record: Callable[[Quote, tuple[int, int], float], None],
                 consistent: Callable[[Pairing, int], bool]) -> None:
    """The group's counts disagree: pair bead by bead, by count where a bead's counts agree, else
    by place and size."""

    def first_consistent(options: list[Pairing], offset: int) -> Pairing | None:
        return next((p for p in options if consistent(p, offset)), None)

    for k, b in enumerate(group):
        bead = beads[b]
        a_lo, a_hi = bead.ar_start, bead.ar_end
        e_lo, e_hi = bead_ranges[k]
        bead_ar = [(q, c) for q in marked if (c := clip(q, a_lo, a_hi))]
        bead_en = [
            MarkedSpan(max(s.start, e_lo) - e_lo, min(s.end, e_hi) - e_lo, s.depth,
                       s.open_left or s.start < e_lo, s.open_right or s.end > e_hi)
            for s in spans if min(s.end, e_hi) > max(s.start, e_lo)
        ]
        paired = first_consistent(_pairings_in_order(bead_ar, bead_en, a_lo, a_hi, english[e_lo:e_hi]), e_lo)
        if paired is None:  # no count agrees: pair by place and size, with a lower confidence
            quotes_only = [(q, c) for q, c in bead_ar if q.is_quotation]

            def allowed(i: int, js: tuple[int, ...], quotes_only=quotes_only, bead_en=bead_en, e_lo=e_lo) -> bool:
                return consistent([(quotes_only[i][0], bead_en[j], 0.0) for j in js], e_lo)

            pieces = match_pieces([_ar_piece(q, c, a_lo, a_hi) for q, c in quotes_only],
                                  _en_pieces(bead_en, english[e_lo:e_hi]), by_count=False, allowed=allowed)
            paired = [(quotes_only[i][0], bead_en[j], conf) for i, js, conf in pieces for j in js]
        for q, span, conf in paired:
            record(q, (span.start + e_lo, span.end + e_lo), conf)
        if not bead_en and e_hi > e_lo:
            # A quotation that covers the whole Arabic bead with no mark in it (the middle of a
            # statement quoted over several paragraphs) covers the whole English bead too.
            for q, (a, c) in bead_ar:
                if q.is_quotation and a <= a_lo + 1 and c >= a_hi - 1 and q.start < a_lo:
                    record(q, (e_lo, e_hi), 0.8)


def _match_leftover_names(group: list[int], marked: list[Quote], spans: list[MarkedSpan], english: str,
                          arabic: tuple[int, int], found: dict[str, list[Found]], bead_ranges: list[tuple[int, int]],
                          record: Callable[[Quote, tuple[int, int], float], None],
                          consistent: Callable[[Pairing, int], bool]) -> None:
    """Names, titles and terms in marks that no count paired, with the short English spans in marks
    that no quotation took, by place (`الجادة` / "serious" beside 007 and Mission Impossible,
    which the English left unmarked): the counts of names never agree when the translator keeps
    the marks of some and drops the others'."""
    lo, hi = arabic
    used = [(bead_ranges[group.index(f.bead)][0] + f.start, bead_ranges[group.index(f.bead)][0] + f.end)
            for parts in found.values() for f in parts if f.bead in group]
    free = [s for s in spans if s.depth == 0 and not any(min(s.end, b) > max(s.start, a) for a, b in used)
            and len(english[s.start : s.end].split()) <= MAX_NAME_WORDS]
    items = [(q, c) for q in marked if not q.is_quotation and q.id not in found and (c := clip(q, lo, hi))]
    if not free or not items:
        return

    def allowed(i: int, js: tuple[int, ...]) -> bool:
        return len(js) == 1 and consistent([(items[i][0], free[js[0]], 0.0)], 0)

    pieces = match_pieces([_ar_piece(q, c, lo, hi) for q, c in items], _en_pieces(free, english),
                          by_count=False, allowed=allowed)
    for i, (j,), conf in pieces:
        record(items[i][0], (free[j].start, free[j].end), conf)


def _ar_piece(q: Quote, clipped: tuple[int, int], lo: int, hi: int) -> Piece:
    width = max(1, hi - lo)
    return Piece((clipped[0] - lo) / width, (clipped[1] - lo) / width, depth=1 if q.parent else 0,
                 open_left=q.start < lo, open_right=q.end > hi)


def _en_pieces(spans: list[MarkedSpan], text: str) -> list[Piece]:
    width = max(1, len(text))
    pieces = [Piece(s.start / width, s.end / width, depth=s.depth, open_left=s.open_left, open_right=s.open_right)
              for s in spans]
    for piece, span, following in zip(pieces, spans, spans[1:], strict=False):
        continues = text[following.start : following.start + 1].islower()
        piece.joins_next = is_attribution(text[span.end : following.start], continues=continues)
    return pieces


# Words an attribution breaking a quotation may have: a few, or more (the speaker described:
# `," asked Mona Said, an employee who lives in Helwan, "`) when the quotation goes on in lower case.
ATTRIBUTION_WORDS = 8
DESCRIBED_ATTRIBUTION_WORDS = 20


def is_attribution(gap: str, *, continues: bool = False) -> bool:
    """Whether the text between two marked spans reads as an attribution breaking one quotation
    (`," the minister said, "`): a few words between commas (or a comma and a colon), no end of
    sentence. `", pointing out that "` opens a new quotation instead: no comma before it.
    `continues`: the next span starts in lower case (it carries on a sentence), which allows a
    longer attribution."""
    words = gap.strip(" " + ALL_MARKS)
    limit = DESCRIBED_ATTRIBUTION_WORDS if continues else ATTRIBUTION_WORDS
    return (len(words) > 2 and words[0] == "," and words[-1] in ",:" and len(words.split()) <= limit
            and not re.search(r"[.!?]", words))


def touched_beads(quote: Quote, beads: list[Bead]) -> list[int]:
    return [i for i, b in enumerate(beads) if clip(quote, b.ar_start, b.ar_end)]


def compose(quote: Quote, beads: list[Bead], parts: list[Found], method: str) -> QuoteTranslation:
    """One QuoteTranslation from the spans found for a quotation's parts, in text order."""
    parts = sorted(parts, key=lambda f: (f.bead, f.start))
    texts, where = [], []
    for f in parts:
        bead = beads[f.bead]
        a, b = trim_span(bead.english, f.start, f.end, TRIM)
        if b > a:
            texts.append(bead.english[a:b])
            where.extend(bead.to_sentences(a, b))
    start = end = None
    for sid, a, b in where:
        if sid == quote.sentence:
            start, end = a, b
            break
    spans = where if len(where) > 1 or (where and where[0][0] != quote.sentence) else None
    confidence = min((f.confidence for f in parts), default=0.0)
    return QuoteTranslation(text=" ".join(texts), start=start, end=end, confidence=round(confidence, 3),
                            method=method, spans=spans)


def marks_alignment(doc: Document, beads: list[Bead], groups: list[list[int]], *,
                    method: str = "marks", names: bool = False) -> dict[str, QuoteTranslation]:
    """The marks-based translation of every quotation that has one (with `names`, of every
    name and title in marks too), covering all the beads that hold part of the quotation (a
    quotation with one part unmatched gets confidence 0)."""
    found = match_by_marks(doc, beads, groups)
    out: dict[str, QuoteTranslation] = {}
    for q in doc.quotes or []:
        if not (q.is_quotation or (names and q.kind in ("name", "title", "term"))):
            continue
        parts = found.get(q.id)
        if not parts:
            continue
        translation = compose(q, beads, parts, method)
        missing = set(touched_beads(q, beads)) - {f.bead for f in parts}
        # A part missing in a bead with English: the span found is not the whole quotation.
        if any(beads[b].english.strip() for b in missing):
            translation.confidence = 0.0
        out[q.id] = translation
    return out


def paragraph_groups(doc: Document, beads: list[Bead]) -> list[list[int]]:
    """Beads gathered by the Arabic paragraph of their first sentence."""
    paragraph_of = {sid: p.id for p in doc.paragraphs or [] for sid in p.sentences}
    groups: list[list[int]] = []
    last = object()
    for i, bead in enumerate(beads):
        para = paragraph_of.get(bead.sentences[0].id, bead.sentences[0].id)
        if groups and para == last:
            groups[-1].append(i)
        else:
            groups.append([i])
        last = para
    return groups



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
        start, end = trim_span(bead.english, start, end, TRIM)
        whole = a <= 0.01 and c >= 0.99
        parts.append(Found(b, start, end, 0.8 if whole else 0.3))
    if not parts:
        return QuoteTranslation(text="", start=None, end=None, confidence=0.0, method="position")
    return compose(q, beads, parts, "position")


def align_reference_quotes(doc: Document, alignment: SentenceAlignment) -> None:
    """Every quotation's span in the reference English: by marks, else by position."""
    sentences = doc.sentences or []
    beads = [Bead([sentences[k] for k in ids]) for ids in alignment.beads]
    by_marks = marks_alignment(doc, beads, alignment.groups, method="reference", names=True)
    for q in doc.quotes or []:
        found = by_marks.get(q.id)
        if not q.is_quotation:  # a name or title in marks: its English only where marks show it
            if found is not None and found.confidence > 0:
                q.translation = found
            continue
        q.translation = found if found is not None and found.confidence > 0 else position_translation(q, beads)
