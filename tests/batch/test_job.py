"""The job file: YAML errors, key errors that name the key, and the order pipeline settings apply in."""

from __future__ import annotations

import pytest
import yaml

from pipeline.batch import load_job
from pipeline.errors import ConfigError
from tests.conftest import ROOT


def test_malformed_job_yaml_gives_line_and_column(run_cli, tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text("inputs:\n  - glob: samples/*.txt\noutput:\n  folder: [out\n", encoding="utf-8")
    result = run_cli("batch", str(job))
    assert result.returncode == 2
    assert "is not valid YAML at line" in result.stderr and "column" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1

@pytest.mark.parametrize(
    ("job", "message"),
    [
        ({"inputs": [{"tabel": "x.csv"}], "output": {"folder": "o"}},
         "unknown key 'inputs[0].tabel' (did you mean 'table'?)"),
        ({"inputs": [{"glob": "*.txt", "table": "x.csv"}], "output": {"folder": "o"}},
         "'inputs[0]' must give exactly one of glob, files, table or hub (it gives glob, table)"),
        ({"inputs": ["*.txt"], "output": {"folder": "o", "formats": ["pdf"]}},
         "key 'output.formats[0]' must be one of terminal, json, md, html, tmx, not 'pdf'"),
        ({"inputs": ["*.txt"]}, "key 'output.folder' is missing"),
        ({"output": {"folder": "o"}}, "key 'inputs' lists no input"),
        ({"inputs": ["*.txt"], "output": {"folder": "o", "dataset": "all.csv"}},
         "key 'output.dataset' must end in .parquet or .jsonl"),
        ({"inputs": ["*.txt"], "output": {"folder": "o"}, "pipeline": {"config": "nope.yaml"}},
         "nope.yaml does not exist"),
        ({"inputs": ["*.txt"], "output": {"folder": "o"}, "pipeline": {"config": None, "sett": []}},
         "unknown key 'pipeline.sett' (did you mean 'set'?)"),
        ({"inputs": ["*.txt"], "output": {"folder": "o"}, "pipeline": {"generation": {"num_beams": "two"}}},
         "key 'generation.num_beams' must be an integer"),
        # A job written before the generation section: the old key works, and its mistakes are still named.
        ({"inputs": ["*.txt"], "output": {"folder": "o"}, "pipeline": {"translate": {"num_beams": "two"}}},
         "key 'generation.num_beams' must be an integer"),
        ({"inputs": ["*.txt"], "output": {"folder": "o"}, "run": {"batch_sentences": 0}},
         "key 'run.batch_sentences' must be at least 1"),
    ],
)
def test_job_errors_name_the_key(tmp_path, job, message):
    path = tmp_path / "job.yaml"
    path.write_text(yaml.safe_dump(job), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_job(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)



def test_pipeline_profile_overrides_and_command_line_sets_apply_in_order(tmp_path):
    path = tmp_path / "job.yaml"
    profile = (ROOT / "configs" / "default.yaml").resolve()
    path.write_text(yaml.safe_dump({
        "inputs": ["*.txt"], "output": {"folder": "o"},
        "pipeline": {"config": str(profile), "overrides": {"translate": {"num_beams": 2, "batch_size": 8}},
                     "set": ["translate.num_beams=3"]},
    }), encoding="utf-8")
    job = load_job(path, sets=["translate.batch_size=4"], model="some/model")
    # Old key names (translate.num_beams) in a job file and on its command line keep working.
    assert job.config.generation.num_beams == 3
    assert job.config.generation.batch_size == 4
    assert job.config.settings.model == "some/model"
    assert job.folder == (tmp_path / "o").resolve()
