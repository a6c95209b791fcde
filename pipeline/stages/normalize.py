"""The normalize stage: clean characters (NFC, HTML references, tatweel, NBSP, zero-width marks, spaces) with a map back to
the original text, and move boilerplate (title, date, dateline, site chrome) into doc.meta."""

from __future__ import annotations

import html
import re
import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.dates import MONTH_NAMES, parse_date
from pipeline.document import Document
from pipeline.related_stories import related_stories_start
from pipeline.stages import stage

# -- characters ---------------------------------------------------------------------------------

TATWEEL = "\u0640"
# Invisible characters web text carries: zero-width space/joiners, bidi marks and embeddings,
# the Arabic letter mark, word joiner, soft hyphen, BOM, Mongolian vowel separator.
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\u00ad\ufeff\u180e"
# Spaces that are not U+0020: NBSP, narrow NBSP, en/em/thin spaces, ideographic space, tab.
_SPACES = "\u00a0\u202f\u2000-\u200a\u205f\u3000\t\x0b\x0c"
_LINE_BREAKS = "\u2028\u2029\x85"

_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# Tatweel between two letters only stretches the word (كـل → كل); after a prefix before a space,
# a quotation mark or a Latin word (لـ «عكاظ», بـ"المساعدة", لـCNN) it separates, so it stays.
_ARABIC_LETTER_OR_MARK = "\u0620-\u063f\u0641-\u065f\u0670-\u06d3"
_STRETCH = f"(?<=[{_ARABIC_LETTER_OR_MARK}]){TATWEEL}+(?=[{_ARABIC_LETTER_OR_MARK}])"
_EDIT = re.compile(f"[{_INVISIBLE}]|{_STRETCH}|[{_SPACES}]|\r\n?|[{_LINE_BREAKS}]")
_EDIT_KEEP_TATWEEL = re.compile(f"[{_INVISIBLE}]|[{_SPACES}]|\r\n?|[{_LINE_BREAKS}]")
# HTML character references left in scraped text (&nbsp; &quot; &#1604;) become their characters.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,9});")
# Arabic presentation forms (text copied from PDFs: ﺍﻟﻌﺮﺑﻴﺔ, the ligature ﻻ) become plain letters.
_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
# Runs of spaces, and spaces at the edges of lines.
_SPACE_RUN = re.compile(r" +\n *|\n +| {2,}|^ +| +$")


def normalize_chars(text: str, *, remove_tatweel: bool = True) -> tuple[str, array]:
    """NFC, HTML character references decoded, Arabic presentation forms unfolded, tatweel inside
    words and invisible characters removed, every space a plain space, line breaks as `\\n`, runs of
    spaces collapsed and line edges stripped. Returns the new text and, for each of its characters, the offset of the
    character it came from in `text` (an array of unsigned ints, which indexes and slices like a
    list in a tenth of the memory)."""
    offsets = None
    if not unicodedata.is_normalized("NFC", text):
        text, offsets = _nfc_with_offsets(text)
    if "&" in text and _ENTITY.search(text):
        text, offsets = _rewrite(text, _ENTITY, _unescape, offsets)
    if _PRESENTATION_FORM.search(text):
        text, offsets = _rewrite(text, _PRESENTATION_FORM, _unfold, offsets)
    pattern = _EDIT if remove_tatweel else _EDIT_KEEP_TATWEEL
    text, offsets = _rewrite(text, pattern, _replace_char, offsets)
    return _rewrite(text, _SPACE_RUN, _replace_space_run, offsets)


def _unescape(match: re.Match[str]) -> str:
    return html.unescape(match.group())  # an unknown name comes back unchanged


