"""The segment stage: paragraphs, then sentences with offsets into doc.text, then translation chunks for
sentences too long for the model."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.backends.base import GenerationSettings
from pipeline.document import Document, Paragraph, Sentence
from pipeline.lexicon import SPEECH_VERBS, STANCE_VERBS, key, words
from pipeline.stages import stage
from pipeline.text import trim_span

# -- quotation marks ----------------------------------------------------------------------------

# Each mark's family (a closer only closes an opener of its family) and the direction its glyph
# suggests; the characters around a mark decide first, because real text reverses marks.
_MARKS = {
    '"': ("straight", None),
    "“": ("curly", "open"), "”": ("curly", "close"), "„": ("curly", "open"), "‟": ("curly", "open"),
    "«": ("guillemet", "open"), "»": ("guillemet", "close"),
    "‹": ("single-guillemet", "open"), "›": ("single-guillemet", "close"),
}
_MARK_CHARS = "".join(_MARKS)
_MARK_RE = re.compile(f"[{re.escape(_MARK_CHARS)}]")
_BEFORE_OPENER = set(" \n([{/-–—:،,؛;") | set(_MARK_CHARS)
_AFTER_CLOSER = set(" \n.,،؛;:!?؟…)]}-–—") | set(_MARK_CHARS)
# Punctuation that never follows an opening mark, and brackets that never come before a closing
# one: they decide a mark set apart by spaces, French style ("« نص »،").
_NEVER_AFTER_OPENER = set(".,،؛;:!?؟…)]}")
_NEVER_BEFORE_CLOSER = set("([{")


@dataclass(frozen=True)
class QuoteSpan:
    """A pair of quotation marks found in a paragraph: offsets of the opening and closing mark."""

    open: int
    close: int


def pair_quotes(text: str) -> list[QuoteSpan]:
    """Pair the quotation marks of one paragraph, robust to reversed marks (`”…”`), straight
    quotes whose direction only the context tells, and marks that are never closed (left out)."""
    stack: list[tuple[str, int]] = []  # (family, offset) of open marks
    pairs: list[QuoteSpan] = []
    for match in _MARK_RE.finditer(text):
        i = match.start()
        family, glyph = _MARKS[match.group()]
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opens = before in _BEFORE_OPENER and after not in " \n" and after not in _NEVER_AFTER_OPENER
        closes = before not in " \n" and before not in _NEVER_BEFORE_CLOSER and after in _AFTER_CLOSER
        if not opens and not closes and before in " \n" and after in _NEVER_AFTER_OPENER:
            closes = True  # "ثمن »،": a spaced mark followed by punctuation closes
        if opens == closes:  # both or neither: the glyph decides, then whether one is open
            opens = glyph == "open" if glyph is not None else not any(f == family for f, _ in stack)
            ambiguous = True
        else:
            ambiguous = False
        if not opens:
            depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == family), None)
            if depth is not None:
                pairs.append(QuoteSpan(stack[depth][1], i))
                del stack[depth:]
                continue
            if not ambiguous:
                continue  # a closing mark with nothing to close
        if family == "straight" and any(f == family for f, _ in stack):
            # Straight quotes do not nest: the earlier one was never closed.
            depth = max(k for k, (f, _) in enumerate(stack) if f == family)
            del stack[depth:]
        stack.append((family, i))
    return sorted(pairs, key=lambda q: q.open)


# -- sentence boundaries ------------------------------------------------------------------------

_CLOSERS = "\"»”’')]}›"
_QUOTE_CLOSERS = "\"»”›"
# Strong punctuation, with the closing marks and brackets that follow it, then a space or the end.
_CANDIDATE = re.compile(rf"(?:\.{{2,}}|[.!?؟…۔]+)[{re.escape(_CLOSERS)}]*(?=\s|$)")
# "الأنبار.وقال", "الآن؟وقال", "«العدوان الروسي».في غضون", "العراق .وأفاد": a full stop, question
# or exclamation mark between two Arabic words, or after a closing mark, with the space after it
# forgotten (or put before it).
_GLUED = re.compile(  # each branch opens with its mark, and looks behind from there: a fast scan
    r"\.(?<=[\u0621-\u064a]{3}\.)(?=[\u0621-\u064a]{3})"
    r"|[؟!](?<=[\u0621-\u064a]{2}[؟!])[؟!]*(?=[\u0621-\u064a]{2})"
    r"|[.!؟](?<=\S[\"»”][.!؟])[.!؟]*(?=[\u0621-\u064a]{2})"
    r"|[.!؟](?<=[\u0621-\u064a] [.!؟])[.!؟]*(?=[\u0621-\u064a]{2})")
_BULLET = re.compile(r"[-–—•*·▪●◦]\s+")
# Verbs that open a new reported sentence after a conjunction: after an abbreviation's dot
# ("1.5 مليون د.أ. وأضاف") a boundary before one of them is real. The lexicon's verbs of saying and stance.
_REPORTING = words(" ".join(SPEECH_VERBS + STANCE_VERBS))
# A quotation that ends with its own ! ? or . and is followed by its attribution without a
# conjunction ("هل انتهى الأمر؟" تساءل الوزير, "..." حسبما أفاد) is one sentence with it; "وقال"
# starts a new one.
_ATTRIBUTION = words(" ".join(SPEECH_VERBS) + " صاح صرخ حسبما")
_WORD_AT = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652]+")
# After an ellipsis these words go on with the clause it paused ("وهذا يعني… أن", "... بل لأن"):
# none of them opens a sentence.
_CLAUSE_GOES_ON = re.compile(r"(?:[أا]ن|ب[أا]ن|ل[أا]ن|ك[أا]ن|بل|[أا]و|[أا]م)(?![\u0621-\u064a])")
# "بعنوان «…»", "تحت شعار "…"": the marks after these words hold a title or a slogan.
_TITLED = re.compile(r"(?:عنوان|عنوانه|عنوانها|شعار|هاشتاق|هاشتاغ|وسم)\s*[:：]?\s*$")
# A conditional opening a sentence ("إذا", "لو"): its answer, after a pause, opens with ف.
_CONDITION = re.compile(r"و?(?:[إا]ذا|لو|لئن)\s")
# After `..` a circumstantial participle ("المنطقة.. مبينا أن", "مشيرا", "قائلا") or "فيما" goes on
# with the clause: the two dots pause it, as a comma would.
_PAUSE_GOES_ON = re.compile(r"(?:م[\u0621-\u064a]{3,6}|[\u0621-\u064a]ا[\u0621-\u064a]{2})اً?(?![\u0621-\u064a])|فيما\b")
# `..` ends a sentence only between two pieces of three words or more; shorter pieces are the
# items of a list ("هولندا.. فرنسا.. السويد..") or an opening word or phrase ("والآن.. بات",
# "في الختام.. أتوقع", "نعم.. ما داموا"), or a title ("«عاصفة الحزم.. إعادة الأمل»").
_MIN_PIECE_WORDS = 3
_CONTRAST = re.compile(r"و?لكن")  # "لكن", "ولكنهم": a contrast, which answers a full clause
# Where the piece after `..` ends: the next dots, even glued to a word ("تلاوته ..تدبر"), or the
# next stop.
_PIECE_END = re.compile(r"\.{2,}|…|[.!?؟۔](?=[\s\"»”]|$)")
# A letter or a digit; searched in place, since a slice of a long paragraph per candidate would
# make the paragraph's cost quadratic.
_ALNUM = re.compile(r"[^\W_]")
# A dotted abbreviation that follows a number and can end a sentence: an era or a time of day
# (1425 ق.م. / 5 p.m.).
_AFTER_NUMBER = re.compile(r"\d[\d,.٫]*")
# A web address or an email address: after a full stop it stands alone, whatever its case.
_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S|[\w.+-]+@[\w-]+\.\w")
_LATIN_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "e.g", "i.e", "no",
    "gen", "col", "lt", "sgt", "capt", "maj", "rep", "sen", "gov", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "fig", "vol", "approx", "dept", "est", "univ"))


@dataclass(frozen=True)
class _Rules:
    abbreviations: frozenset[str]


def sentence_spans(text: str, start: int = 0, end: int | None = None, *,
                   abbreviations: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets in `text[start:end]`, one paragraph, stripped of whitespace."""
    end = len(text) if end is None else end
    rules = _Rules(_LATIN_ABBREVIATIONS | {a.lower().rstrip(".") for a in abbreviations})
    para = text[start:end]
    lead = len(para) - len(para.lstrip())
    bullet = _BULLET.match(para, lead)
    if bullet:
        lead = bullet.end()
    cuts = _boundaries(para, rules)
    spans: list[tuple[int, int]] = []
    previous = lead
    for cut in [*cuts, len(para)]:
        a, b = trim_span(para, previous, cut)
        previous = cut
        if a >= b:
            continue
        if spans and not any(ch.isalnum() for ch in para[a:b]):
            spans[-1] = (spans[-1][0], b)  # a stray mark or dot belongs to the sentence before
            continue
        spans.append((a, b))
    if len(spans) > 1 and not any(ch.isalnum() for ch in para[spans[0][0]:spans[0][1]]):
        spans[1] = (spans[0][0], spans[1][1])
        del spans[0]
    return [(start + a, start + b) for a, b in spans]


