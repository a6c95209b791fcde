"""The text layer on real news: sentences, quotations and speakers of ../shared/corpus against its gold, pooled.

Run `python -m eval corpus` (`make eval ARGS="corpus --diff"`). Each article goes through
normalize, segment and quotes in-process and is scored with the rules of
../shared/tools/score_gold.py (eval/corpus_scoring.py mirrors them), so the pooled line printed
first is the one score_gold.py prints for the same code. Then: each bar of issue 15 (ok or BELOW),
one row per annotated article, a table per `speaker.method` (the sieve that chose a speaker), and
the articles without gold as a sanity check (how many quotations and speakers are found there).
`--diff` lists every wrong or missing speaker, every spurious and missed quotation, and the
sentence mismatches of the articles whose sentence F1 is below 0.90. It exits 1 when a bar
is not met. Where the corpus is absent (it is not part of the repository) the section says so and
passes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from eval.common import ROOT, format_table
from eval.corpus_scoring import (
    QUOTE_KINDS,
    Datelines,
    SentenceScore,
    bare,
    match_quotes,
    norm,
    sentence_score,
    speaker_names,
)
from pipeline.document import Document

CORPUS = Path(os.environ.get("TARJAMA_CORPUS", ROOT.parent / "shared" / "corpus"))
STAGES = "normalize,segment,quotes"
NO_SPEAKER = "(no speaker)"
UNSET = "(method unset)"
SENTENCE_DIFF_BELOW = 0.90


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    limit: float
    at_least: bool  # True: value ≥ limit; False: value ≤ limit

    @property
    def met(self) -> bool:
        return self.value >= self.limit if self.at_least else self.value <= self.limit


@dataclass
class Article:
    """One annotated article's scores, and what went wrong in it, for --diff."""

    name: str
    error: str | None = None  # the traceback when the pipeline failed
    sentences: SentenceScore | None = None
    missed_sentences: list[str] = field(default_factory=list)
    spurious_sentences: list[str] = field(default_factory=list)
    gold_quotes: int = 0
    predicted_quotes: int = 0
    matched_quotes: int = 0
    names_as_quotes: int = 0
    speakers_total: int = 0
    speakers_right: int = 0
    speakers_wrong: int = 0
    speakers_full_name: int = 0
    wrong_speakers: list[tuple[str, str, str, str]] = field(default_factory=list)  # quote, gold, given, method
    no_speaker: list[tuple[str, str, str]] = field(default_factory=list)  # quote, gold, method
    spurious_quotes: list[tuple[str, str, bool]] = field(default_factory=list)  # text, kind, in not_quotes
    missed_quotes: list[tuple[str, str]] = field(default_factory=list)  # text, gold speaker
    # speaker.method → Counter of "count" (predicted quotations), "right", "wrong", "none"
    methods: dict[str, Counter] = field(default_factory=dict)


@dataclass
class Unannotated:
    name: str
    error: str | None = None
    sentences: int = 0
    quotes: int = 0
    with_speaker: int = 0


@dataclass
class Totals:
    """The pooled figures, summed as score_gold.py sums them."""

    articles: int = 0
    crashed: int = 0
    f1s: list[float] = field(default_factory=list)
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    names: int = 0
    right: int = 0
    total: int = 0
    wrong: int = 0
    full: int = 0

    @classmethod
    def of(cls, articles: list[Article]) -> Totals:
        t = cls(articles=len(articles))
        for a in articles:
            if a.error is not None:
                t.crashed += 1
                continue
            assert a.sentences is not None
            t.f1s.append(a.sentences.f1)
            t.gold += a.gold_quotes
            t.predicted += a.predicted_quotes
            t.matched += a.matched_quotes
            t.names += a.names_as_quotes
            t.right += a.speakers_right
            t.total += a.speakers_total
            t.wrong += a.speakers_wrong
            t.full += a.speakers_full_name
        return t

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1_mean(self) -> float:
        return sum(self.f1s) / max(len(self.f1s), 1)

    @property
    def f1_min(self) -> float:
        return min(self.f1s, default=0.0)

    def line(self) -> str:
        """score_gold.py's last line, field for field."""
        return (f"articles={self.articles} crashed={self.crashed} sentence_f1_mean={self.f1_mean:.3f} "
                f"sentence_f1_min={self.f1_min:.3f} below_0.95={sum(1 for x in self.f1s if x < 0.95)} "
                f"quote_precision={self.precision:.3f} quote_recall={self.recall:.3f} gold_quotes={self.gold} "
                f"names_as_quotes={self.names} speakers={self.right}/{self.total} speakers_wrong={self.wrong} "
                f"speakers_full_name={self.full} speaker_acc={self.right / max(self.total, 1):.3f}")

    def bars(self, other_crashes: int = 0) -> list[Bar]:
        """The bars of issue 15; `other_crashes`: failures on the articles without gold, which count too."""
        total, gold = max(self.total, 1), max(self.gold, 1)
        return [
            Bar("speaker accuracy", self.right / total, 0.90, True),
            Bar("wrong speaker given (share of gold speakers)", self.wrong / total, 0.05, False),
            Bar("quotation precision", self.precision, 0.90, True),
            Bar("quotation recall", self.recall, 0.90, True),
            Bar("names/titles/terms taken for quotations (share of gold quotations)", self.names / gold, 0.02, False),
            Bar("sentence F1 mean", self.f1_mean, 0.97, True),
            Bar("sentence F1 min", self.f1_min, 0.90, True),
            Bar("articles that fail (with or without gold)", self.crashed + other_crashes, 0, False),
        ]


