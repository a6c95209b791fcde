"""Repetition loops in a translation: a phrase said again and again, as MT models do when they derail."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass
class Loop:
    """`phrase` said `count` times; `start`/`end` are the characters of the whole run in the text."""

    phrase: str
    count: int
    start: int
    end: int
    words: int  # words inside the run, all repetitions together
    consecutive: bool = True

    def describe(self) -> str:
        where = "in a row" if self.consecutive else "in one sentence"
        return f"“{self.phrase}” {self.count} times {where}"


def find_loop(text: str, *, min_repeats: int = 3, max_ngram: int = 8, scattered_ngram: int = 5) -> Loop | None:
    """The longest run of a phrase of 1 to `max_ngram` words repeated `min_repeats` or more times in
    a row ("the the the", "of the war of the war of the war"), or else a phrase of at least
    `scattered_ngram` words that comes back `min_repeats` times anywhere in the text. Case and
    punctuation are ignored. None when there is no loop."""
    tokens = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    words = [t[0] for t in tokens]
    best: Loop | None = None
    for n in range(1, max_ngram + 1):
        i = 0
        while i + n * min_repeats <= len(words):
            count = 1
            while words[i + count * n : i + (count + 1) * n] == words[i : i + n]:
                count += 1
            if count >= min_repeats and (best is None or count * n > best.words):
                last = tokens[i + count * n - 1]
                best = Loop(text[tokens[i][1] : tokens[i + n - 1][2]], count, tokens[i][1], last[2], count * n)
            i += max(1, (count - 1) * n) if count >= min_repeats else 1
    if best is not None or scattered_ngram <= 0:
        return best
    seen: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(words) - scattered_ngram + 1):
        gram = tuple(words[i : i + scattered_ngram])
        starts = seen.setdefault(gram, [])
        if not starts or i >= starts[-1] + scattered_ngram:  # occurrences must not overlap
            starts.append(i)
        if len(starts) >= min_repeats:
            first, last = starts[0], starts[-1] + scattered_ngram - 1
            return Loop(text[tokens[first][1] : tokens[first + scattered_ngram - 1][2]], len(starts),
                        tokens[first][1], tokens[last][2], len(starts) * scattered_ngram, consecutive=False)
    return None


def loop_share(text: str, **options: int) -> float:
    """How much of the text its worst loop takes, 0 when it has none (for choosing between outputs)."""
    loop = find_loop(text, **options)
    if loop is None:
        return 0.0
    total = max(1, len(_WORD.findall(text)))
    return (loop.words - loop.words // loop.count) / total
