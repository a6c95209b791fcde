"""The ntrex-dev documents (56 NTREX-128 news articles, professional translations) read once and aligned in process.

`../shared/ntrex-dev/` (next to the repository) holds, per document, the Arabic
(`parallel/NAME.ar.txt`), its professional English in two layouts (`parallel/NAME.en.txt`, the
English in the Arabic's paragraphs; `parallel-free/NAME.en.txt`, reflowed into paragraphs of its
own) and gold sentence and quotation pairs (`NAME.gold.json`); see its SOURCE.md (CC BY-SA 4.0).
The Arabic is read, segmented and quoted once per document by the same pipeline as `tarjama
align` (pipeline.align.reference); each alignment starts from a copy.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from eval.common import ROOT
from pipeline.document import Document

SHARED = ROOT.parent / "shared"
NTREX = SHARED / "ntrex-dev"
LAYOUTS = {"parallel": "same paragraphs", "parallel-free": "reflowed"}


@dataclass
class NtrexDocument:
    name: str
    arabic_path: Path
    arabic: Document  # read, segmented and quoted; copy before changing

    def english(self, layout: str = "parallel") -> str:
        return (NTREX / layout / f"{self.name}.en.txt").read_text(encoding="utf-8")

    def gold_path(self, layout: str = "parallel") -> Path:
        return NTREX / layout / f"{self.name}.gold.json"

    def gold(self) -> dict:
        return json.loads(self.gold_path().read_text(encoding="utf-8"))

    def align(self, english: str, *, qa: bool = False) -> Document:
        """A copy of the Arabic aligned with `english` as `tarjama align` does, checked by the qa stage with `qa`."""
        from pipeline.align.reference import align_document

        doc = copy.deepcopy(self.arabic)
        align_document(doc, english)
        if qa:
            from pipeline.stages.qa import QA

            doc.provenance["stages"] = ["normalize", "segment", "quotes", "align"]
            QA()(doc)
        return doc


def available() -> bool:
    return (NTREX / "parallel").is_dir()


@cache
def documents() -> tuple[NtrexDocument, ...]:
    from pipeline.align.reference import _arabic_pipeline

    nlp = _arabic_pipeline(None)
    out = []
    for gold in sorted((NTREX / "parallel").glob("*.gold.json")):
        name = gold.name.removesuffix(".gold.json")
        path = NTREX / "parallel" / f"{name}.ar.txt"
        out.append(NtrexDocument(name, path, nlp.read(path)))
    return tuple(out)


@cache
def scorer() -> ModuleType:
    """`../shared/tools/align_score.py`, the scorer the hidden sets are scored with."""
    path = SHARED / "tools" / "align_score.py"
    spec = importlib.util.spec_from_file_location("align_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
