"""The word lists the stages share, as data: verbs of saying, titles and roles, the nouns that name
bodies and outlets, and the small words that end a noun phrase. Words are stored folded (see `key`)."""

from __future__ import annotations

from pipeline.arabic import fold


def key(word: str) -> str:
    """How a word is looked up in the word lists: folded, but with ى kept (على is not the name علي)."""
    return fold(word, keep_maqsura=True)


def words(text: str) -> frozenset[str]:
    """A word list from a space-separated string, each word as `key` folds it."""
    return frozenset(key(w) for w in text.split())


# Finite verbs of saying: they introduce speech and their subject is the speaker. Forms that are
# more often a noun or a preposition (بين "between", نقل "transport", رد "reply", طلب "request")
# are left out: a false verb before a quotation would steal its speaker.
SPEECH_VERBS = (
    "قال", "قالت", "قالوا", "يقول", "تقول", "يقولون", "اضاف", "اضافت", "اضافوا", "يضيف", "تضيف", "تابع",
    "تابعت", "يتابع", "تتابع", "اكد", "اكدت", "اكدوا", "يؤكد", "تؤكد", "شدد", "شددت", "يشدد", "تشدد",
    "كشف", "كشفت", "يكشف", "تكشف", "اعلن", "اعلنت", "اعلنوا", "يعلن", "تعلن", "ذكر", "ذكرت", "يذكر",
    "تذكر", "اوضح", "اوضحت", "يوضح", "توضح", "بينت", "يبين", "اشار", "اشارت", "يشير", "تشير", "لفت",
    "لفتت", "يلفت", "تلفت", "صرح", "صرحت", "يصرح", "تصرح", "افاد", "افادت", "يفيد", "تفيد", "نقلت",
    "اردف", "اردفت", "استطرد", "استطردت", "ختم", "ختمت", "علق", "علقت", "يعلق", "تعلق",
    "ردت", "اجاب", "اجابت", "تساءل", "تساءلت", "نوه", "نوهت", "تحدث", "تحدثت", "يتحدث",
    "تتحدث", "ناقش", "ناقشت", "كتب", "كتبت", "يكتب", "غرد", "غردت", "يغرد",
    "سأل", "سألت", "يسأل", "تسأل", "نشر", "نشرت", "ينشر", "تنشر", "ردد", "رددت", "رددوا", "يردد", "يرددون", "هتف", "هتفت", "هتفوا", "يهتفون",
)
# Verbs that attribute a characterization or a demand rather than speech; they name a speaker too.
STANCE_VERBS = (
    "نفى", "نفت", "ينفي", "تنفي", "وصف", "وصفت", "يصف", "تصف", "اعتبر", "اعتبرت", "يعتبر", "تعتبر",
    "رأى", "رات", "يرى", "ترى", "طالب", "طالبت", "يطالب", "تطالب", "طلبت", "يطلب", "تطلب", "دعا",
    "دعت", "يدعو", "تدعو", "حذر", "حذرت", "يحذر", "تحذر", "اتهم", "اتهمت", "يتهم", "تتهم", "هدد",
    "هددت", "يهدد", "تهدد", "اعرب", "اعربت", "يعرب", "تعرب", "وعدت", "يعتقد", "تعتقد",
    "اعتقد", "اعتقدت", "زعم", "زعمت", "يزعم", "تزعم", "اقر", "اقرت", "يقر", "تقر",
    "وعد", "يعد", "تعد", "خشي", "خشيت", "يخشى", "تخشى",
    # pledges, praise and blame: تعهد بـ"محاسبة ..."، ندد بـ"العدوان"
    "تعهد", "تعهدت", "يتعهد", "تتعهد", "توعد", "توعدت", "يتوعد", "ندد", "نددت", "يندد", "تندد",
    "ادان", "ادانت", "يدين", "تدين", "استنكر", "استنكرت", "يستنكر", "تستنكر", "شجب", "شجبت",
    "انتقد", "انتقدت", "ينتقد", "تنتقد", "رحب", "رحبت", "يرحب", "ترحب", "ناشد", "ناشدت", "يناشد",
    "تناشد", "اشاد", "اشادت", "يشيد", "تشيد", "اقترح", "اقترحت", "يقترح", "تقترح", "هاجم", "هاجمت",
    # rumours: ما تداولته مواقع التواصل عن "انسحاب مفاجئ" (تداول alone is more often the noun)
    "تداولت", "يتداول", "تتداول", "تداولوا", "يتداولون",
)
# Circumstantial participles ("..., adding that"): same speaker as their clause.
PARTICIPLES = (
    "قائلا", "مضيفا", "مشيرا", "مشددا", "مؤكدا", "لافتا", "مبينا", "موضحا", "كاشفا", "معتبرا", "واصفا",
    "محذرا", "منوها", "داعيا", "مطالبا", "متسائلا", "معربا", "نافيا", "مستدركا", "متابعا", "مردفا",
    "معلقا", "مختتما", "متحدثا", "بالقول",
)
ROLE_NOUNS = (
    "رئيس", "نائب", "وزير", "متحدث", "ناطق", "مسؤول", "سفير", "قيادي", "قائد", "زعيم", "امين", "مستشار",
    "مدير", "مساعد", "محافظ", "عضو", "مندوب", "ممثل", "مبعوث", "ملك", "امير", "شيخ", "لواء", "عميد",
    "عقيد", "عماد", "جنرال", "كولونيل", "رائد", "نقيب", "دكتور", "سيد", "مصدر", "خطيب", "خطيبه", "زوجه",
    "شقيق", "شقيقه", "نجل", "محلل", "خبير", "مراسل", "قاضي", "نائبه", "وزيره", "رئيسه", "متحدثه",
    "ناطقه", "مسؤوله", "سفيره", "مديره", "مستشاره", "مساعده", "قائده", "زعيمه", "رئيسة", "مفوض", "منسق", "ولي",
    "وكيل", "استاذ", "مفكر", "كاتب", "صحفي", "اعلامي", "ناشط", "باحث", "محامي", "مرشد", "مفتي", "امام",
    "مطران", "بطريرك", "بابا", "عاهل", "حاكم", "رئيسه", "مدرب", "لاعب", "كبير",
    # professions, which introduce a person as titles do: المهندس كمال الزواري، الناقد خميس الخياطي
    "مهندس", "مخرج", "ناقد", "طبيب", "معلم", "مدرس", "فنان", "مطرب", "مغني", "روائي", "شاعر", "مذيع",
    "مقدم", "ممثله", "نقابي", "حقوقي", "نظير",
)
MEDIA_NOUNS = words("صحيفه جريده وكاله قناه فضائيه موقع مجله شبكه اذاعه تلفزيون منصه حساب صفحه")
NAMING_NOUNS = words(
    "تدريب تمرين مناورات مناوره عمليه عمليات كتاب روايه فيلم برنامج حمله مبادره خطه مؤتمر قمه "
    "منتدى مهرجان جائزه مسلسل وثيقه اتفاق اتفاقيه معركه تطبيق وسم هاشتاغ مفاوضات محادثات مسار "
    "مشروع مشروعات نظام طراز فيروس دوره فعاليه مسابقه بطوله سلسله مسمى"
)
# Organizations whose name follows in marks: حركة "حماس", تنظيم "داعش", مقاتلي «داعش».
ORGANIZATION_NOUNS = words(
    "حركه حزب تنظيم جماعه جبهه هيئه ميليشيا مليشيا فصيل كتائب منظمه شركه عناصر مقاتلي مسلحي انصار "
    "قيادات اعضاء معاقل "
    "مجموعه ائتلاف تيار قائمه كتله مركز مرصد معهد جامعه مؤسسه جمعيه نادي فريق"
)
# Nouns that head the name of a body: its name goes on with every article-word (خلية الاعلام الامني).
BODY_NOUNS = words(
    "وزاره خليه كتائب هيئه مجلس لجنه قوات جيش مكتب دائره اداره سلطه سلطات محكمه نيابه بعثه مفوضيه امانه "
    "رئاسه حكومه برلمان جامعه منظمه حركه حزب تنظيم جماعه جبهه وكاله صحيفه شركه بنك مصرف اتحاد تحالف "
    "ائتلاف مركز معهد مؤسسه جمعيه غرفه نقابه مديريه قياده شرطه امم دوله مجموعه فيلق "
    "مواقع وسائل منصات شبكات"
)
# Words that introduce a designation, not a quotation: ما يعرف بـ"صفقة القرن", بعنوان "...".
DESIGNATION_WORDS = words("يسمى تسمى سمي سميت يعرف تعرف عرف عرفت المعروف المعروفه الملقب الملقبه اسم باسم "
                           "تسميه لقب شعار عنوان بعنوان تحت مسمى بمسمى")
