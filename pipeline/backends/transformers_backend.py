"""Translation with Hugging Face transformers (MarianMT by default), on CPU, CUDA or MPS."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.backends import backend
from pipeline.backends.base import Attention, GenerationSettings, Translation
from pipeline.errors import ModelError
from pipeline.models import check_seq2seq, model_revision, resolve_model

log = logging.getLogger(__name__)


def pick_device(device: str) -> str:
    import torch

    if device != "auto":
        return device
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def load_tokenizer(path: Path, model: str) -> Any:
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(str(path), trust_remote_code=False)
    except Exception as err:
        refuse_custom_code(err, model)
        raise ModelError(
            f"the tokenizer of model '{model}' could not be loaded ({type(err).__name__}: {first_line(err)}); "
            "the folder may be incomplete: download the model again."
        ) from None


def first_line(err: BaseException) -> str:
    """The first line of a library's message, without its trailing full stop: ours ends the sentence."""
    lines = str(err).strip().splitlines()
    return lines[0].rstrip(" .") if lines else type(err).__name__


def refuse_custom_code(err: BaseException, model: str) -> None:
    """A model folder whose config names its own Python classes would need trust_remote_code,
    which tarjama never passes: say so plainly instead of the library's advice to turn it on."""
    if "trust_remote_code" in str(err) or "custom code" in str(err):
        raise ModelError(
            f"model '{model}' needs its own Python code to load, which tarjama never runs; "
            "use a standard sequence-to-sequence model such as Helsinki-NLP/opus-mt-ar-en."
        ) from None


@dataclass
class TransformersOptions:
    """The `transformers:` config section."""

    threads: int = 0  # torch threads; 0 = torch's default


