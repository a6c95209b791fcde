"""Alignment accuracy of `tarjama align`: sentences and quotations on professional translations (ntrex-dev), then on our references.

NTREX-128 (eval/ntrex.py): the 56 ntrex-dev documents in both layouts (English in the Arabic's
paragraphs; English reflowed into paragraphs of its own) aligned by `tarjama align`'s code and
by a plain length-based aligner (eval/baseline_align.py, Gale and Church), each scored by
`../shared/tools/align_score.py`, the hidden sets' scorer: accuracies are means over documents
(quotations over the documents that have gold quotations), pooled ones beside them. Bar:
sentences ≥ 0.99 and quotations ≥ 0.95 on both layouts, reflowed no worse than same-paragraph
(within 0.005), and never below the baseline.

Run `python -m eval.alignment` (add `--check` to exit 1 when a sample misses the bar: quotation
alignment accuracy ≥ 0.9). For every sample with a gold quotation file and a reference
translation (`samples/NAME.en.txt`), the Arabic article and the reference go through the same
code as `tarjama align`. A gold quotation counts as aligned when the quotation found for it has
an English span equal to the reference's quotation (the text inside the corresponding marks:
the references put every quotation in marks, one per Arabic quotation, in the same order),
compared without case, punctuation or spacing. Gold quotations outside the gold body (a
teaser the gold sentence split leaves out) are not in the references and are not counted.

Sentence accuracy: the references go sentence for sentence, so the k-th gold sentence's English
is the k-th English sentence (pysbd, line by line); a gold sentence counts when the Arabic
sentence found for it got exactly that English. The robustness columns rerun the quotation
alignment on the reference reshaped as other translators write: all in one paragraph, long
sentences cut in two at a comma, some pairs of sentences joined by a semicolon, paragraphs
joined two by two, long quotations broken by an attribution (`"A," he said, "B"`), and the
marks of every third quotation removed (reported speech; those quotations are not counted,
the others are), and all of these at once.

Held-out translations: `tests/heldout-quotes/NAME.en.txt` are translations of constructed
articles in other translators' styles (curly or single quotes, attributions inside quotations,
paragraphs merged or split, a quotation paraphrased without marks). Their gold English for each
gold quotation is in `NAME.en-quotes.json` (`quotes`, in the gold file's order; None for a
quotation the translator did not mark, which counts as aligned when it gets no span or a
low-confidence `position` guess, never a confident span), compared as above.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.common import (
    GOLD,
    SAMPLES,
    format_table,
    gold_files,
    one_paragraph,
    reference_sentences,
    sample_for,
)
from pipeline.arabic import fold
from pipeline.document import Document

BAR = 0.9
HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "heldout-quotes"
# The most confidence a quotation the translation does not mark may get (a guess by position).
UNMARKED_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Row:
    name: str
    gold_quotes: int
    matched: int
    aligned: int
    sentences: int
    sentences_aligned: int | None
    robustness: dict[str, float]

    @property
    def accuracy(self) -> float:
        return self.aligned / self.matched if self.matched else 1.0


def comparable_english(text: str) -> str:
    """English as the comparison sees it: lower case, letters and digits, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def comparable_arabic(text: str) -> str:
    return " ".join(re.findall(r"[\u0621-\u064a0-9]+", fold(text)))


def reference_quotations(english: str) -> list[str]:
    """The quotations of a reference translation in order of opening: straight double quotes
    pair in order over the whole file (a statement may run over several lines), single quotes
    inside them are nested quotations (an apostrophe inside a word is not)."""
    out: list[tuple[int, str]] = []
    for m in re.finditer(r'"([^"]*)"', english):
        out.append((m.start(), m.group(1)))
        for n in re.finditer(r"(?<![A-Za-z])'([^']+?)'(?![A-Za-z])", m.group(1)):
            out.append((m.start() + 1 + n.start(), n.group(1)))
    return [re.sub(r"\s+", " ", text).strip() for _, text in sorted(out)]


