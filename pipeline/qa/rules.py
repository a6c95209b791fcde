"""The QA rules: each a name, a severity, a one-line explanation, its settings and its check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pipeline.arabic import ARABIC_LETTER
from pipeline.document import Document, Flag, Quote, Sentence
from pipeline.qa import length, names, numbers
from pipeline.qa.repetition import Loop, find_loop

SOURCE_MARKS = "quote-marks"  # the quotes stage's flags on broken quotation marks in the Arabic


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str  # the usual severity; a rule may raise or lower it for one finding
    explanation: str


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("numbers", "error", "A number or date of the Arabic is missing or different in the English."),
        Rule("repetition", "error", "The translation repeats a phrase in a loop or runs far longer than the source."),
        Rule("length_ratio", "warning",
             "The English is much shorter or longer than translations of Arabic this long usually are."),
        Rule("untranslated", "error", "Arabic text was left untranslated in the English."),
        Rule("quotation", "error", "A quotation has no reliable English counterpart in the translation."),
        Rule("names", "warning", "A name is spelled differently here than elsewhere in the article."),
        Rule("truncated", "error", "The translation is empty or stops before the end of the sentence."),
    )
}


# -- settings (one block per rule under `qa:` in the YAML) --------------------------------------


@dataclass
class NumbersRule:
    enabled: bool = True
    extra: bool = True  # also warn about English numbers that the Arabic does not have


@dataclass
class RepetitionRule:
    enabled: bool = True
    min_repeats: int = 3  # a phrase said this many times in a row is a loop
    max_ngram: int = 8  # longest phrase (in words) looked for
    scattered_ngram: int = 5  # a phrase this long said min_repeats times anywhere is a loop too (0: off)
    long_k: float = 4.5  # longer than the calibrated length by this many deviations counts as a loop
    retry: bool = True  # translate a looping sentence again with the guard below and keep the better output
    no_repeat_ngram_size: int = 3
    repetition_penalty: float = 1.3


@dataclass
class LengthRatioRule:
    enabled: bool = True
    k: float = 3.0  # note (severity info) beyond this many calibrated deviations (see pipeline/qa/length.py)
    # Warn beyond this many: 3 of the 812 gold pairs of professional translations in ntrex-dev
    # pass 4 deviations, one passes 5 (eval/calibrate_length.py).
    warn_k: float = 4.5
    min_letters: int = 15  # shorter Arabic sentences vary too much to judge


@dataclass
class UntranslatedRule:
    enabled: bool = True


@dataclass
class QuotationRule:
    enabled: bool = True
    min_confidence: float = 0.5  # below this an aligned span gets a warning
    kinds: list[str] = field(default_factory=lambda: ["speech", "phrase"])  # quotation kinds checked
    short_k: float = 3.5  # an aligned span shorter than the Arabic predicts by this many deviations


@dataclass
class NamesRule:
    enabled: bool = True
    min_similarity: float = 0.75  # consonant-skeleton match between an Arabic and an English word
    # Two English forms this alike are spellings of one name; less alike, they are different words
    # (France/French, Naples/Napoli, Spain/Spanish are 0.5-0.6; a respelling of one letter 0.75+).
    min_spelling_similarity: float = 0.7


@dataclass
class TruncatedRule:
    enabled: bool = True
    # Warn when the Arabic ends a sentence and the English does not: for model output only
    # ("model"), since a human translation aligned by `tarjama align` is often cut where the
    # translator joined two sentences; or "always", or "never".
    final_punctuation: Literal["model", "always", "never"] = "model"


# -- checks ---------------------------------------------------------------------------------------

_ARABIC_RUN = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
                         r"(?:[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\s\d.,:;!?\"'«»“”()-]*"
                         r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff])?")
_CLOSERS = "\"'»”’)]}›*ـ \t\n"
_AR_FINAL = ".!?؟…"
_EN_FINAL = ".!?…"


def make_flag(rule: str, message: str, *, severity: str | None = None, span: tuple[int, int] | None = None,
          on: str = "en", alternative: str | None = None) -> Flag:
    return Flag(rule, severity or RULES[rule].severity, message, span, on, alternative)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_numbers(sentence: Sentence, settings: NumbersRule) -> list[Flag]:
    if not sentence.translation:
        return []
    report = numbers.compare(sentence.text, sentence.translation, check_extra=settings.extra)
    flags = []
    extra = list(report.extra)
    for number in report.missing:
        span = (sentence.start + number.start, sentence.start + number.end)
        # A changed number is one finding: the Arabic's number is missing and another took its place.
        changed = next((e for e in extra if len(_digits(e.text)) == len(_digits(number.text))), None)
        if changed is None and len(report.missing) == 1 and len(extra) == 1:
            changed = extra[0]
        if changed is not None:
            extra.remove(changed)
            flags.append(make_flag("numbers", f"The number {number.text} of the Arabic is {changed.text} in the English.",
                               span=(changed.start, changed.end)))
            continue
        flags.append(make_flag("numbers", f"The number {number.text} of the Arabic is not in the English.",
                           span=span, on="ar"))
    for month in report.missing_months:
        english = numbers.MONTH_NAMES_EN[month.month - 1]
        flags.append(make_flag("numbers", f"The month {month.name} ({english}) of the Arabic date is not in the English.",
                           span=(sentence.start + month.start, sentence.start + month.end), on="ar"))
    # A number the English adds is a weak signal: on professional translations it is a number
    # the Arabic writes in words (بهدفين, "2-2"), or a detail the translator knew.
    for number in extra:
        flags.append(make_flag("numbers", f"The number {number.text} in the English is not in the Arabic.",
                           severity="info", span=(number.start, number.end)))
    return flags


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def find_repetition(sentence: Sentence, settings: RepetitionRule) -> tuple[Loop | None, float | None]:
    """The loop in the sentence's translation, and its length score when that is past long_k."""
    text = sentence.translation or ""
    loop = find_loop(text, min_repeats=settings.min_repeats, max_ngram=settings.max_ngram,
                     scattered_ngram=settings.scattered_ngram)
    z = length.length_z(sentence.text, text)
    too_long = z if z is not None and z > settings.long_k and length.letters(sentence.text) >= 15 else None
    return loop, too_long


