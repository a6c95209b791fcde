"""A job's inputs: tables, HTML pages, hub datasets (a local folder, an unreachable hub), the example job's glob."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pipeline.batch import load_job
from tests.batch.conftest import (
    SAMPLE_FILES,
    batch,
    write_job,
)
from tests.conftest import ROOT


def test_tables_and_html_pages_are_read(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [line for line in SAMPLE_FILES[0].read_text(encoding="utf-8").splitlines() if len(line) > 60][:3]
    (tmp_path / "a.jsonl").write_text(
        "".join(json.dumps({"id": f"j{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8")
    with open(tmp_path / "b.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["article_id", "body"])
        writer.writerows(enumerate(texts[:2]))
    pq.write_table(pa.table({"text": texts[:2]}), tmp_path / "c.parquet")
    (tmp_path / "page.html").write_text(
        f"<html><head><title>t</title><style>p {{color: red}}</style></head><body><script>alert('x')</script>"
        f"<p>{texts[0]}</p><div>{texts[1]} &amp; <b>المزيد</b></div></body></html>", encoding="utf-8")
    inputs = [{"table": "a.jsonl"}, {"table": "b.csv", "text": "body", "id": "article_id"},
              {"table": "c.parquet", "id": None}, {"files": ["page.html"]}]
    job = write_job(tmp_path, inputs, model=None, output={"dataset": "all.jsonl"})
    assert batch(job) == 0
    docs = tmp_path / "out" / "documents"
    assert sorted(p.stem for p in docs.glob("*.json")) == ["a-j0", "a-j1", "a-j2", "b-0", "b-1", "c-1", "c-2", "page"]
    row = json.loads((docs / "a-j1.json").read_text(encoding="utf-8"))
    assert row["meta"]["id"] == "j1" and row["source"]["path"].endswith("a.jsonl#j1")
    page = json.loads((docs / "page.json").read_text(encoding="utf-8"))["text"]
    assert "alert" not in page and "<" not in page and "color" not in page and "& المزيد" in page
    lines = [json.loads(line) for line in (tmp_path / "out" / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["document"] for r in lines} == {p.stem for p in docs.glob("*.json")}
    assert all(r["english"] is None for r in lines)  # no translate stage in this job

def test_a_local_dataset_folder_loads_as_a_hub_dataset(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "train.jsonl").write_text(
        json.dumps({"id": "x1", "text": "قال الوزير إن الاجتماع انتهى."}, ensure_ascii=False) + "\n", encoding="utf-8")
    job = write_job(tmp_path, [{"hub": "news", "split": "train"}], model=None)
    assert batch(job) == 0
    assert (tmp_path / "out" / "documents" / "news-x1.json").exists()

def test_an_unreachable_hub_dataset_is_a_clear_error(run_cli, tmp_path):
    job = write_job(tmp_path, [{"hub": "some-org/arabic-news", "split": "train"}], model=None)
    result = run_cli("batch", str(job))
    assert result.returncode == 1
    assert "inputs[0].hub: dataset 'some-org/arabic-news' needs the Hugging Face hub" in result.stderr
    assert "Traceback" not in result.stderr

def test_the_example_job_is_valid_and_finds_the_samples():
    from pipeline.batch import list_items

    job = load_job(ROOT / "configs" / "batch-example.yaml")
    assert sorted(Path(item.key).name for item in list_items(job)) == [p.name for p in SAMPLE_FILES]
