"""Quotation marks in English text: the spans they enclose, and the ends left open."""

from __future__ import annotations

import pytest

from pipeline.align.marks import find_marked_spans

MARK_CASES = [
    ('He said "we will stay" today.', ["we will stay"]),
    ("He said “we will stay” and “we will fight”.", ["we will stay", "we will fight"]),
    ("Il a dit «nous restons» hier.", ["nous restons"]),
    ('He said:"We will stay".', ["We will stay"]),
    ("He said \"the 'suspension' of the programme\".", ["the 'suspension' of the programme", "suspension"]),
    ("He said “the ‘suspension’ of training”.", ["the ‘suspension’ of training", "suspension"]),
    ("The country's leaders' meeting ended.", []),
    ("The leaders’ meeting and Iraq’s army.", []),
    ('He said: "we will stay and', ["we will stay and"]),
    ('we will stay", he said, adding "more".', ["we will stay", "more"]),
    ('She called it "a humiliating escape," he said.', ["a humiliating escape"]),
    ("No marks at all here.", []),
    # a double mark opening after a full stop inside an open double quotation: the next quotation
    ('She alerted "the authorities of these claims. "We will ensure it," she added, "and more."',
     ["the authorities of these claims.", "We will ensure it", "and more."]),
]



@pytest.mark.parametrize(("text", "expected"), MARK_CASES)
def test_find_marked_spans(text: str, expected: list[str]) -> None:
    assert [text[s.start : s.end] for s in find_marked_spans(text)] == expected



def test_open_ends_are_recorded() -> None:
    left, = find_marked_spans('we will stay", he said.')
    right, = find_marked_spans('He said: "we will stay.')
    assert left.open_left and not left.open_right
    assert right.open_right and not right.open_left
