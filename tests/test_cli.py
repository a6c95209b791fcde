"""End to end through the real command line, with the network off."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FIRST_SAMPLE, ROOT, SAMPLES, offline_env

FAST = ["--set", "generation.num_beams=1", "--set", "generation.max_new_tokens=12"]


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
        (["--set", "generation.num_beams=two"], "key 'generation.num_beams' must be an integer"),
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
    result = run_cli("--debug", "translate", str(FIRST_SAMPLE), "--set", "generation.num_beams=two")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_python_api_round_trip(tiny_model_dir):
    from pipeline import Document, Pipeline

    nlp = Pipeline.from_config(model=str(tiny_model_dir), stages="normalize,segment,translate",
                               sets=["generation.num_beams=1", "generation.max_new_tokens=8"])
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
                               sets=["generation.num_beams=1", "generation.max_new_tokens=4"])
    text = "قال المتحدث إن القوات ستغادر القاعدة. وأضاف أن الهجمات مستمرة."
    docs = nlp.run_many([document_from(text), document_from(text)])
    assert [d.provenance["translate"]["chunks"] for d in docs] == [2, 2]


def document_from(text: str):
    from pipeline.document import Document

    return Document(text=text, original=text)


# -- day-to-day use (issue 17) -----------------------------------------------------------------------

SEGMENT_ONLY = ["--stages", "normalize,segment"]
BAHRAIN = SAMPLES / "statement-bahrain-terror-cells.ar.txt"


def test_render_writes_what_translate_writes_byte_for_byte(tiny_model_dir, tmp_path):
    from pipeline.cli import main
    from pipeline.render import format_names, output_suffix

    common = [str(BAHRAIN), "--model", str(tiny_model_dir), *FAST, "--width", "110", "--bidi", "on"]
    assert main(["translate", *common, "-o", str(tmp_path / "doc.json")]) == 0
    # json is left out: it holds each run's timings (its round trip is tests/render/test_render.py's).
    for fmt in (f for f in format_names() if f != "json"):
        direct, rendered = tmp_path / f"direct{output_suffix(fmt)}", tmp_path / f"rendered{output_suffix(fmt)}"
        assert main(["translate", *common, "-o", str(direct)]) == 0
        assert main(["render", str(tmp_path / "doc.json"), "--width", "110", "--bidi", "on", "-o", str(rendered)]) == 0
        assert rendered.read_bytes() == direct.read_bytes(), fmt


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.ar.txt")), ids=lambda p: p.name.split(".")[0])
def test_every_samples_saved_json_renders_as_the_document_did(tiny_model_dir, sample):
    # `tarjama render` reads the JSON back: every format must come out as from the document itself.
    from pipeline import Document, Pipeline
    from pipeline.render import format_names, render

    nlp = Pipeline.from_config(model=str(tiny_model_dir), sets=["generation.num_beams=1", "generation.max_new_tokens=12",
                                                                 "device=cpu"])
    doc = nlp.read(sample)
    saved = Document.from_json(doc.to_json())
    for fmt in format_names():
        assert render(saved, fmt, width=100, bidi="on") == render(doc, fmt, width=100, bidi="on"), fmt


def test_translate_refuses_a_saved_document_and_points_to_render(run_cli, tmp_path):
    saved = tmp_path / "run.json"
    assert run_cli("translate", str(FIRST_SAMPLE), *SEGMENT_ONLY, "-o", str(saved)).returncode == 0
    result = run_cli("translate", str(saved), *SEGMENT_ONLY)
    assert result.returncode == 2
    assert "is a tarjama JSON document, not an article" in result.stderr
    assert f"tarjama render {saved} --format html" in result.stderr
    rendered = run_cli("render", str(saved), "--format", "md")
    assert rendered.returncode == 0 and rendered.stdout.startswith("# ")


def test_translate_dash_reads_standard_input(tmp_path):
    article = FIRST_SAMPLE.read_bytes()
    result = subprocess.run([sys.executable, "-m", "pipeline", "translate", "-", *SEGMENT_ONLY, "--format", "json"],
                            cwd=ROOT, env=offline_env(tmp_path / "hf"), input=article, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    from_stdin = json.loads(result.stdout)
    from_file = json.loads(subprocess.run([sys.executable, "-m", "pipeline", "translate", str(FIRST_SAMPLE),
                                           *SEGMENT_ONLY, "--format", "json"], cwd=ROOT, env=offline_env(tmp_path / "hf"),
                                          capture_output=True, timeout=120).stdout)
    assert from_stdin["text"] == from_file["text"] and from_stdin["sentences"] == from_file["sentences"]
    assert from_stdin["source"]["path"] == "<stdin>"


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("x.docx", "cannot tell the format of {out} from its suffix (.docx)"),
        ("missing/x.html", "the folder {folder} does not exist"),
    ],
)
def test_outputs_that_cannot_be_what_was_meant_are_refused(run_cli, tmp_path, output, message):
    out = tmp_path / output
    result = run_cli("translate", str(FIRST_SAMPLE), *SEGMENT_ONLY, "-o", str(out))
    assert result.returncode == 2
    assert message.format(out=out, folder=out.parent) in result.stderr
    assert not out.exists() and not out.parent.exists() or not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hf-home"] or not (tmp_path / "missing").exists()
    # With --format the suffix does not matter.
    if output == "x.docx":
        assert run_cli("translate", str(FIRST_SAMPLE), *SEGMENT_ONLY, "-o", str(out), "--format", "md").returncode == 0


def test_global_options_go_before_or_after_the_command_and_typos_get_a_suggestion(run_cli):
    after = run_cli("translate", str(FIRST_SAMPLE), "--set", "generation.num_beams=two", "--debug")
    assert "Traceback" in after.stderr
    typo = run_cli("translate", str(FIRST_SAMPLE), *SEGMENT_ONLY, "--outptu", "x.html")
    assert typo.returncode == 2
    assert typo.stderr.count("tarjama: error:") == 1 and "tarjama: error: tarjama" not in typo.stderr
    assert "unrecognized arguments: --outptu x.html (did you mean --output?)" in typo.stderr
    command = run_cli("transalte", str(FIRST_SAMPLE))
    assert command.returncode == 2 and "(did you mean 'translate'?)" in command.stderr
    top = run_cli("--bogus")
    assert top.returncode == 2 and top.stderr.startswith("tarjama: error: unrecognized arguments: --bogus")
    bad_set = run_cli("translate", str(FIRST_SAMPLE), "--set", "translate.nmu_beams=2")
    assert "--set translate.nmu_beams=2 (on the command line): unknown key 'translate.nmu_beams'" in bad_set.stderr
    assert "(did you mean 'generation.num_beams'?)" in bad_set.stderr and "default.yaml" not in bad_set.stderr


def run_on_a_terminal(args: list[str], tmp_path: Path) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout captured); returns (exit code, stderr)."""
    import os
    import pty

    master, slave = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=offline_env(tmp_path / "hf"),
                             stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return child.wait(timeout=120), b"".join(chunks).decode("utf-8", errors="replace")


