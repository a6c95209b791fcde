"""Translation with Hugging Face transformers (MarianMT by default), on CPU, CUDA or MPS."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pipeline.backends import backend
from pipeline.backends.base import Attention, GenerationSettings, Translation
from pipeline.backends.tokenizer import (
    check_source_length,
    check_tokenizer_matches,
    first_line,
    load_tokenizer,
    piece_spans,
    refuse_custom_code,
    source_token_limit,
    target_token_limit,
    warn_ceiling,
)
from pipeline.backends.torch_device import pick_device
from pipeline.errors import ModelError
from pipeline.models import check_seq2seq, model_revision, resolve_model

log = logging.getLogger(__name__)


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


def is_out_of_memory(err: BaseException) -> bool:
    """torch's OutOfMemoryError (CUDA), or a RuntimeError that says so (MPS, CPU, older torch)."""
    import torch

    oom = getattr(torch, "OutOfMemoryError", None) or getattr(torch.cuda, "OutOfMemoryError", None)
    message = str(err).lower()
    return (oom is not None and isinstance(err, oom)) or "out of memory" in message \
        or "can't allocate memory" in message
