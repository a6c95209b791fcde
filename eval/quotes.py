"""Quotations and speakers against the gold files: quotation precision, recall and F1, speaker accuracy.

Run `python -m eval.quotes` (`--verbose` lists every miss, `--check` exits 1 when a file misses the
bar: F1 ≥ 0.95, no name counted as a quotation, speaker accuracy ≥ 0.9). Two tables: the real
samples against tests/gold, then the constructed held-out texts of tests/heldout-quotes (written,
with their gold, in quotation styles the samples lack; see its README). Each text goes through
read, normalize, segment and quotes. A predicted quotation (speech, phrase or nested) matches a gold
one when their texts are equal after letter folding, whitespace collapsing and with quotation marks
and edge punctuation stripped; each gold quotation matches at most one prediction. A speaker is
right when the resolved name equals the gold speaker; the mention is right when it is one of the
gold speaker's aliases.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from eval.common import GOLD, ROOT, SAMPLES, Score, format_table, gold_files, sample_for, score
from pipeline.arabic import fold
from pipeline.document import Document, Quote
from pipeline.reader import read_file
from pipeline.stages.normalize import Normalize
from pipeline.stages.quotes import MARKS, Quotes
from pipeline.stages.segment import Segment

HELDOUT = ROOT / "tests" / "heldout-quotes"  # constructed texts and their gold, side by side
BAR_F1 = 0.95
BAR_SPEAKERS = 0.9
_EDGES = " \t\n.,،؛;:!?؟…-–—()[]"


@dataclass
class Row:
    name: str
    quotes: Score
    speakers_right: int
    speakers_total: int
    mentions_right: int
    names_as_quotes: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)  # human-readable, for --verbose

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.speakers_total if self.speakers_total else 1.0

    @property
    def mention_accuracy(self) -> float:
        return self.mentions_right / self.speakers_total if self.speakers_total else 1.0


def comparable(text: str) -> str:
    """A quotation's text as the comparison sees it."""
    text = "".join(" " if c in MARKS else c for c in text)
    return fold(text).strip(_EDGES)  # fold collapses whitespace itself


def run_pipeline(path: Path) -> Document:
    return Quotes()(Segment()(Normalize()(read_file(path))))


def evaluate(gold_dir: Path = GOLD, samples: Path = SAMPLES) -> list[Row]:
    """One row per `*.quotes.json` gold file that has its sample."""
    rows = []
    for gold_path in gold_files("quotes.json", gold_dir):
        sample = sample_for(gold_path, samples)
        if not sample.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = run_pipeline(sample)
        rows.append(compare(gold_path.name.split(".")[0], gold, [q for q in doc.quotes or [] if q.is_quotation]))
    return rows


def compare(name: str, gold: dict, predicted: list[Quote]) -> Row:
    expected = gold["quotes"]
    found = [comparable(q.text) for q in predicted]
    quotes = score(found, [comparable(g["text"]) for g in expected])
    not_quotes = {comparable(t) for t in gold.get("not_quotes", [])}
    aliases = {fold(k): {fold(a) for a in v} | {fold(k)} for k, v in gold.get("speaker_aliases", {}).items()}
    row = Row(name, quotes, 0, 0, 0)
    row.names_as_quotes = [q.text for q in predicted if comparable(q.text) in not_quotes]
    unmatched = list(predicted)
    for g in expected:
        want = comparable(g["text"])
        match = next((q for q in unmatched if comparable(q.text) == want), None)
        if match is None:
            row.misses.append(f"missed   {_short(g['text'])}")
            continue
        unmatched.remove(match)
        if not g.get("speaker"):
            continue
        row.speakers_total += 1
        got = match.speaker.name if match.speaker else ""
        if fold(got) == fold(g["speaker"]):
            row.speakers_right += 1
        else:
            row.misses.append(f"speaker  {_short(g['text'])}: {got or '-'} (gold {g['speaker']})")
        mention = fold(match.speaker.mention) if match.speaker else ""
        if mention in aliases.get(fold(g["speaker"]), set()):
            row.mentions_right += 1
    for q in unmatched:
        row.misses.append(f"extra    {_short(q.text)} [{q.kind}]")
    return row


def _short(text: str, n: int = 60) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= n else text[: n - 1] + "…"


def meets_bar(row: Row) -> bool:
    return row.quotes.f1 >= BAR_F1 and not row.names_as_quotes and row.speaker_accuracy >= BAR_SPEAKERS


def table(rows: Iterable[Row]) -> str:
    return format_table(
        ["gold file", "gold", "found", "P", "R", "F1", "names as quotes", "speaker acc", "mention acc", "bar"],
        [[r.name, r.quotes.expected, r.quotes.found, r.quotes.precision, r.quotes.recall, r.quotes.f1,
          len(r.names_as_quotes), r.speaker_accuracy, r.mention_accuracy, "ok" if meets_bar(r) else "MISSED"]
         for r in rows],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.quotes", description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every missed, extra or misattributed quotation")
    parser.add_argument("--check", action="store_true", help="exit 1 when a gold file misses the bar")
    args = parser.parse_args(argv)
    rows = evaluate()
    heldout = evaluate(HELDOUT, HELDOUT)
    for title, part in (("Quotations and speakers (gold: tests/gold/*.quotes.json)", rows),
                        ("Held-out quotation styles (tests/heldout-quotes: constructed texts)", heldout)):
        print(title)
        print(table(part))
        if args.verbose:
            for row in part:
                for line in row.misses + [f"name as quote  {t}" for t in row.names_as_quotes]:
                    print(f"  {row.name}: {line}")
        print()
    return 1 if args.check and not all(meets_bar(r) for r in rows + heldout) else 0


if __name__ == "__main__":
    sys.exit(main())
