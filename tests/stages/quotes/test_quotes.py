"""The quotes stage: mark pairing (broken marks too), kinds, speakers, and the gold files end to end."""

from __future__ import annotations

import json

import pytest

from eval.quotes import BAR_F1, HELDOUT, compare, meets_bar, run_pipeline
from pipeline.arabic import fold
from pipeline.document import Document
from pipeline.stages.normalize import Normalize
from pipeline.stages.quotes import Quotes
from pipeline.stages.segment import Segment
from tests.conftest import GOLD, SAMPLES


def analyse(text: str, **settings) -> Document:
    doc = Document(text=text)
    return Quotes(**settings)(Segment()(Normalize(strip_boilerplate=False)(doc)))


def found(text: str) -> list[tuple[str, str, str | None]]:
    """(text, kind, speaker name) of every span in marks, in order."""
    return [(q.text, q.kind, q.speaker.name if q.speaker else None) for q in analyse(text).quotes]


# Each case: a label, a short text, and every span in marks as (text, kind, speaker).
CASES = [
    # speech, and who said it: verb before, title + name, surname, after the quotation
    ("verb-title-name", 'قال وزير الخارجية الأردني أيمن الصفدي إن "الأردن لن يقبل بأي حل على حساب الفلسطينيين".',
     [("الأردن لن يقبل بأي حل على حساب الفلسطينيين", "speech", "أيمن الصفدي")]),
    ("surname-from-earlier", 'التقى وزير الخارجية أيمن الصفدي نظيره. وأضاف الصفدي: "نحن نعمل مع شركائنا لوقف التصعيد".',
     [("نحن نعمل مع شركائنا لوقف التصعيد", "speech", "أيمن الصفدي")]),
    ("speaker-after-quote", '"الوضع خطير جدا ويتطلب تحركا عاجلا"، قال المتحدث باسم الأمم المتحدة ستيفان دوجاريك.',
     [("الوضع خطير جدا ويتطلب تحركا عاجلا", "speech", "ستيفان دوجاريك")]),
    ("title-with-li-genitive", 'وقال الأمين العام للأمم المتحدة أنطونيو غوتيريش، في مؤتمر صحفي، إن "العالم يواجه أزمة غير مسبوقة".',
     [("العالم يواجه أزمة غير مسبوقة", "speech", "أنطونيو غوتيريش")]),
    ("name-in-brackets", 'وقال القيادي في الحركة (أبو محمد الجولاني) في تسجيل إن "المعركة مستمرة حتى النهاية".',
     [("المعركة مستمرة حتى النهاية", "speech", "أبو محمد الجولاني")]),
    ("subject-before-verb", 'والشخص الذي أجاب على الهاتف قال: "لا تعليق لدينا على هذه المسألة".',
     [("لا تعليق لدينا على هذه المسألة", "speech", "الشخص الذي أجاب على الهاتف")]),
    ("reported-with-qawlahu", 'ونقلت وكالة الأنباء الرسمية عن الملك سلمان قوله: "المملكة ماضية في طريق الإصلاح".',
     [("المملكة ماضية في طريق الإصلاح", "speech", "سلمان")]),
    ("according-to", 'وبحسب البيان، فإن "الاجتماع ناقش قضايا عدة تهم البلدين".',
     [("الاجتماع ناقش قضايا عدة تهم البلدين", "speech", "البيان")]),
    ("name-before-colon", 'من جديد تتأكد مقولة رئيس الحكومة البريطانية، ونستون تشرشل: «لا توجد صداقات دائمة في السياسة».',
     [("لا توجد صداقات دائمة في السياسة", "speech", "ونستون تشرشل")]),
    # dropped subjects, participles, definite mentions resolved to the fullest name
    ("dropped-subject", 'أعلن وزير الدفاع بن والاس سحب قواته. وقال في تصريح صحفي، إن "القوات تعود إلى بلادها قريبا جدا".',
     [("القوات تعود إلى بلادها قريبا جدا", "speech", "بن والاس")]),
    ("definite-body", 'وكانت خلية الاعلام الامني قد اعلنت الخبر. وذكرت الخلية في بيان ان "القوات تسلمت القاعدة العسكرية".',
     [("القوات تسلمت القاعدة العسكرية", "speech", "خلية الاعلام الامني")]),
    ("participle", 'قال المتحدث مايلز كاغينز إن "القوات باقية في العراق"، مشيراً الى ان "التدريب سيستأنف قريبا جدا".',
     [("القوات باقية في العراق", "speech", "مايلز كاغينز"),
      ("التدريب سيستأنف قريبا جدا", "speech", "مايلز كاغينز")]),
    ("surname-from-later", 'وقال نتنياهو: "سنواصل الحرب حتى النهاية". وكان رئيس الوزراء بنيامين نتنياهو قد أعلن خطة.',
     [("سنواصل الحرب حتى النهاية", "speech", "بنيامين نتنياهو")]),
    ("definite-title", 'نفى مسؤول سعودي رفيع المستوى "بشكل قاطع" الخبر. وقال المسؤول السعودي: "ننفي أي تورط في الحادث".',
     [("بشكل قاطع", "phrase", "مسؤول سعودي رفيع المستوى"),
      ("ننفي أي تورط في الحادث", "speech", "مسؤول سعودي رفيع المستوى")]),
    ("relative-antecedent", 'صوت المجلس على القرار الأممي الجديد الذي عدل مرات، ويطالب "كل الأطراف بوقف فوري للأعمال الحربية".',
     [("كل الأطراف بوقف فوري للأعمال الحربية", "speech", "القرار الأممي الجديد")]),
    ("body-from-its-short-form", 'وقالت وزارة الخارجية الروسية، في بيان، إن "موسكو سترد". وأضافت الخارجية أن "الرد سيكون حاسما".',
     [("موسكو سترد", "speech", "وزارة الخارجية الروسية"), ("الرد سيكون حاسما", "speech", "وزارة الخارجية الروسية")]),
    ("long-name-with-links", 'قال وزير الخارجية محمد بن عبد الرحمن آل ثاني إن "الوساطة مستمرة رغم كل العقبات".',
     [("الوساطة مستمرة رغم كل العقبات", "speech", "محمد بن عبد الرحمن آل ثاني")]),
    ("title-through-genitive", 'وأعرب الأمين العام لجامعة الدول العربية أحمد أبو الغيط عن "قلقه البالغ" إزاء التطورات.',
     [("قلقه البالغ", "phrase", "أحمد أبو الغيط")]),
    ("name-then-object", 'أعلن وزير الدفاع بن والاس سحب قواته. وتابع: "القوات تعود إلى بلادها قريبا جدا".',
     [("القوات تعود إلى بلادها قريبا جدا", "speech", "بن والاس")]),
    ("split-around-speaker", '«نحن لا نريد الحرب»، يقول أحد السكان، «لكننا لن نترك أرضنا».',
     [("نحن لا نريد الحرب", "speech", "أحد السكان"), ("لكننا لن نترك أرضنا", "speech", "أحد السكان")]),
    # phrases: short characterizations, whose speaker is the subject of the clause
    ("phrase-participle", 'وكانت كتائب حزب الله قد جددت تهديدها، واصفة الانسحاب بانه “هروب مذل”.',
     [("هروب مذل", "phrase", "كتائب حزب الله")]),
    ("phrase-plural-subject", 'ووصف المعارضون الاتفاق بأنه "صفقة خاسرة".', [("صفقة خاسرة", "phrase", "المعارضون")]),
    ("phrase-svo", 'حيث أن النظام السوري يعتبر الفصائل "إرهابية" كما لفت مراقبون.', [("إرهابية", "phrase", "النظام السوري")]),
    # names and titles in marks: not quotations
    ("outlet-after-read-verb", 'وقال المتحدث في تصريح صحفي، اطلع "ناس" عليه، إن "القوات باقية في البلاد".',
     [("ناس", "name", None), ("القوات باقية في البلاد", "speech", "المتحدث")]),
    ("outlet-and-surname", 'كشف الوزير عبده الحذيفي لـ «عكاظ» أن الوضع تحسن. وقال «الحذيفي»: «المقاومة ضبطت أجهزة تنصت كثيرة».',
     [("عكاظ", "name", None), ("الحذيفي", "name", None),
      ("المقاومة ضبطت أجهزة تنصت كثيرة", "speech", "عبده الحذيفي")]),
    ("title-for-person", 'قال وزير الداخلية اليمني عبده الحذيفي إن الوضع تحسن. وقال «المسؤول اليمني»: «لا أستطيع أن أتحدث عنها الآن».',
     [("المسؤول اليمني", "title", None), ("لا أستطيع أن أتحدث عنها الآن", "speech", "عبده الحذيفي")]),
    ("newspaper", 'ذكرت صحيفة «الشرق الأوسط» أن المفاوضات متعثرة.', [("الشرق الأوسط", "name", None)]),
    ("movement", 'أعلنت حركة "حماس" رفضها للمبادرة.', [("حماس", "name", None)]),
    ("body-as-subject", 'أعلنت "هيئة تحرير الشام" مسؤوليتها عن الهجوم.', [("هيئة تحرير الشام", "name", None)]),
    ("person-name", 'رفض الإفراج عن شقيق زعيم المتمردين «عبدالخالق الحوثي» في عدن.', [("عبدالخالق الحوثي", "name", None)]),
    ("operation-title", 'بدأ التدريب العسكري المشترك "تبوك – 4" أمس.', [("تبوك – 4", "title", None)]),
    ("latin-name", 'وقال خلال لقاء مع “966 Podcast” إن "المصالح مشتركة بين البلدين في المنطقة".',
     [("966 Podcast", "name", None), ("المصالح مشتركة بين البلدين في المنطقة", "speech", None)]),
    ("three-word-name", 'كشف مدير المركز اللواء محمد مجاهد الزيات، أمس، الخبر. ولفت الزيات إلى أن "القرار لم يصدر بعد".',
     [("القرار لم يصدر بعد", "speech", "محمد مجاهد الزيات")]),
    ("outlets-after-according-to", 'وقتل ثلاثة بحسب «رويترز». وقال مسؤول نقلا عن «سانا» إن "الجيش تقدم في المنطقة".',
     [("رويترز", "name", None), ("سانا", "name", None), ("الجيش تقدم في المنطقة", "speech", "مسؤول")]),
    ("long-title-of-a-work", 'وأصدر كتابا بعنوان "الطريق إلى السلام في الشرق الأوسط الجديد" العام الماضي.',
     [("الطريق إلى السلام في الشرق الأوسط الجديد", "title", None)]),
    ("members-of-a-group", 'وقتل عشرات من مقاتلي «داعش» في الغارات الأخيرة.', [("داعش", "name", None)]),
    ("outlet-glued-to-li", 'وقال مصدر حكومي لـ«الشرق الأوسط» إن «الحكومة تدرس خيارات عدة للتعامل مع الأزمة».',
     [("الشرق الأوسط", "name", None), ("الحكومة تدرس خيارات عدة للتعامل مع الأزمة", "speech", "مصدر حكومي")]),
    ("designation", 'وتحدث الرئيس عما يعرف بـ"صفقة القرن" في خطابه.', [("صفقة القرن", "title", None)]),
    # nested quotations take their parent's speaker
    ("nested", 'وقال الرئيس قيس سعيد: «لقد قلنا لهم "لا" بوضوح ولن نتراجع عن موقفنا».',
     [('لقد قلنا لهم "لا" بوضوح ولن نتراجع عن موقفنا', "speech", "قيس سعيد"), ("لا", "nested", "قيس سعيد")]),
    # -- found on the held-out texts (tests/heldout-quotes), one case per bug fixed --
    # titles that name a person: professions, feminine titles, a title with a prepositional phrase
    ("profession-title", 'وقال المهندس كمال الزواري: "المدينة تغرق في النفايات منذ سنوات".',
     [("المدينة تغرق في النفايات منذ سنوات", "speech", "كمال الزواري")]),
    ("feminine-title-later", 'قالت المحامية سنية بن عمر إن "المجلس فشل في كل الملفات". ووصفت المحامية هذا الوعد بأنه "حلم انتخابي".',
     [("المجلس فشل في كل الملفات", "speech", "سنية بن عمر"), ("حلم انتخابي", "phrase", "سنية بن عمر")]),
    ("unnamed-source-in-body", 'وقال مصدر في الحكومة السودانية، طلب عدم ذكر اسمه، إن الحكومة «لا تعرقل مرور أي قافلة».',
     [("لا تعرقل مرور أي قافلة", "speech", "مصدر في الحكومة السودانية")]),
    ("title-for-a-place", 'وكتب النائب عن بيروت رامي عيتاني: «من يحتكر الطحين معروف بالاسم».',
     [("من يحتكر الطحين معروف بالاسم", "speech", "رامي عيتاني")]),
    ("title-in-a-body", 'قال النائب في البرلمان المصري محمود الشاذلي إن "القرار ظالم للمواطنين".',
     [("القرار ظالم للمواطنين", "speech", "محمود الشاذلي")]),
    ("abbreviated-title", 'كما قال أستاذي الراحل د. منذر حدادين: "الماء لا يعرف الحدود السياسية".',
     [("الماء لا يعرف الحدود السياسية", "speech", "منذر حدادين")]),
    ("nationality-before-name", 'أكد مدرب الفريق، البرتغالي جورجي سانتوس، أن فريقه «لن يفرّط في الصدارة مهما كانت الظروف».',
     [("لن يفرّط في الصدارة مهما كانت الظروف", "speech", "جورجي سانتوس")]),
    ("person-after-long-title", 'وقال مدير مستشفى الأميرة بسمة، الدكتور عمر الخصاونة، إن الطواقم "عملت على مدار الساعة".',
     [("عملت على مدار الساعة", "phrase", "عمر الخصاونة")]),
    ("name-starting-with-lam", 'وصرّحت المحامية ليلى بن سالم، عضو هيئة الدفاع، لإذاعة «موزاييك»: "لم يُسمح لنا بالاطلاع على الملف".',
     [("موزاييك", "name", None), ("لم يُسمح لنا بالاطلاع على الملف", "speech", "ليلى بن سالم")]),
    ("compound-first-name", 'أما الخبير الدكتور حسام الدين فوزي فيرى أن الزيادة "منطقية من الناحية الاقتصادية".',
     [("منطقية من الناحية الاقتصادية", "phrase", "حسام الدين فوزي")]),
    ("surname-that-is-a-title", 'التقت "الغد" الدكتور سامر الخطيب. وقال الخطيب: "الأزمة ليست قدرا على الإطلاق".',
     [("الغد", "name", None), ("الأزمة ليست قدرا على الإطلاق", "speech", "سامر الخطيب")]),
    ("named-as", 'وأكدت إحدى المشاركات، وهي معلمة تدعى سهى الحاج، أن "الراتب لم يعد يكفي لشراء الخبز".',
     [("الراتب لم يعد يكفي لشراء الخبز", "speech", "سهى الحاج")]),
    ("family-name-with-al-abd", 'وأوضح المتحدث الرسمي لوزارة الصحة محمد العبد العالي أن "الحالات في تراجع مستمر".',
     [("الحالات في تراجع مستمر", "speech", "محمد العبد العالي")]),
    ("counterpart-with-possessive", 'وقالت نظيرته الألمانية أنالينا بيربوك إن "أوروبا موحدة في موقفها".',
     [("أوروبا موحدة في موقفها", "speech", "أنالينا بيربوك")]),
    ("unlisted-verb-then-participle", 'ورد المتحدث باسم الخارجية الإيرانية ناصر كنعاني قائلا إن "هذه الاتهامات لا أساس لها".',
     [("هذه الاتهامات لا أساس لها", "speech", "ناصر كنعاني")]),
    ("adverb-after-subject", '«لن نتراجع»، قالها الرئيس بحزم أمام البرلمان.', [("لن نتراجع", "speech", "الرئيس")]),
    ("shared-title-latest", 'قال مدرب النصر لوكا ماريني إن "الفريق جاهز للمباراة". وقال مدرب الهلال جورجي سانتوس إن "الفوز هو الهدف". وأضاف المدرب: "نحترم المنافس كثيرا".',
     [("الفريق جاهز للمباراة", "speech", "لوكا ماريني"), ("الفوز هو الهدف", "speech", "جورجي سانتوس"),
      ("نحترم المنافس كثيرا", "speech", "جورجي سانتوس")]),
    # how the speaker is attached: after the quotation, before a colon, fronted, passive, reported
    ("according-to-what-was-said", '"الزيادة ضرورية للحفاظ على الخدمة"، بحسب ما قاله المتحدث باسم الهيئة أحمد عبد الهادي.',
     [("الزيادة ضرورية للحفاظ على الخدمة", "speech", "أحمد عبد الهادي")]),
    ("thus-commented", '"لن نسمح بأن يدفع المواطن الثمن"، هكذا علّق النائب محمود الشاذلي على القرار.',
     [("لن نسمح بأن يدفع المواطن الثمن", "speech", "محمود الشاذلي")]),
    ("reported-with-aside", 'ونُقل عن مصدر أمني مطلع، رفض الكشف عن اسمه، قوله إن "التحقيقات مستمرة في القضية".',
     [("التحقيقات مستمرة في القضية", "phrase", "مصدر أمني مطلع")]),
    ("topic-with-amma", 'أما رئيسة المهرجان، الدكتورة نجوى الرياحي، فقالت للصحفيين: ‹نريد مهرجانا للجمهور لا للنجوم›.',
     [("نريد مهرجانا للجمهور لا للنجوم", "speech", "نجوى الرياحي")]),
    ("according-to-a-ministry", 'أعلنت وزارة الداخلية الكويتية ضبط شبكة. وبحسب الوزارة، فإن "عدد القضايا تجاوز 1300 قضية".',
     [("عدد القضايا تجاوز 1300 قضية", "speech", "وزارة الداخلية الكويتية")]),
    ("publisher-is-not-speaker", 'وقالت وزارة الداخلية في بيان، نشرته وكالة الأنباء الرسمية: "تمكنت الأجهزة من إحباط المخطط".',
     [("تمكنت الأجهزة من إحباط المخطط", "speech", "وزارة الداخلية")]),
    ("kana-qad-with-named-body", 'وكانت منظمة "أنا يقظ" قد وصفت القضية بأنها "نموذج لتغلغل الفساد".',
     [("أنا يقظ", "name", None), ("نموذج لتغلغل الفساد", "phrase", "أنا يقظ")]),
    ("verb-with-object-pronoun", 'وكانت قوات الدعم السريع قد نفت الاتهامات، ووصفتها بأنها «أكاذيب مفضوحة».',
     [("أكاذيب مفضوحة", "phrase", "قوات الدعم السريع")]),
    ("object-after-subject", 'قالت وزيرة الصحة نادية بنعلي إن "الإصلاح مستمر". وختمت الوزيرة حديثها بالقول: «الصحة استثمار في الإنسان».',
     [("الإصلاح مستمر", "speech", "نادية بنعلي"), ("الصحة استثمار في الإنسان", "speech", "نادية بنعلي")]),
    ("rumour-is-not-the-deniers", 'وبشأن ما تداولته مواقع التواصل الاجتماعي عن "انسحاب مفاجئ"، قال اللواء سعد العبيدي إن الأنباء «عارية عن الصحة تماماً».',
     [("انسحاب مفاجئ", "phrase", "مواقع التواصل الاجتماعي"), ("عارية عن الصحة تماماً", "phrase", "سعد العبيدي")]),
    ("statement-issued-by", 'أعلنت وزارة الداخلية ضبط شبكة. وجاء في بيان صادر عن الوزارة أن "التحقيقات مستمرة مع المتهمين".',
     [("التحقيقات مستمرة مع المتهمين", "phrase", "وزارة الداخلية")]),
    ("it-came-in-the-statement", 'وجاء في البيان: "تمكنت الأجهزة من ضبط الخلية".', [("تمكنت الأجهزة من ضبط الخلية", "speech", "البيان")]),
    ("on-the-tongue-of", 'وجاء على لسان المتحدث باسم الجيش أن "العمليات ستتواصل حتى تحقيق الأهداف".',
     [("العمليات ستتواصل حتى تحقيق الأهداف", "speech", "المتحدث باسم الجيش")]),
    ("reporter-in-an-aside", 'وأكد البيان، وفق ما نقلته وكالة الأنباء الرسمية، أن "الحكومة ملتزمة بتعهداتها".',
     [("الحكومة ملتزمة بتعهداتها", "speech", "البيان")]),
    ("according-to-wafqan", 'وقال الوزير، وفقا لـ«رويترز»، إن "الوضع خطير جدا الآن".',
     [("رويترز", "name", None), ("الوضع خطير جدا الآن", "speech", "الوزير")]),
    ("kunya-umm", 'وتقول أم محمد، وهي نازحة من الشمال: "فقدنا كل شيء ولم يبق لنا إلا الأمل".',
     [("فقدنا كل شيء ولم يبق لنا إلا الأمل", "speech", "أم محمد")]),
    ("pledge-verb", 'وتعهد الرئيس بـ"محاسبة كل من تورط في الفساد".', [("محاسبة كل من تورط في الفساد", "speech", "الرئيس")]),
    ("object-after-a-title", 'وهاجم الرئيس المعارضة، واصفا إياها بـ"الخائنة".', [("الخائنة", "phrase", "الرئيس")]),
    ("chants-and-passive-banner", 'وردد المحتجون هتافات منها "الخبز خط أحمر"، ورفعوا لافتات كُتب على إحداها: «جوّعتونا... ارحلوا».',
     [("الخبز خط أحمر", "phrase", "المحتجون"), ("جوّعتونا... ارحلوا", "speech", "المحتجون")]),
    # dropped subjects agree with their verb; an answer is not the asker's
    ("feminine-dropped-subject", 'فردّت سنية بن عمر: "هذا غير صحيح". وردّ المهندس كمال الزواري: "المدينة ليست بخير"، فقالت: "لم أقل ذلك أبداً".',
     [("هذا غير صحيح", "speech", "سنية بن عمر"), ("المدينة ليست بخير", "speech", "كمال الزواري"),
      ("لم أقل ذلك أبداً", "speech", "سنية بن عمر")]),
    ("participle-of-unlisted-verb", 'وقالت المحامية سنية بن عمر إن "المجلس فشل". لكن بن عمر قاطعته قائلةً: "محاضر الجلسات منشورة للجميع".',
     [("المجلس فشل", "speech", "سنية بن عمر"), ("محاضر الجلسات منشورة للجميع", "speech", "سنية بن عمر")]),
    ("while-conjunction", 'فأجاب المهندس كمال الزواري: "النظافة أولا"، بينما قالت المحامية سنية بن عمر: "الشفافية قبل كل شيء".',
     [("النظافة أولا", "speech", "كمال الزواري"), ("الشفافية قبل كل شيء", "speech", "سنية بن عمر")]),
    ("plural-dropped-subject", 'أطلق ناشطون وسما على مواقع التواصل، وقالوا إن "المعركة لن تتوقف عند الخبز".',
     [("المعركة لن تتوقف عند الخبز", "speech", "ناشطون")]),
    ("broken-plural-dropped-subject", 'وقال السكان إن "المياه مقطوعة منذ أسبوع". وأضافوا: "لا أحد يسأل عنا أبدا".',
     [("المياه مقطوعة منذ أسبوع", "speech", "السكان"), ("لا أحد يسأل عنا أبدا", "speech", "السكان")]),
    ("plural-of-a-listed-verb", 'وقال الأهالي للصحفيين: "نريد حلا سريعا". وتابعوا: "الوضع لم يعد يحتمل".',
     [("نريد حلا سريعا", "speech", "الأهالي"), ("الوضع لم يعد يحتمل", "speech", "الأهالي")]),
    ("addressee-is-not-subject", 'وقال الوزير للصحفيين إن "الوضع تحت السيطرة الكاملة".',
     [("الوضع تحت السيطرة الكاملة", "speech", "الوزير")]),
    ("answer-is-not-the-asker", 'وقال العميد سعد العبيدي إن "العملية مستمرة". وسأله أحد الصحفيين: «هل هناك دعم جوي؟»، فأجاب: «العملية عراقية خالصة».',
     [("العملية مستمرة", "speech", "سعد العبيدي"), ("هل هناك دعم جوي؟", "speech", "أحد الصحفيين"),
      ("العملية عراقية خالصة", "speech", "سعد العبيدي")]),
    ("interview-answer-and-question", 'التقت الصحيفة الخبير الدكتور سامر الخطيب.\nس: هل الوضع "تحت السيطرة"؟\nج: نحن نسمي ما يحدث "عطشاً صامتاً".',
     # the question is the writer's voice: its scare quote is nobody's quotation (ANNOTATION.md)
     [("تحت السيطرة", "term", None), ("عطشاً صامتاً", "phrase", "سامر الخطيب")]),
    # names and titles in marks
    ("name-after-title", 'وتحضر الممثلة «سلمى الحداد» حفل الاختتام.', [("سلمى الحداد", "name", None)]),
    ("words-after-a-title-not-a-name", 'وفي رسالة للرئيس "لن نتراجع" كتبها المتظاهرون على الجدران.',
     [("لن نتراجع", "phrase", "المتظاهرون")]),
    ("platform-after-account", 'وكتب على صفحته في "فيسبوك": «على القضاء أن يتحرك فوراً».',
     [("فيسبوك", "name", None), ("على القضاء أن يتحرك فوراً", "speech", None)]),
    ("outlet-as-subject-and-predicate", 'فيما اعتبرت صحيفة ‹الصباح› أن المهرجان “استعاد روحه” بعد دورتين.',
     [("الصباح", "name", None), ("استعاد روحه", "phrase", "الصباح")]),
    ("apostrophes-as-marks", "بينها الفيلم المصري ''على حافة النيل'' والفيلم الفلسطيني.", [("على حافة النيل", "title", None)]),
]


