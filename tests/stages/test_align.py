"""The align stage: quotation marks in English, matching by marks, attention projection, separate translation, speakers."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from pipeline.backends.base import Attention, GenerationSettings, Translation
from pipeline.document import Document, Paragraph, Quote, Sentence, Speaker
from pipeline.errors import ConfigError
from pipeline.stages.align import Align

# -- quotation marks in English ------------------------------------------------------------------











# -- hand-made documents ---------------------------------------------------------------------------

_ARABIC_QUOTE = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')


def make_doc(paragraphs: list[list[tuple[str, str]]]) -> Document:
    """A document from paragraphs of (Arabic sentence, English translation); every span in
    "…", «…» or “…” is a quotation, “…” inside «…» a nested one. The speaker of each is the
    word before its paragraph's first quotation mark."""
    text, sentences, paras = "", [], []
    for p_index, paragraph in enumerate(paragraphs):
        if text:
            text += "\n"
        p_start, ids = len(text), []
        for arabic, english in paragraph:
            if text and not text.endswith("\n"):
                text += " "
            sid = f"s{len(sentences) + 1}"
            sentences.append(Sentence(sid, len(text), len(text) + len(arabic), arabic, translation=english))
            ids.append(sid)
            text += arabic
        paras.append(Paragraph(f"p{p_index + 1}", p_start, len(text), ids))
    doc = Document(text=text, paragraphs=paras, sentences=sentences, quotes=[])

    def add(start: int, end: int, parent: str | None) -> str:
        touched = [s.id for s in sentences if s.start < end and s.end > start]
        qid = f"q{len(doc.quotes) + 1}"
        doc.quotes.append(Quote(qid, touched[0], start, end, text[start:end], "nested" if parent else "speech",
                                sentences=touched, parent=parent))
        return qid

    for m in _ARABIC_QUOTE.finditer(text):
        group = next(g for g in range(1, 4) if m.group(g) is not None)
        qid = add(m.start(group), m.end(group), None)
        if group == 2:
            for n in re.finditer(r"“([^”]*)”", m.group(2)):
                add(m.start(2) + n.start(1), m.start(2) + n.end(1), qid)
    return doc


class FakeBackend:
    """Translates by tagging the text; no attention."""

    name = "fake"
    max_source_tokens = 512

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, texts, settings):
        self.calls.append(list(texts))
        return [Translation(text=f"EN<{t}>", tokens=1) for t in texts]

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1


class DiagonalBackend(FakeBackend):
    """Word k of the target attends to word k of the source (scaled to the source length)."""

    def attention(self, source: str, target: str) -> Attention:
        src = [(m.start(), m.end()) for m in re.finditer(r"\S+", source)]
        tgt = [(m.start(), m.end()) for m in re.finditer(r"\S+", target)]
        weights = []
        for t in range(len(tgt)):
            row = [0.02] * (len(src) + 1)  # the last column is end-of-sentence
            row[min(len(src) - 1, round(t * len(src) / max(1, len(tgt))))] = 1.0
            weights.append(row)
        return Attention(source_spans=[*src, None], target_spans=tgt, weights=weights)


def run_align(doc: Document, backend=None, **settings) -> Document:
    stage = Align(**settings)
    ctx = SimpleNamespace(backend=lambda: backend, generation=GenerationSettings(), cache=None)
    stage.setup(ctx)
    return stage(doc)


def english_of(doc: Document) -> list[str]:
    return [q.translation.text for q in doc.quotes]


BY_MARKS = [
    # one quotation, straight marks kept
    ([[('قال الوزير "سنبقى هنا" اليوم.', 'The minister said "we will stay here" today.')]],
     ["we will stay here"]),
    # two quotations, curly marks in the English
    ([[('قال "سنبقى" وأضاف "سنقاتل".', "He said “we will stay” and added “we will fight”.")]],
     ["we will stay", "we will fight"]),
    # guillemets in the Arabic, straight marks in the English, an apostrophe that is no mark
    ([[("وقال «القوات باقية» في البلاد.", "The country's minister said \"the forces remain\" there.")]],
     ["the forces remain"]),
    # a nested quotation in single quotes
    ([[("قال «القوات تسحب بسبب “تعليق” البرنامج».", "He said \"forces leave because of the 'suspension' of the programme\".")]],
     ["forces leave because of the 'suspension' of the programme", "suspension"]),
    # quotations in two paragraphs, counted per paragraph
    ([[('قال "نعم".', 'He said "yes".')], [('ورد "لا".', 'They replied "no".'), ("وانتهى الأمر.", "It ended.")]],
     ["yes", "no"]),
]


