"""Span helpers shared by stages: a span of a text trimmed to what it holds."""

from __future__ import annotations


def trim_span(text: str, start: int, end: int, chars: str | None = None) -> tuple[int, int]:
    """`start` and `end` moved inward past white space (or past any of `chars`)."""
    def strip(ch: str) -> bool:
        return ch.isspace() if chars is None else ch in chars

    while start < end and strip(text[start]):
        start += 1
    while end > start and strip(text[end - 1]):
        end -= 1
    return start, end
