"""The English side of an alignment: paragraphs, sentences and the numbers written in digits."""

from __future__ import annotations

import re
from collections import Counter

from pipeline.arabic import EASTERN_DIGITS

BULLET = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)])\s+")
# Words after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "cpl", "adm", "gov", "sen",
    "rep", "rev", "st", "jr", "sr", "no", "nos", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est", "fig", "vol",
    "al", "ibid", "op", "cf", "mt", "ft", "pp",
}
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")


def english_paragraphs(text: str) -> list[str]:
    """Paragraphs of an English text. One line is one paragraph, unless the text separates
    paragraphs by blank lines and wraps lines inside them; a bullet line is a paragraph."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    wrapped = any(len([ln for ln in b.splitlines() if ln.strip()]) > 1 for b in blocks) and len(blocks) > 1
    paragraphs: list[str] = []
    for block in blocks:
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if not wrapped:
            paragraphs.extend(lines)
            continue
        current: list[str] = []
        for line in lines:
            if current and BULLET.match(line):
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            paragraphs.append(" ".join(current))
    return [re.sub(r"\s+", " ", p).strip() for p in paragraphs]


def english_sentences(paragraph: str) -> list[str]:
    """Sentences of one English paragraph: a boundary after . ! ? … (and closing marks) before a
    capital, a digit or an opening mark; never after an abbreviation or an initial. A quotation
    of several sentences is cut too, as the Arabic is for alignment (reference.py): translators
    keep the sentences of a statement, and the aligner joins them again where the Arabic does."""
    cuts = [0]
    for m in SENTENCE_END.finditer(paragraph):
        end = m.end()
        rest = paragraph[end:].lstrip()
        if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘«'([-•"):
            continue
        word = re.search(r"([A-Za-z]+)\W*$", paragraph[: m.start() + 1].rstrip(".!?…"))
        if m.group().startswith(".") and word:
            token = word.group(1)
            before = paragraph[: word.start(1)]
            if token.lower() in ABBREVIATIONS or len(token) == 1 or before.endswith("."):
                continue  # Dr. / J. / U.S.
        cuts.append(end)
    cuts.append(len(paragraph))
    out = [paragraph[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)]
    return [s for s in out if s]


# -- anchors ------------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"(?<=\d)[,٬](?=\d{3}(?!\d))")


def numbers(text: str) -> Counter[str]:
    """The numbers written in digits (Western or Arabic-Indic), leading zeros dropped."""
    text = _THOUSANDS.sub("", text.translate(EASTERN_DIGITS))
    return Counter(d.lstrip("0") or "0" for d in re.findall(r"\d+", text))
