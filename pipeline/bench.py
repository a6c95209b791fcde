"""`tarjama bench`: throughput of the translate stage on your own articles, model and settings."""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError


def add_command(sub: argparse._SubParsersAction, add_pipeline_options: Callable[[Any], None],
                add_output_options: Callable[[Any], None]) -> None:
    p = sub.add_parser("bench", help="measure translation throughput on articles (model load excluded)")
    p.add_argument("files", nargs="+", help="Arabic articles to translate")
    p.add_argument("--repeat", type=int, default=1, help="translate the articles this many times (default 1)")
    add_pipeline_options(p)
    p.set_defaults(run=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from pipeline.pipeline import Pipeline
    from pipeline.reader import read_file

    if args.repeat < 1:
        raise UsageError("--repeat must be at least 1.")
    for path in args.files:
        if not Path(path).is_file():
            raise UsageError(f"input file {path} does not exist; give Arabic text files to translate.")
    nlp = Pipeline.from_config(args.config, model=args.model, backend=args.backend,
                               stages=args.stages or "normalize,segment,translate", sets=args.sets)
    if "translate" not in nlp.stage_names:
        raise UsageError("`tarjama bench` measures the translate stage; include it in --stages.")
    started = time.perf_counter()
    metered = nlp.meter()
    load_s = time.perf_counter() - started
    translate = dict(nlp.stages)["translate"]
    docs = [read_file(p) for p in args.files]
    for _name, component in nlp.stages[: nlp.stage_names.index("translate")]:
        docs = [component(d) for d in docs]
    sentences = sum(len(d.sentences or []) for d in docs)
    started = time.perf_counter()
    for _ in range(args.repeat):
        translate.translate_many(docs)
    seconds = time.perf_counter() - started
    described = metered.describe()
    tokens = metered.tokens
    rows = {
        "model": described.get("model", ""),
        "backend / device": f"{described.get('backend', '')} / {described.get('device', '')}",
        "beams": str(translate.generation.num_beams),
        "documents": str(len(docs) * args.repeat),
        "sentences": str(sentences * args.repeat),
        "target tokens": str(tokens),
        "seconds (model load excluded)": f"{seconds:.2f}",
        "sentences/s": f"{sentences * args.repeat / seconds:.1f}",
        "target tokens/s": f"{tokens / seconds:.1f}",
        "model load s": f"{load_s:.1f}",
    }
    table = Table(title="tarjama bench: translate stage", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for key, value in rows.items():
        table.add_row(key, value)
    Console().print(table)
    return 0


def cpu_description() -> str:
    """The CPU's model name, its widest integer dot-product instructions (AVX-512 VNNI or AVX2) and the
    cores this process may use, from /proc/cpuinfo: what every speed figure is reported beside."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "unknown CPU"
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")),
                 "unknown CPU")
    flags = set(next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), []))
    simd = ("AVX-512 VNNI" if flags & {"avx512_vnni", "avx512vnni"} else "AVX2" if "avx2" in flags
            else "neither AVX-512 VNNI nor AVX2")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model}, {simd}, {cores} cores usable"
