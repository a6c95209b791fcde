"""Shared helpers of the batch tests: job files, runs, the manifest and report as a test reads them, and a child job killed at a cache write."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import yaml

from pipeline.batch import MANIFEST
from pipeline.cli import main
from pipeline.document import Document
from tests.conftest import ROOT, SAMPLES, offline_env

SAMPLE_FILES = sorted(SAMPLES.glob("*.ar.txt"))
# Fast settings for the tiny model; one torch thread is much faster on a small shared machine.
FAST = {"generation": {"num_beams": 1, "max_new_tokens": 8}, "transformers": {"threads": 1}}
STAGES = ["normalize", "segment", "translate"]


def write_job(folder: Path, inputs: list, *, model: Path | None, out: str = "out", **sections) -> Path:
    pipeline = {"stages": STAGES, **FAST} if model else {"stages": ["normalize", "segment"]}
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


def resume_job(folder: Path, name: str, model: Path, inputs: list, *, batch_size: int | None = 1, **extra) -> Path:
    generation = {**FAST["generation"], "batch_size": batch_size} if batch_size else FAST["generation"]
    job = {
        "inputs": inputs,
        # The whole pipeline, so that quotations translated on their own and QA retries (which the
        # tiny model, looping, always triggers) go through the cache too. One piece a batch by
        # default: batched generation is not bitwise the same under other padding, and a resumed
        # job (above all on Ray, whose actors group documents as they come) batches the
        # untranslated pieces otherwise, where a random tiny model's near-ties could flip. What is
        # checked here is the cache; `batch_size=None` keeps the configured batching.
        "pipeline": {"model": str(model), **FAST, "generation": generation},
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
