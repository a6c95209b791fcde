"""What every renderer shows: a document as bilingual rows with quotation spans and flags, from any subset of stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.document import Document, Flag, Quote, Sentence

SEVERITY_MARKS = {"error": "✖", "warning": "⚠", "info": "ℹ"}


@dataclass(frozen=True)
class Mark:
    """A highlighted span of a row's text: a quotation (`quote` is its id) or a flag (`flag` is its
    index in the row's flags)."""

    start: int
    end: int
    quote: str | None = None
    flag: int | None = None


@dataclass
class Row:
    """One sentence (or, before segmentation, one paragraph or the whole text) in both languages."""

    id: str
    ar: str
    en: str | None
    paragraph: str | None = None
    ar_marks: list[Mark] = field(default_factory=list)
    en_marks: list[Mark] = field(default_factory=list)
    # Quotations that start in this sentence (their speaker is shown here).
    quotes: list[Quote] = field(default_factory=list)
    # Quotations of this sentence translated on their own (no span in the sentence's translation).
    separate: list[Quote] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


@dataclass
class View:
    title: str | None
    date: str | None
    dateline: str | None
    rows: list[Row]
    quotes: list[Quote]
    colour: dict[str, int]  # quotation id -> colour index (0, 1, 2, ... in reading order)
    summary: dict[str, Any] | None
    provenance: dict[str, Any]

    @property
    def translated(self) -> bool:
        return any(row.en is not None for row in self.rows)

    @property
    def flagged(self) -> list[Row]:
        return [row for row in self.rows if row.flags]


def build_view(doc: Document, *, flags_only: bool = False) -> View:
    quotes = [q for q in doc.quotes or [] if q.is_quotation]
    rows = _rows(doc, quotes)
    if flags_only:
        rows = [row for row in rows if row.flags]
    summary = None
    if doc.summary is not None:
        summary = {
            "method": doc.summary.method,
            "ar": (doc.summary.text or {}).get("ar", ""),
            "en": (doc.summary.text or {}).get("en", ""),
            "key_quotes": [_key_quote(k, _english_names(quotes)) for k in doc.summary.key_quotes or []],
        }
    return View(
        title=_str(doc.meta.get("title")),
        date=_str(doc.meta.get("date")),
        dateline=_str(doc.meta.get("dateline")),
        rows=rows,
        quotes=quotes,
        colour={q.id: i for i, q in enumerate(quotes)},
        summary=summary,
        provenance=doc.provenance or {},
    )


def speaker_label(quote: Quote, *, lang: str) -> str | None:
    """The speaker as a reader of `lang` should see it: English name when known, else the Arabic."""
    if quote.speaker is None:
        return None
    arabic = quote.speaker.name or quote.speaker.mention
    if lang == "en" and quote.speaker.english:
        return quote.speaker.english
    return arabic


