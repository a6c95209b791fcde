"""Sentence segmentation against the gold files: our precision, recall and F1 beside pysbd's.

Run `python -m eval.segmentation` (add `--check` to exit 1 when a file misses the bar: F1 ≥ 0.95
and ahead of pysbd). Both segmenters read the same normalized body text; sentences are compared
as exact strings after the same character normalization and whitespace collapsing, with a
leading bullet marker and the dateline (which a gold file may keep or drop) set aside.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from eval.common import GOLD, SAMPLES, Score, format_table, gold_files, sample_for, score
from pipeline.reader import read_file
from pipeline.stages.normalize import Normalize, normalize_chars
from pipeline.stages.segment import Segment

BAR_F1 = 0.95
_BULLET = re.compile(r"^[-–—•*·▪●◦]\s+")


@dataclass(frozen=True)
class Row:
    name: str
    gold_sentences: int
    ours: Score
    pysbd: Score


def comparable(sentence: str, dateline: str | None = None) -> str:
    """A sentence as the comparison sees it."""
    text = re.sub(r"\s+", " ", normalize_chars(sentence)[0]).strip()
    text = _BULLET.sub("", text)
    if dateline:
        line = re.sub(r"\s+", " ", normalize_chars(dateline)[0]).strip()
        if text.startswith(line):
            text = text[len(line):].lstrip(" -–—:،,")
    return text


def pysbd_sentences(paragraphs: list[str]) -> list[str]:
    import pysbd

    segmenter = pysbd.Segmenter(language="ar", clean=False)
    return [s for paragraph in paragraphs for s in segmenter.segment(paragraph)]


def evaluate(gold_dir: Path = GOLD, samples: Path = SAMPLES) -> list[Row]:
    """One row per `*.sentences.txt` gold file."""
    rows = []
    for gold in gold_files("sentences.txt", gold_dir):
        doc = Segment()(Normalize()(read_file(sample_for(gold, samples))))
        dateline = doc.meta.get("dateline")

        def prepare(sentences: list[str], dateline: str | None = dateline) -> list[str]:
            return [c for c in (comparable(s, dateline) for s in sentences) if c]

        expected = prepare([line for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()])
        ours = prepare([s.text for s in doc.sentences])
        theirs = prepare(pysbd_sentences([doc.text[p.start:p.end] for p in doc.paragraphs]))
        rows.append(Row(gold.name.split(".")[0], len(expected), score(ours, expected), score(theirs, expected)))
    return rows


def meets_bar(row: Row) -> bool:
    return row.ours.f1 >= BAR_F1 and row.ours.f1 > row.pysbd.f1


def table(rows: list[Row]) -> str:
    return format_table(
        ["gold file", "sentences", "ours P", "ours R", "ours F1", "pysbd P", "pysbd R", "pysbd F1", "bar"],
        [[r.name, r.gold_sentences, r.ours.precision, r.ours.recall, r.ours.f1,
          r.pysbd.precision, r.pysbd.recall, r.pysbd.f1, "ok" if meets_bar(r) else "MISSED"] for r in rows],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.segmentation", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help=f"exit 1 unless every file has F1 ≥ {BAR_F1} "
                        "and beats pysbd")
    args = parser.parse_args(argv)
    rows = evaluate()
    print("Sentence segmentation (exact match after whitespace normalization)")
    print(table(rows))
    missed = [r.name for r in rows if not meets_bar(r)]
    if missed:
        print(f"below the bar (F1 ≥ {BAR_F1} and ahead of pysbd): {', '.join(missed)}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
