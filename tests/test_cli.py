"""End to end through the real command line, with the network off."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import FIRST_SAMPLE

FAST = ["--set", "translate.num_beams=1", "--set", "translate.max_new_tokens=12"]


def check_contract(doc: dict, *, translated: bool) -> None:
    assert doc["schema"] == "tarjama.document/1"
    text = doc["text"]
    assert text and doc["sentences"]
    ids = {s["id"] for s in doc["sentences"]}
    for s in doc["sentences"]:
        assert text[s["start"]:s["end"]] == s["text"], s["id"]
        if translated:
            assert isinstance(s.get("translation"), str) and s["translation"].strip(), s["id"]
    for p in doc["paragraphs"]:
        assert p["sentences"] and set(p["sentences"]) <= ids
    for q in doc.get("quotes", []):
        assert text[q["start"]:q["end"]] == q["text"]
    if translated:
        prov = doc["provenance"]
        assert prov["model"] and prov["backend"] == "transformers"
        assert prov["timings_s"]["translate"] >= 0


def test_translate_with_tiny_model_writes_the_contract(run_cli, tiny_model_dir, tmp_path):
    out = tmp_path / "doc.json"
    result = run_cli("translate", str(FIRST_SAMPLE), "--model", str(tiny_model_dir), "--format", "json",
                     "-o", str(out), *FAST)
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_contract(doc, translated=True)
    assert doc["source"]["sha256"] and doc["source"]["encoding"].startswith("utf-8")
    assert doc["meta"]["date"] == "2020-03-20T12:28"
    assert set(doc["provenance"]["timings_s"]) >= {"normalize", "segment", "translate"}


def test_segment_only_needs_no_model(run_cli, tmp_path):
    result = run_cli("translate", str(FIRST_SAMPLE), "--stages", "normalize,segment", "--format", "json",
                     "--model", "no/such-model")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    check_contract(doc, translated=False)
    assert "translation" not in doc["sentences"][0]
    assert "model" not in doc["provenance"]


def test_missing_model_offline_fails_fast_with_the_fix(run_cli):
    started = time.monotonic()
    result = run_cli("translate", str(FIRST_SAMPLE), "--format", "json")
    assert time.monotonic() - started < 30  # the bar is 10 s; the margin is for a loaded CI machine
    assert result.returncode == 2
    err = result.stderr.strip()
    assert "Helsinki-NLP/opus-mt-ar-en" in err
    assert "not in the local Hugging Face cache" in err
    assert "tarjama models download" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert result.stdout == ""


def test_models_download_offline_says_what_to_do(run_cli):
    result = run_cli("models", "download", "Helsinki-NLP/opus-mt-ar-en")
    assert result.returncode == 2
    assert "cannot be reached" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "translate.num_beams=two"], "key 'translate.num_beams' must be an integer"),
        (["--stages", "normalize,translate,segment"], "'translate' needs sentences"),
        (["--stages", "normalize,sgement"], "unknown stage 'sgement' (did you mean 'segment'?)"),
        (["--backend", "onnx"], "key 'backend' must be"),
        (["-c", "no-such.yaml"], "no-such.yaml does not exist"),
    ],
)
def test_config_errors_exit_2_without_traceback(run_cli, args, message):
    result = run_cli("translate", str(FIRST_SAMPLE), *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_input_file(run_cli, tmp_path):
    result = run_cli("translate", str(tmp_path / "nope.ar.txt"), "--stages", "normalize,segment")
    assert result.returncode == 2
    assert "nope.ar.txt" in result.stderr and "Traceback" not in result.stderr


def test_existing_output_is_kept_unless_overwrite(run_cli, tmp_path):
    out = tmp_path / "doc.json"
    out.write_text("keep me", encoding="utf-8")
    args = ["translate", str(FIRST_SAMPLE), "--stages", "normalize,segment", "-o", str(out)]
    result = run_cli(*args)
    assert result.returncode == 2 and "--overwrite" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    result = run_cli(*args, "--overwrite")
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "tarjama.document/1"


def test_debug_shows_the_traceback(run_cli):
    result = run_cli("--debug", "translate", str(FIRST_SAMPLE), "--set", "translate.num_beams=two")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_python_api_round_trip(tiny_model_dir):
    from pipeline import Document, Pipeline

    nlp = Pipeline.from_config(model=str(tiny_model_dir), stages="normalize,segment,translate",
                               sets=["translate.num_beams=1", "translate.max_new_tokens=8"])
    docs = list(nlp.pipe(["قال المتحدث إن القوات ستغادر القاعدة.", "وأضاف أن الهجمات مستمرة. وقال آخر كلاماً."]))
    assert [len(d.sentences) for d in docs] == [1, 2]
    assert all(s.translation for d in docs for s in d.sentences)
    assert Document.from_json(docs[1].to_json()).to_dict() == docs[1].to_dict()


def test_bench_reports_throughput(run_cli, tiny_model_dir):
    result = run_cli("bench", str(FIRST_SAMPLE), "--model", str(tiny_model_dir), *FAST)
    assert result.returncode == 0, result.stderr
    assert "target tokens/s" in result.stdout and "sentences/s" in result.stdout


def test_identical_documents_in_one_batch_keep_their_own_counts(tiny_model_dir):
    from pipeline import Pipeline

    nlp = Pipeline.from_config(model=str(tiny_model_dir), stages="normalize,segment,translate",
                               sets=["translate.num_beams=1", "translate.max_new_tokens=4"])
    text = "قال المتحدث إن القوات ستغادر القاعدة. وأضاف أن الهجمات مستمرة."
    docs = nlp.run_many([document_from(text), document_from(text)])
    assert [d.provenance["translate"]["chunks"] for d in docs] == [2, 2]


def document_from(text: str):
    from pipeline.document import Document

    return Document(text=text, original=text)
