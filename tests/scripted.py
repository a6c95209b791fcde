"""Test doubles for translation: a backend that returns given English for given Arabic and records every call,
and documents built from real sentence pairs of the samples."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.backends.base import GenerationSettings, Translation
from pipeline.document import Document, Paragraph, Sentence

ROOT = Path(__file__).resolve().parent.parent


def _key(text: str) -> str:
    return " ".join(text.split())


@dataclass
class ScriptedBackend:
    """A Backend (pipeline/backends/base.py) that answers from tables instead of a model.

    `outputs` maps an Arabic text (whitespace-insensitive) to its English; `guarded` gives the
    English returned instead when the call's settings carry a repetition guard
    (no_repeat_ngram_size or repetition_penalty), so a retry can be scripted; `hit_max_length`
    lists texts whose generation "stopped at the length limit". `calls` records every call's
    texts and GenerationSettings. Inject it with `nlp.use_backend(ScriptedBackend(...))`."""

    outputs: dict[str, str]
    guarded: dict[str, str] = field(default_factory=dict)
    hit_max_length: set[str] = field(default_factory=set)
    default: str | None = None  # the English for a text in no table; None makes that an error
    name: str = "scripted"
    model_id: str = "scripted"
    max_source_tokens: int = 512
    calls: list[tuple[list[str], GenerationSettings]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.outputs = {_key(k): v for k, v in self.outputs.items()}
        self.guarded = {_key(k): v for k, v in self.guarded.items()}
        self.hit_max_length = {_key(k) for k in self.hit_max_length}

    def translate(self, texts: list[str], settings: GenerationSettings) -> list[Translation]:
        self.calls.append((list(texts), settings))
        guard = settings.no_repeat_ngram_size > 0 or settings.repetition_penalty != 1.0
        results = []
        for text in texts:
            key = _key(text)
            if guard and key in self.guarded:
                english = self.guarded[key]
            elif key in self.outputs:
                english = self.outputs[key]
            elif self.default is not None:
                english = self.default
            else:
                raise KeyError(f"ScriptedBackend has no English for {text!r}")
            results.append(Translation(english, tokens=len(english.split()), hit_max_length=key in self.hit_max_length))
        return results

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def describe(self) -> dict[str, str]:
        return {"model": self.model_id, "backend": self.name, "revision": "scripted"}


@cache
def reference_pairs(name: str) -> tuple[tuple[str, str], ...]:
    """(Arabic, English) sentence pairs of a sample: its gold sentences and its reference
    translation split into sentences (they go one for one)."""
    from eval.common import reference_sentences

    arabic = [s.strip() for s in (ROOT / "tests" / "gold" / f"{name}.sentences.txt").read_text(encoding="utf-8")
              .splitlines() if s.strip()]
    english = [s.strip() for line in (ROOT / "samples" / f"{name}.en.txt").read_text(encoding="utf-8").splitlines()
               for s in reference_sentences(line) if s.strip()]
    assert len(arabic) == len(english), f"{name}: {len(arabic)} Arabic and {len(english)} English sentences"
    return tuple(zip(arabic, english, strict=True))


def document_from_pairs(pairs: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> Document:
    """A translated Document with one sentence (and paragraph) per pair, as the translate stage leaves it."""
    text = "\n".join(arabic for arabic, _ in pairs)
    doc = Document(text=text, sentences=[], paragraphs=[])
    start = 0
    for i, (arabic, english) in enumerate(pairs, 1):
        doc.sentences.append(Sentence(f"s{i}", start, start + len(arabic), arabic, english))
        doc.paragraphs.append(Paragraph(f"p{i}", start, start + len(arabic), [f"s{i}"]))
        start += len(arabic) + 1
    return doc
