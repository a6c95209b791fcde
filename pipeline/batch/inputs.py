"""A job's inputs as Items: globs, file lists, tables and hub datasets; and an item's bytes read into a Document."""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline.batch.job import InputSpec, Job
from pipeline.document import Document
from pipeline.errors import ConfigError, InputError
from pipeline.html_text import HTML_SUFFIXES

TABLE_BUILDERS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet"}


@dataclass
class Item:
    """One document of the job: a stable key, a file-name stem, and how to read it."""

    key: str  # unique in the job: the file's absolute path, or TABLE#ID
    stem: str  # the output name before it is made safe and unique
    label: str  # what error messages and the dataset call it
    load: Callable[[], bytes] = field(repr=False)
    html: bool = False
    row_id: str | None = None  # a table row's id, kept in doc.meta["id"]


class Readable(Protocol):
    """What reading a document's bytes needs to know of it (an Item, or the Work made of one)."""

    label: str
    html: bool
    row_id: str | None


def read_document(item: Readable, data: bytes) -> Document:
    """Decode an item's bytes (any encoding the reader knows); HTML is reduced to its text."""
    from pipeline.reader import read_bytes

    doc = read_bytes(data, path=item.label, html=item.html)
    if item.row_id is not None:
        doc.meta["id"] = item.row_id
    return doc


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


def first_line(err: BaseException) -> str:
    """An exception as one short line (its type and the start of its message), for messages that quote it."""
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:200]}" if text else type(err).__name__


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
        Item(key=str(p.resolve()), stem=p.stem if p.suffix.lower() in (".txt", *HTML_SUFFIXES) else p.name,
             label=_shown(p), load=_file_loader(p, limit), html=p.suffix.lower() in HTML_SUFFIXES)
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
            raise InputError(f"{prefix}.table: {_shown(path)} cannot be read as {builder} ({first_line(err)}); "
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
            f"{prefix}.hub: dataset {spec.hub!r} (split {spec.split!r}) cannot be loaded ({first_line(err)}); "
            "check the name and the network, or download it and list the file under `table:`."
        ) from None
