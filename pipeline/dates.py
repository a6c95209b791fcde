"""Dates as news pages write them: a line that is only a date (and a time) read as ISO 8601, in the
Gregorian month names of every Arab region, English, RFC 2822 and numeric forms."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

from pipeline.arabic import EASTERN_DIGITS

_MONTHS = {
    # Gregorian month names of the Egyptian/Gulf series, the Levantine series, the Moroccan series
    # (ماي، يوليوز، غشت، شتنبر، نونبر، دجنبر), the Algerian/Tunisian series from French (جانفي، فيفري،
    # أفريل، جوان، جويلية، أوت), and English.
    **{name: n for n, names in enumerate([
        ("يناير", "كانون الثاني", "جانفي", "january", "jan"),
        ("فبراير", "شباط", "فيفري", "february", "feb"),
        ("مارس", "آذار", "اذار", "march", "mar"),
        ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل", "april", "apr"),
        ("مايو", "أيار", "ايار", "ماي", "may"),
        ("يونيو", "يونيه", "حزيران", "جوان", "june", "jun"),
        ("يوليو", "يوليه", "تموز", "يوليوز", "جويلية", "july", "jul"),
        ("أغسطس", "اغسطس", "آب", "اب", "غشت", "أوت", "اوت", "august", "aug"),
        ("سبتمبر", "أيلول", "ايلول", "شتنبر", "september", "sep", "sept"),
        ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول", "october", "oct"),
        ("نوفمبر", "تشرين الثاني", "نونبر", "november", "nov"),
        ("ديسمبر", "كانون الأول", "كانون الاول", "دجنبر", "december", "dec"),
    ], start=1) for name in names},
}
_WEEKDAYS = ("السبت", "الأحد", "الاحد", "الإثنين", "الاثنين", "الثلاثاء", "الأربعاء", "الاربعاء",
             "الخميس", "الجمعة", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday",
             "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<ampm>[صم]|am|pm|a\.m\.|p\.m\.))?"
_SEP = r"\s*(?:[-–—|,،T@]|\s)\s*"
_YMD = re.compile(rf"(?P<y>\d{{4}})[-./](?P<mo>\d{{1,2}})[-./](?P<d>\d{{1,2}})(?:{_SEP}{_TIME})?", re.I)
_DMY = re.compile(rf"(?P<d>\d{{1,2}})[-./](?P<mo>\d{{1,2}})[-./](?P<y>\d{{4}})(?:{_SEP}{_TIME})?", re.I)
MONTH_NAMES = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_D_MONTH_Y = re.compile(
    rf"(?P<d>\d{{1,2}})(?:\s+|\s*[-/]\s*)(?P<month>{MONTH_NAMES})(?:\s*/\s*(?:{MONTH_NAMES}))?"
    rf"(?:\s*[,،]?\s+|\s*[-/]\s*)(?P<y>\d{{4}})(?:\s*م)?(?:{_SEP}{_TIME})?", re.I)
_MONTH_D_Y = re.compile(rf"(?P<month>{MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?:{_SEP}{_TIME})?", re.I)
_DATE_LABEL = re.compile(r"^(?:نشر(?: في| بتاريخ)?|بتاريخ|تاريخ النشر|[آا]خر تحديث|تحديث|published(?: on)?|updated(?: on)?"
                         r"|posted(?: on)?)\s*[:：]?\s*", re.I)
_WEEKDAY_PREFIX = re.compile(rf"^(?:{'|'.join(_WEEKDAYS)})\.?\s*[,،]?\s*", re.I)
# "01:45 م الأربعاء 25 نوفمبر 2026": some sites put the time before the date.
_TIME_FIRST = re.compile(rf"^{_TIME}\s*[-–—|,،]?\s*(?P<rest>\S.*)$", re.I)
# A Hijri date with its Gregorian equivalent after "الموافق": the Gregorian part is read.
_HIJRI_EQUIVALENT = re.compile(r"^.{0,40}?\sالموافق\s*[:：]?\s*", re.I)


def parse_date(line: str) -> str | None:
    """ISO 8601 for a line that is only a date (and time), else None: `2020.03.20 - 12:28` →
    `2020-03-20T12:28`, `Sat, 24 Feb 2018 19:18:47 GMT` → `2018-02-24T19:18:47+00:00`,
    `الجمعة 20 مارس 2020` → `2020-03-20`."""
    text = _DATE_LABEL.sub("", line.strip().translate(EASTERN_DIGITS))
    if not text or len(text) > 60 or not re.search(r"\d{4}", text):
        return None
    if re.match(r"^[A-Za-z]{3},? ", text) or re.search(r"\b(?:GMT|UTC|[+-]\d{4})$", text):
        try:
            return parsedate_to_datetime(text).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    bare = _WEEKDAY_PREFIX.sub("", _HIJRI_EQUIVALENT.sub("", text))
    found = _date_only(bare)
    if found:
        return found
    time_first = _TIME_FIRST.match(bare)
    if time_first:
        day = _date_only(_WEEKDAY_PREFIX.sub("", time_first.group("rest")))
        if day and "T" not in day:
            return parse_date(f"{day} {time_first.group(0)[:time_first.start('rest')].strip(' -–—|,،')}")
    try:
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _date_only(text: str) -> str | None:
    for pattern in (_YMD, _DMY, _D_MONTH_Y, _MONTH_D_Y):
        match = pattern.fullmatch(text)
        if match:
            return _iso(match)
    return None


def _iso(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    month = int(parts["mo"]) if parts.get("mo") else _MONTHS[parts["month"].lower()]
    try:
        day = datetime(int(parts["y"]), month, int(parts["d"]))
    except ValueError:
        return None
    if parts.get("h") is None:
        return day.date().isoformat()
    hour = int(parts["h"])
    if (parts.get("ampm") or "").lower() in ("م", "pm", "p.m.") and hour < 12:
        hour += 12
    try:
        stamp = day.replace(hour=hour, minute=int(parts["mi"]), second=int(parts["s"] or 0))
    except ValueError:
        return None
    return stamp.isoformat(timespec="seconds" if parts["s"] else "minutes")
