"""summarize: the article's key sentences (extractive, no model) or a model's summary of the English
(abstractive), with the key quotations (speaker, Arabic, English)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pipeline.document import Document, Sentence, Summary
from pipeline.errors import ConfigError
from pipeline.stages import stage
from pipeline.summarize.extractive import Budget, Weights, pick, score_sentences, tfidf_vectors, vectorize
from pipeline.summarize.key_quotes import key_quotes
from pipeline.summarize.terms import arabic_terms, article_words, word_count


@stage("summarize", requires=("sentences",), provides=("summary",))
@dataclass
class Summarize:
    """Summarize the article and list its key quotations.

    Extractive (the default) ranks the source sentences and keeps the best within the budget, in
    article order, so the summary is bilingual and its quotations stay aligned. Abstractive has
    `model` write a summary of the English translation (translate must run first), with links from
    each summary sentence to the source sentences it draws on. The budget is the first one set of
    `words` (Arabic words), `ratio` (share of the sentences), `sentences`."""

    method: Literal["extractive", "abstractive"] = "extractive"
    sentences: int | None = 3
    ratio: float | None = None
    words: int | None = None
    key_quotes: int = 3
    # Two sentences (or quotations) more similar than this are one point said twice: keep one.
    redundancy: float = 0.5
    # Maximal marginal relevance: how much likeness to a sentence already picked costs a candidate.
    diversity: float = 0.3
    # Shorter sentences (a dateline, "He added:") are picked only when nothing longer is left.
    min_words: int = 6
    centrality_weight: float = 1.0
    lead_weight: float = 0.6
    position_weight: float = 0.4
    paragraph_weight: float = 0.1
    title_weight: float = 0.3
    # Abstractive only.
    model: str = "sshleifer/distilbart-cnn-12-6"
    revision: str | None = None
    num_beams: int = 4
    max_new_tokens: int = 142
    threads: int = 0  # torch threads; 0 = torch's default
    _device: str = field(default="auto", repr=False)
    _summarizer: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.sentences is not None and self.sentences < 1:
            raise ValueError(f"'sentences' must be at least 1, not {self.sentences}")
        if self.ratio is not None and not 0 < self.ratio <= 1:
            raise ValueError(f"'ratio' is a share of the article's sentences, between 0 and 1, not {self.ratio}")
        if self.words is not None and self.words < 1:
            raise ValueError(f"'words' must be at least 1, not {self.words}")
        if self.sentences is None and self.ratio is None and self.words is None:
            raise ValueError("set one of 'sentences', 'ratio' or 'words' to say how long the summary may be")
        if self.key_quotes < 0:
            raise ValueError(f"'key_quotes' must be 0 or more, not {self.key_quotes}")
        if not 0 < self.redundancy <= 1:
            raise ValueError(f"'redundancy' is a similarity between 0 and 1, not {self.redundancy}")
        if self.diversity < 0:
            raise ValueError(f"'diversity' must be 0 or more, not {self.diversity}")

    def setup(self, ctx: Any) -> None:
        self._device = ctx.settings.device
        stages = ctx.stages
        if self.method == "abstractive" and "translate" not in stages[: stages.index("summarize")]:
            raise ConfigError(_NO_ENGLISH)

    @property
    def weights(self) -> Weights:
        return Weights(
            centrality=self.centrality_weight,
            lead=self.lead_weight,
            position=self.position_weight,
            paragraph_start=self.paragraph_weight,
            title=self.title_weight,
        )

    @property
    def budget(self) -> Budget:
        return Budget(sentences=self.sentences, ratio=self.ratio, words=self.words)

    def __call__(self, doc: Document) -> Document:
        sentences = doc.sentences or []
        if not sentences:
            doc.summary = Summary(method=self.method, sentences=[], text={"ar": "", "en": ""})
            return doc
        known = article_words(doc.text)
        vectors, idf = tfidf_vectors([arabic_terms(s.text, known) for s in sentences])
        title = vectorize(arabic_terms(str(doc.meta.get("title") or ""), known), idf)
        words = [word_count(s.text) for s in sentences]
        eligible = [w >= self.min_words for w in words]
        lead = eligible.index(True) if any(eligible) else 0
        scores = score_sentences(vectors, paragraph_starts=_paragraph_starts(doc), title=title,
                                 weights=self.weights, lead=lead)
        by_id = {s.id: score for s, score in zip(sentences, scores, strict=True)}
        quotes = key_quotes(doc, by_id, idf, known, count=self.key_quotes, redundancy=self.redundancy)
        if self.method == "abstractive":
            doc.summary = self._abstractive(doc)
        else:
            picked = pick(scores, vectors, words, self.budget, redundancy=self.redundancy,
                          diversity=self.diversity, eligible=eligible)
            chosen = [sentences[i] for i in picked]
            doc.summary = Summary(method="extractive", sentences=[s.id for s in chosen], text=_texts(chosen))
        doc.summary.key_quotes = quotes
        return doc

    def _abstractive(self, doc: Document) -> Summary:
        from pipeline.summarize.abstractive import Summarizer, link_sentences, split_english

        sentences = doc.sentences or []
        if not any(s.translation for s in sentences):
            raise ConfigError(_NO_ENGLISH)
        if self._summarizer is None:
            self._summarizer = Summarizer(
                self.model, revision=self.revision, device=self._device,
                num_beams=self.num_beams, max_new_tokens=self.max_new_tokens, threads=self.threads,
            )
        english, rounds = self._summarizer.summarize([s.translation or "" for s in sentences])
        links = link_sentences(split_english(english), [(s.id, s.translation or "") for s in sentences])
        linked = {sid for ids in links.values() for sid in ids}
        drawn_on = [s for s in sentences if s.id in linked]
        doc.provenance["summarize"] = {**self._summarizer.describe(), "chunks": rounds}
        # The Arabic side shows the source sentences the summary draws on, for checking it.
        return Summary(
            method="abstractive",
            sentences=[s.id for s in drawn_on],
            text={"ar": " ".join(s.text for s in drawn_on), "en": english},
            links=links,
        )


_NO_ENGLISH = (
    "summarize.method 'abstractive' summarizes the English translation, but no stage before "
    "'summarize' translates; put 'translate' before 'summarize' in stages, or set summarize.method: extractive."
)


def _paragraph_starts(doc: Document) -> list[bool]:
    sentences = doc.sentences or []
    if not doc.paragraphs:
        return [i == 0 for i in range(len(sentences))]
    firsts = {p.sentences[0] for p in doc.paragraphs if p.sentences}
    return [s.id in firsts for s in sentences]


def _texts(chosen: list[Sentence]) -> dict[str, str]:
    """The Arabic of the picked sentences, and their English when every one has been translated."""
    english = " ".join(s.translation or "" for s in chosen) if all(s.translation is not None for s in chosen) else ""
    return {"ar": " ".join(s.text for s in chosen), "en": english.strip()}