def describe_repetition(loop: Loop | None, too_long: float | None) -> str:
    if loop is not None:
        return f"The translation repeats {loop.describe()}"
    return f"The translation is far longer than the Arabic predicts ({too_long:.1f} deviations)"


def check_length_ratio(sentence: Sentence, settings: LengthRatioRule,
                       mean: float = length.LOG_RATIO_MEAN) -> list[Flag]:
    """`mean`: the log ratio expected, the calibrated one or the document's level
    (length.document_level)."""
    if not sentence.translation or length.letters(sentence.text) < settings.min_letters:
        return []
    z = length.length_z(sentence.text, sentence.translation, mean)
    if z is None or abs(z) <= settings.k:
        return []
    low, high = length.expected_range(sentence.text, settings.k, mean)
    got = length.letters(sentence.translation)
    why = "a clause may be missing" if z < 0 else "something may be added or repeated"
    return [make_flag("length_ratio", f"The English has {got} letters where {low}-{high} are expected for this "
                  f"Arabic; {why}.", severity="warning" if abs(z) > settings.warn_k else "info")]


def check_untranslated(sentence: Sentence, settings: UntranslatedRule) -> list[Flag]:
    english = sentence.translation or ""
    if not english or not ARABIC_LETTER.search(sentence.text):
        return []
    if " ".join(english.split()) == " ".join(sentence.text.split()):
        return [make_flag("untranslated", "The English is identical to the Arabic source: it was not translated.",
                      span=(0, len(english)))]
    runs = [m for m in _ARABIC_RUN.finditer(english) if ARABIC_LETTER.search(m.group())]
    if not runs:
        return []
    first = runs[0]
    more = f" (and {len(runs) - 1} more)" if len(runs) > 1 else ""
    return [make_flag("untranslated", f"Arabic text is left in the English: “{_short(first.group())}”{more}.",
                  span=(first.start(), first.end()))]


