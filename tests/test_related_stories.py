"""Teasers for other stories at an article's end: found by the shape of a wire story, and left alone
in columns and in stories that end on unjoined paragraphs of their own."""

from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.related_stories import opens_with_connective, related_stories_start
from pipeline.stages.normalize import Normalize

TITLE = "وزير الزراعة: موسم القمح القادم سيكون الأوفر منذ عشر سنوات"
STORY = [
    "عمّان (وكالات)-- أعلن وزير الزراعة الأردني خالد الحمصي، الأحد، أن محصول القمح في الموسم القادم"
    " سيكون الأوفر منذ عشر سنوات بفضل الأمطار الغزيرة التي هطلت على المملكة هذا الشتاء.",
    "وأوضح الحمصي في مؤتمر صحفي أن الوزارة وزعت بذورا محسنة على المزارعين في سهول حوران والكرك"
    " وأن المساحات المزروعة بالقمح زادت بنحو الربع مقارنة بالعام الماضي.",
    "وأضاف أن \"الوزارة ستشتري المحصول من المزارعين بسعر يغطي كلفتهم ويترك لهم ربحا معقولا\"،"
    " مشيرا إلى أن الصوامع جاهزة لاستقبال الكميات الجديدة من القمح.",
    "وفي سياق متصل، قال مدير مؤسسة الإقراض الزراعي إن المؤسسة ستؤجل أقساط المزارعين حتى نهاية الموسم.",
]
TEASERS = [
    "افتتح رئيس بلدية العقبة، الإثنين، مهرجان الصيف السنوي بمشاركة فرق موسيقية من اثنتي عشرة دولة"
    " عربية وأجنبية على شاطئ المدينة",
    "أعلن الاتحاد الآسيوي لكرة السلة، الإثنين، نقل مباريات التصفيات النهائية إلى العاصمة القطرية"
    " الدوحة بسبب أعمال الصيانة في الصالة الرئيسية.",
    "حذرت هيئة الأرصاد الجوية في الكويت من موجة غبار كثيفة تضرب البلاد ابتداء من مساء الثلاثاء"
    " وتستمر حتى نهاية الأسبوع وتخفض مدى الرؤية في الطرق السريعة",
    "اشترت شركة الطيران الوطنية المغربية بعقد جديد عشر طائرات جديدة من طراز متوسط المدى لتوسيع"
    " رحلاتها نحو أفريقيا وأوروبا خلال العامين المقبلين.",
]


def test_teasers_after_a_wire_story_leave_the_body() -> None:
    assert related_stories_start([*STORY, *TEASERS], TITLE) == len(STORY)
    doc = Normalize()(Document(text="\n".join([TITLE, "", *STORY, *TEASERS])))
    assert doc.text == "\n".join(STORY)
    assert [(r["reason"], r["text"]) for r in doc.meta["removed"]] == [("related stories", t) for t in TEASERS]


def test_three_teasers_are_not_enough_to_tell() -> None:
    assert related_stories_start([*STORY, *TEASERS[:3]], TITLE) is None


def test_a_list_at_the_end_of_a_story_stays() -> None:
    # Items alike in form and words (heats of a race): they share their terms with each other.
    heats = [f"الشوط {n}: مخصص للخيل من إنتاج ثلاث سنوات فأكثر ومسافته {m} متر ومقدار جائزته مئة ألف ريال"
             for n, m in (("الأول", 2000), ("الثاني", 1650), ("الثالث", 1200), ("الرابع", 1600))]
    assert related_stories_start([*STORY, *heats], TITLE) is None


def test_unjoined_paragraphs_on_the_story_itself_stay() -> None:
    ending = [
        "يتوقع خبراء الزراعة أن يتجاوز محصول القمح هذا الموسم حاجة المملكة من الحبوب للمرة الأولى منذ"
        " عشر سنوات إذا استمرت الأمطار",
        "تشتري الوزارة القمح من المزارعين بسعر ثابت تعلنه قبل الموسم وتخزنه في الصوامع الحكومية في"
        " العقبة والزرقاء",
        "تعتمد المملكة على استيراد معظم حاجتها من القمح من الخارج وتأمل الوزارة أن يخفض المحصول الجديد"
        " فاتورة الاستيراد هذا العام",
        "يشكل القمح المزروع في سهول حوران والكرك أكثر من نصف المساحات المزروعة بالحبوب في المملكة"
        " بحسب أرقام الوزارة",
    ]
    assert related_stories_start([*STORY, *ending], TITLE) is None


def test_a_column_whose_paragraphs_are_not_joined_keeps_its_ending() -> None:
    column = [
        "كثيرا ما أسأل نفسي لماذا نحتاج إلى أن نسافر بعيدا كي نكتشف جمال المدن التي نعيش فيها كل يوم.",
        "المدينة التي لا يمشي فيها الناس على أقدامهم تفقد ذاكرتها شيئا فـشيئا ولا يبقى منها إلا الطرق.",
        *TEASERS,
    ]
    assert related_stories_start(column, "المشي في المدينة") is None


@pytest.mark.parametrize(
    ("paragraph", "joined"),
    [
        ("وقال الوزير إن العمل مستمر.", True),
        ("وفي سياق متصل، أعلنت الوزارة خطتها.", True),
        ("من جهته، أكد المدير أن المشروع سينتهي قريبا.", True),
        ("إلى ذلك، افتتح الوزير معرضا للكتاب.", True),
        ("قال الوزير إن العمل مستمر.", False),
        ("وجه رئيس الوزراء نداء إلى السكان.", False),  # وجه "directed": its و is the verb's own
        ("فاز الفريق بالبطولة.", False),
    ],
)
def test_opens_with_connective(paragraph: str, joined: bool) -> None:
    assert opens_with_connective(paragraph) is joined
