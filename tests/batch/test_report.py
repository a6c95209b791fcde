"""The report: report.json's keys, the --progress lines, and the end-of-run table with QA flags per rule and per document."""

from __future__ import annotations

import io
import re

from pipeline.batch import Report, print_report
from pipeline.batch.report import Progress
from pipeline.document import Document, Flag, Sentence
from tests.batch.conftest import batch, copies, report, write_job


def test_report_table_counts_qa_flags_per_rule_and_document():
    from rich.console import Console

    from pipeline.qa import count_flags

    doc = Document(text="أ. ب.", sentences=[
        Sentence(id="s1", start=0, end=2, text="أ.", translation="A.",
                 flags=[Flag(rule="numbers", severity="warning", message="a number is missing")]),
        Sentence(id="s2", start=3, end=5, text="ب.", translation="B B B B",
                 flags=[Flag(rule="repetition", severity="error", message="a loop"),
                        Flag(rule="numbers", severity="warning", message="a number changed")]),
    ])
    assert count_flags(doc) == {"numbers": 2, "repetition": 1}
    summary = Report(job="job.yaml", folder="out", run="r", model="m", backend="transformers", stages=["qa"],
                     done=1, qa_per_rule={"numbers": 2, "repetition": 1},
                     qa_per_document={"article-1": {"numbers": 2, "repetition": 1}})
    console = Console(width=100, file=io.StringIO())
    print_report(summary, console)
    text = console.file.getvalue()
    assert "QA flags" in text and "repetition" in text and "article-1" in text and "numbers 2" in text


# The keys of report.json, as scripts that read it know them.
REPORT_KEYS = {
    "job", "folder", "run", "model", "backend", "stages", "documents", "done", "failed", "skipped", "sentences",
    "chunks_translated", "tokens", "cache_hits", "cache_misses", "wall_seconds", "model_load_seconds",
    "model_seconds", "stage_seconds", "read_seconds", "write_seconds", "dataset_seconds", "qa_per_rule",
    "qa_per_document", "job_states", "errors", "throughput", "overhead_percent",
}
LINE = re.compile(r"tarjama: batch: (\d+)/(\d+) documents \((\d+) done, (\d+) failed, (\d+) skipped\), (\d+) sentences, "
                  r"(\d+) tok/s, (\d+) cache hits, ETA (-|\d+s)")


def test_progress_lines_and_report_keys_of_a_run(tmp_path, capsys):
    copies(tmp_path / "in", 3)
    (tmp_path / "in" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    job = write_job(tmp_path, [{"glob": "in/*.txt"}], model=None)
    assert batch(job) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("tarjama: batch:")]
    assert lines and all(LINE.fullmatch(line) for line in lines), lines
    seen, total, done, failed, skipped = map(int, LINE.fullmatch(lines[-1]).groups()[:5])
    assert (seen, total, done, failed, skipped) == (4, 4, 3, 1, 0)
    summary = report(tmp_path / "out")
    assert set(summary) == REPORT_KEYS
    assert set(summary["throughput"]) == {"documents_per_s", "sentences_per_s", "tokens_per_s"}
    assert summary["job_states"] == {"done": 3, "failed": 1}

    assert batch(job) == 1  # the broken file fails again; the others are skipped
    last = [line for line in capsys.readouterr().err.splitlines() if line.startswith("tarjama: batch:")][-1]
    assert LINE.fullmatch(last).groups()[:5] == ("4", "4", "0", "1", "3")


def test_progress_lines_say_the_counts_at_most_every_two_seconds():
    from rich.console import Console

    console = Console(width=300, file=io.StringIO())
    progress = Progress(console, 10, bar=False)
    summary = Report(job="job.yaml", folder="out", run="r", model=None, backend=None, stages=[])
    summary.done, summary.sentences = 1, 12
    progress.update(summary, tokens=0, hits=0)
    summary.done = 2
    progress.update(summary, tokens=0, hits=0)  # within 2 s of the last line: not shown
    summary.failed, summary.skipped = 1, 3
    progress.close(summary, tokens=0, hits=5)
    lines = console.file.getvalue().splitlines()
    assert len(lines) == 2 and all(LINE.fullmatch(line) for line in lines)
    assert lines[-1].startswith("tarjama: batch: 6/10 documents (2 done, 1 failed, 3 skipped), 12 sentences, ")
    assert lines[-1].endswith(", 5 cache hits, ETA " + lines[-1].rsplit(" ", 1)[-1])
