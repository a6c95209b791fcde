"""The batch package's shape: one concept per module said in its docstring, small modules, no private names across modules, no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline" / "batch"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str]) -> list[tuple[str, str, int]]:
    """(module, name, line) of every import in the file, those inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.append((child, "", node.lineno) if child in modules else (node.module, alias.name, node.lineno))
    return found


def pipeline_modules() -> dict[str, Path]:
    return {module_name(p): p for p in (ROOT / "pipeline").rglob("*.py")}


def test_each_module_says_what_it_does_and_stays_small():
    for path in sorted(PACKAGE.glob("*.py")):
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring and docstring.splitlines()[0].endswith("."), f"{path.name}: no one-line docstring"
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, f"{path.name} holds more than one concept"


def test_no_private_name_crosses_a_module_boundary():
    modules = pipeline_modules()
    for name, path in modules.items():
        for module, imported, line in imports(path, set(modules)):
            touches_batch = name.startswith("pipeline.batch") or module.startswith("pipeline.batch")
            if touches_batch and module.startswith("pipeline"):
                assert not imported.startswith("_"), f"{path.relative_to(ROOT)}:{line} imports {module}.{imported}"


def test_only_the_pipeline_touches_its_contexts_backend():
    """Batch, bench, Ray and the tests use Pipeline.split, meter and use_backend instead."""
    owner = ROOT / "pipeline" / "pipeline.py"
    for folder in ("pipeline", "tests", "benchmarks", "eval"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == owner:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                assert not (isinstance(node, ast.Attribute) and node.attr == "_backend"), \
                    f"{path.relative_to(ROOT)}:{node.lineno} reaches into a context's backend"


def test_no_import_cycle_runs_through_the_batch_package():
    modules = pipeline_modules()
    edges = {name: {m for m, _, _ in imports(path, set(modules)) if m in modules and m != name}
             for name, path in modules.items()}
    # Every module the batch package reaches must not reach the batch module it came from.
    for start in (m for m in modules if m.startswith("pipeline.batch.")):
        seen, todo = set(), list(edges[start])
        while todo:
            current = todo.pop()
            assert current != start, f"{start} imports itself through its imports"
            if current not in seen:
                seen.add(current)
                todo.extend(edges[current])
