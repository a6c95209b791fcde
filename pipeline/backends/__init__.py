"""Translation engines behind one interface: registered by name with their options, loaded once per process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.backends.base import Backend, GenerationSettings, Translation
from pipeline.errors import ConfigError
from pipeline.registry import Registry

__all__ = ["REGISTRY", "Backend", "BackendSpec", "GenerationSettings", "Translation", "backend", "get", "load_backend",
           "registry"]

# Every built-in backend module; importing one registers its backend. None imports its engine
# (torch, ctranslate2) at module level, so config validation stays cheap.
BACKEND_MODULES = (
    "pipeline.backends.transformers_backend",
    "pipeline.backends.ctranslate2_backend",
)


@dataclass(frozen=True)
class BackendSpec:
    """A registered backend: `factory(model, revision=, device=, **options)` builds it; `options` is
    the dataclass of its config section (named after the backend); `extra` is the pip extra that
    installs its engine."""

    name: str
    factory: type
    options: type
    extra: str | None = None


REGISTRY: Registry[BackendSpec] = Registry("backend", BACKEND_MODULES)
_LOADED: dict[tuple, Any] = {}


def backend(name: str, *, options: type, extra: str | None = None) -> Callable[[type], type]:
    """Register a backend class as `name`, with the dataclass of its config section."""

    def register(factory: type) -> type:
        REGISTRY.add(name, BackendSpec(name=name, factory=factory, options=options, extra=extra), factory.__module__)
        return factory

    return register


def registry() -> dict[str, BackendSpec]:
    """All registered backends, importing the built-in backend modules on first use."""
    return REGISTRY.all()


def get(name: str) -> BackendSpec:
    specs = registry()
    if name not in specs:
        raise ConfigError(f"unknown backend '{name}'; choose one of: {', '.join(specs)}.")
    return specs[name]


def load_backend(name: str, model: str, *, revision: str | None = None, device: str = "auto",
                 options: Any = None) -> Any:
    """The backend `name` for `model`, loaded once per process for the same options (an instance of
    the backend's options dataclass; its defaults when None)."""
    spec = get(name)
    values = asdict(options if options is not None else spec.options())
    key = (name, model, revision, device, tuple(sorted((k, repr(v)) for k, v in values.items())))
    if key not in _LOADED:
        try:
            _LOADED[key] = spec.factory(model, revision=revision, device=device, **values)
        except ModuleNotFoundError as err:
            hint = f"install it with `pip install 'tarjama[{spec.extra}]'`" if spec.extra else "reinstall tarjama"
            raise ConfigError(f"backend '{name}' needs the package '{err.name}', which is not installed; {hint}.") from None
    return _LOADED[key]
