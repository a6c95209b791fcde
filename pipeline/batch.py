"""Batch jobs: a YAML job of inputs, a pipeline config and outputs, run resumably with a cache, progress and a report."""

from __future__ import annotations

import argparse
import copy
import glob
import hashlib
import importlib
import json
import logging
import os
import queue
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

from pipeline.config import (
    DEFAULT_CONFIG,
    Config,
    build_dataclass,
    load_raw,
    merge,
    parse_set,
    read_yaml,
    validate,
)
from pipeline.document import Document
from pipeline.errors import ConfigError, InputError, OutputError, TarjamaError, UsageError

SUFFIXES = {"json": "json", "md": "md", "html": "html", "tmx": "tmx", "terminal": "txt"}
TABLE_BUILDERS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet"}
DATASET_FORMATS = {".parquet": "parquet", ".jsonl": "jsonl"}
MODEL_STAGES = ("translate", "align", "qa")

# Files the job keeps in its output folder, beside the per-document outputs in documents/.
MANIFEST = "manifest.sqlite"
LOCK = ".tarjama-batch.lock"
REPORT = "report.json"
ERRORS = "errors.jsonl"
DOCUMENTS = "documents"


# -- the job file -------------------------------------------------------------------------------


@dataclass
class InputSpec:
    """One entry of `inputs:`: exactly one of glob, files, table or hub."""

    glob: str | list[str] | None = None  # patterns such as articles/**/*.txt (relative to the job file)
    files: list[str] | None = None  # article files (.txt, .html)
    table: str | None = None  # a .jsonl, .csv or .parquet file with one article per row
    hub: str | None = None  # a Hugging Face hub dataset name (needs the network or its local cache)
    subset: str | None = None  # the hub dataset's configuration name, if it has several
    split: str = "train"
    text: str = "text"  # the column that holds the article
    id: str | None = "id"  # the column that names each article; null numbers the rows


@dataclass
class PipelineProfile:
    """`pipeline:` given as a profile plus changes (otherwise it is an inline config)."""

    config: str | None = None  # a profile such as ../configs/default.yaml (relative to the job file)
    overrides: dict[str, Any] = field(default_factory=dict)  # keys merged over the profile
    set: list[str] = field(default_factory=list)  # KEY.PATH=VALUE, as with --set


@dataclass
class OutputSpec:
    folder: str | None = None  # where everything goes (relative to the job file)
    formats: list[Literal["json", "md", "html", "tmx", "terminal"]] = field(default_factory=lambda: ["json"])
    dataset: str | None = "sentences.parquet"  # all sentences and translations: .parquet or .jsonl; null for none


@dataclass
class CacheSpec:
    enabled: bool = True
    path: str | None = None  # default: cache.sqlite in the output folder (relative to the job file)


@dataclass
class RunSpec:
    batch_sentences: int = 256  # sentences of several documents translated together
    queue_documents: int = 32  # documents read and segmented ahead of the model
    max_megabytes: float = 20.0  # bigger input files fail with a clear message


@dataclass
class RaySpec:
    """`ray:`, read when `executor: ray` (pipeline/batch_ray.py runs the job with Ray Data)."""

    address: str | None = None  # an existing cluster (host:6379, ray://host:10001, auto); null: RAY_ADDRESS, else a local instance
    num_cpus: int | None = None  # CPUs of the local instance started when no address is given; null: all of them
    num_actors: int = 1  # translation actors, each with the model loaded once
    num_cpus_per_actor: float = 1.0
    num_gpus_per_actor: float = 0.0  # 1 gives each actor a whole GPU; 0.5 puts two on one GPU
    batch_size: int = 16  # documents per actor call (and per CPU task)


@dataclass
class JobSpec:
    inputs: list[Any] | None = None
    pipeline: dict[str, Any] = field(default_factory=dict)
    output: OutputSpec = field(default_factory=OutputSpec)
    cache: CacheSpec = field(default_factory=CacheSpec)
    run: RunSpec = field(default_factory=RunSpec)
    executor: Literal["local", "ray"] = "local"  # ray: on a Ray cluster, with the same outputs and manifest
    ray: RaySpec = field(default_factory=RaySpec)


@dataclass
class Job:
    """A validated job: where it lives, its inputs, its pipeline config and its outputs."""

    path: Path
    spec: JobSpec
    inputs: list[InputSpec]
    config: Config
    folder: Path

    @property
    def base(self) -> Path:
        return self.path.parent

    def resolve(self, value: str) -> Path:
        return (self.base / os.path.expanduser(value)).resolve()

    @property
    def cache_path(self) -> Path:
        return self.resolve(self.spec.cache.path) if self.spec.cache.path else self.folder / "cache.sqlite"

    @property
    def dataset_path(self) -> Path | None:
        return self.folder / self.spec.output.dataset if self.spec.output.dataset else None

    def config_sha256(self) -> str:
        """What a document's outputs depend on besides its input: the pipeline and the formats."""
        # Config.sha256 counts only the sections the running stages read: a stage added to tarjama,
        # or an unused stage's setting changed, must not redo a finished job.
        blob = json.dumps({"config": self.config.sha256(), "formats": sorted(self.spec.output.formats)})
        return hashlib.sha256(blob.encode()).hexdigest()


