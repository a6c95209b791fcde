"""Pipeline: the configured stages, built once, run over one document or many."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import stages as stage_registry
from pipeline.backends.base import GenerationSettings
from pipeline.backends.metered import MeteredBackend
from pipeline.config import Config, GlobalSettings, check_order, load_config
from pipeline.document import Document, Source
from pipeline.errors import ConfigError, StageError, TarjamaError
from pipeline.version import __version__


@dataclass
class Context:
    """What stages share: the config, the translation backend (loaded on first use) and an
    optional translation cache."""

    config: Config
    cache: Any = None
    _backend: Any = field(default=None, repr=False)

    def backend(self) -> Any:
        if self._backend is None:
            from pipeline.backends import load_backend

            s = self.config.settings
            self._backend = load_backend(s.backend, s.model, revision=s.revision, device=s.device,
                                         options=self.config.backend_options)
        return self._backend

    def use_backend(self, backend: Any) -> None:
        """Translate with `backend` from now on instead of the configured model (a metered wrapper,
        a scripted backend in a test)."""
        self._backend = backend


class StageContext:
    """What one stage may reach: the translation model and cache, the run's global settings and
    stage list, and the shared config sections its registration names (`shares`), no other."""

    def __init__(self, context: Context, spec: stage_registry.StageSpec) -> None:
        self._context = context
        self._spec = spec

    def backend(self) -> Any:
        return self._context.backend()

    @property
    def cache(self) -> Any:
        return self._context.cache

    @property
    def settings(self) -> GlobalSettings:
        return self._context.config.settings

    @property
    def stages(self) -> list[str]:
        return self._context.config.stages

    def shared(self, section: str) -> Any:
        if section not in self._spec.shares:
            raise ConfigError(f"stage '{self._spec.name}' reads the config section '{section}' without naming it "
                              "in its registration; add it to the stage's `shares`.")
        return self._context.config.section(section)

    @property
    def generation(self) -> GenerationSettings:
        return self.shared("generation")


class Pipeline:
    """The stages of a config, in order. `nlp = Pipeline.from_config(...)`, then `nlp(text)`,
    `nlp.read(path)` or `nlp.pipe(texts)`."""

    def __init__(self, config: Config, *, stages: list[str] | None = None) -> None:
        if stages is not None:
            config.settings.stages = list(stages)
        check_order(config.stages)
        self.config = config
        self.context = Context(config)
        self.stages: list[tuple[str, Any]] = []
        for name in config.stages:
            if name == "render":
                continue  # rendering happens on the finished document, outside the stage list
            self.stages.append((name, self.build_stage(name)))

    @classmethod
    def from_config(
        cls,
        path: str | Path | None = None,
        *,
        model: str | None = None,
        backend: str | None = None,
        stages: list[str] | str | None = None,
        sets: list[str] | tuple[str, ...] = (),
    ) -> Pipeline:
        overrides: dict[str, Any] = {"model": model, "backend": backend}
        if isinstance(stages, str):
            stages = [s.strip() for s in stages.split(",") if s.strip()]
        if stages is not None:
            if not stages:
                raise ConfigError("--stages names no stage; give a comma-separated list such as normalize,segment.")
            overrides["stages"] = stages
        return cls(load_config(path, overrides=overrides, sets=sets))

    def build_stage(self, name: str) -> Any:
        """A fresh component of stage `name` with this config's settings, set up with its context
        (also for a stage that is not in the stage list, as `tarjama align` runs qa)."""
        component = copy.deepcopy(self.config.section(name))  # the validated settings object is the stage
        if hasattr(component, "setup"):
            component.setup(self.stage_context(name))
        return component

    def stage_context(self, name: str) -> StageContext:
        """The context a component of stage `name` is set up with."""
        return StageContext(self.context, stage_registry.get(name))

    @property
    def stage_names(self) -> list[str]:
        return [name for name, _ in self.stages]

    @property
    def uses_model(self) -> bool:
        """Whether a stage of this pipeline runs the translation model."""
        specs = stage_registry.registry()
        return any(specs[name].needs_model for name in self.stage_names)

    # -- for batch, bench and Ray: the split, the metered backend, an injected backend ------------
    def split(self) -> tuple[Pipeline, Pipeline]:
        """The pipeline cut before its first model stage: the front (model-free: reading-side stages
        that a reader thread or a CPU task runs) and the back (the model stages and what follows).
        Both share this pipeline's config, context and loaded model."""
        specs = stage_registry.registry()
        cut = next((i for i, name in enumerate(self.stage_names) if specs[name].needs_model), len(self.stages))
        front, back = copy.copy(self), copy.copy(self)
        front.stages, back.stages = self.stages[:cut], self.stages[cut:]
        return front, back

    def meter(self) -> MeteredBackend:
        """Load the backend (once), wrap it to measure model time and tokens, and use the wrapper
        from now on; calling it again returns the same wrapper."""
        backend = self.context.backend()
        if not isinstance(backend, MeteredBackend):
            backend = MeteredBackend(backend)
            self.context.use_backend(backend)
        return backend

    def use_backend(self, backend: Any) -> None:
        """Translate with `backend` (any object with the Backend interface) instead of loading the
        configured model: tests inject a scripted one."""
        self.context.use_backend(backend)

    # -- running --------------------------------------------------------------------------
    def __call__(self, text: str | Document) -> Document:
        doc = text if isinstance(text, Document) else Document(text=text, original=text, source=Source(encoding="utf-8"))
        return self.run(doc)

    def read(self, path: str | Path) -> Document:
        from pipeline.reader import read_file

        return self.run(read_file(path, max_bytes=int(self.config.settings.max_input_mb * 1_000_000)))

    def run(self, doc: Document) -> Document:
        return self.run_many([doc])[0]

    def pipe(self, texts: Iterable[str | Document], *, batch_size: int = 8) -> Iterator[Document]:
        """Run over many documents; translation batches sentences across `batch_size` documents."""
        batch: list[Document] = []
        for item in texts:
            batch.append(item if isinstance(item, Document) else Document(text=item, original=item))
            if len(batch) >= batch_size:
                yield from self.run_many(batch)
                batch = []
        if batch:
            yield from self.run_many(batch)

    def run_many(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            self._stamp(doc)
        for name, component in self.stages:
            started = time.perf_counter()
            try:
                if hasattr(component, "translate_many"):
                    docs = component.translate_many(docs)
                else:
                    docs = [component(doc) for doc in docs]
            except TarjamaError:
                raise
            except Exception as err:
                where = docs[0].source.path if len(docs) == 1 and docs[0].source.path else "the document"
                raise StageError(f"stage '{name}' failed on {where} ({type(err).__name__}: {err}); "
                                 "rerun with --debug for the traceback.") from err
            elapsed = (time.perf_counter() - started) / max(1, len(docs))
            for doc in docs:
                doc.provenance.setdefault("timings_s", {})[name] = round(elapsed, 4)
        return docs

    def _stamp(self, doc: Document) -> None:
        doc.provenance.update({
            "tarjama": __version__,
            "stages": self.stage_names,
            "config_sha256": self.config.sha256(),
        })
        if self.uses_model:
            doc.provenance.setdefault("model", self.config.settings.model)
            doc.provenance.setdefault("backend", self.config.settings.backend)


class AnnouncedStage:
    """A stage that calls `announce(name)` as it starts, for a progress line; otherwise the stage itself."""

    def __init__(self, name: str, component: Any, announce: Callable[[str], None]) -> None:
        self._name, self._component, self._announce = name, component, announce

    def __call__(self, doc: Document) -> Document:
        self._announce(self._name)
        return self._component(doc)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._component, attr)