def drop_some_marks(english: str, every: int = 3) -> tuple[str, list[str | None]]:
    """The reference with the marks of every `every`-th quotation removed (one on a single line
    with no quotation inside), as a translator turning direct speech into reported speech
    would; and the reference quotations, None for those no longer marked (not counted)."""
    quotes = list(re.finditer(r'"([^"]*)"', english))
    references = reference_quotations(english)
    dropped_texts = []
    pieces, pos = [], 0
    for k, m in enumerate(quotes):
        inner = m.group(1)
        if k % every == every - 1 and "\n" not in inner and not re.search(r"(?<![A-Za-z])'", inner):
            pieces.append(english[pos : m.start()] + inner)
            pos = m.end()
            dropped_texts.append(k)
    pieces.append(english[pos:])
    # Map the dropped double-quoted spans to their places in the ordered reference list.
    order = sorted([(m.start(), k) for k, m in enumerate(quotes)]
                   + [(m.start() + 1 + n.start(), -1) for m in quotes
                      for n in re.finditer(r"(?<![A-Za-z])'([^']+?)'(?![A-Za-z])", m.group(1))])
    kept: list[str | None] = [None if k in dropped_texts else text
                              for (_, k), text in zip(order, references, strict=True)]
    return "".join(pieces), kept


def gold_quotations(gold: dict, body: str) -> list[dict]:
    """The gold quotations (speech, phrase, nested) that are in the gold body, in order."""
    folded_body = comparable_arabic(body)
    return [q for q in gold["quotes"] if q["kind"] in ("speech", "phrase", "nested")
            and comparable_arabic(q["text"]) in folded_body]


def match_quotes(gold: list[dict], doc: Document) -> list[int | None]:
    """For each gold quotation, the index in doc.quotes of the quotation found for it (same text,
    or failing that the one sharing most words), each used once, in order."""
    found = [q for q in doc.quotes or [] if q.is_quotation]
    used: set[int] = set()
    out: list[int | None] = []
    for g in gold:
        target = comparable_arabic(g["text"])
        best, best_score = None, 0.0
        for k, q in enumerate(found):
            if k in used:
                continue
            text = comparable_arabic(q.text)
            if text == target:
                best, best_score = k, 2.0
                break
            a, b = set(text.split()), set(target.split())
            overlap = len(a & b) / max(len(a | b), 1)
            if overlap >= 0.8 and overlap > best_score:
                best, best_score = k, overlap
        if best is not None:
            used.add(best)
            out.append(doc.quotes.index(found[best]))
        else:
            out.append(None)
    return out


def quotation_accuracy(doc: Document, gold: list[dict], references: Sequence[str | None]) -> tuple[int, int]:
    """(matched gold quotations, of them aligned with the reference's quotation); a reference
    quotation given as None is not counted."""
    matched = aligned = 0
    for g_index, k in enumerate(match_quotes(gold, doc)):
        if k is None or g_index >= len(references) or references[g_index] is None:
            continue
        matched += 1
        translation = doc.quotes[k].translation
        if translation and comparable_english(translation.text) == comparable_english(references[g_index]):
            aligned += 1
    return matched, aligned


def sentence_accuracy(doc: Document, gold_sentences: list[str], english: str) -> int | None:
    """Gold sentences whose Arabic sentence (or run of sentences) got exactly its English; None
    when the reference does not have one English sentence per gold sentence (no gold then)."""
    english_sentences = [s.strip() for line in english.splitlines() if line.strip()
                         for s in reference_sentences(line.strip()) if s.strip()]
    if len(english_sentences) != len(gold_sentences):
        return None
    found = {comparable_arabic(s.text): s.translation or "" for s in doc.sentences or []}
    # `tarjama align` cuts sentences inside quotations, where the gold keeps a quoted statement
    # whole: a gold sentence may be a run of aligned sentences, its English theirs joined.
    ordered = [(comparable_arabic(s.text), s.translation or "") for s in doc.sentences or []]
    for i in range(len(ordered)):
        for j in range(i + 2, min(len(ordered), i + 6) + 1):
            run = ordered[i:j]
            found.setdefault(" ".join(a for a, _ in run), " ".join(e for _, e in run if e))
    dateline = comparable_arabic(doc.meta.get("dateline", "") or "")
    correct = 0
    for arabic, reference in zip(gold_sentences, english_sentences, strict=True):
        key = comparable_arabic(arabic)
        got = found.get(key)
        if got is None and dateline:  # the gold may keep or drop the dateline
            got = found.get(f"{dateline} {key}") or found.get(key.removeprefix(dateline).strip())
        if got is not None and comparable_english(got) == comparable_english(reference):
            correct += 1
    return correct


