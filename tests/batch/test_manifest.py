"""The manifest (names, states, hashes, job order) and the output folder's lock."""

from __future__ import annotations

import json
import os

from pipeline.batch import FolderLock, Item, Manifest
from tests.batch.conftest import batch, copies, write_job


def test_a_second_run_on_the_same_folder_refuses(tmp_path, capsys):
    copies(tmp_path / "in", 1)
    job = write_job(tmp_path, [{"glob": "in/*.txt"}], model=None)
    (tmp_path / "out").mkdir()
    with FolderLock(tmp_path / "out"):
        assert batch(job) == 2
    err = capsys.readouterr().err
    assert "is in use by another tarjama batch" in err and f"pid {os.getpid()}" in err
    assert batch(job) == 0  # released: the next run goes ahead


def item(key: str, stem: str) -> Item:
    return Item(key=key, stem=stem, label=f"in/{stem}", load=lambda: b"")


def test_each_document_gets_a_safe_unique_name_that_later_runs_keep(tmp_path):
    path = tmp_path / "manifest.sqlite"
    manifest = Manifest(path)
    names = manifest.plan([item("/a/news.txt", "news"), item("/b/news.txt", "news"), item("t#../x", "../x")])
    manifest.close()
    assert names["/a/news.txt"] == "news" and names["/b/news.txt"].startswith("news-")
    assert len(set(names.values())) == 3 and all("/" not in n and not n.startswith(".") for n in names.values())

    again = Manifest(path)  # a later run: the same names, and a new document after the others
    later = again.plan([item("/c/new.txt", "new"), item("/b/news.txt", "news")])
    assert later["/b/news.txt"] == names["/b/news.txt"] and later["/c/new.txt"] == "new"
    keys = ["/c/new.txt", "/b/news.txt", "/a/news.txt"]
    assert [r["key"] for r in again.rows(keys)] == ["/a/news.txt", "/b/news.txt", "/c/new.txt"]  # job order
    again.close()


def test_rows_say_each_documents_state_and_the_snapshot_its_hashes(tmp_path):
    manifest = Manifest(tmp_path / "manifest.sqlite")
    manifest.plan([item("a", "a"), item("b", "b"), item("c", "c")])
    sentences = [{"sentence": "s1", "start": 0, "end": 4, "arabic": "خبر.", "english": "News.", "flags": []}]
    manifest.mark_done("a", input_sha256="1" * 64, config_sha256="2" * 64, outputs=["documents/a.json"],
                       sentences=sentences, stats={"sentences": 1, "flags": {}}, run="r1")
    manifest.mark_failed("b", error="b is empty", input_sha256=None, run="r1")
    assert [(r["key"], r["state"]) for r in manifest.rows(["a", "b", "c"])] == [
        ("a", "done"), ("b", "failed"), ("c", "pending")]
    (done,) = manifest.rows(["a", "b"], state="done")
    assert json.loads(done["sentences"]) == sentences and done["stats"] == {"sentences": 1, "flags": {}}
    assert [r["error"] for r in manifest.rows(["b", "c"], state="failed")] == ["b is empty"]
    assert list(manifest.rows(["c"], state="done")) == []  # a key outside the list is not read
    snapshot = manifest.snapshot()
    assert snapshot["a"]["input_sha256"] == "1" * 64 and snapshot["a"]["outputs"] == ["documents/a.json"]
    manifest.close()
    readonly = Manifest(tmp_path / "manifest.sqlite", readonly=True)
    assert readonly.snapshot() == snapshot
    readonly.close()
