"""Sentence segmentation against the gold files: our precision, recall and F1 beside pysbd's.

Run `python -m eval.segmentation` (add `--check` to exit 1 when a file misses the bar: F1 ≥ 0.95
and ahead of pysbd). Both segmenters read the same normalized body text; sentences are compared
as exact strings after the same character normalization and whitespace collapsing, with a
leading bullet marker and the dateline (which a gold file may keep or drop) set aside.

Two tables: the gold files of the development samples (tests/gold, samples/), which the rules
were tuned on, and the held-out constructed articles (tests/heldout), which they were not.
`--only gold|heldout` prints one of them; `--diff` lists each file's missed and spurious sentences.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from eval.common import GOLD, ROOT, SAMPLES, Score, format_table, gold_files, sample_for, score
from pipeline.reader import read_file
from pipeline.stages.normalize import Normalize, normalize_chars
from pipeline.stages.segment import Segment

BAR_F1 = 0.95
HELDOUT = ROOT / "tests" / "heldout"  # constructed articles and their gold, side by side
# The sets of files: a title, the gold folder, and the folder of the articles.
SETS = {
    "gold": ("development samples (tests/gold)", GOLD, SAMPLES),
    "heldout": ("held-out constructed articles (tests/heldout)", HELDOUT, HELDOUT),
}
_BULLET = re.compile(r"^[-–—•*·▪●◦]\s+")


@dataclass(frozen=True)
class Row:
    name: str
    gold_sentences: int
    ours: Score
    pysbd: Score
    missed: tuple[str, ...] = ()  # gold sentences we did not produce
    spurious: tuple[str, ...] = ()  # sentences we produced that the gold does not have


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
        missed = Counter(expected) - Counter(ours)
        spurious = Counter(ours) - Counter(expected)
        rows.append(Row(gold.name.split(".")[0], len(expected), score(ours, expected), score(theirs, expected),
                        tuple(s for s in expected if missed[s]), tuple(s for s in ours if spurious[s])))
    return rows


def meets_bar(row: Row) -> bool:
    return row.ours.f1 >= BAR_F1 and row.ours.f1 > row.pysbd.f1


def table(rows: list[Row]) -> str:
    return format_table(
        ["file", "sentences", "ours P", "ours R", "ours F1", "pysbd P", "pysbd R", "pysbd F1", "bar"],
        [[r.name, r.gold_sentences, r.ours.precision, r.ours.recall, r.ours.f1,
          r.pysbd.precision, r.pysbd.recall, r.pysbd.f1, "ok" if meets_bar(r) else "MISSED"] for r in rows],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.segmentation", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help=f"exit 1 unless every file has F1 ≥ {BAR_F1} "
                        "and beats pysbd")
    parser.add_argument("--only", choices=sorted(SETS), help="evaluate one set of files")
    parser.add_argument("--diff", action="store_true", help="list the missed and spurious sentences of each file")
    args = parser.parse_args(argv)
    print("Sentence segmentation (exact match after whitespace normalization)")
    below: list[str] = []
    for key, (title, gold_dir, articles) in SETS.items():
        if args.only and key != args.only:
            continue
        rows = evaluate(gold_dir, articles)
        print(f"\n{title}")
        print(table(rows))
        below += [r.name for r in rows if not meets_bar(r)]
        if args.diff:
            for r in rows:
                for label, sentences in (("missed", r.missed), ("spurious", r.spurious)):
                    for sentence in sentences:
                        print(f"  {r.name} {label}: {sentence}")
    if below:
        print(f"\nbelow the bar (F1 ≥ {BAR_F1} and ahead of pysbd): {', '.join(below)}")
    return 1 if args.check and below else 0


if __name__ == "__main__":
    sys.exit(main())
