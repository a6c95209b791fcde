"""qa: flag the sentences a reader must check, and translate looping ones again with a repetition guard."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.document import Document, Flag, Sentence
from pipeline.qa import count_flags, summarize
from pipeline.qa import length as qa_length
from pipeline.qa import names as qa_names
from pipeline.qa import rules as qa_rules
from pipeline.qa.length import length_z
from pipeline.qa.repetition import Loop, find_loop, loop_share
from pipeline.qa.rules import (
    SOURCE_MARKS,
    LengthRatioRule,
    NamesRule,
    NumbersRule,
    QuotationRule,
    RepetitionRule,
    TruncatedRule,
    UntranslatedRule,
)
from pipeline.stages import stage
from pipeline.stages.translate import needs_translation

__all__ = ["QA", "count_flags"]


@stage("qa", requires=("translations",), provides=("qa",), needs_model=True, shares=("generation",))
@dataclass
class QA:
    """Flag numbers lost, loops, odd lengths, untranslated text, lost quotations, name variants and cut-off output."""

    numbers: NumbersRule = field(default_factory=NumbersRule)
    repetition: RepetitionRule = field(default_factory=RepetitionRule)
    length_ratio: LengthRatioRule = field(default_factory=LengthRatioRule)
    untranslated: UntranslatedRule = field(default_factory=UntranslatedRule)
    quotation: QuotationRule = field(default_factory=QuotationRule)
    names: NamesRule = field(default_factory=NamesRule)
    truncated: TruncatedRule = field(default_factory=TruncatedRule)
    _ctx: Any = field(default=None, repr=False)

    def setup(self, ctx: Any) -> None:
        self._ctx = ctx

    def __call__(self, doc: Document) -> Document:
        sentences = doc.sentences or []
        # Flags of earlier stages (the quotes stage's broken marks) stay; this stage's own are
        # computed afresh, so running it twice gives the same result.
        flags: dict[str, list[Flag]] = {
            s.id: [f for f in s.flags or [] if f.rule not in qa_rules.RULES] for s in sentences}
        hit_max = set(doc.provenance.get("translate", {}).get("hit_max_length", []))
        model_output = _model_output(doc)
        if self.repetition.enabled:
            for sentence_id, found in self._repetition(doc).items():
                flags[sentence_id].extend(found.flags)
                if found.hit_max_length:
                    hit_max.add(sentence_id)
        level = qa_length.document_level([(s.text, s.translation) for s in sentences if s.translation],
                                         self.length_ratio.min_letters)
        for sentence in sentences:
            found = flags[sentence.id]
            if self.numbers.enabled:
                found.extend(qa_rules.check_numbers(sentence, self.numbers))
            if self.untranslated.enabled:
                found.extend(qa_rules.check_untranslated(sentence, self.untranslated))
            if self.truncated.enabled:
                found.extend(qa_rules.check_truncated(sentence, self.truncated, hit_max_length=sentence.id in hit_max,
                                                      model_output=model_output))
            if self.length_ratio.enabled and not any(f.rule == "repetition" for f in found):
                found.extend(qa_rules.check_length_ratio(sentence, self.length_ratio, level))
        skipped: dict[str, str] = {}
        links = qa_names.article_links(doc, min_similarity=self.names.min_similarity,
                                    min_spelling_similarity=self.names.min_spelling_similarity)
        if self.quotation.enabled:
            if qa_rules.alignment_ran(doc):
                name_forms = qa_names.established_forms(doc, links)
                for sentence_id, found in qa_rules.check_quotations(doc, self.quotation, name_forms=name_forms).items():
                    flags.setdefault(sentence_id, []).extend(found)
            elif doc.quotes:
                skipped["quotation"] = "quotations were not aligned (the align stage did not run)"
        if self.names.enabled:
            for sentence_id, found in qa_rules.check_names(doc, self.names, links=links).items():
                flags.setdefault(sentence_id, []).extend(found)
        for sentence in sentences:
            sentence.flags = _source_marks_as_notes(flags.get(sentence.id, []))
        doc.qa = summarize(doc)
        if skipped:
            doc.qa["skipped"] = skipped
        retried = sum(1 for s in sentences for f in s.flags or [] if f.alternative is not None)
        if retried:
            doc.qa["retried"] = retried
        return doc

    # -- repetition and the retry ---------------------------------------------------------------
    def _repetition(self, doc: Document) -> dict[str, _Repetition]:
        settings = self.repetition
        found: dict[str, _Repetition] = {}
        for sentence in doc.sentences or []:
            loop, too_long = qa_rules.find_repetition(sentence, settings)
            if loop is not None or too_long is not None:
                found[sentence.id] = _Repetition(sentence, loop, too_long)
        if not found:
            return {}
        backend = self._retry_backend(doc)
        if backend is not None:
            self._retry(doc, list(found.values()), backend)
        else:
            for item in found.values():
                item.flags.append(qa_rules.make_flag(
                    "repetition", f"{qa_rules.describe_repetition(item.loop, item.too_long)}; check it against the "
                    "Arabic.", span=(item.loop.start, item.loop.end) if item.loop else None))
        return found

    def _retry_backend(self, doc: Document) -> Any:
        """The model to translate with again: only when this run's translate stage made the
        translations (never for a human translation checked by `tarjama align`)."""
        if not self.repetition.retry or self._ctx is None or not _model_output(doc):
            return None
        return self._ctx.backend()

    def _guarded_settings(self) -> Any:
        """The run's `generation` settings, with the repetition guard on: what the retry decodes with."""
        return replace(self._ctx.generation, no_repeat_ngram_size=self.repetition.no_repeat_ngram_size,
                       repetition_penalty=self.repetition.repetition_penalty)

    def _retry(self, doc: Document, items: list[_Repetition], backend: Any) -> None:
        settings = self._guarded_settings()
        pieces_by_item = [_pieces(doc, item.sentence) for item in items]
        texts = sorted({p for pieces in pieces_by_item for p in pieces if needs_translation(p)})
        # The pieces are the translate stage's own chunks: through its cache, then joined and capped
        # per sentence as it does, so a cached retry reads as a fresh one.
        from pipeline.stages.translate import cap_length, join_pieces, translate_pieces

        results = translate_pieces(self._ctx, backend, texts, settings)
        guard = f"no_repeat_ngram_size={settings.no_repeat_ngram_size}, repetition_penalty={settings.repetition_penalty}"
        for item, pieces in zip(items, pieces_by_item, strict=True):
            sentence = item.sentence
            first = sentence.translation or ""
            joined = cap_length(join_pieces(pieces, results), sentence.text, settings.max_chars_a, settings.max_chars_b)
            retry, retry_hit_max = joined.text, joined.hit_max_length
            what = qa_rules.describe_repetition(item.loop, item.too_long)
            keep_retry = _better(sentence.text, first, retry, self.repetition)
            if keep_retry:
                sentence.translation = retry
                _move_quote_spans(doc, sentence, first, retry)
                item.hit_max_length = retry_hit_max
                left = _loop(retry, self.repetition)
                if left is None:
                    item.flags.append(qa_rules.make_flag(
                        "repetition", f"{what}; it was translated again with a repetition guard ({guard}) and the new "
                        "output replaced it (the first output is kept in this flag).", severity="warning",
                        alternative=first))
                else:
                    item.flags.append(qa_rules.make_flag(
                        "repetition", f"{what}; translated again with a repetition guard ({guard}), the new output "
                        f"still repeats {left.describe()} but less, so it replaced the first (kept in this flag).",
                        span=(left.start, left.end), alternative=first))
            else:
                item.flags.append(qa_rules.make_flag(
                    "repetition", f"{what}; it was translated again with a repetition guard ({guard}) but the retry "
                    "was no better, so the first output is kept (the retry is in this flag).",
                    span=(item.loop.start, item.loop.end) if item.loop else None, alternative=retry))


