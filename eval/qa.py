"""QA flags measured on professional translations (ntrex-dev): false alarms on the unchanged translations, recall of injected faults.

Run `python -m eval.qa` (`-v` lists every false alarm and every missed fault). Every ntrex-dev
document (eval/ntrex.py: NTREX-128 news, English in the Arabic's paragraphs) goes through `tarjama
align`'s code and the qa stage. The translations are professional and unchanged, so a flag of
severity other than `info`/`notice` on them is a false alarm: the table gives, per rule, the share
of sentences that carry one (the quotes stage's `quote-marks` flags, about broken marks in the
Arabic, count too: the qa stage keeps them as warnings only where a quotation lost its English).

Then faults are injected into the English, one at a time (one of each kind per document, in a
sentence drawn with a seed from the document's name), the English is aligned and checked again,
and a fault counts as found when a flag of severity other than `info`/`notice` whose rule names it
(number…, repet…/length…, untranslated, quot…, name…) sits on a sentence holding the faulty text.
The kinds, as the hidden set defines them:

  number deleted         a number of the Arabic deleted from the English   (rule numbers)
  digit changed          one digit of such a number changed                (numbers)
  phrase repeated        a phrase of 2-4 words repeated three more times    (repetition, length_ratio)
  second half in Arabic  the second half of the English sentence replaced
                         by the second half of its Arabic                   (untranslated)
  quotation deleted      a quotation's English deleted with its marks       (quotation)
                         (or a term's, a name's or a title's in marks)
  name respelled         a person's name respelled in one of the two or
                         more sentences where it appears                    (names)

People's names are the speakers' English names (found by transliteration) and the words after
Mr, Ms, Dr and such titles; the respellings are those transliterations produce (a doubled letter
single, a vowel changed, c/k swapped). Bar: false alarms on < 3% of sentences; recall ≥ 0.95 for
numbers, loops and untranslated text, ≥ 0.9 for lost quotations, ≥ 0.8 for respelled names.
"""

from __future__ import annotations

import random
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from eval.common import format_table
from eval.ntrex import NtrexDocument, available, documents
from pipeline.document import Document, Sentence
from pipeline.qa import RULES as QA_RULES
from pipeline.qa.numbers import arabic_numbers, english_numbers
from pipeline.qa.rules import SOURCE_MARKS

FALSE_ALARM_BAR = 0.03
QUIET = ("info", "notice")  # severities that ask nothing of a reviewer
# Fault kind -> (how the names of the rules that find it begin, the group it is reported in).
KINDS = {
    "number deleted": (("number",), "numbers"),
    "digit changed": (("number",), "numbers"),
    "phrase repeated": (("repet", "length"), "loops"),
    "second half in Arabic": (("untranslated",), "untranslated"),
    "quotation deleted": (("quot",), "quotations"),
    "name respelled": (("name",), "names"),
}
MARKED_WORDS = ("term", "name", "title")  # not quotations, but marked in the Arabic and often in the English
RECALL_BARS = {"numbers": 0.95, "loops": 0.95, "untranslated": 0.95, "quotations": 0.9, "names": 0.8}
TITLES = ("Mr", "Mrs", "Ms", "Dr", "President", "Senator", "Sen", "Rep", "Judge", "Prince", "King", "Pope",
          "Gov", "Governor", "Minister", "Chancellor", "Prof", "Professor", "General", "Gen", "Coach")


@dataclass
class Fault:
    kind: str
    english: str  # the whole English text with the fault
    marker: str  # the faulty text, to find the sentences holding it


@dataclass
class Tally:
    injected: int = 0
    found: int = 0
    missed: list[str] = field(default_factory=list)


def serious(sentence: Sentence, prefixes: tuple[str, ...] | None = None) -> list:
    """The flags of a sentence that ask a reviewer to act (of rules whose names begin with one of
    `prefixes` only, when given)."""
    return [f for f in sentence.flags or [] if f.severity not in QUIET
            and (prefixes is None or f.rule.startswith(prefixes))]


# -- faults ------------------------------------------------------------------------------------


