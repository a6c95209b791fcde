"""`tarjama diff`: changed sentences and words, changed or lost quotations, chrF, reference mode, JSON, CLI."""

from __future__ import annotations

import copy
import json
from io import StringIO

import pytest
from rich.console import Console

from pipeline.cli import main
from pipeline.document import Speaker
from pipeline.render.diff import diff_documents, diff_to_dict, diff_view, print_diff, word_diff
from tests.render.conftest import ENGLISH, _sample_sentences


@pytest.fixture
def runs(doc):
    """Run A (the fixture) and run B made with other settings: one sentence reworded, one
    quotation's English changed, one quotation re-attributed, one lost."""
    b = copy.deepcopy(doc)
    b.provenance["generation"] = {"num_beams": 1}
    b.sentences[0].translation = b.sentences[0].translation.replace("attributed", "blamed")
    s3 = b.sentence("s3")
    s3.translation = s3.translation.replace("we will evacuate al-Qaim base", "we are leaving al-Qaim base")
    q3 = b.quote("q3")
    q3.translation.text = q3.translation.text.replace("we will evacuate al-Qaim base", "we are leaving al-Qaim base")
    q3.speaker = Speaker(mention="العسكري", name="أبو علي العسكري")
    b.quotes = [q for q in b.quotes if q.id != "q2"]
    return doc, b


@pytest.mark.parametrize(
    ("a", "b", "ops"),
    [
        ("the base was left", "the base was left", []),
        ("the base was left", "the base was abandoned", [("replace", " left", " abandoned")]),
        ("he said it.", "he said it", [("delete", ".", "")]),
        ("forces left", "US forces left", [("insert", "", "US")]),
        ("a  b", "a b", []),  # spacing is not a change
    ],
)
def test_word_diff(a, b, ops):
    changes = [(op.op, op.a, op.b) for op in word_diff(a, b) if op.op != "equal"]
    assert changes == ops
    assert "".join(op.a for op in word_diff(a, b)) == a
    assert "".join(op.b for op in word_diff(a, b)) == b


def test_two_runs(runs):
    a, b = runs
    result = diff_documents(a, b)
    assert (result.total, result.changed) == (4, 2)
    assert [s.id for s in result.sentences if s.changed] == ["s1", "s3"]
    assert 50 < result.chrf < 100
    changes = {(c.quote, c.change) for c in result.quotes}
    assert changes == {("q2", "missing-in-b"), ("q3", "speaker-changed"), ("q3", "translation-changed")}
    speaker = next(c for c in result.quotes if c.change == "speaker-changed")
    assert (speaker.a, speaker.b) == ("مايلز كاغينز", "أبو علي العسكري")
    assert ("generation.num_beams", None, 1) in result.settings


def test_identical_runs():
    from tests.render.conftest import make_document

    result = diff_documents(make_document(), make_document())
    assert (result.changed, result.quotes, result.chrf) == (0, [], 100.0)


def test_a_sentence_split_differently_is_one_row(runs):
    a, b = runs
    s1, s2 = b.sentences[0], b.sentences[1]
    s1.end, s1.text = s2.end, f"{s1.text} {s2.text}"
    s1.translation = f"{s1.translation} {s2.translation}"
    b.sentences.remove(s2)
    result = diff_documents(a, b)
    assert result.sentences[0].id == "s1+s2"
    assert result.total == 3


def test_a_cut_quotation_is_called_out(runs):
    a, b = runs
    q3 = b.quote("q3")
    q3.end -= 20
    q3.text = b.text[q3.start : q3.end]
    changes = {c.change for c in diff_documents(a, b).quotes if c.quote == "q3"}
    assert "span-changed" in changes


def test_only_changed(runs):
    result = diff_documents(*runs, only_changed=True)
    assert [s.id for s in result.sentences] == ["s1", "s3"]
    assert result.total == 4


def test_terminal_view_shows_changes_and_chrf(runs):
    console = Console(width=120, file=StringIO(), record=True, color_system="truecolor")
    print_diff(diff_documents(*runs), console)
    text = console.export_text()
    assert "2 of 4 sentences changed" in text and "chrF" in text
    assert "missing-in-b" in text and "speaker-changed" in text
    assert "generation.num_beams: None → 1" in text
    # Word-level highlight: the removed word red in A, the new one green in B.
    drawn = {}
    for segment in console.render(diff_view(diff_documents(*runs))):
        if segment.style and segment.style.color:
            drawn.setdefault(segment.style.color.name, []).append(segment.text)
    assert "attributed" in " ".join(drawn["red"]) and "blamed" in " ".join(drawn["green"])


