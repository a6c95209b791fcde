"""render: the settings of the output views; the command line renders the finished document after the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.document import Document
from pipeline.stages import stage


@stage("render", requires=(), provides=())
@dataclass
class Render:
    """How the finished document is shown: format, Arabic reordering, width, pager.

    The stage leaves the document as it is; it is a block of settings in the config (the
    command line's --format, --bidi, --width and --pager win over it), so that a profile can say
    "always HTML" or "my terminal does bidi itself".
    """

    format: str = "auto"  # auto (terminal on a terminal, else json), or a registered format: terminal, json, md, html, tmx
    bidi: Literal["on", "off", "auto"] = "auto"  # on: tarjama shapes and reorders Arabic; off: the terminal does; auto: by the terminal
    width: int | None = None  # terminal columns; None: the terminal's own width
    pager: bool = False  # page a long article through the system pager when interactive

    def __post_init__(self) -> None:
        # ValueError: the config loader turns it into a ConfigError naming the file and block.
        from pipeline.render import format_names

        if self.format not in ("auto", *format_names()):
            raise ValueError(f"format is {self.format!r}; use one of auto, {', '.join(format_names())}.")
        if self.width is not None and not 20 <= self.width <= 1000:
            raise ValueError(f"width is {self.width}; give a number of columns from 20 to 1000, or null.")

    def __call__(self, doc: Document) -> Document:
        return doc
