"""The corpus evaluation's scoring: score_gold.py's matching rules, on small synthetic gold."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from eval.corpus import NO_SPEAKER, UNSET, Article, Totals, score_article
from eval.corpus_scoring import Datelines, bare, char3_f, match_quotes, norm, same_quote, sentence_score
from pipeline.document import Document, Quote, Sentence, Speaker

SCORE_GOLD = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_gold.py"


def _quote(text: str, kind: str = "speech", name: str | None = None, method: str | None = None) -> Quote:
    speaker = Speaker(mention=name, name=name, method=method) if name is not None else None
    return Quote(id="q", sentence="s1", start=0, end=len(text), text=text, kind=kind, speaker=speaker)


def _doc(sentences: list[str], quotes: list[Quote]) -> Document:
    return Document(text=" ".join(sentences),
                    sentences=[Sentence(id=f"s{i}", start=0, end=len(s), text=s) for i, s in enumerate(sentences)],
                    quotes=quotes)


def test_norm_forgives_tatweel_zero_width_and_spaces() -> None:
    assert norm("قـــال \u200f  الوزير\u00a0") == "قال الوزير"
    assert bare("«نحن هنا» ") == "نحن هنا"


def test_same_quote_forgives_a_boundary_a_few_words_off_but_not_another_quotation() -> None:
    gold = "الاتفاق لم يخدم مصالح الشعب الإيراني ولا الاستقرار في المنطقة"
    assert same_quote(gold, gold + " بصراحة")
    assert same_quote(gold, gold.replace("الإيراني", "الايراني"))
    assert not same_quote(gold, "لم يخدم")  # held, but under 60% of the length
    assert not same_quote(gold, "سنواصل العمل مع حلفائنا حتى النهاية")
    assert char3_f("abc", "abc") == 1.0


def test_match_quotes_prefers_exact_matches_and_uses_each_prediction_once() -> None:
    gold = ["نحن هنا من أجل السلام الدائم", "نحن هنا من أجل السلام"]
    predicted = ["نحن هنا من أجل السلام", "شيء آخر تماما لا علاقة له"]
    # the second gold quotation takes the exact prediction; the first finds nothing left that is the same
    assert match_quotes(gold, predicted) == {1: 0}


def test_sentence_score_counts_each_gold_sentence_once() -> None:
    s = sentence_score(["أ ب.", "ج د.", "ج د."], ["أ ب.", "ج د.", "هـ و."])
    assert (s.gold, s.predicted, s.correct) == (3, 3, 2)
    assert s.f1 == pytest.approx(2 / 3)
    assert sentence_score(["أ."], ["ب."]).f1 == 0.0


def test_datelines_accumulate_over_a_run_like_score_gold(tmp_path: Path) -> None:
    first = tmp_path / "a.sentences.txt"
    first.write_text("# dateline: الرياض\nقال الوزير إن الاجتماع انتهى.\n", encoding="utf-8")
    datelines = Datelines()
    assert datelines.read_gold_sentences(first) == ["قال الوزير إن الاجتماع انتهى."]
    assert datelines.comparable(["الرياض - قال الوزير إن الاجتماع انتهى.", "- بند أول", "الرياض -"]) == [
        "قال الوزير إن الاجتماع انتهى.", "بند أول"]
    # a later article's first sentence loses a dateline met earlier in the run, as in score_gold.py
    assert Datelines().comparable(["الرياض - خبر."]) == ["الرياض - خبر."]
    assert datelines.comparable(["الرياض - خبر."]) == ["خبر."]


GOLD = {
    "not_quotes": ["الأمم المتحدة"],
    "speaker_aliases": {"مايك بومبيو": ["بومبيو", "وزير الخارجية"]},
    "quotes": [
        {"text": "سنواجه التهديد الإيراني مع حلفائنا في المنطقة", "speaker": "مايك بومبيو", "kind": "speech"},
        {"text": "لن نتراجع عن العقوبات أبدا مهما حدث", "speaker": "مايك بومبيو", "kind": "speech"},
        {"text": "الحل السياسي هو الطريق الوحيد للسلام", "speaker": "أنطونيو غوتيريش", "kind": "speech"},
        {"text": "نرحب بكل مبادرة تنهي الحرب في اليمن", "speaker": "أنطونيو غوتيريش", "kind": "speech"},
        {"text": "يوم تاريخي للبلاد", "speaker": None, "kind": "phrase"},
        {"text": "هذا ما لم يقله أحد من قبل في المنطقة", "speaker": "مايك بومبيو", "kind": "speech"},
    ],
}


def test_score_article_tells_right_wrong_and_missing_speakers_and_spurious_quotations() -> None:
    quotes = [
        _quote("«سنواجه التهديد الإيراني مع حلفائنا في المنطقة»", name="بومبيو", method="verb-subject"),
        _quote("لن نتراجع عن العقوبات أبدا مهما حدث", name="مايك بومبيو", method="colon"),
        _quote("الحل السياسي هو الطريق الوحيد للسلام", name="بومبيو", method="verb-subject"),  # wrong
        _quote("نرحب بكل مبادرة تنهي الحرب في اليمن"),  # no speaker
        _quote("يوم تاريخي للبلاد", kind="phrase", name="بومبيو"),  # no gold speaker: not scored
        _quote("الأمم المتحدة", kind="phrase"),  # a name in marks
        _quote("الأمم المتحدة", kind="name"),  # not a quotation kind: ignored
    ]
    doc = _doc(["جملة أولى.", "جملة ثانية."], quotes)
    a = score_article("x", doc, GOLD, ["جملة أولى.", "جملة ثالثة."], Datelines())
    assert a.sentences is not None and a.sentences.correct == 1
    assert a.missed_sentences == ["جملة ثالثة."] and a.spurious_sentences == ["جملة ثانية."]
    assert (a.gold_quotes, a.predicted_quotes, a.matched_quotes, a.names_as_quotes) == (6, 6, 5, 1)
    assert (a.speakers_total, a.speakers_right, a.speakers_wrong, a.speakers_full_name) == (5, 2, 1, 1)
    assert a.wrong_speakers == [("الحل السياسي هو الطريق الوحيد للسلام", "أنطونيو غوتيريش", "بومبيو",
                                 "verb-subject")]
    assert [q for q, _, _ in a.no_speaker] == ["نرحب بكل مبادرة تنهي الحرب في اليمن"]
    assert a.spurious_quotes == [("الأمم المتحدة", "phrase", True)]
    assert a.missed_quotes == [("هذا ما لم يقله أحد من قبل في المنطقة", "مايك بومبيو")]
    assert a.methods["verb-subject"] == {"count": 2, "right": 1, "wrong": 1}
    assert a.methods["colon"] == {"count": 1, "right": 1}
    assert a.methods[NO_SPEAKER] == {"count": 2, "none": 1}
    assert a.methods[UNSET] == {"count": 1}


def test_totals_pool_like_score_gold_and_check_the_bars() -> None:
    a = score_article("x", _doc(["جملة."], [_quote(GOLD["quotes"][0]["text"], name="بومبيو")]), GOLD, ["جملة."],
                      Datelines())
    totals = Totals.of([a, Article("crashed", error="Traceback ...")])
    assert totals.line() == (
        "articles=2 crashed=1 sentence_f1_mean=1.000 sentence_f1_min=1.000 below_0.95=0 quote_precision=1.000 "
        "quote_recall=0.167 gold_quotes=6 names_as_quotes=0 speakers=1/5 speakers_wrong=0 speakers_full_name=0 "
        "speaker_acc=0.200")
    met = {b.label: b.met for b in totals.bars()}
    assert met["quotation precision"] and met["sentence F1 min"]
    assert not met["quotation recall"] and not met["speaker accuracy"]
    assert not met["articles that fail (with or without gold)"]
    assert not {b.label: b.met for b in Totals.of([a]).bars(other_crashes=1)}["articles that fail (with or without gold)"]


@pytest.mark.skipif(not SCORE_GOLD.exists(), reason="../shared/tools/score_gold.py is not here")
def test_the_mirrored_rules_agree_with_score_gold() -> None:
    spec = importlib.util.spec_from_file_location("score_gold", SCORE_GOLD)
    assert spec is not None and spec.loader is not None
    theirs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(theirs)
    texts = [g["text"] for g in GOLD["quotes"]] + ["«سنواجه التهديد الإيراني»", "لن نتراجع عن العقوبات أبدا",
                                                   "الحل  السياسي هو الطريق الوحيد", "قـال"]
    for a in texts:
        assert bare(a) == theirs.bare(a) and norm(a) == theirs.norm(a)
        for b in texts:
            assert same_quote(bare(a), bare(b)) == theirs.same_quote(bare(a), bare(b))
    gold, predicted = [bare(t) for t in texts[:6]], [bare(t) for t in reversed(texts)]
    assert match_quotes(gold, predicted) == theirs.match_quotes(gold, predicted)
    assert sentence_score(texts[:4], texts[2:]).f1 == pytest.approx(theirs.f1(texts[:4], texts[2:])[2])


def test_python_m_eval_runs_one_section_with_its_options(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from eval.__main__ import main

    assert main(["corpus", "--corpus", str(tmp_path), "--diff"]) == 0
    assert "no corpus at" in capsys.readouterr().out
    assert main(["no-such-section"]) == 2
    assert main(["--no-such-option"]) == 2
