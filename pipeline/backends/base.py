"""The interface every translation engine implements, and the results it returns."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Protocol


@dataclass(frozen=True)
class GenerationSettings:
    """How to decode; part of the translation cache key."""

    num_beams: int = 4
    max_new_tokens: int = 400  # the ceiling of every piece's output budget
    # A piece's output budget grows with its source, as fairseq's max_len_a * source + max_len_b:
    # a model caught in a loop stops there instead of at max_new_tokens.
    max_len_a: float = 1.5
    max_len_b: int = 10
    batch_size: int = 16
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> GenerationSettings:
        """The settings named in `values` (a stage's config block, a document's provenance), the
        defaults for the rest; other keys are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})

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