def _unfold(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def _replace_char(match: re.Match[str]) -> str:
    ch = match.group()
    if ch[0] == "\r" or ch in _LINE_BREAKS:
        return "\n"
    if ch[0] == TATWEEL or _INVISIBLE_RE.match(ch):
        return ""
    return " "


def _replace_space_run(match: re.Match[str]) -> str:
    run = match.group()
    if "\n" in run:
        return "\n"
    if match.start() == 0 or match.end() == len(match.string):
        return ""
    return " "


def _rewrite(text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str],
             offsets: array | None) -> tuple[str, array]:
    """Apply `replace` to every match of `pattern`, carrying `offsets` (one per character of
    `text`; None means the identity): unchanged runs keep theirs, and a replacement's characters
    take the offset of the match's first character (of its newline, for a collapsed line break)."""
    parts: list[str] = []
    out = array("I")
    pos = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        new = replace(match)
        if new == text[start:end]:
            continue
        parts.append(text[pos:start])
        out.extend(range(pos, start) if offsets is None else offsets[pos:start])
        parts.append(new)
        anchor = text.find("\n", start, end) if new == "\n" else -1
        anchor = start if anchor < 0 else anchor
        out.extend([anchor if offsets is None else offsets[anchor]] * len(new))
        pos = end
    parts.append(text[pos:])
    out.extend(range(pos, len(text)) if offsets is None else offsets[pos:])
    return "".join(parts), out


def _nfc_with_offsets(text: str) -> tuple[str, array]:
    parts: list[str] = []
    offsets = array("I")
    cluster_start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            cluster = text[cluster_start:i]
            if unicodedata.is_normalized("NFC", cluster):
                parts.append(cluster)
                offsets.extend(range(cluster_start, i))
            else:
                composed = unicodedata.normalize("NFC", cluster)
                parts.append(composed)
                # Characters of a composed cluster map to its start, or keep their order when
                # composition only reordered the marks.
                same_length = len(composed) == len(cluster)
                offsets.extend(cluster_start + (k if same_length else 0) for k in range(len(composed)))
            cluster_start = i
    return "".join(parts), offsets


# -- boilerplate --------------------------------------------------------------------------------

_SENTENCE_END = tuple(".!?؟…۔")
_END_PUNCT = (*_SENTENCE_END, '"', "»", "”", ":")
_BULLET = re.compile(r"^[-–—•*·▪●◦]\s")
_CREDIT = re.compile(r"[(\[][^()\[\].!?؟]+[)\]]")
_ARABIC = re.compile(r"[\u0621-\u064a]")
# "قد يهمك| …", "شاهد | …": a short label and a pipe start a teaser for another story.
_LABEL_PIPE = re.compile(r"^[^\s|]+(?: [^\s|]+){0,2} ?[|｜]")
# "اقرأ أيضا:", "ذات صلة:", "الأكثر قراءة", "Read more": a label announcing links to other stories.
# The nouns count only as a whole line or before a colon ("المزيد من …" opens real sentences).
_READ_MORE = re.compile(
    r"^(?:(?:[اإأ]قر[أا]|شاهد|طالع|تابع|[إا]ستمع)\s+(?:[أا]يض[اًا]+|المزيد|كذلك)\s*[:：|.…\-–—]*"
    r"|(?:(?:مواضيع|موضوعات|[أا]خبار|مقالات|قصص|روابط)?\s*(?:ذات صلة|متعلقة|مشابهة)|للمزيد|المزيد"
    r"|الأكثر (?:قراءة|مشاهدة|تداولا|تداولاً|مشاركة|تعليقا|تعليقاً)|قد (?:يعجبك|يهمك)(?: [أا]يض[اًا]+)?"
    r"|اخترنا لك|آخر الأخبار|read (?:more|also)|see also|most (?:read|popular)"
    r"|related(?: stories| articles)?)\s*(?:[:：|]|[.…]*$))", re.I)
# "الكلمات المفتاحية: …", "وسوم: …", "Tags: …": the page's tags.
_TAGS = re.compile(r"^(?:الكلمات المفتاحية|كلمات مفتاحية|كلمات دلالية|الوسوم|وسوم|tags|keywords)\s*[:：]", re.I)
# Site furniture met as whole short lines.
_CHROME_WORDS = re.compile(
    r"^(?:شارك|شاركها|مشاركة|طباعة|[إا]علان|تابعونا|تابعنا|حجم الخط|[أا]رسل(?: لصديق)?|كل ال[أا]خبار|ال[أا]خبار"
    r"|الرئيسية|آخر تحديث|تحديث|المصدر|مصدر|share|print|advertisement|tweet|email|facebook|twitter|whatsapp"
    r"|telegram|shadow)\b", re.I)
