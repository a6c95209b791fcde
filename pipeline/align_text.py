"""`tarjama align AR EN`: the command that aligns an Arabic article with an existing English translation.

The work is done by pipeline.align (see pipeline/align/reference.py); this module only reads
the command line and writes the aligned document.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.align.reference import ARABIC_STAGES, align_reference
from pipeline.errors import UsageError

__all__ = ["add_command", "cmd_align"]


# -- command line ---------------------------------------------------------------------------------


def add_command(sub: argparse._SubParsersAction, add_pipeline_options: Callable[[Any], None],
                add_output_options: Callable[[Any], None]) -> None:
    p = sub.add_parser("align", help="align an Arabic article with an existing English translation")
    p.add_argument("ar", help="the Arabic article (text file)")
    p.add_argument("en", help="its English translation (text file, one paragraph per line)")
    add_pipeline_options(p)
    add_output_options(p)
    p.set_defaults(run=cmd_align)


def cmd_align(args: argparse.Namespace) -> int:
    from pipeline.cli import Progress, check_output_path, choose_format, emit
    from pipeline.config import load_config

    fmt = choose_format(args.format, args.output)
    for path in (args.ar, args.en):
        if not Path(path).exists():
            raise UsageError(f"input file {path} does not exist; give `tarjama align ARABIC.txt ENGLISH.txt`.")
    if args.output:
        check_output_path(args.output, overwrite=args.overwrite)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()] if getattr(args, "stages", None) else None
    config = load_config(args.config, overrides={"model": args.model, "backend": args.backend}, sets=args.sets)
    if stages is not None:
        allowed = (*ARABIC_STAGES, "align", "qa", "render")
        unknown = [s for s in stages if s not in allowed]
        if unknown:
            raise UsageError(f"--stages {','.join(unknown)} cannot run in `tarjama align` (it uses no translation "
                             f"model); choose from {', '.join(allowed)}.")
        if "segment" not in stages:
            raise UsageError("--stages for `tarjama align` must include segment: sentences are what it aligns.")
    progress = Progress.for_stderr(quiet=args.quiet)
    try:
        doc = align_reference(args.ar, args.en, config, stages=stages, on_stage=progress.stage if progress else None)
    finally:
        if progress:
            progress.close()
    for warning in doc.meta.get("warnings", []):
        print(f"tarjama: warning: {warning}", file=sys.stderr)
    emit(doc, fmt, args, render_settings=config.section("render"))
    return 0

