"""translate: every sentence into English, chunk by chunk, batched across documents."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.arabic import ARABIC_LETTER
from pipeline.backends.base import GenerationSettings, Translation
from pipeline.document import Document, Sentence
from pipeline.stages import stage

# Told (sentences done, sentences in all) as translation goes on: the command line's progress line.
Progress = Callable[[int, int], None]


def needs_translation(text: str) -> bool:
    """Only text with Arabic letters goes to the model: a URL, a number, an email or English
    is kept as it is (an MT model would only garble it)."""
    return bool(ARABIC_LETTER.search(text))


# -- what every stage that translates shares ------------------------------------------------------


def chunk_limit(settings: GenerationSettings, backend: Any) -> int:
    """The most source tokens one piece may have: generation.max_chunk_tokens, within what the model takes."""
    return max(8, min(settings.max_chunk_tokens, backend.max_source_tokens - 2))


def chunk_text(text: str, backend: Any, max_tokens: int) -> list[str]:
    """`text` cut at clause boundaries into pieces the model takes whole (the text itself when it fits)."""
    from pipeline.stages.segment import chunk_sentence

    text = text.strip()
    if not text or not needs_translation(text) or backend.count_tokens(text) <= max_tokens:
        return [text] if text else []
    spans = chunk_sentence(text, 0, max_tokens, backend.count_tokens)
    return [piece for piece in (text[a:b].strip() for a, b in spans) if piece]


def cache_key(backend: Any, settings: GenerationSettings) -> str:
    described = backend.describe()
    parts = [described.get("model", ""), described.get("revision", ""), backend.name,
             described.get("dtype", ""), repr(sorted(settings.decoding().items()))]
    return "|".join(parts)


def translate_pieces(ctx: Any, backend: Any, pieces: list[str], settings: GenerationSettings,
                     progress: Callable[[dict[str, Translation]], None] | None = None) -> dict[str, Translation]:
    """Each piece's Translation: from the context's cache when it holds it, else from the model
    (and then stored). A cached answer is the whole Translation, so it reads as a fresh one."""
    cache = getattr(ctx, "cache", None)
    wanted = sorted({p for p in pieces if needs_translation(p)})
    found: dict[str, Translation] = {}
    if cache is not None and wanted:
        found = cache.get_many(cache_key(backend, settings), wanted)
    # Longest first, as the backends batch them: each part below holds pieces of like length.
    todo = sorted((p for p in wanted if p not in found), key=lambda p: (-len(p), p))
    # Parts of a few batches, so that progress moves and the cache keeps what is done.
    step = max(1, settings.batch_size) * 4 if progress is not None or cache is not None else max(1, len(todo))
    if progress is not None:
        progress(found)
    for i in range(0, len(todo), step):
        part = todo[i : i + step]
        fresh = dict(zip(part, backend.translate(part, settings), strict=True))
        if cache is not None:
            cache.put_many(cache_key(backend, settings), fresh)
        found.update(fresh)
        if progress is not None:
            progress(found)
    return found


def join_pieces(pieces: list[str], done: dict[str, Translation]) -> Translation:
    """One text's Translation from its pieces' (a piece the model did not see is kept as it is)."""
    parts = [done[p] if p in done else Translation(p, 0) for p in pieces]
    return Translation(" ".join(t.text for t in parts).strip(), tokens=sum(t.tokens for t in parts),
                       hit_max_length=any(t.hit_max_length for t in parts))


def cap_length(english: Translation, source: str, max_chars_a: float, max_chars_b: int) -> Translation:
    """At most max_chars_a x the Arabic's characters + max_chars_b: a token budget bounds tokens,
    but a looping model can glue long pieces together; past the cap the text is cut at a space
    and counts as stopped at the length limit (the qa stage flags it)."""
    cap = int(max_chars_a * len(source.strip())) + max_chars_b
    if len(english.text) <= cap:
        return english
    cut = english.text[:cap]
    space = cut.rfind(" ")
    text = cut[:space] if space > cap // 2 else cut
    return Translation(text.rstrip(), english.tokens, hit_max_length=True)


def translate_texts(ctx: Any, backend: Any, texts: list[str], settings: GenerationSettings) -> list[Translation]:
    """Translate whole texts (a quotation, a name, a sentence again) as the translate stage does its
    sentences: cut into pieces the model takes, each looked up in the cache first."""
    limit = chunk_limit(settings, backend)
    pieces_of = {t: chunk_text(t, backend, limit) for t in dict.fromkeys(texts)}
    done = translate_pieces(ctx, backend, [p for ps in pieces_of.values() for p in ps], settings)
    return [cap_length(join_pieces(pieces_of[t], done), t, settings.max_chars_a, settings.max_chars_b) for t in texts]


@stage("translate", requires=("sentences",), provides=("translations",), needs_model=True, shares=("generation",))
@dataclass
class Translate:
    """Translate every sentence with the configured backend, joining its chunks' translations."""

    # Its settings are the shared `generation` section's (translate, align and qa decode alike).
    _ctx: Any = field(default=None, repr=False)
    # Told (pieces done, pieces in all) as translation goes on: the command line's progress line.
    _progress: Progress | None = field(default=None, repr=False)

    def setup(self, ctx: Any) -> None:
        self._ctx = ctx

    @property
    def generation(self) -> GenerationSettings:
        return self._ctx.generation if self._ctx is not None else GenerationSettings()

    def __call__(self, doc: Document) -> Document:
        return self.translate_many([doc])[0]

    def translate_many(self, docs: list[Document]) -> list[Document]:
        backend = self._ctx.backend()
        settings = self.generation
        max_tokens = chunk_limit(settings, backend)
        # Each document's (sentence, chunk texts), kept per document so that counts stay with it.
        per_doc: list[list[tuple[Sentence, list[str]]]] = [
            [(sentence, self._chunk_texts(doc, sentence, backend, max_tokens)) for sentence in doc.sentences or []]
            for doc in docs
        ]
        jobs = [job for doc_jobs in per_doc for job in doc_jobs]
        started = time.perf_counter()
        done = translate_pieces(self._ctx, backend, [t for _, chunks in jobs for t in chunks],
                                settings, self._sentence_progress(jobs))
        model_seconds = time.perf_counter() - started
        for doc, doc_jobs in zip(docs, per_doc, strict=True):
            cut = []
            for sentence, chunks in doc_jobs:
                joined = cap_length(join_pieces(chunks, done), sentence.text, settings.max_chars_a, settings.max_chars_b)
                sentence.translation = joined.text
                if joined.hit_max_length:
                    cut.append(sentence.id)
            doc.provenance.update(backend.describe())
            doc.provenance["generation"] = settings.decoding()
            doc.provenance["translate"] = {
                "chunks": sum(len(chunks) for _, chunks in doc_jobs),
                "model_seconds": round(model_seconds / max(1, len(docs)), 3),
            }
            if cut:  # sentences whose output stopped at its length budget (read by the qa stage)
                doc.provenance["translate"]["hit_max_length"] = cut
        return docs

    # -- internals ------------------------------------------------------------------------
    def _sentence_progress(self, jobs: list[tuple[Sentence, list[str]]]) -> Any:
        """Pieces done, told to `_progress` as sentences done (all of a sentence's pieces)."""
        report = self._progress
        if report is None:
            return None

        def progress(done: dict[str, Translation]) -> None:
            finished = sum(1 for _, chunks in jobs if all(c in done or not needs_translation(c) for c in chunks))
            report(finished, len(jobs))

        return progress

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