# Works whose title, however long, follows in marks: كتاب "..."، بعنوان "...".
WORK_NOUNS = words("كتاب كتابه روايه فيلم مسلسل برنامج مقال مقاله قصيده اغنيه دراسه تقرير بعنوان عنوان")
# Reading/receiving verbs whose quoted object or subject is an outlet: اطلع "ناس" عليه.
READ_VERBS = words("اطلع اطلعت تلقى تلقت تلقي حصل حصلت")
SAYING_NOUNS = words("تصريح تصريحات تصريحه حديث مقابله حوار بيان تغريده تدوينه مقوله كلمه")
# What `في` / `عن` introduce when they say where or how something was said, not whom a title is of:
# قال المتحدث في مؤتمر صحفي (but مصدر في الحكومة، النائب عن بيروت).
OCCASION_NOUNS = SAYING_NOUNS | words(
    "مؤتمر ندوه لقاء اجتماع جلسه احاطه خطاب منشور اتصال رساله مقال برنامج افتتاح ختام حفل زياره "
    "بدايه نهايه وقت اطار ظل سياق اعقاب ضوء مستهل معرض رد تعليق تصريحات ختام حين اثناء"
)
TITLE_PREPOSITIONS = words("في عن من")
# Whom something is said to: قال الوزير للصحفيين.
ADDRESSEES = words("صحفيين صحافيين مراسلين صحافه اعلاميين وسائل الصحفيين الصحافيين المراسلين جمهور مواطنين")
# وجاء في البيان / وورد في التقرير: the statement (or who issued it) says what follows.
STATEMENT_VERBS = words("جاء ورد")
# Words that count or pick from a group: إحدى المشاركات is a description, not a name.
QUANTIFIERS = words("احد احدى بعض كل جميع عدد معظم اغلب غالبيه اي")
# Words that give a person's name: تدعى سهى الحاج، اسمه محمد.
NAMED_AS = words("يدعى تدعى يدعي تدعي المدعو المدعوه اسمه اسمها")
# A title that stands for any official (المسؤول اليمني may be the minister named before).
GENERIC_TITLES = words("مسؤول مسؤوله")
# After these a verb form is a verbal noun: طلب عدم ذكر اسمه، دون تحديد.
VERBAL_NOUN_MARKERS = words("عدم بعدم دون بدون")
# Verbs whose own last letter is ت (so not the feminine ending).
MASCULINE_ENDING_IN_TA = words("لفت سكت ثبت صمت بت افت التفت")
# A dropped subject of these answers someone: not the one who just asked.
ANSWER_VERBS = words("اجاب اجابت يجيب تجيب رد ردت يرد ترد")
ATTRIBUTION = words("وفق وفقا حسب بحسب حسبما نقلا")
# نقلت الوكالة عن الملك قوله: "...": the one after عن said it.
REPORTED_SAYING = words("قوله قولها قولهم تاكيده تاكيدها اشارته")
# Verbal nouns of saying whose genitive is the one who said it (إعراب الخارجية الأميركية عن «قلقها»).
SAYING_VERBAL_NOUNS = words("اعراب اعلان تاكيد تحذير انتقاد مطالبه اتهام دعوه")
COMPLEMENTIZERS = words("ان انه انها انهم بان بانه بانها لان")
TIME_WORDS = words(
    "اليوم امس غدا الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت صباح مساء ظهر الليله "
    "حاليا وقتها حينها انذاك سابقا لاحقا ايضا يوم ذات ليل نهار فجر عصر منتصف "
    # months, which a clause may name where a subject could stand (أعلن في تموز)
    "يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر "
    "كانون شباط اذار نيسان ايار حزيران تموز اب ايلول تشرين"
)
STOP_WORDS = words(
    "في فى على الى عن من مع خلال عقب بعد قبل عبر امام لدى حول ضد منذ حتى عند حين حيث اذا "
    "كما قد لقد وقد فقد ثم لكن بل او ام الذي التي الذين اللذين اللتين اللواتي ما لا لم لن "
    "شريطه بشان رغم هو هي هم ل لـ ب فيه فيها فيهم عليه عليها عليهم له لها لهم منه منها منهم عنه عنها "
    "عنهم اليه اليها اليهم به بها بهم معه معها معهم لديه لديها عنده عندها بدوره بدورها "
    "بينما فيما عندما حينما بعدما كلما طالما ريثما هكذا هذا هذه ذلك تلك هؤلاء اولئك عدم "
    # adverbs of manner, which follow a subject: قالها الرئيس بحزم
    "بحزم بوضوح بصراحه بغضب بهدوء بثقه بحسم بشده بقوه بمراره بحماس باختصار"
)
RELATIVES = words("الذي التي الذين")
AUXILIARIES = words("كان كانت كانوا")
NAME_LINKS = words("بن ابن ابو ابي ام ال عبد العبد")
TITLE_LINKS = words("باسم لشؤون")
# The second half of compound given names: عبد الله، حسام الدين، سيف الإسلام.
COMPOUND_NAME_ENDS = words("الله الدين الاسلام")
# Adverbs that stand where a subject could (وأوضح أولا أن، فنيا، قال): never a name.
ADVERBS = words("اولا ثانيا ثالثا رابعا اخيرا ختاما ايضا كذلك مجددا مرارا فنيا سياسيا اقتصاديا اجتماعيا "
                "عسكريا امنيا شخصيا رسميا علنا صراحه مؤخرا حاليا بدوره بدورها بدورهم ردا تعقيبا تعليقا")
