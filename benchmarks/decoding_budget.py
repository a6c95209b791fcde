"""Decoding budget: tokens and time of an article from a model that never ends a sentence.

    python benchmarks/decoding_budget.py [--article PATH] [--beams 4] [--tiny]

A random-weight Marian model of opus-mt-ar-en's shape (or, with --tiny, the tests' tiny one) whose
end-of-sentence is suppressed loops to whatever limit decoding has, as a real model caught in a
loop does. One real article (the first of the shared corpus by default) is normalized and
segmented by the pipeline, and its pieces are translated by the project's transformers backend
three times: bounded only by max_new_tokens 512 (as before issue 17), with the default budget
(max_len_a x source tokens + max_len_b, under max_new_tokens), and decoded to exactly the source
length (the reference: what one token out per token in costs). Each row gives the pieces, the
decoded tokens, the most any piece decoded past its budget (0: the budget holds) and the seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path.insert(0, str(REPO_ROOT))

from pipeline.bench import cpu_description  # noqa: E402
from pipeline.testing import OPUS_MT_AR_EN_SHAPE, build_marian  # noqa: E402

CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "articles"


def pieces_of(article: Path, backend) -> list[str]:
    """The texts the translate stage would send to the model for this article."""
    from pipeline.config import load_config
    from pipeline.pipeline import Pipeline
    from pipeline.stages.translate import chunk_limit, chunk_text, needs_translation

    nlp = Pipeline(load_config(sets=["stages=[normalize, segment]"]))
    doc = nlp.read(article)
    limit = chunk_limit(nlp.config.generation, backend)
    return [p for s in doc.sentences or [] for p in chunk_text(s.text, backend, limit) if needs_translation(p)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path, help="an Arabic article (default: the first of the shared corpus)")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--tiny", action="store_true", help="the tests' tiny model instead of opus-mt's shape")
    parser.add_argument("--skip-unbounded", action="store_true", help="skip the max_new_tokens=512 row (slow)")
    args = parser.parse_args()

    import torch

    from pipeline.backends.base import GenerationSettings
    from pipeline.backends.transformers_backend import TransformersBackend

    article = args.article or sorted(CORPUS.glob("*.ar.txt"))[0]
    with tempfile.TemporaryDirectory() as work:
        shape = {} if args.tiny else OPUS_MT_AR_EN_SHAPE
        model = build_marian(Path(work) / "model", **shape, suppress_eos=True)
        backend = TransformersBackend(str(model), device="cpu")
        pieces = pieces_of(article, backend)
        source = [backend.count_tokens(p) for p in pieces]
        print(f"article: {article.name}: {len(pieces)} pieces, {sum(source)} source tokens; "
              f"model: {'tiny' if args.tiny else 'opus-mt-ar-en shape'}, random, never ends a sentence; "
              f"beams {args.beams}, batch {args.batch_size}, {torch.get_num_threads()} threads")
        defaults = GenerationSettings()
        rows = [
            ("max_new_tokens 512 only (before)", GenerationSettings(max_new_tokens=512, max_len_a=0, max_len_b=512)),
            (f"budget {defaults.max_len_a} x src + {defaults.max_len_b} (default)", defaults),
            ("decoded to the source length", GenerationSettings(max_new_tokens=512, max_len_a=1.0, max_len_b=0)),
        ]
        if args.skip_unbounded:
            rows = rows[1:]
        print(f"CPU: {cpu_description()}")
        print(f"{'decoding':<36} {'tokens':>8} {'past budget':>12} {'seconds':>9}")
        for label, settings in rows:
            settings = GenerationSettings(**{**settings.__dict__, "num_beams": args.beams,
                                             "batch_size": args.batch_size})
            started = time.perf_counter()
            results = backend.translate(pieces, settings)
            seconds = time.perf_counter() - started
            # The budget counts the end-of-sentence the model is made to write last.
            past = max(r.tokens + 1 - settings.budget(n, backend.max_target_tokens) for r, n in zip(results, source, strict=True))
            print(f"{label:<36} {sum(r.tokens for r in results):>8} {max(0, past):>12} {seconds:>9.1f}")


if __name__ == "__main__":
    main()
