"""tarjama: an Arabic-to-English news pipeline (import name `pipeline`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.version import __version__

__all__ = ["Document", "Pipeline", "__version__"]

if TYPE_CHECKING:
    from pipeline.document import Document
    from pipeline.pipeline import Pipeline


def __getattr__(name: str):
    # Lazy so that `import pipeline` stays light (no torch, no transformers).
    if name == "Document":
        from pipeline.document import Document

        return Document
    if name == "Pipeline":
        from pipeline.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)