# "تابعوا آخر الأخبار عبر قناتنا على تلغرام": an invitation to follow the site, however long; an
# imperative that names a platform or "our channel/page".
_FOLLOW_US = re.compile(
    r"^(?:تابعونا|تابعوا|تابعنا|اشترك|اشتركوا|انضم|انضموا|حمل|حملوا|follow|subscribe|join)\b.*"
    r"(?:تلغرام|تليغرام|تيليجرام|تلجرام|فيسبوك|فيس بوك|تويتر|إكس|يوتيوب|واتساب|واتس اب|[إا]نستغرام|[إا]نستجرام"
    r"|تيك توك|نشرتنا|قناتنا|صفحتنا|حساباتنا|حسابنا|تطبيقنا|telegram|facebook|twitter|youtube|whatsapp"
    r"|instagram|tiktok|newsletter)", re.I)
# "منذ 3 ساعات", "قبل دقيقتين", "5 minutes ago": a page's relative time stamp, as a whole line.
_TIME_AGO = re.compile(
    r"^(?:(?:نشر|آخر تحديث|تحديث)\s*[:：]?\s*)?(?:منذ|قبل)\s+(?:\d+\s+)?"
    r"(?:ثانية|ثوان|ثواني|دقيقة|دقيقتين|دقائق|ساعة|ساعتين|ساعات|يوم|يومين|أيام|ايام"
    r"|[أا]سبوع|[أا]سبوعين|[أا]سابيع|شهر|شهرين|[أا]شهر)(?:\s+(?:تقريبا|تقريباً|واحدة|واحد))?$"
    r"|^(?:\d+|an?)\s+(?:second|minute|hour|day|week|month)s?\s+ago$", re.I)
# Bylines: "كتب- محمد صلاح:", "كتبت: سارة علي", "بقلم: د. سامي الخطيب", "حاوره: …", "إعداد: …". The
# verb with a separator after it, or a short run of names ended by a colon.
_BYLINE_VERB = r"(?:كتب|كتبت|بقلم|حاوره|حاورته|حاورها|حاورهم|[أا]عده|[أا]عدته|[إا]عداد|تقرير|متابعة|ترجمة|تحرير|تصوير|تنسيق)"
_BYLINE = re.compile(
    rf"^{_BYLINE_VERB}(?:\s*[-–—:|/]\s*[^\s:،,!؟?]+(?:\s+[^\s:،,!؟?]+){{0,4}}\s*:?"
    rf"|\s+[^\s:،,!؟?]+(?:\s+[^\s:،,!؟?]+){{0,3}}\s*:)$")
# Prepositions that a byline never holds ("كتب الوزير على منصة إكس:" opens a quotation instead).
_NOT_IN_BYLINE = re.compile(r"(?:^|\s)(?:على|في|عبر|إلى|الى|عن|من|لـ?)(?:\s|$)")
# Editors' codes at the end of agency wires: single letters in groups ("ع ا ج / ز ا ع", "م ع/ح ز").
_EDITOR_CODES = re.compile(r"^[\u0621-\u064a](?:[\s./\\|-]+[\u0621-\u064a]){2,}$")
# "// انتهى //", "(انتهى)", "- النهاية -": wire end markers. They stay in the body, as its last
# sentence, with the wire's stamps after them ("18:32 ت م"): annotators keep them (ANNOTATION.md).
_END_MARKER = re.compile(r"^[\s/\\\-–—*=#().]*(?:[اإ]نتهى|النهاية|ينتهي|end)[\s/\\\-–—*=#().]*$", re.I)
# "***", "-----": separators.
_SEPARATOR = re.compile(r"^[\s/\\\-–—*=#().]*$")
# "رابط الخبر بصحيفة الوئام: <headline>": a site footer repeating the headline, on a line of its own
# or glued after the last sentence of the body; it runs to the end of the line.
# "للتواصل أرسل sms إلى 88548 ...": a column's contact footer; the lines after it go with it.
_FOOTER = re.compile(r"(?:^|(?<=[.!?؟…\"»”]\s))(?:(?:رابط|عنوان) (?:الخبر|المقال|الموضوع|المادة)\b[^:：\n]{0,40}[:：]"
                     r"|للتواصل\s+[أا]رسل\b).*$")
