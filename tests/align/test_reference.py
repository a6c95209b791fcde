"""`tarjama align`: sentence alignment with a reference translation, quotations in it, and the command."""

from __future__ import annotations

import json

import pytest

from pipeline.align.reference import align_document
from pipeline.align.sentences import align_texts
from pipeline.pipeline import Pipeline

# -- the English side ---------------------------------------------------------------------------------





















# -- sentence alignment ---------------------------------------------------------------------------------

ARABIC = (
    "أعلنت وزارة الصحة العراقية، اليوم، ارتفاع عدد الإصابات بفيروس كورونا إلى 169 حالة. "
    'وقال المتحدث باسم الوزارة سيف البدر إن "الوضع تحت السيطرة".\n'
    "وأضاف البدر أن 13 شخصا توفوا منذ بداية الأزمة، مشيرا إلى أن الوزارة ستفتح مستشفيات جديدة في بغداد "
    "والبصرة خلال الأيام المقبلة. ودعا المواطنين إلى البقاء في منازلهم.\n"
    'من جهته، وصف رئيس الوزراء الإجراءات بأنها "ضرورية ومؤقتة".'
)
E1 = "The Iraqi Ministry of Health announced today that the number of coronavirus infections had risen to 169."
E2 = 'Ministry spokesman Saif al-Badr said that "the situation is under control".'
E3 = ("Al-Badr added that 13 people had died since the start of the crisis, noting that the ministry would open "
      "new hospitals in Baghdad and Basra in the coming days.")
E3_SPLIT = ("Al-Badr added that 13 people had died since the start of the crisis. He noted that the ministry "
            "would open new hospitals in Baghdad and Basra in the coming days.")
E4 = "He called on citizens to stay at home."
E5 = 'For his part, the prime minister described the measures as "necessary and temporary".'


@pytest.fixture(scope="module")
def arabic_pipeline() -> Pipeline:
    return Pipeline.from_config(stages="normalize,segment,quotes")


ALIGNMENT_CASES = [
    ("line for line", f"{E1} {E2}\n{E3} {E4}\n{E5}\n", [E1, E2, E3, E4, E5]),
    ("one paragraph", f"{E1} {E2} {E3} {E4} {E5}", [E1, E2, E3, E4, E5]),
    ("blank lines and wrapping", f"{E1}\n{E2}\n\n{E3}\n{E4}\n\n{E5}\n", [E1, E2, E3, E4, E5]),
    ("a sentence cut in two", f"{E1} {E2}\n{E3_SPLIT} {E4}\n{E5}\n", [E1, E2, E3_SPLIT, E4, E5]),
    ("paragraphs joined", f"{E1} {E2} {E3} {E4}\n{E5}\n", [E1, E2, E3, E4, E5]),
]


@pytest.mark.parametrize(("label", "english", "expected"), ALIGNMENT_CASES, ids=[c[0] for c in ALIGNMENT_CASES])
def test_align_texts(arabic_pipeline: Pipeline, label: str, english: str, expected: list[str]) -> None:
    doc = arabic_pipeline(ARABIC)
    assert len(doc.sentences) == 5
    assert align_texts(doc, english) == expected


def test_a_sentence_left_out_of_the_translation(arabic_pipeline: Pipeline) -> None:
    doc = arabic_pipeline(ARABIC)
    got = align_texts(doc, f"{E1} {E2}\n{E3}\n{E5}\n")
    assert [got[0], got[1], got[2], got[4]] == [E1, E2, E3, E5]
    assert not got[3]


def test_quotations_and_speakers_from_the_reference(arabic_pipeline: Pipeline) -> None:
    doc = align_document(arabic_pipeline(ARABIC), f"{E1} {E2}\n{E3} {E4}\n{E5}\n", reference="ref.en.txt")
    quotes = [q for q in doc.quotes if q.is_quotation]
    assert [q.translation.text for q in quotes] == ["the situation is under control", "necessary and temporary"]
    assert all(q.translation.method == "reference" for q in quotes)
    for q in quotes:
        sentence = doc.sentence(q.sentence)
        assert sentence.translation[q.translation.start : q.translation.end] == q.translation.text
    assert quotes[0].speaker.english == "Saif al-Badr"
    assert doc.provenance["model"] == "reference:ref.en.txt" and doc.provenance["backend"] == "reference"


