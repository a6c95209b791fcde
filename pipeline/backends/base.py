"""The interface every translation engine implements, and the results it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Protocol


@dataclass(frozen=True)
class GenerationSettings:
    """How to decode; part of the translation cache key."""

    num_beams: int = 4
    max_new_tokens: int = 512
    batch_size: int = 16
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> GenerationSettings:
        """The settings named in `values` (a stage's config block, a document's provenance), the
        defaults for the rest; other keys are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})


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