def _boundaries(para: str, rules: _Rules) -> list[int]:
    # A quotation of several sentences is cut at its sentence ends like any text (ANNOTATION.md);
    # its opening mark only tells where a spoken piece starts, for the `..` rule. A title in marks
    # is a name, whatever punctuation it holds.
    quotes = pair_quotes(para)
    titles = [q for q in quotes if _TITLED.search(para, max(0, q.open - 25), q.open)]
    cuts: list[int] = []
    matches = [(m.start(), m.end()) for m in _CANDIDATE.finditer(para)]
    matches += [(m.start(), m.end()) for m in _GLUED.finditer(para)]
    for punct, after in sorted(matches):
        if any(t.open < punct and after <= t.close + 1 for t in titles):
            continue
        if _is_boundary(para, punct, after, rules, cuts, quotes):
            cuts.append(after)
    return cuts


def _is_boundary(para: str, punct: int, after: int, rules: _Rules, cuts: list[int], quotes: list[QuoteSpan]) -> bool:
    sentence_start = cuts[-1] if cuts else 0
    if not _ALNUM.search(para, sentence_start, punct):
        return False  # nothing to end yet ("... text" or a lone mark)
    if para[punct - 1] in "([" and para[punct] in ".…":
        return False  # "(...)": words left out of a quotation
    if para.startswith("..", punct) and not para.startswith("...", punct) and not _pause_ends_sentence(
            para, punct, after, sentence_start, quotes):
        return False
    next_word = _skip_space(para, after)
    nxt = para[next_word:next_word + 1]
    if nxt and nxt.islower() and nxt.isascii() and not _URL_OR_EMAIL.match(para, next_word):
        return False  # English goes on in lower case (but a link or an address starts anew)
    if para[after - 1] in _QUOTE_CLOSERS and _word_key(para, next_word) in _ATTRIBUTION:
        return False
    if para[punct] == "…" or para.startswith("..", punct):
        if _CLAUSE_GOES_ON.match(para, next_word):
            return False
        piece_start = _skip_space(para, _inside_quotation(quotes, sentence_start, punct))
        if para.startswith("ف", next_word) and _CONDITION.match(para, piece_start):
            return False  # "إذا كانت على وفاق الآن… فهذا يصور": the pause before the answer to an if
    if para[punct] != "." or para.startswith("..", punct):
        return True
    word_start = _word_start(para, punct)
    token = para[word_start:punct].lstrip("(\"«“[")
    if not token:
        return True
    if token.isdigit():
        # "1. " opening a sentence numbers a list item; after other words a number ends the sentence.
        return not (len(token) <= 3 and not para[sentence_start:word_start].strip())
    if len(token) == 1 and token.isalpha():
        # An initial (د. م. J.) abbreviates a title or a name, but م. or ه. after a year ends it.
        return _follows_number(para, word_start)
    if para.startswith("و", next_word) and _word_key(para, next_word)[1:] in _REPORTING:
        return True  # "1.5 مليون د.أ. وأضاف": after an abbreviation, a reported sentence starts
    if re.fullmatch(r"(?:\w\.)+\w", token):
        return _follows_number(para, word_start)  # أ.د. U.S. go on; 1425 ق.م. ends the sentence
    return token.lower() not in rules.abbreviations


