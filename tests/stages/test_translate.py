"""Bounded decoding end to end: with the default config, a model that never ends a sentence stays
within every piece's token budget and every sentence within 3 x its Arabic characters + 60."""

from __future__ import annotations

import pytest

from pipeline.backends.base import GenerationSettings, Translation
from pipeline.stages.translate import cap_length
from tests.conftest import SAMPLES


@pytest.mark.parametrize("name", ["statement-bahrain-terror-cells", "wire-baghdad-jubouri-corruption"])
def test_default_config_bounds_a_model_that_never_ends(tiny_model_dir, name, monkeypatch):
    from pipeline import Pipeline
    from pipeline.backends.transformers_backend import TransformersBackend

    decoded: list[tuple[int, int, GenerationSettings]] = []  # (source tokens, tokens decoded, settings)
    real = TransformersBackend.translate

    def recorded(self, texts, settings):
        results = real(self, texts, settings)
        decoded.extend((self.count_tokens(t), r.tokens, settings) for t, r in zip(texts, results, strict=True))
        return results

    monkeypatch.setattr(TransformersBackend, "translate", recorded)
    # The default config (beam 4, the default budget) but for the model and one torch thread.
    nlp = Pipeline.from_config(model=str(tiny_model_dir), sets=["device=cpu", "transformers.threads=1"])
    doc = nlp.read(SAMPLES / f"{name}.ar.txt")
    assert decoded
    for source, tokens, settings in decoded:
        # The budget counts the end-of-sentence the model is forced to write last.
        assert tokens + 1 <= settings.budget(source), (source, tokens)
        assert tokens + 1 == settings.budget(source)  # the tiny model never ends: it uses all of it
    for sentence in doc.sentences:
        assert len(sentence.translation) <= 3 * len(sentence.text) + 60, sentence.id
    cut = set(doc.provenance["translate"]["hit_max_length"])
    assert cut == {s.id for s in doc.sentences if any(f.rule == "truncated" for f in s.flags or [])}


def test_the_character_cap_cuts_at_a_space_and_says_so():
    looping = Translation("the coalition " * 40, tokens=80)
    capped = cap_length(looping, "قال المتحدث", 3.0, 60)
    assert len(capped.text) <= 3 * len("قال المتحدث") + 60 and capped.hit_max_length
    assert capped.text.endswith("coalition") or capped.text.endswith("the")
    short = Translation("The spokesman said.", tokens=4)
    assert cap_length(short, "قال المتحدث", 3.0, 60) == short
