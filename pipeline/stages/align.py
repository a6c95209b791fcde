"""align: each quotation's span in the English of its sentence(s), by the marks kept, by attention, or on its own.

Every quotation (speech, phrase, nested; names and titles are not quotations) gets a
`QuoteTranslation`. Three ways, tried in order, the first trusted one wins:

1. marks: the quotation marks in the English (“ ” " « » ‘ ’ ') matched with the Arabic
   quotations by order and count, paragraph by paragraph, then sentence by sentence when the
   counts differ (then by position, with a lower confidence);
2. attention: the model's cross-attention projects the Arabic span onto the English tokens
   (backends without `attention`, such as ctranslate2, skip this);
3. separate: the quotation is translated on its own; `start`/`end` are None (confidence 1: the
   text is the quotation's own translation, though it may read differently from the sentence's).

A quotation that runs over several sentences has `start`/`end` in the translation of its first
sentence (`quote.sentence`), `text` holding the whole English quotation, and `spans` listing
(sentence id, start, end) for every sentence translation it covers.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.backends.base import GenerationSettings
from pipeline.document import Document, Quote, QuoteTranslation, Sentence, Speaker
from pipeline.stages import stage

log = logging.getLogger(__name__)

# -- quotation marks in English text ------------------------------------------------------------

DOUBLE_MARKS = {"“": "open", "„": "open", "«": "open", "”": "close", "»": "close", '"': "either"}
SINGLE_MARKS = {"‘": "open", "‹": "open", "’": "close", "›": "close", "'": "either"}
ALL_MARKS = "".join(DOUBLE_MARKS) + "".join(SINGLE_MARKS)
# What may stand right before an opening mark, or right after a closing one, besides a space.
OPEN_BEFORE = "([{-–—/:;,\u00a0" + ALL_MARKS
CLOSE_AFTER = ".,;:!?)]}-–—…/" + ALL_MARKS
TRIM = " \t\n\u00a0,;:"


@dataclass
class MarkedSpan:
    """The text inside one pair of quotation marks: offsets exclude the marks. `open_left` means
    the text holds no opening mark for it (the quotation began earlier), `open_right` no
    closing mark (it goes on)."""

    start: int
    end: int
    depth: int = 0
    open_left: bool = False
    open_right: bool = False


def _flanking(text: str, i: int) -> tuple[bool, bool]:
    """Whether the mark at `i` can open and whether it can close, from its neighbours."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    can_open = not after.isspace() and after not in ".,;:!?" and (before.isspace() or before in OPEN_BEFORE)
    can_close = not before.isspace() and (after.isspace() or after in CLOSE_AFTER)
    return can_open, can_close


def find_marked_spans(text: str) -> list[MarkedSpan]:
    """Spans inside quotation marks in `text`, in order of their opening; nested ones have depth
    1 or more. An apostrophe (`country's`, `leaders' meeting`) is not a mark. A quotation left
    open runs to the end; a closing mark before any other mark closes one opened earlier."""
    spans: list[MarkedSpan] = []
    stack: list[tuple[str, int]] = []  # (family, offset after the opening mark)
    seen_mark = False
    for i, ch in enumerate(text):
        if ch in DOUBLE_MARKS:
            family, nominal = "double", DOUBLE_MARKS[ch]
        elif ch in SINGLE_MARKS:
            family, nominal = "single", SINGLE_MARKS[ch]
        else:
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if family == "single" and before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word
        can_open, can_close = _flanking(text, i)
        is_open_in_family = any(f == family for f, _ in stack)
        if can_open and not can_close:
            role = "open"
        elif can_close and not can_open:
            role = "close"
        elif nominal != "either":
            role = nominal
        else:
            role = "close" if is_open_in_family else "open"
        if family == "single" and role == "close" and not is_open_in_family:
            continue  # a plural possessive such as `leaders'`, not a closing mark
        if family == "single" and role == "open" and not can_open:
            continue
        if role == "open":
            stack.append((family, i + 1))
            seen_mark = True
            continue
        if is_open_in_family:
            while stack:
                f, start = stack.pop()
                if f == family:
                    spans.append(MarkedSpan(start, i, depth=len(stack)))
                    break
        elif family == "double" and not seen_mark and not spans:
            spans.append(MarkedSpan(0, i, depth=0, open_left=True))
        seen_mark = True
    for depth, (_family, start) in enumerate(stack):
        spans.append(MarkedSpan(start, len(text), depth=depth, open_right=True))
    spans = [_trim_span(text, s) for s in spans]
    spans = [s for s in spans if s.end > s.start]
    spans.sort(key=lambda s: (s.start, -s.end))
    return spans


