"""Extractive summarization: rank an article's sentences (centrality, lead, position, title) and pick
the best within a budget, skipping near-duplicates."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

Vector = dict[str, float]


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in a sentence's score (each signal lies in 0..1)."""

    centrality: float = 1.0  # LexRank over TF-IDF: how much of the article a sentence shares
    lead: float = 0.6  # the article's first sentence: in news, the lead says what happened
    position: float = 0.4  # earlier sentences matter more (inverted pyramid), decaying as 1/sqrt(1+i)
    paragraph_start: float = 0.1  # a paragraph's first sentence often opens a new point
    title: float = 0.3  # similarity to the headline, where the reader kept it in meta


@dataclass(frozen=True)
class Budget:
    """How long the summary may be. The first one set wins: words, then ratio, then sentences."""

    sentences: int | None = 3
    ratio: float | None = None
    words: int | None = None

    def count(self, total: int) -> int | None:
        """The number of sentences to pick, or None when a word budget decides."""
        if self.words is not None:
            return None
        if self.ratio is not None:
            return max(1, math.ceil(self.ratio * total))
        return max(1, self.sentences or 1)


def tfidf_vectors(term_lists: Sequence[Sequence[str]]) -> tuple[list[Vector], dict[str, float]]:
    """One TF-IDF vector per sentence; idf is computed over the article's own sentences (a term
    in every sentence says nothing about any of them). Returns the vectors and the idf table."""
    n = len(term_lists)
    df = Counter(term for terms in term_lists for term in set(terms))
    idf = {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}
    vectors = [vectorize(terms, idf) for terms in term_lists]
    return vectors, idf


def vectorize(terms: Sequence[str], idf: dict[str, float]) -> Vector:
    """A TF-IDF vector for `terms`; terms not in `idf` (not in the article) are left out."""
    counts = Counter(t for t in terms if t in idf)
    # Sublinear tf: a name repeated five times in one sentence is not five times the topic.
    return {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items()}


def cosine(a: Vector, b: Vector) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


# Sentences this similar are copies (a recap, a teaser of the same story), not two sentences on one
# topic: they must not make each other look central.
COPY_SIMILARITY = 0.8


def similarities(vectors: Sequence[Vector]) -> list[dict[int, float]]:
    """Cosine similarity of every pair of sentences that share a term, as sparse rows (an inverted
    index keeps a long article fast: most pairs share nothing)."""
    units = []
    for v in vectors:
        norm = math.sqrt(sum(w * w for w in v.values()))
        units.append({t: w / norm for t, w in v.items()} if norm else {})
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, unit in enumerate(units):
        for term, weight in unit.items():
            postings.setdefault(term, []).append((i, weight))
    rows: list[dict[int, float]] = [{} for _ in vectors]
    for posting in postings.values():
        for a, (i, wi) in enumerate(posting):
            for j, wj in posting[a + 1:]:
                rows[i][j] = rows[i].get(j, 0.0) + wi * wj
                rows[j][i] = rows[j].get(i, 0.0) + wi * wj
    return rows


def lexrank(vectors: Sequence[Vector], *, damping: float = 0.85, iterations: int = 100) -> list[float]:
    """Continuous LexRank (Erkan & Radev 2004): PageRank over the cosine-similarity graph of the
    sentences, without edges between copies. Scaled so the most central sentence has 1."""
    n = len(vectors)
    if n == 0:
        return []
    rows = [{j: w for j, w in row.items() if w < COPY_SIMILARITY} for row in similarities(vectors)]
    out_weight = [sum(row.values()) for row in rows]
    rank = [1.0 / n] * n
    for _ in range(iterations):
        # A sentence that shares nothing with the others passes its rank on evenly.
        spread = sum(rank[i] for i in range(n) if out_weight[i] == 0) / n
        new = [(1 - damping) / n + damping * spread] * n
        for i, row in enumerate(rows):
            if out_weight[i] > 0:
                share = damping * rank[i] / out_weight[i]
                for j, w in row.items():
                    new[j] += share * w
        done = max(abs(a - b) for a, b in zip(new, rank, strict=True)) < 1e-9
        rank = new
        if done:
            break
    top = max(rank)
    return [r / top for r in rank] if top > 0 else [0.0] * n


def score_sentences(
    vectors: Sequence[Vector],
    *,
    paragraph_starts: Sequence[bool],
    title: Vector | None = None,
    weights: Weights = Weights(),
    lead: int = 0,
) -> list[float]:
    """Each sentence's score: the weighted sum of its centrality, lead, position, paragraph-start
    and title signals, divided by the sum of the weights (so scores lie in 0..1). `lead` is the
    index of the lead sentence (the first that says something, after a kicker or a dateline)."""
    centrality = lexrank(vectors)
    total = weights.centrality + weights.lead + weights.position + weights.paragraph_start
    total += weights.title if title else 0.0
    scores = []
    for i, vector in enumerate(vectors):
        score = weights.centrality * centrality[i]
        score += weights.lead * (1.0 if i == lead else 0.0)
        score += weights.position / math.sqrt(1 + max(0, i - lead))
        score += weights.paragraph_start * (1.0 if paragraph_starts[i] else 0.0)
        if title:
            score += weights.title * cosine(vector, title)
        scores.append(score / total if total > 0 else 0.0)
    return scores


def pick(
    scores: Sequence[float],
    vectors: Sequence[Vector],
    word_counts: Sequence[int],
    budget: Budget,
    *,
    redundancy: float = 0.5,
    diversity: float = 0.3,
    eligible: Sequence[bool] | None = None,
) -> list[int]:
    """Indices of the sentences to keep, in article order, chosen one at a time by maximal marginal
    relevance (Carbonell & Goldstein 1998): score minus `diversity` times the similarity to the
    closest sentence already kept, so a second sentence on the same point loses to a new point.
    A sentence more similar than `redundancy` to one kept is never taken. Sentences not `eligible`
    (too short to say anything) are taken only when no sentence is. Never empty for a non-empty
    article: when no sentence fits the word budget, the best one comes alone."""
    n = len(scores)
    if n == 0:
        return []
    allowed = list(eligible) if eligible is not None else [True] * n
    left = {i for i in range(n) if allowed[i]} or set(range(n))
    candidates = set(left)
    wanted = budget.count(n)
    chosen: list[int] = []
    words = 0
    while left and (wanted is None or len(chosen) < wanted):
        closest = {i: max((cosine(vectors[i], vectors[j]) for j in chosen), default=0.0) for i in left}
        best = min(left, key=lambda i: (-(scores[i] - diversity * closest[i]), i))
        left.discard(best)
        if closest[best] > redundancy:
            continue
        if budget.words is not None and words + word_counts[best] > budget.words:
            continue  # a shorter sentence further down may still fit
        chosen.append(best)
        words += word_counts[best]
    if not chosen:
        chosen = [min(candidates, key=lambda i: (-scores[i], i))]
    return sorted(chosen)