def check_truncated(sentence: Sentence, settings: TruncatedRule, *, hit_max_length: bool = False,
                    model_output: bool = True) -> list[Flag]:
    english = (sentence.translation or "").strip()
    if not english:
        if ARABIC_LETTER.search(sentence.text):
            return [make_flag("truncated", "The translation is empty.")]
        return []
    if hit_max_length:
        return [make_flag("truncated", "Generation stopped at its length budget (max_len_a × source + max_len_b, "
                      "at most max_new_tokens): the end of the sentence is probably missing.")]
    if settings.final_punctuation == "never" or (settings.final_punctuation == "model" and not model_output):
        return []
    arabic_end = sentence.text.rstrip(_CLOSERS)
    english_end = english.rstrip(_CLOSERS)
    if arabic_end and arabic_end[-1] in _AR_FINAL and english_end and english_end[-1] not in _EN_FINAL:
        tail = len(english_end)
        return [make_flag("truncated", "The Arabic sentence ends with a full stop but the English does not: it may "
                      "be cut short.", severity="warning", span=(max(0, tail - 20), tail))]
    return []


def alignment_ran(doc: Document) -> bool:
    """True when the align stage (or `tarjama align`) gave quotations their English."""
    if "align" in (doc.provenance.get("stages") or []):
        return True
    return any(q.translation is not None for q in doc.quotes or [])


def check_quotations(doc: Document, settings: QuotationRule, *, name_forms: dict[str, set[str]] | None = None
                     ) -> dict[str, list[Flag]]:
    """Flags per sentence id for quotations of the checked kinds that have no trustworthy English
    span. `name_forms` (Arabic name -> English forms in this article) lets a span that lacks the
    names of its Arabic quotation be caught."""
    out: dict[str, list[Flag]] = {}
    for quote in doc.quotes or []:
        if quote.kind not in settings.kinds:
            continue
        flag = _quotation_flag(doc, quote, settings, name_forms or {})
        if flag is not None:
            out.setdefault(quote.sentence, []).append(flag)
    if "term" not in settings.kinds:
        for sentence_id, flag in _dropped_terms(doc):
            out.setdefault(sentence_id, []).append(flag)
    for sentence_id, flag in _introduced_without_quotation(doc):
        if not any(f.severity not in ("info", "notice") for f in out.get(sentence_id, [])):
            out.setdefault(sentence_id, []).append(flag)
    return out


def _dropped_terms(doc: Document) -> list[tuple[str, Flag]]:
    """Words in marks (a term, «مستقرة» / "stable") that a reference translation gives no marks,
    in a sentence whose English has fewer pairs of marks than the Arabic and names none of
    their words: probably left out. Only for human translations aligned by `tarjama align`, the
    one place where such words get English by their marks; on ntrex-dev's 56 unchanged
    translations every term left without marks was a name the English spells out.

    A single Arabic word taken for a name or a title counts too, where the sentence's marks are
    sound: the quotes stage cannot tell a scare-quoted common word («رؤية» / 'see', «غضب» /
    'furious') from a one-word name, and a real name is found in the English by its spelling.
    Names of several words are left out (translators translate them: «صراع العروش» is Game of
    Thrones), and so are words that broken marks cut out ("وصرح "باتون" قائلًا")."""
    from pipeline.align.marks import find_marked_spans
    from pipeline.align.transliteration import find_name

    if doc.provenance.get("backend") != "reference":
        return []
    out = []
    for quote in doc.quotes or []:
        if quote.kind not in ("term", "name", "title") or quote.translation is not None or quote.parent:
            continue
        sentence = doc.sentence(quote.sentence)
        if quote.kind != "term" and (len(quote.text.split()) > 1 or not ARABIC_LETTER.search(quote.text)
                                     or any(f.rule == SOURCE_MARKS for f in sentence.flags or [])):
            continue
        english = sentence.translation or ""
        arabic = [q for q in doc.quotes or [] if q.sentence == sentence.id and not q.parent]
        marked = [s for s in find_marked_spans(english) if s.depth == 0]
        if not english or len(marked) >= len(arabic) or find_name(quote.text, english):
            continue
        out.append((sentence.id, make_flag("quotation", f"The words in marks “{_short(quote.text)}” have no marks in the "
                                       "English, which does not name them either: the translation may have dropped "
                                       "them.", severity="warning", span=(quote.start, quote.end), on="ar")))
    return out