def _trim_span(text: str, span: MarkedSpan) -> MarkedSpan:
    start, end = trim(text, span.start, span.end)
    return MarkedSpan(start, end, span.depth, span.open_left, span.open_right)


def trim(text: str, start: int, end: int, chars: str = TRIM) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


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
                a, b = trim(text, a - off, b - off)
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


def _clip(quote: Quote, lo: int, hi: int) -> tuple[int, int] | None:
    a, b = max(quote.start, lo), min(quote.end, hi)
    return (a, b) if b > a else None


def match_by_marks(doc: Document, beads: list[Bead], groups: list[list[int]]) -> dict[str, list[Found]]:
    """English spans for the quotations, found by quotation marks. `groups` gathers consecutive
    beads (a paragraph); counts are compared for a whole group first, then bead by bead.
    Names and titles in marks (not quotations) count too when the English kept their marks."""
    found: dict[str, list[Found]] = {}
    marked = [q for q in doc.quotes or [] if q.is_quotation or q.kind in ("name", "title")]
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
            arabic = {s.id for b in group for s in beads[b].sentences if _clip(q, s.start, s.end)}
            a, b = span.start + offset, span.end + offset
            for k, (ra, rb) in enumerate(bead_ranges):
                if min(b, rb) > max(a, ra):
                    pieces = beads[group[k]].to_sentences(max(a, ra) - ra, min(b, rb) - ra)
                    if any(sid not in arabic for sid, _, _ in pieces):
                        return False
        return True

    def first_consistent(options: list[Pairing], offset: int) -> Pairing | None:
        return next((p for p in options if consistent(p, offset)), None)

    paired = first_consistent(_pairings_in_order([(q, c) for q in marked if (c := _clip(q, lo, hi))],
                                                  spans, lo, hi, english), 0)
    if paired is not None:
        for q, span, conf in paired:
            record(q, (span.start, span.end), conf)
        return
    for k, b in enumerate(group):
        bead = beads[b]
        a_lo, a_hi = bead.ar_start, bead.ar_end
        e_lo, e_hi = bead_ranges[k]
        bead_ar = [(q, c) for q in marked if (c := _clip(q, a_lo, a_hi))]
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
    return [i for i, b in enumerate(beads) if _clip(quote, b.ar_start, b.ar_end)]


def compose(quote: Quote, beads: list[Bead], parts: list[Found], method: str) -> QuoteTranslation:
    """One QuoteTranslation from the spans found for a quotation's parts, in text order."""
    parts = sorted(parts, key=lambda f: (f.bead, f.start))
    texts, where = [], []
    for f in parts:
        bead = beads[f.bead]
        a, b = trim(bead.english, f.start, f.end)
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
                    method: str = "marks") -> dict[str, QuoteTranslation]:
    """The marks-based translation of every quotation that has one, covering all the beads
    that hold part of the quotation (a quotation with one part unmatched gets confidence 0)."""
    found = match_by_marks(doc, beads, groups)
    out: dict[str, QuoteTranslation] = {}
    for q in quotations(doc):
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


# -- attention ------------------------------------------------------------------------------------


