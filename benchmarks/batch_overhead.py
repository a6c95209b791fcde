"""Batch overhead: 200 articles through `tarjama batch` with the tiny model; everything but model time, as % of wall.

    python benchmarks/batch_overhead.py [--documents 200] [--beams 4] [--max-new-tokens 48] [--threads 1]

The articles are the samples, replicated with a numbered phrase added to every sentence so that
no sentence repeats (the cache never hits, nothing is deduplicated). The job runs in a child
process exactly as a user runs it; its report.json gives the wall time of the run and the
model time, measured around every call into the backend (`MeteredBackend`), so the overhead is
reading, segmenting, scheduling, caching, writing outputs and the manifest, the combined
dataset, and loading the model (counted as overhead, not model time).
The last line reads `overhead: N.N% of the wall time (bar < 15%)`.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCE_SPLIT = re.compile(r"(?<=[.؟!])\s+")


def mark(line: str, tag: str) -> str:
    """`tag` at the start and before the end of every sentence of `line`, so that every sentence
    (and the first and last translation chunk of a long one) differs from the other copies'."""
    sentences = SENTENCE_SPLIT.split(line.strip())
    return " ".join(f"{tag} {s[:-1]} {tag}{s[-1]}" if s[-1] in ".؟!" else f"{tag} {s} {tag}"
                    for s in sentences if s)


def make_articles(folder: Path, count: int) -> list[Path]:
    """`count` articles: sample i % 7 with "ضمن النسخة N" ("in copy N") marking every sentence."""
    samples = sorted((ROOT / "samples").glob("*.ar.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        sample = samples[i % len(samples)]
        lines = sample.read_text(encoding="utf-8").splitlines()
        text = "\n".join(mark(line, f"ضمن النسخة {i + 1}") if line.strip() else "" for line in lines) + "\n"
        path = folder / f"{i:03d}-{sample.name}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--beams", type=int, default=4, help="num_beams (the default profile's is 4)")
    parser.add_argument("--max-new-tokens", type=int, default=48,
                        help="output length: the tiny model never stops early, so this fixes it")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a busy 2-core machine)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--model", help="a model folder (default: build the tiny test model)")
    parser.add_argument("--keep", help="run in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tarjama-batch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.model:
        model = Path(args.model)
    else:
        from pipeline.testing import build_marian

        model = work / "tiny-marian"
        if not (model / "config.json").exists():
            build_marian(model)
    make_articles(work / "articles", args.documents)
    out = work / "out"
    job = {
        "inputs": [{"glob": "articles/*.txt"}],
        "pipeline": {
            "model": str(model),
            "stages": ["normalize", "segment", "translate"],
            "generation": {"num_beams": args.beams, "max_new_tokens": args.max_new_tokens,
                           "batch_size": args.batch_size},
            "transformers": {"threads": args.threads},
        },
        "output": {"folder": "out", "formats": ["json", "md"], "dataset": "sentences.parquet"},
        "cache": {"enabled": True},
    }
    job_path = work / "job.yaml"
    job_path.write_text(yaml.safe_dump(job, allow_unicode=True), encoding="utf-8")
    for stale in ("manifest.sqlite", "cache.sqlite", "report.json"):
        (out / stale).unlink(missing_ok=True)

    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pipeline", "batch", str(job_path), "--progress", "lines"],
                            cwd=ROOT, capture_output=True, text=True)
    process_seconds = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stdout, result.stderr, sep="\n")
        return result.returncode
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    wall, model_s = report["wall_seconds"], report["model_seconds"]
    parts = {
        "model load (incl. importing torch)": report["model_load_seconds"],
        "reading + normalize + segment (reader thread, overlapped)": report["read_seconds"],
        "writing outputs and manifest": report["write_seconds"],
        "combined dataset": report["dataset_seconds"],
    }
    print(f"documents {report['done']} done, {report['failed']} failed; sentences {report['sentences']}; "
          f"chunks translated {report['chunks_translated']}; tokens {report['tokens']}; "
          f"cache hits {report['cache_hits']}")
    print(f"settings: beams {args.beams}, max_new_tokens {args.max_new_tokens}, threads {args.threads}, "
          f"batch_size {args.batch_size}")
    print(f"process wall {process_seconds:.2f} s (with interpreter start and imports); run wall {wall:.2f} s")
    print(f"model time (inside backend calls) {model_s:.2f} s")
    for what, seconds in parts.items():
        print(f"  {what}: {seconds:.2f} s")
    steady = (wall - model_s - report["model_load_seconds"]) / max(1e-9, wall - report["model_load_seconds"])
    per_document = (wall - model_s - report["model_load_seconds"]) / max(1, report["done"])
    print(f"overhead without the one-off model load: {100 * steady:.1f}% ({1000 * per_document:.0f} ms per document)")
    print(f"throughput {report['throughput']['sentences_per_s']:.1f} sentences/s, "
          f"{report['throughput']['tokens_per_s']:.0f} tokens/s")
    if report["cache_hits"]:
        print(f"note: {report['cache_hits']} of {report['cache_hits'] + report['cache_misses']} chunks came from the "
              "cache (middle chunks of very long sentences, the same in every copy of a sample)")
    print(f"overhead: {report['overhead_percent']:.1f}% of the wall time (bar < 15%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
