"""Arabic for terminals that cannot lay it out: shape letters, wrap in logical order, reorder each line."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

BidiMode = Literal["on", "off", "auto"]

# Hebrew, Syriac, Thaana, N'Ko ... and the Arabic blocks and presentation forms: any of these makes a
# string right-to-left material.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def has_rtl(text: str) -> bool:
    return bool(_RTL.search(text))


# A run of right-to-left text inside a left-to-right message: RTL letters with the spaces, digits,
# marks and Arabic punctuation between them.
_RTL_RUN = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]"
                      r"(?:[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\s\d.,:/-]*[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc])?")
FSI, PDI, LRM = "\u2068", "\u2069", "\u200e"


def isolate_rtl(text: str, before: str = FSI, after: str = PDI) -> str:
    """`text` with each run of right-to-left text wrapped in `before` and `after` (by default
    Unicode isolates), so that a message in English that quotes Arabic reads in the right order:
    without them, “كا” 18 shows as “18 ”اك (the digits join the Arabic run)."""
    return _RTL_RUN.sub(lambda m: f"{before}{m.group()}{after}", text)


def resolve_bidi(mode: str, *, console: Console | None = None) -> bool:
    """Whether tarjama must shape and reorder Arabic itself (`on`: yes, `off`: no, `auto`: below).

    `auto` leaves the text in logical order where something else lays it out, and reorders it
    where nothing would (the decision table, also in the README):

    | output                                             | signal                         | Arabic  |
    | a file or a pipe (read later in a bidi editor)     | not a terminal                 | logical |
    | GNOME Terminal, Tilix, Terminator, xfce4 (VTE 0.58+)| VTE_VERSION >= 5800            | logical |
    | Konsole                                            | KONSOLE_VERSION                | logical |
    | mlterm                                             | MLTERM                         | logical |
    | macOS Terminal.app                                 | TERM_PROGRAM=Apple_Terminal    | logical |
    | mintty (Git Bash, Cygwin)                          | TERM_PROGRAM=mintty            | logical |
    | xterm, kitty, Alacritty, iTerm2, Windows Terminal, | none of the above              | visual  |
    | older VTE, the Linux console                       |                                | (ours)  |
    """
    if mode == "on":
        return True
    if mode == "off":
        return False
    if console is not None and not console.is_terminal:
        return False
    return not terminal_does_bidi(os.environ)


def terminal_does_bidi(env: os._Environ[str] | dict[str, str]) -> bool:
    """Whether the terminal described by `env` runs the bidi algorithm itself (see resolve_bidi)."""
    vte = env.get("VTE_VERSION", "")
    if vte.isdigit() and int(vte) >= 5800:
        return True
    if env.get("TERM_PROGRAM") in ("Apple_Terminal", "mintty"):
        return True
    return bool(env.get("KONSOLE_VERSION") or env.get("MLTERM"))


@lru_cache(maxsize=1)
def _reshaper():
    from arabic_reshaper import ArabicReshaper

    # The word ligature for "الله" draws as one wide glyph that terminals measure as one cell,
    # which breaks column alignment (and reads oddly in names such as حزب الله).
    return ArabicReshaper(configuration={"ARABIC LIGATURE ALLAH": False})


def shape(text: Text) -> Text:
    """Arabic letters in their joined forms (still in logical order), styles kept.

    Joining never crosses whitespace, so each word is shaped on its own; a word whose characters
    carry different styles is shaped whole when shaping keeps its length (styles map one to one)
    and run by run otherwise (ligatures or deleted harakat change the length).
    """
    plain = text.plain
    if not has_rtl(plain):
        return text.copy()
    reshape = _reshaper().reshape
    styles = _char_styles(text)
    out = Text(style=text.style, justify=text.justify, overflow=text.overflow, end=text.end)
    for match in re.finditer(r"\S+|\s+", plain):
        start, end = match.span()
        word = match.group()
        if word.isspace() or not has_rtl(word):
            _append_runs(out, word, styles[start:end])
            continue
        runs = list(_runs(styles[start:end]))
        if len(runs) == 1:
            out.append(reshape(word), style=runs[0][2])
            continue
        shaped = reshape(word)
        if len(shaped) == len(word):
            _append_runs(out, shaped, styles[start:end])
        else:
            for run_start, run_end, style in runs:
                out.append(reshape(word[run_start:run_end]), style=style)
    return out


def visual_order(line: str, *, base_dir: Literal["L", "R"] = "R") -> tuple[str, list[int]]:
    """One display line in visual (left-to-right) order, and for each visual position the index of
    its character in `line`.

    python-bidi's Rust `get_display` returns only the string; its pure-Python implementation of the
    same algorithm keeps one record per character, so the index of each record tells where every
    character (and its style) went. Characters the algorithm removes (embedding controls) are
    dropped, brackets in right-to-left runs are mirrored.
    """
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    storage["base_level"] = algorithm.PARAGRAPH_LEVELS[base_dir]
    storage["base_dir"] = base_dir
    algorithm.get_embedding_levels(line, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    chars = storage["chars"]
    return "".join(c["ch"] for c in chars), [c["index"] for c in chars]


def reorder(line: Text, *, base_dir: Literal["L", "R"] = "R") -> Text:
    """A logical-order line as it must be drawn on a terminal that draws left to right."""
    visual, order = visual_order(line.plain, base_dir=base_dir)
    styles = _char_styles(line)
    out = Text(style=line.style)
    _append_runs(out, visual, [styles[i] for i in order])
    return out


@dataclass
class BidiText:
    """A rich renderable for a paragraph of right-to-left text in a terminal.

    With `reorder` on, the logical text is shaped, wrapped to the width rich gives it (long words,
    URLs and numbers are folded, never overflow), and only then each line is reordered for display
    and right-aligned: a long sentence reads from the top line down, as it would in a browser.
    With `reorder` off the logical text is wrapped and left for the terminal to lay out.
    """

    text: Text
    reorder: bool = True
    base_dir: Literal["L", "R"] = "R"

    def lines(self, console: Console, width: int) -> list[Text]:
        text = self.text
        if self.reorder and has_rtl(text.plain):
            text = shape(text)
        wrapped = text.wrap(console, max(width, 1), justify="left", overflow="fold")
        lines = [line.copy() for line in wrapped]
        for line in lines:
            line.rstrip()
        if self.reorder and has_rtl(text.plain):
            lines = [reorder(line, base_dir=self.base_dir) for line in lines]
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        right = self.reorder and self.base_dir == "R"
        for line in self.lines(console, width):
            pad = max(width - line.cell_len, 0)
            if right and pad:
                yield Segment(" " * pad)
            yield from line.render(console, end="")
            if not right and pad:
                yield Segment(" " * pad)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        words = self.text.plain.split()
        longest = max((len(w) for w in words), default=1)
        # Long tokens fold, so they need not set the column's minimum width.
        return Measurement(min(longest, 12), max(self.text.cell_len, 1))


def _char_styles(text: Text) -> list[Style | str]:
    """The style of every character of `text` (spans applied in order, later ones on top)."""
    styles: list[list[Style | str]] = [[] for _ in text.plain]
    for span in text.spans:
        for i in range(span.start, min(span.end, len(styles))):
            styles[i].append(span.style)
    return [_combine(s) for s in styles]


def _combine(styles: list[Style | str]) -> Style | str:
    if not styles:
        return ""
    if len(styles) == 1:
        return styles[0]
    return Style.combine(Style.parse(s) if isinstance(s, str) else s for s in styles)


def _runs(styles: list[Style | str]) -> Iterable[tuple[int, int, Style | str]]:
    start = 0
    for i in range(1, len(styles) + 1):
        if i == len(styles) or styles[i] != styles[start]:
            yield start, i, styles[start]
            start = i


def _append_runs(out: Text, text: str, styles: list[Style | str]) -> None:
    for start, end, style in _runs(styles):
        out.append(text[start:end], style=style or None)
