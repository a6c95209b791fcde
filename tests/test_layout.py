"""The shape of the code: no import cycle, no oversized module, stages that read only their own
and their declared shared config sections, and a backend added by one module and its registration."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline import stages as stage_registry
from pipeline.backends import REGISTRY as BACKENDS
from pipeline.backends import backend, registry
from pipeline.backends.base import GenerationSettings, Translation
from pipeline.config import shared_sections
from pipeline.errors import ConfigError
from pipeline.pipeline import Pipeline, StageContext

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
MAX_LINES = 700
# The one import allowed to close a loop: Document._repr_html_ renders itself for notebooks, on demand.
ALLOWED = {("pipeline.document", "_repr_html_", "pipeline.render")}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path) -> set[str]:
    """The pipeline modules `name` imports anywhere in it (inside functions too), allowed ones aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*parts, *([child.module] if child.module else [])])
                # `from pipeline.x import y` imports the module pipeline.x.y when there is one.
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in child.names]
            for target in targets:
                if target in MODULES and target != name and (name, function, target) not in ALLOWED:
                    found.add(target)
            visit(child, inner)

    visit(tree, None)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            connect(v)
    return found


def test_no_import_cycle_in_the_package() -> None:
    graph = {name: imports_of(name, path) for name, path in MODULES.items()}
    assert sum(len(targets) for targets in graph.values()) > 100  # the walk sees the imports
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_too_long() -> None:
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def private_uses(name: str, path: Path) -> list[str]:
    """`_names` of other pipeline modules that `name` imports or reaches into (`module._name`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{name}: from {node.module} import {alias.name}")
                if f"{node.module}.{alias.name}" in MODULES:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.update(alias.asname or alias.name for alias in node.names if alias.name.startswith("pipeline"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules \
                and node.attr.startswith("_") and not node.attr.startswith("__"):
            found.append(f"{name}: {node.value.id}.{node.attr}")
    return found


def test_no_private_name_crosses_a_module_boundary() -> None:
    assert [use for name, path in MODULES.items() for use in private_uses(name, path)] == []


# -- config sections ------------------------------------------------------------------------------


def test_every_stage_reads_only_its_section_and_the_shared_ones_it_names() -> None:
    specs = stage_registry.registry()
    shared = shared_sections()
    for spec in specs.values():
        assert set(spec.shares) <= set(shared), spec.name
        assert spec.name not in shared
        source = Path(__import__(spec.factory.__module__, fromlist=["_"]).__file__).read_text(encoding="utf-8")
        # A stage's settings are its fields; anything else comes through its StageContext.
        assert "stage_settings" not in source and ".config." not in source, spec.name
    model_stages = {name for name, spec in specs.items() if spec.needs_model}
    assert model_stages == {"translate", "align", "qa"}


def test_the_whole_pipeline_reads_only_declared_sections(tiny_model_dir, monkeypatch) -> None:
    read: dict[str, set[str]] = {}
    original = StageContext.shared

    def recording(self: StageContext, section: str):
        read.setdefault(self._spec.name, set()).add(section)
        return original(self, section)

    monkeypatch.setattr(StageContext, "shared", recording)
    nlp = Pipeline.from_config(model=str(tiny_model_dir),
                               sets=["generation.num_beams=1", "generation.max_new_tokens=8", "device=cpu"])
    doc = nlp((ROOT / "samples" / "naas-coalition-bases.ar.txt").read_text(encoding="utf-8"))
    assert doc.summary is not None and all(s.translation is not None for s in doc.sentences)
    specs = stage_registry.registry()
    for name, sections in read.items():
        assert sections <= set(specs[name].shares), name
    assert {"segment", "translate"} <= set(read)  # the record is real


def test_a_stage_reading_an_undeclared_section_is_refused(monkeypatch) -> None:
    stage_registry.registry()
    monkeypatch.setattr(stage_registry.REGISTRY, "entries", dict(stage_registry.REGISTRY.entries))

    @stage_registry.stage("peek", requires=("sentences",))
    @dataclass
    class Peek:
        """Reads generation without saying so."""

        _ctx: object = field(default=None, repr=False)

        def setup(self, ctx: StageContext) -> None:
            self._ctx = ctx
            ctx.generation  # noqa: B018 - the read is the test

        def __call__(self, doc):
            return doc

    with pytest.raises(ConfigError, match="stage 'peek' reads the config section 'generation' without naming it"):
        Pipeline.from_config(stages="normalize,segment,peek")


# -- a backend is one module and its registration ---------------------------------------------------


@pytest.fixture
def echo_backend(monkeypatch):
    """A backend registered as a new module would register it: an options dataclass and a class."""
    registry()
    monkeypatch.setattr(BACKENDS, "entries", dict(BACKENDS.entries))

    @dataclass
    class EchoOptions:
        prefix: str = "EN:"

    @backend("echo", options=EchoOptions)
    @dataclass
    class EchoBackend:
        model_id: str
        revision: str | None = None
        device: str = "auto"
        prefix: str = "EN:"
        name: str = "echo"
        max_source_tokens: int = 512

        def translate(self, texts: list[str], settings: GenerationSettings) -> list[Translation]:
            return [Translation(f"{self.prefix} {len(t.split())} words", 3) for t in texts]

        def count_tokens(self, text: str) -> int:
            return len(text.split()) + 1

        def describe(self) -> dict[str, str]:
            return {"model": self.model_id, "backend": self.name, "device": "cpu"}

    return EchoBackend


def test_a_registered_backend_gets_a_config_section_and_translates(echo_backend) -> None:
    nlp = Pipeline.from_config(backend="echo", model="any", stages="normalize,segment,quotes,translate,align,qa",
                               sets=["echo.prefix=ECHO"])
    assert nlp.config.backend_options.prefix == "ECHO"
    doc = nlp("قال الوزير إن \"الوضع مستقر\". وأضاف أن المحادثات مستمرة.")
    assert all(s.translation.startswith("ECHO ") for s in doc.sentences)
    assert doc.provenance["backend"] == "echo"
    with pytest.raises(ConfigError, match=r"unknown key 'echo.prefx' \(did you mean 'prefix'\?\)"):
        Pipeline.from_config(backend="echo", sets=["echo.prefx=x"])
