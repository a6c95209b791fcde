"""The side-by-side view as one self-contained HTML page (inline CSS and script, nothing fetched)."""

from __future__ import annotations

from html import escape

from pipeline.document import Document, Flag, Quote
from pipeline.render import renderer
from pipeline.render.bidi import has_rtl, isolate_rtl
from pipeline.render.view import (
    SEVERITY_MARKS,
    Mark,
    Row,
    View,
    build_view,
    innermost_quote,
    pieces,
    speaker_label,
)

COLOURS = 8  # quotation colour classes c0..c7 in the stylesheet

CSS = """
.tarjama { --fg: #1d2125; --muted: #5f6b76; --line: #d9dee3; color: var(--fg); margin: 0 auto; padding: 1.5rem;
           max-width: 90rem; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; }
.tarjama * { box-sizing: border-box; }
.tarjama { overflow-wrap: break-word; hyphens: manual; }
.tarjama [lang="ar"] { font-family: "Noto Naskh Arabic", "Amiri", "Geeza Pro", "Arabic Typesetting", serif;
                       font-size: 1.12em; line-height: 1.8; }
.tarjama header h1 { margin: 0 0 .25rem; font-size: 1.5rem; }
.tarjama .meta, .tarjama .provenance { color: var(--muted); margin: .1rem 0; }
.tarjama section { margin: 1.2rem 0; }
.tarjama h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
.tarjama .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
.tarjama .summary { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; background: #fafbfc; }
.tarjama .summary ul { list-style: none; padding: 0; margin: .5rem 0 0; }
.tarjama .summary li { border-top: 1px solid var(--line); padding: .4rem 0; }
.tarjama table.doc { width: 100%; border-collapse: collapse; table-layout: fixed; }
.tarjama table.doc th, .tarjama table.doc td { vertical-align: top; padding: .45rem .6rem;
                                               border-bottom: 1px solid var(--line); }
.tarjama table.doc th { text-align: start; color: var(--muted); font-weight: 600; }
.tarjama table.doc col.n { width: 4.5rem; }
.tarjama tr.paragraph-start td { border-top: 2px solid #aab4bd; }
.tarjama td.n { color: var(--muted); font-size: .85em; }
.tarjama .q { border-radius: 3px; padding: 0 .1em; cursor: pointer; }
.tarjama .q:focus { outline: none; }
.tarjama .q.paired { outline: 2px solid currentColor; box-shadow: 0 0 0 2px #fff, 0 0 0 4px #1d2125; }
.tarjama .c0 { background: #d3eef7; } .tarjama .c1 { background: #f7d6ef; } .tarjama .c2 { background: #d7f3d0; }
.tarjama .c3 { background: #fbefc0; } .tarjama .c4 { background: #dbe2fb; } .tarjama .c5 { background: #fddccd; }
.tarjama .c6 { background: #e5d9f7; } .tarjama .c7 { background: #cdf0e6; }
.tarjama .q.paired.c0 { background: #8fd3ea; } .tarjama .q.paired.c1 { background: #ea98d6; }
.tarjama .q.paired.c2 { background: #9fe090; } .tarjama .q.paired.c3 { background: #f5d96b; }
.tarjama .q.paired.c4 { background: #a6b7f5; } .tarjama .q.paired.c5 { background: #f9a98a; }
.tarjama .q.paired.c6 { background: #c3a8ee; } .tarjama .q.paired.c7 { background: #86dcc4; }
.tarjama .speakers { margin-top: .3rem; font-size: .85em; color: var(--muted); }
.tarjama .speaker { display: inline-block; margin-inline-end: .5rem; }
.tarjama .separate { margin-top: .3rem; font-size: .9em; }
.tarjama mark.flagged { background: none; text-decoration: underline wavy #c0392b; text-underline-offset: 3px;
                        color: inherit; }
.tarjama .flag-marks { color: #a15c00; font-size: 1.1em; }
.tarjama .flags { margin-top: .3rem; }
.tarjama .flag { position: relative; display: inline-block; margin-inline-end: .4rem; padding: 0 .35rem; border-radius: 3px;
                 font-size: .8em; font-weight: 600; cursor: help; }
.tarjama .flag.error { background: #f9d6d2; color: #8e1b10; }
.tarjama .flag.warning { background: #fbe7b5; color: #7a5200; }
.tarjama .flag.info { background: #d6e6fa; color: #1c4f8a; }
.tarjama .flag .flag-message { display: none; position: absolute; z-index: 2; inset-inline-start: 0; top: 1.6em;
                               width: 22rem; padding: .4rem .6rem; background: #1d2125; color: #fff;
                               font-weight: 400; border-radius: 4px; }
.tarjama .flag:hover .flag-message, .tarjama .flag:focus .flag-message { display: block; }
.tarjama .flags-legend li { margin: .2rem 0; }
/* A phone: each row stacks its Arabic above its English, both the full width. */
@media (max-width: 720px) {
  .tarjama { padding: .75rem; }
  .tarjama .pair { grid-template-columns: 1fr; gap: .75rem; }
  .tarjama table.doc, .tarjama table.doc tbody { display: block; width: 100%; }
  .tarjama table.doc colgroup, .tarjama table.doc thead { display: none; }
  .tarjama table.doc tr { display: flex; flex-direction: column; border-bottom: 1px solid var(--line); }
  .tarjama table.doc td { display: block; width: 100%; border: none; padding: .3rem .2rem; }
  .tarjama table.doc td.n { order: 0; padding-bottom: 0; }
  .tarjama table.doc td.ar { order: 1; }
  .tarjama table.doc td.en { order: 2; }
  .tarjama tr.paragraph-start { border-top: 2px solid #aab4bd; }
  .tarjama .flag .flag-message { width: min(22rem, 80vw); }
}
@media print { .tarjama .flag .flag-message { display: inline; position: static; background: none; color: inherit; } }
"""

