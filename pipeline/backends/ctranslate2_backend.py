"""Translation with CTranslate2: the Marian model converted once (int8 by default on CPU), several times faster."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from pipeline.backends import backend
from pipeline.backends.base import Attention, GenerationSettings, Translation
from pipeline.backends.convert import QUANTIZATIONS, convert_model
from pipeline.backends.tokenizer import (
    check_source_length,
    load_tokenizer,
    piece_spans,
    source_token_limit,
    target_token_limit,
    warn_ceiling,
)
from pipeline.errors import ConfigError, ModelError
from pipeline.models import model_revision, read_model_config, resolve_model

log = logging.getLogger(__name__)

COMPUTE_TYPES = ("auto", *QUANTIZATIONS)

def pick_device(device: str) -> tuple[str, int]:
    """CTranslate2's (device, index) for `auto`, `cpu`, `cuda` or `cuda:N`."""
    import ctranslate2

    if device == "auto":
        return ("cuda", 0) if ctranslate2.get_cuda_device_count() > 0 else ("cpu", 0)
    kind, _, index = device.partition(":")
    if kind not in ("cpu", "cuda") or (index and not index.isdigit()):
        raise ConfigError(f"device '{device}' is not available to the ctranslate2 backend; use auto, cpu, cuda or cuda:N.")
    if kind == "cuda" and ctranslate2.get_cuda_device_count() == 0:
        raise ConfigError(
            f"device '{device}' was asked for but CTranslate2 sees no CUDA GPU here; use device: cpu or auto."
        )
    return kind, int(index or 0)


def pick_compute_type(compute_type: str, device: str) -> str:
    """`auto` is int8 on CPU and int8_float16 on GPU; anything else must be supported by the device."""
    import ctranslate2

    supported = ctranslate2.get_supported_compute_types(device)
    if compute_type == "auto":
        preferred = ("int8", "float32") if device == "cpu" else ("int8_float16", "float16", "float32")
        return next(t for t in preferred if t in supported)
    if compute_type not in COMPUTE_TYPES:
        raise ConfigError(f"compute_type '{compute_type}' is unknown; choose one of: {', '.join(COMPUTE_TYPES)}.")
    if compute_type not in supported:
        raise ConfigError(
            f"compute_type '{compute_type}' is not supported by CTranslate2 on {device} here "
            f"(supported: {', '.join(sorted(supported))}); pick one of those."
        )
    return compute_type


@dataclass
class CTranslate2Options:
    """The `ctranslate2:` config section."""

    threads: int = 0  # threads per worker (intra); 0 shares all cores among the workers
    inter_threads: int = 1  # workers, each translating its own part of a batch at the same time
    compute_type: str = "int8"  # int8, int8_float16, float16, float32 or auto (int8 on CPU, int8_float16 on GPU)

    def __post_init__(self) -> None:
        if self.compute_type not in COMPUTE_TYPES:
            raise ValueError(f"key 'compute_type' must be one of {', '.join(COMPUTE_TYPES)}, not {self.compute_type!r}")
        if self.threads < 0 or self.inter_threads < 1:
            raise ValueError("key 'threads' must be 0 or more and 'inter_threads' at least 1")


