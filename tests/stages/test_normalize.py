"""Character normalization with its offset map, dates, and boilerplate moved into doc.meta."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.reader import read_file
from pipeline.stages.normalize import Normalize, normalize_chars, parse_date
from tests.conftest import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.ar.txt"))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("الأخبـــار", "الأخبار"),                      # tatweel inside a word
        ("لـ «عكاظ» و بـ\"المساعدة\"", "لـ «عكاظ» و بـ\"المساعدة\""),  # tatweel that separates a prefix
        ("قال\u00a0الوزير", "قال الوزير"),              # NBSP
        ("قال\u200f \u200bالوزير\u200d", "قال الوزير"),  # bidi mark, zero-width space and joiner
        ("\ufeffقال\u202bالوزير\u202c", "قالالوزير"),   # BOM and bidi embedding
        ("قال   الوزير\t\tإن", "قال الوزير إن"),         # runs of spaces and tabs
        ("  سطر أول  \r\n\r\n  سطر ثان ", "سطر أول\n\nسطر ثان"),  # line edges, CRLF, paragraph break kept
        ("ا\u0653لية", "آلية"),                          # NFC: alef + madda above composes
        ("\u0627\u0654\u0645\u0646", "أمن"),            # NFC: alef + hamza above composes
        ("ﺍﻟﻌﺮﺑﻴﺔ ﻻ", "العربية لا"),                    # presentation forms from a PDF
        ("قال&nbsp;&quot;نعم&quot; &amp; &#1604;ا&hellip; AT&T &foo;", 'قال "نعم" & لا… AT&T &foo;'),  # HTML references
    ],
)
def test_normalize_chars(raw: str, clean: str) -> None:
    text, offsets = normalize_chars(raw)
    assert text == clean
    assert len(offsets) == len(text)
    assert list(offsets) == sorted(offsets) and all(0 <= o < len(raw) for o in offsets)


def test_offsets_point_at_the_character_they_came_from() -> None:
    raw = "\ufeff  قال\u00a0\u00a0الوزير  «الأمـن»\u200f مستتب.\r\n\r\nجملة   ثانية "
    text, offsets = normalize_chars(raw)
    for ch, offset in zip(text, offsets, strict=True):
        source = raw[offset]
        assert ch == source or (ch == " " and source.isspace()) or (ch == "\n" and source in "\r\n")


def test_nfc_offsets_point_at_the_start_of_the_composed_cluster() -> None:
    raw = "قال ا\u0654ن"
    text, offsets = normalize_chars(raw)
    assert text == "قال أن" and offsets[4] == 4 and offsets[5] == 6


def test_tatweel_can_be_kept() -> None:
    assert normalize_chars("كـل", remove_tatweel=False)[0] == "كـل"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2020.03.20 - 12:28", "2020-03-20T12:28"),
        ("2015-08-10 20:27:29", "2015-08-10T20:27:29"),
        ("Sat, 24 Feb 2018 19:18:47 GMT", "2018-02-24T19:18:47+00:00"),
        ("Sat, 03 Mar 2018 16:48:37 +0400", "2018-03-03T16:48:37+04:00"),
        ("2018-10-10T19:56:58+00:00", "2018-10-10T19:56:58+00:00"),
        ("20/03/2020", "2020-03-20"),
        ("الجمعة 20 مارس 2020", "2020-03-20"),
        ("20 آذار 2020 - 10:15", "2020-03-20T10:15"),
        ("٢٠ أكتوبر ٢٠١٨", "2018-10-20"),
        ("March 20, 2020", "2020-03-20"),
        ("2020.03.20 - 08:05 م", "2020-03-20T20:05"),
        ("نشر في: 2020-03-20 12:28", "2020-03-20T12:28"),
        ("Updated: 2020-03-20T12:28:00Z", "2020-03-20T12:28:00+00:00"),
        ("01:45 م الأربعاء 25 نوفمبر 2026", "2026-11-25T13:45"),          # time before the date
        ("الأربعاء 25 نونبر 2026 - 18:40", "2026-11-25T18:40"),           # Moroccan month names
        ("3 دجنبر 2026", "2026-12-03"),
        ("02 جوان 2026", "2026-06-02"),                                  # Algerian/Tunisian month names
        ("الأحد 10 جويلية 2026", "2026-07-10"),
        ("10 جمادى الأولى 1448 هـ الموافق 25 نوفمبر 2026 م", "2026-11-25"),  # Hijri with its Gregorian date
        ("بتاريخ 25/نوفمبر/2026", "2026-11-25"),
        ("25 نوفمبر، 2026", "2026-11-25"),
    ],
)
def test_parse_date(line: str, iso: str) -> None:
    assert parse_date(line) == iso


@pytest.mark.parametrize("line", ["بغداد - ناس", "عام 2020 كان صعبا", "2020.13.45", "", "التحالف الدولي",
                                  "10:45 - أعلنت الوزارة حصيلة 2026"])
def test_parse_date_refuses_what_is_not_only_a_date(line: str) -> None:
    assert parse_date(line) is None


# What each sample's boilerplate is, as a reader sees it: (reason, removed line) pairs.
REMOVED = {
    "naas-coalition-bases": [("header", "Shadow Shadow"), ("header", "كل الأخبار"),
                             ("repeated title", "التحالف الدولي يتحدث عن أسباب إخلاء عدد من قواعده في العراق")],
    "report-khashoggi-us-offer-quotes": [("read-more label", "اقرأ أيضا:"), ("teaser", "البيت الأبيض يعلن"),
                                         ("teaser", "قد يهمك|"), ("teaser", "قد يهمك|"), ("teaser", "قد يهمك|")],
    "wire-baghdad-jubouri-corruption": [("dateline", "بغداد 25 شوال")],  # "// انتهى //" and its stamp stay
}
META = {
    "naas-coalition-bases": ("التحالف الدولي يتحدث عن أسباب إخلاء عدد من قواعده في العراق", "2020-03-20T12:28",
                             "بغداد - ناس"),
    "wire-baghdad-jubouri-corruption": ('سياسي / رئيس البرلمان العراقي يطالب العبادي بإقالة وزراء "ثبت عليهم الفساد"',
                                        "2015-08-10T20:27:29", "بغداد 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس"),
    "report-khashoggi-us-offer-quotes": ('عرض أمريكي بـ"المساعدة" في التحقيقات بشأن جمال خاشقجي',
                                         "2018-10-10T19:56:58+00:00", "(CNN)"),
    "breaking-unsc-syria-truce-list": ("مجلس الأمن يقر هدنة إنسانية في سوريا", "2018-02-24T19:18:47+00:00", None),
    "guillemets-aden-interior-minister": ("تصفية خلايا حوثية نائمة.. و«العند» قاب قوسين", "2015-07-23T17:42:53", None),
}


def sample_name(path: Path) -> str:
    return path.name.removesuffix(".ar.txt")


@pytest.fixture(scope="module")
def normalized() -> dict[str, Document]:
    return {sample_name(p): Normalize()(read_file(p)) for p in SAMPLE_FILES}


@pytest.mark.parametrize("name", [sample_name(p) for p in SAMPLE_FILES])
def test_sample_boilerplate(name: str, normalized: dict[str, Document]) -> None:
    removed = [(r["reason"], r["text"]) for r in normalized[name].meta.get("removed", [])]
    expected = REMOVED.get(name, [])
    assert len(removed) == len(expected)
    for (reason, text), (want_reason, want_start) in zip(removed, expected, strict=True):
        assert reason == want_reason and text.startswith(want_start)


@pytest.mark.parametrize("name", sorted(META))
def test_sample_meta(name: str, normalized: dict[str, Document]) -> None:
    title, date, dateline = META[name]
    meta = normalized[name].meta
    assert (meta["title"], meta["date"], meta.get("dateline")) == (title, date, dateline)


def body_words(path: Path) -> Counter[str]:
    """The words of a sample's body (after its date line), under the same character normalization."""
    lines = path.read_text(encoding="utf-8").split("\n")
    date_line = next(i for i, line in enumerate(lines) if re.search(r"\d{4}.*\d\d:\d\d", line))
    return Counter(normalize_chars("\n".join(lines[date_line + 1:]))[0].split())


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=sample_name)
def test_every_body_word_survives(path: Path, normalized: dict[str, Document]) -> None:
    doc = normalized[sample_name(path)]
    kept = Counter(doc.text.split())
    moved = Counter(" ".join(r["text"] for r in doc.meta.get("removed", [])).split())
    missing = body_words(path) - kept
    # Every body word is in the text, or in a line that meta keeps (chrome, dateline, the title
    # repeated); and what moved is a small part of the body.
    assert not missing - moved
    assert sum(missing.values()) <= 0.2 * sum(kept.values())


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=sample_name)
def test_sample_offsets_index_the_original(path: Path, normalized: dict[str, Document]) -> None:
    doc = normalized[sample_name(path)]
    assert len(doc.offset_map) == len(doc.text)
    for i, ch in enumerate(doc.text):
        source = doc.original[doc.offset_map[i]]
        assert ch == source or (ch.isspace() and source.isspace()), (i, ch, source)