def test_json_for_scripts(runs):
    data = json.loads(json.dumps(diff_to_dict(diff_documents(*runs, only_changed=True)), ensure_ascii=False))
    assert data["schema"] == "tarjama.diff/1"
    assert data["sentences_changed"] == 2 and data["sentences_total"] == 4
    assert [s["id"] for s in data["sentences"]] == ["s1", "s3"]
    assert {"op": "replace", "a": " attributed", "b": " blamed"} in data["sentences"][0]["words"]
    assert {q["change"] for q in data["quotes"]} >= {"missing-in-b", "speaker-changed"}


def test_reference_mode(doc):
    reference = "\n".join(ENGLISH).replace("attributed", "ascribed").replace("we will evacuate", "we shall leave")
    result = diff_documents(doc, None, reference_text=reference)
    assert result.mode == "reference" and result.total == 4
    assert [s.id for s in result.sentences if s.changed] == ["s1", "s3"]
    assert [s.b for s in result.sentences[1:2]] == ENGLISH[1:2]
    # Quotations compared with their English in the reference, found by its quotation marks.
    assert [(c.quote, c.change) for c in result.quotes] == [("q3", "translation-changed")]
    assert result.quotes[0].b.startswith("we shall leave al-Qaim base")


def test_reference_mode_before_segmentation(doc):
    doc.sentences = doc.paragraphs = doc.quotes = None
    result = diff_documents(doc, None, reference_text=" ".join(ENGLISH))
    assert [(s.id, s.b) for s in result.sentences] == [("text", " ".join(ENGLISH))]


def test_cli(tmp_path, runs, capsys):
    a, b = runs
    (tmp_path / "a.json").write_text(a.to_json(), encoding="utf-8")
    (tmp_path / "b.json").write_text(b.to_json(), encoding="utf-8")
    assert main(["diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--format", "json", "--only-changed"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sentences_changed"] == 2 and data["a"].startswith(str(tmp_path / "a.json"))
    assert main(["diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--format", "terminal",
                 "--width", "100"]) == 0
    assert "2 of 4 sentences changed" in capsys.readouterr().out
    (tmp_path / "ref.txt").write_text("\n".join(ENGLISH), encoding="utf-8")
    assert main(["diff", str(tmp_path / "b.json"), "--reference", str(tmp_path / "ref.txt"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["mode"] == "reference"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.json"], "needs run B or --reference"),
        (["a.json", "b.json", "--reference", "r.txt"], "needs run B or --reference"),
        (["missing.json", "b.json"], "missing.json does not exist"),
        (["bad.json", "b.json"], "bad.json is not a tarjama JSON run"),
    ],
)
def test_cli_errors(tmp_path, runs, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.json").write_text(runs[0].to_json(), encoding="utf-8")
    (tmp_path / "b.json").write_text(runs[1].to_json(), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"schema": "something else"}', encoding="utf-8")
    code = main(["diff", *args])
    err = capsys.readouterr().err
    assert code in (1, 2) and message in err
    assert err.count("\n") == 1  # one sentence, no traceback


@pytest.mark.slow
def test_two_real_runs_with_different_beam_sizes(tiny_model_dir):
    """The bar: two runs made with other settings show their changed sentences and the chrF."""
    from pipeline import Pipeline

    text = " ".join(_sample_sentences())
    runs = []
    for beams in (1, 3):
        nlp = Pipeline.from_config(model=str(tiny_model_dir), stages="normalize,segment,translate",
                                   sets=[f"generation.num_beams={beams}", "generation.max_new_tokens=16"])
        runs.append(nlp(text))
    result = diff_documents(*runs, labels=("beams1.json", "beams3.json"))
    assert result.total == len(runs[0].sentences) and result.changed >= 1
    assert result.chrf is not None and 0 <= result.chrf < 100
    assert ("generation.num_beams", 1, 3) in result.settings
    console = Console(width=100, file=StringIO(), record=True, color_system=None)
    print_diff(result, console)
    text = console.export_text()
    assert f"{result.changed} of {result.total} sentences changed · chrF {result.chrf:.1f}" in text
    assert "generation.num_beams: 1 → 3" in text
