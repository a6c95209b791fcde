"""Matching Arabic quotation pieces to English ones, and telling an attribution between two pieces."""

from __future__ import annotations

import pytest

from pipeline.align.quotes import Piece, is_attribution, match_pieces


def test_match_pieces_same_count_pairs_in_order() -> None:
    ar = [Piece(0.1, 0.3), Piece(0.6, 0.9)]
    en = [Piece(0.5, 0.6), Piece(0.7, 0.95)]  # places differ, the order still decides
    assert [(i, js) for i, js, _ in match_pieces(ar, en)] == [(0, (0,)), (1, (1,))]



def test_match_pieces_different_count_pairs_by_place() -> None:
    ar = [Piece(0.05, 0.2), Piece(0.6, 0.95)]
    en = [Piece(0.55, 0.95)]
    pairs = match_pieces(ar, en)
    assert [(i, js) for i, js, _ in pairs] == [(1, (0,))]
    assert 0.5 <= pairs[0][2] <= 0.7



@pytest.mark.parametrize(("gap", "expected"), [
    ('," the minister said, "', True),
    ('", he added: "', True),
    ('", pointing out that "', False),
    ('". He then said, "', False),
    (" and ", False),
])
def test_is_attribution(gap: str, expected: bool) -> None:
    assert is_attribution(gap) is expected



@pytest.mark.parametrize(("gap", "continues", "expected"), [
    # A described speaker breaking a quotation that goes on in lower case (“A,” asked X, a ..., “b”).
    ('," asked Mona Said, an employee who lives in Helwan, "', True, True),
    ('," asked Mona Said, an employee who lives in Helwan, "', False, False),
    ('", said the member of parliament, who added in a long interview with the station on Monday that the '
     'crisis had deepened over the past three years: "', True, False),
])
def test_is_attribution_with_a_described_speaker(gap: str, continues: bool, expected: bool) -> None:
    assert is_attribution(gap, continues=continues) is expected