def pieces(text: str, marks: list[Mark]) -> list[tuple[str, list[Mark]]]:
    """`text` cut at every mark boundary: (piece, marks covering it, outermost first)."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[tuple[str, list[Mark]]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        covering = [m for m in marks if m.start <= start and end <= m.end]
        covering.sort(key=lambda m: (m.start, -m.end))
        out.append((text[start:end], covering))
    return out


def innermost_quote(marks: list[Mark]) -> str | None:
    quotes = [m.quote for m in marks if m.quote is not None]
    return quotes[-1] if quotes else None


def _rows(doc: Document, quotes: list[Quote]) -> list[Row]:
    if not doc.sentences:
        return _block_rows(doc)
    paragraph_of = {sid: p.id for p in doc.paragraphs or [] for sid in p.sentences}
    rows = []
    for sentence in doc.sentences:
        ar, base = _sentence_text(doc, sentence)
        row = Row(
            id=sentence.id,
            ar=ar,
            en=sentence.translation,
            paragraph=paragraph_of.get(sentence.id),
            flags=list(sentence.flags or []),
        )
        for quote in quotes:
            _add_arabic_quote(row, sentence, base, quote)
        for index, flag in enumerate(row.flags):
            mark = _flag_mark(row, base, flag, index)
            if mark is not None:
                (row.en_marks if flag.on == "en" else row.ar_marks).append(mark)
        rows.append(row)
    by_id = {row.id: row for row in rows}
    for quote in quotes:
        _add_english_quote(by_id, quote)
    return rows


def _block_rows(doc: Document) -> list[Row]:
    """Before segmentation: one row per paragraph, or the whole text as one block."""
    if doc.paragraphs:
        return [Row(id=p.id, ar=doc.text[p.start : p.end], en=None, paragraph=p.id) for p in doc.paragraphs]
    return [Row(id="text", ar=doc.text, en=None)]


def _sentence_text(doc: Document, sentence: Sentence) -> tuple[str, int | None]:
    """The sentence's Arabic and the offset of its first character in doc.text (None when the
    offsets do not point at the sentence, so spans cannot be placed by offset)."""
    if doc.text[sentence.start : sentence.end] == sentence.text:
        return sentence.text, sentence.start
    return sentence.text, None


def _add_arabic_quote(row: Row, sentence: Sentence, base: int | None, quote: Quote) -> None:
    in_sentence = quote.sentence == sentence.id or sentence.id in quote.sentences or quote.id in sentence.quotes
    if not in_sentence:
        return
    span = _arabic_span(row.ar, base, quote)
    if span is not None:
        row.ar_marks.append(Mark(*span, quote=quote.id))
    if quote.sentence == sentence.id:
        row.quotes.append(quote)


def _add_english_quote(rows: dict[str, Row], quote: Quote) -> None:
    """The quotation's English spans: `translation.spans` when it covers several sentence
    translations, else start/end in its own sentence's; with none that fits, it was translated on
    its own and is shown as such under its sentence."""
    translation = quote.translation
    if translation is None:
        return
    if translation.spans:
        spans = list(translation.spans)
    elif translation.start is not None and translation.end is not None:
        spans = [(quote.sentence, translation.start, translation.end)]
    else:
        spans = []
    placed = False
    for sentence_id, start, end in spans:
        row = rows.get(sentence_id)
        if row is not None and row.en and 0 <= start < end <= len(row.en):
            row.en_marks.append(Mark(start, end, quote=quote.id))
            placed = True
    home = rows.get(quote.sentence)
    if not placed and translation.text and home is not None:
        home.separate.append(quote)


def _arabic_span(ar: str, base: int | None, quote: Quote) -> tuple[int, int] | None:
    if base is not None:
        start, end = max(quote.start - base, 0), min(quote.end - base, len(ar))
        if start < end:
            return start, end
        return None
    # Offsets unusable: find the quotation's text in the sentence instead.
    found = ar.find(quote.text) if quote.text else -1
    return (found, found + len(quote.text)) if found >= 0 else None


def _flag_mark(row: Row, base: int | None, flag: Flag, index: int) -> Mark | None:
    if flag.span is None:
        return None
    start, end = flag.span
    if flag.on == "en":
        limit = len(row.en or "")
    else:
        if base is None:
            return None
        start, end, limit = start - base, end - base, len(row.ar)
    start, end = max(start, 0), min(end, limit)
    return Mark(start, end, flag=index) if start < end else None


def _english_names(quotes: list[Quote]) -> dict[str, str]:
    """Arabic speaker name -> its English form, where the quotes stage gave one."""
    return {q.speaker.name: q.speaker.english for q in quotes if q.speaker and q.speaker.english}


def _key_quote(item: Any, english_names: dict[str, str]) -> dict[str, str]:
    if not isinstance(item, dict):
        return {"quote": "", "speaker": "", "speaker_en": "", "ar": str(item), "en": ""}
    speaker = item.get("speaker") or ""
    english = item.get("speaker_en") or ""
    if isinstance(speaker, dict):
        english = english or speaker.get("english") or ""
        speaker = speaker.get("name") or speaker.get("mention") or ""
    return {
        "quote": str(item.get("quote") or ""),
        "speaker": str(speaker),
        "speaker_en": str(english or english_names.get(str(speaker), "")),
        "ar": str(item.get("ar") or ""),
        "en": str(item.get("en") or ""),
    }


def _str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)
