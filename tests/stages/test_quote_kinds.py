"""What each span in marks is (pipeline/stages/quotes/kinds.py): quotations against names, titles and terms."""

from __future__ import annotations

from pipeline.document import Document
from pipeline.stages.normalize import Normalize
from pipeline.stages.quotes import Quotes
from pipeline.stages.segment import Segment


def kinds(text: str) -> list[tuple[str, str]]:
    """(text, kind) of every span in marks, in order."""
    doc = Quotes()(Segment()(Normalize(strip_boilerplate=False)(Document(text=text))))
    return [(q.text, q.kind) for q in doc.quotes]


def test_tatweel_as_dash_inside_a_span():
    # snn-3000 and snn-okaz-2015-07-25-1353 crashed here: a tatweel standing alone as a dash folds to nothing
    assert kinds("انطلاق «هافينغتون بوست ـ عربي» اليوم من لندن.") == [("هافينغتون بوست ـ عربي", "name")]
