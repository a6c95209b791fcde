"""Abstractive summarization of the English translation with a seq2seq model (BART, PEGASUS, T5),
in chunks when the text is longer than the model's window, and links back to source sentences."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ModelError
from pipeline.models import check_seq2seq, model_revision, resolve_model
from pipeline.summarize.terms import english_terms

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“']?[A-Z0-9(])")
# Rounds of summarizing the chunk summaries again; each round shortens the text, so few are needed.
MAX_ROUNDS = 4


def split_english(text: str) -> list[str]:
    """English sentences of a summary, split after . ! ? before a capital or a digit."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


@dataclass
class Summarizer:
    """A summarization model loaded once: `summarize(units)` returns English text and the size of
    each round of chunks it took (e.g. [3, 1]: three chunks, then their summaries at once)."""

    model_id: str
    revision: str | None = None
    device: str = "auto"
    num_beams: int = 4
    max_new_tokens: int = 142
    threads: int = 0
    window: int = field(default=1024, init=False)

    def __post_init__(self) -> None:
        import torch
        import transformers
        from transformers import AutoModelForSeq2SeqLM

        from pipeline.backends.tokenizer import load_tokenizer, source_token_limit
        from pipeline.backends.torch_device import pick_device

        if not log.isEnabledFor(logging.INFO):
            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
        if self.threads > 0:
            torch.set_num_threads(self.threads)
        self.path: Path = resolve_model(self.model_id, self.revision)
        try:
            check_seq2seq(self.path, self.model_id)
        except ModelError:
            raise ModelError(
                f"model '{self.model_id}' is not a sequence-to-sequence model and cannot write summaries; "
                "set summarize.model to a summarization model such as sshleifer/distilbart-cnn-12-6."
            ) from None
        self.tokenizer = load_tokenizer(self.path, self.model_id)
        self.device = pick_device(self.device)
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(str(self.path), trust_remote_code=False)
        except Exception as err:
            raise ModelError(
                f"summarization model '{self.model_id}' could not be loaded from {self.path} "
                f"({type(err).__name__}: {err}); the folder may be corrupted: download the model again."
            ) from None
        self.model = model.to(self.device).eval()
        self.window = source_token_limit(self.tokenizer, getattr(model.config, "max_position_embeddings", None), 1024)

    def describe(self) -> dict[str, str]:
        return {"model": str(self.model_id), "revision": self.revision or model_revision(self.path)}

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, truncation=False).input_ids)

    def summarize(self, units: Sequence[str]) -> tuple[str, list[int]]:
        """Summarize text given as units (sentences, in order). Units are packed into chunks that fit
        the window; with more than one chunk, the chunks' summaries are summarized again."""
        units = [u.strip() for u in units if u and u.strip()]
        if not units:
            return "", []
        rounds: list[int] = []
        for _ in range(MAX_ROUNDS):
            chunks = self.chunk(units)
            rounds.append(len(chunks))
            summaries = self._generate(chunks)
            if len(chunks) == 1:
                return summaries[0].strip(), rounds
            next_units = [s for summary in summaries for s in split_english(summary)]
            if sum(map(len, next_units)) >= sum(map(len, units)):
                # The summaries are no shorter than their input (a model that copies): stop growing.
                next_units = units
            units = next_units
        # Still more than a window after MAX_ROUNDS: the first window's worth, summarized once more.
        chunk = self.chunk(units)[0]
        rounds.append(1)
        return self._generate([chunk])[0].strip(), rounds

    def chunk(self, units: Sequence[str]) -> list[str]:
        """Consecutive units joined into chunks of at most the window's tokens; a unit longer than
        the window is cut between words first, so no text is lost to truncation."""
        room = self.window - 2  # the special tokens around each input
        chunks: list[str] = []
        current: list[str] = []
        used = 0
        for unit in (piece for u in units for piece in self._fit(u, room)):
            size = self.count_tokens(unit)
            if current and used + size > room:
                chunks.append(" ".join(current))
                current, used = [], 0
            current.append(unit)
            used += size
        if current:
            chunks.append(" ".join(current))
        return chunks

    def _fit(self, unit: str, room: int) -> list[str]:
        """`unit` as pieces of whole words of at most `room` tokens each."""
        if self.count_tokens(unit) <= room:
            return [unit]
        pieces: list[str] = []
        words = unit.split()
        start = 0
        while start < len(words):
            end = len(words)
            while end > start + 1 and self.count_tokens(" ".join(words[start:end])) > room:
                end = start + max(1, (end - start) * 3 // 4)  # shrink until it fits
            pieces.append(" ".join(words[start:end]))
            start = end
        return pieces

    def _generate(self, texts: list[str]) -> list[str]:
        import torch

        inputs = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=self.window)
        inputs = {k: v.to(self.device) for k, v in inputs.items() if k in ("input_ids", "attention_mask")}
        with torch.inference_mode():
            output = self.model.generate(**inputs, num_beams=self.num_beams, max_new_tokens=self.max_new_tokens)
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)


def link_sentences(
    summary_sentences: Sequence[str],
    sources: Sequence[tuple[str, str]],
    *,
    threshold: float = 0.3,
    most: int = 3,
) -> dict[str, list[str]]:
    """For each summary sentence (key: its 1-based number, as a string), the ids of the source
    sentences it draws on, found as a greedy cover of its content terms: the source sharing most
    of them first, then each source that adds at least `threshold` of them not yet covered, at most
    `most`. A sentence with no such source (the model's own words) gets no entry."""
    source_terms = [(sid, set(english_terms(text))) for sid, text in sources]
    links: dict[str, list[str]] = {}
    for number, sentence in enumerate(summary_sentences, start=1):
        terms = set(english_terms(sentence))
        uncovered = set(terms)
        found: list[str] = []
        while terms and len(found) < most:
            gain, sid = max(((len(uncovered & st), sid) for sid, st in source_terms if sid not in found),
                            key=lambda g: g[0], default=(0, ""))
            if gain < threshold * len(terms) or gain == 0:
                break
            found.append(sid)
            uncovered -= dict(source_terms)[sid]
        if found:
            links[str(number)] = found
    return links
