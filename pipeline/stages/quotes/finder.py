"""The quotes stage: quotation spans (broken marks included), what each one is, and who said it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from pipeline.arabic import fold, strip_article, strip_conjunction
from pipeline.document import Document, Flag, Paragraph, Quote, Sentence
from pipeline.lexicon import (
    COMPLEMENTIZERS,
    DESIGNATION_WORDS,
    MEDIA_NOUNS,
    NAMING_NOUNS,
    ORGANIZATION_NOUNS,
    PARTICIPLES,
    READ_VERBS,
    ROLE_NOUNS,
    SAYING_NOUNS,
    SPEECH_VERBS,
    STANCE_VERBS,
    STOP_WORDS,
    WORK_NOUNS,
)
from pipeline.lexicon import key as _key
from pipeline.stages import stage
from pipeline.stages.quotes.entities import _Entities, _Entity, _EntityForms
from pipeline.stages.quotes.mentions import _Mentions
from pipeline.stages.quotes.sieves import _Sieves
from pipeline.stages.quotes.tokens import (
    _ARABIC,
    _ARTICLE_START,
    _CLITICS,
    _CLOSING_PUNCT,
    _OPENING_PUNCT,
    _TATWEEL,
    _WORD,
    FAMILY,
    MARKS,
    NOMINAL,
    _ends_with,
    _has_pronoun_suffix,
    _is_attribution,
    _is_definite,
    _is_prepositional,
    _looks_like_person,
    _strip_clitic,
    _Token,
    _TokenIndex,
    _with_plurals,
)


@dataclass
class _Span:
    """A pair of marks (or a mark and where its quotation must end): offsets of the marks."""

    open: int
    close: int | None  # offset of the closing mark; None for an unclosed quotation
    end: int  # where the content ends (the closing mark, or the cut for an unclosed one)
    open_mark: str
    close_mark: str = ""
    problems: list[str] = field(default_factory=list)

@stage("quotes", requires=("sentences",), provides=("quotes",))
@dataclass
class Quotes:
    """Find the quotations (also with broken marks), tell speech from phrases and names, and name the speakers."""

    max_phrase_words: int = 4  # a quotation this short with no verb of saying is a phrase ("هروب مذل")
    max_name_words: int = 4  # only this short a span can be a name or a title («عكاظ», «المسؤول اليمني»)
    flag_problems: bool = True  # a stray or unclosed mark adds a flag to its sentence
    speech_verbs: list[str] = field(default_factory=lambda: list(SPEECH_VERBS))
    stance_verbs: list[str] = field(default_factory=lambda: list(STANCE_VERBS))
    participles: list[str] = field(default_factory=lambda: list(PARTICIPLES))
    role_nouns: list[str] = field(default_factory=lambda: list(ROLE_NOUNS))

    def __call__(self, doc: Document) -> Document:
        return _Finder(self, doc).run()


class _Finder(_Sieves, _Entities, _Mentions, _TokenIndex):
    """One document's quotations: marks paired, spans classified, speakers found and resolved. The
    speaker part lives in its mixins: sieves.py (quotation to speaker, in order), mentions.py (verbs of
    saying and their subjects), names.py (names and titles in a noun phrase), entities.py (a mention to
    the person or body it names), tokens.py (finding tokens)."""

    def __init__(self, settings: Quotes, doc: Document) -> None:
        self.s = settings
        self.doc = doc
        self.text = _with_apostrophe_marks(doc.text)  # offsets as in doc.text; '' read as "
        self.speech = _with_plurals({_key(w) for w in settings.speech_verbs})
        self.stance = _with_plurals({_key(w) for w in settings.stance_verbs})
        self.participles = {_key(w) for w in settings.participles}
        self.participles |= {w[:-1] + "ه" for w in self.participles if w.endswith("ا")}  # feminine
        self.roles = {fold(w) for w in settings.role_nouns}
        self.tokens = [_Token(m.start(), m.end(), m.group(), fold(m.group()), _key(m.group()))
                       for m in _WORD.finditer(self.text)]
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
        self.forms: list[_EntityForms] | None = None  # the entities with their folded forms
        self.last_words: dict[str, _Entity] | None = None  # named people and bodies by their name's last word
        self.agreements: dict[str, set[str]] = {}  # gender and number (f, m, p) known of each speaker
        self.word_set: set[str] | None = None  # every folded word of the article
        self.name_words: set[str] | None = None  # words of the names it gives
        self.text_names: dict[str, str] | None = None  # names given in passing, by their last word
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

    # -- 1. marks -------------------------------------------------------------------------------------
    def pair_marks(self) -> list[_Span]:
        """Pair the marks paragraph by paragraph; an opening mark left open at a paragraph's end is
        joined to a stray closing mark in a later paragraph when the paragraphs between carry no marks
        (the Arabic convention for a long statement) or open with a continuation mark (the English one)."""
        spans: list[_Span] = []
        pending: _Span | None = None  # an outer quotation still open from an earlier paragraph
        pending_para: Paragraph | None = None
        for para in self.paragraphs:
            pairs, unclosed, strays, events = self._pair_paragraph(para.start, para.end)
            if pending is not None:
                joined = self._continue(pending, pairs, unclosed, strays, events, para)
                if joined == "closed":
                    spans.append(pending)
                    pending = None
                elif joined == "open":
                    spans.extend(pairs)
                    continue
                else:
                    self._finish_unclosed(pending, pending_para)
                    spans.append(pending)
                    pending = None
            spans.extend(pairs)
            for offset in strays:
                self._flag(offset, "a closing quotation mark with no opening one; where the quotation starts is unknown")
            if unclosed:
                pending, pending_para = unclosed[0], para
                for inner in unclosed[1:]:
                    self._finish_unclosed(inner, para)
                    spans.append(inner)
        if pending is not None:
            self._finish_unclosed(pending, pending_para)
            spans.append(pending)
        return sorted(spans, key=lambda s: (s.open, -s.end))

    def _continue(self, pending: _Span, pairs: list[_Span], unclosed: list[_Span], strays: list[int],
                  events: list[tuple[int, str]], para: Paragraph) -> str:
        """Whether this paragraph continues (`open`), closes (`closed`) or breaks off (`no`) the
        quotation still open from an earlier paragraph. May take a pair or stray from the lists."""
        if not events:
            return "open"
        first_pos, first_role = events[0]
        lead = self.text[para.start:first_pos]
        if first_role == "open" and not lead.strip():
            # A continuation mark at the paragraph's start: the quotation goes on.
            own = next((p for p in pairs if p.open == first_pos), None)
            if own is not None and self._introduced_here(pending.open) and self._attribution_after(own.close, para.end):
                # «...»، قال قائد الجيش after a quotation introduced with its own speaker: a new
                # quotation (one quotation over paragraphs is attributed once), not a continuation
                return "no"
            if own is not None:
                pairs.remove(own)
                pending.close, pending.end, pending.close_mark = own.close, own.end, own.close_mark
                return "closed"
            own_open = next((u for u in unclosed if u.open == first_pos), None)
            if own_open is not None:
                unclosed.remove(own_open)
                return "open" if self._only_short_pairs(pairs) and not strays and not unclosed else "no"
        if strays:
            first_stray = strays[0]
            before_balanced = all(p.close is not None and p.close < first_stray for p in pairs if p.open < first_stray)
            no_open_before = not any(u.open < first_stray for u in unclosed)
            if before_balanced and no_open_before and FAMILY[self.text[first_stray]] == FAMILY[pending.open_mark]:
                strays.pop(0)
                pending.close, pending.end, pending.close_mark = first_stray, first_stray, self.text[first_stray]
                return "closed"
        if not strays and not unclosed and self._only_short_pairs(pairs) and not self._reporting_opens(para):
            return "open"  # a paragraph of the statement naming something in marks (بتنظيم "داعش")
        return "no"

    def _attribution_after(self, close: int | None, end: int) -> bool:
        """`«...»، قال فلان` / `"..."، بحسب فلان`: a speaker named right after a closing mark."""
        if close is None:
            return False
        k = bisect.bisect_left(self.token_starts, close + 1)
        while k < len(self.tokens) and self.tokens[k].start < end and self.tokens[k].text in "،,":
            k += 1
        if k >= len(self.tokens) or self.tokens[k].start >= end:
            return False
        tok = self.tokens[k]
        return (self._verb_kind(tok) == "speech" and tok.key == tok.bare) or _is_attribution(tok)

    def _only_short_pairs(self, pairs: list[_Span]) -> bool:
        """Whether every pair is short enough to be a name or a term inside a quotation."""
        return all(len(_WORD.findall(self.text[p.open + 1:p.end])) <= self.s.max_name_words for p in pairs)

    def _reporting_opens(self, para: Paragraph) -> bool:
        """A paragraph that opens in the writer's voice (وقال، وأضاف، مشيراً): not a statement's."""
        k = bisect.bisect_left(self.token_starts, para.start)
        first = self.tokens[k] if k < len(self.tokens) and self.tokens[k].start < para.end else None
        return first is not None and (self._verb_kind(first) is not None or first.key in self.participles)

    def _pair_paragraph(self, start: int, end: int):
        """Pair the marks of one paragraph with a stack. Returns the complete pairs, the spans left
        open (outermost first), the offsets of stray closing marks, and every mark's role in order."""
        text = self.text
        stack: list[_Span] = []
        pairs: list[_Span] = []
        strays: list[int] = []
        events: list[tuple[int, str]] = []
        for i in range(start, end):
            mark = text[i]
            if mark not in MARKS:
                continue
            opens, closes = self._opens_here(i, start, end), self._closes_here(i, start, end)
            nominal, family = NOMINAL[mark], FAMILY[mark]
            match = next((k for k in range(len(stack) - 1, -1, -1) if FAMILY[stack[k].open_mark] == family), None)
            mismatched = match is None and bool(stack) and closes and not opens
            if mismatched:
                match = len(stack) - 1  # “...المعلومات." : closed with a mark of another kind
            if match is not None:
                if closes and not opens:
                    role = "close"
                elif opens and not closes:
                    # “…” inside “…” nests; a straight mark cannot, so it closes, unless a verb of
                    # saying hands over to it (`"نعم ... وأضاف "لن`): then the open one was never closed.
                    role = "open" if nominal is not None else "close"
                    if nominal is None and (self._introduced_here(i) or self._reporting_cut(
                            stack[match].open + 1, i) < i):
                        # `وأضاف "لن`, or `"الأستاذ ... المئة، مؤكداً أن قرار الإضراب "سيُتخذ`: the
                        # writer's words resumed, so the open one was never closed and this one opens
                        role = "reopen"
                else:
                    role = "open" if nominal == "open" else "close"
            elif closes and not opens or (not opens and self._only_punctuation_after(i, end)):
                role = "stray"  # `الخطة".` or `الغربية ".` with nothing open
            else:
                role = "open"
            if role == "reopen" and match is not None:
                for unclosed in stack[match:]:
                    unclosed.close, unclosed.end = None, self._reporting_cut(unclosed.open + 1, i, conjoined=True)
                    unclosed.problems.append("unclosed")
                    self._flag(unclosed.open, "a quotation mark is never closed before the next quotation opens")
                    pairs.append(unclosed)
                del stack[match:]
                role = "open"
            if role == "close" and match is not None:
                for inner in stack[match + 1:]:
                    # Marks opened inside and never closed: they end where their container does.
                    inner.close, inner.end = None, i
                    inner.problems.append("unclosed")
                    self._flag(inner.open, "a quotation mark opened inside another quotation is never closed")
                    pairs.append(inner)
                span = stack[match]
                del stack[match:]
                span.close, span.end, span.close_mark = i, i, mark
                if nominal == "open":
                    span.problems.append("reversed-close")
                if mismatched:
                    span.problems.append("mismatched-marks")
                pairs.append(span)
                events.append((i, "close"))
            elif role == "open":
                span = _Span(open=i, close=None, end=end, open_mark=mark)
                if nominal == "close":
                    span.problems.append("reversed-open")
                stack.append(span)
                events.append((i, "open"))
            else:
                strays.append(i)
                events.append((i, "stray"))
        return pairs, stack, strays, events

    def _opens_here(self, i: int, start: int, end: int) -> bool:
        """A mark in opening position: text follows it, and a boundary or a clitic precedes it."""
        text = self.text
        nxt = text[i + 1] if i + 1 < end else ""
        if not nxt or nxt.isspace() or nxt in _CLOSING_PUNCT:
            return False
        prev = text[i - 1] if i > start else ""
        if not prev or prev.isspace() or prev in _OPENING_PUNCT or prev in MARKS or prev == _TATWEEL:
            return True
        # بـ"أعلى", ل"ناس": a one-letter clitic standing alone before the mark.
        return prev in _CLITICS and (i - 1 == start or not text[i - 2].isalnum())

    def _closes_here(self, i: int, start: int, end: int) -> bool:
        """A mark in closing position: it follows text (not `:` or a bracket) and a boundary follows it."""
        text = self.text
        prev = text[i - 1] if i > start else ""
        if not prev or prev.isspace() or prev in "([{:":
            return False
        nxt = text[i + 1] if i + 1 < end else ""
        return not nxt or nxt.isspace() or nxt in _CLOSING_PUNCT or nxt in MARKS

    def _only_punctuation_after(self, i: int, end: int) -> bool:
        return all(c.isspace() or c in _CLOSING_PUNCT for c in self.text[i + 1:end])

    def _finish_unclosed(self, span: _Span, para: Paragraph | None) -> None:
        """An opening mark never closed ends at its paragraph's end, or earlier where a reporting
        clause takes over (`، مبينا أن`, `. وأضاف`): the writer's words resume there."""
        end = para.end if para is not None else len(self.text)
        span.close, span.end = None, self._reporting_cut(span.open + 1, end)
        if "unclosed" not in span.problems:
            span.problems.append("unclosed")
        self._flag(span.open, "a quotation mark is never closed; the quotation is taken to end with its paragraph "
                              "or where the reporting resumes")

    def _reporting_cut(self, start: int, end: int, *, conjoined: bool = False) -> int:
        """Where reporting resumes inside a quotation that was never closed: before `، مبينا` or
        `. وأضاف` (and, with `conjoined`, before a bare `وأضاف` too); else `end`."""
        k = bisect.bisect_left(self.token_starts, start)
        while k < len(self.tokens) and self.tokens[k].start < end:
            tok = self.tokens[k]
            nxt = self.tokens[k + 1] if k + 1 < len(self.tokens) and self.tokens[k + 1].start < end else None
            if nxt is not None and tok.text in "،,.؛" and (
                    nxt.key in self.participles or self._verb_kind(nxt) == "speech"):
                return tok.start
            if conjoined and tok.start > start and tok.key != tok.bare and self._verb_kind(tok) == "speech":
                return self.tokens[k - 1].end
            k += 1
        return end

    def _introduced_here(self, i: int) -> bool:
        """A verb of saying, a participle or a colon right before the mark at `i`."""
        k = bisect.bisect_left(self.token_starts, i)
        if k == 0:
            return False
        prev = self.tokens[k - 1]
        return prev.text == ":" or self._verb_kind(prev) == "speech" or prev.key in self.participles

    # -- 2. what each span is -------------------------------------------------------------------------
    def classify(self, spans: list[_Span]) -> list[Quote]:
        quotes: list[Quote] = []
        registry_names = self._person_names()
        containers: list[Quote] = []  # quotations that may hold the next span, outermost first
        for span in spans:
            start, end = _trim(self.text, span.open + 1, span.end)
            if start >= end:
                continue
            quote = Quote(id="", sentence="", start=start, end=end, text=self.doc.text[start:end], kind="speech",
                          marks=(span.open_mark, span.close_mark), problems=list(span.problems))
            quote.id = f"q{len(quotes) + 1}"
            self.opens[quote.id] = span.open
            self.closes[quote.id] = span.close if span.close is not None else end
            while containers and containers[-1].end < end:
                containers.pop()  # quotations that end before this one cannot hold it
            parent = containers[-1] if containers else None
            quote.kind = self._kind(quote, parent, registry_names)
            if quote.kind in ("name", "title"):
                self.name_marks.update((span.open, span.close if span.close is not None else -1))
                self.names_at[span.open] = quote
            quotes.append(quote)
            if quote.is_quotation:
                containers.append(quote)
            if quote.kind == "nested" and parent is not None:
                quote.parent = parent.id
        return quotes

    def _kind(self, quote: Quote, parent: Quote | None, person_names: list[list[str]]) -> str:
        words = [w for w in (fold(t) for t in _WORD.findall(quote.text)) if w[0].isalnum()]
        before = self._words_before(self.opens[quote.id], 4)
        if len(words) <= self.s.max_name_words:
            kind = self._name_or_title(quote, words, before, person_names)
            if kind:
                return kind
        elif self._titles_a_work(before):
            return "title"  # كتاب "الطريق إلى السلام في الشرق الأوسط": a long title is still a title
        if parent is not None:
            return "nested"
        if len(words) > self.s.max_phrase_words:
            return "speech"
        return "speech" if self._introduced_as_speech(self.opens[quote.id]) else "phrase"

    def _name_or_title(self, quote: Quote, words: list[str], before: list[_Token],
                       person_names: list[list[str]]) -> str | None:
        if not words:
            return None
        if not _ARABIC.search(quote.text):
            return "name"  # «LTC», “966 Podcast”: a Latin-script name in Arabic text
        prev = before[-1] if before else None
        if strip_article(words[0]) in self.roles:
            return "title"  # «المسؤول اليمني»: a title standing for a person
        if prev is not None and prev.is_word and not _is_definite(prev) and (
                {prev.key, _strip_clitic(prev.key)} & (MEDIA_NOUNS | ORGANIZATION_NOUNS)):
            return "name"  # صحيفة "يني سافاك", حركة "حماس"
        if self._designation_before(before):
            return "title"  # ما يعرف بـ"صفقة القرن"
        if prev is not None and prev.bare in READ_VERBS:
            return "name"  # اطلع "ناس" عليه, تلقى “ناس” نسخة منه
        if self._after_account(before):
            return "name"  # على حسابه في منصة "إكس"، على صفحته في "فيسبوك"
        if prev is not None and len(words) <= 3 and (_is_attribution(prev) or self._after_attribution(before)):
            return "name"  # بحسب «رويترز», وفقا لـ"الأناضول", نقلا عن «سانا»
        if prev is not None and prev.key == "ل" and self._saying_before(self.opens[quote.id]):
            return "name"  # تصريحات لـ «عكاظ»
        if _looks_like_person(words) or any(_ends_with(name, words) for name in person_names):
            return "name"  # «عبدالخالق الحوثي», «الحذيفي»
        if self._after_naming_noun(before) or self._titles_a_work(before):
            return "title"  # التدريب العسكري المشترك "تبوك – 4", تقرير "التنمية البشرية"
        if prev is not None and self._verb_kind(prev) and (self._speech_follows(quote) or self._object_after(quote)):
            return "name"  # وقال «الحذيفي» في تصريحات: «...», أعلنت "هيئة تحرير الشام" مسؤوليتها
        name_like = not any(w in STOP_WORDS or strip_conjunction(w) in STOP_WORDS or w in COMPLEMENTIZERS
                            for w in words)  # not لن نتراجع, لا للتجويع
        if len(words) <= 3 and name_like and not self._introduced_as_speech(self.opens[quote.id]) and not any(
                self._verb_kind(t) for t in before):
            if prev is not None and self._is_role(prev) and not _is_prepositional(prev) and \
                    not _ARTICLE_START.match(quote.text):
                return "name"  # وتحضر الممثلة «سلمى الحداد»: a title, then the person's name
            if self._clause_verb_before(before) and self._definite_object_after(quote):
                return "name"  # التقت "الغد" الخبير: the subject between a verb and its object
        return None

    def _after_account(self, before: list[_Token]) -> bool:
        """`على حسابه في "إكس"`, `عبر صفحتها على "فيسبوك"`: a platform after an account noun."""
        words = [t for t in before if t.is_word]
        if len(words) < 2 or words[-1].key not in ("في", "على", "عبر"):
            return False
        noun = words[-2].fold
        for suffix in ("هما", "هم", "ها", "ه"):
            if _has_pronoun_suffix(words[-2].text) and noun.endswith(suffix):
                noun = noun[:-len(suffix)]
                noun = noun[:-1] + "ه" if noun.endswith("ت") else noun  # صفحته → صفحه
                break
        return strip_article(noun) in MEDIA_NOUNS or strip_article(noun) + "ه" in MEDIA_NOUNS

    def _clause_verb_before(self, before: list[_Token]) -> bool:
        """The span follows the first word of a clause (after a comma or at the sentence start): most
        likely the clause's verb (التقت "الغد" ..., which looks like an article-word but is not)."""
        words = before[-2:]
        if not words or not words[-1].is_word or words[-1].bare in STOP_WORDS:
            return False
        if self._stops_noun_phrase(words[-1]) or _is_prepositional(words[-1]) or words[-1].key in ("ب", "ل"):
            return False
        return len(words) == 1 or words[0].text in "،,:؛" or len(before) == 1

    def _definite_object_after(self, quote: Quote) -> bool:
        k = bisect.bisect_left(self.token_starts, self.closes[quote.id] + 1)
        return k < len(self.tokens) and self.tokens[k].is_word and _is_definite(self.tokens[k]) and \
            self.tokens[k].start - self.closes[quote.id] <= 2

    def _after_attribution(self, before: list[_Token]) -> bool:
        """وفقا لـ / نقلا عن right before the span."""
        words = [t for t in before if t.is_word]
        return len(words) >= 2 and words[-1].key in ("ل", "عن") and _is_attribution(words[-2])

    def _titles_a_work(self, before: list[_Token]) -> bool:
        prev = next((t for t in reversed(before) if t.is_word and t.key not in ("ب", "ل")), None)
        return prev is not None and not _is_definite(prev) and bool({prev.key, _strip_clitic(prev.key)} & WORK_NOUNS)

    def _designation_before(self, before: list[_Token]) -> bool:
        prev = next((t for t in reversed(before) if t.is_word and t.key not in ("ب", "ل")), None)
        return prev is not None and bool({prev.key, prev.bare, _strip_clitic(prev.key)} & DESIGNATION_WORDS)

    def _object_after(self, quote: Quote) -> bool:
        """A span right after a verb followed by more of the clause (an object, not a stop) is the
        verb's subject: أعلنت "هيئة تحرير الشام" مسؤوليتها."""
        k = bisect.bisect_left(self.token_starts, self.closes[quote.id] + 1)
        if k >= len(self.tokens):
            return False
        nxt = self.tokens[k]
        return nxt.is_word and nxt.key == nxt.bare and not self._stops_noun_phrase(nxt) and not _is_definite(nxt)

    def _after_naming_noun(self, before: list[_Token]) -> bool:
        for k in range(len(before) - 1, -1, -1):
            tok = before[k]
            if not tok.is_word:
                return False
            if {strip_article(tok.key), strip_article(_strip_clitic(tok.key))} & NAMING_NOUNS:
                # أن المهرجان "استعاد روحه": after أن a definite noun is the subject and the span
                # its predicate, not the name of the festival
                return not (k > 0 and _is_definite(tok) and before[k - 1].bare in COMPLEMENTIZERS)
            if not _is_definite(tok, after_conjunction=False):
                return False  # only adjectives may stand between the noun and the name
        return False

    def _speech_follows(self, quote: Quote) -> bool:
        """After a span in subject position comes what the subject said: a colon, `أن`, or a mark."""
        k = bisect.bisect_left(self.token_starts, self.closes[quote.id] + 1)
        for tok in self.tokens[k:k + 8]:
            if tok.text == ":" or tok.text in MARKS or tok.bare in COMPLEMENTIZERS:
                return True
            if tok.text in ".؟?!" or self._verb_kind(tok) or tok.key in self.participles:
                return False
        return False

    def _introduced_as_speech(self, open_offset: int) -> bool:
        """A short quotation is speech when a verb of saying or a colon hands over to it."""
        before = self._words_before(open_offset, 40)
        if not before:
            return self._sentence_at(open_offset).start >= open_offset - 1 if self.sentences else False
        last = before[-1]
        if last.text == ":" or self._verb_kind(last) == "speech" or last.key in self.participles:
            return True
        if last.bare in ("ان", "انه", "انها") or last.text in "،,":
            # قال إن "..." and «...»، يقول أحد السكان، «...»: handed over by a verb of saying
            return any(self._verb_kind(t) == "speech" or t.key in self.participles for t in before[:-1])
        return False

    def _saying_before(self, offset: int) -> bool:
        for tok in self._sentence_tokens_before(offset):
            if self._verb_kind(tok) or tok.key in self.participles or _strip_clitic(tok.bare) in SAYING_NOUNS:
                return True
        return False

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


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


