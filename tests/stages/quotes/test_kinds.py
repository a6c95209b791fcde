"""What each span in marks is (pipeline/stages/quotes/kinds.py): quotations against names, titles and
terms; and how broken marks pair (marks.py). The texts are short excerpts of the corpus articles named
in each case."""

from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.stages.normalize import Normalize
from pipeline.stages.quotes import Quotes
from pipeline.stages.segment import Segment


def kinds(text: str) -> list[tuple[str, str]]:
    """(text, kind) of every span in marks, in order."""
    doc = Quotes()(Segment()(Normalize(strip_boilerplate=False)(Document(text=text))))
    return [(q.text, q.kind) for q in doc.quotes]


CASES = [
    # a cue of saying close before a short span makes it a quotation (snn-skynews-3482, alweeam-949)
    ("stance-verb", 'وفي مارس 2017 وصف أردوغان هولندا بأنها من "فلول النازيين والفاشيين" بعدما سحبت '
                    "الحكومة الهولندية تصريح الهبوط لطائرته.",
     [("فلول النازيين والفاشيين", "phrase")]),
    ("verb-and-ma", "ودعا المسؤول الإيراني الرياض إلى وقف ما وصفه بـ “العدوان” على اليمن وإنهاء الحصار.",
     [("العدوان", "phrase")]),
    # without one, a writer's word in marks is nobody's quotation (arriyadiyah-1346, an opinion column)
    ("scare-quote", 'والبصمة التي أعنيها تختلف عن البصمة "المحتشمة" الموجودة عندنا في الأسواق.',
     [("المحتشمة", "term")]),
    ("colloquialism", 'وإن تعذر على القناة الناقلة القيام بذلك فحتما سيكون شكله أكثر "شياكة" من استديوهات '
                      "الموسم الماضي.",
     [("شياكة", "term")]),
    # a one-word span needs its cue closer than a phrase does (alyaum-979)
    ("far-cue-one-word", 'وقال العقيد إن المركز يتبع خطوات محددة في حال وقوع حادث بحري، نقوم في بداية الأمر '
                         'بإصدار البلاغ "الأصفر" لتمرير إشعار أولي عن الحادث لجميع الجهات.',
     [("الأصفر", "term")]),
    # names: after a head noun and its genitive or adjectives, whatever verb stands near (aawsat-135, -168)
    ("head-noun", "وأشار اسدروال أوليفيروس مدير مكتب «ايكواناليتيكا»، إلى أنه إذا بلغ سعر البرميل 47 دولارا.",
     [("ايكواناليتيكا", "name")]),
    ("agency-acronym", "ودعا الوزير في مقال نشر بوكالة الأنباء الإماراتية «وام» إلى مضاعفة الجهود.",
     [("وام", "name")]),
    ("place-noun", 'كما قالت المصادر، إن المقاومة الشعبية سيطرت على جبل "منيف" القريب من قاعدة العند.',
     [("منيف", "name")]),
    # an outlet before its nationality, and one joined to it by و (alweeam-949)
    ("nisba-and-joined", "والصحف التي نشرت المقال هي: ”الشروق” المصرية و”الرأي” الكويتية.",
     [("الشروق", "name"), ("الرأي", "name")]),
    # a name the writer also uses without marks (almadina-511)
    ("used-unmarked", "ولا توجد حاليا فرصة تتناسب مع سابك. وأوضح البنيان، أن «سابك» لن تدخل في التنقيب.",
     [("سابك", "name")]),
    # the outlet opening its sentence as the subject of a verb (alyaum-979)
    ("outlet-subject", '"اليوم" انتقلت ميدانيا الى المركز لرصد تفاصيل العمل.', [("اليوم", "name")]),
    ("speaker-after", '"لن نتراجع" قالت الوزيرة للصحفيين أمس.', [("لن نتراجع", "speech")]),
    # chants after a noun of chanting, joined by و (alweeam-1633); a chant with a verb of saying stays
    ("chants", "وقال خامنئي في خطاب تخللته هتافات المصلين “الموت لأمريكا” و“الموت لإسرائيل” إن سياسات "
               "الولايات المتحدة تختلف “180 درجة” مع سياسات إيران.",
     [("الموت لأمريكا", "term"), ("الموت لإسرائيل", "term"), ("180 درجة", "phrase")]),
    # the subject of أن described by a relative clause (alweeam-1819); `كل ما ذكر` is nobody's saying
    ("subject-with-relative", "وشدد الصيني على أن «الإنترنت» والتي ظهرت في عام 2000م جعلت الناس يتواصلون.",
     [("الإنترنت", "name")]),
    ("what-was-said", 'وكل ما ذكر ما هي إلا "خزعبلات" لن يكون لها أي أساس من الصحة.', [("خزعبلات", "term")]),
    # a span in a clause of أن belongs to the verb that governs the clause, however long its subject;
    # the outlet given the interview is a name (sample of snn-3000)
    ("long-clause", "وأكد اناستاسيادس في لقاء خص به «الشرق الأوسط» في القصر الجمهوري في العاصمة نيقوسيا، أن "
                    "عملية المفاوضات الجديدة التي بدأت الربيع الماضي «تسير على طريقها الصحيح».",
     [("الشرق الأوسط", "name"), ("تسير على طريقها الصحيح", "phrase")]),
    # a long span opening with a naming noun, with no particle and nothing handing over to it (almadina-590)
    ("long-name", "وقال المعلم في كلمة ألقاها خلال «المؤتمر الإعلامي الدولي لمواجهة الارهاب التكفيري» الذي "
                  "عقد في دمشق إن الاتفاق يقوي سوريا.",
     [("المؤتمر الإعلامي الدولي لمواجهة الارهاب التكفيري", "title")]),
    # a title after a work noun with a possessive (arriyadiyah-1325)
    ("possessive-work", 'وقالت: "لقد استمتعت بالعمل معهم، وخاصة في فيديو كليب أغنيتي "تعبت منك"، ولطالما '
                        'أعجبني التزام الشركة".',
     [('لقد استمتعت بالعمل معهم، وخاصة في فيديو كليب أغنيتي "تعبت منك"، ولطالما أعجبني التزام الشركة', "speech"),
      ("تعبت منك", "title")]),
    # a straight mark opening inside a straight quotation nests a name (aleqtisadiya-224)
    ("nested-straight", 'وأضاف أنه "حتى إن خفضت "أوبك" الإنتاج بمقدار مليوني برميل يوميا فإن ذلك لن يدعم الأسعار".',
     [('حتى إن خفضت "أوبك" الإنتاج بمقدار مليوني برميل يوميا فإن ذلك لن يدعم الأسعار', "speech"),
      ("أوبك", "nested")]),  # a name, but met once and inside a quotation nothing tells it from a word
]