def faults(doc: Document, english: str, rng: random.Random) -> Iterator[Fault]:
    """One fault of each kind that this document allows, each in a sentence drawn by `rng`."""
    sentences = [s for s in doc.sentences or [] if s.translation and english.count(s.translation) == 1]

    def pick(candidates: list) -> object | None:
        return rng.choice(candidates) if candidates else None

    def fault(kind: str, old: str, new: str) -> Fault:
        return Fault(kind, english.replace(old, new, 1), _marker(old, new))

    with_numbers = [(s, n) for s in sentences for n in english_numbers(s.translation, words=False)
                    if any(n.values & a.values for a in arabic_numbers(s.text))]
    if chosen := pick(with_numbers):
        s, n = chosen
        yield fault("number deleted", s.translation, _cut(s.translation, n.start, n.end))
    if chosen := pick(with_numbers):
        s, n = chosen
        t = s.translation
        digits = [i for i in range(n.start, n.end) if t[i].isdigit()]
        i = rng.choice(digits)
        yield fault("digit changed", t, t[:i] + str((int(t[i]) + rng.randint(1, 9)) % 10) + t[i + 1:])
    long_enough = [s for s in sentences if len(_words(s.translation)) >= 6]
    if s := pick(long_enough):
        t = s.translation
        words = _words(t)
        size = rng.randint(2, 4)
        first = rng.randrange(0, len(words) - size)
        a, b = words[first].start(), words[first + size - 1].end()
        yield fault("phrase repeated", t, t[:b] + (" " + t[a:b]) * 3 + t[b:])
    both_long = [s for s in long_enough if len(s.text.split()) >= 6]
    if s := pick(both_long):
        t = s.translation
        words = _words(t)
        arabic = s.text.split()
        yield fault("second half in Arabic", t, t[: words[len(words) // 2].start()] + " ".join(arabic[len(arabic) // 2:]))
    # Any span in marks the English kept: the hidden set's quotations are its gold pairs, which
    # hold terms and names in marks too («مستقرة» / "stable").
    if q := pick([q for q in doc.quotes or [] if (q.is_quotation or q.kind in MARKED_WORDS) and q.translation is not None
                  and q.translation.method == "reference" and q.translation.confidence >= 0.5
                  and q.translation.start is not None and not q.translation.spans
                  and doc.sentence(q.sentence).translation in [s.translation for s in sentences]]):
        t = doc.sentence(q.sentence).translation or ""
        a, b = q.translation.start, q.translation.end
        while a > 0 and t[a - 1] in "\"“'‘":
            a -= 1
        while b < len(t) and t[b] in "\"”'’":
            b += 1
        if t[a : a + 1] in "\"“'‘" and t[b - 1 : b] in "\"”'’":  # only English quoted in marks
            yield fault("quotation deleted", t, _cut(t, a, b))
    names = person_names(doc)
    occurrences = [(s, m) for name in names for s in sentences
                   for m in re.finditer(rf"\b{re.escape(name)}\b", s.translation)]
    if chosen := pick(occurrences):
        s, m = chosen
        t = s.translation
        yield fault("name respelled", t, t[: m.start()] + _respell(m.group(), rng) + t[m.end():])


def person_names(doc: Document) -> list[str]:
    """Single words of people's names that two sentences or more of the English use: from the
    speakers' English names and from the words after a title (Mr, Senator...)."""
    candidates: set[str] = set()
    for q in doc.quotes or []:
        if q.speaker is not None and q.speaker.english:
            candidates.update(w for w in re.findall(r"[A-Z][a-z]+(?:[A-Z][a-z]+)?", q.speaker.english) if len(w) >= 4)
    title = "|".join(TITLES)
    for s in doc.sentences or []:
        for m in re.finditer(rf"\b(?:{title})\.? ((?:[A-Z][a-z]+ ?){{1,3}})", s.translation or ""):
            candidates.update(w for w in m.group(1).split() if len(w) >= 4)
    out = []
    for name in sorted(candidates):
        pattern = re.compile(rf"\b{re.escape(name)}\b")
        if sum(1 for s in doc.sentences or [] if pattern.search(s.translation or "")) >= 2:
            out.append(name)
    return out


def _words(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"[^\W_][\w'’-]*", text))


def _marker(old: str, new: str, pad: int = 10) -> str:
    """The changed part of `new` with `pad` characters of context on each side."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return " ".join(new[max(0, prefix - pad) : max(prefix, len(new) - suffix) + pad].split())


def _cut(text: str, start: int, end: int) -> str:
    """`text` without [start, end), spaces tidied."""
    return re.sub(r"\s{2,}", " ", (text[:start] + text[end:])).replace(" ,", ",").replace(" .", ".").strip()


def _respell(word: str, rng: random.Random) -> str:
    """A spelling variant of the kind transliterations produce: a doubled letter single or a
    single one doubled, ou/u, a vowel changed, c/k or q/k swapped."""
    options = []
    doubled = re.search(r"([a-z])\1", word)
    if doubled:
        options.append(word[: doubled.start()] + word[doubled.start() + 1 :])
    if "ou" in word:
        options.append(word.replace("ou", "u", 1))
    for old, new in (("C", "K"), ("K", "C"), ("Q", "K"), ("q", "k"), ("ck", "k")):
        if old in word:
            options.append(word.replace(old, new, 1))
    vowels = [m for m in re.finditer(r"[aeiou]", word) if m.start() > 0]
    if vowels:
        v = vowels[-1]
        options.append(word[: v.start()] + {"a": "e", "e": "a", "i": "e", "o": "u", "u": "o"}[v.group()] + word[v.end():])
    single = re.search(r"[aeiou]([bdfgklmnprstz])[aeiou]", word)
    if single:
        options.append(word[: single.start(1)] + single.group(1) + word[single.start(1):])
    return rng.choice(options) if options else word + "e"


# -- the measurements ----------------------------------------------------------------------------


@dataclass
class FalseAlarms:
    sentences: int = 0
    flagged: int = 0  # by any rule (the quotes stage's too), severity other than info/notice
    per_rule: dict[str, int] = field(default_factory=dict)
    listing: list[str] = field(default_factory=list)


def false_alarms(clean: dict[str, Document]) -> FalseAlarms:
    out = FalseAlarms(per_rule=dict.fromkeys([*QA_RULES, SOURCE_MARKS], 0))
    for name, doc in clean.items():
        for s in doc.sentences or []:
            out.sentences += 1
            found = serious(s)
            out.flagged += bool(found)
            for rule in {f.rule for f in found}:
                out.per_rule[rule] = out.per_rule.get(rule, 0) + 1
            out.listing.extend(f"  {name} {s.id} {f.rule} ({f.severity}): {f.message}" for f in found)
    return out


def recall(items: list[NtrexDocument], clean: dict[str, Document]) -> dict[str, Tally]:
    """Faults found, by kind."""
    out = {kind: Tally() for kind in KINDS}
    for item in items:
        english = item.english()
        rng = random.Random(zlib.crc32(item.name.encode()))
        for fault in faults(clean[item.name], english, rng):
            tally = out[fault.kind]
            tally.injected += 1
            doc = item.align(fault.english, qa=True)
            holding = [s for s in doc.sentences or [] if fault.marker in " ".join((s.translation or "").split())]
            if any(serious(s, KINDS[fault.kind][0]) for s in holding):
                tally.found += 1
            else:
                tally.missed.append(f"{item.name}: {fault.marker[:80]!r}")
    return out


def main(argv: list[str] | None = None) -> bool:
    verbose = "-v" in (argv if argv is not None else sys.argv[1:])
    if not available():
        print("ntrex-dev not found next to the repository (../shared/ntrex-dev): QA measures skipped")
        return False
    items = list(documents())
    clean = {item.name: item.align(item.english(), qa=True) for item in items}
    alarms = false_alarms(clean)
    n = max(1, alarms.sentences)
    print(f"QA false alarms on unchanged professional translations (ntrex-dev, {len(items)} documents, "
          f"{alarms.sentences} sentences; flags of severity other than info/notice)")
    print(format_table(["rule", "sentences flagged", "rate"],
                       [(rule, count, count / n) for rule, count in alarms.per_rule.items()]
                       + [("any rule", alarms.flagged, alarms.flagged / n)]))
    if verbose:
        print("\n".join(alarms.listing))
    print()
    found = recall(items, clean)
    met = alarms.flagged / n < FALSE_ALARM_BAR
    rows = []
    for kind, tally in found.items():
        rows.append((kind, KINDS[kind][1], tally.injected, tally.found, tally.found / max(1, tally.injected)))
        if verbose:
            print("\n".join(f"  missed {kind}: {miss}" for miss in tally.missed))
    print("QA recall of faults injected into those translations (one of each kind per document)")
    print(format_table(["fault", "group", "injected", "found", "recall"], rows))
    group_rows = []
    for group, bar in RECALL_BARS.items():
        tallies = [t for kind, t in found.items() if KINDS[kind][1] == group]
        injected, hits = sum(t.injected for t in tallies), sum(t.found for t in tallies)
        rate = hits / injected if injected else 0.0
        met = met and injected > 0 and rate >= bar
        group_rows.append((group, injected, hits, rate, f"≥ {bar}"))
    print(format_table(["group", "injected", "found", "recall", "bar"], group_rows))
    print(f"bar (false alarms < {FALSE_ALARM_BAR:.0%} of sentences, recall as above): {'met' if met else 'NOT met'}")
    return met


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
