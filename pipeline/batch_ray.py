"""Batch jobs on a Ray cluster: the job file, manifest and outputs of pipeline/batch.py, the work done by Ray Data."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline import errors
from pipeline.batch import (
    BatchRun,
    Item,
    MeteredBackend,
    RaySpec,
    _first_line,
    _Progress,
    _Read,
    _reason,
    _split,
    read_document,
)
from pipeline.config import Config
from pipeline.errors import StageError, TarjamaError, UsageError

# The columns every stage of the Ray pipeline hands on. Empty strings rather than nulls keep one
# Arrow schema across blocks; documents travel pickled, whole, as the local executor hands them on.
COLUMNS = ("key", "doc", "error", "fatal", "metrics")


class RayBatchRun(BatchRun):
    """BatchRun with `executor: ray`. The driver (this process) keeps everything the local executor
    keeps and is the only writer: the lock, the manifest, the outputs, the dataset and the report.
    It reads and hashes each input, skips the documents already done, and hands the rest to a Ray
    Data pipeline: decoding and the model-free stages in CPU tasks, then the model stages in a
    pool of actors that each load the model once. Each document comes back to the driver, which
    renders and writes it and marks it done at once, so a killed run resumes as a local one does."""

    def _process(self, items: list[Item]) -> None:
        report = self.report
        known = self.manifest.snapshot()
        progress = _Progress(self.console, len(items), bar=self.show_bar)
        todo: dict[str, _Read] = {}
        rows: list[dict[str, Any]] = []
        try:
            for item in items:
                started = time.perf_counter()
                got = _Read(item)
                try:
                    data = item.load()
                    got.input_sha256 = hashlib.sha256(data).hexdigest()
                except Exception as err:  # an unreadable input fails alone, as in the local executor
                    self._fail(got, _reason(err))
                    progress.update(self)
                    continue
                finally:
                    report.read_seconds += time.perf_counter() - started
                if self._is_done(known.get(item.key), got.input_sha256):
                    report.skipped += 1
                    progress.update(self)
                    continue
                todo[item.key] = got
                meta = {"label": item.label, "html": item.html, "row_id": item.row_id}
                rows.append({"key": item.key, "meta": json.dumps(meta), "data": data})
            if rows:  # a rerun with nothing left to do starts no Ray at all
                self._run_on_ray(rows, todo, progress)
        finally:
            progress.close(self)
        self._report_model_totals()
        if self.metered is not None:
            report.model_load_seconds = self.metered.load_seconds

    def _run_on_ray(self, rows: list[dict[str, Any]], todo: dict[str, _Read], progress: _Progress) -> None:
        spec = self.job.spec.ray
        config = self.job.config
        # The progress line and the report read model time, tokens and cache hits from these;
        # the actors send their share with every batch.
        totals = _Totals()
        if self.nlp.uses_model:
            self.metered = totals
        if self.nlp.uses_model and self.job.spec.cache.enabled:
            self.cache = totals
        cache_path = str(self.job.cache_path) if self.job.spec.cache.enabled else None
        with ray_session(spec) as ray:
            dataset = ray.data.from_items(rows)
            # Decoding and the stages before the model (normalize, segment, quotes) are CPU tasks
            # that Ray spreads over the cluster's free CPUs. When the actors ask for exactly what a
            # task asks for (one CPU, no GPU) Ray runs both steps in the actors instead, which costs
            # little: the model's time is most of a document's.
            dataset = dataset.map_batches(
                front_batch, fn_kwargs={"config": config}, batch_size=spec.batch_size, batch_format="pandas",
                num_cpus=1)
            _, back = _split(self.nlp)
            if back.stages:
                dataset = dataset.map_batches(
                    Translator, fn_constructor_kwargs={"config": config, "cache_path": cache_path},
                    batch_size=spec.batch_size, batch_format="pandas",
                    compute=ray.data.ActorPoolStrategy(size=spec.num_actors),
                    num_cpus=spec.num_cpus_per_actor, num_gpus=spec.num_gpus_per_actor)
            try:
                for row in dataset.iter_rows():
                    self._take(row, todo[row["key"]], totals)
                    progress.update(self)
            except TarjamaError:
                raise
            except Exception as err:  # a node or an actor lost: what is done stays done
                raise StageError(
                    f"the Ray job stopped ({_first_line(_root_cause(err))}); the documents finished so far are kept, "
                    f"run `tarjama batch {self.job.path}` again to do the rest.") from err

    def _take(self, row: dict[str, Any], got: _Read, totals: _Totals) -> None:
        """One document back from Ray: written and marked done, or recorded as failed."""
        totals.add(json.loads(row["metrics"] or "{}"))
        if row["fatal"]:
            fatal = json.loads(row["fatal"])
            raise getattr(errors, fatal["kind"], TarjamaError)(fatal["message"])
        if row["error"]:
            self._fail(got, row["error"])
            return
        self._finish_or_fail(got, pickle.loads(row["doc"]))


def _root_cause(err: BaseException) -> BaseException:
    """The error under Ray's wrappers (a task error around a user-code error around the real one)."""
    seen = {id(err)}
    while isinstance(cause := getattr(err, "cause", None) or err.__cause__, BaseException) and id(cause) not in seen:
        seen.add(id(cause))
        err = cause
    return err


