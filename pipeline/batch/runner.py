"""The batch runner: one job's lock, manifest, resume, outputs, errors, dataset and report, around an executor."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.batch.dataset import sentence_rows, write_dataset
from pipeline.batch.inputs import Item, list_items
from pipeline.batch.job import DOCUMENTS, ERRORS, MANIFEST, REPORT, Job
from pipeline.batch.local import LocalExecutor
from pipeline.batch.manifest import FolderLock, Manifest
from pipeline.batch.report import Progress, Report
from pipeline.batch.work import Executor, Finished, Work, reason
from pipeline.document import Document
from pipeline.errors import OutputError, TarjamaError
from pipeline.pipeline import Pipeline
from pipeline.qa import count_flags


class Runner:
    """Runs one job. It alone writes: it holds the folder's lock, reads and hashes each input, skips
    the documents done earlier with the same input and config, hands the rest to the job's
    executor (local or Ray), and writes each document the executor finishes (its outputs
    atomically, then its manifest row), so a run killed at any point resumes where it stopped."""

    def __init__(self, job: Job, *, console: Any = None, progress: bool | None = None) -> None:
        from rich.console import Console

        self.job = job
        self.console = console or Console(stderr=True)
        self.show_bar = self.console.is_terminal if progress is None else progress
        self.run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.config_sha256 = job.config_sha256()
        # Set by run():
        self.nlp: Pipeline | None = None
        self.report: Report | None = None
        self.manifest: Manifest | None = None
        self.items: dict[str, Item] = {}
        self.names: dict[str, str] = {}
        self.digests: dict[str, str] = {}  # each input's sha256, once read
        # Skips and unreadable inputs, noted where the inputs are read (an executor's reader thread)
        # and recorded here, in the thread that owns the manifest: (key, None) or (key, reason).
        self.notes: queue.SimpleQueue[tuple[str, str | None]] = queue.SimpleQueue()

    # -- the plan (also the dry run) ------------------------------------------------------------
    def dry_run(self) -> dict[str, int]:
        """Count what a run would do, reading inputs but writing nothing and loading no model."""
        items = list_items(self.job)
        known: dict[str, dict[str, Any]] = {}
        manifest_path = self.job.folder / MANIFEST
        if manifest_path.exists():
            manifest = Manifest(manifest_path, readonly=True)
            known = manifest.snapshot()
            manifest.close()
        counts: Counter[str] = Counter()
        for item in items:
            try:
                data = item.load()
            except TarjamaError:
                counts["unreadable"] += 1
                continue
            digest = hashlib.sha256(data).hexdigest()
            counts["unchanged" if self.is_done(known.get(item.key), digest) else "to_do"] += 1
        counts["documents"] = len(items)
        return dict(counts)

    def is_done(self, row: dict[str, Any] | None, digest: str) -> bool:
        """Done by an earlier run with this input and this config, its outputs all still there."""
        if not row or row["state"] != "done":
            return False
        if row["input_sha256"] != digest or row["config_sha256"] != self.config_sha256:
            return False
        return all((self.job.folder / out).is_file() for out in row["outputs"])

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> Report:
        started = time.perf_counter()
        job = self.job
        try:
            (job.folder / DOCUMENTS).mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot create the output folder {job.folder} ({err.strerror}); "
                              "choose another output.folder.") from None
        with FolderLock(job.folder):
            remove_partial_writes(job.folder)
            self.nlp = nlp = Pipeline(job.config)
            self.report = report = Report(
                job=str(job.path), folder=str(job.folder), run=self.run_id,
                model=job.config.settings.model if nlp.uses_model else None,
                backend=job.config.settings.backend if nlp.uses_model else None,
                stages=nlp.stage_names)
            items = list_items(job)
            self.items = {item.key: item for item in items}
            keys = list(self.items)
            self.manifest = Manifest(job.folder / MANIFEST)
            executor = self.executor()
            try:
                self.names = self.manifest.plan(items)
                report.documents = len(items)
                self._process(items, executor)
                report.dataset_seconds = self._write_dataset(keys)
                report.job_states = dict(Counter(r["state"] for r in self.manifest.rows(keys)))
                self._summarize_qa(keys)
                self._rewrite_errors(keys)
            finally:
                self.manifest.close()
                executor.close()
            report.wall_seconds = time.perf_counter() - started
            from pipeline.io import write_atomic

            write_atomic(job.folder / REPORT, json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return report

    def executor(self) -> Executor:
        """The executor the job names: this process (local), or a Ray cluster (ray)."""
        job = self.job
        if job.spec.executor == "ray":
            from pipeline.batch.ray import RayExecutor

            return RayExecutor(job, self.nlp)
        return LocalExecutor(self.nlp, batch_sentences=job.spec.run.batch_sentences,
                             queue_documents=job.spec.run.queue_documents,
                             cache_path=job.cache_path if job.spec.cache.enabled else None)

    def _process(self, items: list[Item], executor: Executor) -> None:
        report = self.report
        progress = Progress(self.console, len(items), bar=self.show_bar)

        def show(*, final: bool = False) -> None:
            metrics = executor.metrics
            if final:
                progress.close(report, tokens=metrics.tokens, hits=metrics.cache_hits)
            else:
                progress.update(report, tokens=metrics.tokens, hits=metrics.cache_hits)

        try:
            for outcome in executor.run(self._work(items, self.manifest.snapshot())):
                self._record_notes()
                if isinstance(outcome, Finished):
                    self._finish_or_fail(outcome.key, outcome.doc)
                else:
                    self._fail(outcome.key, outcome.reason)
                show()
            self._record_notes()
        finally:
            show(final=True)
        metrics = executor.metrics
        report.model_seconds, report.tokens, report.chunks_translated = (
            metrics.model_seconds, metrics.tokens, metrics.texts)
        report.cache_hits, report.cache_misses = metrics.cache_hits, metrics.cache_misses
        report.model_load_seconds = metrics.load_seconds
        report.read_seconds += metrics.read_seconds

    def _work(self, items: list[Item], known: dict[str, dict[str, Any]]) -> Iterator[Work]:
        """Each input read and hashed; what is done already, or cannot be read, is noted, not handed on.
        The executor pulls this in its reading thread, so it touches neither the manifest nor the report's
        counts (but for the reading time, which only this thread adds to)."""
        for item in items:
            started = time.perf_counter()
            try:
                data = item.load()
            except Exception as err:  # an unreadable input fails alone
                self.notes.put((item.key, reason(err)))
                continue
            finally:
                self.report.read_seconds += time.perf_counter() - started
            digest = hashlib.sha256(data).hexdigest()
            self.digests[item.key] = digest
            if self.is_done(known.get(item.key), digest):
                self.notes.put((item.key, None))
                continue
            yield Work(key=item.key, data=data, label=item.label, html=item.html, row_id=item.row_id)

    def _record_notes(self) -> None:
        while True:
            try:
                key, failure = self.notes.get_nowait()
            except queue.Empty:
                return
            if failure is None:
                self.report.skipped += 1
            else:
                self._fail(key, failure)

    def _finish_or_fail(self, key: str, doc: Document) -> None:
        """Write a finished document and mark it done; a document that cannot be written fails alone."""
        doc.provenance["stages"] = self.nlp.stage_names
        try:
            self._finish(key, doc)
        except OutputError:
            raise  # a full disk or an unwritable folder: every document would fail; stop, resume later
        except Exception as err:
            self._fail(key, reason(err))

    def _finish(self, key: str, doc: Document) -> None:
        from pipeline.io import inside, write_atomic
        from pipeline.render import output_suffix, render

        started = time.perf_counter()
        folder = self.job.folder / DOCUMENTS
        name = self.names[key]
        outputs: list[str] = []
        for fmt in self.job.spec.output.formats:
            text = render(doc, fmt, width=120, bidi="off")
            target = write_atomic(inside(folder, name + output_suffix(fmt)), text if text.endswith("\n") else text + "\n")
            outputs.append(str(target.relative_to(self.job.folder.resolve())))
        sentences = [
            {"sentence": s.id, "start": s.start, "end": s.end, "arabic": s.text, "english": s.translation,
             "flags": [f.rule for f in s.flags or []]}
            for s in doc.sentences or []
        ]
        stats = {"sentences": len(sentences), "flags": count_flags(doc)}
        # The outputs are in place before the manifest says so: a kill in between only redoes this document.
        self.manifest.mark_done(key, input_sha256=self.digests.get(key, ""), config_sha256=self.config_sha256,
                                outputs=outputs, sentences=sentences, stats=stats, run=self.run_id)
        report = self.report
        report.done += 1
        report.sentences += len(sentences)
        for stage_name, seconds in doc.provenance.get("timings_s", {}).items():
            report.stage_seconds[stage_name] = report.stage_seconds.get(stage_name, 0.0) + seconds
        report.write_seconds += time.perf_counter() - started

    def _fail(self, key: str, why: str) -> None:
        self.manifest.mark_failed(key, error=why, input_sha256=self.digests.get(key), run=self.run_id)
        self.report.failed += 1
        entry = {"file": self.items[key].label, "reason": why}
        self.report.errors.append(entry)
        # Appended at once, so a run killed later still tells what failed; rewritten at the end.
        with open(self.job.folder / ERRORS, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({**entry, "run": self.run_id}, ensure_ascii=False) + "\n")

    def _rewrite_errors(self, keys: list[str]) -> None:
        """errors.jsonl lists the documents that are failed now (a rerun may have fixed some)."""
        from pipeline.io import write_atomic

        lines = [json.dumps({"file": r["source"], "reason": r["error"]}, ensure_ascii=False)
                 for r in self.manifest.rows(keys, state="failed")]
        path = self.job.folder / ERRORS
        if lines:
            write_atomic(path, "\n".join(lines) + "\n")
        elif path.exists():
            path.unlink()

    def _write_dataset(self, keys: list[str]) -> float:
        """All sentences and translations of the done documents, streamed from the manifest into one file."""
        target = self.job.dataset_path
        if target is None:
            return 0.0
        started = time.perf_counter()
        write_dataset(sentence_rows(self.manifest.rows(keys, state="done")), target)
        return time.perf_counter() - started

    def _summarize_qa(self, keys: list[str]) -> None:
        if "qa" not in self.nlp.stage_names:
            return
        per_rule: Counter[str] = Counter()
        per_document: dict[str, dict[str, int]] = {}
        for row in self.manifest.rows(keys, state="done"):
            flags = row["stats"].get("flags") or {}
            per_rule.update(flags)
            if flags:
                per_document[row["name"]] = dict(flags)
        self.report.qa_per_rule = dict(per_rule.most_common())
        self.report.qa_per_document = per_document


def remove_partial_writes(folder: Path) -> None:
    """A run killed inside an atomic write leaves its temporary file (never the output itself);
    the next run, holding the lock, clears them."""
    for pattern in (".*.tmp", f"{DOCUMENTS}/.*.tmp"):
        for leftover in folder.glob(pattern):
            leftover.unlink(missing_ok=True)
    for leftover in folder.glob(".dataset-*"):  # what the dataset writer of earlier versions worked in
        shutil.rmtree(leftover, ignore_errors=True)
