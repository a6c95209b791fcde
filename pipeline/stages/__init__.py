"""The stage registry: stages register by name with what they need and what they add."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.registry import Registry

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
    needs_model: bool = False  # runs the translation model (the pipeline loads it before such a stage)
    shares: tuple[str, ...] = ()  # config sections beside its own that it reads, such as "generation"


REGISTRY: Registry[StageSpec] = Registry("stage", STAGE_MODULES)


def stage(
    name: str,
    *,
    requires: tuple[str, ...] = (),
    provides: tuple[str, ...] = (),
    needs_model: bool = False,
    shares: tuple[str, ...] = (),
) -> Callable[[type], type]:
    """Register a settings dataclass with `__call__(doc) -> doc` as the stage `name`. Its fields are
    the settings of its own config section; `shares` names the other sections it reads (through
    the context its `setup(ctx)` gets), and `needs_model` says it runs the translation model."""

    def register(factory: type) -> type:
        REGISTRY.add(name, StageSpec(
            name=name,
            factory=factory,
            requires=requires,
            provides=provides,
            doc=(factory.__doc__ or "").strip().splitlines()[0] if factory.__doc__ else "",
            needs_model=needs_model,
            shares=shares,
        ), factory.__module__)
        return factory

    return register


def registry() -> dict[str, StageSpec]:
    """All registered stages, importing the built-in stage modules on first use."""
    return REGISTRY.all()


def get(name: str) -> StageSpec:
    return registry()[name]