@dataclass
class _Totals:
    """What the actors measured, added up on the driver; it stands where the local executor keeps
    its metered backend and its cache, so progress and report read it the same way."""

    seconds: float = 0.0
    texts: int = 0
    tokens: int = 0
    hits: int = 0
    misses: int = 0
    load_seconds: float = 0.0

    def add(self, metrics: dict[str, float]) -> None:
        for name in ("seconds", "texts", "tokens", "hits", "misses"):
            setattr(self, name, getattr(self, name) + metrics.get(name, 0))
        # The actors load the model at the same time: the slowest load is what the run waited for.
        self.load_seconds = max(self.load_seconds, metrics.get("load_seconds", 0.0))

    def close(self) -> None:
        pass


# -- Ray itself ---------------------------------------------------------------------------------


@contextlib.contextmanager
def ray_session(spec: RaySpec) -> Iterator[Any]:
    """Connect to the cluster at ray.address or RAY_ADDRESS, or start a local instance; always
    disconnect (and stop the local instance) afterwards. A session the caller opened is reused."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError("executor: ray needs Ray; install it with pip install 'tarjama[ray]' "
                         "(or set executor: local).") from None
    owned = not ray.is_initialized()
    if owned:
        address = spec.address or os.environ.get("RAY_ADDRESS") or None
        if address:
            _check_reachable(address)
        try:
            ray.init(address=address, num_cpus=None if address else spec.num_cpus, include_dashboard=False,
                     log_to_driver=False, logging_level=logging.ERROR, configure_logging=True)
        except Exception as err:
            where = f"the Ray cluster at {address}" if address else "a local Ray instance"
            raise UsageError(f"cannot start or reach {where} ({_first_line(err)}); start the cluster with "
                             "`ray start --head`, or fix ray.address in the job or RAY_ADDRESS.") from None
    try:
        _quiet(ray)
        yield ray
    finally:
        if owned:
            ray.shutdown()


def _check_reachable(address: str) -> None:
    """Ray retries an address that does not answer for minutes; a closed port is said at once."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # `auto` and other forms Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as err:
        raise UsageError(f"the Ray cluster at {address} does not answer ({err.strerror or err}); start it with "
                         "`ray start --head` on that machine, or fix ray.address in the job or RAY_ADDRESS.") from None


def _quiet(ray: Any) -> None:
    """Ray's progress bars and INFO lines would drown tarjama's own progress; its logs stay in
    /tmp/ray/session_*/logs for whoever needs them."""
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.enable_operator_progress_bars = False
    context.enable_auto_log_stats = False
    context.verbose_stats_logs = False
    for name in ("ray", "ray.data", "ray.train", "ray.tune"):
        logging.getLogger(name).setLevel(logging.ERROR)


# -- what runs on the workers -------------------------------------------------------------------

_FRONTS: dict[str, Any] = {}


def _front(config: Config) -> Any:
    """The model-free stages, built once per worker process (Ray reuses its workers)."""
    key = config.sha256()
    if key not in _FRONTS:
        from pipeline.pipeline import Pipeline

        _FRONTS[key] = _split(Pipeline(config))[0]
    return _FRONTS[key]


def _frame(columns: dict[str, list[Any]]) -> Any:
    import pandas

    return pandas.DataFrame({name: columns.get(name, []) for name in COLUMNS})


