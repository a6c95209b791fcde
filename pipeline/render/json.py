"""The json format: the whole Document as `Document.to_json` writes it, which `tarjama render` reads back."""

from __future__ import annotations

from pipeline.document import Document
from pipeline.render import renderer


# No options: the json is the document contract, whole (flags_only does not cut it).
@renderer("json", suffixes=(".json",))
def render_json(doc: Document) -> str:
    return doc.to_json()
