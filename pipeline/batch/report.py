"""A batch run's report (report.json), its progress (a bar or log lines) and the end-of-run table."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.batch.job import ERRORS


@dataclass
class Report:
    """What report.json holds and the final table shows."""

    job: str
    folder: str
    run: str
    model: str | None
    backend: str | None
    stages: list[str]
    documents: int = 0  # in the job
    done: int = 0  # done by this run
    failed: int = 0
    skipped: int = 0  # done by an earlier run, input and config unchanged
    sentences: int = 0
    chunks_translated: int = 0  # texts the model translated (cache misses)
    tokens: int = 0  # target tokens the model generated
    cache_hits: int = 0
    cache_misses: int = 0
    wall_seconds: float = 0.0
    model_load_seconds: float = 0.0
    model_seconds: float = 0.0  # inside the backend's calls
    stage_seconds: dict[str, float] = field(default_factory=dict)
    read_seconds: float = 0.0  # reading and decoding inputs (in the reader thread)
    write_seconds: float = 0.0  # rendering and writing outputs
    dataset_seconds: float = 0.0
    qa_per_rule: dict[str, int] | None = None
    qa_per_document: dict[str, dict[str, int]] | None = None
    job_states: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def overhead_share(self) -> float:
        """Everything but model time, as a share of the wall time."""
        return max(0.0, self.wall_seconds - self.model_seconds) / self.wall_seconds if self.wall_seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        wall = self.wall_seconds or 1e-9
        out["throughput"] = {
            "documents_per_s": round(self.done / wall, 3),
            "sentences_per_s": round(self.sentences / wall, 2),
            "tokens_per_s": round(self.tokens / wall, 1),
        }
        out["overhead_percent"] = round(100 * self.overhead_share, 2)
        for key in ("wall_seconds", "model_load_seconds", "model_seconds", "read_seconds", "write_seconds",
                    "dataset_seconds"):
            out[key] = round(out[key], 3)
        out["stage_seconds"] = {k: round(v, 3) for k, v in self.stage_seconds.items()}
        return out



class Progress:
    """A rich progress bar on a terminal; plain log lines (at most one every 2 s) otherwise."""

    def __init__(self, console: Any, total: int, *, bar: bool) -> None:
        self.console = console
        self.total = total
        self.started = time.perf_counter()
        self._last_line = 0.0
        self._last_counts: tuple[int, ...] = ()
        self._bar = None
        if bar:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("[bold]docs"), BarColumn(bar_width=20), MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed · {task.fields[sentences]} sentences · "
                           "{task.fields[tps]:.0f} tok/s · {task.fields[hits]} cache hits"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(compact=True),
                console=console, transient=False,
            )
            self._task = self._bar.add_task("batch", total=total, failed=0, sentences=0, tps=0.0, hits=0)
            self._bar.start()

    def update(self, report: Report, *, tokens: int, hits: int, final: bool = False) -> None:
        """Show the counts so far: `tokens` generated and cache `hits` since the run started."""
        elapsed = time.perf_counter() - self.started
        seen = report.done + report.failed + report.skipped
        if self._bar is not None:
            self._bar.update(self._task, completed=seen, failed=report.failed, sentences=report.sentences,
                             tps=tokens / elapsed if elapsed else 0.0, hits=hits)
            return
        worked = report.done + report.failed
        left = self.total - seen
        eta = f"{left * elapsed / worked:.0f}s" if worked and left else "-"
        line = (f"tarjama: batch: {seen}/{self.total} documents ({report.done} done, {report.failed} failed, "
                f"{report.skipped} skipped), {report.sentences} sentences, "
                f"{tokens / elapsed if elapsed else 0:.0f} tok/s, {hits} cache hits, ETA {eta}")
        counts = (seen, report.sentences, hits)
        if counts == self._last_counts or (not final and time.perf_counter() - self._last_line < 2.0):
            return
        self._last_line, self._last_counts = time.perf_counter(), counts
        self.console.print(line, highlight=False, soft_wrap=True)

    def close(self, report: Report, *, tokens: int, hits: int) -> None:
        self.update(report, tokens=tokens, hits=hits, final=True)
        if self._bar is not None:
            self._bar.stop()


def print_report(report: Report, console: Any) -> None:
    """The end-of-run table: counts, time per stage, throughput, and QA flags when qa ran."""
    from rich.table import Table

    data = report.to_dict()
    table = Table(title=f"tarjama batch · {Path(report.job).name}", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    rows = [
        ("documents in the job", report.documents),
        ("done", report.done), ("failed", report.failed), ("skipped (unchanged)", report.skipped),
        ("sentences", report.sentences), ("tokens generated", report.tokens),
        ("cache hits / misses", f"{report.cache_hits} / {report.cache_misses}"),
        ("wall time", f"{report.wall_seconds:.2f} s"),
        ("model load", f"{report.model_load_seconds:.2f} s"),
        ("model time", f"{report.model_seconds:.2f} s"),
    ]
    rows += [(f"  stage {name}", f"{seconds:.2f} s") for name, seconds in report.stage_seconds.items()]
    rows += [
        ("  reading (reader thread)", f"{report.read_seconds:.2f} s"),
        ("  writing outputs", f"{report.write_seconds:.2f} s"),
        ("  combined dataset", f"{report.dataset_seconds:.2f} s"),
        ("throughput", f"{data['throughput']['documents_per_s']:.2f} docs/s · "
                       f"{data['throughput']['sentences_per_s']:.1f} sentences/s · "
                       f"{data['throughput']['tokens_per_s']:.0f} tok/s"),
    ]
    if report.model:
        rows.append(("pipeline overhead", f"{data['overhead_percent']:.1f}% of the wall time (all but model time)"))
    for what, value in rows:
        table.add_row(what, str(value))
    console.print(table)
    if report.qa_per_rule is not None:
        flags = Table(title="QA flags", title_justify="left")
        flags.add_column("rule")
        flags.add_column("flags", justify="right")
        for rule, count in report.qa_per_rule.items():
            flags.add_row(rule, str(count))
        console.print(flags)
        if report.qa_per_document:
            docs = Table(title="QA flags per document", title_justify="left")
            docs.add_column("document")
            docs.add_column("flags", justify="right")
            docs.add_column("rules")
            for name, counts in sorted(report.qa_per_document.items(), key=lambda kv: -sum(kv[1].values())):
                docs.add_row(name, str(sum(counts.values())), ", ".join(f"{r} {n}" for r, n in counts.items()))
            console.print(docs)
    if report.errors:
        console.print(f"{report.failed} document(s) failed; see {Path(report.folder) / ERRORS}", style="red",
                      highlight=False)