@backend("ctranslate2", options=CTranslate2Options, extra="fast")
@dataclass
class CTranslate2Backend:
    """A Marian model run by CTranslate2, tokenized by the model's own sentencepiece tokenizer."""

    model_id: str
    revision: str | None = None
    device: str = "auto"
    threads: int = 0  # threads per worker (intra); 0 shares all cores among the workers
    inter_threads: int = 1  # workers, each translating its own part of a batch at the same time
    compute_type: str = "auto"
    name: str = field(default="ctranslate2", init=False)
    max_source_tokens: int = field(default=512, init=False)
    max_target_tokens: int = field(default=511, init=False)  # output tokens the decoder's positions allow
    _warned_ceiling: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        import ctranslate2

        device, index = pick_device(self.device)
        self.device = device if device == "cpu" else f"{device}:{index}"
        self.compute_type = pick_compute_type(self.compute_type, device)
        self.path = resolve_model(self.model_id, self.revision)
        config = read_model_config(self.path, self.model_id)
        self.tokenizer = load_tokenizer(self.path, self.model_id)
        self.converted = convert_model(self.model_id, self.revision, self.compute_type)
        try:
            self.translator = ctranslate2.Translator(
                str(self.converted),
                device=device,
                device_index=index,
                compute_type=self.compute_type,
                intra_threads=self.threads or max(1, (os.cpu_count() or 1) // max(1, self.inter_threads)),
                inter_threads=max(1, self.inter_threads),
            )
        except Exception as err:
            raise ModelError(
                f"the CTranslate2 conversion of model '{self.model_id}' in {self.converted} could not be loaded "
                f"({type(err).__name__}: {err}); delete that folder to convert it again."
            ) from None
        self.max_source_tokens = source_token_limit(self.tokenizer, config.get("max_position_embeddings"))
        self.max_target_tokens = target_token_limit(config.get("max_position_embeddings"))
        # transformers' generate forces end-of-sentence as the last of max_new_tokens when the
        # model asks for it (opus-mt does): stop one token earlier so both backends agree.
        self._forced_eos = config.get("forced_eos_token_id") is not None

    # -- Backend protocol -----------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, truncation=False).input_ids)

    def describe(self) -> dict[str, str]:
        import ctranslate2

        return {
            "model": self.model_id,
            "revision": self.revision or model_revision(self.path),
            "backend": self.name,
            "device": self.device,
            "dtype": self.compute_type,
            "ctranslate2": ctranslate2.__version__,
            "converted": str(self.converted),
        }

    def translate(self, texts: list[str], settings: GenerationSettings) -> list[Translation]:
        if not texts:
            return []
        self._warned_ceiling = warn_ceiling(settings, self.max_target_tokens, self.model_id, self._warned_ceiling)
        sources = [self._source_tokens(text) for text in texts]
        check_source_length(max(len(tokens) for tokens in sources), self.max_source_tokens, self.model_id)
        # CTranslate2 takes one length limit per call: pieces with the same budget go together.
        by_budget: dict[int, list[int]] = {}
        for i, tokens in enumerate(sources):
            by_budget.setdefault(settings.budget(len(tokens), self.max_target_tokens), []).append(i)
        out: list[Translation | None] = [None] * len(texts)
        for budget, indices in sorted(by_budget.items()):
            # transformers' generate forces end-of-sentence as the last token of the budget when
            # the model asks for it (opus-mt does): stop one token earlier so both backends agree.
            max_length = max(1, budget - 1 if self._forced_eos else budget)
            results = self.translator.translate_batch(
                [sources[i] for i in indices],
                max_batch_size=self.worker_batch_size(settings.batch_size),  # sorted by length inside
                beam_size=max(1, settings.num_beams),
                max_decoding_length=max_length,
                max_input_length=0,  # never truncate: the translate stage chunks long sentences
                no_repeat_ngram_size=settings.no_repeat_ngram_size,
                repetition_penalty=settings.repetition_penalty,
                return_end_token=True,
                return_scores=False,
            )
            for i, result in zip(indices, results, strict=True):
                out[i] = self._translation(result.hypotheses[0])
        return [t for t in out if t is not None]

    def worker_batch_size(self, batch_size: int) -> int:
        """Sentences per worker: a batch is shared among the workers, which decode their parts at
        once. On a small CPU, 2 workers of 1 thread decode faster than 1 worker of 2 threads, whose
        beam search leaves a core idle part of the time (see `make bench`)."""
        workers = max(1, self.inter_threads)
        return max(1, -(-max(1, batch_size) // workers))

    def attention(self, source: str, target: str) -> Attention:
        """Cross-attention of `target` forced-decoded from `source`.

        CTranslate2 returns one alignment head (the first head of the last decoder layer),
        not the average over layers and heads that the transformers backend gives.
        """
        src_pieces = self._source_tokens(source)
        tgt_pieces = self.tokenizer.convert_ids_to_tokens(self.tokenizer(text_target=target).input_ids)
        prefix = [p for p in tgt_pieces if p != self.tokenizer.eos_token]
        result = self.translator.translate_batch(
            [src_pieces],
            target_prefix=[prefix],
            beam_size=1,
            max_decoding_length=len(prefix) + 1,
            max_input_length=0,
            return_attention=True,
            return_end_token=True,
        )[0]
        weights = [list(row) for row in result.attention[0][: len(tgt_pieces)]]
        return Attention(
            source_spans=piece_spans(source, src_pieces),
            target_spans=piece_spans(target, tgt_pieces),
            weights=weights,
        )

    # -- internals ------------------------------------------------------------------------
    def _source_tokens(self, text: str) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(self.tokenizer(text, truncation=False).input_ids)

    def _translation(self, pieces: list[str]) -> Translation:
        ended = bool(pieces) and pieces[-1] == self.tokenizer.eos_token
        if ended:
            pieces = pieces[:-1]
        ids = self.tokenizer.convert_tokens_to_ids(pieces)
        text = self.tokenizer.decode(ids, skip_special_tokens=True).strip()
        return Translation(text=text, tokens=len(ids), hit_max_length=not ended)

