"""Teasers for other stories left at the end of an article: where the body's last paragraphs stop
telling its story and start other ones."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.arabic import fold
from pipeline.summarize.terms import ARABIC_STOPWORDS, arabic_terms, article_words

# Paragraph openers that carry a story on from the paragraph before ("on his side", "besides"),
# matched on folded text (يأتي is ياتي, إلى ذلك is الي ذلك).
_CONNECTIVES = re.compile(
    r"^(?:من (?:جانبه|جانبها|جانبهم|جهته|جهتها|جهتهم|جهه|جانب)|الي (?:ذلك|جانب)|في (?:المقابل|الوقت|غضون|سياق|اطار)"
    r"|يذكر|يشار|ياتي|كما|ثم|لكن|بينما|حيث|اما|غير ان|الا ان|بدوره|بدورها|ايضا)(?:\s|،|,|$)"
)
_SENTENCE_END = re.compile(r"[.!?؟…](?=[\s\"»”)]*\s+\S)")
_MIN_WORDS = 12  # a teaser is a whole lead sentence, not a caption or a menu item
_MIN_RUN = 4  # up to three unjoined paragraphs (background, a closing note) are an ordinary way to end a story
_MAX_SHARED = 0.3  # a teaser shares at most this share of its terms with the story and the other leads


def opens_with_connective(paragraph: str) -> bool:
    """Whether a paragraph is joined to the one before: "وقال ...", "وفي ...", "من جهته، ..."."""
    text = fold(paragraph)
    if _CONNECTIVES.match(text):
        return True
    first = text.split(maxsplit=1)[0] if text else ""
    # After و/ف a short word is a particle ("وفي", "ولم"), not the rest of a verb such as "وجه" (directed).
    return len(first) >= 2 and first[0] in "وف" and (len(first) >= 4 or first[1:] in ARABIC_STOPWORDS)


def related_stories_start(paragraphs: Sequence[str], title: str = "") -> int | None:
    """The index of the first paragraph of a run of other stories' leads that ends the article, or None.

    News agencies join every paragraph after the lead to the one before ("وأضاف ...", "وفي ..."),
    so a story told that way (a lead and two joined paragraphs at least) that ends in four or more
    unjoined one-sentence leads, most of them on subjects of their own (few terms shared with the
    title, the story or the other leads: not a list, nor an interview's answers), ends in teasers;
    they sit at the bottom of a page to be clicked and are not part of the article."""
    k = len(paragraphs)
    while k > 0 and _teaser_shaped(paragraphs[k - 1]):
        k -= 1
    if len(paragraphs) - k < _MIN_RUN or k < 3:
        return None
    if not all(opens_with_connective(p) for p in paragraphs[1:k]):
        return None
    known = article_words("\n".join(paragraphs))
    story = set(arabic_terms("\n".join([title, *paragraphs[:k]]), known))
    leads = [set(arabic_terms(p, known)) for p in paragraphs[k:]]
    foreign = 0
    for i, terms in enumerate(leads):
        elsewhere = story.union(*leads[:i], *leads[i + 1:])
        if terms and len(terms & elsewhere) / len(terms) <= _MAX_SHARED:
            foreign += 1
    return k if foreign * 2 > len(leads) else None


def _teaser_shaped(paragraph: str) -> bool:
    return (len(paragraph.split()) >= _MIN_WORDS and not _SENTENCE_END.search(paragraph)
            and not opens_with_connective(paragraph))
