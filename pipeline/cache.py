"""Translation cache: an SQLite table of (model/backend/settings key, chunk text) -> the model's Translation."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from pipeline.backends.base import Translation
from pipeline.errors import OutputError

# SQLite limits the number of `?` in one statement (999 in old builds); stay well below it.
_LOOKUP_BATCH = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cache_keys (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS outputs (
    key_id INTEGER NOT NULL REFERENCES cache_keys(id),
    source TEXT NOT NULL,
    english TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    hit_max_length INTEGER NOT NULL,
    PRIMARY KEY (key_id, source)
) WITHOUT ROWID;
"""
# Caches written before `outputs` kept the English alone in a table `translations`: without the
# length-limit stop an answer from there could not read as a fresh one, so it is left unread.


class TranslationCache:
    """A chunk met again (boilerplate, repeated wire copy, a rerun) is looked up, not translated.

    Every field of the model's Translation is kept (the text, its tokens, whether it stopped at
    its length budget), so a later stage cannot tell a cached answer from a fresh one.

    The key is the string the translate stage builds from model, revision, backend, dtype and
    generation settings; long keys are stored once in `cache_keys`. Every `put_many` is one
    transaction in WAL mode, so a process killed at any moment leaves the cache as it was
    after its last complete write. One connection per thread: use it from the thread that made it.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.hits = 0
        self.misses = 0
        self._key_ids: dict[str, int] = {}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL is safe against a killed process in WAL mode (only a power cut can lose the
            # last transactions, never corrupt the file) and much faster than FULL.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as err:
            raise OutputError(
                f"cannot open the translation cache {self.path} ({err}); delete it or set cache.path to another file."
            ) from None

    # -- the interface the translate stage uses ---------------------------------------------------
    def get_many(self, key: str, texts: Iterable[str]) -> dict[str, Translation]:
        """The cached Translation of each of `texts` that is in the cache under `key`."""
        wanted = list(dict.fromkeys(texts))
        found: dict[str, Translation] = {}
        key_id = self._key_id(key, create=False)
        if key_id is not None:
            for i in range(0, len(wanted), _LOOKUP_BATCH):
                part = wanted[i : i + _LOOKUP_BATCH]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    "SELECT source, english, tokens, hit_max_length FROM outputs "
                    f"WHERE key_id = ? AND source IN ({marks})",
                    (key_id, *part),
                )
                found.update((source, Translation(english, tokens, bool(hit))) for source, english, tokens, hit in rows)
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def put_many(self, key: str, translations: dict[str, Translation]) -> None:
        """Store `translations` (chunk text -> Translation) under `key`, in one transaction."""
        if not translations:
            return
        try:
            with self._db:
                key_id = self._key_id(key, create=True)
                self._db.executemany(
                    "INSERT OR REPLACE INTO outputs (key_id, source, english, tokens, hit_max_length) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(key_id, source, t.text, t.tokens, int(t.hit_max_length)) for source, t in translations.items()],
                )
        except sqlite3.Error as err:
            self._key_ids.pop(key, None)  # its row may have been rolled back with the rest
            raise OutputError(
                f"cannot write to the translation cache {self.path} ({err}); check the disk space."
            ) from None

    # -- housekeeping ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM outputs").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _key_id(self, key: str, *, create: bool) -> int | None:
        if key in self._key_ids:
            return self._key_ids[key]
        row = self._db.execute("SELECT id FROM cache_keys WHERE key = ?", (key,)).fetchone()
        if row is None:
            if not create:
                return None
            row = (self._db.execute("INSERT INTO cache_keys (key) VALUES (?)", (key,)).lastrowid,)
        self._key_ids[key] = row[0]
        return row[0]
