"""An Arabic article aligned with an existing English translation: sentences, quotations and speakers' names, with no MT model."""

from __future__ import annotations

import copy
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline.align.quotes import align_reference_quotes, quotations
from pipeline.align.sentences import align_sentences
from pipeline.align.transliteration import find_name
from pipeline.document import Document
from pipeline.errors import InputError, UsageError

ARABIC_STAGES = ("normalize", "segment", "quotes")

def name_speakers(doc: Document) -> None:
    """Each speaker's English name: the words of the aligned English whose consonants match the
    Arabic name's (Myles Caggins for مايلز كاغينز); None where no such words are found."""
    cache: dict[str, str | None] = {}
    for q in quotations(doc):
        speaker = q.speaker
        if speaker is None or speaker.english:
            continue
        if speaker.name not in cache:
            cache[speaker.name] = _english_name(doc, speaker.name, speaker.mention)
        speaker.english = cache[speaker.name]


def _english_name(doc: Document, name: str, mention: str) -> str | None:
    for arabic in dict.fromkeys([name, mention]):
        if not arabic:
            continue
        for m in re.finditer(re.escape(arabic), doc.text):
            sentence = next((s for s in doc.sentences or [] if s.start <= m.start() < s.end), None)
            if sentence is None or not sentence.translation:
                continue
            found = find_name(arabic, sentence.translation)
            if found:
                return found
    return None



# -- the whole job ------------------------------------------------------------------------------------


def read_english(path: str | Path) -> str:
    """An English text file: UTF-8 (with or without BOM), else Windows-1252 as a last resort."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path} does not exist; give the path of the English translation.")
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give the English translation file.")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save the English translation as UTF-8.") from None


def _arabic_pipeline(config: Any, stages: Sequence[str] = ARABIC_STAGES) -> Any:
    from pipeline.config import Config, load_config
    from pipeline.pipeline import Pipeline
    from pipeline.stages import registry

    cfg = copy.deepcopy(config) if isinstance(config, Config) else load_config(config)
    known = registry()
    return Pipeline(cfg, stages=[s for s in stages if s in known and s in ARABIC_STAGES])


def align_document(doc: Document, english_text: str, *, reference: str = "reference") -> Document:
    """Fill a segmented Arabic document (with quotations) from an English translation: each
    sentence's `translation`, each quotation's English span, each speaker's English name."""
    alignment = align_sentences(doc, english_text)
    for sentence, english in zip(doc.sentences or [], alignment.english, strict=True):
        sentence.translation = english or ""
    align_reference_quotes(doc, alignment)
    name_speakers(doc)
    if alignment.unaligned:
        doc.meta["unaligned_english"] = alignment.unaligned
    doc.provenance.update({"model": f"reference:{reference}", "backend": "reference"})
    doc.provenance["align"] = {"methods": dict(Counter(q.translation.method for q in quotations(doc)
                                                        if q.translation))}
    return doc


def align_reference(ar_path: str | Path, en_path: str | Path, config: Any = None, *,
                    stages: Sequence[str] | None = None, on_stage: Callable[[str], None] | None = None) -> Document:
    """Read, segment and quote the Arabic article, then align it with the English translation
    at `en_path`; runs the qa stage afterwards when one is registered. `config` is a Config, the
    path of a config file, or None for the default; `stages` (default: all of normalize,
    segment, quotes and qa) may leave out quotes or qa. `on_stage(name)` is called as each stage
    starts (a progress line)."""
    from pipeline.pipeline import AnnouncedStage

    chosen = list(stages) if stages is not None else [*ARABIC_STAGES, "qa"]
    nlp = _arabic_pipeline(config, chosen)
    if on_stage is not None:
        nlp.stages = [(name, AnnouncedStage(name, component, on_stage)) for name, component in nlp.stages]
    english = read_english(en_path)
    doc = nlp.read(ar_path)
    if on_stage is not None:
        on_stage("align")
    started = time.perf_counter()
    align_document(doc, english, reference=str(en_path))
    doc.provenance.setdefault("timings_s", {})["align"] = round(time.perf_counter() - started, 4)
    doc.provenance["stages"] = [*nlp.stage_names, "align"]
    if "qa" in chosen:
        if on_stage is not None:
            on_stage("qa")
        _run_qa(doc, nlp)
    return doc


def _run_qa(doc: Document, nlp: Any) -> None:
    """The qa stage on the aligned document, when one is registered (it needs no model here)."""
    from pipeline.stages import registry

    if "qa" not in registry():
        return
    component = nlp.build_stage("qa")
    started = time.perf_counter()
    component(doc)
    doc.provenance["timings_s"]["qa"] = round(time.perf_counter() - started, 4)
    doc.provenance["stages"].append("qa")
