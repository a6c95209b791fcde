"""A plain length-based sentence aligner (Gale and Church, 1993): the baseline `tarjama align` must beat.

Standard library only, so that the hidden-set scorer can run it in place of tarjama:

    python3 eval/baseline_align.py align AR.txt EN.txt --format json -o OUT.json

(`../shared/tools/align_all.py --cmd "python3 eval/baseline_align.py"`). Both texts are cut
into sentences after . ! ? ؟ (and closing marks) before a space, paragraphs ignored; the
sentences are aligned by dynamic programming over 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2 beads, the cost
of a bead being -log of its prior and of the probability of its length ratio under a normal
model, with the mean ratio of the document's whole texts. No anchors, no quotations.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

# Gale and Church's bead priors and variance.
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089, (2, 2): 0.011}
VARIANCE = 6.8
SENTENCE_END = re.compile(r"[.!?؟…]+[\"'”’»)\]]*\s+")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of `text`: cut after end punctuation and at line breaks."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in SENTENCE_END.finditer(line.group() + " "):
            end = line.start() + min(m.end(), len(line.group()))
            if text[start:end].strip():
                spans.append((start, end))
            start = end
        if text[start : line.end()].strip():
            spans.append((start, line.end()))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), a + len(text[a:b].rstrip())) for a, b in spans]


def _cost(ar: int, en: int, ratio: float, prior: float) -> float:
    if ar == 0 or en == 0:
        return -math.log(prior)
    expected = ar * ratio
    z = (en - expected) / math.sqrt(VARIANCE * max(1.0, (expected + en) / 2))
    tail = math.erfc(abs(z) / math.sqrt(2))
    return -math.log(prior) - math.log(max(tail, 1e-12))


def align(ar_lengths: list[int], en_lengths: list[int]) -> list[tuple[list[int], list[int]]]:
    """Beads (Arabic indices, English indices) of the cheapest monotone alignment."""
    n, m = len(ar_lengths), len(en_lengths)
    ratio = sum(en_lengths) / max(1, sum(ar_lengths)) if en_lengths else 1.0
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == inf:
                continue
            for (da, de), prior in PRIORS.items():
                if i + da > n or j + de > m:
                    continue
                cost = best[i][j] + _cost(sum(ar_lengths[i : i + da]), sum(en_lengths[j : j + de]), ratio, prior)
                if cost < best[i + da][j + de]:
                    best[i + da][j + de], back[i + da][j + de] = cost, (da, de)
    beads = []
    i, j = n, m
    while i or j:
        da, de = back[i][j]  # type: ignore[misc]
        beads.append((list(range(i - da, i)), list(range(j - de, j))))
        i, j = i - da, j - de
    return beads[::-1]


def align_document(arabic: str, english: str) -> dict:
    """A tarjama.document/1 object: the Arabic text, its sentences, each with the English aligned
    to it (an English sentence with no Arabic one joins the Arabic sentence before it)."""
    ar = sentences(arabic)
    en = sentences(english)
    en_text = [english[a:b] for a, b in en]
    out = [{"id": f"s{k + 1}", "start": a, "end": b, "text": arabic[a:b], "translation": ""}
           for k, (a, b) in enumerate(ar)]
    last = None
    for ar_ids, en_ids in align([b - a for a, b in ar], [b - a for a, b in en]):
        text = " ".join(en_text[k] for k in en_ids)
        if not ar_ids:
            if last is not None and text:
                out[last]["translation"] = (out[last]["translation"] + " " + text).strip()
            continue
        # Two Arabic sentences against English: all of it to the first, none to the second (a
        # length-based aligner has no way to cut an English sentence).
        out[ar_ids[0]]["translation"] = text
        last = ar_ids[-1]
    return {"format": "tarjama.document/1", "text": arabic, "sentences": out, "quotes": []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="baseline_align", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("align")
    p.add_argument("ar")
    p.add_argument("en")
    p.add_argument("--format", default="json", choices=["json"])
    p.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    arabic = Path(args.ar).read_text(encoding="utf-8-sig")
    english = Path(args.en).read_text(encoding="utf-8-sig")
    Path(args.output).write_text(json.dumps(align_document(arabic, english), ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
