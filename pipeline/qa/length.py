"""How long an English translation should be for a given Arabic sentence, calibrated on reference translations.

The measure is the log of the ratio of letters and digits (English over Arabic; spaces, punctuation
and diacritics left out, since the two scripts punctuate differently). Its spread shrinks as
sentences grow, so the expected deviation is modelled as sd(n)² = VARIANCE_FLOOR + VARIANCE_PER_CHAR / n
for an Arabic sentence of n letters, and a translation is scored by z = (log ratio - LOG_RATIO_MEAN) / sd(n).

The constants below were computed by `eval/calibrate_length.py` on the 145 sentence pairs of
samples/*.ar.txt (gold sentences in tests/gold/*.sentences.txt) and samples/*.en.txt (split into
sentences with pysbd, one English sentence per Arabic sentence): the mean log ratio, then a least
squares fit of the squared deviations on 1/n. On those pairs |z| stays below 2.6.
"""

from __future__ import annotations

import math

from pipeline.arabic import HARAKAT

LOG_RATIO_MEAN = 0.2955  # English has exp(0.295) ≈ 1.34 times the letters of the Arabic
VARIANCE_FLOOR = 0.003975
VARIANCE_PER_CHAR = 0.9236
MIN_SD = 0.06  # never trust a spread narrower than this, however long the sentence


def letters(text: str) -> int:
    """Letters and digits of `text`, Arabic diacritics and tatweel not counted."""
    return sum(1 for ch in HARAKAT.sub("", text) if ch.isalnum())


def expected_sd(arabic_letters: int) -> float:
    return max(MIN_SD, math.sqrt(VARIANCE_FLOOR + VARIANCE_PER_CHAR / max(1, arabic_letters)))


def length_z(arabic: str, english: str) -> float | None:
    """How many expected deviations the English length is from what the Arabic predicts
    (positive: too long); None when either side has no letters."""
    n_ar, n_en = letters(arabic), letters(english)
    if n_ar == 0 or n_en == 0:
        return None
    return (math.log(n_en / n_ar) - LOG_RATIO_MEAN) / expected_sd(n_ar)


def expected_range(arabic: str, k: float) -> tuple[int, int]:
    """The English letter counts within k expected deviations, for messages."""
    n_ar = max(1, letters(arabic))
    sd = expected_sd(n_ar)
    return (round(n_ar * math.exp(LOG_RATIO_MEAN - k * sd)), round(n_ar * math.exp(LOG_RATIO_MEAN + k * sd)))
