"""Speed of normalize + segment on one core, in MB of Arabic UTF-8 text per second (target ≥ 1 MB/s).

Run `python benchmarks/segment_speed.py` (a `benchmarks` package in site-packages shadows `-m`). The samples are
repeated until they make at least `--mb` megabytes, then processed twice: as separate articles
(the usual case) and as one big document (which would show any cost growing faster than the text).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.document import Document  # noqa: E402
from pipeline.stages.normalize import Normalize  # noqa: E402
from pipeline.stages.segment import Segment  # noqa: E402

TARGET_MB_S = 1.0


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    return "not pinned (no sched_setaffinity here)"


def articles(min_bytes: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.ar.txt"))]
    out: list[str] = []
    size = 0
    while size < min_bytes:
        for text in texts:
            out.append(text)
            size += len(text.encode("utf-8"))
    return out


def run(texts: list[str], repeats: int) -> tuple[float, float, float, int]:
    """Best seconds over `repeats` for normalize, segment and both, and the sentences found."""
    normalize, segment = Normalize(), Segment()
    best = [float("inf")] * 3
    sentences = 0
    for _ in range(repeats):
        docs = [Document(text=t, original=t) for t in texts]
        t0 = time.perf_counter()
        docs = [normalize(d) for d in docs]
        t1 = time.perf_counter()
        docs = [segment(d) for d in docs]
        t2 = time.perf_counter()
        best = [min(best[0], t1 - t0), min(best[1], t2 - t1), min(best[2], t2 - t0)]
        sentences = sum(len(d.sentences) for d in docs)
    return best[0], best[1], best[2], sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="megabytes of text to process (default 1)")
    parser.add_argument("--repeats", type=int, default=3, help="runs; the best is reported (default 3)")
    args = parser.parse_args(argv)
    print(f"normalize + segment speed, {pin_to_one_core()}")
    texts = articles(int(args.mb * 1_000_000))
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1_000_000
    figures = {}
    for label, batch in (("as articles", texts), ("as one document", ["\n".join(texts)])):
        t_norm, t_seg, t_both, sentences = run(batch, args.repeats)
        figures[label] = megabytes / t_both
        print(f"{label:16} {megabytes:.2f} MB, {len(batch)} document(s), {sentences} sentences: "
              f"normalize {megabytes / t_norm:.2f} MB/s, segment {megabytes / t_seg:.2f} MB/s, "
              f"normalize+segment {megabytes / t_both:.2f} MB/s")
    speed = figures["as articles"]
    verdict = "meets" if speed >= TARGET_MB_S else "misses"
    print(f"normalize+segment: {speed:.2f} MB/s on one core ({verdict} the target of {TARGET_MB_S:.0f} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
