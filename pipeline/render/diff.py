"""`tarjama diff`: two runs of one article (or a run and a reference translation) compared sentence by sentence."""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.document import Document, Quote

SCHEMA = "tarjama.diff/1"


@dataclass
class WordOp:
    """One step of the word-level diff: `equal`, `delete` (only in A), `insert` (only in B) or `replace`."""

    op: str
    a: str
    b: str


@dataclass
class SentenceDiff:
    id: str  # A's sentence id ("s3", "s3+s4" where B joined them); B's where A lacks the sentence
    ar: str
    a: str | None
    b: str | None
    changed: bool
    words: list[WordOp] = field(default_factory=list)


@dataclass
class QuoteChange:
    """A quotation whose English, speaker or extent differs between the runs, or that one run lacks.

    change: translation-changed | translation-lost | translation-added | speaker-changed |
    span-changed | missing-in-b | new-in-b
    """

    change: str
    quote: str  # A's quotation id (B's for new-in-b)
    sentence: str
    ar: str
    a: str | None
    b: str | None


@dataclass
class DiffResult:
    a_label: str
    b_label: str
    mode: str  # "runs" or "reference"
    total: int
    changed: int
    chrf: float | None
    sentences: list[SentenceDiff]
    quotes: list[QuoteChange]
    notes: list[str] = field(default_factory=list)
    only_changed: bool = False
    # Provenance keys whose values differ between the runs: (key, A's value, B's value).
    settings: list[tuple[str, Any, Any]] = field(default_factory=list)


# -- comparing ---------------------------------------------------------------------------------


def diff_documents(
    a: Document,
    b: Document | None,
    *,
    reference_text: str | None = None,
    only_changed: bool = False,
    labels: tuple[str, str] = ("A", "B"),
) -> DiffResult:
    """Compare run `a` with run `b`, or with `reference_text` (an English translation of the same
    article, aligned to `a`'s sentences and quotations by `tarjama align`). chrF is B's against A
    (A's against the reference) over the sentences both sides have. `labels` name the runs (the
    CLI gives their file names)."""
    notes: list[str] = []
    settings: list[tuple[str, Any, Any]] = []
    if b is not None:
        rows = _pair_runs(a, b, notes)
        quotes = compare_quotes(a, b)
        settings = provenance_differences(a, b)
        mode, b_label = "runs", run_label(b, labels[1])
    elif reference_text is not None:
        rows, quotes = _compare_reference(a, reference_text, notes)
        mode, b_label = "reference", "reference translation"
    else:
        raise ValueError("diff_documents needs a second run or a reference text")
    a_label = run_label(a, labels[0])
    for row in rows:
        row.words = word_diff(row.a or "", row.b or "")
        row.changed = _normalize(row.a) != _normalize(row.b)
    both = [row for row in rows if row.a is not None and row.b is not None]
    if mode == "runs":
        chrf = _chrf([r.b for r in both], [r.a for r in both])
    else:
        chrf = _chrf([r.a for r in both], [r.b for r in both])
    changed = sum(row.changed for row in rows)
    shown = [row for row in rows if row.changed] if only_changed else rows
    return DiffResult(
        a_label=a_label,
        b_label=b_label,
        mode=mode,
        total=len(rows),
        changed=changed,
        chrf=chrf,
        sentences=shown,
        quotes=quotes,
        notes=notes,
        only_changed=only_changed,
        settings=settings,
    )


