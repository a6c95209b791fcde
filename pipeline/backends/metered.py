"""A backend wrapper that measures model time, texts translated and tokens generated."""

from __future__ import annotations

import time
from typing import Any


class MeteredBackend:
    """The loaded backend, timed: every call into the model adds to `seconds`; `translate` also
    counts texts and generated tokens. Tokenizer-only calls are not model time."""

    NOT_MODEL = frozenset({"count_tokens", "describe", "tokenize"})

    def __init__(self, backend: Any) -> None:
        self.wrapped = backend
        self.seconds = 0.0
        self.texts = 0
        self.tokens = 0

    def translate(self, texts: list[str], settings: Any) -> list[Any]:
        started = time.perf_counter()
        try:
            results = self.wrapped.translate(texts, settings)
        finally:
            self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        self.tokens += sum(getattr(r, "tokens", 0) for r in results)
        return results

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.wrapped, name)
        if not callable(value) or name in self.NOT_MODEL or name.startswith("_"):
            return value

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed
