"""The side-by-side view as GitHub Markdown: a table of sentences (English, Arabic, flags) and the quotations."""

from __future__ import annotations

import re

from pipeline.document import Document
from pipeline.render import renderer
from pipeline.render.bidi import isolate_rtl
from pipeline.render.view import SEVERITY_MARKS, Mark, Row, View, build_view, pieces, speaker_label

# Characters that Markdown (or the HTML GitHub allows in it) would read as syntax.
_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|~!$])")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def escape_md(text: str) -> str:
    """Text that GitHub shows as written, on one line (it goes into a table cell)."""
    text = text.replace("&", "&amp;")
    text = _SPECIAL.sub(lambda m: "&lt;" if m.group() == "<" else "&gt;" if m.group() == ">" else "\\" + m.group(),
                        text)
    # Every character Python or a browser counts as a line break ends the table row: make it <br>.
    text = re.sub("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", "<br>", text)
    return _CONTROL.sub("", text.replace("\t", " "))


@renderer("md", suffixes=(".md", ".markdown"), options=("flags_only",))
def render_markdown(doc: Document, *, flags_only: bool = False) -> str:
    view = build_view(doc, flags_only=flags_only)
    parts = [_header(view), _summary(view), _table(view, flags_only), _quotations(view), _flags(view)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _header(view: View) -> str:
    lines = [f"# {escape_md(view.title)}" if view.title else "# Translation"]
    meta = " · ".join(escape_md(x) for x in (view.date, view.dateline) if x)
    provenance = " · ".join(escape_md(str(view.provenance[k])) for k in ("model", "backend") if view.provenance.get(k))
    if meta:
        lines.append(meta)
    if provenance:
        lines.append(f"*{provenance}*")
    return "\n\n".join(lines)


def _summary(view: View) -> str:
    if view.summary is None:
        return ""
    summary = view.summary
    method = f" ({escape_md(summary['method'])})" if summary.get("method") else ""
    out = [f"## Summary{method}", "", "| English | العربية |", "| --- | --- |",
           f"| {escape_md(summary['en'])} | {escape_md(summary['ar'])} |"]
    if summary["key_quotes"]:
        out += ["", "### Key quotations", "", "| Speaker | English | العربية |", "| --- | --- | --- |"]
        for item in summary["key_quotes"]:
            speaker = item["speaker_en"] or item["speaker"]
            if item["speaker_en"] and item["speaker"]:
                speaker = f"{item['speaker_en']} ({item['speaker']})"
            out.append(f"| {escape_md(speaker)} | {escape_md(item['en'])} | {escape_md(item['ar'])} |")
    return "\n".join(out)


def _table(view: View, flags_only: bool) -> str:
    if flags_only and not view.rows:
        return "No sentence has a QA flag."
    out = ["## Sentences", "", "| # | English | العربية | Flags |", "| --- | --- | --- | --- |"]
    previous = view.rows[0].paragraph if view.rows else None
    for row in view.rows:
        number = escape_md(row.id)
        if row.paragraph != previous:
            number = f"¶ {number}"  # a new paragraph starts here
        previous = row.paragraph
        out.append(f"| {number} | {_english(row)} | {_marked(row.ar, row.ar_marks)} | {_flag_cell(row)} |")
    return "\n".join(out)


def _english(row: Row) -> str:
    text = _marked(row.en or "", row.en_marks)
    for quote in row.separate:
        text += f"<br>{escape_md(quote.id)} translated on its own: “{escape_md(quote.translation.text)}”"
    return text


def _marked(text: str, marks: list[Mark]) -> str:
    """Quotations in bold with their id after them (HTML tags, which GitHub keeps, because `**`
    fails next to spaces and punctuation). Flagged spans stay plain: the Flags column names them."""
    quote_marks = [m for m in marks if m.quote is not None]
    out = []
    open_ids: list[str] = []
    for piece, covering in pieces(text, quote_marks):
        ids = [m.quote for m in covering]
        # Close the quotations that end here, then open the ones that start.
        while open_ids and open_ids[-1] not in ids:
            out.append(f"</b><sup>{escape_md(open_ids.pop())}</sup>")
        for quote_id in ids:
            if quote_id not in open_ids:
                out.append("<b>")
                open_ids.append(quote_id)
        out.append(escape_md(piece))
    while open_ids:
        out.append(f"</b><sup>{escape_md(open_ids.pop())}</sup>")
    return "".join(out)


def _flag_cell(row: Row) -> str:
    return "<br>".join(
        f"{SEVERITY_MARKS.get(f.severity, 'ℹ')} **{escape_md(f.rule)}**: {escape_md(isolate_rtl(f.message))}"
        for f in row.flags
    )


def _quotations(view: View) -> str:
    if not view.quotes:
        return ""
    out = ["## Quotations", "", "| # | Kind | Speaker | English | العربية |", "| --- | --- | --- | --- | --- |"]
    for quote in view.quotes:
        speaker = speaker_label(quote, lang="en") or ""
        arabic = speaker_label(quote, lang="ar") or ""
        if arabic and arabic != speaker:
            speaker = f"{speaker} ({arabic})"
        speaker = isolate_rtl(speaker)
        english = quote.translation.text if quote.translation else ""
        out.append(
            f"| {escape_md(quote.id)} | {escape_md(quote.kind)} | {escape_md(speaker)} | "
            f"{escape_md(english)} | {escape_md(quote.text)} |"
        )
    return "\n".join(out)


def _flags(view: View) -> str:
    if not view.flagged:
        return ""
    legend = "  ".join(f"{mark} {severity}" for severity, mark in SEVERITY_MARKS.items())
    return f"QA flags mark the sentences a reader must check: {legend}."
