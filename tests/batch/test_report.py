"""The report: the end-of-run table with QA flags per rule and per document."""

from __future__ import annotations

import io

from pipeline.batch import Report, print_report
from pipeline.document import Document, Flag, Sentence


def test_report_table_counts_qa_flags_per_rule_and_document():
    from rich.console import Console

    from pipeline.batch.runner import flag_counts

    doc = Document(text="أ. ب.", sentences=[
        Sentence(id="s1", start=0, end=2, text="أ.", translation="A.",
                 flags=[Flag(rule="numbers", severity="warning", message="a number is missing")]),
        Sentence(id="s2", start=3, end=5, text="ب.", translation="B B B B",
                 flags=[Flag(rule="repetition", severity="error", message="a loop"),
                        Flag(rule="numbers", severity="warning", message="a number changed")]),
    ])
    assert flag_counts(doc) == {"numbers": 2, "repetition": 1}
    summary = Report(job="job.yaml", folder="out", run="r", model="m", backend="transformers", stages=["qa"],
                     done=1, qa_per_rule={"numbers": 2, "repetition": 1},
                     qa_per_document={"article-1": {"numbers": 2, "repetition": 1}})
    console = Console(width=100, file=io.StringIO())
    print_report(summary, console)
    text = console.file.getvalue()
    assert "QA flags" in text and "repetition" in text and "article-1" in text and "numbers 2" in text
