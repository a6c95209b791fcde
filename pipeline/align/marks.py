"""Quotation marks in English text: the spans inside them, nested or left open."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.text import trim_span

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
        if role == "open" and family == "double" and stack and stack[-1][0] == "double" and \
                text[:i].rstrip()[-1:] in ".!?":
            # `alerted "the authorities of these claims. "We will ensure ...," she continued`:
            # English does not nest double marks in double marks after a full stop; the open
            # quotation was left unclosed and this mark opens the next one.
            _, start = stack.pop()
            spans.append(MarkedSpan(start, i, depth=len(stack), open_right=True))
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
    start, end = trim_span(text, span.start, span.end, TRIM)
    return MarkedSpan(start, end, span.depth, span.open_left, span.open_right)