def test_offset_map_composes_with_an_earlier_one() -> None:
    doc = Document(text="قال  الوزير", original="xxقال  الوزير")
    doc.offset_map = [i + 2 for i in range(len(doc.text))]
    doc = Normalize()(doc)
    assert doc.text == "قال الوزير"
    assert [doc.original[o] for o in doc.offset_map] == list("قال الوزير")


def test_plain_text_without_header_keeps_every_line() -> None:
    doc = Normalize()(Document(text="انسحبت القوات من القاعدة.\nوقال المتحدث إن الأمر انتهى."))
    assert doc.text == "انسحبت القوات من القاعدة.\nوقال المتحدث إن الأمر انتهى."
    assert doc.original is not None and "title" not in doc.meta


def test_a_title_without_a_date_is_found() -> None:
    doc = Normalize()(Document(text="عنوان الخبر هنا\n\nانسحبت القوات من القاعدة العسكرية الكبيرة أمس.\nشارك"))
    assert doc.meta["title"] == "عنوان الخبر هنا"
    assert doc.text == "انسحبت القوات من القاعدة العسكرية الكبيرة أمس."
    assert doc.meta["removed"] == [{"text": "شارك", "reason": "site chrome"}]


def test_a_short_text_is_never_emptied() -> None:
    assert Normalize()(Document(text="مرحبا بكم")).text == "مرحبا بكم"


