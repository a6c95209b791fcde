"""Batch jobs end to end with the tiny model: outputs, resume after kill -9, failures, cache, lock, job errors."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from pipeline.batch import MANIFEST, FolderLock, Report, html_to_text, load_job, print_report
from pipeline.cache import TranslationCache
from pipeline.cli import main
from pipeline.document import Document, Flag, Sentence
from pipeline.errors import ConfigError, ModelError, OutputError
from tests.conftest import ROOT, SAMPLES, offline_env

SAMPLE_FILES = sorted(SAMPLES.glob("*.ar.txt"))
# Fast settings for the tiny model; one torch thread is much faster on a small shared machine.
FAST = {"num_beams": 1, "max_new_tokens": 8, "threads": 1}
STAGES = ["normalize", "segment", "translate"]


def write_job(folder: Path, inputs: list, *, model: Path | None, out: str = "out", **sections) -> Path:
    pipeline = {"stages": STAGES, "translate": FAST} if model else {"stages": ["normalize", "segment"]}
    if model:
        pipeline["model"] = str(model)
    job = {"inputs": inputs, "pipeline": pipeline, "output": {"folder": out, "formats": ["json", "md"]}}
    for key, value in sections.items():
        job[key] = {**job.get(key, {}), **value}
    path = folder / "job.yaml"
    path.write_text(yaml.safe_dump(job, allow_unicode=True), encoding="utf-8")
    return path


def batch(job: Path, *args: str) -> int:
    return main(["batch", str(job), "--progress", "lines", *args])


def manifest_rows(out: Path) -> dict[str, dict]:
    db = sqlite3.connect(f"file:{out / MANIFEST}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT key, name, state, run, error, outputs FROM documents").fetchall()
    finally:
        db.close()
    return {key: {"name": name, "state": state, "run": run, "error": error, "outputs": json.loads(outputs or "[]")}
            for key, name, state, run, error, outputs in rows}


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def check_outputs(out: Path, names: list[str]) -> None:
    """Every document's JSON is a whole, valid, translated document and its Markdown exists."""
    for name in names:
        doc = Document.from_json((out / "documents" / f"{name}.json").read_text(encoding="utf-8"))
        assert doc.sentences and all(s.translation is not None for s in doc.sentences), name
        assert (out / "documents" / f"{name}.md").read_text(encoding="utf-8").strip(), name
    assert not list(out.rglob("*.tmp")), "a temporary file of an atomic write was left behind"