# Hovering or focusing a quotation (or its speaker) highlights every piece of it in both columns.
# `#focus=q2` in the address focuses quotation q2 on load: a link to a quotation, and what the
# browser test uses to check the pairing.
SCRIPT = """
(function () {
  "use strict";
  // Within one document's view only: a notebook may show several documents, each numbering its quotations.
  function members(id, within) {
    return Array.prototype.filter.call(within.querySelectorAll("[data-quotes]"), function (el) {
      return el.getAttribute("data-quotes").split(" ").indexOf(id) >= 0;
    });
  }
  function highlight(event, on) {
    var el = event.target.closest ? event.target.closest("[data-quote]") : null;
    if (!el) return;
    var view = el.closest(".tarjama") || document;
    members(el.getAttribute("data-quote"), view).forEach(function (m) { m.classList.toggle("paired", on); });
  }
  document.addEventListener("mouseover", function (e) { highlight(e, true); });
  document.addEventListener("mouseout", function (e) { highlight(e, false); });
  document.addEventListener("focusin", function (e) { highlight(e, true); });
  document.addEventListener("focusout", function (e) { highlight(e, false); });
  function focusFromAddress() {
    var match = /^#focus=([^&]+)$/.exec(window.location.hash);
    if (!match) return;
    var id = decodeURIComponent(match[1]);
    var target = members(id, document).filter(function (el) {
      return el.getAttribute("data-quote") === id && el.hasAttribute("tabindex");
    })[0];
    if (target) target.focus();
  }
  window.addEventListener("hashchange", focusFromAddress);
  if (document.readyState === "complete") focusFromAddress();
  else window.addEventListener("load", focusFromAddress);
})();
"""


