"""Summary evaluation: ROUGE-1/2/L of the extractive summary against the gold reference summaries,
beside a lead-3 baseline, on every sample (no model: the English is the reference translation's).

    .venv/bin/python -m eval.summaries
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.document import Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLD = ROOT / "tests" / "gold"
METRICS = ("rouge1", "rouge2", "rougeL")


@dataclass
class Row:
    name: str
    sentences: int
    picked: list[int]
    summary: dict[str, float]
    lead3: dict[str, float]
    pairing: str


def samples() -> list[str]:
    """Every sample that has a reference translation and a gold summary."""
    return sorted(
        p.name.removesuffix(".ar.txt")
        for p in SAMPLES.glob("*.ar.txt")
        if (SAMPLES / p.name.replace(".ar.txt", ".en.txt")).exists()
        and (GOLD / p.name.replace(".ar.txt", ".summary.txt")).exists()
    )


def analyse(name: str, stages: list[str]) -> Document:
    """The sample read and run through `stages` (no model among them)."""
    from pipeline import Pipeline

    return Pipeline.from_config(stages=stages).read(SAMPLES / f"{name}.ar.txt")


def english_sentences(doc: Document, english: str) -> tuple[list[str], str]:
    """The reference English of each of the document's sentences, and how it was paired.

    The reference has one line per body paragraph and, sentence for sentence, one English sentence
    per Arabic one; where the segmenter agrees with that split (same paragraphs, same counts), the
    pairing is by position. Otherwise the aligner pairs them (pipeline.align_text), and failing that
    each paragraph's English sentences are shared out among its Arabic sentences in order."""
    import pysbd

    splitter = pysbd.Segmenter(language="en", clean=False)
    lines = [line.strip() for line in english.splitlines() if line.strip()]
    per_line = [[s.strip() for s in splitter.segment(line) if s.strip()] for line in lines]
    paragraphs = doc.paragraphs or []
    counts = [len(p.sentences) for p in paragraphs]
    if counts == [len(s) for s in per_line]:
        return [s for line in per_line for s in line], "by position"
    try:
        from pipeline.align_text import align_texts  # the aligner, where it exists

        aligned = align_texts(doc, english)
        return [s.translation or "" for s in aligned.sentences or []], "aligned"
    except ImportError:
        pass
    out: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        pieces = per_line[i] if i < len(per_line) else []
        n = len(paragraph.sentences)
        for k in range(n):
            share = pieces[k * len(pieces) // n : (k + 1) * len(pieces) // n]
            out.append(" ".join(share))
    return out, "shared out"


def evaluate(name: str, stages: list[str], scorer) -> Row:
    from pipeline.stages.summarize import Summarize

    doc = analyse(name, stages)
    english, pairing = english_sentences(doc, (SAMPLES / f"{name}.en.txt").read_text(encoding="utf-8"))
    for sentence, text in zip(doc.sentences or [], english, strict=False):
        sentence.translation = text
    doc = Summarize()(doc)
    ids = [s.id for s in doc.sentences or []]
    picked = [ids.index(sid) for sid in doc.summary.sentences]
    reference = (GOLD / f"{name}.summary.txt").read_text(encoding="utf-8")
    lead3 = " ".join(english[:3])
    return Row(
        name=name,
        sentences=len(ids),
        picked=picked,
        summary=_f1(scorer.score(reference, doc.summary.text["en"])),
        lead3=_f1(scorer.score(reference, lead3)),
        pairing=pairing,
    )


def _f1(scores) -> dict[str, float]:
    return {m: scores[m].fmeasure for m in METRICS}


def main() -> bool:
    """Print the table; True when the extractive summary's mean ROUGE-L is ahead of lead-3's."""
    from rouge_score import rouge_scorer

    from pipeline.stages import registry

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    known = registry()
    stages = [s for s in ("normalize", "segment", "quotes") if s in known]
    rows = [evaluate(name, stages, scorer) for name in samples()]
    if not rows:
        print("no sample has both a reference translation and a gold summary", file=sys.stderr)
        return False

    print("Summaries: ROUGE F1 against tests/gold/*.summary.txt (English of the picked sentences: "
          "the reference translation's)")
    print(f"stages: {', '.join(stages)}, summarize (extractive, 3 sentences)\n")
    head = f"{'sample':36} {'sent':>4}  {'picked':14} {'R-1':>5} {'R-2':>5} {'R-L':>5}  |  lead-3 {'R-1':>5} {'R-2':>5} {'R-L':>5}"
    print(head)
    print("-" * len(head))
    for r in rows:
        picked = ",".join(str(i + 1) for i in r.picked)
        print(f"{r.name:36} {r.sentences:>4}  {picked:14} " + " ".join(f"{r.summary[m]:5.3f}" for m in METRICS)
              + "  |         " + " ".join(f"{r.lead3[m]:5.3f}" for m in METRICS))
    mean = {m: sum(r.summary[m] for r in rows) / len(rows) for m in METRICS}
    lead = {m: sum(r.lead3[m] for r in rows) / len(rows) for m in METRICS}
    print("-" * len(head))
    print(f"{'mean':36} {'':>4}  {'':14} " + " ".join(f"{mean[m]:5.3f}" for m in METRICS)
          + "  |         " + " ".join(f"{lead[m]:5.3f}" for m in METRICS))
    pairings = sorted({r.pairing for r in rows})
    print(f"\nEnglish paired with the Arabic sentences: {', '.join(pairings)}")
    ahead = mean["rougeL"] > lead["rougeL"]
    print(f"bar: mean ROUGE-L of the extractive summary ({mean['rougeL']:.3f}) "
          f"{'is ahead of' if ahead else 'is NOT ahead of'} lead-3 ({lead['rougeL']:.3f})")
    return ahead


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