@backend("transformers", options=TransformersOptions)
@dataclass
class TransformersBackend:
    """MarianMT (or any seq2seq model) through `generate`, batches sorted by length."""

    model_id: str
    revision: str | None = None
    device: str = "auto"
    threads: int = 0
    dtype: str = "auto"
    name: str = field(default="transformers", init=False)
    max_source_tokens: int = field(default=512, init=False)
    max_target_tokens: int = field(default=511, init=False)  # output tokens the decoder's positions allow
    _warned_ceiling: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        # A missing model or one of the wrong kind is known from config.json alone: say so
        # before the seconds it takes to import torch.
        self.path = resolve_model(self.model_id, self.revision)
        check_seq2seq(self.path, self.model_id)

        import torch
        import transformers
        from transformers import AutoModelForSeq2SeqLM

        if not log.isEnabledFor(logging.INFO):
            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
        if self.threads > 0:
            torch.set_num_threads(self.threads)
        self.tokenizer = load_tokenizer(self.path, self.model_id)
        self.device = pick_device(self.device)
        torch_dtype = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}.get(
            self.dtype, torch.float32
        )
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(
                str(self.path), dtype=torch_dtype, trust_remote_code=False
            )
        except Exception as err:
            refuse_custom_code(err, self.model_id)
            raise ModelError(
                f"model '{self.model_id}' could not be loaded from {self.path} ({type(err).__name__}: {first_line(err)}); "
                "the folder may be corrupted: download the model again."
            ) from None
        check_tokenizer_matches(self.tokenizer, model.config, self.model_id)
        self.model = model.to(self.device).eval()
        positions = getattr(model.config, "max_position_embeddings", None)
        self.max_source_tokens = source_token_limit(self.tokenizer, positions)
        self.max_target_tokens = target_token_limit(positions)

    # -- Backend protocol -----------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, truncation=False).input_ids)

    def describe(self) -> dict[str, str]:
        import torch
        import transformers

        return {
            "model": self.model_id,
            "revision": self.revision or model_revision(self.path),
            "backend": self.name,
            "device": self.device,
            "dtype": str(next(self.model.parameters()).dtype).replace("torch.", ""),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
        }

    def translate(self, texts: list[str], settings: GenerationSettings) -> list[Translation]:
        self._warned_ceiling = warn_ceiling(settings, self.max_target_tokens, self.model_id, self._warned_ceiling)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        results: list[Translation | None] = [None] * len(texts)
        start = 0
        batch_size = max(1, settings.batch_size)
        while start < len(order):
            batch = order[start : start + batch_size]
            try:
                outputs = self._generate([texts[i] for i in batch], settings)
            except RuntimeError as err:
                if not is_out_of_memory(err):
                    raise
                self._empty_cache()
                if batch_size == 1:
                    raise ModelError(
                        f"the {self.device} device ran out of memory translating one sentence with model "
                        f"'{self.model_id}' even in a batch of one; lower generation.num_beams or "
                        "generation.max_chunk_tokens, or set `device: cpu`."
                    ) from None
                batch_size = max(1, len(batch) // 2)
                log.warning("out of memory on %s; retrying with batch size %d", self.device, batch_size)
                continue
            for i, out in zip(batch, outputs, strict=True):
                results[i] = out
            start += len(batch)
        return [r for r in results if r is not None]

    # -- internals ------------------------------------------------------------------------
    def _empty_cache(self) -> None:
        import torch

        if self.device.startswith("cuda"):
            torch.cuda.empty_cache()

    def _generate(self, texts: list[str], settings: GenerationSettings) -> list[Translation]:
        import torch

        enc = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=False).to(self.device)
        check_source_length(enc.input_ids.shape[1], self.max_source_tokens, self.model_id)
        # Each piece's own budget: the batch runs to the largest, and a logits processor ends
        # every other piece at its own (as max_new_tokens would end it alone).
        budgets = [settings.budget(int(n), self.max_target_tokens) for n in enc.attention_mask.sum(dim=1).tolist()]
        kwargs: dict[str, Any] = {
            "num_beams": settings.num_beams,
            "max_new_tokens": max(budgets),
            "logits_processor": [piece_budgets(budgets, settings.num_beams, self.tokenizer.eos_token_id)],
        }
        if settings.no_repeat_ngram_size:
            kwargs["no_repeat_ngram_size"] = settings.no_repeat_ngram_size
        if settings.repetition_penalty != 1.0:
            kwargs["repetition_penalty"] = settings.repetition_penalty
        with torch.inference_mode():
            out = self.model.generate(**enc, **kwargs)
        special = {
            t for t in (self.tokenizer.pad_token_id, self.tokenizer.eos_token_id,
                        self.model.config.decoder_start_token_id) if t is not None
        }
        results = []
        for row, budget in zip(out.tolist(), budgets, strict=True):
            tokens = [t for t in row if t not in special]
            text = self.tokenizer.decode(tokens, skip_special_tokens=True).strip()
            # A forced end-of-sentence at the length limit still means the limit cut the output.
            generated = len(row) - 1 - row[1:].count(self.tokenizer.pad_token_id)
            results.append(Translation(text=text, tokens=len(tokens), hit_max_length=generated >= budget))
        return results

    def attention(self, source: str, target: str) -> Attention:
        """Cross-attention of `target` forced-decoded from `source`, averaged over layers and heads."""
        import torch

        src = self.tokenizer(source, return_tensors="pt", truncation=False)
        tgt_ids = self.tokenizer(text_target=target, truncation=False).input_ids
        start = self.model.config.decoder_start_token_id
        decoder_input = torch.tensor([[start, *tgt_ids[:-1]]], device=self.device)
        # Fused attention kernels do not return weights; switch to eager for this pass only.
        previous = self.model.config._attn_implementation
        self.model.set_attn_implementation("eager")
        try:
            with torch.inference_mode():
                out = self.model(
                    input_ids=src.input_ids.to(self.device),
                    attention_mask=src.attention_mask.to(self.device),
                    decoder_input_ids=decoder_input,
                    output_attentions=True,
                )
        finally:
            self.model.set_attn_implementation(previous)
        stacked = torch.stack(list(out.cross_attentions))  # layers, batch, heads, tgt, src
        weights = stacked.mean(dim=(0, 2))[0].float().cpu().tolist()
        src_pieces = self.tokenizer.convert_ids_to_tokens(src.input_ids[0].tolist())
        tgt_pieces = self.tokenizer.convert_ids_to_tokens(tgt_ids)
        return Attention(
            source_spans=piece_spans(source, src_pieces),
            target_spans=piece_spans(target, tgt_pieces),
            weights=weights,
        )


