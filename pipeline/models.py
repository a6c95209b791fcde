"""Finding a model on disk: a local folder, the Hugging Face cache, or a download from the hub."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from urllib.parse import urlparse

from pipeline.errors import ModelError

# Files a seq2seq model needs; weights are chosen separately so only one format is fetched.
_SUPPORT_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.tiktoken"]


def is_local(model: str) -> bool:
    return Path(model).expanduser().exists() or model.startswith((".", "/", "~"))


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def _missing(model: str, why: str) -> ModelError:
    return ModelError(
        f"model '{model}' is not in the local Hugging Face cache and {why}; "
        f"run `tarjama models download {model}` on a machine with network (then copy its Hugging Face "
        "cache here and set HF_HUB_OFFLINE=1), or set `model:` (or --model) to a local folder that holds the model."
    )


def hub_reachable(timeout: float = 3.0) -> bool:
    """A quick TCP check of the hub, so a machine with no network fails in seconds, not minutes."""
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    parsed = urlparse(endpoint)
    host = parsed.hostname or "huggingface.co"
    port = parsed.port or (443 if parsed.scheme != "http" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def cached_snapshot(model: str, revision: str | None = None) -> Path | None:
    from huggingface_hub import snapshot_download

    try:
        path = snapshot_download(model, revision=revision, local_files_only=True)
    except Exception:
        return None
    return Path(path)


def download(model: str, revision: str | None = None) -> Path:
    """Fetch a model from the hub into the standard cache (config, tokenizer, one weights format)."""
    if offline():
        raise _missing(model, "HF_HUB_OFFLINE is set")
    if not hub_reachable():
        raise _missing(model, "the Hugging Face hub cannot be reached from this machine")
    from huggingface_hub import HfApi, snapshot_download

    # A first run fetches a few hundred MB: say so rather than sit silent.
    print(f"tarjama: downloading model '{model}' from the Hugging Face hub (once; it is cached)", file=sys.stderr)

    try:
        files = HfApi().list_repo_files(model, revision=revision)
        weights = (
            ["*.safetensors"]
            if any(f.endswith(".safetensors") for f in files)
            else ["pytorch_model*.bin", "*.bin.index.json"]
        )
        path = snapshot_download(model, revision=revision, allow_patterns=_SUPPORT_FILES + weights)
    except Exception as err:
        name = type(err).__name__
        if "RepositoryNotFound" in name or "NotFound" in name:
            raise ModelError(
                f"model '{model}' does not exist on the Hugging Face hub; check the name or give a local folder."
            ) from None
        raise ModelError(f"could not download model '{model}' ({err}); check the network and try again.") from None
    return Path(path)


def resolve_model(model: str, revision: str | None = None, *, allow_download: bool = True) -> Path:
    """Return the local folder of `model`: itself if it is a path, else the cached snapshot,
    else a fresh download. Raises ModelError with the fix when none of those works."""
    if is_local(model):
        path = Path(model).expanduser()
        if not path.is_dir():
            raise ModelError(f"model folder '{model}' does not exist; give a folder made by save_pretrained or a hub id.")
        if not (path / "config.json").exists():
            raise ModelError(
                f"model folder '{model}' has no config.json; it is not a saved model "
                "(save one with save_pretrained, or give a hub id)."
            )
        return path
    cached = cached_snapshot(model, revision)
    if cached is not None and (cached / "config.json").exists():
        return cached
    if not allow_download:
        raise _missing(model, "downloads are off here")
    return download(model, revision)


def read_model_config(path: Path, model: str) -> dict:
    try:
        return json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(f"model '{model}' has an unreadable config.json ({err}); download it again.") from None


def check_seq2seq(path: Path, model: str) -> dict:
    """The model must be an encoder-decoder for translation, not e.g. a BERT or a GPT."""
    config = read_model_config(path, model)
    if not config.get("is_encoder_decoder", False):
        kind = config.get("model_type", "unknown")
        raise ModelError(
            f"model '{model}' is a '{kind}' model, not a sequence-to-sequence translation model; "
            "use a MarianMT model such as Helsinki-NLP/opus-mt-ar-en."
        )
    return config


def model_revision(path: Path) -> str:
    """The snapshot hash for a hub model, else 'local'."""
    parts = path.resolve().parts
    if "snapshots" in parts:
        return parts[parts.index("snapshots") + 1]
    return "local"