@renderer("html", suffixes=(".html", ".htm"), options=("flags_only",))
def render_html(doc: Document, *, flags_only: bool = False) -> str:
    view = build_view(doc, flags_only=flags_only)
    title = view.title or (doc.source.path or "tarjama")
    body = [_header(view), _summary(view), _table(view, flags_only), _flag_legend(view)]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            '<main class="tarjama">',
            *[part for part in body if part],
            "</main>",
            f"<script>{SCRIPT}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _header(view: View) -> str:
    out = ["<header>"]
    if view.title:
        lang = ' lang="ar"' if has_rtl(view.title) else ""
        out.append(f'<h1 dir="auto"{lang}>{escape(view.title)}</h1>')
    meta = [f"<time>{escape(view.date)}</time>" if view.date else "",
            f'<bdi lang="ar">{escape(view.dateline)}</bdi>' if view.dateline else ""]
    if any(meta):
        out.append(f'<p class="meta">{" · ".join(m for m in meta if m)}</p>')
    facts = [str(view.provenance[k]) for k in ("model", "backend", "tarjama") if view.provenance.get(k)]
    if view.rows and not view.translated:
        facts.insert(0, "not translated")
    provenance = " · ".join(escape(fact) for fact in facts)
    if provenance:
        out.append(f'<p class="provenance">{provenance}</p>')
    out.append("</header>")
    return "\n".join(out)


