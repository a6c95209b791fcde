"""Config loading and validation: every mistake is one sentence naming the key, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config, parse_set
from pipeline.errors import ConfigError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_config_is_valid():
    config = load_config()
    assert config.settings.model == "Helsinki-NLP/opus-mt-ar-en"
    assert config.stages[:2] == ["normalize", "segment"]
    assert config.stage_settings["translate"]["num_beams"] == 4


def test_extends_and_overrides(tmp_path):
    base = write(tmp_path, "base.yaml", "model: base-model\ntranslate:\n  num_beams: 3\n  batch_size: 4\n")
    child = write(tmp_path, "child.yaml", "extends: base.yaml\ntranslate:\n  num_beams: 5\n")
    config = load_config(child, sets=["translate.batch_size=2"], overrides={"model": "flag-model"})
    assert config.stage_settings["translate"] == {**config.stage_settings["translate"], "num_beams": 5, "batch_size": 2}
    assert config.settings.model == "flag-model"
    assert base.exists()


@pytest.mark.parametrize(
    ("yaml_text", "sets", "message"),
    [
        ("translate:\n  num_beam: 2\n", [], "unknown key 'translate.num_beam' (did you mean 'num_beams'?)"),
        ("translate:\n  num_beams: many\n", [], "key 'translate.num_beams' must be an integer, not 'many'"),
        ("stages: [normalize, segmnt]\n", [], "unknown stage 'segmnt' (did you mean 'segment'?)"),
        ("modell: x\n", [], "unknown key 'modell' (did you mean 'model'?)"),
        ("backend: onnx\n", [], "key 'backend' must be 'transformers' or 'ctranslate2'"),
        ("stages: [normalize, translate, segment]\n", [], "'translate' needs sentences"),
        ("", ["translate.num_beams=two"], "key 'translate.num_beams' must be an integer"),
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
