"""Render a finished Document as text: terminal (rich), json, md, html or tmx."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.document import Document

FORMATS = ("terminal", "json", "md", "html", "tmx")


def render(
    doc: Document,
    fmt: str,
    *,
    width: int | None = None,
    bidi: str = "on",
    flags_only: bool = False,
) -> str:
    """`doc` in format `fmt`. `width` and `bidi` matter to the terminal view only (its text, without
    colour codes); `flags_only` keeps only the sentences with QA flags (json keeps everything)."""
    # Each renderer is imported when asked for, so `import pipeline.render` stays light.
    if fmt == "terminal":
        from pipeline.render.terminal import render_text

        return render_text(doc, width=width, bidi=bidi, flags_only=flags_only)
    if fmt == "json":
        return doc.to_json()
    if fmt == "md":
        from pipeline.render.markdown import render_markdown

        return render_markdown(doc, flags_only=flags_only)
    if fmt == "html":
        from pipeline.render.html import render_html

        return render_html(doc, flags_only=flags_only)
    if fmt == "tmx":
        from pipeline.render.tmx import render_tmx

        return render_tmx(doc, flags_only=flags_only)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
