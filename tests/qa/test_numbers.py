"""Numbers and dates read from Arabic and English text, and which Arabic ones the English lacks."""

from __future__ import annotations

import pytest

from pipeline.qa.numbers import arabic_months, arabic_numbers, compare, english_months, english_numbers

# Arabic text, English text, the Arabic numbers the English lacks, the English numbers the Arabic lacks
COMPARE_CASES = [
    ("قتل ١٣ شخصا", "13 people were killed", [], []),
    ("بلغت النسبة ٣٫٥٪", "the rate reached 3.5%", [], []),
    ("بلغت النسبة 3,5 بالمئة", "the rate reached 3.5 percent", [], []),
    ("بلغ عددهم ١٢٬٥٠٠ شخص", "they numbered 12,500", [], []),
    ("بين 10-20 قتيلا", "between 10 and 20 dead", [], []),
    ("خسر 5 آلاف وظيفة", "lost 5,000 jobs", [], []),
    ("بلغ العدد مليون و200 ألف", "the number reached 1.2 million", [], []),
    ("بقيمة 2.5 مليار دولار", "worth $2.5bn", [], []),
    ("لمدة 30 يوما", "for thirty days", [], []),
    ("في الفقرة 2", "in the second paragraph", [], []),
    ("في 2020.03.20", "on 20 March 2020", [], []),
    ("في 20 آذار 2020", "on 20 March 2020", [], []),
    ("في 20 آذار 2020", "on 20 May 2020", [], []),  # months are checked apart, below
    ("في 25 شوال 1436 هـ الموافق 10 أغسطس 2015", "on 10 August 2015", [], []),
    ("قتل 13 شخصا", "people were killed", ["13"], []),
    ("قتل 13 شخصا", "18 people were killed", ["13"], ["18"]),
    ("لمدة ستين يوما", "for 60 days", [], []),
    ("في التسعينيات", "in the 1990s", [], []),
    ("أصيب 5 أشخاص بكورونا", "5 people caught COVID-19", [], []),
    ("أصيب 5 أشخاص", "5 people were hurt and 7 more", [], ["7"]),
    # Seen on professional translations (ntrex-dev): Arabic comma grouping, clock times, a
    # telephone number in spaced groups; a changed time is still caught.
    ("عبر أكثر من 30،000 كوري", "more than 30,000 Koreans crossed", [], []),
    ("الوقت المثالي هو 5:30 مساءً", "the perfect time is 5.30pm", [], []),
    ("في حوالي الساعة 4", "at about 04:00 BST", [], []),
    ("اتصل على الرقم 116123", "call 116 123", [], []),
    ("الوقت المثالي هو 5:30 مساءً", "the perfect time is 6.30pm", ["5:30"], []),
]


@pytest.mark.parametrize(("arabic", "english", "missing", "extra"), COMPARE_CASES)
def test_compare(arabic, english, missing, extra):
    report = compare(arabic, english)
    assert [n.text for n in report.missing] == missing
    assert [n.text for n in report.extra] == extra


MONTH_CASES = [
    ("في 20 آذار 2020", [3]),
    ("في 19 اذار 2020", [3]),
    ("منذ 2 أكتوبر/ تشرين الأول", [10]),
    ("في كانون الثاني الماضي", [1]),
    ("في 5 يونيو و7 تموز", [6, 7]),
    ("مارس ضغوطا على الحكومة", []),  # the verb "exerted", not March
    ("اشترى سيارة نيسان", []),  # Nissan, not April
    ("قال الأب إن", []),
]


@pytest.mark.parametrize(("arabic", "months"), MONTH_CASES)
def test_arabic_months(arabic, months):
    assert [m.month for m in arabic_months(arabic)] == months


@pytest.mark.parametrize(("english", "months"), [
    ("on 20 March 2020", [3]), ("in May 2020", [5]), ("they may come", []), ("May God help", []),
    ("on Dec. 3", [12]), ("last October", [10]),
])
def test_english_months(english, months):
    assert [m.month for m in english_months(english)] == months


def test_a_changed_month_is_missing():
    report = compare("في 20 آذار 2020", "on 20 May 2020")
    assert [m.name for m in report.missing_months] == ["آذار"]


def test_offsets_index_the_input():
    text = "قتل ١٣ شخصا و5 آلاف"
    assert [text[n.start : n.end] for n in arabic_numbers(text)] == ["١٣", "5"]
    english = "twenty-five people, 1,000 more"
    assert [english[n.start : n.end] for n in english_numbers(english)] == ["twenty-five", "1,000"]