def _pause_ends_sentence(para: str, punct: int, after: int, sentence_start: int, quotes: list[QuoteSpan]) -> bool:
    """Whether the `..` at `punct` ends a full sentence rather than pausing inside one."""
    piece_start = sentence_start
    previous_dots = para.rfind("..", sentence_start, punct)
    if previous_dots >= 0:
        piece_start = previous_dots + 2
    # A quotation opened since then starts the piece: "قال الوزير "نعم.. ما داموا" pauses after "نعم".
    piece_start = _inside_quotation(quotes, piece_start, punct)
    next_word = _skip_space(para, after)
    # A contrast ("يراهن كدأبه.. لكنه يراهن الآن") answers a clause, however short.
    shortest = _MIN_PIECE_WORDS - 1 if _CONTRAST.match(para, next_word) else _MIN_PIECE_WORDS
    if not _may_be_sentence(para[piece_start:punct], shortest):
        return False
    end = _PIECE_END.search(para, next_word)
    # A question ("هل بدّلوها؟") is a sentence of two words.
    shortest = _MIN_PIECE_WORDS - 1 if end and para[end.start()] in "؟?" else _MIN_PIECE_WORDS
    if not _may_be_sentence(para[next_word:end.start() if end else len(para)], shortest):
        return False
    return not _PAUSE_GOES_ON.match(para, next_word)


