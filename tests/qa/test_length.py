"""Tests for pipeline/qa/length.py: a document's own level of concision."""

import math

import pytest

from pipeline.qa import length

ARABIC = "ويتوجه الناخبون إلى صناديق الاقتراع يوم الأحد المقبل في انتخابات حاسمة للمسار الديمقراطي"


def _pairs(ratio: float, count: int) -> list[tuple[str, str]]:
    """`count` pairs whose English has `ratio` times the Arabic's letters."""
    return [(ARABIC, "a" * round(length.letters(ARABIC) * ratio))] * count


CALIBRATED = math.exp(length.LOG_RATIO_MEAN)


@pytest.mark.parametrize(("ratio", "count", "expected"), [
    (CALIBRATED, 8, length.LOG_RATIO_MEAN),  # the calibrated level: nothing moves
    (CALIBRATED * 0.9, 8, length.LOG_RATIO_MEAN + math.log(0.9)),  # a concise translator: its own level
    (CALIBRATED * 0.9, 3, length.LOG_RATIO_MEAN),  # too few sentences to tell
    (CALIBRATED * 0.5, 8, length.LOG_RATIO_MEAN - length.MAX_LEVEL_SHIFT),  # every sentence cut: the shift is bounded
])
def test_document_level(ratio: float, count: int, expected: float) -> None:
    assert length.document_level(_pairs(ratio, count)) == pytest.approx(expected, abs=0.01)


def test_a_concise_translator_is_judged_by_its_own_level() -> None:
    # A sentence 20% shorter than the calibration predicts, in a document where all are so.
    english = "a" * round(length.letters(ARABIC) * CALIBRATED * 0.8)
    level = length.document_level(_pairs(CALIBRATED * 0.8, 8))
    assert length.length_z(ARABIC, english) < length.length_z(ARABIC, english, level)
