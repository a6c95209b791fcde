"""Recompute the length-ratio constants of pipeline/qa/length.py from professional translations (ntrex-dev).

Run `python -m eval.calibrate_length`. Sentence pairs: the gold pairs of the 56 ntrex-dev
documents (NTREX-128 news, professional translations; eval/ntrex.py), each pair one Arabic and one
English sentence (or two of one side). For each pair the log ratio of letters and digits (English
over Arabic) is taken; its mean is LOG_RATIO_MEAN, and the squared deviations are fitted by least
squares as VARIANCE_FLOOR + VARIANCE_PER_CHAR / n (n: Arabic letters), since short sentences vary
more. The script prints the constants to paste, how many pairs fall beyond 2, 3, 4 and 5
deviations, and the deviations of the most extreme pairs (the length_ratio rule warns only beyond
what unchanged professional translations reach).
"""

from __future__ import annotations

import json
import math
import statistics
import sys

from eval.ntrex import NTREX
from pipeline.qa import length


def sentence_pairs() -> list[tuple[str, str]]:
    """(Arabic, English) gold pairs of every ntrex-dev document."""
    pairs: list[tuple[str, str]] = []
    for gold in sorted((NTREX / "parallel").glob("*.gold.json")):
        pairs.extend((ar, en) for ar, en in json.loads(gold.read_text(encoding="utf-8"))["pairs"])
    return pairs


def calibrate(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """(mean log ratio, variance floor, variance per Arabic letter) of the sentence pairs."""
    points = [(math.log(length.letters(en) / length.letters(ar)), length.letters(ar))
              for ar, en in pairs if length.letters(ar) and length.letters(en)]
    mean = statistics.fmean(r for r, _ in points)
    xs = [1 / n for _, n in points]
    ys = [(r - mean) ** 2 for r, _ in points]
    x_mean, y_mean = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True)) / sum((x - x_mean) ** 2 for x in xs)
    return mean, y_mean - slope * x_mean, slope


def main() -> bool:
    pairs = sentence_pairs()
    mean, floor, per_char = calibrate(pairs)
    print(f"{len(pairs)} sentence pairs")
    print(f"LOG_RATIO_MEAN = {mean:.4f}")
    print(f"VARIANCE_FLOOR = {floor:.6f}")
    print(f"VARIANCE_PER_CHAR = {per_char:.4f}")
    zs = [length.length_z(ar, en) or 0.0 for ar, en in pairs if length.letters(ar) >= 15]
    for k in (2, 3, 4, 5):
        print(f"beyond {k} deviations with the constants in pipeline/qa/length.py: {sum(abs(z) > k for z in zs)}")
    print("most extreme:", ", ".join(f"{z:.1f}" for z in sorted(zs, key=abs)[-8:]))
    return True


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