@pytest.mark.parametrize(("paragraphs", "expected"), BY_MARKS)
def test_alignment_by_marks(paragraphs, expected) -> None:
    doc = run_align(make_doc(paragraphs), FakeBackend())
    assert english_of(doc) == expected
    for q in doc.quotes:
        t = q.translation
        assert t.method == "marks" and 0.5 <= t.confidence <= 1.0
        translation = doc.sentence(q.sentence).translation
        assert translation[t.start : t.end] == t.text


@pytest.mark.parametrize("english", ['The newspaper "Okaz" reported that "the situation is calm".',
                                     'The newspaper Okaz reported that "the situation is calm".'])
def test_names_in_marks_count_only_when_the_english_kept_their_marks(english: str) -> None:
    doc = make_doc([[('ونقلت صحيفة «عكاظ» أن "الوضع هادئ".', english)]])
    doc.quotes[0].kind = "name"
    run_align(doc, FakeBackend())
    assert doc.quotes[0].translation is None  # a name is not a quotation: left alone
    assert (doc.quotes[1].translation.text, doc.quotes[1].translation.method) == ("the situation is calm", "marks")






def test_quotation_broken_by_its_attribution_takes_both_spans() -> None:
    doc = run_align(make_doc([[('قال الوزير "سنبقى في القاعدة وسنواصل القتال حتى النهاية".',
                               '"We will stay at the base," the minister said, "and keep fighting to the end".')]]),
                    FakeBackend())
    q, = doc.quotes
    assert (q.translation.text, q.translation.method) == ("We will stay at the base and keep fighting to the end",
                                                          "marks")
    assert q.translation.confidence >= 0.5
    translation = doc.sentences[0].translation
    assert [translation[a:b] for _, a, b in q.translation.spans] == ["We will stay at the base",
                                                                     "and keep fighting to the end"]


def test_quotation_over_two_sentences_has_spans_in_both() -> None:
    doc = run_align(make_doc([[('قال: "سنبقى.', 'He said: "We will stay.'),
                               ('ولن نغادر أبدا". وانتهى.', 'We will never leave". It ended.')]]), FakeBackend())
    q, = doc.quotes
    assert q.translation.text == "We will stay. We will never leave"
    assert q.translation.method == "marks"
    s1, s2 = doc.sentences
    assert s1.translation[q.translation.start : q.translation.end] == "We will stay."
    assert q.translation.spans == [("s1", 10, 23), ("s2", 0, 19)]
    assert s2.translation[0:19] == "We will never leave"


def test_statement_over_paragraphs_covers_the_unmarked_middle() -> None:
    doc = run_align(make_doc([[('وقالت الوزارة: "نجحت الأجهزة في إحباط المخطط.', 'The ministry said: "The services foiled the plot.')],
                              [("وتبين أن العناصر تنتمي إلى تنظيم.", "The elements belong to an organization.")],
                              [('وتمت إحالتهم إلى النيابة".', 'They were referred to the prosecution".')]]), FakeBackend())
    q, = doc.quotes
    assert q.translation.text == ("The services foiled the plot. The elements belong to an organization. "
                                  "They were referred to the prosecution")
    assert [sid for sid, _, _ in q.translation.spans] == ["s1", "s2", "s3"]


def test_marks_lost_for_one_quotation_translates_it_separately() -> None:
    backend = FakeBackend()
    doc = run_align(make_doc([[('قال "سنبقى هنا" ثم أضاف بعد ذلك أن "الحرب لم تنته بعد في البلاد".',
                                'He said they would stay there, then added that "the war is not over yet in the country".')]]),
                    backend)
    first, second = doc.quotes
    assert second.translation.text == "the war is not over yet in the country"
    assert second.translation.method == "marks"
    assert first.translation.method == "separate"
    assert first.translation.text == "EN<سنبقى هنا>"
    assert first.translation.start is None and first.translation.end is None
    assert backend.calls == [["سنبقى هنا"]]


def test_no_marks_and_no_attention_translates_separately() -> None:
    doc = run_align(make_doc([[('قال "سنبقى".', "He said they would stay.")]]), FakeBackend())
    q, = doc.quotes
    assert (q.translation.method, q.translation.text, q.translation.start) == ("separate", "EN<سنبقى>", None)


def test_translate_separately_off_keeps_the_untrusted_span() -> None:
    doc = run_align(make_doc([[('قال "سنبقى هنا" ثم أضاف بعد ذلك أن "الحرب لم تنته بعد في البلاد".',
                                'He said they would stay there, then added that "the war is not over yet in the country".')]]),
                    FakeBackend(), translate_separately=False, min_confidence=0.99)
    first, second = doc.quotes
    assert second.translation.method == "marks" and second.translation.confidence < 0.99
    assert second.translation.text == "the war is not over yet in the country"
    assert first.translation.method == "separate"  # no span at all: still translated, never dropped


