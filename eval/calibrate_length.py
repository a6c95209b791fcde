"""Recompute the length-ratio constants of pipeline/qa/length.py from the reference translations.

Run `.venv/bin/python -m eval.calibrate_length`. Sentence pairs: the gold Arabic sentences of each
sample (tests/gold/NAME.sentences.txt) and the English reference (samples/NAME.en.txt) split into
sentences with pysbd line by line; the references go sentence for sentence, so the k-th of each
pair up (a sample whose counts differ is left out and named). For each pair the log ratio of
letters and digits (English over Arabic) is taken; its mean is LOG_RATIO_MEAN, and the squared
deviations are fitted by least squares as VARIANCE_FLOOR + VARIANCE_PER_CHAR / n (n: Arabic letters),
since short sentences vary more. The script prints the constants to paste and how many pairs
fall beyond 2, 3 and 4 deviations.
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

from eval.common import GOLD, SAMPLES, reference_sentences
from pipeline.qa import length


def sentence_pairs(samples: Path = SAMPLES, gold: Path = GOLD) -> list[tuple[str, str]]:
    """(Arabic sentence, English sentence) pairs of every sample with a reference translation."""
    pairs: list[tuple[str, str]] = []
    for english_path in sorted(samples.glob("*.en.txt")):
        name = english_path.name.removesuffix(".en.txt")
        gold_path = gold / f"{name}.sentences.txt"
        if not gold_path.exists():
            continue
        arabic = [line.strip() for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        english = [s.strip() for line in english_path.read_text(encoding="utf-8").splitlines()
                   for s in reference_sentences(line) if s.strip()]
        if len(arabic) != len(english):
            print(f"{name}: {len(arabic)} Arabic and {len(english)} English sentences; left out", file=sys.stderr)
            continue
        pairs.extend(zip(arabic, english, strict=True))
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
    zs = [abs(length.length_z(ar, en) or 0.0) for ar, en in pairs]
    for k in (2, 3, 4):
        print(f"beyond {k} deviations with the constants in pipeline/qa/length.py: {sum(z > k for z in zs)}")
    return True


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
