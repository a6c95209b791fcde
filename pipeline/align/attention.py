"""Attention projection: the English span whose tokens attend to a span of the Arabic source."""

from __future__ import annotations

import math
from typing import Any

from pipeline.align.marks import ALL_MARKS, TRIM, find_marked_spans
from pipeline.text import trim_span

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
    start, end = trim_span(target, start, end, TRIM + ALL_MARKS + ".")
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
