"""The stage registry: stages register by name with what they need and what they add."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Every built-in stage module; importing one registers its stage. None of them imports torch at
# module level, so the registry (and config validation) stays cheap.
STAGE_MODULES = (
    "pipeline.stages.normalize",
    "pipeline.stages.segment",
    "pipeline.stages.quotes",
    "pipeline.stages.translate",
    "pipeline.stages.align",
    "pipeline.stages.qa",
    "pipeline.stages.summarize",
    "pipeline.stages.render",
)


@dataclass(frozen=True)
class StageSpec:
    """A registered stage: `factory` is a dataclass whose fields are the stage's settings and
    whose instances are callables `Document -> Document`."""

    name: str
    factory: type
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    doc: str


_REGISTRY: dict[str, StageSpec] = {}


def stage(
    name: str, *, requires: tuple[str, ...] = (), provides: tuple[str, ...] = ()
) -> Callable[[type], type]:
    """Register a settings dataclass with `__call__(doc) -> doc` as the stage `name`."""

    def register(factory: type) -> type:
        _REGISTRY[name] = StageSpec(
            name=name,
            factory=factory,
            requires=requires,
            provides=provides,
            doc=(factory.__doc__ or "").strip().splitlines()[0] if factory.__doc__ else "",
        )
        return factory

    return register


def registry() -> dict[str, StageSpec]:
    """All registered stages, importing the built-in stage modules on first use."""
    for module in STAGE_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
    return dict(_REGISTRY)


def get(name: str) -> StageSpec:
    return registry()[name]


def build(name: str, settings: dict[str, Any]) -> Any:
    return get(name).factory(**settings)