def word_diff(a: str, b: str) -> list[WordOp]:
    """Word-level changes from `a` to `b` (punctuation counts as a word; spacing does not)."""
    tokens_a, tokens_b = _tokens(a), _tokens(b)
    matcher = difflib.SequenceMatcher(None, [t.strip() for t in tokens_a], [t.strip() for t in tokens_b],
                                      autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append(WordOp(tag, "".join(tokens_a[i1:i2]), "".join(tokens_b[j1:j2])))
    return ops


def compare_quotes(a: Document, b: Document) -> list[QuoteChange]:
    """Quotations matched by their Arabic span: lost, new, cut or extended, re-attributed, re-translated."""
    quotes_a = [q for q in a.quotes or [] if q.is_quotation]
    quotes_b = [q for q in b.quotes or [] if q.is_quotation]
    same_text = a.text == b.text
    changes: list[QuoteChange] = []
    matched_b: set[str] = set()

    def change(kind: str, q: Quote, va: str | None, vb: str | None) -> None:
        changes.append(QuoteChange(kind, q.id, q.sentence, q.text, va, vb))

    for qa in quotes_a:
        exact = next((qb for qb in quotes_b if qb.id not in matched_b and _same_span(qa, qb, same_text)), None)
        if exact is None:
            overlapping = next(
                (qb for qb in quotes_b if qb.id not in matched_b and same_text and qb.start < qa.end and qa.start < qb.end),
                None,
            )
            if overlapping is None:
                change("missing-in-b", qa, qa.text, None)
                continue
            matched_b.add(overlapping.id)
            change("span-changed", qa, qa.text, overlapping.text)
            qb = overlapping
        else:
            matched_b.add(exact.id)
            qb = exact
        speaker_a, speaker_b = _speaker(qa), _speaker(qb)
        if speaker_a != speaker_b:
            change("speaker-changed", qa, speaker_a, speaker_b)
        english_a = qa.translation.text if qa.translation else None
        english_b = qb.translation.text if qb.translation else None
        if english_a and not english_b:
            change("translation-lost", qa, english_a, None)
        elif english_b and not english_a:
            change("translation-added", qa, None, english_b)
        elif _normalize(english_a) != _normalize(english_b):
            change("translation-changed", qa, english_a, english_b)
    for qb in quotes_b:
        if qb.id not in matched_b:
            changes.append(QuoteChange("new-in-b", qb.id, qb.sentence, qb.text, None, qb.text))
    return changes


def run_label(doc: Document, name: str) -> str:
    """Which run this is, for a reader: its name and the model and decoding that made it."""
    provenance = doc.provenance or {}
    parts = [str(provenance[k]) for k in ("model", "backend") if provenance.get(k)]
    generation = provenance.get("generation")
    if isinstance(generation, dict) and generation.get("num_beams"):
        parts.append(f"beams {generation['num_beams']}")
    return f"{name} ({', '.join(parts)})" if parts else name


# Provenance that says how long things took, not how the text was made.
_NOT_SETTINGS = ("timings_s", "translate")


def provenance_differences(a: Document, b: Document) -> list[tuple[str, Any, Any]]:
    """The provenance keys (one level of nesting, as `generation.num_beams`) that differ between runs."""
    flat_a, flat_b = _flatten(a.provenance or {}), _flatten(b.provenance or {})
    return [(k, flat_a.get(k), flat_b.get(k)) for k in sorted(set(flat_a) | set(flat_b)) if flat_a.get(k) != flat_b.get(k)]


def _flatten(provenance: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in provenance.items():
        if key in _NOT_SETTINGS:
            continue
        if isinstance(value, dict):
            out.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def _pair_runs(a: Document, b: Document, notes: list[str]) -> list[SentenceDiff]:
    """Sentences of A and B matched by their Arabic; a sentence that one run split and the other
    did not becomes one row."""
    if a.text != b.text:
        notes.append("the two runs do not have the same Arabic text; sentences are matched by their words")
    sa, sb = a.sentences or [], b.sentences or []
    if not sa and not sb:
        return [SentenceDiff("text", a.text, None, None, False)]
    matcher = difflib.SequenceMatcher(None, [_normalize(s.text) for s in sa], [_normalize(s.text) for s in sb],
                                      autojunk=False)
    rows = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for x, y in zip(sa[i1:i2], sb[j1:j2], strict=True):
                rows.append(SentenceDiff(x.id, x.text, x.translation, y.translation, False))
            continue
        group_a, group_b = sa[i1:i2], sb[j1:j2]
        if group_a:
            ident = "+".join(s.id for s in group_a)
            ar = " ".join(s.text for s in group_a)
        else:
            ident = "B:" + "+".join(s.id for s in group_b)
            ar = " ".join(s.text for s in group_b)
        rows.append(SentenceDiff(ident, ar, _join(group_a), _join(group_b), True))
    if any(len(r.id.split("+")) > 1 or r.id.startswith("B:") for r in rows):
        notes.append("the runs split some sentences differently; those are compared as one row")
    return rows


def _compare_reference(a: Document, text: str, notes: list[str]) -> tuple[list[SentenceDiff], list[QuoteChange]]:
    if not a.sentences:
        return [SentenceDiff("text", a.text, None, text.strip() or None, False)], []
    reference = reference_document(a, text)
    rows = _pair_runs(a, reference, notes)
    for row in rows:
        if row.b == "":  # the alignment found no English for this sentence
            row.b = None
    missing = sum(row.b is None for row in rows)
    if missing:
        notes.append(f"{missing} sentences have no counterpart in the reference")
    return rows, compare_quotes(a, reference)


def reference_document(doc: Document, english_text: str) -> Document:
    """Run `doc`'s Arabic (its sentences and quotations) with the English of a reference
    translation in place of the machine's, aligned by `tarjama align`: each sentence's English
    and each quotation's span in it. A document with no sentences gets the reference as a whole."""
    from pipeline.align.reference import align_document

    reference = copy.deepcopy(doc)
    reference.provenance = {}
    for sentence in reference.sentences:
        sentence.translation = None
        sentence.flags = None
    for quote in reference.quotes or []:
        quote.translation = None
    return align_document(reference, english_text)


def _same_span(qa: Quote, qb: Quote, same_text: bool) -> bool:
    if same_text:
        return (qa.start, qa.end) == (qb.start, qb.end)
    return _normalize(qa.text) == _normalize(qb.text)


def _speaker(q: Quote) -> str | None:
    return q.speaker.name if q.speaker else None


def _join(sentences: list) -> str | None:
    parts = [s.translation for s in sentences if s.translation is not None]
    return " ".join(parts) if parts else None


def _tokens(text: str) -> list[str]:
    # Each token carries the spaces before it, so joining tokens gives back the text.
    tokens = re.findall(r"\s*(?:\w+|[^\w\s])", text)
    tail = text[len("".join(tokens)) :]
    if tail and tokens:
        tokens[-1] += tail
    return tokens


def _normalize(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _chrf(hypotheses: list[str | None], references: list[str | None]) -> float | None:
    pairs = [(h, r) for h, r in zip(hypotheses, references, strict=True) if h is not None and r is not None]
    if not pairs:
        return None
    from sacrebleu.metrics import CHRF

    score = CHRF().corpus_score([h for h, _ in pairs], [[r for _, r in pairs]])
    return round(score.score, 2)


# -- output ------------------------------------------------------------------------------------


def diff_to_dict(result: DiffResult) -> dict[str, Any]:
    """The diff for scripts (`tarjama diff --format json`)."""
    return {
        "schema": SCHEMA,
        "mode": result.mode,
        "a": result.a_label,
        "b": result.b_label,
        "sentences_total": result.total,
        "sentences_changed": result.changed,
        "chrf": result.chrf,
        "only_changed": result.only_changed,
        "notes": list(result.notes),
        "settings": [{"key": k, "a": va, "b": vb} for k, va, vb in result.settings],
        "sentences": [
            {
                "id": s.id,
                "ar": s.ar,
                "a": s.a,
                "b": s.b,
                "changed": s.changed,
                "words": [asdict(w) for w in s.words if w.op != "equal"],
            }
            for s in result.sentences
        ],
        "quotes": [asdict(q) for q in result.quotes],
    }


def diff_view(result: DiffResult, *, reorder: bool = True):
    """The diff as one rich renderable: header, sentence table, quotation call-outs."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from pipeline.render.bidi import BidiText, has_rtl

    def line(text: Text) -> Any:
        return BidiText(text, reorder=reorder, base_dir="L") if has_rtl(text.plain) else text

    chrf = f"chrF {result.chrf:.1f}" if result.chrf is not None else "chrF: no sentence to compare"
    against = "B against A" if result.mode == "runs" else "A against the reference"
    header = Text()
    header.append(f"{result.changed} of {result.total} sentences changed", style="bold")
    header.append(f" · {chrf} ({against})")
    if result.quotes:
        header.append(f" · {len(result.quotes)} quotation changes", style="bold yellow")
    lines: list[Any] = [
        Text(f"A  {result.a_label}", style="red", overflow="fold"),
        Text(f"B  {result.b_label}", style="green", overflow="fold"),
        header,
    ]
    for key, value_a, value_b in result.settings:
        lines.append(Text(f"{key}: {value_a} → {value_b}", style="dim", overflow="fold"))
    lines += [Text(f"note: {n}", style="dim") for n in result.notes]
    parts: list[Any] = [Panel(Group(*lines), box=box.ROUNDED, title="tarjama diff", title_align="left")]

    if result.sentences:
        table = Table(box=box.MINIMAL, expand=True, show_edge=False, pad_edge=False)
        table.add_column("", no_wrap=True, min_width=3)
        table.add_column("A", ratio=1, overflow="fold")
        table.add_column("B" if result.mode == "runs" else "reference", ratio=1, overflow="fold")
        for row in result.sentences:
            left, right = Text(overflow="fold"), Text(overflow="fold")
            if row.a is None:
                left.append("(no sentence)" if result.mode == "runs" else "(not translated)", style="dim")
            if row.b is None:
                right.append("(no sentence)" if result.mode == "runs" else "(no reference)", style="dim")
            for op in row.words:
                if op.op == "equal":
                    left.append(op.a)
                    right.append(op.b)
                    continue
                if row.a is not None:
                    left.append(op.a, style="bold red")
                if row.b is not None:
                    right.append(op.b, style="bold green")
            gutter = Text(row.id, style="bold" if row.changed else "dim")
            if row.changed:
                gutter.append("\n≠", style="bold yellow")
            table.add_row(gutter, line(left), line(right))
        parts.append(table)
    elif result.only_changed:
        parts.append(Text("No sentence changed.", style="dim"))

    if result.quotes:
        parts.append(Text("Quotations", style="bold"))
        for change in result.quotes:
            text = Text()
            text.append(f"{change.quote} ({change.sentence}) ", style="bold")
            text.append(change.change, style="bold yellow")
            text.append(f": {_short(change.ar)}")
            if change.change in ("speaker-changed", "translation-changed", "span-changed"):
                text.append("\n    A: ", style="red")
                text.append(change.a or "—")
                text.append("\n    B: ", style="green")
                text.append(change.b or "—")
            elif change.change == "translation-lost":
                text.append(f"\n    A: {change.a}\n    B: (no English)")
            parts.append(line(text))
    return Group(*parts)


def print_diff(result: DiffResult, console, *, bidi: str = "on") -> None:
    from pipeline.render.bidi import resolve_bidi

    console.print(diff_view(result, reorder=resolve_bidi(bidi, console=console)))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- command line ------------------------------------------------------------------------------


def add_command(sub: argparse._SubParsersAction, add_pipeline_options=None, add_output_options=None) -> None:
    """Register `tarjama diff` (called by pipeline.cli)."""
    p = sub.add_parser(
        "diff",
        help="compare two runs of an article, or a run with a reference translation",
        description="Compare two tarjama JSON runs of the same article sentence by sentence "
        "(or one run with a reference English translation): changed words, changed or lost "
        "quotations, and chrF.",
    )
    p.add_argument("a", help="run A: a JSON file written by `tarjama translate --format json`")
    p.add_argument("b", nargs="?", help="run B: another JSON run of the same article")
    p.add_argument("--reference", metavar="EN.txt", help="compare run A with this English translation instead")
    p.add_argument("--only-changed", action="store_true", help="show only the sentences that differ")
    p.add_argument("--format", choices=("terminal", "json"), help="terminal (default on a terminal) or json")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    p.add_argument("--width", type=int, help="terminal width in columns")
    p.add_argument("--bidi", choices=("on", "off", "auto"), default="on",
                   help="reorder Arabic for terminals without right-to-left support (default: on)")
    p.set_defaults(run=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    from pipeline.errors import UsageError

    if (args.b is None) == (args.reference is None):
        raise UsageError("tarjama diff needs run B or --reference EN.txt (one of them); "
                         "see `tarjama diff --help`.")
    a = load_run(args.a)
    b = load_run(args.b) if args.b else None
    reference = _read_text(args.reference) if args.reference else None
    labels = (args.a, args.b or "reference")
    result = diff_documents(a, b, reference_text=reference, only_changed=args.only_changed, labels=labels)
    fmt = args.format or ("json" if args.output or not sys.stdout.isatty() else "terminal")
    if fmt == "json":
        text = json.dumps(diff_to_dict(result), ensure_ascii=False, indent=1) + "\n"
    else:
        from io import StringIO

        from rich.console import Console

        if not args.output:
            console = Console(width=args.width) if args.width else Console()
            print_diff(result, console, bidi=args.bidi)
            return 0
        console = Console(file=StringIO(), width=args.width or 120, color_system=None, record=True)
        print_diff(result, console, bidi=args.bidi)
        text = console.export_text(styles=False)
    if args.output:
        from pipeline.io import write_atomic

        write_atomic(args.output, text, overwrite=args.overwrite)
    else:
        sys.stdout.write(text)
    return 0


def load_run(path: str) -> Document:
    """A run written by `tarjama translate --format json`."""
    from pipeline.errors import InputError

    text = _read_text(path)
    try:
        doc = Document.from_json(text)
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(
            f"{path} is not a tarjama JSON run ({err}); make one with `tarjama translate FILE --format json`."
        ) from None
    return doc


def _read_text(path: str) -> str:
    from pipeline.errors import InputError, UsageError

    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{path} does not exist or is not a file; give the path of a file.")
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save it as UTF-8.") from None