# A verb of saying and a colon: English follows it with a quotation in marks.
_INTRODUCES = re.compile(r"\b(?:said|says|added|adds|wrote|writes|asked|stated|explained|tweeted|declared|replied|"
                         r"(?:told|telling) [A-Za-z]+(?: [A-Za-z]+)?):\s+(?=[^\s\"“‘'«])")


def _introduced_without_quotation(doc: Document) -> list[tuple[str, Flag]]:
    """Sentences whose English announces a quotation ("Doyle said: ") and goes on without marks,
    next to an Arabic quotation: the quotation was probably dropped with its marks."""
    from pipeline.align.marks import find_marked_spans

    sentences = doc.sentences or []
    quoted = {q.sentence for q in doc.quotes or [] if q.is_quotation}
    out = []
    for k, sentence in enumerate(sentences):
        english = sentence.translation or ""
        near = {s.id for s in sentences[max(0, k - 1) : k + 2]}
        if not english or not quoted & near:
            continue
        inside = [(m.start, m.end) for m in find_marked_spans(english)]
        for m in _INTRODUCES.finditer(english):
            if not any(a <= m.start() < b for a, b in inside):
                out.append((sentence.id, make_flag("quotation", f"The English announces a quotation (“{m.group().strip()}”) "
                                               "but none follows in marks: the translation may have dropped it.",
                                               severity="warning", span=(m.start(), m.end()))))
                break
    return out


def _quotation_flag(doc: Document, quote: Quote, settings: QuotationRule, name_forms: dict[str, set[str]]
                    ) -> Flag | None:
    # The speaker only by the English name alignment found for them: the quotes stage's speaker
    # may be a phrase of the sentence (بصورة غير مباشرة), which a reviewer must not read as a name.
    who = f" of {quote.speaker.english}" if quote.speaker and quote.speaker.english else ""
    where = (quote.start, quote.end)
    t = quote.translation
    if t is None:
        return make_flag("quotation", f"The quotation{who} was given no English by alignment.", span=where, on="ar")
    has_span = t.start is not None and t.end is not None and t.end > t.start
    if not has_span and t.spans:
        has_span = any(end > start for _, start, end in t.spans)
    if t.method == "separate" or not has_span:
        how = "it was translated on its own" if t.method == "separate" and t.text else "the translation may have dropped it"
        return make_flag("quotation", f"The quotation{who} has no matching span in the sentence's English; {how}.",
                     span=where, on="ar")
    if t.confidence < settings.min_confidence:
        if _dropped(doc, quote):
            return make_flag("quotation", f"The quotation{who} “{_short(quote.text)}” has no quotation marks in the "
                         "English, which does not name it either: the translation may have dropped it.", span=where, on="ar")
        # Marks the English lacks or pairs differently, with nothing lost: a reviewer may look.
        return make_flag("quotation", f"The English span of the quotation{who} is uncertain (alignment confidence "
                     f"{t.confidence:.2f}).", severity="info", span=_english_span(doc, quote))
    english = _span_text(doc, quote)
    lost = [n.text for n in numbers.compare(quote.text, english, check_extra=False).missing]
    lost += [_any_form(forms) for key, forms in names.names_in(quote.text, name_forms).items()
             if not _mentions(english, forms)]
    # The two checks below are weak on professional translations (a translator puts a name or a
    # number outside the marks, or quotes more tersely): information, not a warning.
    if lost:
        listing = ", ".join(dict.fromkeys(lost))
        return make_flag("quotation", f"The English span of the quotation{who} lacks {listing} of the Arabic quotation: "
                     "it may be another quotation's English or miss a part.", severity="info",
                     span=_english_span(doc, quote))
    z = length.length_z(quote.text, english) if english else None
    if z is not None and z < -settings.short_k and length.letters(quote.text) >= 15:
        return make_flag("quotation", f"The English span of the quotation{who} is much shorter than the Arabic "
                     "quotation: part of it may be missing.", severity="info", span=_english_span(doc, quote))
    return None