@pytest.mark.parametrize(("label", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_kinds(label: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_a_phrase_repeated_later_in_marks_is_the_phrase_again():
    # alweeam-1819: the writer's closing line repeats «شرهة», which the speaker said first
    text = ("وأكد الصيني أن الإعلام مسؤولية، معلقا على أن الوطنية ليست «شرهة» تمنح، إنما عمل جاد.\n"
            "الوطنية ليست «شرهة» توزع")
    assert kinds(text) == [("شرهة", "phrase"), ("شرهة", "phrase")]


def test_tatweel_as_dash_inside_a_span():
    # snn-3000 (10 articles) and snn-okaz-2015-07-25-1353 crashed here: a tatweel standing alone as a
    # dash folds to nothing
    assert kinds("انطلاق «هافينغتون بوست ـ عربي» اليوم من لندن.") == [("هافينغتون بوست ـ عربي", "name")]


def test_marks_around_punctuation_only():
    # snn-3000 (6 articles) crashed here once kinds looked at a span's first word: a stray opening mark
    # before the full stop that ends a paragraph holds no word
    text = ("وقال : ” إن المؤسسة تعتز بهذه الثقة الكبيرة من وزارة الداخلية، مبينا أن المؤسسة تعد الجميع "
            "بتكرار النجاح السابق بإذن الله تعالى “.\nوأكد المهندس أن الخدمات متاحة.")
    assert kinds(text) == [("إن المؤسسة تعتز بهذه الثقة الكبيرة من وزارة الداخلية", "speech"), (".", "term")]


def test_an_opening_mark_typed_for_the_closing_one_of_a_name():
    # alweeam-949: no mark closes anything in the paragraph, so the second “ closes «العالم»
    text = "وقال عبد اللهيان في تصريحات لقناة “العالم “الإيرانية نشرت اليوم استعداد إيران للتعاون مع السعودية."
    assert kinds(text) == [("العالم", "name")]


def test_a_quotation_opening_after_a_full_stop_inside_another_is_the_next_one():
    # alweeam-1633: news-agency style, the first quotation is left open where the second opens
    text = ("وقال نتنياهو في بداية الاجتماع الأسبوعي لحكومته “لو اعتقد أحد أن التنازلات الهائلة ستأتي بتغيير في "
            "سياستها جاءتهم إجابة حاسمة في خطاب خامنئي. “لم يبذل الإيرانيون أي جهد لإخفاء حقيقة نواياهم.” "
            "وقال خامنئي إن إيران لن تتغير.")
    assert kinds(text) == [
        ("لو اعتقد أحد أن التنازلات الهائلة ستأتي بتغيير في سياستها جاءتهم إجابة حاسمة في خطاب خامنئي.", "speech"),
        ("لم يبذل الإيرانيون أي جهد لإخفاء حقيقة نواياهم.", "speech")]


def test_a_missing_opening_mark_after_a_participle_and_a_mistyped_one_after_a_verb():
    # sabq-2061: the quotation starts after the first أن the participle hands over to; abnudi (snn-3000):
    # a mark right after وتابع opens the next quotation and closes nothing
    text = ('وأوضح الحميدي أن العمل اكتمل، مشيراً إلى أن الأغطية تتعرض للسرقة بشكل مستمر؛ نظراً لأن الخط يمر '
            'بعيدًا عن المدينة". وقال الأبنودي، إن محمود درويش أهم شاعر عربي. وتابع" انا من عشاق درويش".')
    assert kinds(text) == [
        ("الأغطية تتعرض للسرقة بشكل مستمر؛ نظراً لأن الخط يمر بعيدًا عن المدينة", "speech"),
        ("انا من عشاق درويش", "speech")]
