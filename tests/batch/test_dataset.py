"""The combined sentences dataset: pyarrow's writers give the columns and types `datasets` gave, streamed, atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.batch import dataset as dataset_module
from pipeline.batch.dataset import schema, sentence_rows, write_dataset
from pipeline.errors import OutputError

# Manifest rows as the runner reads them back: a document's name, its source and its sentences as JSON.
DOCUMENTS = [
    {"name": "article-1", "source": "in/article-1.txt", "sentences": json.dumps([
        {"sentence": "s1", "start": 0, "end": 24, "arabic": "قال الوزير إن الوضع مستقر.", "english": "The minister said.",
         "flags": []},
        {"sentence": "s2", "start": 25, "end": 40, "arabic": "وأضاف أن القوات جاهزة.", "english": None,
         "flags": ["numbers", "repetition"]},
    ], ensure_ascii=False)},
    {"name": "empty", "source": "in/empty.txt", "sentences": None},
    {"name": "table-7", "source": "news.jsonl#7", "sentences": json.dumps([
        {"sentence": "s1", "start": 0, "end": 9, "arabic": "خبر قصير.", "english": "Short news.", "flags": ["length"]},
    ], ensure_ascii=False)},
]


def old_dataset(rows: list[dict], target: Path) -> None:
    """The dataset as tarjama wrote it before, with `datasets` (Dataset.from_generator, then to_parquet)."""
    import datasets

    datasets.disable_progress_bars()
    features = datasets.Features({
        "document": datasets.Value("string"), "source": datasets.Value("string"),
        "sentence": datasets.Value("string"), "start": datasets.Value("int64"), "end": datasets.Value("int64"),
        "arabic": datasets.Value("string"), "english": datasets.Value("string"),
        "flags": datasets.List(datasets.Value("string")),
    })
    dataset = datasets.Dataset.from_generator(lambda: iter(rows), features=features,
                                              cache_dir=str(target.parent / "cache"))
    if target.suffix == ".parquet":
        dataset.to_parquet(str(target))
    else:
        dataset.to_json(str(target), lines=True, force_ascii=False)


def test_the_parquet_dataset_has_the_columns_and_types_datasets_wrote(tmp_path):
    rows = list(sentence_rows(DOCUMENTS))
    assert [r["document"] for r in rows] == ["article-1", "article-1", "table-7"]
    old, new = tmp_path / "old" / "sentences.parquet", tmp_path / "sentences.parquet"
    old.parent.mkdir()
    old_dataset(rows, old)
    assert write_dataset(iter(rows), new) == 3
    theirs, ours = pq.read_table(old), pq.read_table(new)
    assert ours.schema.remove_metadata() == theirs.schema.remove_metadata() == schema()
    assert ours.to_pylist() == theirs.to_pylist() == rows

    import datasets  # what the eval and a user read it with

    assert datasets.Dataset.from_parquet(str(new))["flags"] == [[], ["numbers", "repetition"], ["length"]]


def test_the_jsonl_dataset_has_the_rows_datasets_wrote(tmp_path):
    rows = list(sentence_rows(DOCUMENTS))
    old, new = tmp_path / "old" / "all.jsonl", tmp_path / "all.jsonl"
    old.parent.mkdir()
    old_dataset(rows, old)
    assert write_dataset(iter(rows), new) == 3

    def read(path: Path) -> list[dict]:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    assert read(new) == read(old) == rows
    assert [list(r) for r in read(new)] == [schema().names] * 3  # the columns in the same order
    assert "قال الوزير" in new.read_text(encoding="utf-8")  # Arabic as it is, not \\u escapes


def test_rows_are_written_in_batches_and_an_empty_dataset_keeps_its_columns(tmp_path, monkeypatch):
    monkeypatch.setattr(dataset_module, "ROWS_PER_BATCH", 2)
    rows = [{"document": f"d{i}", "source": "s", "sentence": "s1", "start": 0, "end": 1, "arabic": "أ",
             "english": "A", "flags": []} for i in range(5)]
    target = tmp_path / "sentences.parquet"
    assert write_dataset(iter(rows), target) == 5
    assert pq.ParquetFile(target).metadata.num_row_groups == 3
    assert pq.read_table(target).column("document").to_pylist() == [f"d{i}" for i in range(5)]

    assert write_dataset(iter([]), target) == 0
    empty = pq.read_table(target)
    assert empty.num_rows == 0 and empty.schema.remove_metadata() == schema()


@pytest.mark.parametrize("name", ["sentences.parquet", "sentences.jsonl"])
def test_a_failed_write_keeps_the_old_dataset_whole_and_leaves_no_temporary_file(tmp_path, name):
    target = tmp_path / name
    write_dataset(sentence_rows(DOCUMENTS), target)
    before = target.read_bytes()

    def rows_then_a_full_disk():
        yield from sentence_rows(DOCUMENTS[:1])
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left on device"):
        write_dataset(rows_then_a_full_disk(), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