def reader() -> Callable[[Path], Document]:
    """What `tarjama translate ART --stages normalize,segment,quotes` does to a file, built once."""
    from pipeline.pipeline import Pipeline

    return Pipeline.from_config(None, stages=STAGES).read


def score_article(name: str, doc: Document, gold: dict, gold_sentences: list[str], datelines: Datelines) -> Article:
    """Score one document against its gold files, as score_gold.py's `sentences` and `quotes` do."""
    article = Article(name)
    expected = datelines.comparable(gold_sentences)
    produced = datelines.comparable([s.text for s in doc.sentences or []])
    article.sentences = sentence_score(expected, produced)
    missing = Counter(map(norm, expected)) - Counter(map(norm, produced))
    extra = Counter(map(norm, produced)) - Counter(map(norm, expected))
    article.missed_sentences = [s for s in map(norm, expected) if missing[s]]
    article.spurious_sentences = [s for s in map(norm, produced) if extra[s]]

    predicted = [q for q in doc.quotes or [] if q.kind in QUOTE_KINDS]
    predicted_text = [bare(q.text) for q in predicted]
    gold_text = [bare(q["text"]) for q in gold["quotes"]]
    pairs = match_quotes(gold_text, predicted_text)
    article.gold_quotes, article.predicted_quotes, article.matched_quotes = len(gold_text), len(predicted), len(pairs)
    not_quotes = {bare(n) for n in gold.get("not_quotes", [])}
    article.names_as_quotes = sum(1 for x in predicted_text if x in not_quotes)

    for q in predicted:
        article.methods.setdefault(_method(q), Counter())["count"] += 1
    for i, g in enumerate(gold["quotes"]):
        if i not in pairs:
            article.missed_quotes.append((g["text"], g.get("speaker") or "-"))
        if not g.get("speaker"):  # no identifiable speaker in the article: not scored for attribution
            continue
        article.speakers_total += 1  # a missed quotation's speaker counts as not found
        if i not in pairs:
            continue
        q = predicted[pairs[i]]
        given = norm(q.speaker.name or "") if q.speaker else ""
        tally = article.methods[_method(q)]
        if given in speaker_names(gold, g["speaker"]):
            article.speakers_right += 1
            article.speakers_full_name += given == norm(g["speaker"])
            tally["right"] += 1
        elif given:
            article.speakers_wrong += 1
            article.wrong_speakers.append((q.text, g["speaker"], given, _method(q)))
            tally["wrong"] += 1
        else:
            article.no_speaker.append((q.text, g["speaker"], _method(q)))
            tally["none"] += 1
    matched = set(pairs.values())
    article.spurious_quotes = [(q.text, q.kind, bare(q.text) in not_quotes)
                               for j, q in enumerate(predicted) if j not in matched]
    return article


def _method(quote) -> str:
    if quote.speaker is None:
        return NO_SPEAKER
    return quote.speaker.method or UNSET


def evaluate(corpus: Path = CORPUS, only: list[str] | None = None) -> tuple[list[Article], list[Unannotated]]:
    """Every article of the corpus: the annotated ones scored, the others counted."""
    import json

    read = reader()
    datelines = Datelines()
    scored: list[Article] = []
    for gold_path in sorted((corpus / "gold").glob("*.quotes.json")):
        name = gold_path.name[: -len(".quotes.json")]
        if only and name not in only:
            continue
        try:
            doc = read(corpus / "articles" / f"{name}.ar.txt")
        except Exception:  # a crash is a figure here, not the end of the evaluation
            scored.append(Article(name, error=traceback.format_exc()))
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        gold_sentences = datelines.read_gold_sentences(corpus / "gold" / f"{name}.sentences.txt")
        scored.append(score_article(name, doc, gold, gold_sentences, datelines))
    annotated = {a.name for a in scored} | {p.name[: -len(".quotes.json")] for p in (corpus / "gold").glob("*.quotes.json")}
    others: list[Unannotated] = []
    for path in sorted((corpus / "articles").glob("*.ar.txt")):
        name = path.name[: -len(".ar.txt")]
        if name in annotated or (only and name not in only):
            continue
        try:
            doc = read(path)
        except Exception:
            others.append(Unannotated(name, error=traceback.format_exc()))
            continue
        quotes = [q for q in doc.quotes or [] if q.kind in QUOTE_KINDS]
        others.append(Unannotated(name, None, len(doc.sentences or []), len(quotes),
                                  sum(1 for q in quotes if q.speaker and q.speaker.name)))
    return scored, others


