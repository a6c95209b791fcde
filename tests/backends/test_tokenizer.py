"""The tokenizer helpers both backends and the summarizer share, and that they share them from one module."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline.backends.tokenizer import (
    check_source_length,
    check_tokenizer_matches,
    first_line,
    piece_spans,
    source_token_limit,
    target_token_limit,
)
from pipeline.errors import ModelError

ROOT = Path(__file__).resolve().parents[2]


class Tokenizer(SimpleNamespace):
    def __len__(self) -> int:
        return self.size


def test_piece_spans_follow_the_text():
    assert piece_spans("the base", ["\u2581the", "\u2581ba", "se", "</s>"]) == [(0, 3), (4, 6), (6, 8), None]


def test_source_limit_is_the_lower_of_the_positions_and_the_tokenizers_own():
    assert source_token_limit(SimpleNamespace(model_max_length=512), 1024) == 512
    assert source_token_limit(SimpleNamespace(model_max_length=4096), 1024) == 1024
    assert source_token_limit(SimpleNamespace(), None) == 512  # the config does not say: the default
    assert source_token_limit(SimpleNamespace(), None, 1024) == 1024


def test_target_limit_leaves_room_for_the_start_token():
    assert target_token_limit(512) == 511
    assert target_token_limit(None) == 511


def test_a_chunk_longer_than_the_model_takes_is_refused():
    check_source_length(512, 512, "m")
    with pytest.raises(ModelError, match="a chunk of 513 tokens is longer than model 'm' accepts"):
        check_source_length(513, 512, "m")


def test_a_tokenizer_of_another_model_is_refused():
    config = SimpleNamespace(vocab_size=100, pad_token_id=5, eos_token_id=0)
    check_tokenizer_matches(Tokenizer(size=100, pad_token_id=5, eos_token_id=0), config, "m")
    with pytest.raises(ModelError, match="has 101 tokens but the model only 100"):
        check_tokenizer_matches(Tokenizer(size=101, pad_token_id=5, eos_token_id=0), config, "m")
    with pytest.raises(ModelError, match="has pad_token_id 6 but the model 5"):
        check_tokenizer_matches(Tokenizer(size=100, pad_token_id=6, eos_token_id=0), config, "m")


def test_first_line_drops_the_rest_and_the_full_stop():
    assert first_line(ValueError("bad file.\ndetails")) == "bad file"
    assert first_line(ValueError("")) == "ValueError"


@pytest.mark.parametrize("module", ["pipeline/backends/ctranslate2_backend.py", "pipeline/summarize/abstractive.py"])
def test_only_the_transformers_backend_is_the_transformers_backend(module):
    # The shared helpers live in pipeline.backends.tokenizer: nothing else reaches into the
    # transformers backend module for them, at module level or inside a function.
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "pipeline.backends.transformers_backend" not in imported
    assert "pipeline.backends.tokenizer" in imported
