"""The combined sentences dataset of a job (Parquet or JSON lines), streamed row by row and written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import OutputError

DATASET_FORMATS = {".parquet": "parquet", ".jsonl": "jsonl"}
# Parquet row groups of this many sentences: memory stays flat however big the job.
ROWS_PER_BATCH = 10_000


def schema() -> Any:
    """One row per sentence: which document, where it came from, its offsets, Arabic, English and QA flags."""
    import pyarrow as pa

    return pa.schema([
        ("document", pa.string()), ("source", pa.string()), ("sentence", pa.string()),
        ("start", pa.int64()), ("end", pa.int64()), ("arabic", pa.string()), ("english", pa.string()),
        ("flags", pa.list_(pa.string())),
    ])


def sentence_rows(documents: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The dataset's rows from the manifest's done documents (name, source, sentences as JSON)."""
    for document in documents:
        for sentence in json.loads(document["sentences"] or "[]"):
            yield {"document": document["name"], "source": document["source"], **sentence}


def write_dataset(rows: Iterable[dict[str, Any]], target: Path) -> int:
    """Write `rows` to `target` (.parquet or .jsonl) through a temporary file beside it, so a reader
    sees the old dataset or the whole new one, never half of one; returns the number of rows."""
    kind = DATASET_FORMATS[target.suffix.lower()]
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(descriptor)
    partial = Path(name)
    try:
        count = _write_parquet(rows, partial) if kind == "parquet" else _write_jsonl(rows, partial)
        os.replace(partial, target)
    except OSError as err:
        raise OutputError(f"cannot write {target} ({err.strerror or err}); check the disk space.") from None
    finally:
        partial.unlink(missing_ok=True)
    return count


def _write_parquet(rows: Iterable[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = schema()
    count = 0
    with pq.ParquetWriter(path, fields) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= ROWS_PER_BATCH:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=fields))
                count += len(batch)
                batch = []
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=fields))
            count += len(batch)
    return count


def _write_jsonl(rows: Iterable[dict[str, Any]], path: Path) -> int:
    names = schema().names
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({name: row.get(name) for name in names}, ensure_ascii=False) + "\n")
            count += 1
    return count