def bars_table(totals: Totals, other_crashes: int) -> str:
    return format_table(["bar", "value", "limit", ""],
                        [[b.label, b.value, f"{'≥' if b.at_least else '≤'} {b.limit:g}", "ok" if b.met else "BELOW"]
                         for b in totals.bars(other_crashes)])


def articles_table(articles: list[Article]) -> str:
    rows = []
    for a in articles:
        if a.error is not None:
            rows.append([a.name, "CRASH"] + [""] * 9)
            continue
        s = a.sentences
        assert s is not None
        rows.append([a.name, s.gold, s.predicted, s.f1, a.gold_quotes, a.predicted_quotes, a.matched_quotes,
                     a.names_as_quotes, f"{a.speakers_right}/{a.speakers_total}", a.speakers_wrong,
                     len(a.no_speaker)])
    return format_table(["article", "sent gold", "sent ours", "sent F1", "quotes gold", "ours", "matched",
                         "names", "speakers", "wrong", "none"], rows)


def methods_table(articles: list[Article]) -> str:
    pooled: dict[str, Counter] = {}
    for a in articles:
        for method, tally in a.methods.items():
            pooled.setdefault(method, Counter()).update(tally)
    rows = []
    for method, t in sorted(pooled.items(), key=lambda kv: -kv[1]["count"]):
        given = t["right"] + t["wrong"]
        rows.append([method, t["count"], t["right"], t["wrong"], t["none"],
                     f"{t['right'] / given:.3f}" if given else "-"])
    return format_table(["speaker.method", "quotations", "right", "wrong", "none given", "precision"], rows)


def unannotated_table(others: list[Unannotated]) -> str:
    return format_table(["article (no gold)", "sentences", "quotations", "with a speaker"],
                        [[u.name, "CRASH", "", ""] if u.error else [u.name, u.sentences, u.quotes, u.with_speaker]
                         for u in others])


def print_diff(articles: list[Article]) -> None:
    for a in articles:
        if a.error is not None:
            print(f"\n{a.name}: the pipeline failed\n{a.error.rstrip()}")
            continue
        lines = [f"wrong speaker  «{_one_line(q)}»  gold: {g}  given: {given}  method: {m}"
                 for q, g, given, m in a.wrong_speakers]
        lines += [f"no speaker     «{_one_line(q)}»  gold: {g}  method: {m}" for q, g, m in a.no_speaker]
        lines += [f"spurious       [{kind}] «{_one_line(t)}»" + ("  (gold not_quotes)" if listed else "")
                  for t, kind, listed in a.spurious_quotes]
        lines += [f"missed         «{_one_line(t)}»  gold speaker: {g}" for t, g in a.missed_quotes]
        if a.sentences is not None and a.sentences.f1 < SENTENCE_DIFF_BELOW:
            lines += [f"sentence F1 {a.sentences.f1:.3f}, missed: {s}" for s in a.missed_sentences]
            lines += [f"sentence F1 {a.sentences.f1:.3f}, ours:   {s}" for s in a.spurious_sentences]
        if lines:
            print(f"\n{a.name}")
            for line in lines:
                print(f"  {line}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--diff", action="store_true", help="list every wrong speaker, spurious or missed "
                        "quotation, and the sentence mismatches of articles below 0.90")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"the corpus folder (default {CORPUS})")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these articles only (names without .ar.txt)")
    args = parser.parse_args(argv)
    if not (args.corpus / "gold").is_dir():
        print(f"no corpus at {args.corpus} (set TARJAMA_CORPUS or pass --corpus); section skipped")
        return 0
    started = time.perf_counter()
    articles, others = evaluate(args.corpus, args.only)
    totals = Totals.of(articles)
    print(f"{args.corpus}: {len(articles)} annotated articles, {len(others)} without gold, "
          f"stages {STAGES}, {time.perf_counter() - started:.1f} s")
    print(totals.line())
    print()
    crashes = sum(1 for u in others if u.error)
    print(bars_table(totals, crashes))
    print()
    print(articles_table(articles))
    print()
    print("Speakers by the sieve that chose them (quotations: every one found; right/wrong/none: those "
          "matched to a gold quotation with a speaker)")
    print(methods_table(articles))
    if others:
        print()
        print(unannotated_table(others))
    if args.diff:
        print_diff(articles)
        for u in others:
            if u.error:
                print(f"\n{u.name}: the pipeline failed\n{u.error.rstrip()}")
    met = all(b.met for b in totals.bars(crashes))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