def source_token_limit(tokenizer: Any, max_position_embeddings: int | None, default: int = 512) -> int:
    """The longest input the model takes: its positions (`default` when the config does not say), or
    the tokenizer's own limit when that is lower."""
    limit = max_position_embeddings or default
    return min(limit, getattr(tokenizer, "model_max_length", limit) or limit)


def target_token_limit(max_position_embeddings: int | None, default: int = 512) -> int:
    """The most tokens the decoder can write: its positions, less the decoder's start token."""
    return max(1, (max_position_embeddings or default) - 1)


def warn_ceiling(settings: GenerationSettings, limit: int, model: str, warned: bool) -> bool:
    """Say once that generation.max_new_tokens is above what the model can write (it is capped there)."""
    if settings.max_new_tokens > limit and not warned:
        log.warning("generation.max_new_tokens=%d is more than model '%s' can write (%d, its positions); "
                    "capped at %d", settings.max_new_tokens, model, limit, limit)
        return True
    return warned


def piece_budgets(budgets: list[int], num_beams: int, eos_token_id: int) -> Any:
    """A logits processor that forces end-of-sentence as the last token of each piece's budget.

    Rows are the batch's pieces times their beams, in order; a row's length counts the decoder's
    start token, so a piece with budget B is forced to end when its row is B long."""
    import torch
    from transformers import LogitsProcessor

    class PieceBudgets(LogitsProcessor):
        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
            length = input_ids.shape[1]
            rows = [r for r in range(scores.shape[0]) if budgets[r // max(1, num_beams)] == length]
            if rows:
                scores[rows] = -float("inf")
                scores[rows, eos_token_id] = 0.0
            return scores

    return PieceBudgets()


def check_source_length(tokens: int, limit: int, model: str) -> None:
    """Every backend refuses a chunk longer than its model takes rather than truncate it."""
    if tokens > limit:
        raise ModelError(
            f"a chunk of {tokens} tokens is longer than model '{model}' accepts "
            f"({limit}); lower generation.max_chunk_tokens."
        )


def check_tokenizer_matches(tokenizer: Any, config: Any, model: str) -> None:
    """A tokenizer from another model gives ids the model reads as other words (or that index
    past its embedding): refuse it when its size or its padding and end ids disagree."""
    fix = "the tokenizer does not match this model: put the tokenizer files saved with this model back in its folder."
    vocab = len(tokenizer)
    if vocab > config.vocab_size:
        raise ModelError(f"the tokenizer of model '{model}' has {vocab} tokens but the model only "
                         f"{config.vocab_size}; {fix}")
    for what in ("pad_token_id", "eos_token_id"):
        ours, theirs = getattr(tokenizer, what, None), getattr(config, what, None)
        if isinstance(ours, int) and isinstance(theirs, int) and ours != theirs:
            raise ModelError(f"the tokenizer of model '{model}' has {what} {ours} but the model {theirs}; {fix}")


def is_out_of_memory(err: BaseException) -> bool:
    """torch's OutOfMemoryError (CUDA), or a RuntimeError that says so (MPS, CPU, older torch)."""
    import torch

    oom = getattr(torch, "OutOfMemoryError", None) or getattr(torch.cuda, "OutOfMemoryError", None)
    message = str(err).lower()
    return (oom is not None and isinstance(err, oom)) or "out of memory" in message \
        or "can't allocate memory" in message


def piece_spans(text: str, pieces: list[str]) -> list[tuple[int, int] | None]:
    """Character spans of sentencepiece pieces in `text` (None for special or unmatched pieces)."""
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for piece in pieces:
        if piece.startswith("<") and piece.endswith(">"):
            spans.append(None)
            continue
        surface = piece.replace("\u2581", " ").strip()
        if not surface:
            spans.append(None)
            continue
        found = text.find(surface, pos)
        if found < 0 or found - pos > 20:
            spans.append(None)
            continue
        spans.append((found, found + len(surface)))
        pos = found + len(surface)
    return spans
