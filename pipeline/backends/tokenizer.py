"""The tokenizer side both backends and the summarizer share: loading a model's tokenizer, its token
limits, and where its pieces fall in the text."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pipeline.backends.base import GenerationSettings
from pipeline.errors import ModelError

log = logging.getLogger(__name__)


def load_tokenizer(path: Path, model: str) -> Any:
    """The tokenizer saved in a model's folder; a ModelError naming `model` when it cannot load."""
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(str(path), trust_remote_code=False)
    except Exception as err:
        refuse_custom_code(err, model)
        raise ModelError(
            f"the tokenizer of model '{model}' could not be loaded ({type(err).__name__}: {first_line(err)}); "
            "the folder may be incomplete: download the model again."
        ) from None


def first_line(err: BaseException) -> str:
    """The first line of a library's message, without its trailing full stop: ours ends the sentence."""
    lines = str(err).strip().splitlines()
    return lines[0].rstrip(" .") if lines else type(err).__name__


def refuse_custom_code(err: BaseException, model: str) -> None:
    """A model folder whose config names its own Python classes would need trust_remote_code,
    which tarjama never passes: say so plainly instead of the library's advice to turn it on."""
    if "trust_remote_code" in str(err) or "custom code" in str(err):
        raise ModelError(
            f"model '{model}' needs its own Python code to load, which tarjama never runs; "
            "use a standard sequence-to-sequence model such as Helsinki-NLP/opus-mt-ar-en."
        ) from None


def check_tokenizer_matches(tokenizer: Any, config: Any, model: str) -> None:
    """A tokenizer from another model gives ids the model reads as other words (or that index
    past its embedding): refuse it when its size or its padding and end ids disagree."""
    fix = "the tokenizer does not match this model: put the tokenizer files saved with this model back in its folder."
    vocab = len(tokenizer)
    if vocab > config.vocab_size:
        raise ModelError(f"the tokenizer of model '{model}' has {vocab} tokens but the model only "
                         f"{config.vocab_size}; {fix}")
    for what in ("pad_token_id", "eos_token_id"):
        ours, theirs = getattr(tokenizer, what, None), getattr(config, what, None)
        if isinstance(ours, int) and isinstance(theirs, int) and ours != theirs:
            raise ModelError(f"the tokenizer of model '{model}' has {what} {ours} but the model {theirs}; {fix}")


def source_token_limit(tokenizer: Any, max_position_embeddings: int | None, default: int = 512) -> int:
    """The longest input the model takes: its positions (`default` when the config does not say), or
    the tokenizer's own limit when that is lower."""
    limit = max_position_embeddings or default
    return min(limit, getattr(tokenizer, "model_max_length", limit) or limit)


def target_token_limit(max_position_embeddings: int | None, default: int = 512) -> int:
    """The most tokens the decoder can write: its positions, less the decoder's start token."""
    return max(1, (max_position_embeddings or default) - 1)


def check_source_length(tokens: int, limit: int, model: str) -> None:
    """Every backend refuses a chunk longer than its model takes rather than truncate it."""
    if tokens > limit:
        raise ModelError(
            f"a chunk of {tokens} tokens is longer than model '{model}' accepts "
            f"({limit}); lower generation.max_chunk_tokens."
        )


def warn_ceiling(settings: GenerationSettings, limit: int, model: str, warned: bool) -> bool:
    """Say once that generation.max_new_tokens is above what the model can write (it is capped there)."""
    if settings.max_new_tokens > limit and not warned:
        log.warning("generation.max_new_tokens=%d is more than model '%s' can write (%d, its positions); "
                    "capped at %d", settings.max_new_tokens, model, limit, limit)
        return True
    return warned


def piece_spans(text: str, pieces: list[str]) -> list[tuple[int, int] | None]:
    """Character spans of sentencepiece pieces in `text` (None for special or unmatched pieces)."""
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for piece in pieces:
        if piece.startswith("<") and piece.endswith(">"):
            spans.append(None)
            continue
        surface = piece.replace("\u2581", " ").strip()
        if not surface:
            spans.append(None)
            continue
        found = text.find(surface, pos)
        if found < 0 or found - pos > 20:
            spans.append(None)
            continue
        spans.append((found, found + len(surface)))
        pos = found + len(surface)
    return spans
