"""The Document that flows through every stage, and its JSON form (tarjama.document/1)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "tarjama.document/1"


@dataclass
class Source:
    path: str | None = None
    sha256: str | None = None
    encoding: str | None = None


@dataclass
class Paragraph:
    id: str
    start: int
    end: int
    sentences: list[str] = field(default_factory=list)


@dataclass
class Flag:
    """A QA finding on a sentence: which rule, how serious, why, and where (offsets into the
    sentence's translation when `on` is "en", into doc.text when "ar")."""

    rule: str
    severity: str
    message: str
    span: tuple[int, int] | None = None
    on: str = "en"
    # The other output when a rule translated the sentence again (the one not shown), so that a
    # replacement is never silent; None otherwise.
    alternative: str | None = None


@dataclass
class Sentence:
    id: str
    start: int
    end: int
    text: str
    translation: str | None = None
    quotes: list[str] = field(default_factory=list)
    # Translation chunks as (start, end) offsets into doc.text; empty means the sentence is one chunk.
    chunks: list[tuple[int, int]] = field(default_factory=list)
    flags: list[Flag] | None = None


@dataclass
class Speaker:
    mention: str
    name: str
    # Offsets of the mention in doc.text (None for a dropped subject resolved from context).
    start: int | None = None
    end: int | None = None
    english: str | None = None
    # Which sieve of the quotes stage chose this speaker (for example "verb-subject", "colon"), so a
    # reader can see why; None in documents written before sieves existed.
    method: str | None = None


@dataclass
class QuoteTranslation:
    text: str
    start: int | None
    end: int | None
    confidence: float
    method: str  # marks | attention | separate (model); reference | position (tarjama align)
    # For a quotation whose English covers more than one sentence translation (or not that of
    # quote.sentence): (sentence id, start, end) in each. start/end above stay in quote.sentence's.
    spans: list[tuple[str, int, int]] | None = None


@dataclass
class Quote:
    id: str
    sentence: str
    start: int  # inside the marks, offsets into doc.text
    end: int
    text: str
    kind: str  # speech | phrase | nested (quotations) | name | title | term (not quotations)
    sentences: list[str] = field(default_factory=list)
    speaker: Speaker | None = None
    translation: QuoteTranslation | None = None
    marks: tuple[str, str] = ("", "")
    problems: list[str] = field(default_factory=list)  # e.g. "reversed-open", "unclosed"
    parent: str | None = None

    @property
    def is_quotation(self) -> bool:
        return self.kind in ("speech", "phrase", "nested")


@dataclass
class Summary:
    method: str
    sentences: list[str]
    text: dict[str, str]
    key_quotes: list[dict[str, Any]] = field(default_factory=list)
    links: dict[str, list[str]] | None = None


@dataclass
class Document:
    text: str
    source: Source = field(default_factory=Source)
    meta: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[Paragraph] | None = None
    sentences: list[Sentence] | None = None
    quotes: list[Quote] | None = None
    summary: Summary | None = None
    qa: dict[str, Any] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    # Not part of the JSON: the text as read, and for each character of `text` its offset there.
    original: str | None = field(default=None, repr=False)
    offset_map: list[int] | None = field(default=None, repr=False)

    # -- lookups ---------------------------------------------------------------------------
    def sentence(self, sentence_id: str) -> Sentence:
        return self._sentences_by_id()[sentence_id]

    def quote(self, quote_id: str) -> Quote:
        return {q.id: q for q in self.quotes or []}[quote_id]

    def _sentences_by_id(self) -> dict[str, Sentence]:
        return {s.id: s for s in self.sentences or []}

    def original_offset(self, offset: int) -> int:
        """Map an offset in `text` back to the text as it was read."""
        if self.offset_map is None:
            return offset
        if offset >= len(self.offset_map):
            return len(self.original or "")
        return self.offset_map[offset]

    # -- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA, "source": _drop_none(vars(self.source))}
        out["meta"] = dict(self.meta)
        out["text"] = self.text
        if self.paragraphs is not None:
            out["paragraphs"] = [vars(p).copy() for p in self.paragraphs]
        if self.sentences is not None:
            out["sentences"] = [_sentence_dict(s) for s in self.sentences]
        if self.quotes is not None:
            out["quotes"] = [_quote_dict(q) for q in self.quotes]
        if self.summary is not None:
            out["summary"] = _drop_none(vars(self.summary).copy())
        if self.qa is not None:
            out["qa"] = self.qa
        out["provenance"] = self.provenance
        return out

    def to_json(self, *, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document (schema is {data.get('schema')!r})")
        doc = cls(text=data["text"], source=Source(**data.get("source", {})))
        doc.meta = dict(data.get("meta", {}))
        if "paragraphs" in data:
            doc.paragraphs = [Paragraph(**p) for p in data["paragraphs"]]
        if "sentences" in data:
            doc.sentences = [_sentence_from(s) for s in data["sentences"]]
        if "quotes" in data:
            doc.quotes = [_quote_from(q) for q in data["quotes"]]
        if "summary" in data:
            doc.summary = Summary(**data["summary"])
        doc.qa = data.get("qa")
        doc.provenance = dict(data.get("provenance", {}))
        return doc

    @classmethod
    def from_json(cls, text: str) -> Document:
        return cls.from_dict(json.loads(text))

    def _repr_html_(self) -> str:
        from pipeline.render import render

        return render(self, "html")


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _sentence_dict(s: Sentence) -> dict[str, Any]:
    d: dict[str, Any] = {"id": s.id, "start": s.start, "end": s.end, "text": s.text}
    if s.translation is not None:
        d["translation"] = s.translation
    d["quotes"] = list(s.quotes)
    if s.chunks:
        d["chunks"] = [list(c) for c in s.chunks]
    if s.flags is not None:
        d["flags"] = [_drop_none(vars(f).copy()) for f in s.flags]
        for f in d["flags"]:
            if "span" in f:
                f["span"] = list(f["span"])
    return d


def _sentence_from(d: dict[str, Any]) -> Sentence:
    s = Sentence(id=d["id"], start=d["start"], end=d["end"], text=d["text"])
    s.translation = d.get("translation")
    s.quotes = list(d.get("quotes", []))
    s.chunks = [tuple(c) for c in d.get("chunks", [])]
    if "flags" in d:
        s.flags = [
            Flag(**{**f, "span": tuple(f["span"]) if f.get("span") else None}) for f in d["flags"]
        ]
    return s


def _quote_dict(q: Quote) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": q.id,
        "sentence": q.sentence,
        "sentences": list(q.sentences),
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "kind": q.kind,
        "marks": list(q.marks),
    }
    if q.parent:
        d["parent"] = q.parent
    if q.problems:
        d["problems"] = list(q.problems)
    if q.speaker is not None:
        d["speaker"] = _drop_none(vars(q.speaker).copy())
    if q.translation is not None:
        d["translation"] = vars(q.translation).copy()
        if q.translation.spans is None:
            del d["translation"]["spans"]
        else:
            d["translation"]["spans"] = [list(span) for span in q.translation.spans]
    return d


def _quote_from(d: dict[str, Any]) -> Quote:
    q = Quote(
        id=d["id"],
        sentence=d["sentence"],
        start=d["start"],
        end=d["end"],
        text=d["text"],
        kind=d["kind"],
        sentences=list(d.get("sentences", [d["sentence"]])),
        marks=tuple(d.get("marks", ("", ""))),
        problems=list(d.get("problems", [])),
        parent=d.get("parent"),
    )
    if d.get("speaker"):
        q.speaker = Speaker(**d["speaker"])
    if d.get("translation"):
        t = dict(d["translation"])
        if t.get("spans") is not None:
            t["spans"] = [tuple(span) for span in t["spans"]]
        q.translation = QuoteTranslation(**t)
    return q
