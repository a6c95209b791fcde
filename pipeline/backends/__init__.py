"""Translation engines behind one interface, loaded by name and cached once per process."""

from __future__ import annotations

import importlib
from typing import Any

from pipeline.backends.base import Backend, GenerationSettings, Translation
from pipeline.errors import ConfigError

__all__ = ["BACKENDS", "Backend", "GenerationSettings", "Translation", "load_backend"]

# name -> "module:Class"; a backend imports its engine only when first used.
BACKENDS = {
    "transformers": "pipeline.backends.transformers_backend:TransformersBackend",
    "ctranslate2": "pipeline.backends.ctranslate2_backend:CTranslate2Backend",
}

_LOADED: dict[tuple, Any] = {}


def load_backend(name: str, model: str, **options: Any) -> Any:
    """The backend `name` for `model`, loaded once per process for the same options."""
    if name not in BACKENDS:
        raise ConfigError(f"unknown backend '{name}'; choose one of: {', '.join(BACKENDS)}.")
    key = (name, model, tuple(sorted((k, repr(v)) for k, v in options.items())))
    if key not in _LOADED:
        module_name, _, cls_name = BACKENDS[name].partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            extra = "fast" if name == "ctranslate2" else ""
            hint = f"install it with `pip install 'tarjama[{extra}]'`" if extra else "reinstall tarjama"
            raise ConfigError(f"backend '{name}' needs the package '{err.name}', which is not installed; {hint}.") from None
        _LOADED[key] = getattr(module, cls_name)(model, **options)
    return _LOADED[key]