def test_quotation_without_marks_in_the_reference_is_placed_by_position(arabic_pipeline: Pipeline) -> None:
    e2 = "Ministry spokesman Saif al-Badr said that the situation is under control."
    doc = align_document(arabic_pipeline(ARABIC), f"{E1} {e2}\n{E3} {E4}\n{E5}\n")
    first = next(q for q in doc.quotes if q.is_quotation)
    assert first.translation.method == "position"
    assert first.translation.confidence < 0.5
    assert first.translation.text and first.translation.text in e2


# -- the command -------------------------------------------------------------------------------------------


def test_tarjama_align_end_to_end(run_cli, tmp_path) -> None:
    out = tmp_path / "aligned.json"
    result = run_cli("align", "samples/naas-coalition-bases.ar.txt", "samples/naas-coalition-bases.en.txt",
                     "-o", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == "tarjama.document/1"
    assert doc["provenance"]["backend"] == "reference"
    assert doc["provenance"]["model"] == "reference:samples/naas-coalition-bases.en.txt"
    assert all(isinstance(s["translation"], str) and s["translation"] for s in doc["sentences"])
    quotations = [q for q in doc["quotes"] if q["kind"] in ("speech", "phrase", "nested")]
    assert len(quotations) >= 10
    for q in quotations:
        t = q["translation"]
        assert t["text"] and t["method"] in ("reference", "position") and 0 <= t["confidence"] <= 1
        if t["start"] is not None:
            translation = next(s["translation"] for s in doc["sentences"] if s["id"] == q["sentence"])
            assert 0 <= t["start"] < t["end"] <= len(translation)


def test_tarjama_align_missing_english_file(run_cli) -> None:
    result = run_cli("align", "samples/naas-coalition-bases.ar.txt", "samples/missing.en.txt", "--format", "json")
    assert result.returncode == 2
    assert "samples/missing.en.txt" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("make", "message"), [
    (lambda out: out.write_text("kept", encoding="utf-8"), "--overwrite"),
    (lambda out: out.mkdir(), "is a directory"),
])
def test_tarjama_align_refuses_an_output_it_cannot_write(run_cli, tmp_path, make, message) -> None:
    out = tmp_path / "aligned.json"
    make(out)
    result = run_cli("align", "samples/naas-coalition-bases.ar.txt", "samples/naas-coalition-bases.en.txt",
                     "-o", str(out))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert out.is_dir() or out.read_text(encoding="utf-8") == "kept"


@pytest.mark.parametrize("outlet", ["Okaz", '"Okaz"'])
def test_reference_that_keeps_marks_around_a_name(arabic_pipeline: Pipeline, outlet: str) -> None:
    arabic = 'وقال المسؤول لصحيفة «عكاظ» إن "الوضع هادئ في المدينة". وانتهى الاجتماع مساء أمس.'
    doc = arabic_pipeline(arabic)
    assert [q.kind for q in doc.quotes] == ["name", "speech"]
    align_document(doc, f'The official told {outlet} that "the situation in the city is calm". '
                        "The meeting ended yesterday evening.\n")
    speech = doc.quotes[1]
    assert (speech.translation.text, speech.translation.method) == ("the situation in the city is calm", "reference")
    # A name gets its English only where the translation kept its marks.
    name = doc.quotes[0].translation
    assert (name.text if name else None) == ("Okaz" if outlet.startswith('"') else None)


def test_the_length_based_baseline_pairs_sentences_by_length() -> None:
    from eval.baseline_align import align_document as baseline

    arabic = "قال الوزير إن الحكومة ستبني مئة مدرسة جديدة هذا العام. وانتهى الاجتماع.\nوغادر الجميع."
    english = "The minister said the government would build a hundred new schools this year. The meeting ended.\n" \
              "Everyone left."
    out = baseline(arabic, english)
    assert [s["translation"] for s in out["sentences"]] == [
        "The minister said the government would build a hundred new schools this year.", "The meeting ended.",
        "Everyone left."]
    assert all(arabic[s["start"] : s["end"]] == s["text"] for s in out["sentences"])