def _inside_quotation(quotes: list[QuoteSpan], start: int, at: int) -> int:
    """Just after the opening mark of the innermost quotation that opens in `start:at` and is still
    open at `at` (`quotes` sorted by opening), else `start`."""
    k = bisect.bisect_left(quotes, at, key=lambda q: q.open) - 1
    while k >= 0 and quotes[k].open >= start:
        if quotes[k].close > at:
            return quotes[k].open + 1
        k -= 1
    return start


def _may_be_sentence(piece: str, shortest: int = _MIN_PIECE_WORDS) -> bool:
    # Words, not marks: a dash or a tatweel standing alone ("ـ في الختام..") is no word.
    words = sum(any(ch.isalnum() and ch != "\u0640" for ch in word) for word in piece.split())
    return words >= shortest


def _follows_number(para: str, word_start: int) -> bool:
    """Whether the word before the one starting at `word_start` is a number ("1950 م.")."""
    before_end = word_start
    while before_end > 0 and para[before_end - 1].isspace():
        before_end -= 1
    previous = para[_word_start(para, before_end):before_end].rstrip(")")
    return bool(previous) and _AFTER_NUMBER.fullmatch(previous.lstrip("و(")) is not None


def _word_start(text: str, i: int) -> int:
    """Where the whitespace-delimited word that ends at `i` begins."""
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _word_key(text: str, i: int) -> str:
    """The Arabic word that starts at `i`, as the lexicon looks words up ("" when none starts there)."""
    m = _WORD_AT.match(text, i)
    return key(m.group()) if m else ""


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


# -- translation chunks -------------------------------------------------------------------------

# Places to cut a long sentence, best first: a full stop inside a quotation, a semicolon, a comma
# or colon, before a clause that opens with و or a subordinating word, and any space at all.
_CUT_LEVELS = (
    re.compile(rf"(?:\.{{2,}}|[.!?؟…۔]+)[{re.escape(_CLOSERS)}]*\s+"),
    re.compile(r"[؛;]\s+"),
    re.compile(r"[،,:]\s+"),
    re.compile(r"\s+(?=و(?:قد|كان|كانت|قال|قالت|أضاف|اضاف|أكد|اكد|هو|هي|لكن|لم|لا|في|على|من|إن|ان|أن|ذلك|هذا|هذه|تم)\b)"),
    re.compile(r"\s+(?=(?:حيث|بينما|لكن|إذ|كما|التي|الذي|الذين|بعد أن|قبل أن|و[\u0621-\u064a]{3,})\b)"),
    re.compile(r"\s+"),
)


