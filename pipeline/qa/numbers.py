"""Numbers and dates in Arabic and English text, and the check that the English keeps every Arabic one.

A number is compared by its set of plausible values, so that ambiguous forms never cause a false
alarm: "3,5" in Arabic may be 3.5 or 35, "5 آلاف" is 5 and 5000, "1.000" is 1 and 1000. Digits may be
Western (0-9), Arabic-Indic (٠-٩) or Persian (۰-۹); decimals use "٫", "." or ","; "٬" and "," group
thousands. Dates written with digits ("2020.03.20", "20/3/2020") count as their parts. On the English
side, number words ("three", "sixty", "twenty-five", "two hundred") and ordinals ("20th", "second")
count as numbers too, so a translator's "three" for "3" is accepted.

Month names: the Levantine series (كانون الثاني … كانون الأول), the Egyptian/Gulf series (يناير …
ديسمبر) and English month names are read as month numbers, only next to a day, a year or a word such
as الماضي, since several are also ordinary words (مارس "practised", نيسان "Nissan", "may").
Hijri months (محرم … ذو الحجة) are not checked: their English spellings vary (Shawwal, Shawal) and
translators often give the Gregorian date instead; the day and year digits of a Hijri date are still
checked as numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.arabic import EASTERN_DIGITS, HARAKAT, LETTER_FOLD

# The Arabic decimal and thousands separators, mapped one character to one so offsets survive.
_SEPARATORS = str.maketrans({"٫": ".", "٬": ",", "٪": "%"})

# Most specific first: a date with three parts, a number grouped in thousands, a decimal, an integer.
_NUMBER = re.compile(
    r"(?P<time>(?<![\d.,:])\d{1,2}:\d{2}(?![\d:]))"
    r"|(?P<date>(?<![\d.,])\d{1,4}(?P<sep>[./-])\d{1,2}(?P=sep)\d{1,4}(?![\d]|[.,]\d))"
    r"|(?P<grouped>(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d]|[.,]\d))"
    r"|(?P<decimal>(?<![\d.,])\d+[.,]\d+(?![\d]|[.,]\d))"
    r"|(?P<integer>\d+)"
)

_AR_SCALES = {
    "الف": 1e3, "ألف": 1e3, "آلاف": 1e3, "الاف": 1e3, "ألاف": 1e3, "آلف": 1e3,
    "مليون": 1e6, "ملايين": 1e6, "ملیون": 1e6,
    "مليار": 1e9, "مليارات": 1e9, "بليون": 1e9, "بلايين": 1e9,
    "تريليون": 1e12, "ترليون": 1e12,
}
_EN_SCALES = {
    "thousand": 1e3, "thousands": 1e3, "k": 1e3,
    "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9,
    "trillion": 1e12, "tn": 1e12,
}

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
    "thirtieth": 30, "hundredth": 100,
}
_EN_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_EN_WORD_ALTERNATIVES = "|".join(sorted({*_EN_UNITS, *_EN_ORDINALS, *_EN_MULTIPLIERS}, key=len, reverse=True))
_EN_NUMBER_WORD = re.compile(
    rf"\b(?:{_EN_WORD_ALTERNATIVES})\b(?:[\s-]+(?:and[\s-]+)?(?:{_EN_WORD_ALTERNATIVES})\b)*", re.IGNORECASE
)

# Arabic number words (folded: no hamza on alef, ة as ه, ى as ي), used only to explain an English
# digit that has no Arabic digit ("ستين يوما" -> "60 days"), never to demand one.
_AR_WORDS = {
    "صفر": 0, "واحد": 1, "واحده": 1, "احد": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10,
    "عشره": 10, "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80,
    "ثمانين": 80, "تسعون": 90, "تسعين": 90, "مئه": 100, "مائه": 100, "مئتان": 200, "مئتين": 200,
    "مائتان": 200, "مائتين": 200, "الف": 1000, "الفان": 2000, "الفين": 2000, "مليون": 10**6,
    "مليار": 10**9, "اول": 1, "اولي": 1, "ثاني": 2, "ثانيه": 2, "ثالث": 3, "ثالثه": 3, "رابع": 4,
    "رابعه": 4, "خامس": 5, "خامسه": 5, "سادس": 6, "سادسه": 6, "سابع": 7, "سابعه": 7, "ثامن": 8,
    "ثامنه": 8, "تاسع": 9, "تاسعه": 9, "عاشر": 10, "عاشره": 10, "نصف": 0.5, "ربع": 0.25,
    "عشرات": 10, "مئات": 100, "الاف": 1000, "ملايين": 10**6,
}
# Decades: "الخمسينيات" is the fifties, which English writes as "the 1950s" or "the fifties".
_AR_DECADES = {"عشرينيات": 20, "ثلاثينيات": 30, "اربعينيات": 40, "خمسينيات": 50, "ستينيات": 60,
               "سبعينيات": 70, "ثمانينيات": 80, "تسعينيات": 90}

_MONTHS_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
# Folded spellings (alef without hamza, final ي for ى); two-word Levantine names come first.
_MONTHS_AR = {
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6,
    "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين اول": 10, "تشرين الثاني": 11,
    "تشرين ثاني": 11, "كانون الاول": 12, "كانون اول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}
MONTH_NAMES_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")

_AR_WORD = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u0610-\u061a\u064b-\u065f\u0670\u0640]+")
# Context that makes a month name a date: a day before it, a year after it, or "last/next/this".
_MONTH_AFTER = re.compile(r"\s*[/،,-]?\s*(?:من\s+)?(?:عام\s+|العام\s+|سنه\s+)?\d{2,4}|\s+(?:ال)?(?:ماضي|مقبل|جاري|منصرم|قادم|حالي)")
_MONTH_BEFORE = re.compile(r"\d{1,2}\s*(?:من\s+)?(?:شهر\s+)?$")
_EN_MONTH = re.compile(r"\b(" + "|".join(sorted(_MONTHS_EN, key=len, reverse=True)) + r")\b\.?", re.IGNORECASE)


@dataclass
class Number:
    """A number found in a text: its characters, where, and the values it may stand for."""

    text: str
    start: int
    end: int
    values: frozenset[float]
    from_words: bool = False
    date_part: bool = False  # one part of a digit date such as 2020.03.20 or 3/20/2020
    hijri: bool = False  # the day or year of a Hijri date (not demanded of the English)


@dataclass
class Month:
    name: str
    start: int
    end: int
    month: int


@dataclass
class NumberReport:
    """What the English lost (Arabic numbers and months with no English match) and what it added."""

    missing: list[Number] = field(default_factory=list)
    missing_months: list[Month] = field(default_factory=list)
    extra: list[Number] = field(default_factory=list)


def fold_arabic(text: str) -> str:
    """Arabic reduced for matching, one character for one so offsets still index the input."""
    return HARAKAT.sub("ـ", text).translate(LETTER_FOLD)


def _plain(text: str) -> str:
    """Digits as ASCII and Arabic separators as ASCII punctuation, same length as `text`. The
    Arabic comma between digits groups thousands too ("30،000")."""
    return _AR_COMMA_GROUP.sub(",", text.translate(EASTERN_DIGITS).translate(_SEPARATORS))


_AR_COMMA_GROUP = re.compile(r"(?<=\d)،(?=\d{3}(?!\d))")


def _values(kind: str, raw: str) -> set[float]:
    if kind == "time":  # 5:30 is 5.30 (as English writes "5.30pm"); 04:00 is also 4 ("at 4 o'clock")
        hours, minutes = raw.split(":")
        return {int(hours) + int(minutes) / 100} | ({float(hours)} if int(minutes) == 0 else set())
    if kind == "grouped":
        return {float(raw.replace(",", ""))}
    if kind == "decimal":
        whole, frac = re.split(r"[.,]", raw)
        values = {float(f"{whole}.{frac}")}
        if len(frac) == 3:  # "1.000" / "1,000": thousands grouping in many styles
            values.add(float(whole + frac))
        return values
    return {float(raw)}


def _numbers(text: str, scales: dict[str, float], scale_word: re.Pattern[str]) -> list[Number]:
    plain = _plain(text)
    found: list[Number] = []
    for m in _NUMBER.finditer(plain):
        kind = m.lastgroup if m.lastgroup != "sep" else "date"
        if m.group("date"):
            # A date such as 2020.03.20 counts as its parts; leading zeros mean nothing.
            for part in re.finditer(r"\d+", m.group("date")):
                a, b = m.start() + part.start(), m.start() + part.end()
                found.append(Number(text[a:b], a, b, frozenset({float(part.group())}), date_part=True))
            continue
        raw = m.group(kind)
        values = _values(kind, raw)
        after = scale_word.match(plain, m.end())
        if after:
            factor = scales[after.group(1).lower()]
            values |= {v * factor for v in values}
        found.append(Number(text[m.start():m.end()], m.start(), m.end(), frozenset(values)))
    return found


_AR_SCALE_WORD = re.compile(r"\s*(" + "|".join(sorted(_AR_SCALES, key=len, reverse=True)) + r")(?![\u0621-\u064a])")
_EN_SCALE_WORD = re.compile(r"\s*(" + "|".join(sorted(_EN_SCALES, key=len, reverse=True)) + r")\b", re.IGNORECASE)


_HIJRI_MONTHS = ("محرم", "صفر", "ربيع الأول", "ربيع الثاني", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
                 "جمادى الثانية", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذي القعدة", "ذو الحجة", "ذي الحجة")
_HIJRI_DATE = re.compile(
    r"(?:\d{1,2}\s*)?(?:" + "|".join(fold_arabic(m) for m in _HIJRI_MONTHS) + r")(?:\s*\d{3,4})?(?:\s*هـ?)?(?![\u0621-\u064a])"
    r"|\d{3,4}\s*هـ|\d{3,4}\s*ه(?![\u0621-\u064a])"
)
# "مليون و200 ألف" is 1,200,000: a scale word and و before a number adds that scale.
_AR_SCALE_BEFORE = re.compile(r"(?:(\d+(?:[.,]\d+)?)\s*)?(" + "|".join(sorted(_AR_SCALES, key=len, reverse=True))
                              + r")\s*و\s*$")


def arabic_numbers(text: str) -> list[Number]:
    """Numbers written with digits in Arabic text (a scale word after one, ألف or مليون, multiplies).
    The day and year of a Hijri date are marked `hijri`: translators often give only the Gregorian date."""
    found = _numbers(text, _AR_SCALES, _AR_SCALE_WORD)
    plain = _plain(fold_arabic(text))
    hijri = [(m.start(), m.end()) for m in _HIJRI_DATE.finditer(plain)]
    for number in found:
        number.hijri = any(a <= number.start and number.end <= b for a, b in hijri)
        before = _AR_SCALE_BEFORE.search(plain[max(0, number.start - 30) : number.start])
        if before and not number.date_part:
            head = float(before.group(1).replace(",", ".")) if before.group(1) else 1.0
            base = head * _AR_SCALES[before.group(2)]
            number.values = number.values | {base + v for v in number.values}
    return found


def english_numbers(text: str, *, words: bool = True) -> list[Number]:
    """Numbers in English text: digits (with thousands commas, decimals, ordinals such as 20th,
    decades such as 1990s, scale words such as 5 million or $5bn) and, with `words`, number words."""
    found = _numbers(text, _EN_SCALES, _EN_SCALE_WORD)
    if words:
        taken = [(n.start, n.end) for n in found]
        for m in _EN_NUMBER_WORD.finditer(text):
            a, b = m.start(), m.end()
            while b > a and not text[b - 1].isalpha():
                b -= 1
            value = _english_words_value(text[a:b])
            if value is None or any(s < b and a < e for s, e in taken):
                continue
            values = {float(value)}
            after = _EN_SCALE_WORD.match(text, b)
            if after and after.group(1).lower() not in _EN_MULTIPLIERS:
                values |= {value * _EN_SCALES[after.group(1).lower()]}
            found.append(Number(text[a:b], a, b, frozenset(values), from_words=True))
    return sorted(found, key=lambda n: n.start)


def _english_words_value(phrase: str) -> float | None:
    """ "twenty-five" -> 25, "two hundred and ten" -> 210, "second" -> 2; None if not a number."""
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word == "and" or not word:
            continue
        if word in _EN_UNITS or word in _EN_ORDINALS:
            current += _EN_UNITS.get(word, _EN_ORDINALS.get(word, 0))
            seen = True
        elif word in _EN_MULTIPLIERS:
            scale = _EN_MULTIPLIERS[word]
            current = max(current, 1) * scale
            if scale >= 1000:
                total, current = total + current, 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def arabic_word_values(text: str) -> set[float]:
    """Values that Arabic number words in `text` may stand for, compounds included
    ("خمسة وعشرين" -> 5, 20 and 25), for explaining English digits."""
    values: set[float] = set()
    previous: float | None = None
    for m in _AR_WORD.finditer(fold_arabic(text).replace("ـ", "")):
        word = m.group()
        value = _arabic_word_value(word)
        if value is None:
            previous = None
            continue
        values.add(value)
        if previous is not None:
            values |= {previous + value, previous * value}
        previous = value
    return values


def _arabic_word_value(word: str) -> float | None:
    for candidate in _without_clitics(word):
        if candidate in _AR_WORDS:
            return float(_AR_WORDS[candidate])
        if candidate in _AR_DECADES:
            return float(_AR_DECADES[candidate])
    return None


def _without_clitics(word: str) -> list[str]:
    """A folded word and what it is without a leading و/ف/ب/ل/ك and the article ال."""
    out = [word]
    stem = word
    if len(stem) > 3 and stem[0] in "وفبلك":
        stem = stem[1:]
        out.append(stem)
    if stem.startswith(("ال", "لل")) and len(stem) > 3:
        out.append(stem[2:])
    return out


def arabic_months(text: str) -> list[Month]:
    """Month names used as dates in Arabic text (Levantine and Egyptian/Gulf series)."""
    folded = fold_arabic(text)
    found: list[Month] = []
    taken: list[tuple[int, int]] = []
    names = sorted(_MONTHS_AR, key=len, reverse=True)
    pattern = re.compile(r"(?<![\u0621-\u064a])(?:[وبل]?)(" + "|".join(re.escape(n) for n in names)
                         + r")(?![\u0621-\u064a])")
    plain = _plain(folded)
    for m in pattern.finditer(plain):
        a, b = m.start(1), m.end(1)
        if any(s < b and a < e for s, e in taken):
            continue
        if not (_MONTH_BEFORE.search(plain[max(0, m.start() - 20):m.start()]) or _MONTH_AFTER.match(plain, b)):
            continue
        if m.group(1) == "اب" and text[a:b] != "آب":
            continue  # August is written with madda; "أب" is "father"
        # "أكتوبر/ تشرين الأول": two names of one month in a row are one mention.
        month = _MONTHS_AR[m.group(1)]
        if found and found[-1].month == month and re.fullmatch(r"[\s/()\-،,]*", plain[found[-1].end:a]):
            continue
        taken.append((a, b))
        found.append(Month(text[a:b], a, b, month))
    return found


def english_months(text: str) -> list[Month]:
    """Month names in English text. Capitalized only; "May" and the short forms ("Mar", "Dec.")
    only beside a number, since they are also ordinary words."""
    found = []
    for m in _EN_MONTH.finditer(text):
        word = m.group(1)
        if not word[0].isupper():
            continue
        full = word.lower() in {name.lower() for name in MONTH_NAMES_EN} and word != "May"
        beside_number = re.match(r"\.?\s*\d", text[m.end(1):]) or re.search(r"\d(?:st|nd|rd|th)?\s*(?:of\s+)?$",
                                                                          text[max(0, m.start() - 12):m.start()])
        if full or beside_number:
            found.append(Month(word, m.start(), m.end(1), _MONTHS_EN[word.lower()]))
    return found


def compare(arabic: str, english: str, *, check_extra: bool = True) -> NumberReport:
    """Match the numbers and months of an Arabic sentence against its English translation."""
    report = NumberReport()
    ar_numbers = arabic_numbers(arabic)
    en_numbers = english_numbers(english)
    en_months = english_months(english)
    ar_months = arabic_months(arabic)
    # An English date "3/20/2020" may carry a month the Arabic names in words.
    en_month_values = {m.month for m in en_months} | {
        int(v) for n in en_numbers for v in n.values if n.date_part and v.is_integer() and 1 <= v <= 12
    }
    unused = list(en_numbers)
    for number in ar_numbers:
        match = _take(unused, number.values) or _take_spaced(unused, english, number.values)
        if match is None and number.date_part and any(m.month in number.values for m in en_months):
            continue  # the month of "2020.03.20" written as "March"
        if match is None and not number.hijri:
            report.missing.append(number)
    report.missing_months = [m for m in ar_months if m.month not in en_month_values]
    if check_extra:
        explained = set().union(*(n.values for n in ar_numbers)) if ar_numbers else set()
        explained |= arabic_word_values(arabic) | {float(m.month) for m in ar_months}
        for number in unused:
            if number.from_words or number.values & explained:
                continue
            if _IDENTIFIER.search(english[max(0, number.start - 2) : number.start]) or \
                    re.match(r"[A-Za-z]", english[number.end : number.end + 1]):
                continue  # part of a name such as COVID-19, F-16, G20 or 4G
            # Years near an Arabic year, "1990s" for "التسعينيات": compare on the last two digits.
            if any(v >= 1000 and (v % 100) in explained for v in number.values):
                continue
            report.extra.append(number)
    return report


_IDENTIFIER = re.compile(r"[A-Za-z]-?$")
_SPACED_DIGITS = re.compile(r"\d+(?: \d+)+")


def _take_spaced(candidates: list[Number], english: str, values: frozenset[float]) -> Number | None:
    """A number that English writes in spaced groups ("116 123" for a telephone number 116123):
    the groups are removed from `candidates` and the first returned."""
    for m in _SPACED_DIGITS.finditer(english):
        if float(m.group().replace(" ", "")) in values:
            parts = [c for c in candidates if m.start() <= c.start and c.end <= m.end()]
            for part in parts:
                candidates.remove(part)
            return parts[0] if parts else None
    return None


def _take(candidates: list[Number], values: frozenset[float]) -> Number | None:
    """Remove and return the first candidate sharing a value with `values`, digits before words."""
    for prefer_digits in (True, False):
        for i, candidate in enumerate(candidates):
            if candidate.from_words == (not prefer_digits) and _overlap(candidate.values, values):
                return candidates.pop(i)
    return None


def _overlap(a: frozenset[float], b: frozenset[float]) -> bool:
    return any(abs(x - y) <= 1e-9 * max(1.0, abs(x)) for x in a for y in b)
