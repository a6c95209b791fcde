"""The CTranslate2 backend: same tokens as transformers in float32, conversion cached and reused, clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline.backends.base import GenerationSettings
from pipeline.backends.convert import cache_root, convert_model, source_revision
from pipeline.backends.ctranslate2_backend import CTranslate2Backend
from pipeline.backends.transformers_backend import TransformersBackend
from pipeline.errors import ConfigError, ModelError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def ct2_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ct2-cache")


@pytest.fixture
def use_cache(ct2_cache, monkeypatch) -> Path:
    monkeypatch.setenv("TARJAMA_CACHE", str(ct2_cache))
    return ct2_cache


@pytest.fixture(scope="session")
def sentences() -> list[str]:
    """The opening words of the body paragraphs of one sample: real Arabic news of several lengths."""
    lines = (REPO / "samples" / "naas-coalition-bases.ar.txt").read_text(encoding="utf-8").splitlines()
    body = [line.split() for line in lines[4:] if len(line.split()) > 8]
    return [" ".join(words[: 6 + 3 * i]) for i, words in enumerate(body[:6])]


@pytest.fixture(scope="session")
def transformers_backend(tiny_model_dir) -> TransformersBackend:
    return TransformersBackend(str(tiny_model_dir), device="cpu")


@pytest.fixture(scope="session")
def float32_backend(tiny_model_dir, ct2_cache) -> CTranslate2Backend:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TARJAMA_CACHE", str(ct2_cache))
        return CTranslate2Backend(str(tiny_model_dir), device="cpu", compute_type="float32", threads=1)


def transformers_ids(backend: TransformersBackend, text: str, max_new_tokens: int) -> list[int]:
    import torch

    enc = backend.tokenizer([text], return_tensors="pt")
    with torch.inference_mode():
        out = backend.model.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=max_new_tokens)
    special = {backend.tokenizer.eos_token_id, backend.tokenizer.pad_token_id}
    return [t for t in out[0].tolist() if t not in special]


def ctranslate2_ids(backend: CTranslate2Backend, text: str, max_new_tokens: int) -> list[int]:
    tokens = backend.tokenizer.convert_ids_to_tokens(backend.tokenizer(text).input_ids)
    result = backend.translator.translate_batch(
        [tokens], beam_size=1, max_decoding_length=max_new_tokens - 1, max_input_length=0
    )
    return backend.tokenizer.convert_tokens_to_ids(result[0].hypotheses[0])


def test_greedy_float32_gives_the_same_token_ids(transformers_backend, float32_backend, sentences):
    expected = [transformers_ids(transformers_backend, text, 24) for text in sentences]
    got = [ctranslate2_ids(float32_backend, text, 24) for text in sentences]
    assert got == expected
    # Different inputs give different outputs: the model really reads its source. (A random tiny
    # model may still give two inputs the same greedy output, so not all need differ.)
    assert len({tuple(ids) for ids in expected}) > 1


def test_translate_agrees_with_the_transformers_backend(transformers_backend, float32_backend, sentences):
    settings = GenerationSettings(num_beams=1, max_new_tokens=20, batch_size=4)
    ours = float32_backend.translate(sentences, settings)
    theirs = transformers_backend.translate(sentences, settings)
    assert [(t.text, t.tokens) for t in ours] == [(t.text, t.tokens) for t in theirs]
    # The random model never ends a sentence on its own: every output stops at the limit.
    assert all(t.hit_max_length and t.tokens == 19 for t in ours)


def test_translate_keeps_the_input_order(float32_backend, sentences):
    settings = GenerationSettings(num_beams=2, max_new_tokens=12, batch_size=2)
    forward = float32_backend.translate(sentences, settings)
    backward = float32_backend.translate(sentences[::-1], settings)
    assert [t.text for t in backward] == [t.text for t in forward][::-1]
    assert float32_backend.translate([], settings) == []


def test_int8_translates_every_sentence(tiny_model_dir, use_cache, sentences):
    backend = CTranslate2Backend(str(tiny_model_dir), device="cpu", compute_type="int8", threads=1)
    results = backend.translate(sentences, GenerationSettings(num_beams=4, max_new_tokens=10))
    assert len(results) == len(sentences)
    assert all(r.text and 0 < r.tokens <= 10 for r in results)
    assert backend.describe()["dtype"] == "int8"
    assert backend.converted.name.endswith("-int8")


def test_conversion_is_cached_per_quantization_and_reused(tiny_model_dir, use_cache):
    first = convert_model(str(tiny_model_dir), None, "float32")
    stamp = (first / "model.bin").stat().st_mtime_ns
    assert convert_model(str(tiny_model_dir), None, "float32") == first
    assert (first / "model.bin").stat().st_mtime_ns == stamp
    assert first.parent == cache_root() == use_cache / "ct2"
    other = convert_model(str(tiny_model_dir), None, "int8")
    assert other != first and (other / "model.bin").is_file()
    # Nothing half-written is left beside the conversions.
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")]


def test_cache_lives_beside_the_hub_cache_by_default(monkeypatch, tmp_path):
    from huggingface_hub import constants

    monkeypatch.delenv("TARJAMA_CACHE", raising=False)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    assert cache_root() == tmp_path / "hf" / "tarjama" / "ct2"


def test_an_edited_local_model_gets_a_new_revision(tiny_model_dir, tmp_path):
    copy = Path(shutil.copytree(tiny_model_dir, tmp_path / "model"))
    before = source_revision(copy)
    assert source_revision(copy) == before
    config = copy / "config.json"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert source_revision(copy) != before


def test_hub_snapshot_revision_is_its_hash(tmp_path):
    snapshot = tmp_path / "models--org--name" / "snapshots" / "0123456789abcdef0123"
    snapshot.mkdir(parents=True)
    assert source_revision(snapshot) == "0123456789abcdef0123"


def test_a_corrupted_model_fails_with_a_clear_error(tiny_model_dir, use_cache, tmp_path):
    broken = Path(shutil.copytree(tiny_model_dir, tmp_path / "broken"))
    (broken / "model.safetensors").write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"could not be converted to CTranslate2 \(int8\)") as err:
        convert_model(str(broken), None, "int8")
    assert str(broken) in str(err.value)
    assert not list(cache_root().glob("broken-*"))
    assert not [p for p in cache_root().iterdir() if p.name.startswith(".")]


def test_a_model_that_is_no_translation_model_is_refused(use_cache, tmp_path):
    folder = tmp_path / "bert"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "bert"}), encoding="utf-8")
    with pytest.raises(ModelError, match="not a sequence-to-sequence"):
        convert_model(str(folder), None, "int8")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"compute_type": "int4"}, "compute_type 'int4' is unknown"),
        ({"compute_type": "float16"}, "compute_type 'float16' is not supported"),
        ({"device": "mps"}, "device 'mps' is not available"),
    ],
)
def test_bad_settings_are_config_errors(tiny_model_dir, use_cache, options, message):
    with pytest.raises(ConfigError, match=message):
        CTranslate2Backend(str(tiny_model_dir), **{"device": "cpu", **options})


def test_a_chunk_longer_than_the_model_accepts_is_refused(float32_backend):
    text = " ".join(["القوات"] * (float32_backend.max_source_tokens + 5))
    with pytest.raises(ModelError, match="longer than model"):
        float32_backend.translate([text], GenerationSettings(num_beams=1, max_new_tokens=4))


def test_attention_has_one_row_per_target_token(transformers_backend, float32_backend, sentences):
    target = transformers_backend.translate(sentences[:1], GenerationSettings(num_beams=1, max_new_tokens=8))[0].text
    ours = float32_backend.attention(sentences[0], target)
    theirs = transformers_backend.attention(sentences[0], target)
    assert len(ours.weights) == len(theirs.weights) == len(ours.target_spans)
    assert all(len(row) == len(ours.source_spans) == len(theirs.source_spans) for row in ours.weights)
    assert all(sum(row) == pytest.approx(1.0, abs=1e-3) for row in ours.weights)



@pytest.mark.parametrize(("workers", "batch_size", "expected"), [(1, 16, 16), (2, 16, 8), (2, 15, 8), (4, 2, 1), (0, 5, 5)])
def test_a_batch_is_shared_among_the_workers(workers, batch_size, expected):
    assert CTranslate2Backend.worker_batch_size(SimpleNamespace(inter_threads=workers), batch_size) == expected


def test_two_workers_give_the_same_translations_in_order(tiny_model_dir, use_cache, float32_backend, sentences):
    two = CTranslate2Backend(str(tiny_model_dir), device="cpu", compute_type="float32", threads=1, inter_threads=2)
    settings = GenerationSettings(num_beams=2, max_new_tokens=12, batch_size=4)
    assert two.translate(sentences, settings) == float32_backend.translate(sentences, settings)


def test_each_piece_gets_its_own_budget_in_both_backends(transformers_backend, float32_backend, sentences):
    # The random model never ends a sentence: each output runs to max_len_a * source + max_len_b.
    settings = GenerationSettings(num_beams=2, max_new_tokens=400, max_len_a=0.5, max_len_b=3, batch_size=8)
    ours = float32_backend.translate(sentences, settings)
    theirs = transformers_backend.translate(sentences, settings)
    budgets = [settings.budget(float32_backend.count_tokens(s)) for s in sentences]
    assert len(set(budgets)) > 2  # the sentences differ in length, so do their budgets
    for backend_results in (ours, theirs):
        # The budget counts the end-of-sentence the model is forced to write last.
        assert [t.tokens for t in backend_results] == [b - 1 for b in budgets]
        assert all(t.hit_max_length for t in backend_results)
    assert [t.text for t in ours] == [t.text for t in theirs]
