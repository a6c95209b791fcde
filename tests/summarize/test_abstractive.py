"""The abstractive summary with a tiny BART: chunks, links to the source, and a missing or wrong model."""

from __future__ import annotations

import json

import pytest

from pipeline.document import Document
from pipeline.errors import ConfigError, ModelError
from pipeline.stages.summarize import Summarize
from tests.conftest import SAMPLES
from tests.summarize.articles import ARTICLE, ENGLISH, LEAD, make_doc


# -- abstractive -------------------------------------------------------------------------------
def long_english_article() -> Document:
    """The made-up report with enough English that it does not fit the tiny BART's 64 tokens."""
    return make_doc(ARTICLE, ENGLISH)


def test_abstractive_summary_with_a_tiny_bart_in_chunks(tiny_bart_dir) -> None:
    stage = Summarize(method="abstractive", model=str(tiny_bart_dir), num_beams=1, max_new_tokens=8, threads=1)
    doc = stage(long_english_article())
    summary = doc.summary
    assert summary.method == "abstractive"
    assert summary.text["en"].strip()
    rounds = doc.provenance["summarize"]["chunks"]
    assert rounds[0] > 1 and rounds[-1] == 1  # chunked, then the chunks' summaries summarized again
    assert doc.provenance["summarize"]["model"] == str(tiny_bart_dir)
    ids = {s.id for s in doc.sentences}
    assert set(summary.sentences) <= ids
    assert all(set(v) <= ids for v in (summary.links or {}).values())
    assert summary.key_quotes == []  # no quotations in this document
    # The model is loaded once and reused; a short text is one chunk.
    loaded = stage._summarizer
    short = stage(make_doc([[LEAD]], {"s1": ENGLISH["s1"]}))
    assert stage._summarizer is loaded and short.provenance["summarize"]["chunks"] == [1]


def test_abstractive_end_to_end_after_translation(tiny_model_dir, tiny_bart_dir) -> None:
    """read, normalize, segment, quotes, translate (tiny Marian), summarize (tiny BART), as a user runs it."""
    from pipeline import Pipeline

    nlp = Pipeline.from_config(
        model=str(tiny_model_dir),
        stages="normalize,segment,quotes,translate,summarize",
        sets=["generation.num_beams=1", "generation.max_new_tokens=6", "summarize.method=abstractive",
              f"summarize.model={tiny_bart_dir}", "summarize.num_beams=1", "summarize.max_new_tokens=6",
              "summarize.threads=1"],
    )
    doc = nlp.read(SAMPLES / "wire-baghdad-jubouri-corruption.ar.txt")
    assert doc.summary.method == "abstractive" and doc.summary.text["en"].strip()
    assert len(doc.summary.key_quotes) == 2
    back = Document.from_json(doc.to_json())
    assert back.summary == doc.summary and back.provenance["summarize"]["chunks"][-1] == 1


def test_chunks_fit_the_window_and_keep_the_order(tiny_bart_dir) -> None:
    from pipeline.summarize.abstractive import Summarizer

    summarizer = Summarizer(str(tiny_bart_dir), num_beams=1, max_new_tokens=8, threads=1)
    assert summarizer.window == 64
    units = [*ENGLISH.values(), " ".join(ENGLISH.values())]  # the last is longer than the window
    chunks = summarizer.chunk(units)
    assert len(chunks) > 1
    assert " ".join(chunks) == " ".join(units)  # nothing lost, nothing reordered
    assert all(summarizer.count_tokens(c) <= summarizer.window for c in chunks)


def test_summary_sentences_link_to_the_source_sentences_they_draw_on() -> None:
    from pipeline.summarize.abstractive import link_sentences, split_english

    summary = ("Police arrested a terrorist cell of twenty members in the capital. "
               "The cell trained abroad in making explosives. The weather was a topic too.")
    links = link_sentences(split_english(summary), list(ENGLISH.items()))
    assert links["1"][0] in ("s1", "s8")
    assert links["2"] == ["s3"]
    assert "3" not in links or links["3"] == ["s7"]


def test_abstractive_needs_the_english() -> None:
    with pytest.raises(ConfigError, match="translate"):
        Summarize(method="abstractive", model="unused")(make_doc(ARTICLE))
    from pipeline import Pipeline

    with pytest.raises(ConfigError, match="put 'translate' before 'summarize'"):
        Pipeline.from_config(stages="normalize,segment,summarize", sets=["summarize.method=abstractive"])


def test_a_missing_summarization_model_fails_with_the_fix(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    stage = Summarize(method="abstractive", model="tarjama-tests/no-such-summarizer")
    with pytest.raises(ModelError, match="tarjama models download tarjama-tests/no-such-summarizer"):
        stage(make_doc(ARTICLE, ENGLISH))
    with pytest.raises(ModelError, match="does not exist"):
        Summarize(method="abstractive", model=str(tmp_path / "nowhere"))(make_doc(ARTICLE, ENGLISH))


def test_a_model_that_is_not_seq2seq_is_refused(tmp_path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}), encoding="utf-8")
    with pytest.raises(ModelError, match="cannot write summaries"):
        Summarize(method="abstractive", model=str(tmp_path))(make_doc(ARTICLE, ENGLISH))
