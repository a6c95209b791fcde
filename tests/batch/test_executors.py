"""The executors take work (key, bytes, how to read them) and only yield finished documents or failures, with metrics."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from pipeline.batch import ray as ray_executor
from pipeline.batch.job import load_job
from pipeline.batch.local import LocalExecutor
from pipeline.batch.work import Failed, Finished, Metrics, Work, run_group
from pipeline.document import Document
from pipeline.errors import ModelError, OutputError
from pipeline.pipeline import Pipeline
from tests.batch.conftest import SAMPLE_FILES, copies, write_job
from tests.scripted import ScriptedBackend

POISON = "كلمة_مسمومة"


class PoisonedBackend(ScriptedBackend):
    """Answers every text with the same English, but fails a whole call that holds the poisoned word."""

    def translate(self, texts, settings):
        if any(POISON in t for t in texts):
            self.calls.append((list(texts), settings))
            raise RuntimeError("the model broke on this input")
        return super().translate(texts, settings)


def work_of(paths) -> list[Work]:
    return [Work(key=str(p), data=p.read_bytes(), label=p.name, html=p.suffix == ".html") for p in paths]


def test_the_local_executor_yields_documents_and_failures_and_writes_nothing(tmp_path):
    articles = copies(tmp_path / "in", 3)
    page = tmp_path / "in" / "page.html"
    page.write_text("<p>" + articles[0].read_text(encoding="utf-8").splitlines()[0] + "</p>", encoding="utf-8")
    broken = tmp_path / "in" / "photo.txt"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    before = sorted(tmp_path.rglob("*"))
    nlp = Pipeline.from_config(stages=["normalize", "segment"])
    executor = LocalExecutor(nlp, batch_sentences=4, queue_documents=2, cache_path=None)
    work = work_of([*articles, broken, page])
    outcomes = list(executor.run(iter(work)))
    executor.close()

    assert sorted(o.key for o in outcomes) == sorted(w.key for w in work)
    failed = [o for o in outcomes if isinstance(o, Failed)]
    assert [o.key for o in failed] == [str(broken)] and "PNG" in failed[0].reason
    finished = {o.key: o.doc for o in outcomes if isinstance(o, Finished)}
    assert all(doc.sentences and doc.source.path == Path(key).name for key, doc in finished.items())
    assert "<p>" not in finished[str(page)].text
    assert executor.metrics.read_seconds > 0 and executor.metrics.tokens == 0 and executor.metrics.load_seconds == 0
    assert sorted(tmp_path.rglob("*")) == before  # nothing written: that is the runner's job


def test_a_spoiled_translation_group_is_redone_one_document_at_a_time(tmp_path):
    articles = copies(tmp_path / "in", 4)
    articles[2].write_text(articles[2].read_text(encoding="utf-8") + f"{POISON} في النص.\n", encoding="utf-8")
    nlp = Pipeline.from_config(stages=["normalize", "segment", "translate"], sets=["generation.batch_size=64"])
    backend = PoisonedBackend({}, default="The news.")
    nlp.use_backend(backend)
    executor = LocalExecutor(nlp, batch_sentences=1000, queue_documents=8, cache_path=None)
    outcomes = list(executor.run(work_of(articles)))

    failed = [o for o in outcomes if isinstance(o, Failed)]
    assert [o.key for o in failed] == [str(articles[2])] and "the model broke on this input" in failed[0].reason
    finished = [o for o in outcomes if isinstance(o, Finished)]
    assert len(finished) == 3 and all(s.translation == "The news." for o in finished for s in o.doc.sentences)
    # How many documents share a group depends on how far the reader thread is ahead; the poisoned
    # document's group failed, and its partners were translated again, alone, without it.
    poisoned = [texts for texts, _ in backend.calls if any(POISON in t for t in texts)]
    assert poisoned and all(sum(POISON in t for t in texts) == 1 for texts in poisoned)
    assert sum(1 for texts, _ in backend.calls if not any(POISON in t for t in texts)) >= 3
    metrics = executor.metrics
    assert metrics.texts > 0 and metrics.tokens == 2 * metrics.texts and metrics.model_seconds >= 0
    assert isinstance(nlp.context.backend(), type(nlp.meter()))  # metered once, and kept


def test_run_group_gives_each_document_or_its_reason_and_stops_on_an_output_error():
    docs = [Document(text=t) for t in ("a", "bad", "c")]

    def run(group: list[Document]) -> list[Document]:
        if any(d.text == "bad" for d in group):
            raise ModelError("the model broke")
        return [Document(text=d.text.upper()) for d in group]

    fresh = []
    results = run_group(run, docs, lambda i: fresh.append(i) or Document(text=docs[i].text))
    assert [r if isinstance(r, str) else r.text for r in results] == ["A", "the model broke", "C"]
    assert fresh == [0, 1, 2]
    assert [r.text for r in run_group(run, docs[:1], lambda i: docs[i])] == ["A"]

    def full_disk(group):
        raise OutputError("cannot write the cache (No space left on device)")

    with pytest.raises(OutputError):
        run_group(full_disk, docs, lambda i: docs[i])


def test_the_ray_executor_starts_no_ray_without_work(tmp_path, monkeypatch):
    job = load_job(write_job(tmp_path, [{"files": [str(SAMPLE_FILES[0])]}], model=None))

    def no_ray(spec):
        raise AssertionError("Ray was started for no work")

    monkeypatch.setattr(ray_executor, "ray_session", no_ray)
    executor = ray_executor.RayExecutor(job, Pipeline(job.config))
    assert list(executor.run(iter([]))) == []


def test_the_ray_executor_turns_rows_into_outcomes_and_adds_up_the_actors_metrics(tmp_path):
    job = load_job(write_job(tmp_path, [{"files": [str(SAMPLE_FILES[0])]}], model=None))
    executor = ray_executor.RayExecutor(job, Pipeline(job.config))
    doc = Document(text="خبر.")
    share = json.dumps({"model_seconds": 1.5, "texts": 2, "tokens": 9, "cache_hits": 1, "cache_misses": 2,
                        "load_seconds": 3.0, "read_seconds": 0.0})
    done = executor._take({"key": "a", "doc": pickle.dumps(doc), "error": "", "fatal": "", "metrics": share})
    failed = executor._take({"key": "b", "doc": b"", "error": "b is empty", "fatal": "", "metrics": share})
    assert isinstance(done, Finished) and done.key == "a" and done.doc.text == "خبر."
    assert failed == Failed("b", "b is empty")
    assert executor.metrics == Metrics(model_seconds=3.0, texts=4, tokens=18, cache_hits=2, cache_misses=4,
                                       load_seconds=3.0)
    fatal = json.dumps({"kind": "ModelError", "message": "model x does not exist"})
    with pytest.raises(ModelError, match="model x does not exist"):
        executor._take({"key": "c", "doc": b"", "error": "", "fatal": fatal, "metrics": ""})
