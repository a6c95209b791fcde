"""Speakers by sieve on the real corpus: how many speakers each sieve gave, and how many were right.

Run `python -m eval.speakers` (part of `make eval`). Reads the annotated articles of the shared corpus
(`../shared/corpus`: `articles/NAME.ar.txt` and `gold/NAME.quotes.json`, see its ANNOTATION.md), runs
read, normalize, segment and quotes on each, and pairs each gold quotation with a predicted one whose
text is the same after folding (or holds it, or is held by it, at 60% of its length or more). A
speaker is right when its resolved name is the gold speaker or one of its aliases, wrong when it is
another name; `none` counts the gold speakers left without one. Each sieve's precision is right over
given: the order of the sieves should keep the precise ones first. The bar (issue 15): accuracy of
0.90 or more over the gold speakers, and a wrong speaker for at most 5% of them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from eval.common import ROOT, format_table
from eval.quotes import comparable, run_pipeline
from pipeline.arabic import fold
from pipeline.document import Quote

CORPUS = ROOT.parent / "shared" / "corpus"
BAR_ACCURACY = 0.90
BAR_WRONG = 0.05


@dataclass
class Tally:
    """Speakers over the corpus: per sieve, given and right; overall, gold, right, wrong and none."""

    given: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    gold: int = 0
    correct: int = 0
    wrong: int = 0
    none: int = 0
    unmatched: int = 0  # gold quotations with a speaker that no predicted quotation matched
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def wrong_rate(self) -> float:
        return self.wrong / self.gold if self.gold else 0.0


def same_text(gold: str, found: str) -> bool:
    """The same quotation: equal, or one holds the other and is 60% of its length or more (where a
    mark is missing, annotators and the stage put the boundary a few words apart)."""
    if gold == found:
        return True
    return bool(gold and found) and (gold in found or found in gold) and \
        min(len(gold), len(found)) >= 0.6 * max(len(gold), len(found))


def add_article(tally: Tally, name: str, gold: dict, predicted: list[Quote]) -> None:
    """Count one article's gold speakers into `tally`."""
    aliases = {fold(k): {fold(a) for a in v} | {fold(k)} for k, v in gold.get("speaker_aliases", {}).items()}
    found = [(comparable(q.text), q) for q in predicted]
    used: set[int] = set()
    for g in gold["quotes"]:
        want = comparable(g["text"])
        k = next((i for i, (text, _) in enumerate(found) if i not in used and text == want), None)
        if k is None:
            k = next((i for i, (text, _) in enumerate(found) if i not in used and same_text(want, text)), None)
        if k is not None:
            used.add(k)
        if not g.get("speaker"):
            continue
        tally.gold += 1
        if k is None:
            tally.unmatched += 1
            continue
        speaker = found[k][1].speaker
        if speaker is None:
            tally.none += 1
            continue
        method = speaker.method or "-"
        tally.given[method] += 1
        if fold(speaker.name) in aliases.get(fold(g["speaker"]), {fold(g["speaker"])}):
            tally.correct += 1
            tally.right[method] += 1
        else:
            tally.wrong += 1
            tally.misses.append(f"{name}: [{method}] {speaker.name} (gold {g['speaker']})")


def evaluate(corpus: Path = CORPUS) -> Tally:
    tally = Tally()
    for gold_path in sorted((corpus / "gold").glob("*.quotes.json")):
        name = gold_path.name.split(".")[0]
        article = corpus / "articles" / f"{name}.ar.txt"
        if not article.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        try:
            doc = run_pipeline(article)
        except Exception as error:  # one article's crash is reported, not the end of the table
            tally.misses.append(f"{name}: crashed ({type(error).__name__}: {error})")
            tally.gold += sum(1 for g in gold["quotes"] if g.get("speaker"))
            continue
        add_article(tally, name, gold, [q for q in doc.quotes or [] if q.is_quotation])
    return tally


def table(tally: Tally) -> str:
    rows = [[method, tally.given[method], tally.right[method], tally.given[method] - tally.right[method],
             tally.right[method] / tally.given[method]]
            for method in sorted(tally.given, key=lambda m: -tally.given[m])]
    rows.append(["all sieves", sum(tally.given.values()), tally.correct, tally.wrong,
                 tally.correct / max(sum(tally.given.values()), 1)])
    return format_table(["sieve", "given", "right", "wrong", "precision"], rows)


def meets_bar(tally: Tally) -> bool:
    return tally.accuracy >= BAR_ACCURACY and tally.wrong_rate <= BAR_WRONG


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.speakers", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder with articles/ and gold/")
    parser.add_argument("--verbose", action="store_true", help="list every wrong speaker")
    args = parser.parse_args(argv)
    if not (args.corpus / "gold").is_dir():
        print(f"no corpus at {args.corpus}; skipped")
        return 0
    tally = evaluate(args.corpus)
    print(f"Speakers by sieve (gold: {args.corpus}/gold/*.quotes.json)")
    print(table(tally))
    print(f"gold speakers {tally.gold}: right {tally.correct} (accuracy {tally.accuracy:.3f}), wrong {tally.wrong} "
          f"({tally.wrong_rate:.1%}), none {tally.none}, quotation not found {tally.unmatched}; bar: accuracy >= "
          f"{BAR_ACCURACY:.2f} and wrong <= {BAR_WRONG:.0%}: {'met' if meets_bar(tally) else 'MISSED'}")
    if args.verbose:
        for line in tally.misses:
            print(f"  {line}")
    return 0 if meets_bar(tally) else 1


if __name__ == "__main__":
    sys.exit(main())
