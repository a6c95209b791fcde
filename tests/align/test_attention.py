"""Projecting a quotation onto the English through the model's cross-attention."""

from __future__ import annotations

from pipeline.align.attention import project_attention
from pipeline.backends.base import Attention


def test_project_attention_picks_the_tokens_attending_to_the_quotation() -> None:
    source, target = "aa bb cc dd", "ww xx yy zz"
    src = [(0, 2), (3, 5), (6, 8), (9, 11), None]
    tgt = [(0, 2), (3, 5), (6, 8), (9, 11)]
    weights = [[0.9, 0.05, 0.0, 0.0, 0.05], [0.0, 0.1, 0.8, 0.05, 0.05],
               [0.0, 0.05, 0.1, 0.8, 0.05], [0.8, 0.1, 0.05, 0.0, 0.05]]
    start, end, confidence = project_attention(Attention(src, tgt, weights), 6, 11, target, len(source))
    assert target[start:end] == "xx yy"
    assert 0.5 < confidence <= 1.0
