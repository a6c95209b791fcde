"""How long an English translation should be for a given Arabic sentence, calibrated on reference translations.

The measure is the log of the ratio of letters and digits (English over Arabic; spaces, punctuation
and diacritics left out, since the two scripts punctuate differently). Its spread shrinks as
sentences grow, so the expected deviation is modelled as sd(n)² = VARIANCE_FLOOR + VARIANCE_PER_CHAR / n
for an Arabic sentence of n letters, and a translation is scored by z = (log ratio - LOG_RATIO_MEAN) / sd(n).

The constants below were computed by `eval/calibrate_length.py` on the 812 gold sentence pairs of
ntrex-dev (NTREX-128 news, professional translations): the mean log ratio, then a least squares fit
of the squared deviations on 1/n. On those pairs 7 pass |z| = 3, 3 pass 4 and one passes 5. The
Arabic of NTREX is itself translated from English, and wordier than original Arabic news: an
article's own level (`document_level`) moves the mean towards its translator's, up to
MAX_LEVEL_SHIFT (original Arabic news with its English, as in samples/, sits about 0.2 higher).
"""

from __future__ import annotations

import math

from pipeline.arabic import HARAKAT

LOG_RATIO_MEAN = 0.0743  # English has exp(0.074) ≈ 1.08 times the letters of the Arabic
VARIANCE_FLOOR = 0.019855
VARIANCE_PER_CHAR = 1.2535
MIN_SD = 0.06  # never trust a spread narrower than this, however long the sentence


def letters(text: str) -> int:
    """Letters and digits of `text`, Arabic diacritics and tatweel not counted."""
    return sum(1 for ch in HARAKAT.sub("", text) if ch.isalnum())


def expected_sd(arabic_letters: int) -> float:
    return max(MIN_SD, math.sqrt(VARIANCE_FLOOR + VARIANCE_PER_CHAR / max(1, arabic_letters)))


# A translator (or a model) more concise or more wordy than the calibration's shifts every
# sentence of a document alike: the document's own level, the median log ratio of its sentences,
# replaces the calibrated mean when it has enough sentences to tell, within a bound so that a
# document whose every sentence lost a clause is not taken as a concise style.
MIN_SENTENCES_FOR_LEVEL = 5
MAX_LEVEL_SHIFT = 0.25


def document_level(pairs: list[tuple[str, str]], min_letters: int = 15) -> float:
    """The mean log ratio to judge a document's sentences by: the calibrated one moved towards the
    median of the document's (Arabic, English) pairs of at least `min_letters` Arabic letters."""
    ratios = sorted(math.log(letters(en) / letters(ar)) for ar, en in pairs
                    if letters(ar) >= min_letters and letters(en) > 0)
    if len(ratios) < MIN_SENTENCES_FOR_LEVEL:
        return LOG_RATIO_MEAN
    mid = len(ratios) // 2
    median = ratios[mid] if len(ratios) % 2 else (ratios[mid - 1] + ratios[mid]) / 2
    return LOG_RATIO_MEAN + max(-MAX_LEVEL_SHIFT, min(MAX_LEVEL_SHIFT, median - LOG_RATIO_MEAN))


def length_z(arabic: str, english: str, mean: float = LOG_RATIO_MEAN) -> float | None:
    """How many expected deviations the English length is from what the Arabic predicts
    (positive: too long); None when either side has no letters. `mean`: the log ratio expected
    (the calibrated one, or a document's level)."""
    n_ar, n_en = letters(arabic), letters(english)
    if n_ar == 0 or n_en == 0:
        return None
    return (math.log(n_en / n_ar) - mean) / expected_sd(n_ar)


def expected_range(arabic: str, k: float, mean: float = LOG_RATIO_MEAN) -> tuple[int, int]:
    """The English letter counts within k expected deviations, for messages."""
    n_ar = max(1, letters(arabic))
    sd = expected_sd(n_ar)
    return (round(n_ar * math.exp(mean - k * sd)), round(n_ar * math.exp(mean + k * sd)))
