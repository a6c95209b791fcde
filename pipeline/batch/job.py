"""The batch job file: its schema, its validation (errors name the file and the key) and the Job it describes."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pipeline.batch.dataset import DATASET_FORMATS
from pipeline.config import DEFAULT_CONFIG, Config, build_dataclass, load_config, parse_set, read_yaml
from pipeline.errors import ConfigError
from pipeline.render import format_names

# What each output format's file of a document is called, in documents/.
# Files the job keeps in its output folder, beside the per-document outputs in documents/.
MANIFEST = "manifest.sqlite"
LOCK = ".tarjama-batch.lock"
REPORT = "report.json"
ERRORS = "errors.jsonl"
DOCUMENTS = "documents"


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
    formats: list[str] = field(default_factory=lambda: ["json"])  # registered formats (pipeline.render)
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
    """`ray:`, read when `executor: ray` (pipeline/batch/ray.py runs the job's work with Ray Data)."""

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
    inputs = [input_spec(entry, i, where) for i, entry in enumerate(spec.inputs)]
    if not spec.output.folder:
        raise ConfigError(f"{where}key 'output.folder' is missing; say which folder the results go to.")
    known = format_names()
    for i, fmt in enumerate(spec.output.formats):
        if fmt not in known:
            raise ConfigError(f"{where}key 'output.formats[{i}]' must be one of {', '.join(known)}, not {fmt!r}.")
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
    config = pipeline_config(spec.pipeline, path, model=model, backend=backend, stages=stages, sets=sets)
    folder = (path.parent / os.path.expanduser(spec.output.folder)).resolve()
    return Job(path=path, spec=spec, inputs=inputs, config=config, folder=folder)


def input_spec(entry: Any, index: int, where: str) -> InputSpec:
    """One entry of `inputs:` checked: a bare string is a glob; a mapping gives exactly one source."""
    prefix = f"inputs[{index}]"
    if isinstance(entry, str):
        entry = {"glob": entry}
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}key '{prefix}' must be a glob pattern or a mapping, not {entry!r}.")
    spec = build_dataclass(InputSpec, entry, prefix, where)
    given = [k for k in ("glob", "files", "table", "hub") if getattr(spec, k) is not None]
    if len(given) != 1:
        listed = ", ".join(given) if given else "none"
        raise ConfigError(f"{where}key '{prefix}' must give exactly one of glob, files, table or hub (it gives {listed}).")
    return spec


def pipeline_config(
    block: dict[str, Any],
    job_path: Path,
    *,
    model: str | None = None,
    backend: str | None = None,
    stages: str | list[str] | None = None,
    sets: list[str] | tuple[str, ...] = (),
) -> Config:
    """`pipeline:` is either {config, overrides, set} or an inline config; both start from the
    default profile (or the one named), so an inline block need only give what it changes. Then
    come the command line's --set lines, then --model, --backend and --stages."""
    where = f"{job_path}: "
    block = dict(block)
    named = f"{job_path} (pipeline)"
    if {"config", "overrides", "set"} & block.keys():
        profile = build_dataclass(PipelineProfile, block, "pipeline", where)
        base = job_path.parent / profile.config if profile.config else DEFAULT_CONFIG
        if not base.is_file():
            raise ConfigError(f"{where}key 'pipeline.config': {base} does not exist; give the path of a profile "
                              "(relative to the job file), such as ../configs/default.yaml.")
        layers = [(named, profile.overrides)]
        layers += [(f"{job_path} (pipeline.set {assignment})", parse_set(assignment)) for assignment in profile.set]
    else:
        extends = block.pop("extends", None)
        if extends is not None and not isinstance(extends, str):
            raise ConfigError(f"{where}key 'pipeline.extends' must be the path of a config file, not {extends!r}.")
        base = job_path.parent / extends if extends else DEFAULT_CONFIG
        layers = [(named, block)]
    if isinstance(stages, str):
        stages = [s.strip() for s in stages.split(",") if s.strip()]
    return load_config(base, layers=layers, sets=sets,
                       overrides={"model": model, "backend": backend, "stages": stages})