def _source_marks_as_notes(flags: list[Flag]) -> list[Flag]:
    """A broken quotation mark in the Arabic is a note about the source, not about the translation:
    the quotation rule says where it left a quotation without a reliable English counterpart, and
    only then does the mark flag keep its severity (on ntrex-dev's professional translations
    the marks flags alone were on 4.8% of the sentences, none of them a translation fault)."""
    if any(f.rule == "quotation" and f.severity not in ("info", "notice") for f in flags):
        return flags
    return [replace(f, severity="info") if f.rule == SOURCE_MARKS else f for f in flags]


def _model_output(doc: Document) -> bool:
    """Whether the translations came from this run's model (the translate stage records its
    generation settings), rather than from a human translation aligned by `tarjama align`."""
    return "generation" in doc.provenance


@dataclass
class _Repetition:
    sentence: Sentence
    loop: Loop | None
    too_long: float | None
    flags: list[Flag] = field(default_factory=list)
    hit_max_length: bool = False


def _pieces(doc: Document, sentence: Sentence) -> list[str]:
    """The texts the translate stage sent to the model for this sentence (its chunks)."""
    spans = sentence.chunks or [(sentence.start, sentence.end)]
    return [piece for piece in (doc.text[a:b].strip() for a, b in spans) if piece]


def _loop(text: str, settings: RepetitionRule) -> Loop | None:
    return find_loop(text, min_repeats=settings.min_repeats, max_ngram=settings.max_ngram,
                     scattered_ngram=settings.scattered_ngram)


def _better(arabic: str, first: str, retry: str, settings: RepetitionRule) -> bool:
    """Whether the retry should replace the first output: less of it in a loop, or as loop-free
    but closer to the length the Arabic predicts."""
    if not retry.strip():
        return False
    options = {"min_repeats": settings.min_repeats, "max_ngram": settings.max_ngram,
               "scattered_ngram": settings.scattered_ngram}
    first_share, retry_share = loop_share(first, **options), loop_share(retry, **options)
    if retry_share != first_share:
        return retry_share < first_share
    first_z, retry_z = length_z(arabic, first), length_z(arabic, retry)
    return abs(retry_z or 0.0) < abs(first_z or 0.0)


def _move_quote_spans(doc: Document, sentence: Sentence, old: str, new: str) -> None:
    """Quotation spans index the sentence's translation: find each again in the new output, or drop
    the span (the quotation rule then flags it) rather than point at the wrong words."""
    for quote in doc.quotes or []:
        t = quote.translation
        if t is None:
            continue
        if quote.sentence == sentence.id and t.start is not None and t.end is not None:
            text = old[t.start : t.end]
            at = new.find(text) if text else -1
            if at >= 0:
                t.start, t.end = at, at + len(text)
            else:
                t.start = t.end = None
                t.confidence = 0.0
        if t.spans:
            moved = []
            for sentence_id, start, end in t.spans:
                if sentence_id != sentence.id:
                    moved.append((sentence_id, start, end))
                    continue
                text = old[start:end]
                at = new.find(text) if text else -1
                if at >= 0:
                    moved.append((sentence_id, at, at + len(text)))
            t.spans = moved or None