def test_progress_and_wrote_on_a_terminal_only(tiny_model_dir, tmp_path, run_cli):
    out = tmp_path / "doc.html"
    args = ["translate", str(FIRST_SAMPLE), "--model", str(tiny_model_dir), *FAST, "-o", str(out),
            "--stages", "normalize,segment,quotes,translate,align"]
    code, stderr = run_on_a_terminal(args, tmp_path)
    assert code == 0, stderr
    total = len(json.loads(run_cli("translate", str(FIRST_SAMPLE), *SEGMENT_ONLY).stdout)["sentences"])
    assert f"translating: {total}/{total} sentences" in stderr and "elapsed" in stderr
    assert "aligning quotations" in stderr  # the stages after translate say they are working
    assert f"wrote {out}" in stderr
    code, quiet = run_on_a_terminal([*args, "--overwrite", "--quiet"], tmp_path)
    assert code == 0 and "translating" not in quiet and "wrote" not in quiet
    piped = run_cli(*args, "--overwrite")  # stderr is a pipe
    assert piped.returncode == 0 and "translating" not in piped.stderr and "wrote" not in piped.stderr


def test_translate_cache_answers_a_second_run_without_the_model(tiny_model_dir, tmp_path, monkeypatch):
    from pipeline.backends.transformers_backend import TransformersBackend
    from pipeline.cli import main

    real = TransformersBackend.translate
    calls: list[int] = []

    def counted(self, texts, settings):
        calls.append(len(texts))
        return real(self, texts, settings)

    monkeypatch.setattr(TransformersBackend, "translate", counted)
    cache = tmp_path / "tarjama-cache.sqlite"
    args = ["translate", str(BAHRAIN), "--model", str(tiny_model_dir), *FAST, "--cache", str(cache)]
    assert main([*args, "-o", str(tmp_path / "first.md")]) == 0
    assert calls  # the first run translated: sentences, the long quotation, retries
    calls.clear()
    assert main([*args, "-o", str(tmp_path / "second.md")]) == 0
    assert calls == []  # every piece, the quotation's and the retries' too, came from the cache
    assert (tmp_path / "second.md").read_bytes() == (tmp_path / "first.md").read_bytes()
    # The `cache:` config key does the same.
    config = tmp_path / "c.yaml"
    config.write_text(f"extends: {ROOT / 'configs' / 'default.yaml'}\ncache: {cache}\n", encoding="utf-8")
    assert main(["translate", str(BAHRAIN), "--model", str(tiny_model_dir), *FAST, "-c", str(config),
                 "-o", str(tmp_path / "third.md")]) == 0
    assert calls == []


