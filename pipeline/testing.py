"""Tiny and architecture-sized Marian models with a real sentencepiece tokenizer, for tests and benchmarks."""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

OPUS_MT_AR_EN_SHAPE = {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "vocab_size": 62802,
                       "activation": "swish"}

ROOT = Path(__file__).resolve().parent.parent


# English for the shared vocabulary, so the tiny model writes English pieces even before the
# samples' reference translations exist.
ENGLISH = """The international coalition said its forces would leave the base after the handover.
The spokesman said in a statement that the attacks had not been ruled out.
The minister announced that the security forces had arrested 116 suspects on Saturday.
He added that the talks would resume next week in the capital, according to officials.
The council voted unanimously for a 30-day truce to allow the delivery of aid.
"We will not allow anyone to threaten our security," the official told reporters.
The report said that the number of infections had risen to 169 and 13 people had died.
The president said he would speak with the king about the investigation.""".splitlines()


def sample_texts(root: Path = ROOT) -> list[str]:
    """Lines of the project's samples (Arabic, and English references where present)."""
    lines: list[str] = list(ENGLISH)
    for path in sorted((root / "samples").glob("*.txt")):
        lines.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return lines


def train_sentencepiece(texts: Iterable[str], out_dir: Path, *, vocab_size: int = 1000) -> Path:
    """Train a unigram sentencepiece model on `texts`; returns the .model path."""
    import sentencepiece as spm

    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = out_dir / "corpus.txt"
    corpus.write_text("\n".join(texts) + "\n", encoding="utf-8")
    prefix = out_dir / "spm"
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        pad_id=-1,
        minloglevel=2,
        num_threads=1,
    )
    corpus.unlink()
    return prefix.with_suffix(".model")


