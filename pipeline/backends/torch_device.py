"""The torch device a model runs on: `auto` is CUDA, then Apple's MPS, then the CPU."""

from __future__ import annotations


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
