"""The side-by-side terminal view (rich): English left, Arabic right, quotations coloured in pairs."""

from __future__ import annotations

import os
from io import StringIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pipeline.document import Document
from pipeline.render import renderer
from pipeline.render.bidi import LRM, BidiText, has_rtl, isolate_rtl, resolve_bidi
from pipeline.render.view import SEVERITY_MARKS, Mark, Row, View, build_view, speaker_label

# Distinct on dark and light backgrounds; red is left to errors.
QUOTE_COLOURS = ("cyan", "magenta", "green", "yellow", "bright_blue", "bright_magenta", "bright_cyan", "bright_green")
SEVERITY_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
FLAG_SPAN_STYLE = "underline"


def quote_style(view: View, quote_id: str) -> str:
    return "bold " + QUOTE_COLOURS[view.colour[quote_id] % len(QUOTE_COLOURS)]


def print_document(
    doc: Document,
    *,
    console: Console,
    bidi: str = "on",
    flags_only: bool = False,
    pager: bool = False,
) -> None:
    """Print the document to `console`; with `pager`, through the system pager when interactive."""
    renderable = document_view(doc, reorder=resolve_bidi(bidi, console=console), flags_only=flags_only)
    if pager and console.is_terminal:
        # `less` shows colour codes as text unless told -R; a LESS the user set is left alone.
        os.environ.setdefault("LESS", "-R")
        with console.pager(styles=True):
            console.print(renderable)
    else:
        console.print(renderable)


@renderer("terminal", suffixes=(".txt",), options=("width", "bidi", "flags_only"))
def render_text(doc: Document, *, width: int | None = None, bidi: str = "on", flags_only: bool = False) -> str:
    """The terminal view as plain text (no colour codes), `width` columns wide (default 100)."""
    console = Console(record=True, width=width or 100, file=StringIO(), color_system=None, force_terminal=False)
    console.print(document_view(doc, reorder=resolve_bidi(bidi, console=console), flags_only=flags_only))
    return console.export_text(styles=False)


def document_view(doc: Document, *, reorder: bool = True, flags_only: bool = False) -> RenderableType:
    """The whole view as one rich renderable: header, sentence table, flag legend, summary."""
    view = build_view(doc, flags_only=flags_only)
    parts: list[RenderableType] = [_header(view, reorder)]
    if flags_only and not view.rows:
        parts.append(Text("No sentence has a QA flag.", style="dim"))
    else:
        parts.append(_table(view, reorder))
    legend = _flag_legend(view, reorder)
    if legend is not None:
        parts.append(legend)
    if view.summary is not None:
        parts.append(_summary(view, reorder))
    return Group(*parts)


def styled(text: str, marks: list[Mark], view: View) -> Text:
    """`text` with its quotations in their colours (inner ones on top) and flagged spans underlined."""
    out = Text(text, overflow="fold")
    quotes = sorted((m for m in marks if m.quote is not None), key=lambda m: (m.start, -m.end))
    for mark in quotes:
        out.stylize(quote_style(view, mark.quote), mark.start, mark.end)
    for mark in marks:
        if mark.flag is not None:
            out.stylize(FLAG_SPAN_STYLE, mark.start, mark.end)
    return out


def _line(text: Text | str, reorder: bool, *, base_dir: str = "L") -> RenderableType:
    """A short line that may hold Arabic: laid out by the bidi renderer only when it must be."""
    text = Text(text) if isinstance(text, str) else text
    if not has_rtl(text.plain):
        text.overflow = "fold"
        return text
    return BidiText(text, reorder=reorder, base_dir=base_dir)


def _header(view: View, reorder: bool) -> RenderableType:
    lines: list[RenderableType] = []
    if view.title:
        lines.append(_line(Text(view.title, style="bold"), reorder, base_dir="R"))
    when_where = " · ".join(x for x in (view.date, view.dateline) if x)
    if when_where:
        lines.append(_line(Text(when_where, style="dim"), reorder, base_dir="R"))
    counts = f"{len(view.rows)} sentences" if view.rows and view.rows[0].id.startswith("s") else "not segmented"
    if view.rows and not view.translated:
        counts += " · not translated"
    model = view.provenance.get("model")
    if model:
        counts += f" · {model}"
    lines.append(Text(counts, style="dim", overflow="fold"))
    return Panel(Group(*lines), box=box.ROUNDED, padding=(0, 1))