def project_attention(attention: Any, src_start: int, src_end: int, target: str, source_length: int, *,
                      threshold: float = 0.5) -> tuple[int, int, float] | None:
    """The English span (start, end, confidence) whose tokens attend mostly to the source
    characters src_start..src_end: the contiguous run of target tokens maximizing the summed
    (share of attention on the span - threshold). Confidence is the run's mean share times the
    part of the span's total attention that the run holds, times a length-plausibility factor."""
    inside = [i for i, sp in enumerate(attention.source_spans) if sp and sp[1] > src_start and sp[0] < src_end]
    inside_set = set(inside)
    outside = [i for i, sp in enumerate(attention.source_spans) if sp and i not in inside_set]
    if not inside:
        return None
    # A backend may return fewer rows or columns than pieces (CTranslate2 stops at the end token).
    tokens = [t for t, sp in enumerate(attention.target_spans) if sp and t < len(attention.weights)]
    if not tokens:
        return None
    shares = []
    for t in tokens:
        row = attention.weights[t]
        a = sum(row[i] for i in inside if i < len(row))
        b = sum(row[i] for i in outside if i < len(row))
        shares.append(a / (a + b) if a + b > 0 else 0.0)
    # Best contiguous run (Kadane).
    best, best_range, run, run_start = 0.0, None, 0.0, 0
    for k, share in enumerate(shares):
        if run <= 0:
            run, run_start = 0.0, k
        run += share - threshold
        if run > best:
            best, best_range = run, (run_start, k)
    if best_range is None:
        return None
    first, last = best_range
    start = attention.target_spans[tokens[first]][0]
    end = attention.target_spans[tokens[last]][1]
    start, end = word_bounds(target, start, end)
    start, end = trim(target, start, end, TRIM + ALL_MARKS + ".")
    if end <= start:
        return None
    run_shares = shares[first : last + 1]
    purity = sum(run_shares) / len(run_shares)
    coverage = sum(run_shares) / max(sum(shares), 1e-9)
    expected = (src_end - src_start) / max(1, source_length)
    got = (end - start) / max(1, len(target))
    plausible = math.sqrt(min(expected, got) / max(expected, got)) if expected > 0 and got > 0 else 0.0
    confidence = max(0.0, min(1.0, purity * coverage * plausible))
    return start, end, confidence


