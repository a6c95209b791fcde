"""Build random-weight Marian models of any shape, with a real sentencepiece tokenizer, for benchmarks.

Speed does not depend on the weights, so a random model of opus-mt-ar-en's shape measures what the
real one would, without a download. The tokenizer is trained on the text of samples/ and its
vocabulary is padded with filler pieces to the size asked for, so the embedding and output
layers have the real model's size too.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "samples"

# The shape of Helsinki-NLP/opus-mt-ar-en.
OPUS_MT_AR_EN = {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "vocab_size": 62802}


def sample_lines(samples_dir: Path = SAMPLES_DIR) -> list[str]:
    """Every non-empty line of the Arabic samples: the training text for the tokenizer."""
    lines = []
    for path in sorted(samples_dir.glob("*.ar.txt")):
        lines.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return lines


def train_sentencepiece(out_dir: Path, lines: list[str], pieces: int = 1000) -> Path:
    """Train a unigram sentencepiece model on `lines`; return the path of the .model file."""
    import sentencepiece as spm

    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / "spm"
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_prefix=str(prefix),
        vocab_size=pieces,
        hard_vocab_limit=False,  # a small corpus may not support the size asked for
        character_coverage=1.0,
        model_type="unigram",
        unk_id=0,
        bos_id=-1,
        eos_id=1,
        pad_id=-1,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def marian_vocab(spm_model: Path, vocab_size: int | None) -> dict[str, int]:
    """A Marian vocab.json as opus-mt has it: `</s>` 0, `<unk>` 1, the pieces, `<pad>` last.

    `vocab_size` pads the vocabulary with filler pieces up to that size (None: no filler).
    `<pad>` must be last: it is the decoder start token, and ctranslate2's Marian converter
    drops the last row of the embeddings for it.
    """
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(spm_model))
    vocab = {"</s>": 0, "<unk>": 1}
    for piece_id in range(processor.get_piece_size()):
        if processor.is_control(piece_id) or processor.is_unknown(piece_id):
            continue
        vocab.setdefault(processor.id_to_piece(piece_id), len(vocab))
    if vocab_size is not None:
        if vocab_size < len(vocab) + 1:
            raise ValueError(f"vocab_size {vocab_size} is smaller than the {len(vocab) + 1} pieces of the tokenizer")
        filler = 0
        while len(vocab) < vocab_size - 1:
            vocab[f"▁w{filler}"] = len(vocab)
            filler += 1
    vocab["<pad>"] = len(vocab)
    return vocab


def build_marian(
    out_dir: Path,
    *,
    d_model: int,
    layers: int,
    heads: int,
    ffn: int,
    vocab_size: int | None = None,
    spm_pieces: int = 1000,
    max_positions: int = 512,
    seed: int = 0,
    init_std: float = 0.02,
    samples_dir: Path = SAMPLES_DIR,
) -> Path:
    """Save a random MarianMTModel and its MarianTokenizer in `out_dir` (save_pretrained layout).

    Reuses `out_dir` when it already holds a model; builds into a temporary folder and renames it,
    so an interrupted build never leaves a half-written model behind.
    """
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    out_dir = Path(out_dir)
    if (out_dir / "config.json").is_file():
        return out_dir
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=out_dir.name + ".", dir=out_dir.parent))
    try:
        spm_model = train_sentencepiece(work / "spm-train", sample_lines(samples_dir), spm_pieces)
        vocab = marian_vocab(spm_model, vocab_size)
        (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        shutil.copy(spm_model, work / "source.spm")
        shutil.copy(spm_model, work / "target.spm")
        tokenizer = MarianTokenizer(
            source_spm=str(work / "source.spm"),
            target_spm=str(work / "target.spm"),
            vocab=str(work / "vocab.json"),
            model_max_length=max_positions,
        )

        pad_id = vocab["<pad>"]
        config = MarianConfig(
            vocab_size=len(vocab),
            d_model=d_model,
            encoder_layers=layers,
            decoder_layers=layers,
            encoder_attention_heads=heads,
            decoder_attention_heads=heads,
            encoder_ffn_dim=ffn,
            decoder_ffn_dim=ffn,
            max_position_embeddings=max_positions,
            activation_function="swish",  # as opus-mt
            scale_embedding=True,
            init_std=init_std,
            pad_token_id=pad_id,
            decoder_start_token_id=pad_id,
            eos_token_id=0,
            forced_eos_token_id=0,
        )
        torch.manual_seed(seed)
        model = MarianMTModel(config).eval()
        # As opus-mt's generation config: never generate <pad>.
        model.generation_config = GenerationConfig(
            decoder_start_token_id=pad_id,
            pad_token_id=pad_id,
            eos_token_id=0,
            forced_eos_token_id=0,
            bad_words_ids=[[pad_id]],
            num_beams=4,
            max_length=max_positions,
        )
        model.save_pretrained(work)
        tokenizer.save_pretrained(work)
        shutil.rmtree(work / "spm-train")
        os.replace(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return out_dir