def load_job(
    path: str | Path,
    *,
    model: str | None = None,
    backend: str | None = None,
    stages: str | list[str] | None = None,
    sets: list[str] | tuple[str, ...] = (),
) -> Job:
    """Read and validate a job file; errors name the file and the key path (`inputs[1].table`)."""
    path = Path(path)
    raw = read_yaml(path, what="job file")
    where = f"{path}: "
    spec = build_dataclass(JobSpec, raw, "", where)
    if not spec.inputs:
        raise ConfigError(f"{where}key 'inputs' lists no input; add a glob, files, a table or a hub dataset.")
    inputs = [_input_spec(entry, i, where) for i, entry in enumerate(spec.inputs)]
    if not spec.output.folder:
        raise ConfigError(f"{where}key 'output.folder' is missing; say which folder the results go to.")
    dataset = spec.output.dataset
    if dataset is not None and Path(dataset).suffix.lower() not in DATASET_FORMATS:
        raise ConfigError(f"{where}key 'output.dataset' must end in .parquet or .jsonl, not {dataset!r}.")
    if dataset is not None and Path(dataset).name != dataset:
        raise ConfigError(f"{where}key 'output.dataset' must be a file name inside the output folder, not {dataset!r}.")
    for key in ("batch_sentences", "queue_documents"):
        if getattr(spec.run, key) < 1:
            raise ConfigError(f"{where}key 'run.{key}' must be at least 1.")
    for key, least in (("num_actors", 1), ("batch_size", 1), ("num_cpus", 1), ("num_cpus_per_actor", 0),
                       ("num_gpus_per_actor", 0)):
        value = getattr(spec.ray, key)
        if value is not None and value < least:
            raise ConfigError(f"{where}key 'ray.{key}' must be at least {least}.")
    config = _pipeline_config(spec.pipeline, path, model=model, backend=backend, stages=stages, sets=sets)
    folder = (path.parent / os.path.expanduser(spec.output.folder)).resolve()
    return Job(path=path, spec=spec, inputs=inputs, config=config, folder=folder)


def _input_spec(entry: Any, index: int, where: str) -> InputSpec:
    prefix = f"inputs[{index}]"
    if isinstance(entry, str):  # a bare string is a glob pattern
        entry = {"glob": entry}
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}key '{prefix}' must be a glob pattern or a mapping, not {entry!r}.")
    spec = build_dataclass(InputSpec, entry, prefix, where)
    given = [k for k in ("glob", "files", "table", "hub") if getattr(spec, k) is not None]
    if len(given) != 1:
        listed = ", ".join(given) if given else "none"
        raise ConfigError(f"{where}key '{prefix}' must give exactly one of glob, files, table or hub (it gives {listed}).")
    return spec


def _pipeline_config(
    block: dict[str, Any],
    job_path: Path,
    *,
    model: str | None,
    backend: str | None,
    stages: str | list[str] | None,
    sets: list[str] | tuple[str, ...],
) -> Config:
    """`pipeline:` is either {config, overrides, set} or an inline config; both start from the
    default profile (or the one named), so an inline block need only give what it changes."""
    where = f"{job_path}: "
    block = dict(block)
    if {"config", "overrides", "set"} & block.keys():
        profile = build_dataclass(PipelineProfile, block, "pipeline", where)
        base = job_path.parent / profile.config if profile.config else DEFAULT_CONFIG
        if not base.is_file():
            raise ConfigError(f"{where}key 'pipeline.config': {base} does not exist; give the path of a profile "
                              "(relative to the job file), such as ../configs/default.yaml.")
        raw = merge(load_raw(base), profile.overrides)
        for assignment in profile.set:
            raw = merge(raw, parse_set(assignment))
    else:
        extends = block.pop("extends", None)
        if extends is not None and not isinstance(extends, str):
            raise ConfigError(f"{where}key 'pipeline.extends' must be the path of a config file, not {extends!r}.")
        raw = merge(load_raw(job_path.parent / extends if extends else DEFAULT_CONFIG), block)
    for assignment in sets:
        raw = merge(raw, parse_set(assignment))
    if isinstance(stages, str):
        stages = [s.strip() for s in stages.split(",") if s.strip()]
    overrides = {"model": model, "backend": backend, "stages": stages}
    raw = merge(raw, {k: v for k, v in overrides.items() if v is not None})
    return validate(raw, path=f"{job_path} (pipeline)")


# -- inputs -------------------------------------------------------------------------------------


@dataclass
class Item:
    """One document of the job: a stable key, a file-name stem, and how to read it."""

    key: str  # unique in the job: the file's absolute path, or TABLE#ID
    stem: str  # the output name before it is made safe and unique
    label: str  # what error messages and the dataset call it
    load: Callable[[], bytes] = field(repr=False)
    html: bool = False
    row_id: str | None = None  # a table row's id, kept in doc.meta["id"]


def list_items(job: Job) -> list[Item]:
    """Every document the job's inputs name, in order, each once."""
    items: dict[str, Item] = {}
    limit = int(job.spec.run.max_megabytes * 1_000_000)
    for index, spec in enumerate(job.inputs):
        prefix = f"{job.path}: inputs[{index}]"
        if spec.glob is not None or spec.files is not None:
            found = _file_items(job, spec, prefix, limit)
        else:
            found = _table_items(job, spec, prefix)
        for item in found:
            items.setdefault(item.key, item)
    return list(items.values())


