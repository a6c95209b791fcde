"""Quotation marks found and paired into spans, broken marks included (reversed, unclosed, stray)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pipeline.document import Paragraph
from pipeline.lexicon import COMPLEMENTIZERS
from pipeline.stages.quotes.tokens import (
    CLITICS,
    CLOSING_PUNCT,
    FAMILY,
    MARKS,
    NOMINAL,
    OPENING_PUNCT,
    TATWEEL,
    WORD,
    is_attribution,
)


@dataclass
class Span:
    """A pair of marks (or a mark and where its quotation must end): offsets of the marks."""

    open: int
    close: int | None  # offset of the closing mark; None for an unclosed quotation
    end: int  # where the content ends (the closing mark, or the cut for an unclosed one)
    open_mark: str
    close_mark: str = ""
    problems: list[str] = field(default_factory=list)



class Marks:
    """The part of the quotes stage that pairs marks: a mixin of `_Finder`, whose text, tokens and
    verb lists it reads."""

    def pair_marks(self) -> list[Span]:
        """Pair the marks paragraph by paragraph; an opening mark left open at a paragraph's end is
        joined to a stray closing mark in a later paragraph when the paragraphs between carry no marks
        (the Arabic convention for a long statement) or open with a continuation mark (the English one)."""
        spans: list[Span] = []
        pending: Span | None = None  # an outer quotation still open from an earlier paragraph
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
                span = self._opened_without_mark(offset, para, strays)
                if span is not None:
                    spans.append(span)
                    self._flag(offset, "a closing quotation mark with no opening one; the quotation is taken to "
                                       "start where the reporting verb hands over to it")
                else:
                    self._flag(offset, "a closing quotation mark with no opening one; where the quotation starts "
                                       "is unknown")
            if unclosed:
                pending, pending_para = unclosed[0], para
                for inner in unclosed[1:]:
                    self._finish_unclosed(inner, para)
                    spans.append(inner)
        if pending is not None:
            self._finish_unclosed(pending, pending_para)
            spans.append(pending)
        return sorted(spans, key=lambda s: (s.open, -s.end))

    def _continue(self, pending: Span, pairs: list[Span], unclosed: list[Span], strays: list[int],
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

    def _opened_without_mark(self, close: int, para: Paragraph, strays: list[int]) -> Span | None:
        """A quotation whose opening mark is missing (`مشيراً إلى أن الأغطية تتعرض للسرقة ...".`): it
        starts after the nearest colon or أن that a verb of saying hands over to, or, with the speaker
        named right after the mark (`...شاهدا"، كما ذكر المدعي العام`), at its sentence's start. None
        when neither is found before another mark."""
        if NOMINAL[self.text[close]] == "open" or self._introduced_here(close):
            return None  # `وتابع" انا من عشاق درويش`: a mark after a verb of saying opens, mistyped
        k = bisect.bisect_left(self.token_starts, close) - 1
        words = 0
        handed: list[int] = []  # colons and أن that a verb of saying hands over to, nearest first
        while k >= 0 and self.tokens[k].start >= para.start:
            tok = self.tokens[k]
            if tok.text in MARKS:
                if tok.start in strays and self._introduced_here(tok.start) and words:
                    # `وتابع" انا من عشاق درويش".`: the stray after the verb opened this one
                    return Span(open=tok.start, close=close, end=close, open_mark=tok.text,
                                 close_mark=self.text[close], problems=["reversed-open"])
                break
            if words >= 2 and (tok.text == ":" or tok.bare in COMPLEMENTIZERS) and self._hands_over(k):
                handed.append(k)
            words += tok.is_word
            k -= 1
        if handed:
            # the nearest أن right after a verb (مشيراً إلى أن الأغطية ... نظراً لأن الخط ...), else the
            # nearest one a verb hands over to from further back
            right_after = [j for j in handed if self._hands_over(j, reach=4)]
            j = right_after[0] if right_after else handed[0]
            return self._span_without_mark(self.tokens[j].end - 1, close)
        if words < 2 or not self._speaker_follows(close, para.end):
            return None
        start = self._sentence_at(close).start if self.sentences else para.start
        first = bisect.bisect_left(self.token_starts, start)
        if start < para.start or any(t.text in MARKS for t in self.tokens[first:k + 1] if t.start < close):
            return None
        return self._span_without_mark(start - 1, close)

    def _hands_over(self, k: int, reach: int = 20) -> bool:
        """A verb of saying or a participle before token `k` (a colon or أن) in its sentence, no more
        than `reach` tokens back: مشيرا إلى أن، أكد رئيس المنظمة، ووفقا لوكالة "تسنيم"، أن."""
        floor = self._sentence_at(self.tokens[k].start).start if self.sentences else 0
        for tok in self.tokens[max(k - reach, 0):k]:
            if tok.start >= floor and (self._verb_kind(tok) == "speech" or tok.key in self.participles):
                return True
        return False

    def _speaker_follows(self, close: int, end: int) -> bool:
        """`"، قال فلان`, `"، كما ذكر فلان`, `" بحسب فلان` right after the mark."""
        k = bisect.bisect_left(self.token_starts, close + 1)
        while k < len(self.tokens) and self.tokens[k].start < end and (
                self.tokens[k].text in "،," or self.tokens[k].bare == "كما"):
            k += 1
        return k < len(self.tokens) and self.tokens[k].start < end and (
            self._verb_kind(self.tokens[k]) == "speech" or is_attribution(self.tokens[k]))

    def _span_without_mark(self, before: int, close: int) -> Span:
        return Span(open=before, close=close, end=close, open_mark="", close_mark=self.text[close],
                     problems=["missing-open"])

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
        return (self._verb_kind(tok) == "speech" and tok.key == tok.bare) or is_attribution(tok)

    def _only_short_pairs(self, pairs: list[Span]) -> bool:
        """Whether every pair is short enough to be a name or a term inside a quotation."""
        return all(len(WORD.findall(self.text[p.open + 1:p.end])) <= self.s.max_name_words for p in pairs)

    def _reporting_opens(self, para: Paragraph) -> bool:
        """A paragraph that opens in the writer's voice (وقال، وأضاف، مشيراً): not a statement's."""
        k = bisect.bisect_left(self.token_starts, para.start)
        first = self.tokens[k] if k < len(self.tokens) and self.tokens[k].start < para.end else None
        return first is not None and (self._verb_kind(first) is not None or first.key in self.participles)

    def _pair_paragraph(self, start: int, end: int):
        """Pair the marks of one paragraph with a stack. Returns the complete pairs, the spans left
        open (outermost first), the offsets of stray closing marks, and every mark's role in order."""
        text = self.text
        stack: list[Span] = []
        pairs: list[Span] = []
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
                    elif nominal is None and self._nests_here(i, start, end):
                        role = "open"
                    elif nominal is None and match == len(stack) - 1 and self._writer_after(stack[match].open, i, start):
                        # `"وقال ترامب "من السهل ...`: the first mark is a stray before the
                        # writer's words, and the quotation opens here
                        role = "stray-before"
                    elif nominal is None and text[start:i].rstrip()[-1:] in ".!?؟" and self._attributed_next(i, end):
                        # `حذّر "السلطات ... الاحتيالية. "سوف نضمن ..."، كما أضافت`: a quotation
                        # opening after a full stop and closed before its speaker is the next one
                        role = "reopen"
                    elif nominal == "open" and text[start:i].rstrip()[-1:] in ".!?؟":
                        # `“لو اعتقد ... خامنئي. “لم يبذل ...”`: a quotation opening after a full stop
                        # inside another is the next one, the earlier left open (news-agency style)
                        role = "reopen"
                else:
                    role = "open" if nominal == "open" else "close"
            elif closes and not opens or (not opens and self._only_punctuation_after(i, end)):
                role = "stray"  # `الخطة".` or `الغربية ".` with nothing open
            else:
                role = "open"
            if role == "stray-before":
                stray = stack.pop()
                events[:] = [(k, "stray" if k == stray.open else r) for k, r in events]
                self._flag(stray.open, "a quotation mark before the writer's words opens nothing; the quotation "
                                       "opens with the next mark")
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
                span = Span(open=i, close=None, end=end, open_mark=mark)
                if nominal == "close":
                    span.problems.append("reversed-open")
                stack.append(span)
                events.append((i, "open"))
            else:
                strays.append(i)
                events.append((i, "stray"))
        if len(stack) >= 2 and not any(role == "close" for _, role in events):
            self._closed_by_an_opening_mark(stack, pairs, strays, events)
        return pairs, stack, strays, events

    def _closed_by_an_opening_mark(self, stack: list[Span], pairs: list[Span], strays: list[int],
                                   events: list[tuple[int, str]]) -> None:
        """`لقناة “العالم “الإيرانية نشرت ...` and no mark closes anything in the paragraph: the second
        mark, a few words on, was typed for the closing one of a name, not opened a quotation."""
        outer, inner = stack[0], stack[1]
        if FAMILY[outer.open_mark] != FAMILY[inner.open_mark]:
            return
        if not 0 < len(WORD.findall(self.text[outer.open + 1:inner.open])) <= 3:
            return
        outer.close, outer.end, outer.close_mark = inner.open, inner.open, inner.open_mark
        outer.problems.append("reversed-close")
        pairs.append(outer)
        strays.append(inner.open)
        events[:] = [(i, "close" if i == inner.open else role) for i, role in events]
        del stack[:2]

    def _writer_after(self, open_: int, i: int, start: int) -> bool:
        """Whether the mark at `open_` (at its paragraph's or sentence's start) is followed by the
        writer's words up to the mark at `i`: a conjoined verb of saying and its speaker (`"وقال
        ترامب "`), a few words."""
        if self.text[start:open_].strip() and self.text[start:open_].rstrip()[-1:] not in ".!?؟":
            return False
        k = bisect.bisect_left(self.token_starts, open_ + 1)
        words = [t for t in self.tokens[k:] if t.start < i]
        return (0 < len(words) <= 4 and all(t.is_word for t in words) and words[0].key != words[0].bare
                and self._verb_kind(words[0]) == "speech")

    def _attributed_next(self, i: int, end: int) -> bool:
        """Whether the next mark after `i` closes and a speaker is named right after it (`"، كما أضافت`)."""
        j = next((k for k in range(i + 1, end) if self.text[k] in MARKS), None)
        return j is not None and self._closes_here(j, i, end) and self._speaker_follows(j, end)

    def _nests_here(self, i: int, start: int, end: int) -> bool:
        """A straight mark in opening position inside a straight quotation opens a name within it
        (`"حتى إن خفضت "أوبك" الإنتاج ... الأسعار"`) when the next straight mark closes a few words on
        and the straight marks after it pair up but for the last, which closes the quotation."""
        later = [j for j in range(i + 1, end) if self.text[j] == '"']
        if len(later) < 2 or len(later) % 2:
            return False
        inner = self.text[i + 1:later[0]]
        return self._closes_here(later[0], start, end) and \
            len(WORD.findall(inner)) <= self.s.max_name_words

    def _opens_here(self, i: int, start: int, end: int) -> bool:
        """A mark in opening position: text follows it, and a boundary or a clitic precedes it."""
        text = self.text
        nxt = text[i + 1] if i + 1 < end else ""
        if not nxt or nxt.isspace() or nxt in CLOSING_PUNCT:
            return False
        prev = text[i - 1] if i > start else ""
        if not prev or prev.isspace() or prev in OPENING_PUNCT or prev in MARKS or prev == TATWEEL:
            return True
        # بـ"أعلى", ل"ناس": a one-letter clitic standing alone before the mark.
        return prev in CLITICS and (i - 1 == start or not text[i - 2].isalnum())

    def _closes_here(self, i: int, start: int, end: int) -> bool:
        """A mark in closing position: it follows text (not `:` or a bracket) and a boundary follows it."""
        text = self.text
        prev = text[i - 1] if i > start else ""
        if not prev or prev.isspace() or prev in "([{:":
            return False
        nxt = text[i + 1] if i + 1 < end else ""
        return not nxt or nxt.isspace() or nxt in CLOSING_PUNCT or nxt in MARKS

    def _only_punctuation_after(self, i: int, end: int) -> bool:
        return all(c.isspace() or c in CLOSING_PUNCT for c in self.text[i + 1:end])

    def _finish_unclosed(self, span: Span, para: Paragraph | None) -> None:
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