def build_marian(
    out_dir: Path,
    *,
    d_model: int = 32,
    layers: int = 2,
    heads: int = 2,
    ffn: int = 64,
    vocab_size: int | None = None,
    activation: str = "gelu",
    spm_vocab: int = 1000,
    texts: list[str] | None = None,
    seed: int = 0,
    suppress_eos: bool = True,
    init_std: float = 0.5,
) -> Path:
    """Save a random-weight MarianMTModel and its MarianTokenizer to `out_dir` (save_pretrained).

    `vocab_size` pads the vocabulary with filler pieces to a real model's size (speed depends on
    the size of the embedding and output layers, not on the tokenizer); `<pad>` stays last, as in
    opus-mt, where ctranslate2's converter expects it. With `suppress_eos`, generation never stops
    early, so every output has the length the caller fixes with max_new_tokens (random weights
    would often stop at once). A folder that already holds a model is reused; a build goes into a
    temporary folder renamed into place, so an interrupted build leaves nothing half-written."""
    out_dir = Path(out_dir)
    if (out_dir / "config.json").is_file():
        return out_dir
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        _build_marian_into(work, d_model=d_model, layers=layers, heads=heads, ffn=ffn,
                           vocab_size=vocab_size, activation=activation, spm_vocab=spm_vocab,
                           texts=texts, seed=seed, suppress_eos=suppress_eos, init_std=init_std)
        if out_dir.exists():
            out_dir.rmdir()  # an empty folder made for us (a test's tmp dir)
        os.replace(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return out_dir


def marian_vocab(spm_path: Path, vocab_size: int | None) -> dict[str, int]:
    """A Marian vocab.json as opus-mt has it: `</s>` 0, `<unk>` 1, the pieces, filler, `<pad>` last."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(spm_path))
    vocab = {"</s>": 0, "<unk>": 1}
    for index in range(processor.get_piece_size()):
        if processor.is_control(index) or processor.is_unknown(index):
            continue
        vocab.setdefault(processor.id_to_piece(index), len(vocab))
    if vocab_size is not None:
        if vocab_size < len(vocab) + 1:
            raise ValueError(f"vocab_size {vocab_size} is smaller than the tokenizer's {len(vocab) + 1} pieces")
        filler = 0
        while len(vocab) < vocab_size - 1:
            vocab[f"\u2581w{filler}"] = len(vocab)
            filler += 1
    vocab["<pad>"] = len(vocab)
    return vocab


def _build_marian_into(
    work: Path, *, d_model: int, layers: int, heads: int, ffn: int, vocab_size: int | None,
    activation: str, spm_vocab: int, texts: list[str] | None, seed: int, suppress_eos: bool,
    init_std: float,
) -> None:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    spm_dir = work / "_spm"
    spm_path = train_sentencepiece(texts or sample_texts(), spm_dir, vocab_size=spm_vocab)
    vocab = marian_vocab(spm_path, vocab_size)
    pieces = len(vocab) if vocab_size is None else vocab_size - 1 - sum(1 for p in vocab if p.startswith("\u2581w"))
    vocab_file = spm_dir / "vocab.json"
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(spm_path), target_spm=str(spm_path), vocab=str(vocab_file),
        source_lang="ar", target_lang="en", model_max_length=512,
    )
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        activation_function=activation,
        max_position_embeddings=512,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        init_std=init_std,
    )
    random.seed(seed)
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        if suppress_eos:
            model.final_logits_bias[0, 0] = -1e4
        # Filler pieces and <pad> are never real output.
        model.final_logits_bias[0, pieces:] = -1e4
        model.final_logits_bias[0, pad] = -1e4
        # Random weights would write Arabic pieces as often as English ones; a translation model
        # writes English, and the tests read its output as English.
        for piece, index in vocab.items():
            if any("\u0600" <= ch <= "\u06ff" for ch in piece):
                model.final_logits_bias[0, index] = -1e4
        # A little variety, so that different inputs give different outputs.
        model.final_logits_bias[0, :pieces] += torch.randn(pieces) * 0.1
    model.generation_config.num_beams = 1
    model.generation_config.bad_words_ids = None
    model.save_pretrained(work)
    tokenizer.save_pretrained(work)
    shutil.rmtree(spm_dir)


def build_bart(
    out_dir: Path,
    *,
    d_model: int = 32,
    layers: int = 2,
    heads: int = 2,
    ffn: int = 64,
    window: int = 64,
    bpe_vocab: int = 600,
    texts: list[str] | None = None,
    seed: int = 0,
    suppress_eos: bool = True,
) -> Path:
    """Save a random-weight BartForConditionalGeneration and its BartTokenizer (byte-level BPE
    trained on the samples' English) to `out_dir`, for the abstractive summarizer's tests.

    `window` is max_position_embeddings: small, so that an article is longer than the window and
    gets summarized in chunks. With `suppress_eos`, every summary is max_new_tokens long."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    english = [t for t in (texts or sample_texts()) if not any("\u0600" <= ch <= "\u06ff" for ch in t)]
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]  # BART's ids 0..3, and the mask
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(english, vocab_size=bpe_vocab, min_frequency=1, special_tokens=specials,
                            show_progress=False)
    vocab = bpe.get_vocab()
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m)
              for m in json.loads(bpe.to_str())["model"]["merges"]]
    tokenizer = BartTokenizer(vocab=vocab, merges=merges, model_max_length=window)
    config = BartConfig(
        vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=window,
        pad_token_id=vocab["<pad>"],
        bos_token_id=vocab["<s>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["</s>"],
        forced_eos_token_id=vocab["</s>"],
        init_std=0.5,
    )
    random.seed(seed)
    torch.manual_seed(seed)
    model = BartForConditionalGeneration(config).eval()
    with torch.no_grad():
        # Special tokens would decode to nothing; a summary of random weights should still be text.
        for token in specials:
            if token != "</s>" or suppress_eos:
                model.final_logits_bias[0, vocab[token]] = -1e4
    model.generation_config.num_beams = 1
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir
