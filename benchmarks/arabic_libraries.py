"""Arabic NLP libraries against our word lists, on the gold corpus: verbs of saying and proper names (issue 15 item 6).

    python -m venv /tmp/arlibs && /tmp/arlibs/bin/pip install qalsadi naftawayh pyarabic
    PYTHONPATH=$PWD /tmp/arlibs/bin/python benchmarks/arabic_libraries.py [--errors]

(a) Verbs of saying. Tokens: the words just before each gold quotation (up to six, within its
sentence) and just after it (up to four), in the 61 annotated articles of ../shared/corpus; a
token is a verb of saying when it is a finite verb that attributes speech or a stance to its
subject (قال، وأضافت، وأشاروا، يعتقد). The labels are ours, written once by reading those words in
context (SAYING below; a few forms that are a verb in one place and a noun in another, such as رد
or طلب, are left out). Participles (مضيفا) and verbal nouns (بالقول، تصريحات) are not verbs.
Compared: the rules (the verb lists of pipeline/lexicon.py, looked up as the quotes stage
does: without و/ف and an object pronoun); qalsadi with the arramooz dictionary (a token is a verb
of saying when one of its verb analyses has for lemma a verb of our lists: the library does the
conjugation and the clitics, the lists keep only lemmas); and the rules with qalsadi or naftawayh as
a filter (a listed form that the library cannot read as a verb is dropped).

(b) Proper names. Tokens: the words of the gold `speaker_aliases`. A word of a person's name (the
gold speaker when it is a person) is a name; the other words (titles, offices, nationalities,
institutions) are not; name links (بن، عبد، أبو) are left out. Compared: qalsadi's proper-noun
analyses (noun_prop), the same or a word arramooz does not know (foreign names mostly), pyarabic's
proper-noun list, and the complement of the finder's word lists (a word that is no role noun, no
listed word, not definite), which is what the finder assumes of the words after a title.

Also: tokens per second on every word of the 61 articles, the installed size and licence of each
package, and whether it opens a network connection (every socket connect is refused and counted).
Skips with a note when a package is missing.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import socket
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.arabic import fold, strip_article, strip_conjunction  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
WORD = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652\u0670]+")


def _keys(words: str) -> frozenset[str]:
    """Words written one after another, as the word lists look them up (folded, ى kept)."""
    return frozenset(fold(w, keep_maqsura=True) for w in words.split())


# (b) The gold speakers that are not a person's name (institutions, media, anonymous sources): our labels.
NOT_PERSONS = frozenset(fold(s) for s in """
البيت الأبيض|الخارجية الأميركية|الخطوط الجوية السعودية|الدوائر الافريقية الاستثنائية|السلطات في مدينة روتردام|
الشركة السعودية للصناعات الأساسية|المتحدث باسم المجلس الأوروبي|المسؤول|المواطن|تركيا|تي واي سي|
حزب الشعب الديموقراطي التركي|دبلوماسي|دبلوماسي ثان يتابع الأحداث في سوريا|دبلوماسي روسي يتابع الوضع في سوريا|
دبلوماسي يتابع الوضع في سوريا|سياسي يمني|صحفي هولندي|صحيفة الشروق المصرية|فريق عمل سلسلة أفلام "حراس المجرة"|
قائد كبير في القوات المناهضة للحوثيين|مجموعة صيدليات ولغرينز|مسؤول أوروبي|مسؤول في الاتحاد السعودي لكرة القدم|
مصادر سياسية رفيعة|مصادر في المسح|مصدر آخر|مصدر أمني جزائري رفيع|مصدر إيطالي|مصدر في الهلال الأحمر السوري|
مصدر موثوق به في الاتحاد الدولي لكرة القدم|مكتب العبادي|منظمة العفو الدولية|منظمة هيومان رايتس ووتش|
وزارة الخارجية الايطالية|وزارة الخارجية الروسية|وزارة الداخلية|وزارة الدفاع الجزائرية
""".replace("\n", "").split("|"))

# (a) The finite verbs of saying or stance among the words around the gold quotations: our labels.
SAYING = _keys("""
اجاب اشار اعلن اعلنت اكد اوضح ابدت اعتقد دعا ذكر صرح طلبت قال قالت قلت ندعو نشرت تنشر يتابع يذكر يعتقد
ويقول ويشير وتابع وتابعت وتحدث واختتم واستطرد واستغرب واضاف واعترف وانتقد واردف واشار واشارت واشاروا
واضافت واعلن واعلنت وافاد واكد واوضح واوضحت وحذر وذكر وذكرت وشدد وشككت وصرح ووصف وطالب وقال وقالت وقلل
وكتب وكتبت وكشف وكشفت ولفت ومضى ونبه ونقل ونوه وهتف وواصل فكتب ناقشنا
واعتبرت اعتبرته تعتبر وصفه وصفها وصفته ذكرت
""")
AMBIGUOUS = _keys("رد رده ردا وردا وردت طلب وصف نشر")
NAME_LINKS = _keys("بن ابن ابو ابي ام ال عبد")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    wrong: Counter = field(default_factory=Counter)  # "fp word" / "fn word", for --errors

    def add(self, word: str, predicted: bool, gold: bool) -> None:
        if predicted and gold:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.wrong[f"fp {word}"] += 1
        elif gold:
            self.fn += 1
            self.wrong[f"fn {word}"] += 1
        else:
            self.tn += 1

    def line(self, name: str, errors: bool = False) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        line = f"  {name:52s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {self.tp} fp {self.fp} fn {self.fn})"
        if errors:
            line += "\n" + "\n".join(f"      {k} ×{n}" for k, n in sorted(self.wrong.items()))
        return line


class NetworkGuard:
    """Refuses and counts every socket connection while it is on: a library that downloads fails loudly."""

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self._connect = socket.socket.connect

    def __enter__(self) -> NetworkGuard:
        guard = self

        def refuse(sock: socket.socket, address: object) -> None:
            guard.attempts.append(repr(address))
            raise OSError("network refused by benchmarks/arabic_libraries.py")

        socket.socket.connect = refuse  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        socket.socket.connect = self._connect  # type: ignore[method-assign]


def gold_articles() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((CORPUS / "gold").glob("*.quotes.json")):
        text = (CORPUS / "articles" / f"{path.name[: -len('.quotes.json')]}.ar.txt").read_text(encoding="utf-8")
        out.append((text, json.loads(path.read_text(encoding="utf-8"))))
    return out


def words_around_quotes(articles: list[tuple[str, dict]]) -> list[str]:
    """The words before (≤ 6, same sentence) and after (≤ 4) each gold quotation with a speaker."""
    tokens: list[str] = []
    for text, gold in articles:
        for q in gold["quotes"]:
            if not q.get("speaker"):
                continue
            start = text.find(q["text"][:20])
            if start < 0:
                continue
            left = max(text.rfind(".", 0, start - 2), text.rfind("\n", 0, start), start - 120)
            tokens += WORD.findall(text[left:start])[-6:]
            end = text.find(q["text"][-15:], start)
            if end >= 0:
                tokens += WORD.findall(text[end + 15:end + 75])[:4]
    return tokens


def alias_words(articles: list[tuple[str, dict]]) -> list[tuple[str, bool]]:
    """(word, is a name) for the words of every gold speaker alias, name links left out. A word is a
    name when it is a word of some person speaker's name (an institution's alias may hold one)."""
    name_words = {fold(w) for _, gold in articles for speaker in gold.get("speaker_aliases", {})
                  if fold(speaker) not in NOT_PERSONS for w in WORD.findall(speaker)}
    out = []
    for _, gold in articles:
        for speaker, aliases in gold.get("speaker_aliases", {}).items():
            for alias in set(aliases) | {speaker}:
                for word in WORD.findall(alias):
                    if fold(word) not in NAME_LINKS:
                        out.append((word, fold(word) in name_words))
    return out


def rules() -> tuple[Callable[[str], bool], Callable[[str], bool], set[str]]:
    """The quotes stage's verb test, its 'no listed word' test for names, and the lemmas of its verb lists
    (the word lists of pipeline.lexicon, looked up as pipeline/stages/quotes/tokens.py looks them up)."""
    from pipeline import lexicon
    from pipeline.stages.quotes.tokens import role_forms_of, with_plurals

    verbs = with_plurals({lexicon.key(w) for w in lexicon.SPEECH_VERBS + lexicon.STANCE_VERBS})
    listed = set(verbs) | {lexicon.key(w) for w in lexicon.PARTICIPLES}
    for value in vars(lexicon).values():
        if isinstance(value, frozenset) and all(isinstance(w, str) for w in value):
            listed |= value
    roles = {fold(w) for w in lexicon.ROLE_NOUNS}

    def is_saying_verb(word: str) -> bool:
        key = lexicon.key(word)
        forms = [key, strip_conjunction(key)]
        for suffix in ("هما", "هم", "ها", "ه"):
            forms += [f[: -len(suffix)] for f in forms[:2] if f.endswith(suffix) and len(f) - len(suffix) >= 3]
        return any(f in verbs for f in forms)

    def is_name(word: str) -> bool:
        key = strip_conjunction(lexicon.key(word))
        base = strip_article(key)
        return not (key in listed or base in listed or role_forms_of(fold(word)) & roles
                    or key.startswith("ال"))

    lemmas = {lexicon.key(w) for w in lexicon.SPEECH_VERBS + lexicon.STANCE_VERBS}
    return is_saying_verb, is_name, lemmas


def unvocalized(text: str) -> str:
    return fold(text, keep_maqsura=True)


def package_facts(names: list[str]) -> list[str]:
    lines = []
    for name in names:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        files = [Path(str(dist.locate_file(f))) for f in dist.files or []]
        size = sum(f.stat().st_size for f in files if f.exists())
        licence = dist.metadata.get("License") or ", ".join(
            c.split("::")[-1].strip() for c in dist.metadata.get_all("Classifier") or [] if "License" in c) or "?"
        lines.append(f"  {name:20s} {dist.version:10s} {size / 1e6:6.1f} MB  licence: {licence}")
    return lines


def main() -> int:
    errors = "--errors" in sys.argv[1:]  # list each predictor's false positives and misses
    if not (CORPUS / "gold").is_dir():
        print(f"no corpus at {CORPUS}; benchmark skipped")
        return 0
    articles = gold_articles()
    window = words_around_quotes(articles)
    scored = [(w, unvocalized(w) in SAYING) for w in window if unvocalized(w) not in AMBIGUOUS]
    names = alias_words(articles)
    every_word = [w for text, _ in articles for w in WORD.findall(text)]
    print(f"(a) {len(scored)} words around {sum(1 for _, g in articles for q in g['quotes'] if q.get('speaker'))} "
          f"gold quotations ({len({w for w, _ in scored})} forms), {sum(g for _, g in scored)} verbs of saying; "
          f"(b) {len(names)} words of gold speaker aliases, {sum(g for _, g in names)} name words; "
          f"speed on the {len(every_word)} words of the 61 articles")
    is_saying_verb, is_name, lemmas = rules()
    results: dict[str, list[str]] = {"a": [], "b": []}
    speeds: list[str] = []

    def measure(task: str, label: str, predict: Callable[[str], bool], items: list[tuple[str, bool]]) -> None:
        tally = Tally()
        for word, gold in items:
            tally.add(word, predict(word), gold)
        results[task].append(tally.line(label, errors))

    started = time.perf_counter()
    for w in every_word:
        is_saying_verb(w)
    speeds.append(f"  rules (verb lists)      {len(every_word) / (time.perf_counter() - started):12,.0f} tokens/s")
    measure("a", "rules (finder verb lists)", is_saying_verb, scored)
    measure("b", "rules (no listed word, not definite)", is_name, names)

    with NetworkGuard() as guard:
        try:
            import qalsadi.analex
        except ImportError:
            print("qalsadi is not installed: skipped")
        else:
            analyzer = qalsadi.analex.Analex()
            cache: dict[str, list] = {}

            def analyses(word: str) -> list:
                if word not in cache:
                    cache[word] = analyzer.check_word(word)
                return cache[word]

            started = time.perf_counter()
            for w in every_word[:5000]:
                analyzer.check_word(w)
            speeds.append(f"  qalsadi (check_word, no cache) {5000 / (time.perf_counter() - started):7,.0f} tokens/s")

            def verb_lemmas(word: str) -> set[str]:
                return {unvocalized(a.get_lemma()) for a in analyses(word) if a.get_type().startswith("Verb")}

            measure("a", "qalsadi: a verb analysis, lemma listed", lambda w: bool(verb_lemmas(w) & lemmas), scored)
            measure("a", "rules, dropping what qalsadi cannot read as a verb",
                    lambda w: is_saying_verb(w) and bool(verb_lemmas(w)), scored)
            measure("a", "rules or qalsadi", lambda w: is_saying_verb(w) or bool(verb_lemmas(w) & lemmas), scored)
            measure("b", "qalsadi noun_prop", lambda w: any("noun_prop" in a.get_type() for a in analyses(w)), names)
            measure("b", "qalsadi noun_prop or unknown word",
                    lambda w: any("noun_prop" in a.get_type() or a.get_type() == "unknown" for a in analyses(w)),
                    names)
        try:
            import naftawayh.wordtag
        except ImportError:
            print("naftawayh is not installed: skipped")
        else:
            tagger = naftawayh.wordtag.WordTagger()
            started = time.perf_counter()
            tagger.word_tagging(every_word)
            speeds.append(f"  naftawayh (word_tagging) {len(every_word) / (time.perf_counter() - started):10,.0f} "
                          "tokens/s")
            measure("a", "rules, dropping what naftawayh calls no verb",
                    lambda w: is_saying_verb(w) and tagger.is_verb(w), scored)
        try:
            import pyarabic.named
        except ImportError:
            print("pyarabic is not installed: skipped")
        else:
            measure("b", f"pyarabic is_proper_noun ({len(pyarabic.named.propernouns.PROPER_NOUNS)} names listed)",
                    pyarabic.named.is_proper_noun, names)
    print("\n(a) verbs of saying among the words around gold quotations")
    print("\n".join(results["a"]))
    print("\n(b) proper names among the words of gold speaker aliases")
    print("\n".join(results["b"]))
    print("\nspeed")
    print("\n".join(speeds))
    print("\npackages (installed size of the package itself; its dependencies are listed apart)")
    print("\n".join(package_facts(["qalsadi", "arramooz-pysqlite", "naftawayh", "PyArabic", "Tashaphyne", "alyahmor",
                                   "libqutrub", "Arabic-Stopwords", "codernitydb3", "pickledb", "mysam-tagmanager",
                                   "camel-tools"])))
    print(f"\nnetwork connections attempted while loading and running them: {len(guard.attempts)}"
          + (f" ({', '.join(guard.attempts[:3])})" if guard.attempts else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