# Question words, which never stand in a name (لي ماذا بك).
QUESTION_WORDS = words("ماذا لماذا كيف متى اين هل كم")
# Nouns for what was said or written, which stand for whoever issued it (قال التقرير، أضاف البيان).
STATEMENT_NOUNS = words("بيان البيان تقرير التقرير رساله الرساله دراسه الدراسه")
# Nouns for people that an unnamed source is described by (قال أحد السكان، المواطن، الشخص الذي أجاب).
PERSON_NOUNS = words("شخص رجل امراه سيده شاب فتاه طفل مواطن طالب ساكن سكان اهالي اهل مواطنون "
                     "محتجون متظاهرون عامل موظف شاهد شهود جار مريض ضحيه سائق تاجر مزارع لاجئ نازح "
                     "سياسي دبلوماسي مراقب مراقبون")
# Verbs of an anonymous source's aside, which a name never starts with (مصدر، رفض الكشف عن اسمه).
ASIDE_VERBS = words("رفض رفضت طلب طلبت فضل فضلت اشترط اشترطت")
# Adjectives that describe an unnamed source (مصدر رفيع، قائد كبير، دبلوماسي ثان) besides nisbas (يمني).
SOURCE_ADJECTIVES = words("كبير كبيره رفيع رفيعه مطلع مطلعه ثان ثاني ثالث اخر اخري بارز سابق مقرب مقربه "
                          "موثوق مسؤول مسؤوله عسكري امني حكومي دبلوماسي")
