"""Shared fixtures: the tiny Marian model, the samples, and a CLI runner with the network off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLD = ROOT / "tests" / "gold"
FIRST_SAMPLE = SAMPLES / "naas-coalition-bases.ar.txt"


def offline_env(tmp_home: Path | None = None) -> dict[str, str]:
    """Environment for a child process that cannot reach any network: the hub endpoint points
    at a closed local port, so a download attempt fails at once instead of hanging."""
    env = dict(os.environ)
    env["HF_ENDPOINT"] = "http://127.0.0.1:9"
    env["NO_PROXY"] = "*"
    env.pop("HF_HUB_OFFLINE", None)
    if tmp_home is not None:
        env["HF_HOME"] = str(tmp_home)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random MarianMT model with a real sentencepiece tokenizer trained on samples/,
    saved with save_pretrained and loaded by path like any real model."""
    from pipeline.testing import build_marian

    return build_marian(tmp_path_factory.mktemp("tiny-marian"))


@pytest.fixture(scope="session")
def tiny_bart_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random BART summarization model with a byte-level BPE tokenizer trained on the
    samples' English, saved with save_pretrained; its 64-token window makes articles chunk."""
    from pipeline.testing import build_bart

    return build_bart(tmp_path_factory.mktemp("tiny-bart"))


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run `python -m pipeline ARGS` in a child process with the network off."""

    def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 120):
        return subprocess.run(
            [sys.executable, "-m", "pipeline", *args],
            cwd=cwd,
            env=env or offline_env(tmp_path / "hf-home"),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
