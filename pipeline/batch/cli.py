"""`tarjama batch JOB.yaml`: the command's options and what it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from pipeline.batch.job import load_job
from pipeline.batch.report import print_report
from pipeline.batch.runner import Runner


def add_command(sub: Any, add_pipeline_options: Callable | None = None,
                add_output_options: Callable | None = None) -> None:
    """`tarjama batch JOB.yaml [--dry-run] [--model M] [--backend B] [--stages ...] [--set K=V]`."""
    p = sub.add_parser("batch", help="run a YAML batch job over many articles (resumable, cached)")
    p.add_argument("job", metavar="JOB", help="the job file (see configs/batch-example.yaml)")
    p.add_argument("--resume", action="store_true",
                   help="skip documents already done with the same input and config (always on)")
    p.add_argument("--dry-run", action="store_true", help="list what would be done; load no model, write nothing")
    p.add_argument("--model", help="override the job's translation model (hub id or local folder)")
    p.add_argument("--backend", help="override the job's backend: transformers or ctranslate2")
    p.add_argument("--stages", help="override the job's stages, e.g. normalize,segment,translate")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override one pipeline key, e.g. translate.num_beams=2 (repeatable)")
    p.add_argument("--progress", choices=("auto", "bar", "lines"), default="auto",
                   help="a rich progress bar (on a terminal by default) or plain log lines")
    p.set_defaults(run=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    from rich.console import Console

    job = load_job(args.job, model=args.model, backend=args.backend, stages=args.stages, sets=args.sets)
    runner = Runner(job, console=Console(stderr=True),
                    progress={"auto": None, "bar": True, "lines": False}[args.progress])
    if args.dry_run:
        counts = runner.dry_run()
        print(f"dry run: {counts['documents']} documents; {counts.get('unchanged', 0)} already done and "
              f"unchanged, {counts.get('to_do', 0)} to do, {counts.get('unreadable', 0)} unreadable; "
              f"outputs ({', '.join(job.spec.output.formats) or 'dataset only'}) in {job.folder}")
        return 0
    try:
        report = runner.run()
    except KeyboardInterrupt:
        print(f"tarjama: interrupted; run `tarjama batch {args.job}` again to do what is left.", file=sys.stderr)
        return 130
    print_report(report, Console())
    return 1 if report.failed else 0