# -- reshaped references --------------------------------------------------------------------------


def _outside_quotes(line: str) -> list[bool]:
    inside, out = False, []
    for ch in line:
        if ch == '"':
            inside = not inside
        out.append(inside)
    return [not x for x in out]


def split_long_sentences(english: str, words: int = 25) -> str:
    """Every sentence of more than `words` words cut in two at the comma nearest its middle that
    is outside any quotation (a line's quotation state carried across lines)."""
    out_lines = []
    for line in english.splitlines():
        pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", line)
        new = []
        for piece in pieces:
            if len(piece.split()) <= words:
                new.append(piece)
                continue
            outside = _outside_quotes(piece)
            if piece.count('"') % 2:
                new.append(piece)
                continue
            commas = [m.start() for m in re.finditer(r", (?=[a-z])", piece) if outside[m.start()]]
            if not commas:
                new.append(piece)
                continue
            cut = min(commas, key=lambda c: abs(c - len(piece) / 2))
            rest = piece[cut + 2 :]
            new.append(piece[:cut] + ".")
            new.append(rest[:1].upper() + rest[1:])
        out_lines.append(" ".join(new))
    return "\n".join(out_lines) + "\n"


def merge_sentences(english: str, every: int = 3) -> str:
    """Every `every`-th pair of neighbouring sentences in a line joined by a semicolon, as a
    translator joining two short Arabic sentences would (never inside a quotation)."""
    out_lines = []
    for line in english.splitlines():
        pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z])", line)
        merged, k = [], 0
        while k < len(pieces):
            piece = pieces[k]
            closed = piece.count('"') % 2 == 0
            if k + 1 < len(pieces) and k % every == every - 1 and closed and piece.endswith("."):
                nxt = pieces[k + 1]
                piece = piece[:-1] + "; " + nxt
                k += 1
            merged.append(piece)
            k += 1
        out_lines.append(" ".join(merged))
    return "\n".join(out_lines) + "\n"


def break_quotations(english: str, every: int = 2, words: int = 10) -> str:
    """Every `every`-th quotation of `words` words or more, on one line with no quotation nested
    in it, broken by an attribution at its middle comma: `"A, B"` -> `"A," he said, "B"`."""
    count = 0

    def rewrite(m: re.Match[str]) -> str:
        nonlocal count
        inner = m.group(1)
        commas = [c.start() for c in re.finditer(r", ", inner)]
        if "\n" in inner or len(inner.split()) < words or not commas or re.search(r"(?<![A-Za-z])'", inner):
            return m.group(0)
        count += 1
        if count % every:
            return m.group(0)
        cut = min(commas, key=lambda c: abs(c - len(inner) / 2))
        return f'"{inner[:cut]}," he said, "{inner[cut + 2 :]}"'

    return re.sub(r'"([^"]*)"', rewrite, english)


def join_paragraphs(english: str) -> str:
    lines = [line.strip() for line in english.splitlines() if line.strip()]
    return "\n".join(" ".join(lines[k : k + 2]) for k in range(0, len(lines), 2)) + "\n"


RESHAPES = {"one paragraph": one_paragraph, "split sentences": split_long_sentences,
            "merged sentences": merge_sentences, "joined paragraphs": join_paragraphs,
            "broken quotations": break_quotations}
DROPPED = "1/3 marks dropped"
ALL = "all at once"