def _file_items(job: Job, spec: InputSpec, prefix: str, limit: int) -> list[Item]:
    paths: list[Path] = []
    if spec.glob is not None:
        patterns = [spec.glob] if isinstance(spec.glob, str) else spec.glob
        for pattern in patterns:
            matches = sorted(glob.glob(str(job.base / os.path.expanduser(pattern)), recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            if not files:
                raise ConfigError(f"{prefix}.glob: '{pattern}' matches no file (looked from {job.base}); "
                                  "fix the pattern.")
            paths.extend(files)
    else:
        paths = [job.base / os.path.expanduser(f) for f in spec.files or []]
    return [
        Item(key=str(p.resolve()), stem=p.stem if p.suffix.lower() in (".txt", ".html", ".htm") else p.name,
             label=_shown(p), load=_file_loader(p, limit), html=p.suffix.lower() in (".html", ".htm"))
        for p in paths
    ]


def _shown(path: Path) -> str:
    """A path as error messages and the dataset show it: relative to here when it is below here."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path.resolve())


def _file_loader(path: Path, limit: int) -> Callable[[], bytes]:
    def load() -> bytes:
        if not path.exists():
            raise InputError(f"{_shown(path)} does not exist; fix the job's file list.")
        if path.is_dir():
            raise InputError(f"{_shown(path)} is a directory; list the files in it (or use a glob).")
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"{_shown(path)} is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:.1f} MB; "
                             "raise run.max_megabytes in the job to read it.")
        try:
            return path.read_bytes()
        except OSError as err:
            raise InputError(f"cannot read {_shown(path)} ({err.strerror or err}); check its permissions.") from None

    return load


def _table_items(job: Job, spec: InputSpec, prefix: str) -> list[Item]:
    table = _load_table(job, spec, prefix)
    for key, column in (("text", spec.text), ("id", spec.id)):
        if column is not None and column not in table.column_names:
            raise ConfigError(f"{prefix}.{key}: column '{column}' is not in {spec.table or spec.hub}; "
                              f"its columns are: {', '.join(table.column_names)}.")
    if spec.table:
        label, stem = _shown(job.resolve(spec.table)), Path(spec.table).stem
        key_base = str(job.resolve(spec.table))
    else:
        label = f"{spec.hub}:{spec.subset + ':' if spec.subset else ''}{spec.split}"
        stem, key_base = str(spec.hub).split("/")[-1], f"hub:{label}"
    ids = [str(i) for i in table[spec.id]] if spec.id else [str(i + 1) for i in range(len(table))]
    seen: set[str] = set()
    for row_id in ids:
        if row_id in seen:
            raise InputError(f"{prefix}: id '{row_id}' appears twice in {label}; each row needs its own id "
                             "(or set id: null to number the rows).")
        seen.add(row_id)
    texts = table.select_columns([spec.text])

    def loader(row: int, row_label: str) -> Callable[[], bytes]:
        def load() -> bytes:
            value = texts[row][spec.text]
            if not isinstance(value, str):
                raise InputError(f"{row_label} has no text in column '{spec.text}' ({value!r}); fill it or drop the row.")
            return value.encode("utf-8")

        return load

    return [
        Item(key=f"{key_base}#{row_id}", stem=f"{stem}-{row_id}", label=f"{label}#{row_id}",
             load=loader(row, f"{label}#{row_id}"), row_id=row_id)
        for row, row_id in enumerate(ids)
    ]


def _load_table(job: Job, spec: InputSpec, prefix: str) -> Any:
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    if spec.table:
        path = job.resolve(spec.table)
        builder = TABLE_BUILDERS.get(path.suffix.lower())
        if builder is None:
            raise ConfigError(f"{prefix}.table: {path.name} is not .jsonl, .csv or .parquet; convert it to one.")
        if not path.is_file():
            raise ConfigError(f"{prefix}.table: {_shown(path)} does not exist; fix the path.")
        try:
            return datasets.load_dataset(builder, data_files=str(path), split="train")
        except Exception as err:
            raise InputError(f"{prefix}.table: {_shown(path)} cannot be read as {builder} ({_first_line(err)}); "
                             "check the file.") from None
    from pipeline.models import hub_reachable, offline

    local = job.resolve(spec.hub)  # a dataset folder on disk loads like a hub dataset, with no network
    if local.is_dir():
        spec = InputSpec(**{**asdict(spec), "hub": str(local)})
    elif not offline() and not hub_reachable():
        raise InputError(
            f"{prefix}.hub: dataset {spec.hub!r} needs the Hugging Face hub, which cannot be reached from this "
            "machine; set HF_HUB_OFFLINE=1 to use a cached copy, or download it and list the file under `table:`."
        )
    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)  # its retry chatter is not for our users
    try:
        return datasets.load_dataset(spec.hub, spec.subset, split=spec.split)
    except Exception as err:
        raise InputError(
            f"{prefix}.hub: dataset {spec.hub!r} (split {spec.split!r}) cannot be loaded ({_first_line(err)}); "
            "check the name and the network, or download it and list the file under `table:`."
        ) from None


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:200]}" if text else type(err).__name__


class _HTMLText(HTMLParser):
    """The visible text of an HTML page, one line per block element."""

    SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe"}
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
              "article", "header", "footer", "title", "td", "th", "pre", "hr", "figcaption", "dd", "dt"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Strip tags, scripts and styles; block elements become paragraphs (one per line)."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def read_document(item: Item, data: bytes) -> Document:
    """Decode an item's bytes (any encoding the reader knows); HTML is reduced to its text."""
    from pipeline.reader import read_bytes

    doc = read_bytes(data, path=item.label)
    if item.html:
        text = html_to_text(doc.text)
        if not text.strip():
            raise InputError(f"{item.label} holds no text outside its HTML tags; give an article page.")
        doc = Document(text=text, original=text, source=doc.source, meta=doc.meta)
    if item.row_id is not None:
        doc.meta["id"] = item.row_id
    return doc


# -- the manifest: each document's state, input hash and config hash ---------------------------


class Manifest:
    """An SQLite file in the output folder: one row per document, updated in one transaction
    each, so a killed run leaves every document either done (with all its outputs) or not."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        try:
            if readonly:
                self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
                return
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript("""
                CREATE TABLE IF NOT EXISTS documents (
                    key TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    source TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending',   -- pending | done | failed
                    input_sha256 TEXT,
                    config_sha256 TEXT,
                    outputs TEXT,                            -- JSON list, relative to the folder
                    sentences TEXT,                          -- JSON rows for the combined dataset
                    stats TEXT,                              -- JSON: sentences, flags per rule
                    error TEXT,
                    run TEXT,
                    updated TEXT
                );
            """)
        except sqlite3.DatabaseError as err:
            raise OutputError(f"cannot open the job manifest {path} ({err}); "
                              "delete it to start the job afresh.") from None

    def close(self) -> None:
        self._db.close()

    def plan(self, items: list[Item]) -> dict[str, str]:
        """Give every item an output name, kept from earlier runs; new items get pending rows."""
        known = dict(self._db.execute("SELECT key, name FROM documents"))
        taken = set(known.values())
        position = self._db.execute("SELECT COALESCE(MAX(position), 0) FROM documents").fetchone()[0]
        names: dict[str, str] = {}
        fresh: list[tuple[str, str, str, int]] = []
        from pipeline.io import safe_name

        for item in items:
            if item.key in known:
                names[item.key] = known[item.key]
                continue
            name = safe_name(item.stem)
            if name in taken:
                name = f"{name}-{hashlib.sha256(item.key.encode()).hexdigest()[:8]}"
            taken.add(name)
            position += 1
            names[item.key] = name
            fresh.append((item.key, name, item.label, position))
        with self._db:
            self._db.executemany("INSERT INTO documents (key, name, source, position) VALUES (?, ?, ?, ?)", fresh)
        return names

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Every row's state and hashes, for the reader thread (which cannot share this connection)."""
        rows = self._db.execute("SELECT key, name, state, input_sha256, config_sha256, outputs FROM documents")
        return {key: {"name": name, "state": state, "input_sha256": i, "config_sha256": c,
                      "outputs": json.loads(o) if o else []}
                for key, name, state, i, c, o in rows}

    def mark_done(self, key: str, *, input_sha256: str, config_sha256: str, outputs: list[str],
                  sentences: list[dict[str, Any]], stats: dict[str, Any], run: str) -> None:
        with self._db:
            self._db.execute(
                "UPDATE documents SET state='done', input_sha256=?, config_sha256=?, outputs=?, sentences=?, "
                "stats=?, error=NULL, run=?, updated=? WHERE key=?",
                (input_sha256, config_sha256, json.dumps(outputs), json.dumps(sentences, ensure_ascii=False),
                 json.dumps(stats), run, _now(), key),
            )

    def mark_failed(self, key: str, *, error: str, input_sha256: str | None, run: str) -> None:
        with self._db:
            self._db.execute(
                "UPDATE documents SET state='failed', input_sha256=?, error=?, run=?, updated=? WHERE key=?",
                (input_sha256, error, run, _now(), key),
            )

    def rows(self, keys: list[str], *, state: str | None = None) -> Iterator[dict[str, Any]]:
        """The rows of `keys`, in job order (the table may hold documents no longer in the job)."""
        wanted = set(keys)
        cursor = self._db.execute("SELECT key, name, source, state, error, stats, sentences FROM documents "
                                  "ORDER BY position")
        for key, name, source, row_state, error, stats, sentences in cursor:
            if key in wanted and (state is None or row_state == state):
                yield {"key": key, "name": name, "source": source, "state": row_state, "error": error,
                       "stats": json.loads(stats) if stats else {},
                       "sentences": sentences}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class FolderLock:
    """An exclusive lock on the output folder, so two runs never write one job at once. The OS
    drops it when the process dies, even by kill -9: a stale lock file never blocks a rerun."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK
        self._handle: Any = None

    def __enter__(self) -> FolderLock:
        import fcntl

        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise UsageError(f"output folder {self.path.parent} is in use by another tarjama batch ({holder}); "
                             "wait for it to finish or give this job another output.folder.") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {_now()}")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


# -- model time --------------------------------------------------------------------------------


class MeteredBackend:
    """The loaded backend, timed: every call into the model adds to `seconds`; `translate` also
    counts texts and generated tokens. Tokenizer-only calls are not model time."""

    NOT_MODEL = frozenset({"count_tokens", "describe", "tokenize"})

    def __init__(self, backend: Any) -> None:
        self._backend = backend
        self.seconds = 0.0
        self.texts = 0
        self.tokens = 0

    def translate(self, texts: list[str], settings: Any) -> list[Any]:
        started = time.perf_counter()
        try:
            results = self._backend.translate(texts, settings)
        finally:
            self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        self.tokens += sum(getattr(r, "tokens", 0) for r in results)
        return results

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._backend, name)
        if not callable(value) or name in self.NOT_MODEL or name.startswith("_"):
            return value

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


# -- running ------------------------------------------------------------------------------------


@dataclass
class Report:
    """What report.json holds and the final table shows."""

    job: str
    folder: str
    run: str
    model: str | None
    backend: str | None
    stages: list[str]
    documents: int = 0  # in the job
    done: int = 0  # done by this run
    failed: int = 0
    skipped: int = 0  # done by an earlier run, input and config unchanged
    sentences: int = 0
    chunks_translated: int = 0  # texts the model translated (cache misses)
    tokens: int = 0  # target tokens the model generated
    cache_hits: int = 0
    cache_misses: int = 0
    wall_seconds: float = 0.0
    model_load_seconds: float = 0.0
    model_seconds: float = 0.0  # inside the backend's calls
    stage_seconds: dict[str, float] = field(default_factory=dict)
    read_seconds: float = 0.0  # reading and decoding inputs (in the reader thread)
    write_seconds: float = 0.0  # rendering and writing outputs
    dataset_seconds: float = 0.0
    qa_per_rule: dict[str, int] | None = None
    qa_per_document: dict[str, dict[str, int]] | None = None
    job_states: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def overhead_share(self) -> float:
        """Everything but model time, as a share of the wall time."""
        return max(0.0, self.wall_seconds - self.model_seconds) / self.wall_seconds if self.wall_seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        wall = self.wall_seconds or 1e-9
        out["throughput"] = {
            "documents_per_s": round(self.done / wall, 3),
            "sentences_per_s": round(self.sentences / wall, 2),
            "tokens_per_s": round(self.tokens / wall, 1),
        }
        out["overhead_percent"] = round(100 * self.overhead_share, 2)
        for key in ("wall_seconds", "model_load_seconds", "model_seconds", "read_seconds", "write_seconds",
                    "dataset_seconds"):
            out[key] = round(out[key], 3)
        out["stage_seconds"] = {k: round(v, 3) for k, v in self.stage_seconds.items()}
        return out


@dataclass
class _Read:
    """What the reader thread hands over: a segmented document, a skip, or a failure."""

    item: Item
    doc: Document | None = None
    input_sha256: str | None = None
    error: str | None = None
    skipped: bool = False


_FINISHED = object()


class BatchRun:
    """Runs one job: a reader thread reads, decodes and segments documents into a bounded queue;
    the main thread translates groups of them together (one model, loaded once), writes each
    document's outputs atomically and records it in the manifest."""

    def __init__(self, job: Job, *, console: Any = None, progress: bool | None = None) -> None:
        from rich.console import Console

        self.job = job
        self.console = console or Console(stderr=True)
        self.show_bar = self.console.is_terminal if progress is None else progress
        self.run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.config_sha256 = job.config_sha256()
        # Set by run():
        self.nlp: Any = None
        self.front: Any = None
        self.back: Any = None
        self.report: Report | None = None
        self.manifest: Manifest | None = None
        self.names: dict[str, str] = {}
        self.metered: MeteredBackend | None = None
        self.cache: Any = None

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
        counts = Counter()
        for item in items:
            try:
                data = item.load()
            except TarjamaError:
                counts["unreadable"] += 1
                continue
            digest = hashlib.sha256(data).hexdigest()
            counts["unchanged" if self._is_done(known.get(item.key), digest) else "to_do"] += 1
        counts["documents"] = len(items)
        return dict(counts)

    def _is_done(self, row: dict[str, Any] | None, digest: str) -> bool:
        if not row or row["state"] != "done":
            return False
        if row["input_sha256"] != digest or row["config_sha256"] != self.config_sha256:
            return False
        return all((self.job.folder / out).is_file() for out in row["outputs"])

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> Report:
        from pipeline.pipeline import Pipeline

        started = time.perf_counter()
        job = self.job
        try:
            (job.folder / DOCUMENTS).mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot create the output folder {job.folder} ({err.strerror}); "
                              "choose another output.folder.") from None
        with FolderLock(job.folder):
            _remove_partial_writes(job.folder)
            if job.dataset_path is not None:
                # `datasets` takes a second to import; do it while the model works, not after.
                threading.Thread(target=importlib.import_module, args=("datasets",), daemon=True).start()
            self.nlp = Pipeline(job.config)
            self.front, self.back = _split(self.nlp)
            self.report = report = Report(
                job=str(job.path), folder=str(job.folder), run=self.run_id,
                model=job.config.settings.model if self.nlp.uses_model else None,
                backend=job.config.settings.backend if self.nlp.uses_model else None,
                stages=self.nlp.stage_names)
            items = list_items(job)
            keys = [item.key for item in items]
            self.manifest = Manifest(job.folder / MANIFEST)
            try:
                self.names = self.manifest.plan(items)
                report.documents = len(items)
                self._process(items)
                report.dataset_seconds = self._write_dataset(keys)
                report.job_states = dict(Counter(r["state"] for r in self.manifest.rows(keys)))
                self._summarize_qa(keys)
                self._rewrite_errors(keys)
            finally:
                self.manifest.close()
                if self.cache is not None:
                    self.cache.close()
            report.wall_seconds = time.perf_counter() - started
            from pipeline.io import write_atomic

            write_atomic(job.folder / REPORT, json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return report

    def _load_model(self) -> None:
        """Load the model (once, and only when a document needs it: a rerun with nothing left to do
        loads none) and open the cache. A missing model stops the job here with its clear error."""
        if self.metered is not None or not self.nlp.uses_model:
            return
        started = time.perf_counter()
        self.metered = MeteredBackend(self.nlp.context.backend())
        self.nlp.context._backend = self.metered
        self.report.model_load_seconds = time.perf_counter() - started
        if self.job.spec.cache.enabled:
            from pipeline.cache import TranslationCache

            self.cache = TranslationCache(self.job.cache_path)
            self.nlp.context.cache = self.cache

    def _process(self, items: list[Item]) -> None:
        report = self.report
        reads: queue.Queue = queue.Queue(maxsize=self.job.spec.run.queue_documents)
        stop = threading.Event()
        reader = threading.Thread(target=self._read_all, args=(items, self.manifest.snapshot(), reads, stop),
                                  name="tarjama-reader", daemon=True)
        progress = _Progress(self.console, len(items), bar=self.show_bar)
        reader.start()
        try:
            finished = False
            while not finished:
                group: list[_Read] = []
                sentences = 0
                while sentences < self.job.spec.run.batch_sentences:
                    try:
                        got = reads.get(block=not group)
                    except queue.Empty:
                        break  # translate what is here rather than wait for more
                    if got is _FINISHED:
                        finished = True
                        break
                    if got.skipped:
                        report.skipped += 1
                    elif got.error is not None:
                        self._fail(got, got.error)
                    else:
                        group.append(got)
                        sentences += len(got.doc.sentences or [])
                    progress.update(self)
                if group:
                    self._load_model()
                    self._translate_group(group)
                    progress.update(self)
        finally:
            stop.set()
            progress.close(self)
            reader.join(timeout=5)
        self._report_model_totals()

    def _report_model_totals(self) -> None:
        """Model time, tokens and cache hits of the run, into the report."""
        report = self.report
        if self.metered is not None:
            report.model_seconds = self.metered.seconds
            report.tokens = self.metered.tokens
            report.chunks_translated = self.metered.texts
        if self.cache is not None:
            report.cache_hits, report.cache_misses = self.cache.hits, self.cache.misses

    def _read_all(self, items: list[Item], known: dict[str, dict[str, Any]], reads: queue.Queue,
                  stop: threading.Event) -> None:
        """The reader thread: read, hash, skip what is done, decode and run the model-free stages."""

        def put(value: Any) -> bool:
            while not stop.is_set():
                try:
                    reads.put(value, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        for item in items:
            if stop.is_set():
                return
            started = time.perf_counter()
            got = _Read(item)
            try:
                data = item.load()
                got.input_sha256 = hashlib.sha256(data).hexdigest()
                if self._is_done(known.get(item.key), got.input_sha256):
                    got.skipped = True
                else:
                    got.doc = self.front.run_many([read_document(item, data)])[0]
            except Exception as err:  # a bug in a stage must not stop the job: record it and go on
                got.error = _reason(err)
            self.report.read_seconds += time.perf_counter() - started
            if not put(got):
                return
        put(_FINISHED)

    def _translate_group(self, group: list[_Read]) -> None:
        try:
            docs = self.back.run_many([g.doc for g in group])
        except OutputError:
            raise  # a full disk or a broken cache: every document would fail; stop, resume later
        except Exception as err:  # a model error too: the missing model stopped the job at its start
            if len(group) == 1:
                self._fail(group[0], _reason(err))
                return
            # One document spoiled the group: redo each alone, from its input, to find which.
            for got in group:
                try:
                    data = got.item.load()
                    got.input_sha256 = hashlib.sha256(data).hexdigest()
                    got.doc = self.front.run_many([read_document(got.item, data)])[0]
                except Exception as again:
                    self._fail(got, _reason(again))
                    continue
                self._translate_group([got])
            return
        for got, doc in zip(group, docs, strict=True):
            self._finish_or_fail(got, doc)

    def _finish_or_fail(self, got: _Read, doc: Document) -> None:
        """Write a translated document and mark it done; a document that cannot be written fails alone."""
        doc.provenance["stages"] = self.nlp.stage_names
        try:
            self._finish(got, doc)
        except OutputError:
            raise  # a full disk or an unwritable folder: every document would fail; stop, resume later
        except Exception as err:
            self._fail(got, _reason(err))

    def _finish(self, got: _Read, doc: Document) -> None:
        from pipeline.io import inside, write_atomic
        from pipeline.render import render

        started = time.perf_counter()
        folder = self.job.folder / DOCUMENTS
        name = self.names[got.item.key]
        outputs: list[str] = []
        for fmt in self.job.spec.output.formats:
            text = render(doc, fmt, width=120, bidi="off")
            target = write_atomic(inside(folder, f"{name}.{SUFFIXES[fmt]}"), text if text.endswith("\n") else text + "\n")
            outputs.append(str(target.relative_to(self.job.folder.resolve())))
        sentences = [
            {"sentence": s.id, "start": s.start, "end": s.end, "arabic": s.text, "english": s.translation,
             "flags": [f.rule for f in s.flags or []]}
            for s in doc.sentences or []
        ]
        stats = {"sentences": len(sentences), "flags": _flag_counts(doc)}
        # The outputs are in place before the manifest says so: a kill in between only redoes this document.
        self.manifest.mark_done(got.item.key, input_sha256=got.input_sha256 or "", config_sha256=self.config_sha256,
                                outputs=outputs, sentences=sentences, stats=stats, run=self.run_id)
        report = self.report
        report.done += 1
        report.sentences += len(sentences)
        for stage_name, seconds in doc.provenance.get("timings_s", {}).items():
            report.stage_seconds[stage_name] = report.stage_seconds.get(stage_name, 0.0) + seconds
        report.write_seconds += time.perf_counter() - started

    def _fail(self, got: _Read, reason: str) -> None:
        self.manifest.mark_failed(got.item.key, error=reason, input_sha256=got.input_sha256, run=self.run_id)
        self.report.failed += 1
        entry = {"file": got.item.label, "reason": reason}
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
        """All sentences and translations of the done documents, as one Parquet or JSONL dataset."""
        target = self.job.dataset_path
        if target is None:
            return 0.0
        started = time.perf_counter()
        import datasets

        datasets.disable_progress_bars()
        datasets.logging.set_verbosity_error()
        features = datasets.Features({
            "document": datasets.Value("string"), "source": datasets.Value("string"),
            "sentence": datasets.Value("string"), "start": datasets.Value("int64"), "end": datasets.Value("int64"),
            "arabic": datasets.Value("string"), "english": datasets.Value("string"),
            "flags": datasets.List(datasets.Value("string")),
        })
        keys_file = None
        with tempfile.TemporaryDirectory(prefix=".dataset-", dir=self.job.folder) as work:
            keys_file = Path(work) / "keys.json"
            keys_file.write_text(json.dumps(keys), encoding="utf-8")
            dataset = datasets.Dataset.from_generator(
                _dataset_rows, features=features, cache_dir=str(Path(work) / "cache"),
                gen_kwargs={"manifest": str(self.manifest.path), "keys_file": str(keys_file)},
                fingerprint=uuid.uuid4().hex,
            )
            partial = Path(work) / target.name
            try:
                if DATASET_FORMATS[target.suffix.lower()] == "parquet":
                    dataset.to_parquet(str(partial))
                else:
                    dataset.to_json(str(partial), lines=True, force_ascii=False)
                os.replace(partial, target)
            except OSError as err:
                raise OutputError(f"cannot write {target} ({err.strerror or err}); check the disk space.") from None
            del dataset
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


def _dataset_rows(manifest: str, keys_file: str) -> Iterator[dict[str, Any]]:
    db = Manifest(Path(manifest), readonly=True)
    try:
        keys = json.loads(Path(keys_file).read_text(encoding="utf-8"))
        for row in db.rows(keys, state="done"):
            for sentence in json.loads(row["sentences"] or "[]"):
                yield {"document": row["name"], "source": row["source"], **sentence}
    finally:
        db.close()


def _split(nlp: Any) -> tuple[Any, Any]:
    """The pipeline cut before its first model stage: the front (read-side, model-free) runs in the
    reader thread, the back in the main thread. Both share the config and the loaded model."""
    names = nlp.stage_names
    cut = next((i for i, name in enumerate(names) if name in MODEL_STAGES), len(names))
    front, back = copy.copy(nlp), copy.copy(nlp)
    front.stages, back.stages = nlp.stages[:cut], nlp.stages[cut:]
    return front, back


def _remove_partial_writes(folder: Path) -> None:
    """A run killed inside an atomic write leaves its temporary file (never the output itself);
    the next run, holding the lock, clears them."""
    for pattern in (".*.tmp", f"{DOCUMENTS}/.*.tmp"):
        for leftover in folder.glob(pattern):
            leftover.unlink(missing_ok=True)
    for leftover in folder.glob(".dataset-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _reason(err: BaseException) -> str:
    return str(err) if isinstance(err, TarjamaError) else f"unexpected {type(err).__name__}: {err}"


def _flag_counts(doc: Document) -> dict[str, int]:
    """QA flags per rule in one document (empty when the qa stage did not run)."""
    try:
        from pipeline.stages.qa import count_flags
    except ImportError:
        count_flags = None
    if count_flags is not None:
        return dict(count_flags(doc))
    counts: Counter[str] = Counter()
    for sentence in doc.sentences or []:
        counts.update(f.rule for f in sentence.flags or [])
    return dict(counts)


# -- progress and the final table --------------------------------------------------------------


class _Progress:
    """A rich progress bar on a terminal; plain log lines (at most one every 2 s) otherwise."""

    def __init__(self, console: Any, total: int, *, bar: bool) -> None:
        self.console = console
        self.total = total
        self.started = time.perf_counter()
        self._last_line = 0.0
        self._last_counts: tuple[int, ...] = ()
        self._bar = None
        if bar:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("[bold]docs"), BarColumn(bar_width=20), MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed · {task.fields[sentences]} sentences · "
                           "{task.fields[tps]:.0f} tok/s · {task.fields[hits]} cache hits"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(compact=True),
                console=console, transient=False,
            )
            self._task = self._bar.add_task("batch", total=total, failed=0, sentences=0, tps=0.0, hits=0)
            self._bar.start()

    def update(self, run: BatchRun, *, final: bool = False) -> None:
        report = run.report
        elapsed = time.perf_counter() - self.started
        tokens = run.metered.tokens if run.metered else 0
        hits = run.cache.hits if run.cache is not None else 0
        seen = report.done + report.failed + report.skipped
        if self._bar is not None:
            self._bar.update(self._task, completed=seen, failed=report.failed, sentences=report.sentences,
                             tps=tokens / elapsed if elapsed else 0.0, hits=hits)
            return
        worked = report.done + report.failed
        left = self.total - seen
        eta = f"{left * elapsed / worked:.0f}s" if worked and left else "-"
        line = (f"tarjama: batch: {seen}/{self.total} documents ({report.done} done, {report.failed} failed, "
                f"{report.skipped} skipped), {report.sentences} sentences, "
                f"{tokens / elapsed if elapsed else 0:.0f} tok/s, {hits} cache hits, ETA {eta}")
        counts = (seen, report.sentences, hits)
        if counts == self._last_counts or (not final and time.perf_counter() - self._last_line < 2.0):
            return
        self._last_line, self._last_counts = time.perf_counter(), counts
        self.console.print(line, highlight=False, soft_wrap=True)

    def close(self, run: BatchRun) -> None:
        self.update(run, final=True)
        if self._bar is not None:
            self._bar.stop()


def print_report(report: Report, console: Any) -> None:
    """The end-of-run table: counts, time per stage, throughput, and QA flags when qa ran."""
    from rich.table import Table

    data = report.to_dict()
    table = Table(title=f"tarjama batch · {Path(report.job).name}", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    rows = [
        ("documents in the job", report.documents),
        ("done", report.done), ("failed", report.failed), ("skipped (unchanged)", report.skipped),
        ("sentences", report.sentences), ("tokens generated", report.tokens),
        ("cache hits / misses", f"{report.cache_hits} / {report.cache_misses}"),
        ("wall time", f"{report.wall_seconds:.2f} s"),
        ("model load", f"{report.model_load_seconds:.2f} s"),
        ("model time", f"{report.model_seconds:.2f} s"),
    ]
    rows += [(f"  stage {name}", f"{seconds:.2f} s") for name, seconds in report.stage_seconds.items()]
    rows += [
        ("  reading (reader thread)", f"{report.read_seconds:.2f} s"),
        ("  writing outputs", f"{report.write_seconds:.2f} s"),
        ("  combined dataset", f"{report.dataset_seconds:.2f} s"),
        ("throughput", f"{data['throughput']['documents_per_s']:.2f} docs/s · "
                       f"{data['throughput']['sentences_per_s']:.1f} sentences/s · "
                       f"{data['throughput']['tokens_per_s']:.0f} tok/s"),
    ]
    if report.model:
        rows.append(("pipeline overhead", f"{data['overhead_percent']:.1f}% of the wall time (all but model time)"))
    for what, value in rows:
        table.add_row(what, str(value))
    console.print(table)
    if report.qa_per_rule is not None:
        flags = Table(title="QA flags", title_justify="left")
        flags.add_column("rule")
        flags.add_column("flags", justify="right")
        for rule, count in report.qa_per_rule.items():
            flags.add_row(rule, str(count))
        console.print(flags)
        if report.qa_per_document:
            docs = Table(title="QA flags per document", title_justify="left")
            docs.add_column("document")
            docs.add_column("flags", justify="right")
            docs.add_column("rules")
            for name, counts in sorted(report.qa_per_document.items(), key=lambda kv: -sum(kv[1].values())):
                docs.add_row(name, str(sum(counts.values())), ", ".join(f"{r} {n}" for r, n in counts.items()))
            console.print(docs)
    if report.errors:
        console.print(f"{report.failed} document(s) failed; see {Path(report.folder) / ERRORS}", style="red",
                      highlight=False)


# -- the command line ---------------------------------------------------------------------------


def add_command(sub: Any, add_pipeline_options: Callable | None = None,
                add_output_options: Callable | None = None) -> None:
    """`tarjama batch JOB.yaml [--dry-run] [--model M] [--backend B] [--stages ...] [--set K=V]`."""
    p = sub.add_parser("batch", help="run a YAML batch job over many articles (resumable, cached)")
    p.add_argument("job", metavar="JOB", help="the job file (see configs/batch-example.yaml)")
    p.add_argument("--resume", action="store_true",
                   help="skip documents already done with the same input and config (always on)")
    p.add_argument("--dry-run", action="store_true", help="list what would be done; load no model, write nothing")
    p.add_argument("--model", help="override the job's translation model (hub id or local folder)")
    p.add_argument("--backend", help="override the job's backend: transformers or ctranslate2")
    p.add_argument("--stages", help="override the job's stages, e.g. normalize,segment,translate")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override one pipeline key, e.g. generation.num_beams=2 (repeatable)")
    p.add_argument("--progress", choices=("auto", "bar", "lines"), default="auto",
                   help="a rich progress bar (on a terminal by default) or plain log lines")
    p.set_defaults(run=cmd_batch)


def runner_class(job: Job) -> type[BatchRun]:
    """The executor the job names: BatchRun here, or RayBatchRun (same manifest and outputs) on Ray."""
    if job.spec.executor == "ray":
        from pipeline.batch_ray import RayBatchRun

        return RayBatchRun
    return BatchRun


def cmd_batch(args: argparse.Namespace) -> int:
    from rich.console import Console

    job = load_job(args.job, model=args.model, backend=args.backend, stages=args.stages, sets=args.sets)
    err_console = Console(stderr=True)
    runner = runner_class(job)(job, console=err_console,
                               progress={"auto": None, "bar": True, "lines": False}[args.progress])
    if args.dry_run:
        counts = runner.dry_run()
        print(f"dry run: {counts['documents']} documents; {counts.get('unchanged', 0)} already done and "
              f"unchanged, {counts.get('to_do', 0)} to do, {counts.get('unreadable', 0)} unreadable; "
              f"outputs ({', '.join(job.spec.output.formats) or 'dataset only'}) in {job.folder}")
        return 0
    try:
        report = runner.run()
    except KeyboardInterrupt:
        print(f"tarjama: interrupted; run `tarjama batch {args.job}` again to do what is left.", file=sys.stderr)
        return 130
    print_report(report, Console())
    return 1 if report.failed else 0