@pytest.mark.parametrize(
    ("env", "args", "logical"),
    [
        ({"VTE_VERSION": "7600"}, [], True),  # GNOME Terminal lays Arabic out itself: by default, logical order
        ({"KONSOLE_VERSION": "230800"}, [], True),
        ({"XTERM_VERSION": "XTerm(390)"}, [], False),  # a plain xterm: tarjama reorders
        ({"VTE_VERSION": "7600", "TARJAMA_BIDI": "on"}, [], False),  # the variable overrides the terminal
        ({"XTERM_VERSION": "XTerm(390)", "TARJAMA_BIDI": "on"}, ["--bidi", "off"], True),  # --bidi wins
    ],
)
def test_the_terminal_view_decides_bidi_from_the_terminal(run_cli, tmp_path, env, args, logical):
    saved = tmp_path / "doc.json"
    assert run_cli("translate", str(FIRST_SAMPLE), *SEGMENT_ONLY, "-o", str(saved)).returncode == 0
    first = json.loads(saved.read_text(encoding="utf-8"))["sentences"][1]["text"]
    words = " ".join(first.split()[:3])
    child_env = offline_env(tmp_path / "hf")
    for key in ("VTE_VERSION", "KONSOLE_VERSION", "MLTERM", "TERM_PROGRAM", "TARJAMA_BIDI"):
        child_env.pop(key, None)
    # rich treats stdout as a terminal with TTY_COMPATIBLE (NO_COLOR keeps escape codes out).
    child_env.update({"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": "300", **env})
    result = run_cli("render", str(saved), "--format", "terminal", *args, env=child_env)
    assert result.returncode == 0, result.stderr
    assert (words in result.stdout) is logical


def test_align_shows_its_stages_on_a_terminal_and_refuses_a_missing_folder(tmp_path, run_cli):
    english = FIRST_SAMPLE.with_name(FIRST_SAMPLE.name.replace(".ar.txt", ".en.txt"))
    out = tmp_path / "aligned.json"
    code, stderr = run_on_a_terminal(["align", str(FIRST_SAMPLE), str(english), "-o", str(out)], tmp_path)
    assert code == 0, stderr
    assert "segmenting" in stderr and "aligning" in stderr and "checking" in stderr and "elapsed" in stderr
    assert f"wrote {out}" in stderr and json.loads(out.read_text(encoding="utf-8"))["sentences"]
    piped = run_cli("align", str(FIRST_SAMPLE), str(english), "-o", str(out), "--overwrite")
    assert piped.returncode == 0 and "segmenting" not in piped.stderr and "wrote" not in piped.stderr
    missing = run_cli("align", str(FIRST_SAMPLE), str(english), "-o", str(tmp_path / "no-such-dir" / "a.json"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert not (tmp_path / "no-such-dir").exists()
