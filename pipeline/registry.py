"""Registries: the stages, backends and output formats that modules add by name as they are imported."""

from __future__ import annotations

import importlib
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries added by name, each by the module that defines it. The built-in modules are imported
    on first read (so importing the registry's package stays light), and the built-in entries
    come first in their modules' order, whichever module was imported first; others follow in the
    order they were added."""

    def __init__(self, kind: str, modules: tuple[str, ...]) -> None:
        self.kind = kind  # what an entry is, for messages: "stage", "backend", "format"
        self.modules = modules
        self.entries: dict[str, tuple[str, T]] = {}  # name -> (the module that added it, the entry)

    def add(self, name: str, entry: T, module: str) -> None:
        self.entries[name] = (module, entry)

    def all(self) -> dict[str, T]:
        for module in self.modules:
            importlib.import_module(module)
        ordered = sorted(self.entries.items(), key=lambda item: self._rank(item[1][0]))
        return {name: entry for name, (_, entry) in ordered}

    def _rank(self, origin: str) -> int:
        """The place of the built-in module (or package, such as pipeline.stages.quotes) `origin` is in."""
        return next((i for i, module in enumerate(self.modules)
                     if origin == module or origin.startswith(module + ".")), len(self.modules))
