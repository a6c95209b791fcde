"""The matching rules of ../shared/tools/score_gold.py, mirrored so that `python -m eval corpus` scores alike.

score_gold.py is what the hidden real articles are scored with; every rule here is a copy of one
there (its function names are kept), so our pooled line and its own agree on the same code. Change
one only together with the other. What is mirrored:

- sentences match after NFC, tatweel, zero-width marks and runs of spaces are forgiven, a leading
  list marker dropped and a dateline (the one of the shared sample, plus each gold file's
  `# dateline:` line met so far in the run, as score_gold.py accumulates them) stripped;
- a quotation matches on its text between the marks: exactly first, then by `same_quote` (one holds
  the other and is ≥ 60% of its length, or character 3-grams agree at F ≥ 0.8), each prediction
  used once, in text order;
- only kinds speech, phrase and nested are quotations; a speaker is right when the resolved name is
  the gold speaker or one of its `speaker_aliases`, wrong when another name is given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

QUOTE_MARKS = '"“”«»„‟'
QUOTE_KINDS = ("speech", "phrase", "nested")
_LIST_MARKER = re.compile(r"^(?:[*•▪◦·]|[-–—](?=\s))\s*")
_SAMPLE_DATELINE = r"\S+\s*[-–]\s*ناس\s+"  # the shared sample's; gold files add their own


def norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u0640", "")  # tatweel
    text = re.sub(r"[\u00a0\u200b-\u200f\u2066-\u2069\ufeff]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def unlisted(text: str) -> str:
    """A line's list marker is layout, not sentence text: either side may keep or drop it."""
    return _LIST_MARKER.sub("", norm(text))


def bare(text: str) -> str:
    """A quotation's text without its marks."""
    return norm(text).strip(QUOTE_MARKS + " ")


@dataclass
class Datelines:
    """The dateline patterns a run has met so far (score_gold.py keeps them in one growing list)."""

    patterns: list[str] = field(default_factory=lambda: [_SAMPLE_DATELINE])

    def read_gold_sentences(self, path: Path) -> list[str]:
        """Gold sentences, one a line; a line `# dateline: X` adds X to the patterns."""
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# dateline:"):
                self.patterns.append(re.escape(norm(line.split(":", 1)[1])) + r"\s*[-–:]?\s*")
            elif line.strip():
                out.append(line)
        return out

    def strip(self, text: str) -> str:
        text = norm(text)
        for pattern in self.patterns:
            text = re.sub("^" + pattern, "", text)
        return text

    def comparable(self, sentences: list[str]) -> list[str]:
        """Sentences as the comparison sees them; a dateline standing alone leaves nothing and is dropped."""
        return [s for s in (unlisted(self.strip(x)) for x in sentences) if s]


@dataclass(frozen=True)
class SentenceScore:
    gold: int
    predicted: int
    correct: int
    precision: float
    recall: float
    f1: float


def sentence_score(gold: list[str], predicted: list[str]) -> SentenceScore:
    """score_gold.py's `f1`: each predicted sentence takes one equal gold sentence."""
    rest = [norm(x) for x in gold]
    correct = 0
    for x in map(norm, predicted):
        if x in rest:
            rest.remove(x)
            correct += 1
    precision = correct / len(predicted) if predicted else 0.0
    recall = correct / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if correct else 0.0
    return SentenceScore(len(gold), len(predicted), correct, precision, recall, f1)


def char3_f(a: str, b: str) -> float:
    """Character 3-gram F-score of two strings (1.0 when equal)."""
    if a == b:
        return 1.0
    grams_a = [a[i:i + 3] for i in range(max(len(a) - 2, 1))]
    grams_b = [b[i:i + 3] for i in range(max(len(b) - 2, 1))]
    rest = list(grams_b)
    common = 0
    for gram in grams_a:
        if gram in rest:
            rest.remove(gram)
            common += 1
    return 2 * common / (len(grams_a) + len(grams_b)) if grams_a and grams_b else 0.0


def same_quote(a: str, b: str) -> bool:
    """Two quotation texts are the same quotation when equal, when one holds the other and is at least
    60% of its length, or when their character 3-grams agree at F ≥ 0.8: where a mark is missing or
    stray, two careful annotators put the boundary a few words apart."""
    if a == b:
        return True
    if a and b and (a in b or b in a) and min(len(a), len(b)) >= 0.6 * max(len(a), len(b)):
        return True
    return char3_f(a, b) >= 0.8


def match_quotes(gold: list[str], predicted: list[str]) -> dict[int, int]:
    """Gold index → predicted index: exact matches first, then `same_quote`, each prediction used once."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for i, g in enumerate(gold):
            if i in pairs:
                continue
            for j, p in enumerate(predicted):
                if j not in used and (g == p if exact else same_quote(g, p)):
                    pairs[i] = j
                    used.add(j)
                    break
    return pairs


def speaker_names(gold: dict, speaker: str) -> set[str]:
    """The names that count as right for a gold speaker: itself and its aliases."""
    return {norm(a) for a in gold.get("speaker_aliases", {}).get(speaker, [speaker])} | {norm(speaker)}