def _dropped(doc: Document, quote: Quote) -> bool:
    """Whether a quotation that alignment could not place by marks was probably left out: its
    sentence's English has fewer pairs of marks than the Arabic has quotations and names none of
    its words, and either the quotation is someone's words, a statement or a phrase (professional
    translators keep their marks; they drop them around names and titles: on ntrex-dev's 56
    unchanged translations 2 phrases lost their marks, and a deleted phrase leaves no trace in
    the length), or the English length is nearer what the Arabic predicts without the quotation
    than with it."""
    from pipeline.align.marks import find_marked_spans
    from pipeline.align.transliteration import find_name

    sentence = doc.sentence(quote.sentence)
    english = sentence.translation or ""
    arabic = [q for q in doc.quotes or [] if q.sentence == sentence.id and q.is_quotation and not q.parent]
    marked = [s for s in find_marked_spans(english) if s.depth == 0]
    if len(marked) >= len(arabic) or find_name(quote.text, english):
        return False
    if quote.kind in ("speech", "phrase"):
        return True
    a, b = max(quote.start, sentence.start), min(quote.end, sentence.end)
    without = doc.text[sentence.start : a] + doc.text[b : sentence.end]
    level = length.document_level([(s.text, s.translation) for s in doc.sentences or [] if s.translation])
    with_quote = length.length_z(sentence.text, english, level)
    without_quote = length.length_z(without, english, level)
    if with_quote is None or without_quote is None:
        return False
    return abs(without_quote) < abs(with_quote)


def _any_form(forms: set[str]) -> str:
    return sorted(forms)[0]


def _mentions(english: str, forms: set[str]) -> bool:
    """Whether `english` names one of `forms`, in any spelling of it (a variant is the names
    rule's finding, not a lost quotation)."""
    words = [w for w, _, _ in names.english_name_words(english)] + english.split()
    skeletons = {names.english_sound_classes(form) for form in forms}
    for word in (w.strip(".,;:\"'“”‘’()") for w in words):
        if any(names.related(word, form) for form in forms) or (
                word[:1].isupper() and names.english_sound_classes(word) in skeletons):
            return True
    return False


def _span_text(doc: Document, quote: Quote) -> str:
    t = quote.translation
    if t is None:
        return ""
    if t.spans:
        parts = []
        for sentence_id, start, end in t.spans:
            parts.append((doc.sentence(sentence_id).translation or "")[start:end])
        return " ".join(parts)
    if t.start is None or t.end is None:
        return ""
    return (doc.sentence(quote.sentence).translation or "")[t.start : t.end]


def _english_span(doc: Document, quote: Quote) -> tuple[int, int] | None:
    t = quote.translation
    if t is not None and t.start is not None and t.end is not None and t.end > t.start:
        return (t.start, t.end)
    return None


def check_names(doc: Document, settings: NamesRule, *, links: list[names.Link] | None = None
                ) -> dict[str, list[Flag]]:
    out: dict[str, list[Flag]] = {}
    for variant in names.find_variants(doc, min_similarity=settings.min_similarity,
                                       min_spelling_similarity=settings.min_spelling_similarity, links=links):
        link = variant.link
        others = variant.suggested_count
        where = f"in {others} other sentence{'s' if others != 1 else ''}"
        # On a tie nothing says which spelling is right: no suggestion, so that two sentences
        # never suggest each other's spelling.
        advice = "use one form" if variant.tie else f"use one form (suggested: {variant.suggested})"
        message = f"{link.arabic} is written “{link.form}” here but “{variant.suggested}” {where}; {advice}."
        span = (link.start, link.end) if link.start >= 0 else None
        out.setdefault(link.sentence, []).append(make_flag("names", message, span=span))
    return out