@pytest.mark.parametrize(("label", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_cases(label: str, text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert found(text) == expected


# Broken marks: (label, text, quotation texts, problems of each)
BROKEN = [
    # a reversed opening mark, with a nested quotation inside
    ("reversed-open-with-nested", 'وقال الوزير إن ” القوات تعود بسبب “تعليق” البرنامج الدولي”.',
     ["القوات تعود بسبب “تعليق” البرنامج الدولي", "تعليق"], [["reversed-open"], []]),
    # reversed guillemets
    ("reversed-guillemets", "وقال الوزير »نحن مستعدون للحوار مع الجميع«.", ["نحن مستعدون للحوار مع الجميع"],
     [["reversed-open", "reversed-close"]]),
    # never closed: ends with the paragraph, not in the next one
    ("unclosed-at-paragraph-end", 'وقال الوزير: "سنواصل العمل حتى النهاية\nوفي سياق آخر، ارتفعت أسعار النفط.',
     ["سنواصل العمل حتى النهاية"], [["unclosed"]]),
    # never closed: ends where the reporting resumes
    ("unclosed-before-reporting", "وقال: «هناك طائرة وصلت أمس وينقصنا بعض الإجراءات، مبينا أن هناك سفينتين وصلتا الميناء.",
     ["هناك طائرة وصلت أمس وينقصنا بعض الإجراءات"], [["unclosed"]]),
    # never closed before the next quotation opens
    ("unclosed-before-next-quotation", 'وقال الوزير "نعم سنفعل ذلك قريبا وأضاف "لن نتراجع عن قرارنا أبدا".',
     ["نعم سنفعل ذلك قريبا", "لن نتراجع عن قرارنا أبدا"], [["unclosed"], []]),
    # a mark glued to the colon opens; one standing alone at the paragraph's end closes, across a line
    ("paragraph-end-floating-close", 'وقال بلينكن :" تؤلمني مشاهد أطفال غزة\nونحن قلقون من تصاعد العنف ".',
     ["تؤلمني مشاهد أطفال غزة\nونحن قلقون من تصاعد العنف"], [[]]),
    # opened with one kind of mark, closed with another
    ("mismatched-marks", 'وقال دوجاريك: “لقد اطلعنا على التقارير. نحن قلقون للغاية."', ["لقد اطلعنا على التقارير. نحن قلقون للغاية."],
     [["mismatched-marks"]]),
    # a closing mark with no opening one swallows nothing
    # the opening mark missing: the quotation starts where the verb of saying hands over (ANNOTATION.md)
    ("stray-close", 'أكد الوزير أن الحكومة ماضية في خطتها". وقال رئيس الوزراء إن "الإصلاحات مستمرة رغم الصعوبات".',
     ["الحكومة ماضية في خطتها", "الإصلاحات مستمرة رغم الصعوبات"], [["missing-open"], []]),
    # a statement over paragraphs that names something in marks goes on past that paragraph
    ("statement-with-a-name-inside", 'وجاء في البيان: "ضبطت الأجهزة الخلية.\nوتبين ارتباطها بتنظيم "داعش" الإرهابي.\nوأحيلوا إلى النيابة".',
     ['ضبطت الأجهزة الخلية.\nوتبين ارتباطها بتنظيم "داعش" الإرهابي.\nوأحيلوا إلى النيابة'], [[]]),
    ("continued-statement-with-a-name-inside", 'وجاء في البيان: «ضبطت الأجهزة الخلية.\n«وتبين ارتباطها بتنظيم «داعش» الإرهابي.\n«وأحيلوا إلى النيابة».',
     ['ضبطت الأجهزة الخلية.\n«وتبين ارتباطها بتنظيم «داعش» الإرهابي.\n«وأحيلوا إلى النيابة'], [[]]),
    # an unclosed quotation is not continued by a paragraph in the writer's voice
    ("unclosed-then-reporting-paragraph", 'وقال الوزير: "سنواصل العمل\nوقال رئيس الوزراء إن "الإصلاحات مستمرة".',
     ["سنواصل العمل", "الإصلاحات مستمرة"], [["unclosed"], []]),
    # an unclosed quotation is not continued by the next paragraph's quotation with its own speaker
    ("unclosed-then-attributed-quotation", 'وقال الوزير: «سنواصل العمل\n«المعركة طويلة جدا»، قال قائد الجيش.',
     ["سنواصل العمل", "المعركة طويلة جدا"], [["unclosed"], []]),
    # never closed, then a new quotation opens after the writer's words resume
    ("unclosed-then-reporting-then-pair", 'وأضاف الوزير: "لن نقبل بزيادة لا تتجاوز 3.5 في المئة، مؤكداً أن القرار "سيُتخذ بالإجماع" يوم الخميس.',
     ["لن نقبل بزيادة لا تتجاوز 3.5 في المئة", "سيُتخذ بالإجماع"], [["unclosed"], []]),
]


@pytest.mark.parametrize(("label", "text", "texts", "problems"), BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_marks(label: str, text: str, texts: list[str], problems: list[list[str]]) -> None:
    quotes = [q for q in analyse(text).quotes if q.is_quotation]
    assert [q.text for q in quotes] == texts
    assert [q.problems for q in quotes] == problems


def test_stray_and_unclosed_marks_are_flagged_on_their_sentence() -> None:
    doc = analyse('أكد الوزير أن الحكومة ماضية في خطتها". وقال الوزير: "سنواصل العمل')
    flags = [(s.id, f.rule, doc.text[f.span[0]:f.span[1]]) for s in doc.sentences for f in s.flags or []]
    assert flags == [("s1", "quote-marks", '"'), ("s2", "quote-marks", '"')]


def test_flags_can_be_turned_off() -> None:
    doc = analyse('أكد الوزير أن الحكومة ماضية في خطتها".', flag_problems=False)
    assert all(not s.flags for s in doc.sentences)


def test_statement_over_paragraphs_with_marks_only_at_its_ends() -> None:
    text = ('وقالت الوزارة في بيان: "تمكنت الأجهزة من إحباط المخطط.\nودلت التحريات على تورط الخلية.\n'
            'وتمت إحالة المتهمين إلى النيابة".\nوفي سياق آخر، ارتفعت الأسعار.')
    doc = analyse(text)
    [quote] = doc.quotes
    assert quote.text.endswith("إلى النيابة") and quote.problems == []
    assert quote.sentences == ["s1", "s2", "s3"] and quote.speaker.name == "الوزارة"


def test_statement_with_a_continuation_mark_on_each_paragraph() -> None:
    doc = analyse('وقال البيان: "الفقرة الأولى.\n"الفقرة الثانية.\n"الفقرة الثالثة".')
    assert [q.text for q in doc.quotes] == ['الفقرة الأولى.\n"الفقرة الثانية.\n"الفقرة الثالثة']


def test_offsets_sentences_and_json_round_trip() -> None:
    doc = run_pipeline(SAMPLES / "naas-coalition-bases.ar.txt")
    ids = {s.id for s in doc.sentences}
    for quote in doc.quotes:
        assert doc.text[quote.start:quote.end] == quote.text
        assert quote.sentence == quote.sentences[0] and set(quote.sentences) <= ids
        assert all(quote.id in doc.sentence(s).quotes for s in quote.sentences)
        if quote.speaker and quote.speaker.start is not None:
            assert doc.text[quote.speaker.start:quote.speaker.end] == quote.speaker.mention
    assert Document.from_json(doc.to_json()).to_dict()["quotes"] == doc.to_dict()["quotes"]


def test_no_marks_gives_an_empty_list() -> None:
    doc = analyse("انسحبت القوات من القاعدة. وقال المتحدث إن الأمر انتهى.")
    assert doc.quotes == [] and all(s.quotes == [] for s in doc.sentences)


def test_speech_verbs_are_settings() -> None:
    text = 'وغمغم الوزير عبده الحذيفي "لن نتراجع عن موقفنا مهما حدث".'
    assert analyse(text).quotes[0].speaker is None
    assert analyse(text, speech_verbs=["غمغم"]).quotes[0].speaker.name == "عبده الحذيفي"


GOLD_FILES = sorted(GOLD.glob("*.quotes.json"))


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=[p.name.split(".")[0] for p in GOLD_FILES])
def test_gold_file(gold_path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    doc = run_pipeline(SAMPLES / gold["article"])
    row = compare(gold_path.name.split(".")[0], gold, [q for q in doc.quotes if q.is_quotation])
    assert meets_bar(row), "\n".join(row.misses + row.names_as_quotes)
    names = {fold(t) for t in gold["not_quotes"]}
    assert {fold(q.text) for q in doc.quotes if q.kind in ("name", "title")} >= names


# The constructed held-out texts (tests/heldout-quotes/README.md): each is held to the same bar.
HELDOUT_FILES = sorted(HELDOUT.glob("*.quotes.json"))
# A miss a held-out file is known to have, and why; the test fails when it changes (fixed or not).
KNOWN_MISSES = {
    # أما المتهم فقال: the article never ties "the accused" to the businessman it named (منير الحاج)
    # by a title or an apposition, so the description is kept as it is rather than guessed.
    "court-tunis-verdict": ["speaker  أنا بريء، والتاريخ سيُنصفني: المتهم (gold منير الحاج)"],
}


@pytest.mark.parametrize("gold_path", HELDOUT_FILES, ids=[p.name.split(".")[0] for p in HELDOUT_FILES])
def test_heldout_file(gold_path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    name = gold_path.name.split(".")[0]
    doc = run_pipeline(HELDOUT / gold["article"])
    row = compare(name, gold, [q for q in doc.quotes if q.is_quotation])
    if name in KNOWN_MISSES:
        assert row.misses == KNOWN_MISSES[name]
        assert row.quotes.f1 >= BAR_F1 and not row.names_as_quotes
    else:
        assert meets_bar(row), "\n".join(row.misses + row.names_as_quotes)
    names = {fold(t) for t in gold["not_quotes"]}
    assert {fold(q.text) for q in doc.quotes if q.kind in ("name", "title")} >= names


def test_words_said_after_a_verb_are_no_name_even_with_another_quotation_next() -> None:
    # `وقال «الحذيفي»: «...»` makes the first span a name; a negation and a full stop make it words said.
    doc = analyse('وحين تسألهم يقولون "لا، لم أفعل ذلك." "لم أقم بذلك".')
    assert [(q.text, q.kind) for q in doc.quotes] == [("لا، لم أفعل ذلك.", "speech"), ("لم أقم بذلك", "speech")]


@pytest.mark.parametrize(("text", "texts"), [
    # a stray mark at the paragraph's start before the writer's words: the quotation opens after them
    ('"وقال ترامب "من السهل الوصول إلى الرئاسة، لكننا مكّنا 200 شخص من الوقوف هنا،" في إشارة إلى الحشد.',
     ["من السهل الوصول إلى الرئاسة، لكننا مكّنا 200 شخص من الوقوف هنا،"]),
    # a straight mark after a full stop, closed right before its speaker, is the next quotation
    ('وقالت إن مكتبها حذّر "السلطات المختصة من هذه الادعاءات. "سوف نضمن كشف مرتكبيها"، كما أضافت.',
     ["السلطات المختصة من هذه الادعاءات.", "سوف نضمن كشف مرتكبيها"]),
])
def test_a_straight_mark_that_does_not_close_the_open_quotation(text: str, texts: list[str]) -> None:
    assert [q.text for q in analyse(text).quotes if q.is_quotation] == texts
