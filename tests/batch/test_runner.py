"""A whole batch job with the tiny model: outputs, resume after kill -9, failures, cache, full disk."""

from __future__ import annotations

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

from pipeline.batch import MANIFEST
from pipeline.cache import TranslationCache
from pipeline.document import Document
from pipeline.errors import ModelError, OutputError
from tests.batch.conftest import (
    SAMPLE_FILES,
    STAGES,
    assert_same_outputs,
    batch,
    check_outputs,
    copies,
    kill_at_cache_write,
    manifest_rows,
    report,
    resume_inputs,
    resume_job,
    write_job,
)
from tests.conftest import ROOT, SAMPLES, offline_env


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

def test_a_long_quotation_is_chunked_and_the_job_completes(tiny_model_dir, tmp_path):
    # The bahrain statement quotes 499 words (about 2,000 tokens of the tiny model, past its 512)
    # in one quotation that the align stage translates on its own: it must go in chunks too.
    bahrain = SAMPLES / "statement-bahrain-terror-cells.ar.txt"
    job = write_job(tmp_path, [{"files": [str(bahrain)]}], model=tiny_model_dir)
    spec = yaml.safe_load(job.read_text(encoding="utf-8"))
    spec["pipeline"]["stages"] = ["normalize", "segment", "quotes", "translate", "align", "qa"]
    spec["pipeline"]["generation"] = {**spec["pipeline"]["generation"], "max_chunk_tokens": 30}
    job.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert batch(job) == 0
    assert (report(out)["done"], report(out)["failed"]) == (1, 0)
    (name,) = [r["name"] for r in manifest_rows(out).values()]
    doc = Document.from_json((out / "documents" / f"{name}.json").read_text(encoding="utf-8"))
    longest = max(doc.quotes, key=lambda q: len(q.text.split()))
    assert len(longest.text.split()) > 400 and longest.translation.text

# The last case keeps the configured batching: pieces of several documents share a batch, and the
# resumed job batches what the cache lacks otherwise than the clean run did.
@pytest.mark.parametrize(("write", "when", "batch_size"), [(1, "after", 1), (3, "before", 1), (5, "after", None)])
def test_a_job_killed_at_a_cache_write_resumes_to_the_clean_runs_outputs(tiny_model_dir, tmp_path, write, when,
                                                                         batch_size):
    inputs = resume_inputs(tmp_path)
    clean_job = resume_job(tmp_path, "clean", tiny_model_dir, inputs, batch_size=batch_size)
    assert batch(clean_job) == 0
    killed_job = resume_job(tmp_path, "killed", tiny_model_dir, inputs, batch_size=batch_size)
    assert kill_at_cache_write(killed_job, tmp_path / "hook", write, when) == -signal.SIGKILL
    with TranslationCache(tmp_path / "out-killed" / "cache.sqlite") as cache:
        assert len(cache) > 0  # the killed run left translations for the resumed one to reuse
    assert batch(killed_job) == 0
    assert report(tmp_path / "out-killed")["cache_hits"] > 0
    assert_same_outputs(tmp_path / "out-clean", tmp_path / "out-killed")


def test_the_runner_writes_what_any_executor_yields(tmp_path, monkeypatch):
    """An executor only hands back documents and failures, in its own order; the runner writes the
    outputs, the manifest, errors.jsonl, the dataset and the report, and skips on a rerun."""
    from pipeline.batch.runner import Runner
    from pipeline.batch.work import Failed, Finished, Metrics
    from pipeline.reader import read_bytes

    articles = copies(tmp_path / "in", 3)

    class Backwards:
        """Reads each document whole and hands them back last first; the second one fails."""

        def __init__(self) -> None:
            self.metrics = Metrics(tokens=7, cache_hits=2)
            self.seen: list[str] = []

        def run(self, work):
            done = []
            for w in work:
                self.seen.append(w.key)
                doc = read_bytes(w.data, path=w.label)
                doc.sentences = []
                done.append(Failed(w.key, "this one broke") if len(done) == 1 else Finished(w.key, doc))
            yield from reversed(done)

        def close(self) -> None:
            pass

    executors: list[Backwards] = []
    monkeypatch.setattr(Runner, "executor", lambda self: executors.append(Backwards()) or executors[-1])
    job = write_job(tmp_path, [{"glob": "in/*.txt"}], model=None, output={"dataset": "all.jsonl"})
    assert batch(job) == 1
    out = tmp_path / "out"
    rows = manifest_rows(out)
    assert {Path(k).name: r["state"] for k, r in rows.items()} == {
        articles[0].name: "done", articles[1].name: "failed", articles[2].name: "done"}
    assert sorted(p.name for p in (out / "documents").iterdir()) == sorted(
        f"{p.stem}.{suffix}" for p in (articles[0], articles[2]) for suffix in ("json", "md"))
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(Path(e["file"]).name, e["reason"]) for e in errors] == [(articles[1].name, "this one broke")]
    summary = report(out)
    assert (summary["done"], summary["failed"], summary["tokens"], summary["cache_hits"]) == (2, 1, 7, 2)
    assert (out / "all.jsonl").read_text(encoding="utf-8") == ""  # no sentences: the stub made none

    assert batch(job) == 0  # the done documents are not handed to the executor again; the failed one is
    assert executors[-1].seen == [str(articles[1].resolve())]
    assert (report(out)["skipped"], report(out)["done"], report(out)["failed"]) == (2, 1, 0)
    assert not (out / "errors.jsonl").exists()