def front_batch(batch: Any, config: Config) -> Any:
    """A CPU task: decode each input and run the stages before the model, one document at a time
    as the local executor does; a document that fails carries its reason on."""
    front = _front(config)
    out: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for key, meta_json, data in zip(batch["key"], batch["meta"], batch["data"], strict=True):
        meta = json.loads(meta_json)
        item = Item(key=key, stem="", label=meta["label"], load=lambda: b"", html=meta["html"], row_id=meta["row_id"])
        doc, error = b"", ""
        try:
            doc = pickle.dumps(front.run_many([read_document(item, bytes(data))])[0])
        except Exception as err:  # one bad document must not stop the job
            error = _reason(err)
        for name, value in (("key", key), ("doc", doc), ("error", error), ("fatal", ""), ("metrics", "")):
            out[name].append(value)
    return _frame(out)


class Translator:
    """An actor of the pool: loads the model once and runs the stages from translate on (translate,
    align, qa, summarize), sentences of the whole batch translated together."""

    def __init__(self, config: Config, cache_path: str | None) -> None:
        from pipeline.pipeline import Pipeline

        self.fatal = ""
        self.first_call = True
        self.load_seconds = 0.0
        self.cache_path = cache_path
        self.caches: dict[int, Any] = {}
        self.metered: MeteredBackend | None = None
        try:
            self.nlp = Pipeline(config)
            self.back = _split(self.nlp)[1]
            started = time.perf_counter()
            if self.nlp.uses_model:
                self.metered = MeteredBackend(self.nlp.context.backend())
                self.nlp.context._backend = self.metered
            self.load_seconds = time.perf_counter() - started
            self._cache()  # a cache that cannot be opened stops the job now, not at the first batch
        except TarjamaError as err:  # a missing model: every batch says so and the driver stops
            self.fatal = json.dumps({"kind": type(err).__name__, "message": str(err)})

    def _cache(self) -> Any:
        """This thread's connection to the job's cache file (Ray may call an actor from another thread
        than the one that built it, and an SQLite connection belongs to one thread). The actors of
        one machine share the file (SQLite in WAL mode); on several machines each needs the path."""
        if self.cache_path is None or self.metered is None:
            return None
        ident = threading.get_ident()
        if ident not in self.caches:
            from pipeline.cache import TranslationCache

            self.caches[ident] = TranslationCache(self.cache_path)
        self.nlp.context.cache = self.caches[ident]
        return self.caches[ident]

    def __call__(self, batch: Any) -> Any:
        out: dict[str, list[Any]] = {
            "key": list(batch["key"]), "doc": list(batch["doc"]), "error": list(batch["error"]),
            "fatal": [self.fatal] * len(batch["key"]), "metrics": [""] * len(batch["key"]),
        }
        if self.fatal:
            return _frame(out)
        before = self._counts()
        todo = [i for i, error in enumerate(out["error"]) if not error]
        try:
            self._cache()
            self._run(out, todo)
        except (errors.ModelError, errors.ConfigError, errors.OutputError) as err:  # not one document's fault: stop
            out["fatal"] = [json.dumps({"kind": type(err).__name__, "message": str(err)})] * len(out["key"])
        after = self._counts()
        metrics = {name: after[name] - before[name] for name in after}
        if self.first_call:
            metrics["load_seconds"] = self.load_seconds
            self.first_call = False
        if out["key"]:
            out["metrics"][0] = json.dumps(metrics)
        return _frame(out)

    def _run(self, out: dict[str, list[Any]], todo: list[int]) -> None:
        if not todo:
            return
        try:
            docs = self.back.run_many([pickle.loads(out["doc"][i]) for i in todo])
        except errors.OutputError:
            raise  # the cache cannot be written: every document would fail
        except Exception as err:  # a model error too: one document's, the model loaded at the start
            if len(todo) == 1:
                out["doc"][todo[0]], out["error"][todo[0]] = b"", _reason(err)
                return
            # One document spoiled the batch: redo each alone (from its untouched copy) to find which.
            for i in todo:
                self._run(out, [i])
            return
        for i, doc in zip(todo, docs, strict=True):
            out["doc"][i] = pickle.dumps(doc)

    def _counts(self) -> dict[str, float]:
        metered, caches = self.metered, self.caches.values()
        return {"seconds": metered.seconds if metered is not None else 0.0,
                "texts": metered.texts if metered is not None else 0,
                "tokens": metered.tokens if metered is not None else 0,
                "hits": sum(c.hits for c in caches), "misses": sum(c.misses for c in caches)}
