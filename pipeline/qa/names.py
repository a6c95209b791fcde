"""One Arabic name spelled several ways in one English article ("Caggins", "Kaggins", "Kagins").

No attention and no name list is needed: in each sentence, every capitalized English word is linked
to the Arabic word of the same sentence whose consonant skeleton it matches (كاغينز and Caggins are
both k-g-n-s once vowels, doubled letters and look-alike sounds are folded). The links of one Arabic
word across the article give the English forms it was rendered with; forms that differ, other than by
an ending such as Iraq/Iraqi or Syria/Syrian, are variants, and the most frequent one is suggested.
Names that are translated rather than transliterated ("Eastern Ghouta") are linked by co-occurrence
instead. The align stage's Speaker.english is not used: it is taken from these same translations.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.align.transliteration import (
    english_sound_classes,
    similarity,
    skeleton_similarity,
    sound_classes,
)
from pipeline.arabic import HARAKAT
from pipeline.document import Document

# Parts of names that many different people share: never a name by themselves.
_AR_PARTICLES = {"بن", "ابن", "بنت", "ابو", "ابي", "ام", "عبد", "ال", "ذو", "اب", "سيد", "شيخ"}
_EN_STOP = {
    "a", "an", "the", "in", "on", "at", "to", "of", "for", "from", "with", "by", "as", "and", "but",
    "or", "nor", "so", "yet", "he", "she", "it", "they", "we", "i", "you", "his", "her", "its",
    "their", "our", "my", "your", "this", "that", "these", "those", "there", "here", "what", "which",
    "who", "whom", "whose", "when", "where", "why", "how", "after", "before", "during", "since",
    "until", "while", "if", "although", "though", "because", "according", "regarding", "meanwhile",
    "however", "moreover", "also", "then", "thus", "such", "some", "all", "both", "each", "every",
    "no", "not", "one", "two", "three", "first", "last", "next", "new", "mr", "mrs", "ms", "dr",
    "al", "el", "bin", "ibn", "said", "says", "today", "yesterday", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "minister", "president", "read", "is", "was",
    "are", "were", "will", "would", "has", "have", "had", "do", "does", "did", "can", "could", "may",
    "might", "must", "should", "over", "under", "between", "among", "about", "against", "into",
    "through", "via", "per", "up", "out", "off", "down", "like", "than", "more", "most", "other",
    "another", "any", "many", "much", "few", "several", "only", "just", "even", "still", "now",
}
# Endings that make a related word, not another spelling: Iraq/Iraqi, Syria/Syrian, Houthi/Houthis,
# and pairs of endings such as Lebanon/Lebanese, China/Chinese, Turkey/Turkish.
_SUFFIXES = {"i", "is", "n", "ns", "an", "ans", "ian", "ians", "s", "es", "ese", "ish", "ic", "ite", "ites", "'s"}
_SUFFIX_PAIRS = {("ese", "on"), ("a", "ese"), ("ey", "ish"), ("ies", "y"), ("a", "ian"), ("a", "ans"),
                 ("e", "ian"), ("ian", "y"), ("ia", "ian"), ("o", "an"), ("an", "e")}

_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
_AR_TOKEN = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u0610-\u061a\u064b-\u065f\u0670\u0640]+")
_EN_TOKEN = re.compile(r"[^\W\d_][\w'’]*")


@dataclass
class Link:
    """An English word taken as the rendering of an Arabic word in one sentence."""

    sentence: str
    key: str  # the Arabic word folded and without clitics
    arabic: str
    form: str
    start: int  # offsets of the form in the sentence's translation (None when from a speaker)
    end: int


@dataclass
class NameVariant:
    """A sentence that spells `key` as `form` while the article mostly spells it `suggested`
    (`tie`: as often `suggested` as `form`, so neither is suggested)."""

    link: Link
    suggested: str
    suggested_count: int
    forms: dict[str, int]
    tie: bool = False


def _arabic_forms(word: str) -> list[str]:
    """A folded Arabic word and what it may be without a leading و/ف/ب/ل/ك, the article, and a
    plural ending (الحوثيين is the plural of الحوثي)."""
    word = HARAKAT.sub("", word).translate(_AR_FOLD)
    forms = [word]
    stem = word
    if len(stem) > 3 and stem[0] in "وفبلك":
        stem = stem[1:]
        forms.append(stem)
    for article in ("ال", "لل"):
        if stem.startswith(article) and len(stem) > 4:
            stem = stem[len(article):]
            forms.append(stem)
    for ending in ("يين", "يون", "ين", "ون"):
        if stem.endswith(ending) and len(stem) - len(ending) >= 3:
            forms.append(stem[: -len(ending)] + ("ي" if ending.startswith("ي") and len(ending) == 3 else ""))
            break
    return forms


def english_name_words(text: str) -> list[tuple[str, int, int]]:
    """Capitalized words that may be (parts of) names, with offsets; hyphenated parts apart
    ("al-Askari" gives "Askari"), possessive 's dropped, acronyms (ISIS, CNN) and common words left out."""
    words = []
    for m in _EN_TOKEN.finditer(text):
        token, start = m.group(), m.start()
        token = re.sub(r"['’]s?$", "", token)
        if not token or not token[0].isupper() or len(token) < 3 or token.isupper():
            continue
        if token.lower() in _EN_STOP:
            continue
        words.append((token, start, start + len(token)))
    return words


def _choices(arabic: str) -> list[tuple[str, str, str]]:
    """(key, skeleton, original word) for every form of every Arabic word that may be a name."""
    out = []
    for m in _AR_TOKEN.finditer(arabic):
        for form in _arabic_forms(m.group()):
            key = form.replace("ة", "ه")
            skeleton = sound_classes(form)
            if len(skeleton) >= 2 and key not in _AR_PARTICLES:
                out.append((key, skeleton, m.group()))
    return out


def link_sentence(sentence_id: str, arabic: str, english: str, *, min_similarity: float = 0.75,
                  key_weight: dict[str, int] | None = None) -> list[Link]:
    """Links between the capitalized English words of a sentence and its Arabic words. When two
    Arabic words match an English word equally well, the one with the higher `key_weight` wins
    (the article's repeated name القائم over the verb قام for "Qaim"), then the shorter."""
    weight = key_weight or {}
    choices = _choices(arabic)
    scored: list[tuple[float, Link]] = []
    for word, start, end in english_name_words(english):
        spellings = [word]
        if len(word) > 4 and word.endswith("s"):  # "Houthis" for الحوثيين
            spellings.append(word[:-1])
        best: tuple[float, float, int, int] | None = None
        chosen: tuple[str, str] | None = None
        for spelling in spellings:
            skeleton = english_sound_classes(spelling)
            if len(skeleton) < 2:
                continue
            for key, ar_skeleton, original in choices:
                score = skeleton_similarity(skeleton, ar_skeleton)
                if best is not None and score < best[0]:
                    continue
                # Ties: vowels decide ("Saudi" is السعودية, not the particle قد), then frequency.
                with_vowels = skeleton_similarity(english_sound_classes(spelling, True), sound_classes(key, True))
                if len(skeleton) == 2 and with_vowels < min_similarity:
                    continue  # two consonants match by chance too often ("Union" and من)
                rank = (score, with_vowels, weight.get(key, 0), -len(key))
                if best is None or rank > best:
                    best, chosen = rank, (key, original)
        if best is not None and chosen is not None and best[0] >= min_similarity:
            scored.append((best[0], Link(sentence_id, chosen[0], chosen[1], word, start, end)))
    # Per Arabic word and sentence, only the closest English words: "Khashoggi" beside "Cengiz"
    # may resemble جنكيز too, but less than "Cengiz" does.
    top: dict[str, float] = {}
    for score, link in scored:
        top[link.key] = max(top.get(link.key, 0.0), score)
    return [link for score, link in scored if score == top[link.key]]


def spelling_similarity(a: str, b: str) -> float:
    """How alike two spellings are, letter by letter (case ignored)."""
    return similarity(a.lower(), b.lower())


def related(a: str, b: str) -> bool:
    """Same word, or a word and one derived from it (Iraq/Iraqi, Syria/Syrian, Lebanon/Lebanese,
    Houthi/Houthis, Germany/German, Catalonia/Catalan, Arabia/Arabiya); not two spellings
    (Askari/Askare)."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    tails = tuple(sorted((a[common:], b[common:])))
    if common < 3:
        return False
    return (tails[0] == "" and tails[1] in _SUFFIXES) or tails in _SUFFIX_PAIRS or bool(_stems(a) & _stems(b))


# Endings of country names, demonyms and adjectives: two words with a common stem once these are
# taken off are one name and a word made from it (Germany/German, Catalonia/Catalan).
_DERIVATIONS = ("onia", "ania", "land", "ese", "ish", "ian", "ans", "iya", "an", "ia", "ic", "ya", "y", "n", "s")


def _stems(word: str) -> set[str]:
    return {word} | {word[: -len(end)] for end in _DERIVATIONS if word.endswith(end) and len(word) - len(end) >= 4}


def article_links(doc: Document, *, min_similarity: float = 0.75, min_spelling_similarity: float = 0.7
                  ) -> list[Link]:
    """Every link between an Arabic name and an English word in the document's sentences."""
    sentences = [s for s in doc.sentences or [] if s.translation]
    keys_by_sentence = {s.id: {key for key, _, _ in _choices(s.text)} for s in sentences}
    weight: Counter[str] = Counter()
    for keys in keys_by_sentence.values():
        weight.update(keys)
    links: list[Link] = []
    for sentence in sentences:
        links.extend(link_sentence(sentence.id, sentence.text, sentence.translation or "",
                                   min_similarity=min_similarity, key_weight=weight))
    links.extend(_translated_name_links(sentences, keys_by_sentence, weight, min_spelling_similarity))
    return links