# -- running ----------------------------------------------------------------------------------------


def evaluate(gold_dir: Path = GOLD, samples: Path = SAMPLES) -> list[Row]:
    from pipeline.align.reference import _arabic_pipeline, align_document

    nlp = _arabic_pipeline(None)
    rows = []
    for gold_path in gold_files("quotes.json", gold_dir):
        ar_path = sample_for(gold_path, samples)
        en_path = ar_path.with_name(ar_path.name.replace(".ar.txt", ".en.txt"))
        sentences_path = gold_path.with_name(gold_path.name.replace(".quotes.json", ".sentences.txt"))
        if not en_path.exists() or not sentences_path.exists():
            continue
        english = en_path.read_text(encoding="utf-8")
        gold_sentences = [s for s in sentences_path.read_text(encoding="utf-8").splitlines() if s.strip()]
        gold = gold_quotations(json.loads(gold_path.read_text(encoding="utf-8")), " ".join(gold_sentences))
        references = reference_quotations(english)
        doc = align_document(nlp.read(ar_path), english)
        matched, aligned = quotation_accuracy(doc, gold, references)
        robustness = {}
        for label, reshape in RESHAPES.items():
            reshaped = reshape(english)
            # The reshapes keep every quotation's words: the reference quotations stay the same.
            m, a = quotation_accuracy(align_document(nlp.read(ar_path), reshaped), gold, references)
            robustness[label] = a / m if m else 1.0
        reshaped, kept = drop_some_marks(english)
        m, a = quotation_accuracy(align_document(nlp.read(ar_path), reshaped), gold, kept)
        robustness[DROPPED] = a / m if m else 1.0
        for reshape in (break_quotations, split_long_sentences, merge_sentences, join_paragraphs):
            reshaped = reshape(reshaped)
        m, a = quotation_accuracy(align_document(nlp.read(ar_path), reshaped), gold, kept)
        robustness[ALL] = a / m if m else 1.0
        rows.append(Row(gold_path.name.split(".")[0], len(gold), matched, aligned, len(gold_sentences),
                        sentence_accuracy(doc, gold_sentences, english), robustness))
    return rows


@dataclass(frozen=True)
class HeldoutRow:
    name: str
    gold_quotes: int
    matched: int
    aligned: int
    misses: list[str]

    @property
    def accuracy(self) -> float:
        return self.aligned / self.matched if self.matched else 1.0


def evaluate_heldout(folder: Path = HELDOUT) -> list[HeldoutRow]:
    """Quotation alignment accuracy on the held-out translations (see the module docstring)."""
    from pipeline.align.reference import _arabic_pipeline, align_document

    nlp = _arabic_pipeline(None)
    rows = []
    for en_path in sorted(folder.glob("*.en.txt")):
        name = en_path.name.removesuffix(".en.txt")
        ar_path = en_path.with_name(f"{name}.ar.txt")
        gold_all = json.loads(en_path.with_name(f"{name}.quotes.json").read_text(encoding="utf-8"))
        expected = json.loads(en_path.with_name(f"{name}.en-quotes.json").read_text(encoding="utf-8"))["quotes"]
        gold = gold_quotations(gold_all, ar_path.read_text(encoding="utf-8"))
        doc = align_document(nlp.read(ar_path), en_path.read_text(encoding="utf-8"))
        matched = aligned = 0
        misses = []
        for g, k, reference in zip(gold, match_quotes(gold, doc), expected, strict=True):
            if k is None:
                continue
            matched += 1
            got = doc.quotes[k].translation
            if reference is None:
                ok = got is None or not got.text or (got.method == "position"
                                                     and got.confidence <= UNMARKED_CONFIDENCE)
            else:
                ok = got is not None and comparable_english(got.text) == comparable_english(reference)
            aligned += ok
            if not ok:
                misses.append(f"{g['text'][:40]} -> {got.text[:60] if got else None!r} "
                              f"({got.method if got else '-'}, {got.confidence if got else 0})")
        rows.append(HeldoutRow(name, len(gold), matched, aligned, misses))
    return rows


