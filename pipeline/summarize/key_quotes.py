"""Key quotations: an article's speech quotations ranked by how central their sentence is, how much
their speaker is heard, and how much they say; one per point, several voices where there are."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from pipeline.document import Document, Quote
from pipeline.summarize.extractive import Vector, cosine, vectorize
from pipeline.summarize.terms import arabic_terms, word_count

# A quotation of a few words ("a bad situation") says less than one that makes a point.
FULL_LENGTH_WORDS = 12
# Each quotation already kept from a speaker halves that speaker's next one, so other voices get in.
SAME_SPEAKER_FACTOR = 0.5
NO_SPEAKER_FACTOR = 0.5


def key_quotes(
    doc: Document,
    sentence_scores: dict[str, float],
    idf: dict[str, float],
    known: Collection[str] = (),
    *,
    count: int,
    redundancy: float = 0.5,
) -> list[dict[str, Any]]:
    """The `count` most important speech quotations of `doc`, best first, as the dicts the renderers
    show: quote id, sentence id, speaker (Arabic name and English), Arabic text, English text."""
    candidates = [q for q in doc.quotes or [] if q.kind == "speech" and q.parent is None and q.text.strip()]
    if count <= 0 or not candidates:
        return []
    heard = Counter(_speaker(q) for q in candidates if _speaker(q))
    loudest = max(heard.values(), default=1)
    top_sentence = max(sentence_scores.values(), default=0.0) or 1.0

    base: dict[str, float] = {}
    for q in candidates:
        in_sentences = [q.sentence, *q.sentences]
        centrality = max(sentence_scores.get(s, 0.0) for s in in_sentences) / top_sentence
        speaker = _speaker(q)
        prominence = heard[speaker] / loudest if speaker else 0.0
        length = min(1.0, word_count(q.text) / FULL_LENGTH_WORDS)
        score = 0.5 * centrality + 0.25 * prominence + 0.25 * length
        base[q.id] = score if speaker else score * NO_SPEAKER_FACTOR

    vectors: dict[str, Vector] = {q.id: vectorize(arabic_terms(q.text, known), idf) for q in candidates}
    chosen: list[Quote] = []
    kept_from: Counter[str] = Counter()
    remaining = list(candidates)
    while remaining and len(chosen) < count:
        def adjusted(q: Quote) -> float:
            return base[q.id] * SAME_SPEAKER_FACTOR ** kept_from[_speaker(q)]

        best = max(remaining, key=lambda q: (adjusted(q), -candidates.index(q)))
        remaining.remove(best)
        if any(cosine(vectors[best.id], vectors[c.id]) > redundancy for c in chosen):
            continue  # the same words quoted again (a recap, a teaser) are one quotation
        chosen.append(best)
        kept_from[_speaker(best)] += 1
    return [_as_dict(q) for q in chosen]


def _speaker(q: Quote) -> str:
    return (q.speaker.name or q.speaker.mention) if q.speaker else ""


def _as_dict(q: Quote) -> dict[str, Any]:
    return {
        "quote": q.id,
        "sentence": q.sentence,
        "speaker": _speaker(q),
        "speaker_en": (q.speaker.english or "") if q.speaker else "",
        "ar": q.text,
        "en": q.translation.text if q.translation else "",
    }