# "شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك": a share bar, alone or glued before the first
# words of a paragraph.
_PLATFORM = (r"(?:تويتر|تويتّر|فيسبوك|فيس بوك|جوجل بلس|جوجل\+|واتساب|واتس اب|لينكد ?[إا]ن|تلغرام|تيليجرام|[إا]يميل"
             r"|البريد(?: الإلكتروني)?|طباعة|twitter|facebook|google\+|google plus|whatsapp|linkedin|telegram|email|print)")
_SHARE_BAR = re.compile(rf"^(?:شارك|شاركها|شارك الخبر|مشاركة|share)\s*(?:من خلال|عبر|على|via|on)?\s*[:：]?\s*"
                        rf"(?:{_PLATFORM}[\s,،|/-]*){{2,}}(?:اكتب رأيك|[أا]ضف تعليق[اًك]*|تعليقات?\b)?\s*", re.I)
# "يمكنكم تسلم إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم
# المحمول.": an invitation to install the site's app or take its notifications.
_APP_PROMO = re.compile(
    r"^(?:يمكنكم|يمكنك|بإمكانكم|بامكانكم|بإمكانك|حمّ?لوا|حمّ?ل|نزّ?لوا|نزّ?ل|you can|download|get)\s"
    r".*(?:[إا]شعارات|notifications|(?:تطبيق|app)\b.*(?:هاتف|جوال|موبايل|المحمول|متجر|phone|mobile|store))", re.I)
# Outlets whose names have several words, for datelines like "أبوظبي - سكاي نيوز عربية".
_AGENCIES = ("سكاي نيوز عربية", "سكاي نيوز", "أ ف ب", "ا ف ب", "أ.ف.ب", "د ب أ", "د.ب.أ", "فرانس برس", "رويترز",
             "الأناضول", "العربية.نت", "العربية نت", "الجزيرة نت", "بي بي سي", "سي إن إن", "الشرق الأوسط")
_PLACE = r"[^\s\-–—ـ:()،,.\d\"«“]+(?: [^\s\-–—ـ:()،,.\d\"«“]+){0,2}"
_DASH = "[-–—ـ]"  # tatweel standing alone serves as a dash ("الرباط ـ هسبريس")
_AGENCY = "|".join(re.escape(a) for a in _AGENCIES)
_QUOTED_OUTLET = r"[\"«“][^\"«»“”]{1,30}[\"»”]"
# A wire's date between place and agency: "في 25 نوفمبر", "- 25 - 11", "12 مايو".
_WIRE_DATE = rf"(?:\s+في)?(?:\s*[-–—/]?\s*(?:\d{{1,4}}|{MONTH_NAMES}))+"
_DATELINE_PATTERNS = (
    re.compile(r"^\(\s*(?P<dl>[^()]{1,30}?)\s*\)\s*[-–—:]+\s*"),                              # (CNN)--
    re.compile(rf"^(?P<dl>{_PLACE}(?:\s*\([^()]{{1,30}}\)){{1,2}})\s*[-–—ـ:]*\s+"),            # الأقصر (مصر) (أ.ف.ب) -
    # نيويورك - 25 - 11 (كونا) --, أبوظبي في 25 نوفمبر / وام /
    re.compile(rf"^(?P<dl>{_PLACE}{_WIRE_DATE}\s*(?:\([^()]{{1,30}}\)|/\s*[^/\s\d][^/\d]{{0,20}}?\s*/))\s*[-–—ـ:]*\s+"),
    # بغداد - ناس, بيروت - "النهار"
    re.compile(rf"^(?P<dl>{_PLACE} {_DASH} (?:{_AGENCY}|\([^()]{{1,30}}\)|{_QUOTED_OUTLET}|[^\s،,:]+))[\s:،,]+"),
)
_DATELINE_WORDS = re.compile(rf"\b(?:{MONTH_NAMES})\b|\bه\b|هـ|الموافق", re.I)


