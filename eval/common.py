"""Helpers shared by the evaluations: where samples and gold files live, precision/recall/F1, tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLD = ROOT / "tests" / "gold"


def reference_sentences(line: str) -> list[str]:
    """The sentences of one line of a reference translation, as they pair with the gold's Arabic
    sentences: pysbd's, with a quotation of several sentences (which pysbd keeps whole) cut at its
    sentence ends, as the gold cuts the Arabic (../shared/corpus/ANNOTATION.md)."""
    import pysbd

    from pipeline.align.english import english_sentences

    splitter = pysbd.Segmenter(language="en", clean=False)
    return [s for whole in splitter.segment(line) for s in english_sentences(whole.strip())
            if s.strip()]


def gold_files(suffix: str, gold_dir: Path = GOLD) -> list[Path]:
    """Gold files named `<sample>.<suffix>`, sorted by name."""
    return sorted(gold_dir.glob(f"*.{suffix}"))


def sample_for(gold: Path, samples: Path = SAMPLES) -> Path:
    """The Arabic sample a gold file describes: `tests/gold/x.sentences.txt` → `samples/x.ar.txt`."""
    return samples / f"{gold.name.split('.')[0]}.ar.txt"


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    found: int
    expected: int
    correct: int


def score(found: Iterable[str], expected: Iterable[str]) -> Score:
    """Exact-match precision, recall and F1 of two multisets of strings."""
    found_counts, expected_counts = Counter(found), Counter(expected)
    correct = sum((found_counts & expected_counts).values())
    n_found, n_expected = sum(found_counts.values()), sum(expected_counts.values())
    precision = correct / n_found if n_found else 0.0
    recall = correct / n_expected if n_expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, n_found, n_expected, correct)


def one_paragraph(english: str) -> str:
    """A reference reshaped as a translator who writes the article as one paragraph would."""
    return " ".join(line.strip() for line in english.splitlines() if line.strip()) + "\n"


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain fixed-width table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in row]
                                           for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for k, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