def test_subheadings_inside_the_body_stay() -> None:
    text = ("انسحبت القوات من القاعدة العسكرية الكبيرة أمس.\nردود الفعل\n"
            "وقال المتحدث إن الأمر انتهى تماما في المنطقة.")
    assert Normalize()(Document(text=text)).text == text


def test_boilerplate_can_be_kept() -> None:
    raw = (SAMPLES / "naas-coalition-bases.ar.txt").read_text(encoding="utf-8")
    doc = Normalize(strip_boilerplate=False)(Document(text=raw))
    assert doc.text.startswith("Shadow Shadow\nكل الأخبار") and "title" not in doc.meta


def test_inline_datelines() -> None:
    for text, dateline in [
        ("بيروت (رويترز) - قال مسؤولون إن الوضع هادئ.", "بيروت (رويترز)"),
        ("أبوظبي - سكاي نيوز عربية أعلنت الحكومة خطة جديدة.", "أبوظبي - سكاي نيوز عربية"),
        ("(CNN)-- قال نائب الرئيس إن الوضع هادئ.", "(CNN)"),
    ]:
        doc = Normalize()(Document(text=text))
        assert doc.meta["dateline"] == dateline and doc.text == text


def test_wire_and_agency_datelines() -> None:
    for text, dateline in [
        ("نيويورك - 25 - 11 (كونا) -- رحبت الكويت بالقرار.", "نيويورك - 25 - 11 (كونا)"),
        ("أبوظبي في 25 نوفمبر / وام / أعلنت الوكالة نجاح الإطلاق.", "أبوظبي في 25 نوفمبر / وام /"),
        ("الأقصر (مصر) (أ.ف.ب) - أعلنت الوزارة اكتشاف مقبرة.", "الأقصر (مصر) (أ.ف.ب)"),
    ]:
        doc = Normalize()(Document(text=text))
        assert doc.meta["dateline"] == dateline and doc.text == text


BODY = ("انسحبت القوات من القاعدة العسكرية الكبيرة أمس بعد معارك عنيفة.\n"
        "وقال المتحدث إن الأمر انتهى تماما في المنطقة.")