def _summary(view: View) -> str:
    if view.summary is None:
        return ""
    summary = view.summary
    method = f" ({escape(summary['method'])})" if summary.get("method") else ""
    out = [
        '<section class="summary">',
        f"<h2>Summary{method}</h2>",
        '<div class="pair">',
        f'<p dir="ltr" lang="en">{escape(summary["en"])}</p>',
        f'<p dir="rtl" lang="ar">{escape(summary["ar"])}</p>',
        "</div>",
    ]
    if summary["key_quotes"]:
        out.append("<h2>Key quotations</h2><ul>")
        for item in summary["key_quotes"]:
            speaker = escape(item["speaker_en"] or item["speaker"] or "(no speaker)")
            arabic_name = (
                f' <bdi lang="ar">({escape(item["speaker"])})</bdi>'
                if item["speaker_en"] and item["speaker"]
                else ""
            )
            english, arabic = escape(item["en"]), escape(item["ar"])
            if item["quote"] in view.colour:  # linked to the quotation in the sentences below
                english = _quote_span(item["quote"], [item["quote"]], view, english)
                arabic = _quote_span(item["quote"], [item["quote"]], view, arabic)
            out.append(
                f'<li><strong>{speaker}</strong>{arabic_name}<div class="pair">'
                f'<p dir="ltr" lang="en">“{english}”</p>'
                f'<p dir="rtl" lang="ar">«{arabic}»</p></div></li>'
            )
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def _table(view: View, flags_only: bool) -> str:
    if flags_only and not view.rows:
        return "<p>No sentence has a QA flag.</p>"
    out = [
        '<table class="doc">',
        '<colgroup><col class="n"><col class="en"><col class="ar"></colgroup>',
        '<thead><tr><th scope="col">#</th><th scope="col" dir="ltr" lang="en">English</th>'
        '<th scope="col" dir="rtl" lang="ar">العربية</th></tr></thead>',
        "<tbody>",
    ]
    previous = None
    for index, row in enumerate(view.rows):
        classes = []
        if index > 0 and row.paragraph != previous:
            classes.append("paragraph-start")
        if row.flags:
            classes.append("flagged")
        previous = row.paragraph
        css = f' class="{" ".join(classes)}"' if classes else ""
        out.append(
            f'<tr id="{escape(row.id)}"{css}>'
            f'<td class="n">{escape(row.id)}{_flag_marks(row.flags)}</td>'
            f'<td class="en" dir="ltr" lang="en">{_english(row, view)}</td>'
            f'<td class="ar" dir="rtl" lang="ar">{_arabic(row, view)}</td></tr>'
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def _english(row: Row, view: View) -> str:
    parts = [_marked(row.en or "", row.en_marks, view, row.flags)]
    for quote in row.separate:
        parts.append(
            f'<div class="separate">{escape(quote.id)} translated on its own: '
            f'{_quote_span(quote.id, [quote.id], view, "“" + escape(quote.translation.text) + "”")}</div>'
        )
    speakers = [_speaker(q, view, "en") for q in row.quotes]
    if any(speakers):
        parts.append(f'<div class="speakers">{"".join(speakers)}</div>')
    if row.flags:
        parts.append(f'<div class="flags">{_flag_badges(row.flags)}</div>')
    return "".join(parts)


def _arabic(row: Row, view: View) -> str:
    parts = [_marked(row.ar, row.ar_marks, view, row.flags)]
    speakers = [_speaker(q, view, "ar") for q in row.quotes if q.speaker]
    if speakers:
        parts.append(f'<div class="speakers">{"".join(speakers)}</div>')
    return "".join(parts)


def _marked(text: str, marks: list[Mark], view: View, flags: list[Flag]) -> str:
    """Text with its quotations as linked spans and flagged spans marked; every piece escaped."""
    out = []
    focusable: set[str] = set()
    for piece, covering in pieces(text, marks):
        html = escape(piece)
        for mark in covering:
            if mark.flag is not None and mark.flag < len(flags):
                flag = flags[mark.flag]
                html = f'<mark class="flagged" title="{escape(f"{flag.rule}: {isolate_rtl(flag.message)}")}">{html}</mark>'
        quote_id = innermost_quote(covering)
        if quote_id is not None:
            ids = [m.quote for m in covering if m.quote is not None]
            # One tab stop per quotation and column, not one per piece of it.
            html = _quote_span(quote_id, ids, view, html, focusable=quote_id not in focusable)
            focusable.add(quote_id)
        out.append(html)
    return "".join(out)


def _quote_span(quote_id: str, ids: list[str], view: View, inner_html: str, *, focusable: bool = True) -> str:
    colour = view.colour.get(quote_id, 0) % COLOURS
    tab = ' tabindex="0"' if focusable else ""
    return (
        f'<span class="q c{colour}" data-quote="{escape(quote_id)}" data-quotes="{escape(" ".join(ids))}"{tab}>'
        f"{inner_html}</span>"
    )


def _speaker(quote: Quote, view: View, lang: str) -> str:
    name = speaker_label(quote, lang=lang)
    colour = view.colour.get(quote.id, 0) % COLOURS
    label = f"{escape(quote.id)} {escape(quote.kind)}"
    if name:
        label += f" · <bdi>{escape(name)}</bdi>"
        arabic = speaker_label(quote, lang="ar")
        if lang == "en" and arabic and arabic != name:
            label += f' <bdi lang="ar">({escape(arabic)})</bdi>'
    return (
        f'<span class="speaker q c{colour}" data-quote="{escape(quote.id)}" '
        f'data-quotes="{escape(quote.id)}">{label}</span>'
    )


def _flag_marks(flags: list[Flag]) -> str:
    """The severity marks beside the sentence number, to find flagged rows at a glance."""
    marks = "".join(SEVERITY_MARKS.get(f.severity, SEVERITY_MARKS["info"]) for f in flags)
    return f'<br><span class="flag-marks" aria-hidden="true">{marks}</span>' if marks else ""


def _flag_badges(flags: list[Flag]) -> str:
    badges = []
    for flag in flags:
        severity = flag.severity if flag.severity in SEVERITY_MARKS else "info"
        explanation = f"{flag.rule}: {isolate_rtl(flag.message)}"  # attributes hold no <bdi>: isolates
        badges.append(
            f'<span class="flag {severity}" tabindex="0" title="{escape(explanation)}" '
            f'aria-label="{escape(f"{flag.severity} — {explanation}")}">'
            f"{SEVERITY_MARKS[severity]} {escape(flag.rule)}"
            f'<span class="flag-message" role="tooltip">{_message(flag.message)}</span></span>'
        )
    return "".join(badges)


def _message(message: str) -> str:
    """A flag message as HTML, each Arabic run in <bdi> so that it keeps its place in the English."""
    return isolate_rtl(escape(message), "<bdi>", "</bdi>")


def _flag_legend(view: View) -> str:
    flagged = view.flagged
    if not flagged:
        return ""
    out = ['<section class="flags-legend">', "<h2>QA flags</h2>", "<ul>"]
    for row in flagged:
        for flag in row.flags:
            mark = SEVERITY_MARKS.get(flag.severity, "ℹ")
            out.append(
                f'<li><a href="#{escape(row.id)}">{escape(row.id)}</a> {mark} '
                f"<strong>{escape(flag.rule)}</strong> ({escape(flag.severity)}): "
                f"{_message(flag.message)}</li>"
            )
    out.append("</ul></section>")
    return "\n".join(out)
