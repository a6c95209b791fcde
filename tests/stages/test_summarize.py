"""The summarize stage: its config, the real samples, and the summary in JSON and the rendered views
(the summarize package's own tests are in tests/summarize/)."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.config import validate
from pipeline.document import Document
from pipeline.errors import ConfigError
from pipeline.stages.summarize import Summarize
from pipeline.summarize.extractive import Budget
from tests.conftest import SAMPLES
from tests.summarize.articles import ENGLISH, quoted_article


# -- config ------------------------------------------------------------------------------------
@pytest.mark.parametrize("block, message", [
    ({"ratio": 1.5}, "ratio"),
    ({"sentences": 0}, "sentences"),
    ({"words": 0}, "words"),
    ({"sentences": None}, "set one of"),
    ({"key_quotes": -1}, "key_quotes"),
    ({"method": "generative"}, "summarize.method"),
    ({"sentence": 3}, "did you mean 'sentences'"),
    ({"redundancy": 0}, "redundancy"),
])
def test_bad_settings_are_config_errors_naming_the_key(block: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        validate({"stages": ["normalize", "segment", "summarize"], "summarize": block})


def test_settings_come_from_yaml() -> None:
    config = validate({"stages": ["normalize", "segment", "summarize"],
                       "summarize": {"words": 80, "key_quotes": 5, "lead_weight": 1.0}})
    stage = config.section("summarize")
    assert stage.budget == Budget(sentences=3, ratio=None, words=80)
    assert stage.key_quotes == 5 and stage.weights.lead == 1.0


# -- the real samples, offline -----------------------------------------------------------------
def test_every_sample_gets_an_extractive_summary_with_no_model() -> None:
    from pipeline import Pipeline

    nlp = Pipeline.from_config(stages="normalize,segment,quotes,summarize")
    for path in sorted(SAMPLES.glob("*.ar.txt")):
        doc = nlp.read(path)
        summary = doc.summary
        assert summary.method == "extractive", path.name
        assert len(summary.sentences) == min(3, len(doc.sentences)), path.name
        assert summary.text["ar"] and summary.text["en"] == "", path.name
        speech = {q.id: q for q in doc.quotes if q.kind == "speech"}
        assert len(summary.key_quotes) == min(3, len(speech)), path.name
        for item in summary.key_quotes:
            assert item["ar"] == speech[item["quote"]].text


def test_cli_json_carries_the_summary(run_cli) -> None:
    result = run_cli("translate", str(SAMPLES / "naas-coalition-bases.ar.txt"), "--stages",
                     "normalize,segment,quotes,summarize", "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary["method"] == "extractive" and len(summary["sentences"]) == 3
    assert [set(k) for k in summary["key_quotes"]] == [{"quote", "sentence", "speaker", "speaker_en", "ar", "en"}] * 3


@pytest.mark.parametrize("fmt", ["json", "md", "html", "terminal", "tmx"])
def test_the_summary_and_key_quotes_are_in_every_view(fmt: str) -> None:
    from pipeline.render import render

    doc = Summarize()(quoted_article())
    out = render(doc, fmt, width=200, bidi="off")
    assert "summary" in out.lower()
    first_english = ENGLISH[doc.summary.sentences[0]]
    assert first_english[:40] in out
    assert "the interior minister" in out


def test_summary_survives_the_json_round_trip() -> None:
    doc = Summarize()(quoted_article())
    back = Document.from_json(doc.to_json())
    assert back.summary == doc.summary


