"""The SQLite translation cache: lookups by key and text, counting, persistence, many texts at once."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.backends.base import Translation
from pipeline.cache import TranslationCache
from pipeline.errors import OutputError

KEY = "tiny|main|transformers|float32|beams=1"


def t(text: str, tokens: int = 3, hit: bool = False) -> Translation:
    return Translation(text, tokens, hit)


def test_a_stored_translation_is_found_under_its_key_only(tmp_path):
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        assert cache.get_many(KEY, ["جملة أولى"]) == {}
        cache.put_many(KEY, {"جملة أولى": t("A first sentence."), "جملة ثانية": t("A second sentence.")})
        assert cache.get_many(KEY, ["جملة ثانية", "جملة ثالثة"]) == {"جملة ثانية": t("A second sentence.")}
        assert cache.get_many(KEY + "|beams=4", ["جملة أولى"]) == {}  # other settings, other translations
        assert (cache.hits, cache.misses) == (1, 3)


def test_the_cache_outlives_its_process_and_counts_each_text_once(tmp_path):
    path = tmp_path / "cache.sqlite"
    with TranslationCache(path) as cache:
        cache.put_many(KEY, {"نص": t("text")})
    with TranslationCache(path) as cache:
        assert cache.get_many(KEY, ["نص", "نص"]) == {"نص": t("text")}
        assert (cache.hits, cache.misses, len(cache)) == (1, 0, 1)
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_thousands_of_texts_in_one_lookup(tmp_path):
    texts = {f"جملة رقم {i}": t(f"sentence {i}", i) for i in range(2500)}  # more than SQLite's variable limit
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        cache.put_many(KEY, texts)
        assert cache.get_many(KEY, list(texts)) == texts


def test_a_file_that_is_not_a_cache_is_a_clear_error(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not an sqlite database" * 100)
    with pytest.raises(OutputError, match="cannot open the translation cache"):
        TranslationCache(path)


def test_a_cached_answer_keeps_its_tokens_and_its_length_limit_stop(tmp_path):
    # The qa stage flags a sentence cut at its length budget: an answer from the cache must say so too.
    path = tmp_path / "cache.sqlite"
    with TranslationCache(path) as cache:
        cache.put_many(KEY, {"نص طويل": t("the the the", 12, True), "نص": t("text", 1, False)})
    with TranslationCache(path) as cache:
        found = cache.get_many(KEY, ["نص طويل", "نص"])
    assert found == {"نص طويل": Translation("the the the", 12, True), "نص": Translation("text", 1, False)}
