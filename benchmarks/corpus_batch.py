"""The text layer on 3,000 real articles: `tarjama batch` over snn-3000 with normalize, segment, quotes, summarize.

    python benchmarks/corpus_batch.py [--job configs/snn-3000.yaml] [--profile N]

Unpacks ../shared/corpus/snn-3000.jsonl.gz into out/snn-3000.jsonl (the job's table), removes the
job's output folder so that nothing is skipped, and runs the job in a child process exactly as a
user runs it. Prints articles per second (bar: ≥ 50 on 2 cores, issue 15) beside the CPU
(AVX-512 VNNI or AVX2) and the load average, since other work on the machine slows it; then each
failed document with its traceback (rerun in-process: the batch only records the reason).
`--profile N` profiles the same stages in-process on the first N articles (cProfile): seconds per
stage and the functions that take the time.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.bench import cpu_description  # noqa: E402

CORPUS = Path(os.environ.get("TARJAMA_CORPUS", ROOT.parent / "shared" / "corpus"))
JOB = ROOT / "configs" / "snn-3000.yaml"
BAR = 50.0  # articles per second on 2 cores


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def unpack(source: Path, target: Path) -> None:
    """The job reads plain JSON lines; the corpus keeps them gzipped."""
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(source, "rb") as packed, open(target, "wb") as plain:
        shutil.copyfileobj(packed, plain)


def read_rows(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {str(r["id"]): r["text"] for r in rows}


def tracebacks(job_path: Path, errors: list[dict], texts: dict[str, str]) -> None:
    """Each failed document again through the job's stages, in-process, for the traceback; documents
    that fail the same way share one listing."""
    from pipeline.batch import load_job
    from pipeline.pipeline import Pipeline
    from pipeline.reader import read_bytes

    nlp = Pipeline(load_job(job_path).config)
    by_traceback: dict[str, list[str]] = {}
    for entry in errors:
        row_id = entry["file"].rsplit("#", 1)[-1]
        try:
            nlp.run(read_bytes(texts[row_id].encode("utf-8"), path=row_id))
            shown = f"{entry['reason']}\n(passes when run alone)"
        except Exception as err:
            cause = err.__cause__ or err
            shown = "".join(traceback.format_exception(type(cause), cause, cause.__traceback__)[-5:]).rstrip()
        by_traceback.setdefault(shown, []).append(row_id)
    for shown, ids in by_traceback.items():
        print(f"\n{len(ids)} failed: {' '.join(ids)}")
        print("\n".join("  " + line for line in shown.splitlines()))


def profile(job_path: Path, texts: list[str], top: int = 25) -> None:
    """The job's stages on `texts` in-process under cProfile: seconds per stage, then the costliest functions."""
    from pipeline.batch import load_job
    from pipeline.pipeline import Pipeline
    from pipeline.reader import read_bytes

    nlp = Pipeline(load_job(job_path).config)
    per_stage: dict[str, float] = {}
    failed = 0
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for i, text in enumerate(texts):
        try:
            doc = nlp.run(read_bytes(text.encode("utf-8"), path=f"row {i}"))
        except Exception:
            failed += 1
            continue
        for stage, seconds in doc.provenance.get("timings_s", {}).items():
            per_stage[stage] = per_stage.get(stage, 0.0) + seconds
    profiler.disable()
    wall = time.perf_counter() - started
    print(f"\nprofile: {len(texts)} articles in-process in {wall:.1f} s under cProfile ({failed} failed); "
          "seconds per stage (with the profiler's overhead):")
    for stage, seconds in sorted(per_stage.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:10s} {seconds:7.2f} s  {100 * seconds / max(sum(per_stage.values()), 1e-9):5.1f}%")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        body = out.getvalue()
        print(f"\ntop {top} functions by {order}:")
        print(body[body.find("   ncalls"):].rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--job", type=Path, default=JOB)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the folder holding snn-3000.jsonl.gz")
    parser.add_argument("--profile", type=int, metavar="N", default=0,
                        help="then profile the stages in-process on the first N articles")
    args = parser.parse_args()
    source = args.corpus / "snn-3000.jsonl.gz"
    if not source.exists():
        print(f"no {source} (set TARJAMA_CORPUS or pass --corpus); benchmark skipped")
        return 0
    from pipeline.batch import load_job

    job = load_job(args.job)
    table = job.resolve(job.inputs[0].table or "")
    unpack(source, table)
    if (job.folder / "manifest.sqlite").exists():
        shutil.rmtree(job.folder)  # a fresh run: a resumed one would skip everything
    before = load_average()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pipeline", "batch", str(args.job), "--progress", "lines"],
                            cwd=ROOT, capture_output=True, text=True)
    process_seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    report_path = job.folder / "report.json"
    if not report_path.exists():
        print(result.stdout, result.stderr, sep="\n")
        return result.returncode or 1
    report = json.loads(report_path.read_text(encoding="utf-8"))
    rate = report["done"] / max(report["wall_seconds"], 1e-9)
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in report["stage_seconds"].items())
    print(f"{report['documents']} articles, {report['done']} done, {report['failed']} failed; "
          f"{report['sentences']} sentences")
    print(f"run wall {report['wall_seconds']:.1f} s (process {process_seconds:.1f} s); stages: {stages}; "
          f"reader thread {report['read_seconds']:.1f} s, writing outputs {report['write_seconds']:.1f} s")
    print(f"CPU: {cpu_description()}; load average before {before}, after {load_average()}; the job used {cpu_seconds:.1f} "
          f"CPU seconds ({report['done'] / max(cpu_seconds, 1e-9):.1f} articles per CPU second, which other work on "
          "the machine does not lower)")
    print(f"throughput: {rate:.1f} articles/s (bar ≥ {BAR:g} on 2 cores: {'ok' if rate >= BAR else 'BELOW'}), "
          f"failed documents: {report['failed']}")
    texts = read_rows(table) if report["failed"] or args.profile else {}
    if report["failed"]:
        tracebacks(args.job, report["errors"], texts)
    if args.profile:
        profile(args.job, list(texts.values())[: args.profile])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