def copies(folder: Path, count: int, *, lines: int = 4) -> list[Path]:
    """`count` short articles from the samples, each with its own last line so no two are equal."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        source = SAMPLE_FILES[i % len(SAMPLE_FILES)].read_text(encoding="utf-8")
        body = [line for line in source.splitlines() if len(line) > 40][:lines]
        path = folder / f"article-{i:03d}.txt"
        path.write_text("\n".join(body) + f"\nوقال المتحدث إن عدد الحالات بلغ {i + 7} حالة.\n", encoding="utf-8")
        paths.append(path)
    return paths


# -- a whole job -------------------------------------------------------------------------------


def test_batch_over_samples_writes_every_output_and_a_report(tiny_model_dir, tmp_path, capsys):
    job = write_job(tmp_path, [{"glob": str(SAMPLES / "*.ar.txt")}], model=tiny_model_dir)
    assert batch(job) == 0
    out = tmp_path / "out"
    names = [p.name.removesuffix(".txt") for p in SAMPLE_FILES]
    check_outputs(out, names)

    summary = report(out)
    assert (summary["documents"], summary["done"], summary["failed"], summary["skipped"]) == (7, 7, 0, 0)
    assert summary["tokens"] > 0 and summary["model_seconds"] > 0
    assert set(summary["stage_seconds"]) == set(STAGES)
    assert 0 <= summary["overhead_percent"] <= 100

    import datasets

    rows = datasets.Dataset.from_parquet(str(out / "sentences.parquet"))
    assert len(rows) == summary["sentences"]
    first = Document.from_json((out / "documents" / f"{names[0]}.json").read_text(encoding="utf-8"))
    mine = rows.filter(lambda r: r["document"] == names[0])
    assert mine["arabic"] == [s.text for s in first.sentences]
    assert mine["english"] == [s.translation for s in first.sentences]
    assert "documents in the job" in capsys.readouterr().out


def test_rerun_skips_unchanged_documents_and_hits_the_cache(tiny_model_dir, tmp_path):
    articles = copies(tmp_path / "in", 4)
    job = write_job(tmp_path, [{"files": [str(p) for p in articles]}], model=tiny_model_dir)
    out = tmp_path / "out"
    assert batch(job) == 0
    first = report(out)
    assert first["cache_hits"] == 0 and first["chunks_translated"] > 0

    assert batch(job) == 0
    assert (report(out)["done"], report(out)["skipped"]) == (0, 4)

    # A changed input redoes that document only; its unchanged sentences come from the cache.
    articles[2].write_text(articles[2].read_text(encoding="utf-8") + "وأضاف أن الاجتماع سيعقد غدا.\n",
                           encoding="utf-8")
    assert batch(job) == 0
    changed = report(out)
    assert (changed["done"], changed["skipped"]) == (1, 3)
    assert changed["cache_hits"] > 0 and changed["chunks_translated"] >= 1

    # A changed config (a new output format) redoes every document, all from the cache.
    spec = yaml.safe_load(job.read_text(encoding="utf-8"))
    spec["output"]["formats"].append("html")
    job.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    assert batch(job) == 0
    redone = report(out)
    assert (redone["done"], redone["skipped"]) == (4, 0)
    assert redone["chunks_translated"] == 0 and redone["cache_misses"] == 0 and redone["cache_hits"] > 0
    assert all((out / "documents" / f"{p.stem}.html").exists() for p in articles)


def test_dry_run_counts_without_writing(tiny_model_dir, tmp_path, capsys):
    articles = copies(tmp_path / "in", 3)
    job = write_job(tmp_path, [{"glob": "in/*.txt"}], model=tiny_model_dir)
    assert batch(job, "--dry-run") == 0
    assert "3 to do" in capsys.readouterr().out
    assert not (tmp_path / "out").exists()
    assert batch(job) == 0
    articles[0].write_text("خبر جديد تماما عن الاجتماع.\n", encoding="utf-8")
    capsys.readouterr()
    assert batch(job, "--dry-run") == 0
    assert "2 already done and unchanged, 1 to do" in capsys.readouterr().out


# -- failures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [RuntimeError, ModelError])  # a model error is one document's too
def test_a_failing_document_goes_to_errors_and_the_job_goes_on(tiny_model_dir, tmp_path, monkeypatch, error):
    good = copies(tmp_path / "in", 4)
    png = tmp_path / "in" / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    # One article makes the model fail: it shares a translation group with the others, and only it fails.
    poisoned = good[2]
    poisoned.write_text(poisoned.read_text(encoding="utf-8") + "كلمة_مسمومة في النص.\n", encoding="utf-8")
    from pipeline.backends.transformers_backend import TransformersBackend

    real = TransformersBackend.translate

    def failing(self, texts, settings):
        if any("كلمة_مسمومة" in t for t in texts):
            raise error("the model broke on this input")
        return real(self, texts, settings)

    monkeypatch.setattr(TransformersBackend, "translate", failing)
    files = [str(good[0]), str(png), str(good[1]), str(poisoned), str(tmp_path / "in" / "missing.txt"), str(good[3])]
    job = write_job(tmp_path, [{"files": files}], model=tiny_model_dir, run={"batch_sentences": 1000})
    out = tmp_path / "out"
    assert batch(job) == 1

    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_file = {Path(e["file"]).name: e["reason"] for e in errors}
    assert set(by_file) == {"photo.txt", poisoned.name, "missing.txt"}
    assert "PNG" in by_file["photo.txt"]
    assert "the model broke on this input" in by_file[poisoned.name]
    assert "does not exist" in by_file["missing.txt"]
    summary = report(out)
    assert (summary["done"], summary["failed"]) == (3, 3)
    check_outputs(out, [good[0].stem, good[1].stem, good[3].stem])
    assert not (out / "documents" / f"{poisoned.stem}.json").exists()

    # Fixed, the rerun does only the failed documents and clears their errors.
    monkeypatch.setattr(TransformersBackend, "translate", real)
    spec = yaml.safe_load(job.read_text(encoding="utf-8"))
    spec["inputs"][0]["files"] = [f for f in files if Path(f).name not in ("photo.txt", "missing.txt")]
    job.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    assert batch(job) == 0
    assert (report(out)["done"], report(out)["skipped"]) == (1, 3)
    assert not (out / "errors.jsonl").exists()


def test_a_second_run_on_the_same_folder_refuses(tmp_path, capsys):
    copies(tmp_path / "in", 1)
    job = write_job(tmp_path, [{"glob": "in/*.txt"}], model=None)
    (tmp_path / "out").mkdir()
    with FolderLock(tmp_path / "out"):
        assert batch(job) == 2
    err = capsys.readouterr().err
    assert "is in use by another tarjama batch" in err and f"pid {os.getpid()}" in err
    assert batch(job) == 0  # released: the next run goes ahead


def test_a_job_killed_mid_run_resumes_and_does_each_document_once(tiny_model_dir, tmp_path, capsys):
    count = 24
    copies(tmp_path / "in", count, lines=6)
    # One document per translation group, so documents finish one by one.
    job = write_job(tmp_path, [{"glob": "in/*.txt"}], model=tiny_model_dir, run={"batch_sentences": 1})
    out = tmp_path / "out"
    log = (tmp_path / "child.log").open("w")
    child = subprocess.Popen([sys.executable, "-m", "pipeline", "batch", str(job)], cwd=ROOT,
                             env=offline_env(tmp_path / "hf-home"), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        refused = False
        done: dict[str, dict] = {}
        while time.monotonic() < deadline and child.poll() is None:
            lock = out / ".tarjama-batch.lock"
            if not refused and lock.exists() and f"pid {child.pid}" in lock.read_text(encoding="utf-8"):
                # The child holds the folder: a second run must refuse, not interleave.
                assert batch(job) == 2
                assert "in use by another tarjama batch" in capsys.readouterr().err
                refused = True
            if (out / MANIFEST).exists():
                try:
                    done = {k: r for k, r in manifest_rows(out).items() if r["state"] == "done"}
                except sqlite3.OperationalError:
                    done = {}
                if refused and done:
                    break
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        log.close()
    assert child.returncode == -signal.SIGKILL, (tmp_path / "child.log").read_text()
    assert refused and 1 <= len(done) < count, (tmp_path / "child.log").read_text()

    assert batch(job) == 0
    rows = manifest_rows(out)
    assert len(rows) == count and all(r["state"] == "done" for r in rows.values())
    # What the killed run finished was not done again; the rest was done once, by the resumed run.
    for key, row in rows.items():
        if key in done:
            assert row["run"] == done[key]["run"]
    resumed = report(out)
    assert (resumed["skipped"], resumed["done"], resumed["failed"]) == (len(done), count - len(done), 0)
    assert len({r["name"] for r in rows.values()}) == count
    check_outputs(out, [r["name"] for r in rows.values()])

    import datasets

    rows_per_doc = datasets.Dataset.from_parquet(str(out / "sentences.parquet")).to_pandas().groupby("document").size()
    assert len(rows_per_doc) == count
    for name, n in rows_per_doc.items():
        doc = json.loads((out / "documents" / f"{name}.json").read_text(encoding="utf-8"))
        assert n == len(doc["sentences"]), name


def test_a_full_disk_stops_the_job_and_a_rerun_finishes_it(tiny_model_dir, tmp_path, monkeypatch, capsys):
    import pipeline.io

    copies(tmp_path / "in", 5)
    job = write_job(tmp_path, [{"glob": "in/*.txt"}], model=tiny_model_dir, run={"batch_sentences": 1})
    real, writes = pipeline.io.write_atomic, []

    def full_disk(path, text, **kwargs):
        writes.append(path)
        if len(writes) > 4:  # two documents' json and md, then the disk is full
            raise OutputError(f"cannot write {path} (No space left on device); check that the folder is "
                              "writable and the disk has space.")
        return real(path, text, **kwargs)

    monkeypatch.setattr(pipeline.io, "write_atomic", full_disk)
    assert batch(job) == 1
    assert "No space left on device" in capsys.readouterr().err
    states = sorted(r["state"] for r in manifest_rows(tmp_path / "out").values())
    assert states == ["done", "done", "pending", "pending", "pending"]

    monkeypatch.setattr(pipeline.io, "write_atomic", real)
    assert batch(job) == 0
    assert (report(tmp_path / "out")["skipped"], report(tmp_path / "out")["done"]) == (2, 3)


# -- inputs ------------------------------------------------------------------------------------


def test_tables_and_html_pages_are_read(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [line for line in SAMPLE_FILES[0].read_text(encoding="utf-8").splitlines() if len(line) > 60][:3]
    (tmp_path / "a.jsonl").write_text(
        "".join(json.dumps({"id": f"j{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8")
    with open(tmp_path / "b.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["article_id", "body"])
        writer.writerows(enumerate(texts[:2]))
    pq.write_table(pa.table({"text": texts[:2]}), tmp_path / "c.parquet")
    (tmp_path / "page.html").write_text(
        f"<html><head><title>t</title><style>p {{color: red}}</style></head><body><script>alert('x')</script>"
        f"<p>{texts[0]}</p><div>{texts[1]} &amp; <b>المزيد</b></div></body></html>", encoding="utf-8")
    inputs = [{"table": "a.jsonl"}, {"table": "b.csv", "text": "body", "id": "article_id"},
              {"table": "c.parquet", "id": None}, {"files": ["page.html"]}]
    job = write_job(tmp_path, inputs, model=None, output={"dataset": "all.jsonl"})
    assert batch(job) == 0
    docs = tmp_path / "out" / "documents"
    assert sorted(p.stem for p in docs.glob("*.json")) == ["a-j0", "a-j1", "a-j2", "b-0", "b-1", "c-1", "c-2", "page"]
    row = json.loads((docs / "a-j1.json").read_text(encoding="utf-8"))
    assert row["meta"]["id"] == "j1" and row["source"]["path"].endswith("a.jsonl#j1")
    page = json.loads((docs / "page.json").read_text(encoding="utf-8"))["text"]
    assert "alert" not in page and "<" not in page and "color" not in page and "& المزيد" in page
    lines = [json.loads(line) for line in (tmp_path / "out" / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["document"] for r in lines} == {p.stem for p in docs.glob("*.json")}
    assert all(r["english"] is None for r in lines)  # no translate stage in this job


def test_a_local_dataset_folder_loads_as_a_hub_dataset(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "train.jsonl").write_text(
        json.dumps({"id": "x1", "text": "قال الوزير إن الاجتماع انتهى."}, ensure_ascii=False) + "\n", encoding="utf-8")
    job = write_job(tmp_path, [{"hub": "news", "split": "train"}], model=None)
    assert batch(job) == 0
    assert (tmp_path / "out" / "documents" / "news-x1.json").exists()


def test_an_unreachable_hub_dataset_is_a_clear_error(run_cli, tmp_path):
    job = write_job(tmp_path, [{"hub": "some-org/arabic-news", "split": "train"}], model=None)
    result = run_cli("batch", str(job))
    assert result.returncode == 1
    assert "inputs[0].hub: dataset 'some-org/arabic-news' needs the Hugging Face hub" in result.stderr
    assert "Traceback" not in result.stderr


def test_html_to_text_keeps_blocks_as_lines():
    html = "<h1>عنوان</h1><p>فقرة <i>أولى</i></p><ul><li>بند</li></ul><script>var x = '<p>';</script>"
    assert html_to_text(html) == "عنوان\nفقرة أولى\nبند\n"


# -- the job file ------------------------------------------------------------------------------


def test_malformed_job_yaml_gives_line_and_column(run_cli, tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text("inputs:\n  - glob: samples/*.txt\noutput:\n  folder: [out\n", encoding="utf-8")
    result = run_cli("batch", str(job))
    assert result.returncode == 2
    assert "is not valid YAML at line" in result.stderr and "column" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("job", "message"),
    [
        ({"inputs": [{"tabel": "x.csv"}], "output": {"folder": "o"}},
         "unknown key 'inputs[0].tabel' (did you mean 'table'?)"),
        ({"inputs": [{"glob": "*.txt", "table": "x.csv"}], "output": {"folder": "o"}},
         "'inputs[0]' must give exactly one of glob, files, table or hub (it gives glob, table)"),
        ({"inputs": ["*.txt"], "output": {"folder": "o", "formats": ["pdf"]}},
         "key 'output.formats[0]' must be 'json' or 'md' or 'html' or 'tmx' or 'terminal', not 'pdf'"),
        ({"inputs": ["*.txt"]}, "key 'output.folder' is missing"),
        ({"output": {"folder": "o"}}, "key 'inputs' lists no input"),
        ({"inputs": ["*.txt"], "output": {"folder": "o", "dataset": "all.csv"}},
         "key 'output.dataset' must end in .parquet or .jsonl"),
        ({"inputs": ["*.txt"], "output": {"folder": "o"}, "pipeline": {"config": "nope.yaml"}},
         "nope.yaml does not exist"),
        ({"inputs": ["*.txt"], "output": {"folder": "o"}, "pipeline": {"config": None, "sett": []}},
         "unknown key 'pipeline.sett' (did you mean 'set'?)"),
        ({"inputs": ["*.txt"], "output": {"folder": "o"}, "pipeline": {"translate": {"num_beams": "two"}}},
         "key 'translate.num_beams' must be an integer"),
        ({"inputs": ["*.txt"], "output": {"folder": "o"}, "run": {"batch_sentences": 0}},
         "key 'run.batch_sentences' must be at least 1"),
    ],
)
def test_job_errors_name_the_key(tmp_path, job, message):
    path = tmp_path / "job.yaml"
    path.write_text(yaml.safe_dump(job), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_job(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_pipeline_profile_overrides_and_command_line_sets_apply_in_order(tmp_path):
    path = tmp_path / "job.yaml"
    profile = (ROOT / "configs" / "default.yaml").resolve()
    path.write_text(yaml.safe_dump({
        "inputs": ["*.txt"], "output": {"folder": "o"},
        "pipeline": {"config": str(profile), "overrides": {"translate": {"num_beams": 2, "batch_size": 8}},
                     "set": ["translate.num_beams=3"]},
    }), encoding="utf-8")
    job = load_job(path, sets=["translate.batch_size=4"], model="some/model")
    assert job.config.stage_settings["translate"]["num_beams"] == 3
    assert job.config.stage_settings["translate"]["batch_size"] == 4
    assert job.config.settings.model == "some/model"
    assert job.folder == (tmp_path / "o").resolve()


def test_the_example_job_is_valid_and_finds_the_samples():
    from pipeline.batch import list_items

    job = load_job(ROOT / "configs" / "batch-example.yaml")
    assert sorted(Path(item.key).name for item in list_items(job)) == [p.name for p in SAMPLE_FILES]


# -- the report --------------------------------------------------------------------------------


def test_report_table_counts_qa_flags_per_rule_and_document():
    from rich.console import Console

    from pipeline.batch import _flag_counts

    doc = Document(text="أ. ب.", sentences=[
        Sentence(id="s1", start=0, end=2, text="أ.", translation="A.",
                 flags=[Flag(rule="numbers", severity="warning", message="a number is missing")]),
        Sentence(id="s2", start=3, end=5, text="ب.", translation="B B B B",
                 flags=[Flag(rule="repetition", severity="error", message="a loop"),
                        Flag(rule="numbers", severity="warning", message="a number changed")]),
    ])
    assert _flag_counts(doc) == {"numbers": 2, "repetition": 1}
    summary = Report(job="job.yaml", folder="out", run="r", model="m", backend="transformers", stages=["qa"],
                     done=1, qa_per_rule={"numbers": 2, "repetition": 1},
                     qa_per_document={"article-1": {"numbers": 2, "repetition": 1}})
    console = Console(width=100, file=io.StringIO())
    print_report(summary, console)
    text = console.file.getvalue()
    assert "QA flags" in text and "repetition" in text and "article-1" in text and "numbers 2" in text


def test_a_long_quotation_is_chunked_and_the_job_completes(tiny_model_dir, tmp_path):
    # The bahrain statement quotes 499 words (about 2,000 tokens of the tiny model, past its 512)
    # in one quotation that the align stage translates on its own: it must go in chunks too.
    bahrain = SAMPLES / "statement-bahrain-terror-cells.ar.txt"
    job = write_job(tmp_path, [{"files": [str(bahrain)]}], model=tiny_model_dir)
    spec = yaml.safe_load(job.read_text(encoding="utf-8"))
    spec["pipeline"]["stages"] = ["normalize", "segment", "quotes", "translate", "align", "qa"]
    spec["pipeline"]["segment"] = {"max_chunk_tokens": 30}
    job.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert batch(job) == 0
    assert (report(out)["done"], report(out)["failed"]) == (1, 0)
    (name,) = [r["name"] for r in manifest_rows(out).values()]
    doc = Document.from_json((out / "documents" / f"{name}.json").read_text(encoding="utf-8"))
    longest = max(doc.quotes, key=lambda q: len(q.text.split()))
    assert len(longest.text.split()) > 400 and longest.translation.text


# -- a killed job resumes to the clean run's outputs -------------------------------------------------

# Imported by every Python process of the child job (its Ray workers too) through PYTHONPATH: with
# TARJAMA_TEST_KILL=N:before|after, the process that makes the N-th cache write of the job kills the
# job's driver and itself with SIGKILL, just before or just after the write commits.
KILL_HOOK = '''
import os, signal
spec = os.environ.get("TARJAMA_TEST_KILL")
if spec:
    os.environ.setdefault("TARJAMA_TEST_DRIVER", str(os.getpid()))
    from pipeline.cache import TranslationCache
    real, (n, when) = TranslationCache.put_many, spec.split(":")

    def put_many(self, key, translations):
        writes = os.environ.setdefault("TARJAMA_TEST_WRITES", "0")
        os.environ["TARJAMA_TEST_WRITES"] = str(int(writes) + 1)
        if int(writes) + 1 == int(n) and when == "before":
            os.kill(int(os.environ["TARJAMA_TEST_DRIVER"]), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)
        real(self, key, translations)
        if int(writes) + 1 == int(n) and when == "after":
            os.kill(int(os.environ["TARJAMA_TEST_DRIVER"]), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)

    TranslationCache.put_many = put_many
'''
# What legitimately differs between two runs of the same document: how long things took.
TIMINGS = (("timings_s",), ("translate", "model_seconds"))


def kill_at_cache_write(job: Path, hook_dir: Path, write: int, when: str, *, env: dict | None = None) -> int:
    """Run the batch job in a child process killed at its `write`-th cache write; its exit code."""
    hook_dir.mkdir(exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(KILL_HOOK, encoding="utf-8")
    child_env = {**(env or offline_env(job.parent / "hf-home")), "TARJAMA_TEST_KILL": f"{write}:{when}"}
    child_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(hook_dir), str(ROOT), child_env.get("PYTHONPATH")) if p)
    child = subprocess.run([sys.executable, "-m", "pipeline", "batch", str(job), "--progress", "lines"], cwd=ROOT,
                           env=child_env, capture_output=True, text=True, timeout=300)
    return child.returncode


def without_timings(doc: dict) -> dict:
    for path in TIMINGS:
        holder = doc["provenance"]
        for key in path[:-1]:
            holder = holder.get(key, {})
        holder.pop(path[-1], None)
    return doc


def assert_same_outputs(clean: Path, resumed: Path) -> None:
    """Per-document JSON equal but for timings; Markdown and HTML byte-equal; dataset rows equal."""
    import pyarrow.parquet as pq

    names = sorted(p.name for p in (clean / "documents").iterdir())
    assert names and sorted(p.name for p in (resumed / "documents").iterdir()) == names
    for name in names:
        a, b = (clean / "documents" / name).read_bytes(), (resumed / "documents" / name).read_bytes()
        if name.endswith(".json"):
            assert without_timings(json.loads(b)) == without_timings(json.loads(a)), name
        else:
            assert b == a, name
    assert pq.read_table(resumed / "sentences.parquet").to_pylist() == pq.read_table(clean / "sentences.parquet").to_pylist()


def resume_job(folder: Path, name: str, model: Path, inputs: list, **extra) -> Path:
    job = {
        "inputs": inputs,
        # The whole pipeline, so that quotations translated on their own and QA retries (which the
        # tiny model, looping, always triggers) go through the cache too. One piece a batch: batched
        # generation is not bitwise the same under other padding, and a resumed job (above all on
        # Ray, whose actors group documents as they come) batches the untranslated pieces otherwise;
        # a random tiny model's near-ties then flip. What is checked here is the cache.
        "pipeline": {"model": str(model), "translate": {**FAST, "batch_size": 1}},
        "output": {"folder": f"out-{name}", "formats": ["json", "md", "html"], "dataset": "sentences.parquet"},
        "run": {"batch_sentences": 12},
        **extra,
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(job, allow_unicode=True), encoding="utf-8")
    return path


def resume_inputs(folder: Path) -> list:
    """Short articles, two of them identical (a wire copy met twice), and the bahrain statement."""
    paths = copies(folder / "in", 4, lines=3)
    twin = folder / "in" / "article-twin.txt"
    twin.write_text(paths[0].read_text(encoding="utf-8"), encoding="utf-8")
    return [{"glob": str(folder / "in" / "*.txt")}, {"files": [str(SAMPLES / "statement-bahrain-terror-cells.ar.txt")]}]


@pytest.mark.parametrize(("write", "when"), [(1, "after"), (3, "before")])
def test_a_job_killed_at_a_cache_write_resumes_to_the_clean_runs_outputs(tiny_model_dir, tmp_path, write, when):
    inputs = resume_inputs(tmp_path)
    clean_job = resume_job(tmp_path, "clean", tiny_model_dir, inputs)
    assert batch(clean_job) == 0
    killed_job = resume_job(tmp_path, "killed", tiny_model_dir, inputs)
    assert kill_at_cache_write(killed_job, tmp_path / "hook", write, when) == -signal.SIGKILL
    with TranslationCache(tmp_path / "out-killed" / "cache.sqlite") as cache:
        assert len(cache) > 0  # the killed run left translations for the resumed one to reuse
    assert batch(killed_job) == 0
    assert report(tmp_path / "out-killed")["cache_hits"] > 0
    assert_same_outputs(tmp_path / "out-clean", tmp_path / "out-killed")
