"""Translation QA: rules that flag the sentences a reader must check, and counts of their flags."""

from __future__ import annotations

from collections import Counter

from pipeline.document import Document
from pipeline.qa.rules import RULES, Rule

__all__ = ["RULES", "Rule", "count_flags", "summarize"]


def count_flags(doc: Document) -> dict[str, int]:
    """Flags per rule over the document's sentences (rules with none left out)."""
    counts: Counter[str] = Counter()
    for sentence in doc.sentences or []:
        counts.update(flag.rule for flag in sentence.flags or [])
    return dict(sorted(counts.items()))


def summarize(doc: Document) -> dict[str, object]:
    """The `qa` summary of a checked document: flags, flags per rule and severity, sentences flagged."""
    sentences = doc.sentences or []
    severities: Counter[str] = Counter(f.severity for s in sentences for f in s.flags or [])
    return {
        "flags": sum(len(s.flags or []) for s in sentences),
        "by_rule": count_flags(doc),
        "by_severity": dict(sorted(severities.items())),
        "sentences_flagged": sum(1 for s in sentences if s.flags),
        "sentences": len(sentences),
    }
