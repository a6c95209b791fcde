"""Translation speed: target tokens/s and peak memory of transformers and CTranslate2, side by side.

    python benchmarks/translate_speed.py            # or: make bench

A random-weight Marian model of opus-mt-ar-en's shape (d_model 512, 6+6 layers, 8 heads, FFN 2048,
vocabulary 62,802) is built once under .bench/ (speed does not depend on the weights). 16 sentences
of 40 source tokens are decoded into exactly 48 target tokens (end of sentence suppressed until then,
and no longer), at beam 1 and beam 4, in one batch of 16. Each engine runs in its own process,
through the project's own backend classes, so its peak memory (VmHWM) is its own; the engines are
timed in turns, so other work on the machine slows each alike, and the best of a few timed runs is
kept (other work only ever slows a run down); the load average is printed before and after.
Every engine gets all the cores: transformers as intra-op threads of one process; CTranslate2 as
configs/fast-cpu.yaml runs it, 2 workers that share the cores and each decode half the batch
(and, for comparison, as 1 worker with all the cores as intra-op threads).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path.insert(0, str(REPO_ROOT))

from pipeline.bench import cpu_description  # noqa: E402
from pipeline.testing import OPUS_MT_AR_EN_SHAPE, build_marian, sample_texts  # noqa: E402

SOURCE_TOKENS = 40
TARGET_TOKENS = 48
SENTENCES = 16
BEAMS = (1, 4)

# (engine, precision, device, workers): the rows of the table, in order. The cores are shared
# among the workers; CTranslate2 with 2 workers is how configs/fast-cpu.yaml runs it.
CPU_ROWS = [
    ("transformers", "fp32", "cpu", 1),
    ("transformers", "int8-dynamic", "cpu", 1),
    ("ctranslate2", "float32", "cpu", 2),
    ("ctranslate2", "int8", "cpu", 1),
    ("ctranslate2", "int8", "cpu", 2),
]
GPU_ROWS = [
    ("transformers", "fp32", "cuda", 1),
    ("transformers", "fp16", "cuda", 1),
    ("transformers", "bf16", "cuda", 1),
    ("ctranslate2", "float16", "cuda", 1),
    ("ctranslate2", "int8_float16", "cuda", 1),
]
FAST_CPU = ("ctranslate2", "int8", "cpu", 2)  # the speedup of the last line


# -- the machine --------------------------------------------------------------------------------


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the inputs ---------------------------------------------------------------------------------


def source_batch(model_dir: Path) -> list[list[int]]:
    """16 windows of exactly 40 token ids (39 pieces and end of sentence) cut from the samples."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    tokenizer.model_max_length = 10**9  # whole sample lines are tokenized, then cut into windows
    eos = tokenizer.eos_token_id
    ids = [i for line in sample_texts() for i in tokenizer(line).input_ids if i != eos]
    step = SOURCE_TOKENS - 1
    if len(ids) < SENTENCES * step:
        raise SystemExit(f"the samples hold {len(ids)} tokens, fewer than the {SENTENCES * step} needed")
    return [ids[k * step : (k + 1) * step] + [eos] for k in range(SENTENCES)]


# -- one engine, in its own process -------------------------------------------------------------


