"""The quotes stage: quotation spans (broken marks included), what each one is, and who said it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.arabic import fold
from pipeline.document import Document, Flag, Paragraph, Quote, Sentence
from pipeline.lexicon import (
    PARTICIPLES,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STANCE_VERBS,
)
from pipeline.lexicon import key as _key
from pipeline.stages import stage
from pipeline.stages.quotes.context import Context
from pipeline.stages.quotes.entities import Entities, Entity, EntityForms
from pipeline.stages.quotes.kinds import Kinds
from pipeline.stages.quotes.marks import Marks
from pipeline.stages.quotes.mentions import Mentions
from pipeline.stages.quotes.sieves import Sieves
from pipeline.stages.quotes.tokens import (
    WORD,
    Token,
    TokenIndex,
    with_plurals,
)


@stage("quotes", requires=("sentences",), provides=("quotes",))
@dataclass
class Quotes:
    """Find the quotations (also with broken marks), tell speech and phrases from names, titles and terms,
    and name the speakers."""

    max_phrase_words: int = 4  # a span this short is a quotation only when given to someone ("هروب مذل")
    max_name_words: int = 4  # only this short a span can be a name or a title («عكاظ», «المسؤول اليمني»)
    attribution_words: int = 20  # a short span is a quotation with a cue of saying this close before it
    flag_problems: bool = True  # a stray or unclosed mark adds a flag to its sentence
    speech_verbs: list[str] = field(default_factory=lambda: list(SPEECH_VERBS))
    stance_verbs: list[str] = field(default_factory=lambda: list(STANCE_VERBS))
    participles: list[str] = field(default_factory=lambda: list(PARTICIPLES))
    role_nouns: list[str] = field(default_factory=lambda: list(ROLE_NOUNS))

    def __call__(self, doc: Document) -> Document:
        return _Finder(self, doc).run()


class _Finder(Marks, Kinds, Sieves, Context, Entities, Mentions, TokenIndex):
    """One document's quotations: marks paired (marks.py), spans classified (kinds.py), speakers found
    and resolved. The speaker part lives in its mixins: sieves.py (quotation to speaker, in order),
    context.py (a quotation with no cue of its own), mentions.py (verbs of saying and their subjects),
    names.py (names and titles in a noun phrase), entities.py (a mention to the person or body it
    names), tokens.py (finding tokens)."""

    def __init__(self, settings: Quotes, doc: Document) -> None:
        self.s = settings
        self.doc = doc
        self.text = _with_apostrophe_marks(doc.text)  # offsets as in doc.text; '' read as "
        self.speech, self.stance, self.participles, self.roles = _word_sets(
            tuple(settings.speech_verbs), tuple(settings.stance_verbs), tuple(settings.participles),
            tuple(settings.role_nouns))
        self.verbs = self.speech | self.stance
        self.verb_forms: dict[tuple[str, str], str | None] = {}  # (key, bare) -> the listed verb it is
        self.tokens = [Token.at(m.start(), m.group()) for m in WORD.finditer(self.text)]
        self.token_starts = [t.start for t in self.tokens]
        self.sentences: list[Sentence] = list(doc.sentences or [])
        self.sentence_starts = [s.start for s in self.sentences]
        self.paragraphs = doc.paragraphs or _paragraphs_of(self.text)
        self.paragraph_starts = [p.start for p in self.paragraphs]
        self.name_marks: set[int] = set()  # offsets of the marks around names and titles
        self.names_at: dict[int, Quote] = {}  # names and titles by the offset of their opening mark
        self.opens: dict[str, int] = {}  # quote id -> offset of its opening mark
        self.closes: dict[str, int] = {}  # quote id -> offset of its closing mark (or where it ends)
        self.positions: dict[str, list[int]] | None = None  # where each word's base form occurs
        self.resolved: dict[tuple[str, int | None], str] = {}
        self.forms: list[EntityForms] | None = None  # the entities with their folded forms
        self.last_words: dict[str, Entity] | None = None  # named people and bodies by their name's last word
        self.agreements: dict[str, set[str]] = {}  # gender and number (f, m, p) known of each speaker
        self.word_set: set[str] | None = None  # every folded word of the article
        self.name_words: set[str] | None = None  # words of the names it gives
        self.text_names: dict[str, str] | None = None  # names given in passing, by their last word
        self.known_names: set[str] | None = None  # (folded) people named after a title or in passing
        self.folded_text: str | None = None  # the article's words, folded, one space apart
        self.inside_opens: list[int] = []  # quotations' opening marks, sorted, and how far each reaches
        self.inside_reach: list[int] = []

    # -- the run --------------------------------------------------------------------------------------
    def run(self) -> Document:
        spans = self.pair_marks()
        quotes = self.classify(spans)
        self.link_sentences(quotes)
        self.find_speakers(quotes)
        self.doc.quotes = quotes
        return self.doc

    # -- sentences ------------------------------------------------------------------------------------
    def link_sentences(self, quotes: list[Quote]) -> None:
        for sentence in self.sentences:
            sentence.quotes = []
        for quote in quotes:
            if not self.sentences:
                touched = []
            else:
                first = bisect.bisect_right(self.sentence_starts, quote.start) - 1
                last = bisect.bisect_left(self.sentence_starts, quote.end) - 1
                touched = self.sentences[max(0, first):max(first, last) + 1]
            quote.sentences = [s.id for s in touched]
            quote.sentence = quote.sentences[0] if quote.sentences else ""
            for sentence in touched:
                sentence.quotes.append(quote.id)

    def _sentence_at(self, offset: int) -> Sentence:
        k = max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)
        return self.sentences[k]

    def _flag(self, offset: int, message: str) -> None:
        if not self.s.flag_problems or not self.sentences:
            return
        sentence = self._sentence_at(offset)
        if sentence.flags is None:
            sentence.flags = []
        sentence.flags.append(Flag(rule="quote-marks", severity="warning", message=message,
                                   span=(offset, offset + 1), on="ar"))


# -- small helpers ------------------------------------------------------------------------------------
@lru_cache(maxsize=8)  # the same settings for every document of a run
def _word_sets(speech: tuple[str, ...], stance: tuple[str, ...], participles: tuple[str, ...],
               roles: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """The settings' word lists as they are looked up: verbs with their plurals, participles with
    their feminine, titles folded."""
    said = {_key(w) for w in participles}
    said |= {w[:-1] + "ه" for w in said if w.endswith("ا")}  # feminine
    return (frozenset(with_plurals({_key(w) for w in speech})), frozenset(with_plurals({_key(w) for w in stance})),
            frozenset(said), frozenset(fold(w) for w in roles))


def _with_apostrophe_marks(text: str) -> str:
    """The text with each pair of apostrophes used as a quotation mark (''على حافة النيل'') turned into
    a space and a straight mark, the mark on the side of the words, so that offsets do not move."""
    if "''" not in text:
        return text
    def mark(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() > 0 else " "
        return '" ' if before.isalnum() else ' "'
    return re.sub(r"(?<!')''(?!')", mark, text)


def _paragraphs_of(text: str) -> list[Paragraph]:
    paragraphs, start = [], 0
    for k, line in enumerate(text.split("\n")):
        paragraphs.append(Paragraph(id=f"p{k + 1}", start=start, end=start + len(line)))
        start += len(line) + 1
    return paragraphs
