"""The interface every translation engine implements, and the results it returns."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

# The fields of GenerationSettings that change what the model writes (the rest cut and cap text).
DECODING = ("num_beams", "max_new_tokens", "max_len_a", "max_len_b", "batch_size", "no_repeat_ngram_size",
            "repetition_penalty")


@dataclass(frozen=True)
class GenerationSettings:
    """The `generation` config section: how every stage that translates (translate, align, qa's
    retry) cuts its text for the model, decodes it and caps the output."""

    num_beams: int = 4
    max_new_tokens: int = 400  # the ceiling of every piece's output budget
    # A piece's output budget grows with its source, as fairseq's max_len_a * source + max_len_b:
    # a model caught in a loop stops there instead of at max_new_tokens.
    max_len_a: float = 1.5
    max_len_b: int = 10
    batch_size: int = 16
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    # And a sentence's English at most max_chars_a x its Arabic's characters + max_chars_b.
    max_chars_a: float = 3.0
    max_chars_b: int = 60
    max_chunk_tokens: int = 200  # a longer sentence is cut at clause boundaries for the model

    def __post_init__(self) -> None:
        if self.num_beams < 1 or self.batch_size < 1:
            raise ValueError("keys 'num_beams' and 'batch_size' must be at least 1")
        if self.max_new_tokens < 1:
            raise ValueError(f"key 'max_new_tokens' must be at least 1, not {self.max_new_tokens}")
        if self.max_chunk_tokens < 1:
            raise ValueError(f"key 'max_chunk_tokens' must be at least 1, not {self.max_chunk_tokens}")
        if min(self.max_len_a, self.max_len_b, self.max_chars_a, self.max_chars_b) < 0:
            raise ValueError("keys 'max_len_a', 'max_len_b', 'max_chars_a' and 'max_chars_b' must not be negative")

    def decoding(self) -> dict[str, Any]:
        """The settings the model's output depends on: the translation cache's key and the
        `generation` a document's provenance records."""
        return {name: getattr(self, name) for name in DECODING}

    def budget(self, source_tokens: int, ceiling: int | None = None) -> int:
        """The most tokens (end-of-sentence included) the model may write for a piece of
        `source_tokens` tokens: max_len_a * source + max_len_b, at most max_new_tokens (and at
        most `ceiling`, what the model's positions allow)."""
        limit = self.max_new_tokens if ceiling is None else min(self.max_new_tokens, ceiling)
        return max(1, min(limit, math.ceil(self.max_len_a * source_tokens + self.max_len_b)))


@dataclass
class Translation:
    text: str
    tokens: int  # target tokens generated, end-of-sentence excluded
    hit_max_length: bool = False


@dataclass
class Attention:
    """Cross-attention of one translated text: `weights[t][s]` is how much target token t
    attends to source token s, averaged over heads and layers. Token spans are character
    offsets into the source and the target strings (None for special tokens)."""

    source_spans: list[tuple[int, int] | None]
    target_spans: list[tuple[int, int] | None]
    weights: list[list[float]]


class Backend(Protocol):
    name: str
    model_id: str
    max_source_tokens: int

    def translate(self, texts: list[str], settings: GenerationSettings) -> list[Translation]:
        """Translate `texts` in the given order (the backend may batch and sort inside)."""
        ...

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text` as the model sees them, end-of-sentence included."""
        ...

    def describe(self) -> dict[str, str]:
        """What goes into provenance: model, revision, backend, device, dtype, versions."""
        ...