def heldout_table(rows: list[HeldoutRow]) -> str:
    headers = ["held-out translation", "gold quotes", "matched", "aligned", "accuracy", "bar"]
    return format_table(headers, [[r.name, r.gold_quotes, r.matched, r.aligned, r.accuracy,
                                   "ok" if r.accuracy >= BAR else "MISSED"] for r in rows])


def meets_bar(row: Row) -> bool:
    return row.accuracy >= BAR


def table(rows: list[Row]) -> str:
    headers = ["sample", "gold quotes", "matched", "aligned", "accuracy", "sentences", "sent. acc",
               *RESHAPES, DROPPED, ALL, "bar"]
    body = []
    for r in rows:
        sentence_acc = "n/a" if r.sentences_aligned is None else r.sentences_aligned / max(1, r.sentences)
        body.append([r.name, r.gold_quotes, r.matched, r.aligned, r.accuracy, r.sentences, sentence_acc,
                     *(r.robustness[k] for k in (*RESHAPES, DROPPED, ALL)), "ok" if meets_bar(r) else "MISSED"])
    return format_table(headers, body)


NTREX_SENTENCE_BAR = 0.99
NTREX_QUOTE_BAR = 0.95


@dataclass
class NtrexScore:
    aligner: str
    layout: str
    sentence: float  # mean over documents
    quote: float  # mean over documents with gold quotations
    sentence_pooled: float
    quote_pooled: float
    quotes: int = 0  # gold quotations
    quotes_found: int = 0  # of which the output has a quotation with the same Arabic text
    quotes_right: int = 0


def _found_quotes(gold: Path, output: dict) -> int:
    """Gold quotations whose Arabic text is the text of a quotation of `output` (as the scorer matches them)."""
    from collections import Counter

    from eval.ntrex import scorer

    key = scorer().quote_key
    have = Counter(key(q.get("text") or "") for q in output.get("quotes") or [])
    found = 0
    for ar, *_ in json.loads(gold.read_text(encoding="utf-8")).get("quotes", []):
        if have[key(ar)] > 0:
            have[key(ar)] -= 1
            found += 1
    return found


def _score_ntrex(aligner: str, layout: str, outputs: list[tuple[Path, dict]]) -> NtrexScore:
    from eval.ntrex import scorer

    score = scorer().score
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for gold, output in outputs:
            path = Path(tmp) / "out.json"
            path.write_text(json.dumps(output, ensure_ascii=False), encoding="utf-8")
            results.append(score(str(gold), str(path)))
    sentence = [r["sentence_right"] / r["pairs"] for r in results if r["pairs"]]
    quote = [r["quote_right"] / r["quotes"] for r in results if r["quotes"]]
    pairs, quotes = sum(r["pairs"] for r in results), sum(r["quotes"] for r in results)
    return NtrexScore(aligner, layout, sum(sentence) / max(1, len(sentence)), sum(quote) / max(1, len(quote)),
                      sum(r["sentence_right"] for r in results) / max(1, pairs),
                      sum(r["quote_right"] for r in results) / max(1, quotes), quotes,
                      sum(_found_quotes(gold, output) for gold, output in outputs),
                      sum(r["quote_right"] for r in results))


def evaluate_ntrex() -> list[NtrexScore]:
    """tarjama align and the baseline on both ntrex-dev layouts."""
    from eval import baseline_align
    from eval.ntrex import LAYOUTS, documents

    rows = []
    for layout in LAYOUTS:
        ours, baseline = [], []
        for d in documents():
            english = d.english(layout)
            ours.append((d.gold_path(layout), d.align(english).to_dict()))
            arabic = d.arabic_path.read_text(encoding="utf-8")
            baseline.append((d.gold_path(layout), baseline_align.align_document(arabic, english)))
        rows.append(_score_ntrex("tarjama align", layout, ours))
        rows.append(_score_ntrex("Gale-Church baseline", layout, baseline))
    return rows


