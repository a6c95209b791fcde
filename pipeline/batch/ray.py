"""The Ray executor: the model-free stages in Ray Data CPU tasks, then the model stages in a pool of actors."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from pipeline import errors
from pipeline.backends.metered import MeteredBackend
from pipeline.batch.inputs import first_line, read_document
from pipeline.batch.job import Job, RaySpec
from pipeline.batch.work import Failed, Finished, Metrics, Outcome, Work, reason, run_group
from pipeline.config import Config
from pipeline.errors import StageError, TarjamaError, UsageError
from pipeline.pipeline import Pipeline

# The columns every stage of the Ray pipeline hands on. Empty strings rather than nulls keep one
# Arrow schema across blocks; documents travel pickled, whole, as the local executor hands them on.
COLUMNS = ("key", "doc", "error", "fatal", "metrics")


class RayExecutor:
    """Runs the work on a Ray cluster (`executor: ray`). The driver (this process) reads the work and
    hands it to a Ray Data pipeline: decoding and the model-free stages in CPU tasks, then the
    model stages in a pool of actors that each load the model once. Each document comes back to
    the driver as soon as it is done, so the runner writes it and marks it done at once, and a
    killed run resumes as a local one does. A job with no work starts no Ray at all."""

    def __init__(self, job: Job, nlp: Pipeline) -> None:
        self.job = job
        self.nlp = nlp
        self.metrics = Metrics()

    def run(self, work: Iterable[Work]) -> Iterator[Outcome]:
        rows = [{"key": w.key, "meta": json.dumps({"label": w.label, "html": w.html, "row_id": w.row_id}),
                 "data": w.data} for w in work]
        if not rows:
            return
        spec, config = self.job.spec.ray, self.job.config
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
            if self.nlp.split()[1].stages:
                dataset = dataset.map_batches(
                    Translator, fn_constructor_kwargs={"config": config, "cache_path": cache_path},
                    batch_size=spec.batch_size, batch_format="pandas",
                    compute=ray.data.ActorPoolStrategy(size=spec.num_actors),
                    num_cpus=spec.num_cpus_per_actor, num_gpus=spec.num_gpus_per_actor)
            try:
                for row in dataset.iter_rows():
                    yield self._take(row)
            except TarjamaError:
                raise
            except Exception as err:  # a node or an actor lost: what is done stays done
                raise StageError(
                    f"the Ray job stopped ({first_line(_root_cause(err))}); the documents finished so far are kept, "
                    f"run `tarjama batch {self.job.path}` again to do the rest.") from err

    def close(self) -> None:
        pass  # the actors close their caches with the Ray session

    def _take(self, row: dict[str, Any]) -> Outcome:
        """One document back from Ray: its outcome; the actors' measurements are added up here."""
        if row["metrics"]:
            self.metrics.add(Metrics(**json.loads(row["metrics"])))
        if row["fatal"]:
            fatal = json.loads(row["fatal"])
            raise getattr(errors, fatal["kind"], TarjamaError)(fatal["message"])
        if row["error"]:
            return Failed(row["key"], row["error"])
        return Finished(row["key"], pickle.loads(row["doc"]))


def _root_cause(err: BaseException) -> BaseException:
    """The error under Ray's wrappers (a task error around a user-code error around the real one)."""
    seen = {id(err)}
    while isinstance(cause := getattr(err, "cause", None) or err.__cause__, BaseException) and id(cause) not in seen:
        seen.add(id(cause))
        err = cause
    return err


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
            raise UsageError(f"cannot start or reach {where} ({first_line(err)}); start the cluster with "
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


def _front(config: Config) -> Pipeline:
    """The model-free stages, built once per worker process (Ray reuses its workers)."""
    key = config.sha256()
    if key not in _FRONTS:
        _FRONTS[key] = Pipeline(config).split()[0]
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
        work = Work(key=key, data=bytes(data), **json.loads(meta_json))
        doc, error = b"", ""
        try:
            doc = pickle.dumps(front.run_many([read_document(work, work.data)])[0])
        except Exception as err:  # one bad document must not stop the job
            error = reason(err)
        for name, value in (("key", key), ("doc", doc), ("error", error), ("fatal", ""), ("metrics", "")):
            out[name].append(value)
    return _frame(out)


class Translator:
    """An actor of the pool: loads the model once and runs the stages from translate on (translate,
    align, qa, summarize), sentences of the whole batch translated together."""

    def __init__(self, config: Config, cache_path: str | None) -> None:
        self.fatal = ""
        self.first_call = True
        self.load_seconds = 0.0
        self.cache_path = cache_path
        self.caches: dict[int, Any] = {}
        self.metered: MeteredBackend | None = None
        try:
            self.nlp = Pipeline(config)
            self.back = self.nlp.split()[1]
            started = time.perf_counter()
            if self.nlp.uses_model:
                self.metered = self.nlp.meter()
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
        metrics = Metrics(**{name: getattr(after, name) - getattr(before, name)
                             for name in ("model_seconds", "texts", "tokens", "cache_hits", "cache_misses")})
        if self.first_call:
            metrics.load_seconds = self.load_seconds
            self.first_call = False
        if out["key"]:
            out["metrics"][0] = json.dumps(asdict(metrics))
        return _frame(out)

    def _run(self, out: dict[str, list[Any]], todo: list[int]) -> None:
        """The model stages over the batch's documents together; each document or its failure into `out`."""
        if not todo:
            return
        results = run_group(self.back.run_many, [pickle.loads(out["doc"][i]) for i in todo],
                            lambda j: pickle.loads(out["doc"][todo[j]]))  # an untouched copy
        for i, result in zip(todo, results, strict=True):
            if isinstance(result, str):
                out["doc"][i], out["error"][i] = b"", result
            else:
                out["doc"][i] = pickle.dumps(result)

    def _counts(self) -> Metrics:
        metered, caches = self.metered, self.caches.values()
        return Metrics(model_seconds=metered.seconds if metered is not None else 0.0,
                       texts=metered.texts if metered is not None else 0,
                       tokens=metered.tokens if metered is not None else 0,
                       cache_hits=sum(c.hits for c in caches), cache_misses=sum(c.misses for c in caches))