def estimate_tokens(text: str, tokens_per_word: float = 1.6) -> int:
    """Model tokens in `text`, estimated from its whitespace words (Marian's sentencepiece makes
    about 1.6 tokens of an Arabic news word)."""
    return math.ceil(len(text.split()) * tokens_per_word)


def chunk_sentence(text: str, start: int, max_tokens: int,
                   count_tokens: Callable[[str], int] | None = None) -> list[tuple[int, int]]:
    """Cut a sentence (`text`, found at offset `start` of doc.text) into (start, end) chunks of at
    most `max_tokens` tokens each, at clause boundaries where possible; the chunks cover every
    word of the sentence in order and never leave it."""
    count = count_tokens or estimate_tokens
    a, b = trim_span(text, 0, len(text))
    pieces = _chunk(text, a, b, max(1, max_tokens), count, 0)
    return [(start + x, start + y) for x, y in pieces]


def _chunk(text: str, a: int, b: int, limit: int, count: Callable[[str], int], level: int) -> list[tuple[int, int]]:
    if count(text[a:b]) <= limit:
        return [(a, b)]
    if level >= len(_CUT_LEVELS):
        if b - a <= 1:
            return [(a, b)]
        middle = (a + b) // 2  # one enormous "word": halve it rather than lose any of it
        return _chunk(text, a, middle, limit, count, level) + _chunk(text, middle, b, limit, count, level)
    cuts = [m.end() if level < 3 else m.start() for m in _CUT_LEVELS[level].finditer(text, a, b)]
    cuts = [c for c in cuts if a < c < b]
    if not cuts:
        return _chunk(text, a, b, limit, count, level + 1)
    pieces = []
    previous = a
    for cut in [*cuts, b]:
        x, y = trim_span(text, previous, cut)
        if x < y:
            pieces.append((x, y))
        previous = cut
    chunks: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for piece in pieces:
        if current is not None and count(text[current[0]:piece[1]]) <= limit:
            current = (current[0], piece[1])
            continue
        if current is not None:
            chunks.append(current)
        current = piece
    if current is not None:
        chunks.append(current)
    out: list[tuple[int, int]] = []
    for x, y in chunks:
        out.extend(_chunk(text, x, y, limit, count, level + 1) if count(text[x:y]) > limit else [(x, y)])
    return out


# -- the stage ----------------------------------------------------------------------------------


@stage("segment", requires=("text",), provides=("sentences", "paragraphs"), shares=("generation",))
@dataclass
class Segment:
    """Split the text into paragraphs (lines) and sentences with offsets, and long sentences into translation chunks."""

    tokens_per_word: float = 1.6  # token estimate when no tokenizer is at hand
    abbreviations: list[str] = field(default_factory=list)  # more words that a full stop does not end
    _count_tokens: Callable[[str], int] | None = field(default=None, repr=False)  # a tokenizer, when a caller has one
    # generation.max_chunk_tokens: a longer sentence is cut at clause boundaries for the model.
    _max_chunk_tokens: int = field(default=GenerationSettings.max_chunk_tokens, repr=False)

    def setup(self, ctx: Any) -> None:
        self._max_chunk_tokens = ctx.generation.max_chunk_tokens

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        count = self._count_tokens or (lambda t: estimate_tokens(t, self.tokens_per_word))
        extra = frozenset(self.abbreviations)
        paragraphs: list[Paragraph] = []
        sentences: list[Sentence] = []
        position = 0
        for line in text.split("\n"):
            a, b = trim_span(text, position, position + len(line))
            position += len(line) + 1
            if a >= b:
                continue
            paragraph = Paragraph(id=f"p{len(paragraphs) + 1}", start=a, end=b)
            for s, e in sentence_spans(text, a, b, abbreviations=extra):
                sentence = Sentence(id=f"s{len(sentences) + 1}", start=s, end=e, text=text[s:e])
                chunks = chunk_sentence(sentence.text, s, self._max_chunk_tokens, count)
                sentence.chunks = chunks if len(chunks) > 1 else []
                sentences.append(sentence)
                paragraph.sentences.append(sentence.id)
            paragraphs.append(paragraph)
        doc.paragraphs, doc.sentences = paragraphs, sentences
        return doc