def test_a_term_whose_marks_the_english_kept_beside_one_it_dropped(arabic_pipeline: Pipeline) -> None:
    # Two terms in marks, the English marks one of them only: the counts never agree, so the
    # term takes the short span in marks that sits where it does.
    doc = arabic_pipeline('تبدو الفكاهة ضعيفة، خاصة أن العلامات "الجادة" مثل 007 و"مهمة مستحيلة" تقدم الكوميديا '
                          "الآن. وانتهى العرض مساء أمس.")
    assert [q.kind for q in doc.quotes] == ["term", "term"]
    align_document(doc, 'The humour feels weak, especially as the "serious" film brands like 007 and Mission '
                        "Impossible now offer comedy. The show ended yesterday evening.\n")
    serious, mission = doc.quotes
    assert serious.translation is not None and serious.translation.text == "serious"
    assert mission.translation is None


@pytest.mark.parametrize(("english", "flagged"), [
    ('The humour feels weak, especially as the "serious" film brands now offer comedy. The show ended yesterday '
     "evening.\n", False),
    # the term's English deleted with its marks
    ("The humour feels weak, especially as the film brands now offer comedy. The show ended yesterday evening.\n",
     True),
])
def test_a_term_dropped_from_a_reference_translation_is_a_warning(arabic_pipeline: Pipeline, english: str,
                                                                  flagged: bool) -> None:
    from pipeline.stages.qa import QA

    doc = arabic_pipeline('تبدو الفكاهة ضعيفة، خاصة أن العلامات "الجادة" تقدم الكوميديا الآن. وانتهى العرض مساء أمس.')
    assert [q.kind for q in doc.quotes] == ["term"]
    align_document(doc, english)
    doc.provenance["stages"] = ["normalize", "segment", "quotes", "align"]  # as `tarjama align` records them
    QA()(doc)
    flags = [f for f in doc.sentences[0].flags or [] if f.rule == "quotation"]
    assert [(f.severity, "may have dropped them" in f.message) for f in flags] == ([("warning", True)] if flagged else [])


SEE_ARABIC = ('يعلم اللقاح الجهاز المناعي "رؤية" الخلايا المارقة. ويمكن للخلايا بعد ذلك "رؤية" البروتين. '
              'وتستطيع الخلايا "رؤية" الورم وقتله.')
SEE_ENGLISH = "The vaccine teaches the immune system to 'see' rogue cells. The cells can then 'see' the protein. "


@pytest.mark.parametrize(("english", "flagged"), [
    (SEE_ENGLISH + "The cells can 'see' the tumour and kill it.\n", False),
    (SEE_ENGLISH + "The cells can the tumour and kill it.\n", True),  # the word's English deleted with its marks
])
def test_a_one_word_name_dropped_from_a_reference_translation_is_a_warning(arabic_pipeline: Pipeline, english: str,
                                                                          flagged: bool) -> None:
    # Marked three times, «رؤية» is taken for a name; a scare-quoted common word looks the same.
    from pipeline.stages.qa import QA

    doc = arabic_pipeline(SEE_ARABIC)
    assert [q.kind for q in doc.quotes] == ["name", "name", "name"]
    align_document(doc, english)
    doc.provenance["stages"] = ["normalize", "segment", "quotes", "align"]
    QA()(doc)
    flags = [(s.id, f.severity) for s in doc.sentences for f in s.flags or [] if f.rule == "quotation"]
    assert flags == ([("s3", "warning")] if flagged else [])


def test_a_one_word_name_the_english_spells_is_no_warning(arabic_pipeline: Pipeline) -> None:
    from pipeline.stages.qa import QA

    doc = arabic_pipeline('افتتحت الشركة مقرها في "مارلو" أمس. ويعمل في "مارلو" مئة موظف. وتبيع "مارلو" منتجاتها.')
    assert [q.kind for q in doc.quotes] == ["name", "name", "name"]
    align_document(doc, "The company opened its headquarters in Marlow yesterday. A hundred staff work in Marlow. "
                        "Marlow sells its products.\n")
    doc.provenance["stages"] = ["normalize", "segment", "quotes", "align"]
    QA()(doc)
    assert not [f for s in doc.sentences for f in s.flags or [] if f.rule == "quotation"]
