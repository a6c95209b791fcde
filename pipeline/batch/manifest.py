"""The job's SQLite manifest (each document's state, input hash and config hash) and the output folder's lock."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.batch.inputs import Item
from pipeline.batch.job import LOCK
from pipeline.errors import OutputError, UsageError


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
