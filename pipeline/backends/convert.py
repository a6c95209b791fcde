"""Convert a Marian model to CTranslate2 once, and keep the result in a cache keyed by revision and quantization."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from pipeline.errors import ModelError
from pipeline.models import check_seq2seq, resolve_model

log = logging.getLogger(__name__)

# CTranslate2 weight types a model can be converted to (the compute types of the same names).
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")


def cache_root() -> Path:
    """$TARJAMA_CACHE/ct2 when set, else a `tarjama/ct2` folder beside the Hugging Face hub cache."""
    if os.environ.get("TARJAMA_CACHE"):
        return Path(os.environ["TARJAMA_CACHE"]).expanduser() / "ct2"
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE).expanduser().parent / "tarjama" / "ct2"


def source_revision(path: Path) -> str:
    """The snapshot hash of a hub model, else a fingerprint of a local folder.

    The fingerprint covers each file's name, size and modification time (not its bytes, so a
    300 MB model is not read on every start): an edited or replaced model gets a new conversion.
    """
    parts = path.resolve().parts
    if "snapshots" in parts and parts.index("snapshots") + 1 < len(parts):
        return parts[parts.index("snapshots") + 1]
    digest = hashlib.sha256(str(path.resolve()).encode())
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        stat = file.stat()
        digest.update(f"{file.relative_to(path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return "local-" + digest.hexdigest()[:16]


def converted_dir(model: str, revision: str, quantization: str) -> Path:
    """Where the conversion of `model` at `revision` with `quantization` lives in the cache."""
    name = Path(model).name if Path(model).expanduser().exists() else model
    safe = re.sub(r"[^A-Za-z0-9._-]+", "--", name).strip("-.") or "model"
    return cache_root() / f"{safe}-{revision[:16]}-{quantization}"


def convert_model(model: str, revision: str | None = None, quantization: str = "int8") -> Path:
    """The CTranslate2 folder of `model` (hub id or local folder) with `quantization` weights,
    converting it on first use and reusing the cached result afterwards."""
    if quantization not in QUANTIZATIONS:
        raise ModelError(
            f"cannot convert model '{model}' to quantization '{quantization}'; choose one of: {', '.join(QUANTIZATIONS)}."
        )
    source = resolve_model(model, revision)
    check_seq2seq(source, model)
    target = converted_dir(model, source_revision(source), quantization)
    if (target / "model.bin").is_file():
        return target
    return _convert(model, source, target, quantization)


def _convert(model: str, source: Path, target: Path, quantization: str) -> Path:
    try:
        from ctranslate2.converters import TransformersConverter
    except ModuleNotFoundError:
        raise ModelError(
            "converting a model for the ctranslate2 backend needs the package 'ctranslate2'; "
            "install it with `pip install 'tarjama[fast]'`."
        ) from None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ModelError(
            f"cannot create the CTranslate2 cache folder {target.parent} ({err.strerror}); "
            "set TARJAMA_CACHE to a writable folder."
        ) from None
    log.info("converting model '%s' to CTranslate2 (%s) into %s", model, quantization, target)
    # Convert into a private folder and rename it into place: a crash or a second process
    # converting at the same time never leaves a half-written model where a reader looks.
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        TransformersConverter(str(source)).convert(str(work), quantization=quantization, force=True)
        if target.exists() and not (target / "model.bin").is_file():
            shutil.rmtree(target)  # a damaged earlier conversion
        try:
            os.replace(work, target)
        except OSError:
            if not (target / "model.bin").is_file():
                raise
            # Another process finished the same conversion first; keep its copy.
    except Exception as err:
        raise ModelError(
            f"model '{model}' could not be converted to CTranslate2 ({quantization}) "
            f"({type(err).__name__}: {err}); check that it is a MarianMT model, or use backend: transformers."
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