def _table(view: View, reorder: bool) -> Table:
    table = Table(box=box.MINIMAL, expand=True, show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("", no_wrap=True, style="dim", min_width=3)
    table.add_column("English", ratio=1, overflow="fold")
    table.add_column(_line(Text("العربية"), reorder, base_dir="R"), ratio=1, justify="right")
    for index, row in enumerate(view.rows):
        next_row = view.rows[index + 1] if index + 1 < len(view.rows) else None
        end_section = next_row is not None and next_row.paragraph != row.paragraph
        table.add_row(_gutter(row), _english_cell(row, view, reorder), _arabic_cell(row, view, reorder),
                      end_section=end_section)
    return table


def _gutter(row: Row) -> Text:
    out = Text(row.id)
    for flag in row.flags:
        out.append("\n" + SEVERITY_MARKS.get(flag.severity, "⚑"), style=SEVERITY_STYLES.get(flag.severity, "bold"))
    return out


def _english_cell(row: Row, view: View, reorder: bool) -> RenderableType:
    parts: list[RenderableType] = []
    if row.en:
        parts.append(_line(styled(row.en, row.en_marks, view), reorder))
    for quote in row.separate:
        line = Text()
        line.append(f"{quote.id} translated on its own: ", style="dim")
        line.append(f"“{quote.translation.text}”", style=quote_style(view, quote.id))
        parts.append(_line(line, reorder))
    for quote in row.quotes:
        colour = quote_style(view, quote.id)
        line = Text()
        line.append(f"▍{quote.id} {quote.kind}", style=colour)
        english, arabic = speaker_label(quote, lang="en"), speaker_label(quote, lang="ar")
        if english:
            line.append(f" · {english}", style=colour)
            if arabic and arabic != english:
                line.append(f" ({arabic})", style="dim")
        parts.append(_line(line, reorder))
    return Group(*parts) if parts else Text("")


def _arabic_cell(row: Row, view: View, reorder: bool) -> RenderableType:
    return BidiText(styled(row.ar, row.ar_marks, view), reorder=reorder, base_dir="R")


def _flag_legend(view: View, reorder: bool) -> RenderableType | None:
    flagged = view.flagged
    if not flagged:
        return None
    key = Text("QA flags (check these sentences):  ")
    for severity, mark in SEVERITY_MARKS.items():
        key.append(f"{mark} {severity}  ", style=SEVERITY_STYLES[severity])
    key.append("underlined: the span concerned", style="dim")
    # One line per flag; a long message wraps under itself, not under the sentence number.
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1, overflow="fold")
    for row in flagged:
        for flag in row.flags:
            where = Text(f"{row.id} ")
            where.append(SEVERITY_MARKS.get(flag.severity, "⚑"), style=SEVERITY_STYLES.get(flag.severity, "bold"))
            grid.add_row(where, flag.rule, _line(Text(_message(flag.message, reorder)), reorder))
    return Group(key, grid)


def _message(message: str, reorder: bool) -> str:
    """A flag message with its Arabic runs isolated: Unicode isolates for a terminal that lays out
    bidi text itself; when tarjama reorders (its bidi algorithm has no isolates) a left-to-right
    mark after each run, which keeps the digits and marks after it out of the Arabic."""
    return isolate_rtl(message, "", LRM) if reorder else isolate_rtl(message)


def _summary(view: View, reorder: bool) -> Panel:
    summary = view.summary or {}
    grid = Table.grid(expand=True, padding=(0, 2))
    grid.add_column(ratio=1)
    grid.add_column(ratio=1)
    grid.add_row(
        Text(summary.get("en") or "", overflow="fold"),
        BidiText(Text(summary.get("ar") or ""), reorder=reorder, base_dir="R"),
    )
    parts: list[RenderableType] = [grid]
    if summary.get("key_quotes"):
        parts.append(Text("\nKey quotations", style="bold"))
        quotes = Table.grid(expand=True, padding=(0, 2))
        quotes.add_column(ratio=1)
        quotes.add_column(ratio=1)
        for item in summary["key_quotes"]:
            speaker = item.get("speaker_en") or item.get("speaker") or "(no speaker)"
            colour = quote_style(view, item["quote"]) if item["quote"] in view.colour else ""
            english = Text()
            english.append(f"{speaker}: ", style="bold")
            english.append(f"“{item['en']}”" if item["en"] else "(no English)", style=colour)
            arabic = Text(item["ar"], style=colour)
            quotes.add_row(_line(english, reorder), BidiText(arabic, reorder=reorder, base_dir="R"))
        parts.append(quotes)
    title = f"Summary ({summary.get('method', '')})" if summary.get("method") else "Summary"
    return Panel(Group(*parts), title=title, title_align="left", box=box.ROUNDED)