def ntrex_verdict(rows: list[NtrexScore]) -> list[str]:
    """What misses the bar (empty when it is met)."""
    ours = {r.layout: r for r in rows if r.aligner == "tarjama align"}
    base = {r.layout: r for r in rows if r.aligner != "tarjama align"}
    out = []
    for layout, r in ours.items():
        if r.sentence < NTREX_SENTENCE_BAR:
            out.append(f"sentences {layout} {r.sentence:.3f} < {NTREX_SENTENCE_BAR}")
        if r.quote < NTREX_QUOTE_BAR:
            out.append(f"quotations {layout} {r.quote:.3f} < {NTREX_QUOTE_BAR}")
        if r.sentence < base[layout].sentence:
            out.append(f"sentences {layout} below the baseline")
    if ours["parallel-free"].sentence < ours["parallel"].sentence - 0.005:
        out.append("reflowed English aligns worse than same-paragraph English")
    return out


def main(argv: list[str] | None = None) -> bool:
    """Print the tables; True when every bar is met."""
    parser = argparse.ArgumentParser(prog="python -m eval.alignment", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help=f"exit 1 unless every sample has accuracy ≥ {BAR}")
    parser.add_argument("--misses", action="store_true", help="list the held-out quotations not aligned")
    args = parser.parse_args(argv)
    from eval.ntrex import LAYOUTS, available

    missed: list[str] = []
    if available():
        ntrex = evaluate_ntrex()
        print("Sentence and quotation alignment on NTREX-128 professional translations (ntrex-dev, 56 documents; "
              "means over documents, align_score.py)")
        print(format_table(["aligner", "English layout", "sentence acc", "quotation acc", "pooled sentence",
                            "pooled quotation"],
                           [[r.aligner, LAYOUTS[r.layout], r.sentence, r.quote, r.sentence_pooled, r.quote_pooled]
                            for r in ntrex]))
        for r in ntrex:
            if r.aligner == "tarjama align":
                print(f"{LAYOUTS[r.layout]}: the quotes stage found {r.quotes_found} of the {r.quotes} gold quotations; "
                      f"{r.quotes_right} of them aligned ({r.quotes_right / max(1, r.quotes_found):.3f})")
        missed = ntrex_verdict(ntrex)
        print("bar (sentences ≥ 0.99, quotations ≥ 0.95, reflowed as good, above the baseline): "
              + ("met" if not missed else "NOT met: " + "; ".join(missed)))
        print()
    else:
        print("ntrex-dev not found next to the repository (../shared/ntrex-dev): NTREX-128 table skipped")
    rows = evaluate()
    print("Quotation and sentence alignment with the reference translations (tarjama align)")
    print(table(rows))
    total_matched = sum(r.matched for r in rows)
    total_aligned = sum(r.aligned for r in rows)
    print(f"all samples: {total_aligned}/{total_matched} matched gold quotations aligned "
          f"({total_aligned / max(1, total_matched):.3f}); "
          f"{sum(r.gold_quotes - r.matched for r in rows)} gold quotations not found by the quotes stage")
    missed += [r.name for r in rows if not meets_bar(r)]
    if [r for r in rows if not meets_bar(r)]:
        print(f"below the bar (accuracy ≥ {BAR}): {', '.join(r.name for r in rows if not meets_bar(r))}")
    heldout = evaluate_heldout()
    print()
    print("Held-out translations in other styles (tests/heldout-quotes/*.en.txt)")
    print(heldout_table(heldout))
    total_matched = sum(r.matched for r in heldout)
    total_aligned = sum(r.aligned for r in heldout)
    print(f"all held-out: {total_aligned}/{total_matched} ({total_aligned / max(1, total_matched):.3f})")
    if args.misses:
        for r in heldout:
            for miss in r.misses:
                print(f"  {r.name}: {miss}")
    missed += [r.name for r in heldout if r.accuracy < BAR]
    return not missed


if __name__ == "__main__":
    ok = main()
    sys.exit(1 if "--check" in sys.argv[1:] and not ok else 0)