def test_never_dropped_even_without_any_backend() -> None:
    doc = run_align(make_doc([[('قال "سنبقى".', "He said they would stay.")]]), None)
    assert all(q.translation is not None for q in doc.quotes)


# -- attention ---------------------------------------------------------------------------------------




def test_attention_path_with_a_diagonal_model() -> None:
    doc = run_align(make_doc([[('قال الوزير اليوم إن "القوات باقية" في البلاد',
                                "The minister said today that the forces remain in the country")]]), DiagonalBackend())
    q, = doc.quotes
    assert q.translation.method == "attention"
    assert q.translation.text == "the forces remain"
    assert 0.5 <= q.translation.confidence <= 1.0


def test_speaker_gets_the_english_of_the_name_by_attention() -> None:
    doc = make_doc([[('قالت خلية الإعلام الأمني اليوم "القوات باقية" هنا',
                      "Said the Security Media Cell today the forces remain here")]])
    q, = doc.quotes
    start = doc.text.index("خلية")
    q.speaker = Speaker(mention="الخلية", name="خلية الإعلام الأمني", start=start, end=start + 19)
    run_align(doc, DiagonalBackend())
    assert q.speaker.english == "Security Media Cell"


def test_speaker_name_found_by_its_consonants_without_attention() -> None:
    doc = make_doc([[('قال مايلز كاغينز "سنبقى".', 'Colonel Myles Caggins said "we will stay".')]])
    start = doc.text.index("مايلز")
    doc.quotes[0].speaker = Speaker(mention="مايلز كاغينز", name="مايلز كاغينز", start=start, end=start + 12)
    backend = FakeBackend()
    run_align(doc, backend)
    assert doc.quotes[0].speaker.english == "Myles Caggins"
    assert backend.calls == []


def test_speaker_name_translated_alone_without_attention() -> None:
    doc = make_doc([[('قال الوزير "سنبقى".', 'The minister said "we will stay".')]])
    doc.quotes[0].speaker = Speaker(mention="الوزير", name="وزير الدفاع", start=4, end=10)
    run_align(doc, FakeBackend())
    assert doc.quotes[0].speaker.english == "EN<وزير الدفاع>"


def test_tiny_model_attention_gives_valid_spans(tiny_model_dir) -> None:
    from pipeline.pipeline import Pipeline

    nlp = Pipeline.from_config(model=str(tiny_model_dir), stages="normalize,segment,quotes,translate",
                               sets=["generation.num_beams=1", "generation.max_new_tokens=24", "device=cpu"])
    doc = nlp("وقال المتحدث باسم التحالف إن \"القوات باقية في القاعدة\". وأضاف: \"لن نغادر\".\n"
              "وكانت الكتائب وصفت الانسحاب بأنه \"هروب مذل\".")
    assert doc.quotes
    for s in doc.sentences:  # no marks left: the marks path cannot settle anything
        s.translation = re.sub("[\"“”«»'‘’]", "", s.translation) or "x"
    stage = Align(min_confidence=0.0, attention_threshold=0.0)
    stage.setup(nlp.stage_context("align"))
    stage(doc)
    for q in doc.quotes:
        if not q.is_quotation:
            continue
        t = q.translation
        assert t is not None and t.text
        assert t.method == "attention"
        assert 0.0 <= t.confidence <= 1.0
        translation = doc.sentence(q.sentence).translation
        assert 0 <= t.start < t.end <= len(translation)
        assert translation[t.start : t.end] in t.text
    # With the default settings, random attention is not trusted: every quotation still gets English.
    default = Align()
    default.setup(nlp.stage_context("align"))
    default(doc)
    assert all(q.translation.text and q.translation.method in ("marks", "attention", "separate")
               for q in doc.quotes if q.is_quotation)
    assert sum(doc.provenance["align"]["methods"].values()) == sum(q.is_quotation for q in doc.quotes)


# -- config ---------------------------------------------------------------------------------------------


def test_align_before_translate_is_a_config_error() -> None:
    from pipeline.pipeline import Pipeline

    with pytest.raises(ConfigError) as err:
        Pipeline.from_config(stages="normalize,segment,quotes,align,translate")
    assert "'align'" in str(err.value) and "'translate'" in str(err.value)


def test_align_cli_before_translate_exits_2(run_cli) -> None:
    result = run_cli("translate", "samples/naas-coalition-bases.ar.txt", "--stages",
                     "normalize,segment,quotes,align,translate", "--format", "json")
    assert result.returncode == 2
    assert "'align' needs translations" in result.stderr and "translate" in result.stderr