@dataclass
class _Line:
    """A line of the normalized text; after unwrapping, several lines joined by spaces."""

    start: int
    end: int
    text: str
    newlines: tuple[int, ...] = ()  # offsets of the line breaks that became the joining spaces


@stage("normalize", requires=("text",), provides=("normalized",))
@dataclass
class Normalize:
    """Clean the characters of the text and move its boilerplate (title, date, dateline, site chrome) into meta."""

    strip_boilerplate: bool = True  # title, date, repeated title and site-chrome lines leave the body
    remove_tatweel: bool = True  # U+0640 inside words is decoration; its removal keeps words searchable
    max_chrome_words: int = 5  # a line this short, without sentence punctuation, at the body's edges is chrome

    def __call__(self, doc: Document) -> Document:
        if doc.original is None:
            doc.original = doc.text
        text, offsets = normalize_chars(doc.text, remove_tatweel=self.remove_tatweel)
        if self.strip_boilerplate:
            text, offsets = self._strip(text, offsets, doc.meta)
        if doc.offset_map is not None:  # the text had been rewritten before: compose the maps
            offsets = array("I", (doc.offset_map[i] for i in offsets))
        doc.text, doc.offset_map = text, offsets
        return doc

    # -- boilerplate ----------------------------------------------------------------------------
    def _strip(self, text: str, offsets: array, meta: dict) -> tuple[str, array]:
        lines = _lines(text)
        removed: list[dict[str, str]] = []
        body = _unwrap(self._header(lines, meta, removed))
        keep = [line for line in body if line.text]
        keep = self._drop_repeated_title(keep, meta, removed)
        keep = self._dateline(keep, meta, removed)
        keep = self._cut_share_bars(keep, removed)
        keep = self._drop_footer(keep, removed)
        keep = self._drop_chrome(keep, meta, removed)
        keep = self._drop_related_stories(keep, meta, removed)
        if removed:
            meta.setdefault("removed", []).extend(removed)
        parts: list[str] = []
        new_offsets = array("I")
        for k, line in enumerate(keep):
            if k:
                parts.append("\n")
                previous = keep[k - 1]
                new_offsets.append(offsets[previous.end] if previous.end < len(offsets) else offsets[-1])
            parts.append(line.text)
            piece_start = line.start
            for newline in line.newlines:
                new_offsets.extend(offsets[piece_start:newline])
                new_offsets.append(offsets[newline])
                piece_start = newline + 1
            new_offsets.extend(offsets[piece_start:line.end])
        return "".join(parts), new_offsets

    def _header(self, lines: list[_Line], meta: dict, removed: list[dict[str, str]]) -> list[_Line]:
        """Find the title and date at the top; return the lines of the body."""
        filled = [i for i, line in enumerate(lines) if line.text]
        for rank, i in enumerate(filled[:6]):
            date = parse_date(lines[i].text)
            if date is None:
                continue
            meta["date"] = date
            meta["date_text"] = lines[i].text
            header = [lines[j] for j in filled[:rank]]
            if header:
                title = max(header, key=lambda line: len(line.text.split()))
                meta["title"] = title.text
                removed.extend({"text": line.text, "reason": "header"} for line in header if line is not title)
            elif self._looks_like_title(lines, filled, rank + 1):
                meta["title"] = lines[filled[rank + 1]].text
                return lines[filled[rank + 1] + 1:]
            return lines[i + 1:]
        if self._looks_like_title(lines, filled, 0):
            meta["title"] = lines[filled[0]].text
            return lines[filled[0] + 1:]
        return lines

    @staticmethod
    def _looks_like_title(lines: list[_Line], filled: list[int], rank: int) -> bool:
        """A first line that is short, ends without sentence punctuation, and stands alone (a blank
        line after it) with more text below is a title."""
        if rank + 1 >= len(filled):
            return False
        i = filled[rank]
        line = lines[i].text
        return (filled[rank + 1] > i + 1 and len(line.split()) <= 25
                and not line.endswith((".", "!", "?", "؟", "…", ":", "،", "؛")))

    @staticmethod
    def _drop_repeated_title(keep: list[_Line], meta: dict, removed: list[dict[str, str]]) -> list[_Line]:
        title = meta.get("title")
        if not title:
            return keep
        key = _comparable(title)
        for k, line in enumerate(keep[:3]):
            if _comparable(line.text) == key:
                removed.append({"text": line.text, "reason": "repeated title"})
                return keep[:k] + keep[k + 1:]
        return keep

    def _dateline(self, keep: list[_Line], meta: dict, removed: list[dict[str, str]]) -> list[_Line]:
        """A dateline on its own line leaves the body; one that opens the first paragraph stays in
        it (so no word moves) and is copied to meta. Bylines and stamps before it are passed over."""
        for k, line in enumerate(keep[:3]):
            first = line.text
            # A line that is only a place and an outlet may end with the outlet's quotation mark.
            whole = any(p.fullmatch(first + " ") for p in _DATELINE_PATTERNS)
            if (len(keep) > k + 1 and len(first.split()) <= 15 and (whole or not first.endswith(_END_PUNCT))
                    and (whole or _DATELINE_WORDS.search(first))):
                meta["dateline"] = first
                removed.append({"text": first, "reason": "dateline"})
                return keep[:k] + keep[k + 1:]
            if self._is_fragment(first):
                continue  # a byline or a stamp ("هسبريس - فلان") is not the dateline
            for pattern in _DATELINE_PATTERNS:
                match = pattern.match(first)
                if match and match.end() < len(first):
                    meta["dateline"] = match.group().strip(" -–—:،,")
                    break
            break
        return keep

    @staticmethod
    def _cut_share_bars(keep: list[_Line], removed: list[dict[str, str]]) -> list[_Line]:
        """A share bar leaves the body; one glued before the words of a paragraph is cut off it."""
        out = []
        for line in keep:
            match = _SHARE_BAR.match(line.text)
            if not match:
                out.append(line)
                continue
            removed.append({"text": line.text[:match.end()].strip(), "reason": "share bar"})
            if match.end() < len(line.text):
                start = line.start + match.end()
                out.append(_Line(start, line.end, line.text[match.end():], tuple(n for n in line.newlines if n >= start)))
        return out

    @staticmethod
    def _drop_footer(keep: list[_Line], removed: list[dict[str, str]]) -> list[_Line]:
        """A site footer in the last lines of the body leaves it, with the lines after it; one glued
        to the end of a paragraph is cut off that paragraph."""
        for k in range(len(keep) - 1, max(-1, len(keep) - 4), -1):
            line = keep[k]
            match = _FOOTER.search(line.text)
            if not match:
                continue
            cut = len(line.text[:match.start()].rstrip())
            removed.append({"text": line.text[match.start():], "reason": "footer"})
            removed.extend({"text": after.text, "reason": "footer"} for after in keep[k + 1:])
            if cut == 0:
                return keep[:k]
            end = line.start + cut
            return [*keep[:k], _Line(line.start, end, line.text[:cut], tuple(n for n in line.newlines if n < end))]
        return keep

    @staticmethod
    def _drop_related_stories(keep: list[_Line], meta: dict, removed: list[dict[str, str]]) -> list[_Line]:
        """Teasers for other stories at the end of the body leave it."""
        start = related_stories_start([line.text for line in keep], meta.get("title") or "")
        if start is None:
            return keep
        removed.extend({"text": line.text, "reason": "related stories"} for line in keep[start:])
        return keep[:start]

    def _drop_chrome(self, keep: list[_Line], meta: dict, removed: list[dict[str, str]]) -> list[_Line]:
        arabic = any(_ARABIC.search(line.text) for line in keep)
        # Nothing after a wire's end marker is a fragment to drop: its stamps stay with it.
        end_marker = next((k for k in range(len(keep) - 1, -1, -1) if _END_MARKER.fullmatch(keep[k].text)), len(keep))
        reasons: dict[int, str] = {}
        after_label = False
        for k, line in enumerate(keep):
            reason = self._chrome_reason(line.text, arabic=arabic)
            if k > end_marker and reason in ("editor codes", "time stamp"):
                reason = None
            if reason is None and after_label and len(line.text.split()) <= 25 and not line.text.endswith(_END_PUNCT):
                reason = "teaser"
            if reason:
                reasons[k] = reason
            after_label = reason in ("read-more label", "teaser")
        # Short fragments at the edges of the body (bylines, time stamps, menu items), when the
        # body has real paragraphs to keep.
        if any(k not in reasons and not self._is_fragment(line.text) for k, line in enumerate(keep)):
            for order in (range(len(keep)), range(len(keep) - 1, -1, -1)):
                for k in order:
                    if k in reasons or k > end_marker:
                        continue
                    if k == end_marker:
                        break
                    if not self._is_fragment(keep[k].text):
                        break
                    reasons[k] = "edge fragment"
        for k, reason in sorted(reasons.items()):
            removed.append({"text": keep[k].text, "reason": reason})
            date = parse_date(keep[k].text)
            if date and "date" not in meta:
                meta["date"], meta["date_text"] = date, keep[k].text
        return [line for k, line in enumerate(keep) if k not in reasons]

    def _chrome_reason(self, line: str, *, arabic: bool) -> str | None:
        if _SEPARATOR.fullmatch(line):
            return "separator"
        if _LABEL_PIPE.match(line):
            return "teaser"
        match = _READ_MORE.match(line)
        if match:
            rest = line[match.end():].strip(" .…:：|-–—")
            if not rest:
                return "read-more label"
            if len(rest.split()) <= 25 and not rest.endswith(_SENTENCE_END):
                return "teaser"
        if _TAGS.match(line) and len(line.split()) <= 25 and not line.endswith(_SENTENCE_END):
            return "tags"
        if _FOLLOW_US.match(line) and len(line.split()) <= 15:
            return "site chrome"
        if len(line.split()) <= self.max_chrome_words and _CHROME_WORDS.match(line) and line.endswith((":", "：")):
            return "site chrome"  # "شارك الخبر:", "المصدر:"
        if len(line.split()) <= self.max_chrome_words and not line.endswith(_END_PUNCT):
            if _CHROME_WORDS.match(line) or (arabic and not _ARABIC.search(line) and not _BULLET.match(line)):
                return "site chrome"
            if parse_date(line):
                return "date"
        if _APP_PROMO.match(line) and len(line.split()) <= 30:
            return "site chrome"
        if _EDITOR_CODES.fullmatch(line):
            return "editor codes"
        if len(line.split()) <= self.max_chrome_words and _TIME_AGO.match(line) and not line.endswith(_SENTENCE_END):
            return "time stamp"
        return None

    def _is_fragment(self, line: str) -> bool:
        """Short and without sentence punctuation, a credit line in brackets such as
        "(إعداد … - تحرير …)" or "(الأناضول)", or a byline such as "كتب- محمد صلاح:"."""
        if _CREDIT.fullmatch(line) and len(line.split()) <= 20:
            return True
        if _BYLINE.match(line) and not _NOT_IN_BYLINE.search(line):
            return True
        return (len(line.split()) <= self.max_chrome_words and not line.endswith(_END_PUNCT)
                and not _BULLET.match(line))


def _lines(text: str) -> list[_Line]:
    lines = []
    start = 0
    for piece in text.split("\n"):
        lines.append(_Line(start, start + len(piece), piece))
        start += len(piece) + 1
    return lines


def _unwrap(lines: list[_Line]) -> list[_Line]:
    """Join hard-wrapped lines (text pasted from an e-mail or a terminal): when paragraphs are
    separated by blank lines and at least two of them run over several lines that mostly end
    without sentence punctuation, the lines of each paragraph are joined with a space."""
    blocks: list[list[_Line]] = [[]]
    for line in lines:
        if line.text:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    wrapped = [b for b in blocks if len(b) > 1 and not any(_BULLET.match(line.text) for line in b)
               and sum(not line.text.endswith(_END_PUNCT) for line in b[:-1]) > (len(b) - 1) / 2]
    if len(wrapped) < 2:
        return lines
    joined = {id(block) for block in wrapped}
    out: list[_Line] = []
    for block in blocks:
        if id(block) not in joined:
            out.extend(block)
            continue
        out.append(_Line(block[0].start, block[-1].end, " ".join(line.text for line in block),
                         tuple(line.end for line in block[:-1])))
    return out


def _comparable(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)