def run_worker(job: dict) -> None:
    """Load one engine, then answer one command per stdin line: decode the batch at a beam size
    and report the seconds, or quit and report the process's peak memory."""
    engine, precision, device, workers = job["engine"], job["precision"], job["device"], job["workers"]
    threads = max(1, job["threads"] // workers)  # per worker
    quiet_transformers()
    batch: list[list[int]] = job["batch"]
    if engine == "transformers":
        decode, load_s = transformers_decoder(job["model"], precision, device, threads)
    else:
        decode, load_s = ctranslate2_decoder(job["model"], precision, device, threads, workers)
    reply({"load_s": load_s})
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("quit"):
            reply({"peak_rss_mib": peak_rss_mib()})
            return
        start, cpu_start = time.perf_counter(), time.process_time()
        lengths = decode(batch, command["beam"], command["length"])
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        if lengths != [command["length"]] * len(batch):
            raise SystemExit(f"{engine} {precision} gave lengths {lengths}, not {command['length']} each")
        reply({"seconds": seconds, "cpu_share": cpu_seconds / seconds / (threads * workers)})


def reply(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def transformers_decoder(model: str, precision: str, device: str, threads: int):
    import torch

    from pipeline.backends.transformers_backend import TransformersBackend

    start = time.perf_counter()
    dtype = {"fp16": "float16", "bf16": "bfloat16"}.get(precision, "float32")
    backend = TransformersBackend(model, device=device, threads=threads, dtype=dtype)
    net = backend.model
    if precision == "int8-dynamic":
        net = torch.ao.quantization.quantize_dynamic(net, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    # Exactly TARGET_TOKENS new tokens: no end of sentence forced at the limit.
    net.generation_config.forced_eos_token_id = None
    load_s = time.perf_counter() - start

    def decode(batch: list[list[int]], beam: int, length: int) -> list[int]:
        input_ids = torch.tensor(batch, device=device)
        with torch.inference_mode():
            out = net.generate(
                input_ids=input_ids,
                attention_mask=torch.ones_like(input_ids),
                num_beams=beam,
                do_sample=False,
                min_new_tokens=length,
                max_new_tokens=length,
            )
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        return [out.shape[1] - 1] * len(batch)  # minus the decoder start token

    return decode, load_s


def ctranslate2_decoder(model: str, precision: str, device: str, threads: int, workers: int):
    from pipeline.backends.ctranslate2_backend import CTranslate2Backend

    start = time.perf_counter()
    backend = CTranslate2Backend(
        model, device=device, threads=threads, inter_threads=workers, compute_type=precision
    )
    load_s = time.perf_counter() - start
    to_tokens = backend.tokenizer.convert_ids_to_tokens

    def decode(batch: list[list[int]], beam: int, length: int) -> list[int]:
        results = backend.translator.translate_batch(
            [to_tokens(ids) for ids in batch],
            beam_size=beam,
            max_batch_size=backend.worker_batch_size(len(batch)),  # as the backend shares a batch
            min_decoding_length=length,
            max_decoding_length=length,
            max_input_length=0,
        )
        return [len(r.hypotheses[0]) for r in results]

    return decode, load_s


class Engine:
    """One engine in its own Python process, so that its peak memory is its own. The engines are
    timed in turns, so that other work on the machine slows each of them alike."""

    def __init__(self, job: dict) -> None:
        self.label = f"{job['engine']} {job['precision']} on {job['device']}"
        self.errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (lives as long as the process)
        env = dict(os.environ, TOKENIZERS_PARALLELISM="false", PYTHONWARNINGS="ignore")
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(job)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True, env=env,
        )
        self.load_s = self._ask(None)["load_s"]
        self.best: dict[int, float] = {}

    def _ask(self, command: dict | None) -> dict:
        if command is not None:
            self.proc.stdin.write(json.dumps(command) + "\n")
            self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            self.errors.seek(0)
            tail = "\n".join(self.errors.read().strip().splitlines()[-5:])
            raise SystemExit(f"{self.label} failed:\n{tail}")
        return json.loads(line)

    def decode(self, beam: int, length: int) -> dict:
        # The engine timed before may still spin its idle threads for a moment: let them sleep.
        time.sleep(0.5)
        return self._ask({"beam": beam, "length": length})

    def time(self, beam: int) -> None:
        run = self.decode(beam, TARGET_TOKENS)
        if beam not in self.best or run["seconds"] < self.best[beam]["seconds"]:
            self.best[beam] = run

    def finish(self) -> dict:
        peak = self._ask({"quit": True})["peak_rss_mib"]
        self.proc.wait()
        self.errors.close()
        return {
            "tokens_per_s": {str(beam): SENTENCES * TARGET_TOKENS / run["seconds"] for beam, run in self.best.items()},
            "cpu_share": {str(beam): run["cpu_share"] for beam, run in self.best.items()},
            "peak_rss_mib": peak,
            "load_s": self.load_s,
        }


# -- the report ---------------------------------------------------------------------------------


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in ("torch", "transformers", "ctranslate2"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} not installed")
    return ", ".join(parts)


def print_table(rows: list[tuple[tuple, dict]], threads: int) -> None:
    baselines = {
        device: result["tokens_per_s"]
        for (engine, precision, device, _), result in rows
        if engine == "transformers" and precision == "fp32"
    }
    header = f"{'engine':<13} {'precision':<13} {'device':<6} {'threads':>7}"
    for beam in BEAMS:
        header += f" {f'beam {beam} tok/s':>13} {'ratio':>6} {'cpu':>5}"
    header += f" {'peak RSS':>10} {'load s':>7}"
    print(header)
    print("-" * len(header))
    for (engine, precision, device, workers), result in rows:
        layout = f"{workers}x{max(1, threads // workers)}" if device == "cpu" else "-"
        line = f"{engine:<13} {precision:<13} {device:<6} {layout:>7}"
        for beam in BEAMS:
            speed = result["tokens_per_s"][str(beam)]
            ratio = speed / baselines[device][str(beam)] if device in baselines else float("nan")
            line += f" {speed:>13.1f} {ratio:>5.2f}x {result['cpu_share'][str(beam)]:>5.0%}"
        line += f" {result['peak_rss_mib']:>6.0f} MiB {result['load_s']:>7.1f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="cores per engine (all)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per beam size; the best is kept")
    parser.add_argument("--cache", type=Path, default=REPO_ROOT / ".bench", help="where the model is built")
    parser.add_argument("--no-gpu", action="store_true", help="skip the GPU rows on a GPU machine")
    args = parser.parse_args()

    if args.worker:
        run_worker(json.loads(args.worker))
        return

    # The converted models go into .bench/ too, not into the user's cache.
    os.environ["TARJAMA_CACHE"] = str(args.cache.resolve())
    quiet_transformers()
    load_before = load_average()
    start = time.perf_counter()
    model_dir = build_marian(args.cache / "marian-opus-mt-ar-en-shape-v2", **OPUS_MT_AR_EN_SHAPE, init_std=0.02)
    batch = source_batch(model_dir)
    from pipeline.backends.convert import convert_model

    gpu = not args.no_gpu and cuda_available()
    quantizations = ["float32", "int8"] + (["float16", "int8_float16"] if gpu else [])
    for quantization in quantizations:  # converted ahead, so load times are what users see later
        convert_model(str(model_dir), None, quantization)
    print(f"model: random Marian, d_model 512, 6+6 layers, 8 heads, FFN 2048, vocabulary 62,802 ({model_dir})")
    print(f"input: {SENTENCES} sentences x {SOURCE_TOKENS} source tokens, one batch of {SENTENCES}, "
          f"exactly {TARGET_TOKENS} target tokens each; best of {args.repeats} runs after a warm-up")
    print(f"CPU: {cpu_description()}")
    print(f"threads: every engine uses {args.threads} cores, as workers x threads per worker: transformers "
          f"1x{args.threads} (torch.set_num_threads); CTranslate2 inter_threads x intra_threads, "
          "the batch shared among the workers")
    print(f"versions: {versions()}   (set-up {time.perf_counter() - start:.0f}s)")
    print()

    engines = []
    for row in CPU_ROWS + (GPU_ROWS if gpu else []):
        engine, precision, device, workers = row
        job = {"engine": engine, "precision": precision, "device": device, "workers": workers,
               "threads": args.threads, "model": str(model_dir), "batch": batch}
        engines.append((row, Engine(job)))
    for _, engine in engines:
        for beam in BEAMS:  # warm-up: the first calls allocate memory and pick kernels
            engine.decode(beam, 8)
    for _ in range(args.repeats):
        for beam in BEAMS:
            for _, engine in engines:
                engine.time(beam)
    rows = [(row, engine.finish()) for row, engine in engines]
    print_table(rows, args.threads)
    print("ratio: tokens/s over transformers fp32 on the same device and beam; "
          "threads: workers x threads per worker; cpu: the share of its cores the engine kept busy in "
          "the kept run (less when part of the work is serial or other work took the cores); peak RSS: the engine process's resident memory at its "
          "peak (VmHWM), loading included")
    print(f"load average (1 min) before the bench: {load_before} (above 0: other work was sharing the "
          f"{os.cpu_count()} cores), after: {load_average()} (the bench itself adds about {args.threads})")
    results = dict(rows)
    baseline = results[("transformers", "fp32", "cpu", 1)]["tokens_per_s"]["4"]
    speedup = results[FAST_CPU]["tokens_per_s"]["4"] / baseline
    print(f"speedup ctranslate2-int8 vs transformers-fp32 at beam 4: {speedup:.2f}x")


def quiet_transformers() -> None:
    """No progress bars or advice from transformers in the report."""
    try:
        from transformers.utils import logging

        logging.set_verbosity_error()
        logging.disable_progress_bar()
    except ImportError:
        pass


def load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def cuda_available() -> bool:
    try:
        import torch

        return torch.cuda.is_available()
    except ImportError:
        return False


if __name__ == "__main__":
    main()