# Titles that are given names too (حسين أمير عبد اللهيان، سلطان سعد السبيعي).
NAME_TITLES = words("امير سلطان")
# Nouns that head a phrase of their own (a body, an outlet, a group, a person, a statement, a work):
# never the first word of a person's name, nor a verb.
NOUN_HEADS = (BODY_NOUNS | MEDIA_NOUNS | ORGANIZATION_NOUNS | PERSON_NOUNS | SAYING_NOUNS | STATEMENT_NOUNS
              | WORK_NOUNS | NAMING_NOUNS)
# Words that link a clause to the one before and may stand before its subject (لكن المتحدث قال).
CLAUSE_LINKS = words("لكن ولكن ثم كما بل")

# -- what a span in marks is (quotes/kinds.py) ------------------------------------------------------
# Cues of saying the verb lists leave out: the speaker's own قلنا لهم "لا" inside a quotation, and
# verbs that give a short span to someone without being verbs of saying (اشتكت من أنهم "أهانوها").
CUE_VERBS = words("قلت قلنا اقول نقول قيل يقال اشتكى اشتكت يشتكي تشتكي شكا شكت اعترف اعترفت يعترف تعترف")

# Words after which a name follows: مقابلة مع "سي إن إن"، المسجلين لدى «تداول».
WITH_WORDS = words("مع لدى")
# خص به «الشرق الأوسط»: what follows is the outlet given an interview or a statement.
GRANTED = words("خص خصت خصه خصها خصنا")
# Nouns that put a chant, a slogan or a word in marks: هتافات “الموت لأمريكا”، لافتة “اتفاق نووي”.
LABEL_NOUNS = words("هتاف هتافات شعار شعارات لافتة لافتات مبدأ")
# Places whose name follows in marks: ملعب "كوينز بارك"، اعتصامي "رابعة" و"النهضة".
PLACE_NOUNS = words("ملعب ميدان ساحة شارع حي مسجد مستشفى فندق قاعة متحف سجن مخيم معبر قاعدة اعتصام "
                     "اعتصامي جبل وادي جزيرة مدينة قرية بلدة منطقة مديرية مديريات محافظة محافظتي ولاية "
                     "إقليم ميناء مطار نهر سد")
# Other nouns whose name follows in marks: جهاز الاستخبارات "الموساد"، دورية «ساينس»، دارا العرض «...».
HEAD_NOUNS = words("جهاز دورية دار دارا ماركة علامة شركة شركات محلات متجر مطعم منتج منتجات مصادر")
# Platforms, named in marks as often as outlets are: على «تويتر».
PLATFORMS = words("تويتر فيسبوك فيس_بوك انستغرام انستجرام يوتيوب سناب_شات سناب تيك_توك واتساب تلغرام")
# وعلمت «عكاظ»، رصدت "سبق": the outlet reporting what it learned or saw.
OUTLET_VERBS = words("علمت رصدت انفردت")
# يطلق عليها "الحبة": what follows is what something is called.
CALLED = words("يطلق تطلق يطلقون اطلق اطلقت اطلقوا")
# كتب عليه “الإرهاب”، مكتوب عليها: an inscription.
WRITTEN = words("كتب كتبت مكتوب مكتوبة")
