"""Summary evaluation: ROUGE-1/2/L of the extractive summary against the gold reference summaries,
beside a lead-3 baseline, on every sample (no model: the English is the reference translation's).

    .venv/bin/python -m eval.summaries
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from eval.common import GOLD, SAMPLES, format_table, reference_sentences
from pipeline.document import Document

METRICS = ("rouge1", "rouge2", "rougeL")


@dataclass
class Row:
    name: str
    sentences: int
    picked: list[int]
    summary: dict[str, float]
    lead3: dict[str, float]
    pairing: str  # aligned sentences that agree with the positional pairing
    key_quotes: list[str]


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


def positional_english(doc: Document, english: str) -> list[str] | None:
    """The reference has one line per body paragraph and, sentence for sentence, one English
    sentence per Arabic one: where the segmenter's paragraphs and counts agree with it, the English
    of each sentence by position (a check on the aligner), else None."""
    lines = [line.strip() for line in english.splitlines() if line.strip()]
    per_line = [[s.strip() for s in reference_sentences(line) if s.strip()] for line in lines]
    if [len(p.sentences) for p in doc.paragraphs or []] != [len(s) for s in per_line]:
        return None
    return [s for line in per_line for s in line]


def evaluate(name: str, stages: list[str], scorer) -> Row:
    from pipeline.align.reference import align_document
    from pipeline.stages.summarize import Summarize

    doc = analyse(name, stages)
    english = (SAMPLES / f"{name}.en.txt").read_text(encoding="utf-8")
    by_position = positional_english(doc, english)
    # The aligner gives each sentence its English, each quotation its span, each speaker a name.
    align_document(doc, english)
    aligned = [s.translation or "" for s in doc.sentences or []]
    agree = sum(a.strip() == b.strip() for a, b in zip(aligned, by_position or [], strict=False))
    pairing = f"{agree}/{len(aligned)}" if by_position is not None else "n/a"
    doc = Summarize()(doc)
    ids = [s.id for s in doc.sentences or []]
    picked = [ids.index(sid) for sid in doc.summary.sentences]
    reference = (GOLD / f"{name}.summary.txt").read_text(encoding="utf-8")
    return Row(
        name=name,
        sentences=len(ids),
        picked=picked,
        summary=_f1(scorer.score(reference, doc.summary.text["en"])),
        lead3=_f1(scorer.score(reference, " ".join(aligned[:3]))),
        pairing=pairing,
        key_quotes=[_speaker(k) for k in doc.summary.key_quotes],
    )


def _speaker(item: dict) -> str:
    who = item["speaker_en"] or item["speaker"] or "(no speaker)"
    return who if item["en"] else f"{who} (no English)"


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

    print("Summaries: ROUGE F1 against tests/gold/*.summary.txt. No model: the English of the picked")
    print("sentences is the reference translation's, aligned by pipeline.align.reference.")
    print(f"Stages: {', '.join(stages)}, align (reference), summarize (extractive, default settings).\n")
    mean = {m: sum(r.summary[m] for r in rows) / len(rows) for m in METRICS}
    lead = {m: sum(r.lead3[m] for r in rows) / len(rows) for m in METRICS}
    table = [[r.name, r.sentences, ",".join(str(i + 1) for i in r.picked),
              *(r.summary[m] for m in METRICS), *(r.lead3[m] for m in METRICS)] for r in rows]
    table.append(["mean", "", "", *(mean[m] for m in METRICS), *(lead[m] for m in METRICS)])
    print(format_table(["sample", "sentences", "picked", "R-1", "R-2", "R-L",
                        "lead-3 R-1", "lead-3 R-2", "lead-3 R-L"], table))
    print("\nKey quotations (speaker, best first):")
    for r in rows:
        print(f"  {r.name}: {'; '.join(r.key_quotes) or '(none)'}")
    print("Aligned English equal to the positional pairing: "
          + ", ".join(f"{r.name.split('-')[0]} {r.pairing}" for r in rows))
    ahead = mean["rougeL"] > lead["rougeL"]
    print(f"bar: mean ROUGE-L of the extractive summary ({mean['rougeL']:.3f}) "
          f"{'is ahead of' if ahead else 'is NOT ahead of'} lead-3 ({lead['rougeL']:.3f})")
    return ahead


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
