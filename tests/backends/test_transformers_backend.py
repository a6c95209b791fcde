"""The transformers backend on the tiny Marian: order kept, limits reported, attention spans valid."""

from __future__ import annotations

import logging
import math

from pipeline.backends.base import GenerationSettings
from pipeline.backends.transformers_backend import TransformersBackend

SENTENCES = ["قال المتحدث إن القوات ستغادر القاعدة.", "وأضاف", "وأعلنت وزارة الدفاع انسحاب القوات من قاعدة القائم."]


def test_outputs_come_back_in_input_order(tiny_model_dir):
    backend = TransformersBackend(str(tiny_model_dir))
    settings = GenerationSettings(num_beams=1, max_new_tokens=6, batch_size=2)
    together = backend.translate(SENTENCES, settings)
    alone = [backend.translate([s], settings)[0] for s in SENTENCES]
    assert [t.text for t in together] == [t.text for t in alone]


def test_an_output_cut_at_the_limit_says_so(tiny_model_dir):
    # The tiny model never ends a sentence by itself, so every output runs to the limit.
    backend = TransformersBackend(str(tiny_model_dir))
    results = backend.translate(SENTENCES, GenerationSettings(num_beams=2, max_new_tokens=5))
    assert all(r.hit_max_length for r in results)
    assert all(0 < r.tokens <= 5 for r in results)


def test_describe_names_model_backend_and_versions(tiny_model_dir):
    described = TransformersBackend(str(tiny_model_dir)).describe()
    assert described["backend"] == "transformers" and described["revision"] == "local"
    assert described["device"] == "cpu" and described["torch"] and described["transformers"]


def test_attention_spans_index_source_and_target(tiny_model_dir):
    backend = TransformersBackend(str(tiny_model_dir))
    source, target = SENTENCES[0], "The spokesman said the forces would leave the base."
    attention = backend.attention(source, target)
    assert len(attention.weights) == len(attention.target_spans)
    assert all(len(row) == len(attention.source_spans) for row in attention.weights)
    for text, spans in ((source, attention.source_spans), (target, attention.target_spans)):
        for span in spans:
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(text)
    for row in attention.weights:
        assert abs(sum(row) - 1.0) < 1e-3


def test_decoding_stops_at_each_pieces_budget_in_a_batch(tiny_model_dir):
    backend = TransformersBackend(str(tiny_model_dir))
    settings = GenerationSettings(num_beams=4, max_new_tokens=400, max_len_a=1.5, max_len_b=10)
    results = backend.translate(SENTENCES, settings)
    budgets = [settings.budget(backend.count_tokens(s)) for s in SENTENCES]
    assert budgets == [min(400, math.ceil(1.5 * backend.count_tokens(s) + 10)) for s in SENTENCES]
    assert [r.tokens for r in results] == [b - 1 for b in budgets]  # never past it: the model never ends
    # In a batch each piece decodes as it would alone.
    assert [r.text for r in results] == [backend.translate([s], settings)[0].text for s in SENTENCES]


def test_max_new_tokens_is_the_ceiling_and_past_the_positions_it_is_capped(tiny_model_dir, caplog):
    backend = TransformersBackend(str(tiny_model_dir))
    assert backend.max_target_tokens == 511  # 512 positions, less the decoder's start token
    ceiling = backend.translate(SENTENCES[:1], GenerationSettings(num_beams=1, max_new_tokens=6))
    assert ceiling[0].tokens == 5 and ceiling[0].hit_max_length
    with caplog.at_level(logging.WARNING):
        # Past the decoder's positions generate would index out of its embeddings: capped instead.
        huge = backend.translate(SENTENCES[:1], GenerationSettings(num_beams=1, max_new_tokens=2000, max_len_a=100))
    assert huge[0].tokens == 510
    assert "capped at 511" in caplog.text
