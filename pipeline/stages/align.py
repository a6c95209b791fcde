"""align: each quotation's span in the English of its sentence(s), by the marks kept, by attention, or on its own.

Every quotation (speech, phrase, nested; names and titles are not quotations) gets a
`QuoteTranslation`. Three ways, tried in order, the first trusted one wins:

1. marks: the quotation marks in the English (“ ” " « » ‘ ’ ') matched with the Arabic
   quotations by order and count, paragraph by paragraph, then sentence by sentence when the
   counts differ (then by position, with a lower confidence);
2. attention: the model's cross-attention projects the Arabic span onto the English tokens
   (backends without `attention`, such as ctranslate2, skip this);
3. separate: the quotation is translated on its own; `start`/`end` are None (confidence 1: the
   text is the quotation's own translation, though it may read differently from the sentence's).

A quotation that runs over several sentences has `start`/`end` in the translation of its first
sentence (`quote.sentence`), `text` holding the whole English quotation, and `spans` listing
(sentence id, start, end) for every sentence translation it covers.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.align.attention import project_attention, snap_to_marks
from pipeline.align.quotes import (
    Bead,
    Found,
    clip,
    compose,
    marks_alignment,
    paragraph_groups,
    quotations,
    touched_beads,
)
from pipeline.align.transliteration import find_name
from pipeline.backends.base import GenerationSettings
from pipeline.document import Document, Quote, QuoteTranslation, Sentence, Speaker
from pipeline.stages import stage

log = logging.getLogger(__name__)

# -- the stage --------------------------------------------------------------------------------------


@stage("align", requires=("quotes", "translations"), provides=("alignment",), needs_model=True, shares=("generation",))
@dataclass
class Align:
    """Find every quotation's English span: by quotation marks, by attention, or translated on its own."""

    min_confidence: float = 0.5  # below this a span is not trusted and the next method is tried
    attention_threshold: float = 0.5  # share of a target token's attention that must fall on the quotation
    use_attention: bool = True  # try the model's cross-attention when the marks do not settle it
    # When no span is trusted, translate the quotation on its own; when false, keep the best
    # untrusted span with its low confidence (a quotation with no span at all is still translated).
    translate_separately: bool = True
    _ctx: Any = field(default=None, repr=False)

    def setup(self, ctx: Any) -> None:
        self._ctx = ctx

    def __call__(self, doc: Document) -> Document:
        backend = self._ctx.backend() if self._ctx is not None else None
        quotes = quotations(doc)
        beads = [Bead([s]) for s in doc.sentences or []]
        best = marks_alignment(doc, beads, paragraph_groups(doc, beads))
        attention_cache: dict[str, Any] = {}
        can_attend = self.use_attention and backend is not None and hasattr(backend, "attention")
        for q in quotes:
            candidate = best.get(q.id)
            if (candidate is None or candidate.confidence < self.min_confidence) and can_attend:
                by_attention = self._by_attention(doc, q, beads, backend, attention_cache)
                if by_attention and (candidate is None or by_attention.confidence > candidate.confidence):
                    candidate = by_attention
            if candidate is not None:
                best[q.id] = candidate
        separate = [q for q in quotes if q.id not in best or not best[q.id].text
                    or (self.translate_separately and best[q.id].confidence < self.min_confidence)]
        if separate and backend is not None:
            english = self._translate(backend, [q.text for q in separate])
            for q, text in zip(separate, english, strict=True):
                best[q.id] = QuoteTranslation(text=text, start=None, end=None, confidence=1.0, method="separate")
        for q in quotes:
            q.translation = best.get(q.id) or QuoteTranslation("", None, None, 0.0, "separate")
        self._name_speakers(doc, quotes, backend, attention_cache, can_attend)
        methods: dict[str, int] = {}
        for q in quotes:
            methods[q.translation.method] = methods.get(q.translation.method, 0) + 1
        doc.provenance["align"] = {"methods": methods}
        return doc

    # -- attention ------------------------------------------------------------------------
    def _attention(self, doc: Document, sentence: Sentence, backend: Any, cache: dict[str, Any]) -> Any:
        if sentence.id not in cache:
            source = doc.text[sentence.start : sentence.end]
            target = sentence.translation or ""
            # A sentence the model only saw in chunks is too long to attend over in one pass.
            fits = max(backend.count_tokens(source), backend.count_tokens(target)) <= backend.max_source_tokens
            attention = None
            if target.strip() and fits:
                try:
                    attention = backend.attention(source, target)
                except (RuntimeError, ValueError, IndexError) as err:
                    log.info("no attention for %s (%s); its quotations go on to the next method", sentence.id, err)
            cache[sentence.id] = attention
        return cache[sentence.id]

    def _project(self, doc: Document, sentence: Sentence, start: int, end: int, backend: Any,
                 cache: dict[str, Any]) -> tuple[int, int, float] | None:
        attention = self._attention(doc, sentence, backend, cache)
        if attention is None:
            return None
        target = sentence.translation or ""
        projected = project_attention(attention, start - sentence.start, end - sentence.start, target,
                                      sentence.end - sentence.start, threshold=self.attention_threshold)
        if projected is None:
            return None
        a, b, confidence = projected
        snapped = snap_to_marks(target, a, b)
        if snapped:  # the model kept marks the order-and-count match could not use
            a, b, confidence = snapped[0], snapped[1], max(confidence, 0.6)
        return a, b, confidence

    def _by_attention(self, doc: Document, q: Quote, beads: list[Bead], backend: Any,
                      cache: dict[str, Any]) -> QuoteTranslation | None:
        parts: list[Found] = []
        for b in touched_beads(q, beads):
            sentence = beads[b].sentences[0]
            a, c = clip(q, sentence.start, sentence.end) or (0, 0)
            projected = self._project(doc, sentence, a, c, backend, cache)
            if projected is None:
                return None
            parts.append(Found(b, *projected))
        return compose(q, beads, parts, "attention") if parts else None

    # -- separate translation -------------------------------------------------------------
    def _generation(self) -> GenerationSettings:
        return self._ctx.generation if self._ctx is not None else GenerationSettings()

    def _translate(self, backend: Any, texts: list[str]) -> list[str]:
        # As the translate stage does it: a long quotation is cut into pieces the model takes,
        # and each piece is looked up in the cache first.
        from pipeline.stages.translate import translate_texts

        return [t.text for t in translate_texts(self._ctx, backend, texts, self._generation())]

    # -- speakers -------------------------------------------------------------------------
    def _name_speakers(self, doc: Document, quotes: list[Quote], backend: Any, cache: dict[str, Any],
                       can_attend: bool) -> None:
        """Each speaker's English name, from the translation of a sentence where the name is
        written: the words whose consonants match it (a transliterated name), else the words
        its attention falls on; else the name translated on its own."""
        speakers = [q.speaker for q in quotes if q.speaker is not None and not q.speaker.english]
        if not speakers:
            return
        english: dict[str, str] = {}
        for speaker in speakers:
            if speaker.name in english:
                continue
            occurrences = [(start, end, sentence) for start, end in mention_occurrences(doc, speaker)
                           if (sentence := sentence_at(doc, start)) is not None and sentence.translation]
            for start, end, sentence in occurrences:
                found = find_name(doc.text[start:end], sentence.translation or "")
                if found:
                    english[speaker.name] = found
                    break
            if speaker.name in english or not can_attend:
                continue
            for start, end, sentence in occurrences:
                projected = self._project(doc, sentence, start, end, backend, cache)
                if projected and projected[2] >= self.min_confidence:
                    a, b, _ = projected
                    english[speaker.name] = re.sub(r"^(?:the|The)\s+", "", sentence.translation[a:b])
                    break
        missing = sorted({s.name for s in speakers if s.name not in english})
        if missing and backend is not None:
            english.update(zip(missing, self._translate(backend, missing), strict=True))
        for speaker in speakers:
            speaker.english = english.get(speaker.name) or None


def mention_occurrences(doc: Document, speaker: Speaker) -> list[tuple[int, int]]:
    """Where the speaker's full name is written in the article (first first), then the mention."""
    out = []
    if speaker.name:
        for m in re.finditer(re.escape(speaker.name), doc.text):
            out.append((m.start(), m.end()))
    if speaker.start is not None and speaker.end is not None and (speaker.start, speaker.end) not in out:
        out.append((speaker.start, speaker.end))
    return out


def sentence_at(doc: Document, offset: int) -> Sentence | None:
    for s in doc.sentences or []:
        if s.start <= offset < s.end:
            return s
    return None