def word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def snap_to_marks(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A marked span of `text` that mostly coincides with start..end, if any."""
    for span in find_marked_spans(text):
        overlap = min(end, span.end) - max(start, span.start)
        union = max(end, span.end) - min(start, span.start)
        if union > 0 and overlap / union >= 0.5:
            return span.start, span.end
    return None


# -- the stage --------------------------------------------------------------------------------------


@stage("align", requires=("quotes", "translations"), provides=("alignment",))
@dataclass
class Align:
    """Find every quotation's English span: by quotation marks, by attention, or translated on its own."""

    min_confidence: float = 0.5  # below this a span is not trusted and the next method is tried
    attention_threshold: float = 0.5  # share of a target token's attention that must fall on the quotation
    use_attention: bool = True  # try the model's cross-attention when the marks do not settle it
    # When no span is trusted, translate the quotation on its own; when false, keep the best
    # untrusted span with its low confidence (a quotation with no span at all is still translated).
    translate_separately: bool = True
    _ctx: Any = field(default=None, repr=False)

    def setup(self, ctx: Any) -> None:
        self._ctx = ctx

    def __call__(self, doc: Document) -> Document:
        backend = self._ctx.backend() if self._ctx is not None else None
        quotes = quotations(doc)
        beads = [Bead([s]) for s in doc.sentences or []]
        best = marks_alignment(doc, beads, paragraph_groups(doc, beads))
        attention_cache: dict[str, Any] = {}
        can_attend = self.use_attention and backend is not None and hasattr(backend, "attention")
        for q in quotes:
            candidate = best.get(q.id)
            if (candidate is None or candidate.confidence < self.min_confidence) and can_attend:
                by_attention = self._by_attention(doc, q, beads, backend, attention_cache)
                if by_attention and (candidate is None or by_attention.confidence > candidate.confidence):
                    candidate = by_attention
            if candidate is not None:
                best[q.id] = candidate
        separate = [q for q in quotes if q.id not in best or not best[q.id].text
                    or (self.translate_separately and best[q.id].confidence < self.min_confidence)]
        if separate and backend is not None:
            english = self._translate(backend, [q.text for q in separate])
            for q, text in zip(separate, english, strict=True):
                best[q.id] = QuoteTranslation(text=text, start=None, end=None, confidence=1.0, method="separate")
        for q in quotes:
            q.translation = best.get(q.id) or QuoteTranslation("", None, None, 0.0, "separate")
        self._name_speakers(doc, quotes, backend, attention_cache, can_attend)
        methods: dict[str, int] = {}
        for q in quotes:
            methods[q.translation.method] = methods.get(q.translation.method, 0) + 1
        doc.provenance["align"] = {"methods": methods}
        return doc

    # -- attention ------------------------------------------------------------------------
    def _attention(self, doc: Document, sentence: Sentence, backend: Any, cache: dict[str, Any]) -> Any:
        if sentence.id not in cache:
            source = doc.text[sentence.start : sentence.end]
            target = sentence.translation or ""
            # A sentence the model only saw in chunks is too long to attend over in one pass.
            fits = max(backend.count_tokens(source), backend.count_tokens(target)) <= backend.max_source_tokens
            attention = None
            if target.strip() and fits:
                try:
                    attention = backend.attention(source, target)
                except (RuntimeError, ValueError, IndexError) as err:
                    log.info("no attention for %s (%s); its quotations go on to the next method", sentence.id, err)
            cache[sentence.id] = attention
        return cache[sentence.id]

    def _project(self, doc: Document, sentence: Sentence, start: int, end: int, backend: Any,
                 cache: dict[str, Any]) -> tuple[int, int, float] | None:
        attention = self._attention(doc, sentence, backend, cache)
        if attention is None:
            return None
        target = sentence.translation or ""
        projected = project_attention(attention, start - sentence.start, end - sentence.start, target,
                                      sentence.end - sentence.start, threshold=self.attention_threshold)
        if projected is None:
            return None
        a, b, confidence = projected
        snapped = snap_to_marks(target, a, b)
        if snapped:  # the model kept marks the order-and-count match could not use
            a, b, confidence = snapped[0], snapped[1], max(confidence, 0.6)
        return a, b, confidence

    def _by_attention(self, doc: Document, q: Quote, beads: list[Bead], backend: Any,
                      cache: dict[str, Any]) -> QuoteTranslation | None:
        parts: list[Found] = []
        for b in touched_beads(q, beads):
            sentence = beads[b].sentences[0]
            a, c = _clip(q, sentence.start, sentence.end) or (0, 0)
            projected = self._project(doc, sentence, a, c, backend, cache)
            if projected is None:
                return None
            parts.append(Found(b, *projected))
        return compose(q, beads, parts, "attention") if parts else None

    # -- separate translation -------------------------------------------------------------
    def _generation(self) -> GenerationSettings:
        configured = self._ctx.config.stage_settings.get("translate", {}) if self._ctx is not None else {}
        return GenerationSettings.from_mapping(configured)

    def _translate(self, backend: Any, texts: list[str]) -> list[str]:
        # As the translate stage does it: a long quotation is cut into pieces the model takes,
        # and each piece is looked up in the cache first.
        from pipeline.stages.translate import translate_texts

        return [t.text for t in translate_texts(self._ctx, backend, texts, self._generation())]

    # -- speakers -------------------------------------------------------------------------
    def _name_speakers(self, doc: Document, quotes: list[Quote], backend: Any, cache: dict[str, Any],
                       can_attend: bool) -> None:
        """Each speaker's English name, from the translation of a sentence where the name is
        written: the words whose consonants match it (a transliterated name), else the words
        its attention falls on; else the name translated on its own."""
        from pipeline.align_text import find_name

        speakers = [q.speaker for q in quotes if q.speaker is not None and not q.speaker.english]
        if not speakers:
            return
        english: dict[str, str] = {}
        for speaker in speakers:
            if speaker.name in english:
                continue
            occurrences = [(start, end, sentence) for start, end in mention_occurrences(doc, speaker)
                           if (sentence := sentence_at(doc, start)) is not None and sentence.translation]
            for start, end, sentence in occurrences:
                found = find_name(doc.text[start:end], sentence.translation or "")
                if found:
                    english[speaker.name] = found
                    break
            if speaker.name in english or not can_attend:
                continue
            for start, end, sentence in occurrences:
                projected = self._project(doc, sentence, start, end, backend, cache)
                if projected and projected[2] >= self.min_confidence:
                    a, b, _ = projected
                    english[speaker.name] = re.sub(r"^(?:the|The)\s+", "", sentence.translation[a:b])
                    break
        missing = sorted({s.name for s in speakers if s.name not in english})
        if missing and backend is not None:
            english.update(zip(missing, self._translate(backend, missing), strict=True))
        for speaker in speakers:
            speaker.english = english.get(speaker.name) or None


def mention_occurrences(doc: Document, speaker: Speaker) -> list[tuple[int, int]]:
    """Where the speaker's full name is written in the article (first first), then the mention."""
    out = []
    if speaker.name:
        for m in re.finditer(re.escape(speaker.name), doc.text):
            out.append((m.start(), m.end()))
    if speaker.start is not None and speaker.end is not None and (speaker.start, speaker.end) not in out:
        out.append((speaker.start, speaker.end))
    return out


def sentence_at(doc: Document, offset: int) -> Sentence | None:
    for s in doc.sentences or []:
        if s.start <= offset < s.end:
            return s
    return None