def established_forms(doc: Document, links: list[Link], *, min_share: float = 0.6) -> dict[str, set[str]]:
    """Arabic names (keys) with the English forms the article gives them: a key linked to one form
    in two sentences or more, and whose sentences mostly carry one of its forms. A chance match
    of skeletons (the particle قد and "Saudi") fails the second test: the particle is everywhere."""
    sentences_by_form: dict[str, dict[str, set[str]]] = {}
    for link in links:
        if not link.key.startswith("~"):
            sentences_by_form.setdefault(link.key, {}).setdefault(link.form, set()).add(link.sentence)
    keys_by_sentence = {s.id: {key for key, _, _ in _choices(s.text)} for s in doc.sentences or [] if s.translation}
    out = {}
    for key, forms in sentences_by_form.items():
        if max(len(ids) for ids in forms.values()) < 2:
            continue
        with_key = {sentence_id for sentence_id, keys in keys_by_sentence.items() if key in keys}
        with_form = set().union(*forms.values())
        if with_key and len(with_key & with_form) / len(with_key) >= min_share:
            out[key] = set(forms)
    return out


def names_in(arabic: str, forms: dict[str, set[str]]) -> dict[str, set[str]]:
    """The established names an Arabic text mentions, with their English forms."""
    return {key: forms[key] for key, _, _ in _choices(arabic) if key in forms}


def find_variants(doc: Document, *, min_similarity: float = 0.75, min_spelling_similarity: float = 0.7,
                  links: list[Link] | None = None) -> list[NameVariant]:
    """Sentences where an Arabic name's English form differs from its most frequent form in the
    article. Two forms are variants only if they also look alike letter by letter (Caggins,
    Kaggins), since a skeleton can match an unrelated word by chance. When no form is more
    frequent than another, every sentence with one of them is flagged."""
    if links is None:
        links = article_links(doc, min_similarity=min_similarity, min_spelling_similarity=min_spelling_similarity)
    order = {s.id: i for i, s in enumerate(doc.sentences or [])}
    by_key: dict[str, list[Link]] = {}
    for link in links:
        by_key.setdefault(link.key, []).append(link)
    variants: dict[tuple[str, int], NameVariant] = {}
    for key_links in by_key.values():
        counts = Counter(link.form for link in key_links)
        if len(counts) < 2:
            continue
        # Most frequent first; on a tie the form the article used first.
        first_use = {link.form: i for i, link in reversed(list(enumerate(key_links)))}
        suggested = max(counts, key=lambda form: (counts[form], -first_use[form]))

        def conflicts(form: str, other: str) -> bool:
            return not related(form, other) and spelling_similarity(form, other) >= min_spelling_similarity

        for link in key_links:
            if conflicts(link.form, suggested):
                tie = counts[link.form] == counts[suggested]
                variants.setdefault((link.sentence, link.start),
                                    NameVariant(link, suggested, counts[suggested], dict(counts), tie))
            elif link.form == suggested:
                rivals = [f for f in counts if f != suggested and counts[f] == counts[suggested]
                          and conflicts(f, suggested)]
                if rivals:  # a tie: nothing says which spelling is right
                    variants.setdefault((link.sentence, link.start),
                                        NameVariant(link, rivals[0], counts[rivals[0]], dict(counts), True))
    return sorted(variants.values(), key=lambda v: (order.get(v.link.sentence, 0), v.link.start))


def _translated_name_links(sentences: list, keys_by_sentence: dict[str, set[str]], weight: Counter[str],
                           min_spelling_similarity: float) -> list[Link]:
    """Links for names that are translated rather than transliterated ("Eastern Ghouta" for الغوطة
    الشرقية, "Revolutionary Guard") and names whose skeletons differ across scripts ("Dwight"):
    two capitalized English spellings with one skeleton that always come with the same Arabic word,
    one found in few other sentences, are taken as renderings of that word."""
    occurrences: dict[str, list[tuple[str, int, int]]] = {}
    for sentence in sentences:
        for word, start, end in english_name_words(sentence.translation or ""):
            occurrences.setdefault(word, []).append((sentence.id, start, end))
    by_skeleton: dict[str, list[str]] = {}
    for word in occurrences:
        skeleton = english_sound_classes(word)
        if len(skeleton) >= 2:
            by_skeleton.setdefault(skeleton, []).append(word)
    links: list[Link] = []
    threshold = max(min_spelling_similarity, 0.65)
    for words in by_skeleton.values():
        for i, first in enumerate(words):
            for second in words[i + 1 :]:
                if related(first, second) or spelling_similarity(first, second) < threshold:
                    continue
                places = occurrences[first] + occurrences[second]
                ids = {sentence_id for sentence_id, _, _ in places}
                shared = set.intersection(*(keys_by_sentence[sentence_id] for sentence_id in ids))
                specific = sorted(k for k in shared if weight[k] <= len(ids) + 1)
                if not specific:
                    continue
                key = "~" + max(specific, key=len)
                for word in (first, second):
                    links.extend(Link(sentence_id, key, specific[0], word, start, end)
                                 for sentence_id, start, end in occurrences[word])
    return links
