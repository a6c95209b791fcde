"""translate: every sentence into English, chunk by chunk, batched across documents."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.arabic import ARABIC_LETTER
from pipeline.backends.base import GenerationSettings
from pipeline.document import Document, Sentence
from pipeline.stages import stage


def needs_translation(text: str) -> bool:
    """Only text with Arabic letters goes to the model: a URL, a number, an email or English
    is kept as it is (an MT model would only garble it)."""
    return bool(ARABIC_LETTER.search(text))


@stage("translate", requires=("sentences",), provides=("translations",))
@dataclass
class Translate:
    """Translate every sentence with the configured backend, joining its chunks' translations."""

    num_beams: int = 4
    batch_size: int = 16
    max_new_tokens: int = 512
    threads: int = 0
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    compute_type: str = "int8"  # ctranslate2 only: int8, int8_float16, float16, float32, auto
    inter_threads: int = 1  # ctranslate2 only
    _ctx: Any = field(default=None, repr=False)
    # Texts whose generation stopped at max_new_tokens in the last call, for the qa stage.
    _hit_max_length: set[str] = field(default_factory=set, repr=False)

    def setup(self, ctx: Any) -> None:
        self._ctx = ctx

    @property
    def generation(self) -> GenerationSettings:
        return GenerationSettings(
            num_beams=self.num_beams,
            max_new_tokens=self.max_new_tokens,
            batch_size=self.batch_size,
            no_repeat_ngram_size=self.no_repeat_ngram_size,
            repetition_penalty=self.repetition_penalty,
        )

    def __call__(self, doc: Document) -> Document:
        return self.translate_many([doc])[0]

    def translate_many(self, docs: list[Document]) -> list[Document]:
        backend = self._ctx.backend()
        max_tokens = self._chunk_limit(backend)
        # Each document's (sentence, chunk texts), kept per document so that counts stay with it.
        per_doc: list[list[tuple[Sentence, list[str]]]] = [
            [(sentence, self._chunk_texts(doc, sentence, backend, max_tokens)) for sentence in doc.sentences or []]
            for doc in docs
        ]
        jobs = [job for doc_jobs in per_doc for job in doc_jobs]
        texts = sorted({t for _, chunks in jobs for t in chunks if needs_translation(t)})
        started = time.perf_counter()
        english = self._translate_texts(backend, texts)
        model_seconds = time.perf_counter() - started
        for sentence, chunks in jobs:
            sentence.translation = " ".join(english.get(c, c) for c in chunks).strip()
        for doc, doc_jobs in zip(docs, per_doc, strict=True):
            doc.provenance.update(backend.describe())
            doc.provenance["generation"] = asdict(self.generation)
            doc.provenance["translate"] = {
                "chunks": sum(len(chunks) for _, chunks in doc_jobs),
                "model_seconds": round(model_seconds / max(1, len(docs)), 3),
            }
            cut = [s.id for s, chunks in doc_jobs if self._hit_max_length.intersection(chunks)]
            if cut:  # sentences whose output stopped at max_new_tokens (read by the qa stage)
                doc.provenance["translate"]["hit_max_length"] = cut
        return docs

    # -- internals ------------------------------------------------------------------------
    def _translate_texts(self, backend: Any, texts: list[str]) -> dict[str, str]:
        cache = getattr(self._ctx, "cache", None)
        found: dict[str, str] = {}
        todo = texts
        self._hit_max_length = set()
        if cache is not None:
            found = cache.get_many(self._cache_key(backend), texts)
            todo = [t for t in texts if t not in found]
        if todo:
            results = backend.translate(todo, self.generation)
            fresh = {t: r.text for t, r in zip(todo, results, strict=True)}
            self._hit_max_length = {t for t, r in zip(todo, results, strict=True) if r.hit_max_length}
            if cache is not None:
                cache.put_many(self._cache_key(backend), fresh)
            found.update(fresh)
        return found

    def _cache_key(self, backend: Any) -> str:
        described = backend.describe()
        parts = [described.get("model", ""), described.get("revision", ""), backend.name,
                 described.get("dtype", ""), repr(sorted(asdict(self.generation).items()))]
        return "|".join(parts)

    def _chunk_limit(self, backend: Any) -> int:
        configured = self._ctx.config.stage_settings.get("segment", {}).get("max_chunk_tokens", 200)
        return max(8, min(configured, backend.max_source_tokens - 2))

    def _chunk_texts(self, doc: Document, sentence: Sentence, backend: Any, max_tokens: int) -> list[str]:
        from pipeline.stages.segment import chunk_sentence

        spans = sentence.chunks or [(sentence.start, sentence.end)]
        pieces = [doc.text[a:b].strip() for a, b in spans]
        if all(backend.count_tokens(p) <= max_tokens for p in pieces if needs_translation(p)):
            return [p for p in pieces if p]
        # The segmenter estimated token counts; with the real tokenizer in hand, cut again.
        chunks = chunk_sentence(
            doc.text[sentence.start : sentence.end], sentence.start, max_tokens, backend.count_tokens
        )
        sentence.chunks = chunks if len(chunks) > 1 else []
        return [doc.text[a:b].strip() for a, b in chunks if doc.text[a:b].strip()]
