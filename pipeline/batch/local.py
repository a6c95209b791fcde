"""The local executor: a reader thread decodes and segments documents ahead; the main thread translates them in groups."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.backends.metered import MeteredBackend
from pipeline.batch.inputs import read_document
from pipeline.batch.work import Failed, Metrics, Outcome, Work, outcomes, reason, run_group
from pipeline.document import Document
from pipeline.pipeline import Pipeline


@dataclass
class Read:
    """What the reader thread hands over: a document through the model-free stages, or why it failed."""

    work: Work
    doc: Document | None = None
    error: str | None = None


FINISHED = object()  # the reader thread's last word


class LocalExecutor:
    """Runs the work in this process. A reader thread pulls the work (so the runner's reading and
    hashing happen there too), decodes each document and runs the stages before the model into a
    bounded queue; the main thread takes up to `batch_sentences` sentences of documents at a time
    and runs the model stages over them together (one model, loaded once, when the first group
    needs it: a run with nothing to do loads none)."""

    def __init__(self, nlp: Pipeline, *, batch_sentences: int, queue_documents: int,
                 cache_path: Path | None) -> None:
        self.nlp = nlp
        self.front, self.back = nlp.split()
        self.batch_sentences = batch_sentences
        self.queue_documents = queue_documents
        self.cache_path = cache_path
        self.metrics = Metrics()
        self.metered: MeteredBackend | None = None
        self.cache: Any = None

    def run(self, work: Iterable[Work]) -> Iterator[Outcome]:
        reads: queue.Queue = queue.Queue(maxsize=self.queue_documents)
        stop = threading.Event()
        failure: list[BaseException] = []
        reader = threading.Thread(target=self._read_all, args=(work, reads, stop, failure),
                                  name="tarjama-reader", daemon=True)
        reader.start()
        try:
            finished = False
            while not finished:
                group: list[Read] = []
                sentences = 0
                while sentences < self.batch_sentences:
                    try:
                        got = reads.get(block=not group)
                    except queue.Empty:
                        break  # translate what is here rather than wait for more
                    if got is FINISHED:
                        finished = True
                        break
                    if got.error is not None:
                        yield Failed(got.work.key, got.error)
                    else:
                        group.append(got)
                        sentences += len(got.doc.sentences or [])
                if group:
                    self._load_model()
                    yield from self._translate(group)
            if failure:  # the work itself broke (the runner's reading): not one document's fault
                raise failure[0]
        finally:
            stop.set()
            reader.join(timeout=5)
            self._measure()

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
            self.cache = None

    def _read_all(self, work: Iterable[Work], reads: queue.Queue, stop: threading.Event,
                  failure: list[BaseException]) -> None:
        """The reader thread: decode each document and run the model-free stages."""

        def put(value: Any) -> bool:
            while not stop.is_set():
                try:
                    reads.put(value, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        try:
            for item in work:
                if stop.is_set():
                    return
                started = time.perf_counter()
                got = Read(item)
                try:
                    got.doc = self._front(item)
                except Exception as err:  # a bug in a stage must not stop the job: record it and go on
                    got.error = reason(err)
                self.metrics.read_seconds += time.perf_counter() - started
                if not put(got):
                    return
        except BaseException as err:  # handed to the main thread, which raises it
            failure.append(err)
        put(FINISHED)

    def _front(self, work: Work) -> Document:
        return self.front.run_many([read_document(work, work.data)])[0]

    def _load_model(self) -> None:
        """Load the model and open the cache, once. A missing model stops the job here with its clear error."""
        if self.metered is not None or not self.nlp.uses_model:
            return
        started = time.perf_counter()
        self.metered = self.nlp.meter()
        self.metrics.load_seconds = time.perf_counter() - started
        if self.cache_path is not None:
            from pipeline.cache import TranslationCache

            self.cache = TranslationCache(self.cache_path)
            self.nlp.context.cache = self.cache

    def _translate(self, group: list[Read]) -> Iterator[Outcome]:
        results = run_group(self.back.run_many, [g.doc for g in group],
                            lambda i: self._front(group[i].work))
        self._measure()
        yield from outcomes([g.work.key for g in group], results)

    def _measure(self) -> None:
        """Model time, tokens and cache counts so far, into the metrics."""
        if self.metered is not None:
            self.metrics.model_seconds = self.metered.seconds
            self.metrics.tokens = self.metered.tokens
            self.metrics.texts = self.metered.texts
        if self.cache is not None:
            self.metrics.cache_hits, self.metrics.cache_misses = self.cache.hits, self.cache.misses
