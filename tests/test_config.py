"""Config loading and validation: every mistake is one sentence naming the key, before any work."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pipeline import config as config_module
from pipeline.backends.base import GenerationSettings
from pipeline.backends.ctranslate2_backend import CTranslate2Options
from pipeline.config import DEFAULT_CONFIG, load_config, parse_set
from pipeline.errors import ConfigError
from pipeline.pipeline import Pipeline
from pipeline.qa.rules import RepetitionRule


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_config_is_valid():
    config = load_config()
    assert config.settings.model == "Helsinki-NLP/opus-mt-ar-en"
    assert config.stages[:2] == ["normalize", "segment"]
    assert config.generation == GenerationSettings()  # default.yaml says what the code's defaults say
    assert config.section("ctranslate2") == CTranslate2Options()


def test_extends_and_overrides(tmp_path):
    base = write(tmp_path, "base.yaml", "model: base-model\ngeneration:\n  num_beams: 3\n  batch_size: 4\n")
    child = write(tmp_path, "child.yaml", "extends: base.yaml\ngeneration:\n  num_beams: 5\n")
    config = load_config(child, sets=["generation.batch_size=2"], overrides={"model": "flag-model"})
    assert (config.generation.num_beams, config.generation.batch_size) == (5, 2)
    assert config.settings.model == "flag-model"
    assert base.exists()


def test_settings_stay_typed_from_load_to_use(tmp_path):
    path = write(tmp_path, "c.yaml", "backend: ctranslate2\nqa:\n  repetition: {retry: false}\n")
    config = load_config(path)
    assert isinstance(config.backend_options, CTranslate2Options)
    assert isinstance(config.section("qa").repetition, RepetitionRule)
    assert config.section("qa").repetition.retry is False
    nlp = Pipeline(load_config(path, sets=["stages=[normalize, segment, quotes]"]))
    assert isinstance(nlp.build_stage("qa").repetition, RepetitionRule)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("translate:\n  num_beams: 2\n", ("generation", "num_beams", 2)),
        ("translate:\n  max_new_tokens: 64\n", ("generation", "max_new_tokens", 64)),
        ("translate:\n  max_chars_b: 9\n", ("generation", "max_chars_b", 9)),
        ("segment:\n  max_chunk_tokens: 50\n", ("generation", "max_chunk_tokens", 50)),
        ("translate:\n  compute_type: float32\n", ("ctranslate2", "compute_type", "float32")),
        ("translate:\n  inter_threads: 2\n", ("ctranslate2", "inter_threads", 2)),
        ("translate:\n  threads: 3\n", ("transformers", "threads", 3)),
        ("translate:\n  threads: 3\n", ("ctranslate2", "threads", 3)),
    ],
)
def test_old_keys_keep_working_with_a_note(tmp_path, caplog, old, new):
    config_module._NOTED.clear()
    section, key, value = new
    with caplog.at_level(logging.WARNING, logger="tarjama.config"):
        config = load_config(write(tmp_path, "old.yaml", f"extends: {DEFAULT_CONFIG}\n{old}"))
    assert getattr(config.section(section), key) == value
    notes = [r.getMessage() for r in caplog.records]
    assert len(notes) == 1 and f"'{section}.{key}'" in notes[0] and "the old name still works" in notes[0]


def test_old_keys_are_noted_once_and_layers_keep_their_order(tmp_path, caplog):
    config_module._NOTED.clear()
    base = write(tmp_path, "base.yaml", "translate:\n  num_beams: 2\n")
    child = write(tmp_path, "child.yaml", "extends: base.yaml\ngeneration:\n  num_beams: 3\n")
    with caplog.at_level(logging.WARNING, logger="tarjama.config"):
        assert load_config(child).generation.num_beams == 3  # the child's new key beats the base's old one
        assert load_config(base, sets=["generation.num_beams=5"]).generation.num_beams == 5
        assert load_config(child, sets=["translate.num_beams=6"]).generation.num_beams == 6  # an old --set too
    assert sum("translate.num_beams" in r.getMessage() for r in caplog.records) == 1


def test_old_and_new_name_in_one_file_is_an_error(tmp_path):
    path = write(tmp_path, "both.yaml", "translate:\n  num_beams: 2\ngeneration:\n  num_beams: 3\n")
    with pytest.raises(ConfigError, match=r"'translate.num_beams' and 'generation.num_beams' are both given"):
        load_config(path)


def test_config_hash_counts_only_what_the_running_stages_read():
    text_only = ["stages=[normalize, segment, quotes]"]
    base = load_config(sets=text_only).sha256()
    assert load_config(sets=[*text_only, "generation.num_beams=2"]).sha256() != base  # segment reads generation
    assert load_config(sets=[*text_only, "ctranslate2.inter_threads=4"]).sha256() == base  # no model runs
    assert load_config(sets=[*text_only, "qa.numbers.enabled=false"]).sha256() == base
    full = load_config().sha256()
    assert load_config(sets=["transformers.threads=2"]).sha256() != full
    assert load_config(sets=["ctranslate2.inter_threads=4"]).sha256() == full  # not the backend in use


@pytest.mark.parametrize(
    ("yaml_text", "sets", "message"),
    [
        ("generation:\n  num_beam: 2\n", [], "unknown key 'generation.num_beam' (did you mean 'num_beams'?)"),
        ("translate:\n  num_beam: 2\n", [], "unknown key 'translate.num_beam' (did you mean 'generation.num_beams'?)"),
        ("generation:\n  num_beams: many\n", [], "key 'generation.num_beams' must be an integer, not 'many'"),
        ("generation:\n  max_new_tokens: 0\n", [], "generation: key 'max_new_tokens' must be at least 1, not 0"),
        ("ctranslate2:\n  compute_type: int4\n", [], "ctranslate2: key 'compute_type' must be one of"),
        ("stages: [normalize, segmnt]\n", [], "unknown stage 'segmnt' (did you mean 'segment'?)"),
        ("modell: x\n", [], "unknown key 'modell' (did you mean 'model'?)"),
        ("backend: onnx\n", [], "key 'backend' must be one of transformers, ctranslate2, not 'onnx'"),
        ("stages: [normalize, translate, segment]\n", [], "'translate' needs sentences"),
        ("", ["generation.num_beams=two"], "key 'generation.num_beams' must be an integer"),
        ("translate: 3\n", [], "key 'translate' must be a mapping"),
        ("stages: [normalize, segment, segment]\n", [], "'segment' is listed twice"),
    ],
)
def test_config_errors_name_the_key(tmp_path, yaml_text, sets, message):
    path = write(tmp_path, "bad.yaml", yaml_text)
    with pytest.raises(ConfigError) as err:
        load_config(path, sets=sets)
    assert message in str(err.value)
    # A mistake in the file names the file; one in a --set names the command line.
    assert (f"--set {sets[0]} (on the command line)" if sets else str(path)) in str(err.value)


def test_malformed_yaml_gives_line_and_column(tmp_path):
    path = write(tmp_path, "broken.yaml", "translate:\n  num_beams: [1, 2\n")
    with pytest.raises(ConfigError, match=r"not valid YAML at line \d+, column \d+"):
        load_config(path)


def test_extends_loop_is_named(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ConfigError, match=r"extend each other in a loop \(a.yaml -> b.yaml -> a.yaml\)"):
        load_config(tmp_path / "a.yaml")


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml")


def test_yaml_is_loaded_safely(tmp_path):
    path = write(tmp_path, "evil.yaml", "model: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path)


def test_parse_set_reads_yaml_values():
    assert parse_set("translate.num_beams=2") == {"translate": {"num_beams": 2}}
    assert parse_set("model=./models/x") == {"model": "./models/x"}
    with pytest.raises(ConfigError, match="KEY.PATH=VALUE"):
        parse_set("translate.num_beams")