# Lines that sites put around an article, and the reason they leave the body.
@pytest.mark.parametrize(
    ("top", "bottom", "reasons"),
    [
        ("كتب- محمد صلاح:", "", ["edge fragment"]),                    # byline ending with a colon
        ("بقلم: د. سامي الخطيب", "", ["edge fragment"]),
        ("منذ 3 ساعات", "", ["time stamp"]),
        ("بيروت - \"النهار\"", "", ["dateline"]),                        # dateline ending with a mark
        ("الرباط ـ هسبريس", "", ["dateline"]),                         # tatweel as a dash
        ("", "ع ا ج / ز ا ع", ["editor codes"]),                        # editors' codes with no end marker
        ("", "-------------------------------------------------", ["separator"]),
        # an invitation to install the site's app (BBC Arabic's footer)
        ("", "يمكنكم تسلم إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم المحمول.",
         ["site chrome"]),
        # a footer repeating the headline, and what follows it
        ("", "رابط الخبر بصحيفة الوئام: نتنياهو: خطاب خامنئي “العدواني” يثبت أن الاتفاق النووي لن يغير سياسة إيران",
         ["footer"]),
        ("", "رابط الخبر بصحيفة الوئام: الأمية..\nأين نحن منها؟", ["footer", "footer"]),
        # a column's contact footer, over several lines
        ("", "للتواصل أرسل sms إلى 88548 الاتصالات ,636250 موبايلي, 738303\nزين تبدأ بالرمز 158 مسافة ثم الرسالة",
         ["footer", "footer"]),
        ("شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك", "", ["share bar"]),
        ("", "اقرأ أيضا..\nعنوان خبر آخر عن القوات في المنطقة الشرقية", ["read-more label", "teaser"]),
        ("", "الأكثر قراءة\nالحكومة تعلن خطة جديدة لدعم المزارعين في الجنوب", ["read-more label", "teaser"]),
        ("", "شارك الخبر:", ["site chrome"]),
        ("", "تابعوا آخر الأخبار عبر قناتنا على تلغرام", ["site chrome"]),  # longer than other chrome
        ("", "الكلمات المفتاحية: القوات، القاعدة، الانسحاب، المتحدث، المنطقة الشرقية", ["tags"]),
    ],
)
def test_site_chrome_leaves_the_body(top: str, bottom: str, reasons: list[str]) -> None:
    text = "\n".join(part for part in ("عنوان الخبر هنا\n", top, BODY, bottom) if part)
    doc = Normalize()(Document(text=text))
    assert doc.text == BODY
    assert [r["reason"] for r in doc.meta["removed"]] == reasons


@pytest.mark.parametrize(
    "line",
    [
        "كتب الوزير على منصة إكس:",                    # a colon opening a quotation, not a byline
        "منذ ساعتين والقصف مستمر على المدينة كلها.",   # a sentence that starts like a time stamp
        "عام ك م ن الأسبوع الماضي في المدينة.",         # single letters inside a sentence
        "وتابع المتحدث أن الحكومة ستنشر التفاصيل على فيسبوك.",  # a sentence that names a platform
    ],
)
def test_lines_like_chrome_that_are_text_stay(line: str) -> None:
    text = f"عنوان الخبر هنا\n\n{line}\n{BODY}"
    assert Normalize()(Document(text=text)).text == f"{line}\n{BODY}"


def test_a_footer_glued_to_the_last_paragraph_is_cut_off_it() -> None:
    raw = f"عنوان الخبر هنا\n\n{BODY} رابط الخبر بصحيفة الوئام: د. الصيني: الإعلام مسؤولية والوطنية ليست «شرهة» توزع "
    doc = Normalize()(Document(text=raw))
    assert doc.text == BODY
    assert doc.meta["removed"] == [{"text": "رابط الخبر بصحيفة الوئام: د. الصيني: الإعلام مسؤولية والوطنية ليست «شرهة» توزع",
                                    "reason": "footer"}]
    for ch, offset in zip(doc.text, doc.offset_map, strict=True):
        assert raw[offset] == ch or (ch in " \n" and raw[offset] in " \n")


def test_a_share_bar_glued_before_the_first_paragraph_is_cut_off_it() -> None:
    raw = f"عنوان الخبر هنا\n\n شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك {BODY}"
    doc = Normalize()(Document(text=raw))
    assert doc.text == BODY
    assert doc.meta["removed"] == [{"text": "شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك", "reason": "share bar"}]
    assert all(raw[offset] == ch or ch in " \n" for ch, offset in zip(doc.text, doc.offset_map, strict=True))


@pytest.mark.parametrize(
    "line",
    [
        "وقال إن رابط الخبر الذي نشرته الصحيفة: غير صحيح.",        # the words inside a sentence
        "ونشرت الوكالة عنوان الخبر: الحكومة تستقيل، ثم حذفته.",     # not after a sentence end
        "شارك الوزير على تويتر وفيسبوك في حملة التوعية.",            # a sentence that names platforms
    ],
)
def test_words_of_a_footer_inside_a_sentence_stay(line: str) -> None:
    text = f"عنوان الخبر هنا\n\n{BODY}\n{line}"
    assert Normalize()(Document(text=text)).text == f"{BODY}\n{line}"


