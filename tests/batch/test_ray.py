"""Batch jobs with `executor: ray` on a local Ray instance (2 CPUs): the same outputs, manifest and resume as the local executor."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from pipeline.batch import load_job
from pipeline.cli import main
from pipeline.errors import ConfigError
from tests.batch.conftest import without_timings
from tests.conftest import ROOT, SAMPLES, offline_env

SAMPLE_FILES = sorted(SAMPLES.glob("*.ar.txt"))
STAGES = ["normalize", "segment", "quotes", "translate", "summarize"]
# Fast settings for the tiny model; one torch thread is much faster on a small shared machine.
FAST = {"generation": {"num_beams": 1, "max_new_tokens": 8}, "transformers": {"threads": 1}}
# batch_size 4 splits the 7 samples over two actor calls, so results come back in several batches.
RAY = {"num_cpus": 2, "num_actors": 1, "batch_size": 4}
# Ray's log lines start with a date; the one tarjama cannot turn off is Ray Data's notice that its
# actors' constructor arguments live in the object store (ray-project/ray#53727), printed by Ray's
# C++ core at actor creation.
RAY_LOG_LINE = re.compile(r"^\[?\d{4}-\d\d-\d\d[ T]")
KNOWN_RAY_LINE = "has constructor arguments in the object store"


def write_job(folder: Path, name: str, *, executor: str, model: Path | str, inputs: list, **ray) -> Path:
    job = {
        "executor": executor,
        "ray": {**RAY, **ray},
        "inputs": inputs,
        "pipeline": {"model": str(model), "stages": STAGES, **FAST},
        "output": {"folder": f"out-{name}", "formats": ["json", "md"], "dataset": "sentences.parquet"},
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(job, allow_unicode=True), encoding="utf-8")
    return path


def run_batch(job: Path, marker: str, *, timeout: float = 240) -> subprocess.CompletedProcess:
    """`python -m pipeline batch JOB` in a child process with the network off; every process it
    starts (Ray's included) inherits `marker`, so the test can find any it leaves behind."""
    env = {**offline_env(job.parent / "hf-home"), "TARJAMA_TEST_MARKER": marker}
    return subprocess.run([sys.executable, "-m", "pipeline", "batch", str(job), "--progress", "lines"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def processes_with(marker: str) -> list[str]:
    """The command lines of live processes whose environment holds `marker`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"TARJAMA_TEST_MARKER={marker}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:  # gone already, or not ours to read
            continue
    return found


def assert_no_ray_left(marker: str) -> None:
    deadline = time.monotonic() + 20  # ray.shutdown() stops its processes; give them a moment to exit
    while (left := processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, f"processes left running after the job: {left}"


def ray_log_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if RAY_LOG_LINE.match(line)]


def test_ray_outputs_equal_the_local_executors_and_a_rerun_skips_everything(tiny_model_dir, tmp_path):
    # A binary file among the inputs fails in both executors the same way (errors.jsonl, exit 1).
    broken = tmp_path / "in" / "photo.txt"
    broken.parent.mkdir()
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    inputs = [{"glob": str(SAMPLES / "*.ar.txt")}, {"files": [str(broken)]}]
    local_job = write_job(tmp_path, "local", executor="local", model=tiny_model_dir, inputs=inputs)
    ray_job = write_job(tmp_path, "ray", executor="ray", model=tiny_model_dir, inputs=inputs)
    local, ray = tmp_path / "out-local", tmp_path / "out-ray"

    assert main(["batch", str(local_job), "--progress", "lines"]) == 1
    marker = uuid.uuid4().hex
    result = run_batch(ray_job, marker)
    assert result.returncode == 1, result.stderr
    assert_no_ray_left(marker)
    assert all(KNOWN_RAY_LINE in line for line in ray_log_lines(result.stderr)), result.stderr

    names = sorted(p.name for p in (local / "documents").iterdir())
    assert len(names) == 2 * len(SAMPLE_FILES)  # json and md of every sample, nothing of the broken file
    assert sorted(p.name for p in (ray / "documents").iterdir()) == names
    for name in names:
        mine, theirs = (ray / "documents" / name).read_text(encoding="utf-8"), (local / "documents" / name).read_text(encoding="utf-8")
        if name.endswith(".json"):
            assert without_timings(json.loads(mine)) == without_timings(json.loads(theirs)), name
        else:
            assert mine == theirs, name
    assert pq.read_table(ray / "sentences.parquet").to_pylist() == pq.read_table(local / "sentences.parquet").to_pylist()
    errors = [(ray / "errors.jsonl").read_text(encoding="utf-8"), (local / "errors.jsonl").read_text(encoding="utf-8")]
    assert errors[0] == errors[1] and "photo.txt" in errors[0]

    first = json.loads((ray / "report.json").read_text(encoding="utf-8"))
    expected = json.loads((local / "report.json").read_text(encoding="utf-8"))
    for key in ("documents", "done", "failed", "skipped", "sentences", "stages", "job_states"):
        assert first[key] == expected[key], key
    # Model time, tokens and cache counts are measured in the actors and added up by the driver.
    assert first["tokens"] > 0 and first["model_seconds"] > 0 and first["cache_misses"] > 0

    # Rerun without the broken file (a failed document is tried again, as the local executor does):
    # everything is done with the same input and config, so no Ray starts at all.
    write_job(tmp_path, "ray", executor="ray", model=tiny_model_dir, inputs=inputs[:1])
    marker = uuid.uuid4().hex
    again = run_batch(ray_job, marker)
    assert again.returncode == 0, again.stderr
    rerun = json.loads((ray / "report.json").read_text(encoding="utf-8"))
    assert (rerun["done"], rerun["skipped"], rerun["failed"]) == (0, len(SAMPLE_FILES), 0)
    assert not ray_log_lines(again.stderr), again.stderr
    assert_no_ray_left(marker)
    assert not (ray / "errors.jsonl").exists()


def test_a_missing_model_stops_the_ray_job_with_the_model_error(tmp_path):
    job = write_job(tmp_path, "ray", executor="ray", model=tmp_path / "no-such-model",
                    inputs=[{"files": [str(SAMPLE_FILES[0])]}])
    marker = uuid.uuid4().hex
    result = run_batch(job, marker)
    assert result.returncode == 2, result.stderr
    assert "no-such-model" in result.stderr.splitlines()[-1] and "does not exist" in result.stderr
    assert_no_ray_left(marker)
    db = sqlite3.connect(f"file:{tmp_path / 'out-ray' / 'manifest.sqlite'}?mode=ro", uri=True)
    try:  # the document stays to do, for the run after the model is fixed
        assert db.execute("SELECT state FROM documents").fetchall() == [("pending",)]
    finally:
        db.close()


def test_an_address_that_does_not_answer_fails_at_once(tmp_path):
    job = write_job(tmp_path, "ray", executor="ray", model="unused", inputs=[{"files": [str(SAMPLE_FILES[0])]}],
                    address="127.0.0.1:9")  # the discard port: closed on any test machine
    started = time.monotonic()
    result = run_batch(job, uuid.uuid4().hex, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Ray cluster at 127.0.0.1:9 does not answer" in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(("ray", "message"), [
    ({"num_actors": 0}, "'ray.num_actors' must be at least 1"),
    ({"batch_size": 0}, "'ray.batch_size' must be at least 1"),
    ({"num_gpus_per_actor": -1}, "'ray.num_gpus_per_actor' must be at least 0"),
    ({"actors": 2}, "unknown key 'ray.actors'"),
    ({"address": 6379}, "'ray.address' must be"),
])
def test_ray_keys_are_checked_before_any_work(tmp_path, ray, message):
    job = write_job(tmp_path, "ray", executor="ray", model="unused", inputs=[{"files": [str(SAMPLE_FILES[0])]}], **ray)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_job(job)


def test_an_unknown_executor_is_refused(tmp_path):
    job = write_job(tmp_path, "ray", executor="spark", model="unused", inputs=[{"files": [str(SAMPLE_FILES[0])]}])
    with pytest.raises(ConfigError, match="executor"):
        load_job(job)


def test_a_ray_job_killed_at_a_cache_write_resumes_to_the_clean_runs_outputs(tiny_model_dir, tmp_path):
    import contextlib
    import os
    import signal

    from tests.batch.conftest import assert_same_outputs, kill_at_cache_write, resume_inputs, resume_job

    inputs = resume_inputs(tmp_path)
    clean_job = resume_job(tmp_path, "clean", tiny_model_dir, inputs)
    assert main(["batch", str(clean_job), "--progress", "lines"]) == 0
    ray_job = resume_job(tmp_path, "ray", tiny_model_dir, inputs, executor="ray", ray=RAY)
    marker = uuid.uuid4().hex
    env = {**offline_env(tmp_path / "hf-home"), "TARJAMA_TEST_MARKER": marker}
    # An actor's second cache write kills the driver and the actor, as a kill -9 of the job would.
    assert kill_at_cache_write(ray_job, tmp_path / "hook", 2, "after", env=env) != 0
    # What Ray started for the killed driver is ours to stop (by pid, found by the marker).
    for line in Path("/proc").iterdir():
        if line.name.isdigit():
            try:
                environ = (line / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if f"TARJAMA_TEST_MARKER={marker}".encode() in environ:
                with contextlib.suppress(OSError):
                    os.kill(int(line.name), signal.SIGKILL)
    assert_no_ray_left(marker)
    resumed = run_batch(ray_job, uuid.uuid4().hex)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads((tmp_path / "out-ray" / "report.json").read_text(encoding="utf-8"))["cache_hits"] > 0
    assert_same_outputs(tmp_path / "out-clean", tmp_path / "out-ray")