def test_a_wire_end_marker_and_its_stamps_stay_in_the_body() -> None:
    # ANNOTATION.md: a closing "// انتهى //" is a sentence of the body; so is the wire's stamp after it.
    for tail in ("// انتهى //\n15:37 ت م", "/ انتهى /\nع ا ج / ز ا ع", "(النهاية)\nط م ع / ع ا ج"):
        doc = Normalize()(Document(text=f"عنوان الخبر هنا\n\n{BODY}\n{tail}"))
        assert doc.text == f"{BODY}\n{tail}"
        assert "removed" not in doc.meta


def test_a_byline_before_the_dateline_is_not_the_dateline() -> None:
    doc = Normalize()(Document(text=f"عنوان الخبر هنا\n\nهسبريس - عبد الرحيم العسري\n{BODY}"))
    assert "dateline" not in doc.meta and doc.text == BODY


HELDOUT = Path(__file__).resolve().parents[1] / "heldout"
HELDOUT_FILES = sorted(HELDOUT.glob("*.ar.txt"))


@pytest.mark.parametrize("path", HELDOUT_FILES, ids=sample_name)
def test_every_body_word_of_the_heldout_articles_survives(path: Path) -> None:
    doc = Normalize()(read_file(path))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert parse_date(lines[2]), "the held-out date lines are all readable"
    assert doc.meta["date"] == parse_date(lines[2]) and doc.meta["title"] == normalize_chars(lines[0])[0]
    body = Counter(normalize_chars("\n".join(lines[4:]))[0].split())
    moved = Counter(" ".join(r["text"] for r in doc.meta.get("removed", [])).split())
    missing = body - Counter(doc.text.split())
    assert not missing - moved
    assert sum(missing.values()) <= 0.2 * sum(body.values())


def test_text_is_nfc_after_normalize(normalized: dict[str, Document]) -> None:
    assert all(unicodedata.is_normalized("NFC", doc.text) for doc in normalized.values())


def test_bylines_credits_and_stamps_at_the_edges_leave_the_body() -> None:
    text = ("صورة أرشيفية\nانسحبت القوات من القاعدة العسكرية الكبيرة أمس.\n"
            "وقال المتحدث إن الأمر انتهى.\n(إعداد محمد عبد الله - تحرير أحمد صبحي)\nع.م/ح.ز")
    doc = Normalize()(Document(text=text))
    assert doc.text == "انسحبت القوات من القاعدة العسكرية الكبيرة أمس.\nوقال المتحدث إن الأمر انتهى."
    assert [r["reason"] for r in doc.meta["removed"]] == ["edge fragment", "edge fragment", "editor codes"]


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=sample_name)
def test_normalize_twice_changes_nothing(path: Path, normalized: dict[str, Document]) -> None:
    once = normalized[sample_name(path)]
    twice = Normalize()(Document(text=once.text, original=once.original, offset_map=once.offset_map))
    assert twice.text == once.text and list(twice.offset_map) == list(once.offset_map)


def test_hard_wrapped_paragraphs_are_joined() -> None:
    raw = ("انسحبت القوات الأمريكية من قاعدة القائم\nغربي العراق بعد سنوات من الوجود فيها.\n\n"
           "وقال المتحدث باسم التحالف إن القوات\nالعراقية قادرة على حماية المنطقة وحدها.\n")
    doc = Normalize()(Document(text=raw))
    assert doc.text == ("انسحبت القوات الأمريكية من قاعدة القائم غربي العراق بعد سنوات من الوجود فيها.\n"
                        "وقال المتحدث باسم التحالف إن القوات العراقية قادرة على حماية المنطقة وحدها.")
    for ch, offset in zip(doc.text, doc.offset_map, strict=True):
        assert raw[offset] == ch or (ch in " \n" and raw[offset] in " \n")
    assert raw[doc.offset_map[doc.text.index("غربي") - 1]] == "\n"


def test_one_paragraph_per_line_is_not_joined() -> None:
    raw = "عنوان\n\nالفقرة الأولى من الخبر هنا.\nالفقرة الثانية من الخبر هنا.\n\n- بند\n- بند آخر"
    assert Normalize()(Document(text=raw)).text.split("\n")[:2] == ["الفقرة الأولى من الخبر هنا.",
                                                                    "الفقرة الثانية من الخبر هنا."]
