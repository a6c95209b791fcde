"""The quotes stage: quotation spans (broken marks included), what each one is, and who said it."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.arabic import fold, strip_article, strip_conjunction
from pipeline.document import Document, Flag, Paragraph, Quote, Sentence, Speaker
from pipeline.stages import stage
from pipeline.stages.quotes.kinds import Kinds
from pipeline.stages.quotes.marks import Marks

# -- quotation marks --------------------------------------------------------------------------------
# Each mark belongs to a family; a quotation closes with a mark of the family that opened it. The
# nominal direction is what the mark means in logical order; real text reverses it often enough
# (`إن ” القوات ... الوباء”`) that the position around a mark decides, and the nominal one only
# breaks ties.
FAMILY = {"“": "curly", "”": "curly", "„": "curly", "‟": "curly",
          "«": "guillemet", "»": "guillemet", "‹": "angle", "›": "angle", '"': "straight"}
NOMINAL = {"“": "open", "„": "open", "«": "open", "‹": "open",
           "”": "close", "‟": "close", "»": "close", "›": "close", '"': None}
MARKS = frozenset(FAMILY)
_CLOSING_PUNCT = frozenset(".,،؛;:!?؟)]}…-–—")
_OPENING_PUNCT = frozenset("([{:،,؛;-–—|/")
_CLITICS = frozenset("بلوفك")
_TATWEEL = "\u0640"

# -- word lists (compared folded, with pipeline.arabic.fold; the stage's settings can replace some) -----


def _words(text: str) -> frozenset[str]:
    return frozenset(_key(w) for w in text.split())


def _key(word: str) -> str:
    """How a word is looked up in the word lists: folded, but with ى kept (على is not the name علي)."""
    return fold(word, keep_maqsura=True)


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
    "مطران", "بطريرك", "بابا", "عاهل", "حاكم", "رئيسه", "مدرب", "لاعب",
    # professions, which introduce a person as titles do: المهندس كمال الزواري، الناقد خميس الخياطي
    "مهندس", "مخرج", "ناقد", "طبيب", "معلم", "مدرس", "فنان", "مطرب", "مغني", "روائي", "شاعر", "مذيع",
    "مقدم", "ممثله", "نقابي", "حقوقي", "نظير",
)
MEDIA_NOUNS = _words("صحيفه جريده وكاله قناه فضائيه موقع مجله شبكه اذاعه تلفزيون منصه حساب صفحه")
NAMING_NOUNS = _words(
    "تدريب تمرين مناورات مناوره عمليه عمليات كتاب روايه فيلم برنامج حمله مبادره خطه مؤتمر قمه "
    "منتدى مهرجان جائزه مسلسل وثيقه اتفاق اتفاقيه معركه تطبيق وسم هاشتاغ مفاوضات محادثات مسار "
    "مشروع مشروعات نظام طراز فيروس دوره فعاليه مسابقه بطوله سلسله مسمى"
)
# Organizations whose name follows in marks: حركة "حماس", تنظيم "داعش", مقاتلي «داعش».
ORGANIZATION_NOUNS = _words(
    "حركه حزب تنظيم جماعه جبهه هيئه ميليشيا مليشيا فصيل كتائب منظمه شركه عناصر مقاتلي مسلحي انصار "
    "قيادات اعضاء معاقل "
    "مجموعه ائتلاف تيار قائمه كتله مركز معهد جامعه مؤسسه جمعيه نادي فريق"
)
# Nouns that head the name of a body: its name goes on with every article-word (خلية الاعلام الامني).
BODY_NOUNS = _words(
    "وزاره خليه كتائب هيئه مجلس لجنه قوات جيش مكتب دائره اداره سلطه سلطات محكمه نيابه بعثه مفوضيه امانه "
    "رئاسه حكومه برلمان جامعه منظمه حركه حزب تنظيم جماعه جبهه وكاله صحيفه شركه بنك مصرف اتحاد تحالف "
    "ائتلاف مركز معهد مؤسسه جمعيه غرفه نقابه مديريه قياده شرطه امم دوله مجموعه فيلق "
    "مواقع وسائل منصات شبكات"
)
# Words that introduce a designation, not a quotation: ما يعرف بـ"صفقة القرن", بعنوان "...".
DESIGNATION_WORDS = _words("يسمى تسمى سمي سميت يعرف تعرف عرف عرفت المعروف المعروفه الملقب الملقبه اسم باسم "
                           "تسميه لقب شعار عنوان بعنوان تحت مسمى بمسمى")
# Works whose title, however long, follows in marks: كتاب "..."، بعنوان "...".
WORK_NOUNS = _words("كتاب كتابه روايه فيلم مسلسل برنامج مقال مقاله قصيده اغنيه دراسه تقرير بعنوان عنوان")
# Reading/receiving verbs whose quoted object or subject is an outlet: اطلع "ناس" عليه.
READ_VERBS = _words("اطلع اطلعت تلقى تلقت تلقي حصل حصلت")
SAYING_NOUNS = _words("تصريح تصريحات تصريحه حديث مقابله حوار بيان تغريده تدوينه مقوله كلمه")
# What `في` / `عن` introduce when they say where or how something was said, not whom a title is of:
# قال المتحدث في مؤتمر صحفي (but مصدر في الحكومة، النائب عن بيروت).
OCCASION_NOUNS = SAYING_NOUNS | _words(
    "مؤتمر ندوه لقاء اجتماع جلسه احاطه خطاب منشور اتصال رساله مقال برنامج افتتاح ختام حفل زياره "
    "بدايه نهايه وقت اطار ظل سياق اعقاب ضوء مستهل معرض رد تعليق تصريحات ختام حين اثناء"
)
TITLE_PREPOSITIONS = _words("في عن من")
# Whom something is said to: قال الوزير للصحفيين.
ADDRESSEES = _words("صحفيين صحافيين مراسلين صحافه اعلاميين وسائل الصحفيين الصحافيين المراسلين جمهور مواطنين")
# وجاء في البيان / وورد في التقرير: the statement (or who issued it) says what follows.
STATEMENT_VERBS = _words("جاء ورد")
# Words that count or pick from a group: إحدى المشاركات is a description, not a name.
QUANTIFIERS = _words("احد احدى بعض كل جميع عدد معظم اغلب غالبيه")
# Words that give a person's name: تدعى سهى الحاج، اسمه محمد.
NAMED_AS = _words("يدعى تدعى يدعي تدعي المدعو المدعوه اسمه اسمها")
# A title that stands for any official (المسؤول اليمني may be the minister named before).
GENERIC_TITLES = _words("مسؤول مسؤوله")
# After these a verb form is a verbal noun: طلب عدم ذكر اسمه، دون تحديد.
VERBAL_NOUN_MARKERS = _words("عدم بعدم دون بدون")
# Verbs whose own last letter is ت (so not the feminine ending).
MASCULINE_ENDING_IN_TA = _words("لفت سكت ثبت صمت بت افت التفت")
# A dropped subject of these answers someone: not the one who just asked.
ANSWER_VERBS = _words("اجاب اجابت يجيب تجيب رد ردت يرد ترد")
ATTRIBUTION = _words("وفق وفقا حسب بحسب حسبما نقلا")
# نقلت الوكالة عن الملك قوله: "...": the one after عن said it.
REPORTED_SAYING = _words("قوله قولها قولهم تاكيده تاكيدها اشارته")
COMPLEMENTIZERS = _words("ان انه انها انهم بان بانه بانها لان")
TIME_WORDS = _words(
    "اليوم امس غدا الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت صباح مساء ظهر الليله "
    "حاليا وقتها حينها انذاك سابقا لاحقا ايضا يوم ذات"
)
STOP_WORDS = _words(
    "في فى على الى عن من مع خلال عقب بعد قبل عبر امام لدى حول ضد منذ حتى عند حين حيث اذا "
    "كما قد لقد وقد فقد ثم لكن بل او ام الذي التي الذين اللذين اللتين اللواتي ما لا لم لن "
    "شريطه بشان رغم هو هي هم ل لـ ب فيه فيها فيهم عليه عليها عليهم له لها لهم منه منها منهم عنه عنها "
    "عنهم اليه اليها اليهم به بها بهم معه معها معهم لديه لديها عنده عندها بدوره بدورها "
    "بينما فيما عندما حينما بعدما كلما طالما ريثما هكذا هذا هذه ذلك تلك هؤلاء اولئك عدم "
    # adverbs of manner, which follow a subject: قالها الرئيس بحزم
    "بحزم بوضوح بصراحه بغضب بهدوء بثقه بحسم بشده بقوه بمراره بحماس باختصار"
)
RELATIVES = _words("الذي التي الذين")
AUXILIARIES = _words("كان كانت كانوا")
NAME_LINKS = _words("بن ابن ابو ابي ام ال عبد العبد")
TITLE_LINKS = _words("باسم لشؤون")
# The second half of compound given names: عبد الله، حسام الدين، سيف الإسلام.
COMPOUND_NAME_ENDS = _words("الله الدين الاسلام")

_ARABIC = re.compile("[\u0621-\u064a]")
_ARTICLE_START = re.compile("^[وف]?ال")
# An interview's turns: `س:` / `سؤال:` opens a question, `ج:` / `جواب:` an answer. An answer is the
# interviewee's words but has no marks, so it is not a quotation; a quotation in marks inside it with
# no cue of its own is the interviewee's, and one inside a question gets no invented speaker.
_INTERVIEW_TURN = re.compile(r"\s*(س|سؤال|السؤال|ج|جواب|الجواب)\s*[:\-–]")
_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640]+|\S")


@dataclass
class _Token:
    start: int
    end: int
    text: str
    fold: str  # folded, for comparing names
    key: str  # folded with ى kept, for looking up word lists
    is_word: bool = field(init=False)
    bare: str = field(init=False)  # the key without a leading و/ف
    base: str = field(init=False)  # folded, without a leading و/ف and the article: how a noun is found again

    def __post_init__(self) -> None:
        self.is_word = self.text[0].isalnum() or self.text[0] == "_"
        self.bare = strip_conjunction(self.key)
        self.base = strip_article(strip_conjunction(self.fold))


@dataclass
class _Entity:
    """A person or body named in the article: the mention (the name when there is one, with its
    offsets), the name, and the whole noun phrase around it (titles included)."""

    mention: str
    name: str
    start: int
    end: int
    named: bool = False  # a proper name was found, not just a description (السلطات السعودية)
    phrase: str = ""  # the whole noun phrase: المتحدث باسم التحالف الدولي الكولونيل، مايلز كاغينز
    phrase_start: int | None = None  # where the phrase starts


@dataclass
class _EntityForms:
    """An entity with the folded word lists that resolving a mention compares against."""

    entity: _Entity
    name_words: list[str]
    name_base: list[str]
    phrase_raw: str
    phrase_words: list[str]
    phrase_base: list[str]
    start: int  # where its phrase starts


@stage("quotes", requires=("sentences",), provides=("quotes",))
@dataclass
class Quotes:
    """Find the quotations (also with broken marks), tell speech and phrases from names, titles and terms,
    and name the speakers."""

    max_phrase_words: int = 4  # a span this short is a quotation only when given to someone ("هروب مذل")
    max_name_words: int = 4  # only this short a span can be a name or a title («عكاظ», «المسؤول اليمني»)
    attribution_words: int = 20  # a short span is a quotation with a cue of saying this close before it
    flag_problems: bool = True  # a stray or unclosed mark adds a flag to its sentence
    speech_verbs: list[str] = field(default_factory=lambda: list(SPEECH_VERBS))
    stance_verbs: list[str] = field(default_factory=lambda: list(STANCE_VERBS))
    participles: list[str] = field(default_factory=lambda: list(PARTICIPLES))
    role_nouns: list[str] = field(default_factory=lambda: list(ROLE_NOUNS))

    def __call__(self, doc: Document) -> Document:
        return _Finder(self, doc).run()


class _Finder(Marks, Kinds):
    """One document's quotations: marks paired (marks.py), spans classified (kinds.py), speakers found
    and resolved."""

    def __init__(self, settings: Quotes, doc: Document) -> None:
        self.s = settings
        self.doc = doc
        self.text = _with_apostrophe_marks(doc.text)  # offsets as in doc.text; '' read as "
        self.speech = _with_plurals({_key(w) for w in settings.speech_verbs})
        self.stance = _with_plurals({_key(w) for w in settings.stance_verbs})
        self.participles = {_key(w) for w in settings.participles}
        self.participles |= {w[:-1] + "ه" for w in self.participles if w.endswith("ا")}  # feminine
        self.roles = {fold(w) for w in settings.role_nouns}
        self.tokens = [_Token(m.start(), m.end(), m.group(), fold(m.group()), _key(m.group()))
                       for m in _WORD.finditer(self.text)]
        self.token_starts = [t.start for t in self.tokens]
        self.sentences: list[Sentence] = list(doc.sentences or [])
        self.sentence_starts = [s.start for s in self.sentences]
        self.paragraphs = doc.paragraphs or _paragraphs_of(self.text)
        self.paragraph_starts = [p.start for p in self.paragraphs]
        self.name_marks: set[int] = set()  # offsets of the marks around names and titles
        self.names_at: dict[int, Quote] = {}  # names and titles by the offset of their opening mark
        self.opens: dict[str, int] = {}  # quote id -> offset of its opening mark
        self.closes: dict[str, int] = {}  # quote id -> offset of its closing mark (or where it ends)
        self.positions: dict[str, list[int]] | None = None  # where each word's base form occurs
        self.resolved: dict[tuple[str, int | None], str] = {}
        self.forms: list[_EntityForms] | None = None  # the entities with their folded forms
        self.last_words: dict[str, _Entity] | None = None  # named people and bodies by their name's last word
        self.agreements: dict[str, set[str]] = {}  # gender and number (f, m, p) known of each speaker
        self.inside_opens: list[int] = []  # quotations' opening marks, sorted, and how far each reaches
        self.inside_reach: list[int] = []

    # -- the run --------------------------------------------------------------------------------------
    def run(self) -> Document:
        spans = self.pair_marks()
        quotes = self.classify(spans)
        self.link_sentences(quotes)
        self.find_speakers(quotes)
        self.doc.quotes = quotes
        return self.doc

    # -- sentences ------------------------------------------------------------------------------------
    def link_sentences(self, quotes: list[Quote]) -> None:
        for sentence in self.sentences:
            sentence.quotes = []
        for quote in quotes:
            if not self.sentences:
                touched = []
            else:
                first = bisect.bisect_right(self.sentence_starts, quote.start) - 1
                last = bisect.bisect_left(self.sentence_starts, quote.end) - 1
                touched = self.sentences[max(0, first):max(first, last) + 1]
            quote.sentences = [s.id for s in touched]
            quote.sentence = quote.sentences[0] if quote.sentences else ""
            for sentence in touched:
                sentence.quotes.append(quote.id)

    def _sentence_at(self, offset: int) -> Sentence:
        k = max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)
        return self.sentences[k]

    # -- 3. speakers ----------------------------------------------------------------------------------
    def find_speakers(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        inside = sorted((self.opens[q.id], self.closes[q.id]) for q in quotes if q.is_quotation)
        self.inside_opens = [a for a, _ in inside]
        self.inside_reach = list(itertools.accumulate((b for _, b in inside), max))
        self.subject_events = self._subject_events()
        self.subject_offsets = [at for at, _ in self.subject_events]
        self.entities = self._collect_entities(quotes)
        self.agreements = self._learn_agreements()
        self.interviewee = self._find_interviewee()
        self.said: list[tuple[int, Quote]] = []  # the quotations with a speaker, by opening mark, in order
        self.said_counts: Counter[str] = Counter()  # how often each (folded) speaker name was quoted
        by_id = {q.id: q for q in quotes}
        for quote in quotes:
            if quote.kind == "nested":
                parent = by_id.get(quote.parent or "")
                quote.speaker = parent.speaker if parent is not None else None
            elif quote.is_quotation:
                quote.speaker = self._speaker_of(quote)
                if quote.speaker is not None:
                    self.said.append((self.opens[quote.id], quote))
                    self.said_counts[fold(quote.speaker.name)] += 1

    def _speaker_of(self, quote: Quote) -> Speaker | None:
        open_at = self.opens[quote.id]
        sentence = self._sentence_at(open_at)
        earlier = [q for _, q in self.said[self._said_since(sentence.start):]]
        floor = self.closes[earlier[-1].id] + 1 if earlier else sentence.start
        lead = self._tokens_between(floor, open_at)
        # 1. a cue before the quotation: a verb, a participle, an attribution (بحسب ...). A verb's
        # subject wins over an attribution nearer the quotation: قال مسؤول نقلا عن «سانا» إن "..."
        attribution: _Token | None = None
        for k in range(len(lead) - 1, -1, -1):
            tok = lead[k]
            if tok.bare in STATEMENT_VERBS and k + 1 < len(lead) and lead[k + 1].key == "في":
                found = self._statement_source(lead[k + 2:])
                if found is not None:
                    return found  # وجاء في بيان صادر عن الوزارة أن, وجاء في البيان:
            if tok.bare == "لسان" and k > 0 and lead[k - 1].key == "على" and k + 1 < len(lead):
                words = []
                for t in lead[k + 1:]:
                    if not t.is_word or self._stops_noun_phrase(t):
                        break
                    words.append(t)
                if words:
                    return self._speaker_from(self._entity(words))  # وجاء على لسان المتحدث أن
            if self._verb_kind(tok) and k >= 2 and lead[k - 1].key == "ما" and _is_attribution(lead[k - 2]):
                # وأكد البيان، وفق ما نقلته الوكالة، أن: an aside naming the reporter; the main verb
                # before it, if any, wins
                attribution = attribution or lead[k - 2]
                continue
            if self._verb_kind(tok) and not self._relays_statement(tok):
                subject = self._subject(tok, sentence.start, open_at)
                if subject is not None:
                    return self._speaker_from(subject)
                return self._dropped_subject(tok, sentence, earlier)
            if tok.bare in REPORTED_SAYING:
                found = self._reported_from(lead[:k])
                if found is not None:
                    return found
            if tok.key in self.participles:
                return self._participle_speaker(tok, sentence, earlier)
            if _is_attribution(tok) and attribution is None:
                attribution = tok
        if attribution is not None:
            found = self._attributed(attribution, open_at)
            if found is not None:
                return found
        # 2. a name before a colon: مقولة ... ونستون تشرشل: «...»
        if lead and lead[-1].text == ":":
            found = self._colon_speaker(lead[:-1])
            if found is not None:
                return found
        # 3. a cue after it: "..." قال فلان / "..."، بحسب فلان
        found = self._tail_speaker(quote, sentence)
        if found is not None:
            return found
        # 4. context: the quotation before it in the sentence; in an interview, the interviewee for
        # an answer and no one for a question; then the paragraph's quotation, then the article's
        # main source so far.
        if earlier:
            return _again(earlier[-1].speaker)
        turn = self._interview_turn(open_at)
        if turn == "answer":
            return _again(self.interviewee)
        if turn == "question":
            return None
        return self._context_speaker(open_at)

    def _interview_turn(self, offset: int) -> str | None:
        """`question` or `answer` when the paragraph at `offset` opens with `س:` / `ج:` (سؤال / جواب)."""
        k = bisect.bisect_right(self.paragraph_starts, offset) - 1
        if k < 0:
            return None
        para = self.paragraphs[k]
        match = _INTERVIEW_TURN.match(self.text, para.start, para.end)
        if match is None:
            return None
        return "question" if strip_article(fold(match.group(1))).startswith("س") else "answer"

    def _find_interviewee(self) -> Speaker | None:
        """In an interview, the person named last before the first question: the one who answers."""
        first_question = next((p.start for p in self.paragraphs if self._interview_turn(p.start) == "question"), None)
        if first_question is None:
            return None
        people = [e for e in self.entities if e.named and e.start < first_question and _ARABIC.search(e.name)
                  and not any(q.start <= e.start < q.end for q in self.quotes if q.kind in ("name", "title"))]
        if not people:
            return None
        return self._speaker_from(max(people, key=lambda e: e.start))

    def _said_since(self, offset: int) -> int:
        """Index of the first quotation with a speaker that opens at or after `offset`."""
        return bisect.bisect_left(self.said, offset, key=lambda item: item[0])

    def _statement_source(self, words: list[_Token]) -> Speaker | None:
        """`جاء في بيان صادر عن الوزارة`: who issued the statement, else the statement itself."""
        phrase: list[_Token] = []
        for j, tok in enumerate(words):
            if tok.key == "عن":
                issuer = []
                for t in words[j + 1:]:
                    if not t.is_word or self._stops_noun_phrase(t):
                        break
                    issuer.append(t)
                if issuer:
                    return self._speaker_from(self._entity(issuer))
                break
            if not tok.is_word or (self._stops_noun_phrase(tok) and tok.key != "عن"):
                break
            phrase.append(tok)
        while phrase and phrase[-1].bare in ("صادر", "الصادر"):
            phrase.pop()
        return self._speaker_from(self._entity(phrase)) if phrase else None

    def _participle_speaker(self, tok: _Token, sentence: Sentence, earlier: list[Quote]) -> Speaker | None:
        """`، مشيراً الى ان "..."`: the speaker of the clause the participle hangs on; one that agrees
        with it (قائلةً wants a woman)."""
        agreement = self._agreement(tok)
        if earlier and self._agrees(earlier[-1].speaker, agreement):
            return _again(earlier[-1].speaker)
        event = self._last_subject(tok.start, since=sentence.start)
        if event is not None and self._agrees(self._speaker_from(event[1]), agreement):
            return _again(self._speaker_from(event[1]))
        for cue in reversed(self._tokens_between(sentence.start, tok.start)):
            if self._verb_kind(cue):
                return self._dropped_subject(cue, sentence, earlier, agreement=agreement)
        # لكن بن عمر قاطعته قائلةً / وافتتح الزواري المناظرة بالقول: a verb not in the lists; its
        # subject is the first person of the article named in the clause.
        known = self._known_mention(sentence.start, tok.start, agreement)
        if known is not None:
            return known
        opening = self._clause_opening_verb(sentence.start, tok.start)
        if opening is not None:
            # ورد المتحدث باسم الخارجية ناصر كنعاني قائلاً: a verb not in the lists opens the clause
            subject = self._subject_after(opening, tok.start)
            if subject is not None and subject.named and len(subject.name.split()) >= 2 and \
                    self._agrees(self._speaker_from(subject), agreement):
                return self._speaker_from(subject)  # a full name, not a verbal noun (ورفض تأكيد)
        return self._agreeing_antecedent(sentence.start, sentence, [], agreement)

    def _clause_opening_verb(self, start: int, end: int) -> _Token | None:
        """The first word of the sentence when it looks like و/ف and a verb (وردّ، فأجاب، وافتتح):
        no article, not a listed word, and a noun phrase after it."""
        words = [t for t in self._tokens_between(start, end) if t.is_word]
        if len(words) < 2:
            return None
        first = words[0]
        if first.key == first.bare or _is_definite(first) or self._stops_noun_phrase(first) or \
                first.bare in AUXILIARIES or self._is_role(first):
            return None
        return first

    def _dropped_subject(self, verb: _Token, sentence: Sentence, earlier: list[Quote], *,
                         agreement: str | None = None) -> Speaker | None:
        """A verb with no subject (`وقال في تصريح صحفي، إن`) refers back to the last subject or
        speaker that agrees with it (فقالت: the last woman named; وقالوا: the last plural); after a
        question, an answer (فأجاب) is the one who was asked, not the one who asked."""
        agreement = agreement or self._agreement(verb)
        skip = None
        if verb.bare in ANSWER_VERBS or (self._verb_form(verb) or "") in ANSWER_VERBS:
            last = earlier[-1] if earlier else (self.said[self._said_since(verb.start) - 1][1]
                                                 if self._said_since(verb.start) else None)
            if last is not None and last.speaker is not None and last.text.rstrip().endswith(("؟", "?")):
                skip = fold(last.speaker.name)
        if earlier and self._agrees(earlier[-1].speaker, agreement) and fold(earlier[-1].speaker.name) != skip:
            return _again(earlier[-1].speaker)
        antecedent = self._relative_antecedent(verb, sentence)
        if antecedent is not None:
            return _again(self._speaker_from(antecedent))
        return self._agreeing_antecedent(verb.start, sentence, earlier, agreement, skip=skip)

    def _agreeing_antecedent(self, offset: int, sentence: Sentence, earlier: list[Quote], agreement: str | None,
                             *, skip: str | None = None) -> Speaker | None:
        """The nearest speaker or subject before `offset` that agrees with the verb (and is not
        `skip`); a plural verb may also go back to a plural noun of its sentence (أطلق ناشطون ...
        وقالوا). With none agreeing, the nearest one, as before."""
        candidates: list[tuple[int, Speaker]] = []
        for quote in earlier:
            candidates.append((self.opens[quote.id], quote.speaker))
        k = self._said_since(offset)
        for at, quote in self.said[max(0, k - 8):k]:
            candidates.append((at, quote.speaker))
        j = bisect.bisect_left(self.subject_offsets, offset)
        for at, entity in self.subject_events[max(0, j - 8):j]:
            candidates.append((at, self._speaker_from(entity)))
        if agreement == "p":
            for tok in self._tokens_between(sentence.start, offset):
                if _is_plural_noun(tok):
                    candidates.append((tok.start, self._speaker_from(self._entity([tok]))))
        candidates.sort(key=lambda c: -c[0])
        for _, speaker in candidates:
            if speaker is not None and fold(speaker.name) != skip and self._agrees(speaker, agreement):
                return _again(speaker)
        return None  # no one named so far can have said it

    def _agrees(self, speaker: Speaker | None, agreement: str | None) -> bool:
        """Whether what the article says of this speaker (by its verbs, its title, its form) fits a
        verb's gender and number."""
        if speaker is None or agreement is None:
            return True
        known = self.agreements.get(fold(speaker.name), set())
        if _is_plural_noun_text(speaker.name):
            known = known | {"p"}
        if agreement == "p":
            # a plural, or a description that may be one (السكان، الأهالي: broken plurals), never a
            # person's name
            return "p" in known or (speaker.name.startswith("ال") and "f" not in known)
        if agreement == "f":
            return "f" in known or "m" not in known
        return ("m" in known or "f" not in known) and "p" not in known

    def _learn_agreements(self) -> dict[str, set[str]]:
        """Gender and number of each subject, by the verbs it was the subject of (قالت بن عمر → f)
        and by its title (المحامية سنية بن عمر → f). A verb before a plural subject is singular
        (أكد المحتجون), so a plural noun is plural whatever its verb."""
        agreements: dict[str, set[str]] = {}
        for at, entity in self.subject_events:
            tok = self.tokens[self._token_index(at)]
            agreement = self._agreement(tok)
            if agreement is None or not self._verb_kind(tok):
                continue
            name = fold(self._resolve(entity.name))
            if _is_plural_noun_text(entity.mention):
                agreement = "p"
            agreements.setdefault(name, set()).add(agreement)
        for entity in self.entities:
            if not entity.named or not entity.phrase or entity.phrase == entity.name:
                continue
            first = self.tokens[self._token_index(entity.phrase_start)] if entity.phrase_start is not None else None
            if first is not None and self._is_role(first) and len(first.text) > 1:
                gender = "f" if first.text.rstrip(_TATWEEL).endswith("ة") else "m"
                agreements.setdefault(fold(self._resolve(entity.name)), set()).add(gender)
        return agreements

    def _known_mention(self, start: int, end: int, agreement: str | None) -> Speaker | None:
        """A person or body of the article named (by the last word of their name) in subject position
        of the clause from `start` to `end`: among its first words, before or after its verb (لكن بن
        عمر قاطعته، وافتتح الزواري المناظرة), and agreeing with `agreement`."""
        if self.last_words is None:
            self.last_words = {}
            for entity in self.entities:
                if entity.named and _ARABIC.search(entity.name):
                    self.last_words.setdefault(fold(entity.name).split()[-1], entity)
        words = [t for t in self._tokens_between(start, end, keep_quotes=True) if t.is_word and t.bare not in STOP_WORDS]
        for tok in words[:3]:
            entity = self.last_words.get(tok.fold) or self.last_words.get(strip_conjunction(tok.fold))
            if entity is not None:
                speaker = Speaker(mention=tok.text, name=self._resolve(entity.name), start=tok.start, end=tok.end)
                if self._agrees(speaker, agreement):
                    return speaker
        return None

    def _relative_antecedent(self, verb: _Token, sentence: Sentence) -> _Entity | None:
        """`القرار ... الذي عُدل عدة مرات، ويطالب`: a coordinated verb shares the subject that the
        relative clause before it describes."""
        k = self._token_index(verb.start)
        if k == 0 or self.tokens[k - 1].text not in "،," or verb.key == verb.bare:
            return None
        before = self._tokens_between(sentence.start, verb.start)
        for j in range(len(before) - 1, 0, -1):
            if before[j].key in RELATIVES:
                words: list[_Token] = []
                for tok in reversed(before[:j]):
                    if not tok.is_word or self._stops_noun_phrase(tok):
                        break
                    words.insert(0, tok)
                return self._entity(words) if words else None
        return None

    def _reported_from(self, lead: list[_Token]) -> Speaker | None:
        """`عن الملك سلمان قوله`: the noun phrase between عن and the verbal noun, up to a comma
        (`عن مصدر أمني مطلع، رفض الكشف عن اسمه، قوله`: not the عن of the aside)."""
        for j in range(len(lead) - 1, max(-1, len(lead) - 16), -1):
            if lead[j].key == "عن":
                words = []
                for t in lead[j + 1:]:
                    if not t.is_word:
                        break
                    words.append(t)
                if not words or (len(words) == 1 and _has_pronoun_suffix(words[0].text)):
                    continue  # عن اسمه
                return self._speaker_from(self._entity(words))
        return None

    def _attributed(self, tok: _Token, limit: int) -> Speaker | None:
        """`بحسب X` / `وفقا لـX` / `نقلا عن X`: X is the source."""
        k = self._token_index(tok.start) + 1
        words: list[_Token] = []
        while k < len(self.tokens) and self.tokens[k].start < limit and len(words) < 6:
            t = self.tokens[k]
            k += 1
            if not words and t.key in ("ل", "عن", "ما"):
                continue
            if not words and self._verb_kind(t):
                # بحسب ما قاله المتحدث أحمد عبد الهادي: the verb's subject
                subject = self._subject_after(t, limit)
                return self._speaker_from(subject) if subject is not None else None
            if not words and t.start in self.names_at:
                named = self.names_at[t.start]  # بحسب «رويترز»
                return self._speaker_from(_Entity(named.text, named.text, named.start, named.end, named=True))
            if not t.is_word or self._stops_noun_phrase(t):
                break
            words.append(t)
        if not words or _has_pronoun_suffix(words[0].text) and len(words) == 1:
            return None  # حسب بيانها: the source is whoever the sentence is about
        return self._speaker_from(self._entity(words))

    def _colon_speaker(self, lead: list[_Token]) -> Speaker | None:
        words: list[_Token] = []
        for tok in reversed(lead):
            if not tok.is_word:
                break
            words.insert(0, tok)
        segment = _split_commas(words)[-1:] if words else []
        if not segment:
            return None
        known = self._known_mention(segment[0][0].start, segment[0][-1].end, None)
        if known is not None:
            return known  # وردّ الزواري على منافسته: (a verb not in the lists, then a person of the article)
        name = self._name_in(segment[0])
        if name is not None:
            return self._speaker_from(name)
        if self._is_role(segment[0][0]) and len(segment[0]) <= 6:
            return self._speaker_from(self._entity(segment[0]))  # الرئيس الفرنسي: "..."
        return None

    def _tail_speaker(self, quote: Quote, sentence: Sentence) -> Speaker | None:
        after = self._tokens_between(self.closes[quote.id] + 1, sentence.end)[:5]
        for tok in after:
            if tok.text in "،," or tok.bare in ("هكذا", "كذا"):
                continue  # "..."، هكذا علّق النائب
            if self._verb_kind(tok) and tok.key == tok.bare:  # "..."، قال فلان (not a new clause: وقال)
                subject = self._subject_after(tok, sentence.end)
                if subject is not None:
                    return self._speaker_from(subject)
                return self._last_speaker_or_subject(self.opens[quote.id])
            if _is_attribution(tok):
                return self._attributed(tok, sentence.end) or self._last_speaker_or_subject(
                    self.opens[quote.id])
            return None
        return None

    def _context_speaker(self, offset: int) -> Speaker | None:
        """No cue in the sentence: the previous sentence's quotation in this paragraph, else the
        source most quoted so far (an unattributed quotation usually continues the main source)."""
        k = bisect.bisect_right(self.paragraph_starts, offset) - 1
        para_start = self.paragraphs[k].start if k >= 0 else 0
        if self.said:
            last_offset, last = self.said[-1]
            if last_offset >= para_start:
                return _again(last.speaker)
            best = max(self.said_counts.values())
            return _again(next(q.speaker for _, q in reversed(self.said)
                               if self.said_counts[fold(q.speaker.name)] == best))
        event = self._last_subject(offset)
        return _again(self._speaker_from(event[1])) if event is not None else None

    def _last_speaker_or_subject(self, offset: int) -> Speaker | None:
        """Whoever was last named as a subject or last quoted before `offset`."""
        event = self._last_subject(offset)
        k = self._said_since(offset) - 1
        said = self.said[k] if k >= 0 else None
        if event is not None and (said is None or event[0] > said[0]):
            return _again(self._speaker_from(event[1]))
        return _again(said[1].speaker) if said is not None else None

    def _last_subject(self, offset: int, since: int = 0) -> tuple[int, _Entity] | None:
        k = bisect.bisect_left(self.subject_offsets, offset) - 1
        if k < 0 or self.subject_events[k][0] < since:
            return None
        return self.subject_events[k]

    # -- subjects and names ---------------------------------------------------------------------------
    def _is_role(self, tok: _Token) -> bool:
        if tok.is_word and len(tok.text) == 1:
            return self.text[tok.end:tok.end + 1] == "."  # د. منذر حدادين: an abbreviated title
        return tok.is_word and any(form in self.roles for form in _role_forms(tok))

    def _abbreviation_dot(self, k: int) -> bool:
        """The full stop of an abbreviated title (د.), which does not end a noun phrase."""
        return self.tokens[k].text == "." and k > 0 and len(self.tokens[k - 1].text) == 1 and \
            self.tokens[k - 1].is_word and self.tokens[k - 1].end == self.tokens[k].start

    def _verb_kind(self, tok: _Token) -> str | None:
        form = self._verb_form(tok)
        if form is None:
            return None
        return "speech" if form in self.speech else "stance"

    def _relays_statement(self, tok: _Token) -> bool:
        """`في بيان، نشرته وكالة الأنباء`: a verb whose object pronoun is the statement just named
        tells who published it, not who said it."""
        form = self._verb_form(tok)
        if form is None or form in (tok.key, tok.bare):
            return False
        k = self._token_index(tok.start) - 1
        while k >= 0 and self.tokens[k].text in "،,":
            k -= 1
        return k >= 0 and bool({strip_article(self.tokens[k].bare), _strip_clitic(self.tokens[k].bare)} & SAYING_NOUNS)

    def _verb_form(self, tok: _Token) -> str | None:
        """The listed verb a token is (with و/ف and an object pronoun taken off: فردّت، ووصفتها، يصفها،
        سأله), or None. A verb form right after عدم or دون is a verbal noun (طلب عدم ذكر اسمه)."""
        if not tok.is_word:
            return None
        verbs = self.speech | self.stance
        forms = [tok.key, tok.bare]
        if tok.bare not in REPORTED_SAYING:
            for suffix in ("هما", "هم", "ها", "ه"):
                for form in (tok.key, tok.bare):
                    if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                        forms.append(form[:-len(suffix)])
        form = next((f for f in forms if f in verbs), None)
        if form is not None:
            k = self._token_index(tok.start)
            if k > 0 and self.tokens[k - 1].bare in VERBAL_NOUN_MARKERS:
                return None
        return form

    def _agreement(self, tok: _Token) -> str | None:
        """What a verb or participle says of its subject: `f` (قالت، تقول، قائلةً), `p` (قالوا،
        يقولون), `m` (قال، يقول، قائلاً), or None when it does not say."""
        if tok.key in self.participles:
            if tok.key.startswith("بال"):
                return None
            return "f" if tok.key.endswith("ه") else "p" if tok.key.endswith(("ين", "ون")) else "m"
        form = self._verb_form(tok)
        if form is None or _is_passive(tok):
            return None
        verbs = self.speech | self.stance
        if form.endswith("وا") or (form.endswith("ون") and form[0] in "يت"):
            return "p"
        if (form.endswith("ت") and form not in MASCULINE_ENDING_IN_TA) or (
                form[0] == "ت" and "ي" + form[1:] in verbs):
            return "f"
        return "m"

    def _subject(self, verb: _Token, floor: int, limit: int) -> _Entity | None:
        """The subject of a reporting verb: before it (`والشخص الذي أجاب قال`, `أن النظام يعتبر`) when
        the verb does not open its clause with و, else after it (`وقال المتحدث ... مايلز كاغينز`)."""
        if _is_passive(verb):
            return None  # كُتب على إحداها: no subject to find
        auxiliary = self._subject_of_auxiliary(verb)
        if auxiliary is not None:
            return auxiliary
        if verb.key == verb.bare:
            before = self._subject_before(verb, floor)
            if before is not None:
                return before
        elif verb.key.startswith("ف"):
            topic = self._topic_subject(verb, floor)
            if topic is not None:
                return topic
        return self._subject_after(verb, limit)

    def _topic_subject(self, verb: _Token, floor: int) -> _Entity | None:
        """`أما رئيسة المهرجان، الدكتورة نجوى الرياحي، فقالت`: the topic after أما is the subject of
        the verb its ف opens."""
        toks = self._tokens_between(floor, verb.start)
        k = next((i for i in range(len(toks) - 1, -1, -1) if toks[i].bare == "اما"), None)
        if k is None:
            return None
        words = toks[k + 1:]
        while words and not words[0].is_word:
            words = words[1:]
        while words and not words[-1].is_word:
            words = words[:-1]
        if not words or len(words) > 16 or any(t.text in MARKS or t.text in ".؟?!:" for t in words):
            return None
        return self._entity(words)

    def _subject_before(self, verb: _Token, floor: int) -> _Entity | None:
        toks = self._tokens_between(floor, verb.start)
        while toks and toks[-1].bare in ("قد", "لقد", "لم", "لن", "لا"):
            toks.pop()
        words: list[_Token] = []
        for k in range(len(toks) - 1, -1, -1):
            tok = toks[k]
            in_relative = k > 0 and toks[k - 1].key in RELATIVES  # الشخص الذي أجاب: a verb of the relative clause
            if tok.is_word and not in_relative and (
                    tok.bare in COMPLEMENTIZERS or self._verb_kind(tok) or tok.key in self.participles):
                break
            if not tok.is_word and tok.text not in "،,":
                break
            words.insert(0, tok)
        # Fronted phrases are no subject: في السياق نفسه، / بالإضافة إلى ذلك، / كما / ووقتها
        segments = _split_commas(words)
        while segments and _is_adverbial(segments[0][0]):
            segments.pop(0)
        if segments and segments[0][0].bare in AUXILIARIES:
            segments[0] = segments[0][1:]
        words = [t for seg in segments for t in seg]
        if not words or len(words) > 10:
            return None
        if words[0].key != words[0].bare and not _is_definite(words[0]) and words[0].bare.endswith("وا"):
            return None  # ورفعوا لافتات كُتب عليها: a clause of its own, not a subject
        if any(t.key != t.bare and t.bare in STOP_WORDS for t in words):
            return None  # وعن حجم خسائر الحوثي قال: a fronted phrase, the subject comes after the verb
        relative = next((i for i, t in enumerate(words) if t.key in RELATIVES), len(words))
        if any(t.key in STOP_WORDS or t.bare in STOP_WORDS for t in words[:relative]):
            return None  # ورفض تأكيد أو نفي: not a noun phrase, so no subject
        return self._entity(_with_commas(words, self.tokens, self._token_index))

    def _subject_after(self, verb: _Token, limit: int) -> _Entity | None:
        k = self._token_index(verb.start) + 1
        # A name in marks right after the verb is its subject: وقال «الحذيفي»
        if k < len(self.tokens) and self.tokens[k].start in self.names_at:
            named = self.names_at[self.tokens[k].start]
            return _Entity(named.text, named.text, named.start, named.end, named=True)
        words: list[_Token] = []
        while k < len(self.tokens) and self.tokens[k].start < limit and len(words) < 16:
            tok = self.tokens[k]
            if tok.text in "،,":
                if not self._appositive_at(k + 1):
                    break
                words.append(tok)
            elif self._abbreviation_dot(k):
                pass  # د. منذر حدادين
            elif tok.start in self.names_at and words and all(t.is_word for t in words) and (
                    {words[0].bare, _strip_clitic(words[0].bare)} & (MEDIA_NOUNS | ORGANIZATION_NOUNS)):
                # اعتبرت صحيفة «الصباح»، أعلنت حركة "حماس": the outlet or group named in marks
                named = self.names_at[tok.start]
                return _Entity(named.text, named.text, named.start, named.end, named=True,
                               phrase=self.text[words[0].start:named.end], phrase_start=words[0].start)
            elif tok.key in TITLE_PREPOSITIONS and (end := self._title_pp_end(words, k)) is not None:
                words.extend(self.tokens[k:end])  # مصدر في الحكومة السودانية، النائب عن بيروت رامي عيتاني
                k = end
                continue
            elif not words and _MARKS_RE.sub("", tok.text) == "أم" and k + 1 < len(self.tokens) and \
                    self.tokens[k + 1].is_word and not self._stops_noun_phrase(self.tokens[k + 1]):
                words.append(tok)  # وتقول أم محمد: a kunya, not the conjunction أم
            elif not tok.is_word or self._stops_noun_phrase(tok) or _object_follows(words, tok) \
                    or self._object_starts(words, tok) or (not words and _is_prepositional(tok)):
                break
            else:
                words.append(tok)
            k += 1
        while words and not words[-1].is_word:
            words.pop()
        if not words:
            return None
        entity = self._entity(words)
        if not entity.named:
            # القيادي في الكتائب (أبو علي العسكري): the name follows in brackets or after a comma.
            appositive = self._appositive(k, limit)
            if appositive is not None:
                return _Entity(appositive.mention, appositive.name, appositive.start, appositive.end, named=True,
                               phrase=entity.phrase)
        return entity

    def _appositive_at(self, k: int) -> bool:
        """After a comma, the subject goes on only with a title or a name that fills its comma segment:
        `الكولونيل، مايلز كاغينز،` but not `مصدر في الحكومة، طلب عدم ذكر اسمه،`."""
        if k >= len(self.tokens) or not self.tokens[k].is_word or self._stops_noun_phrase(self.tokens[k]) \
                or _is_prepositional(self.tokens[k]):
            return False
        if self._is_role(self.tokens[k]) or self.tokens[k].bare in NAMED_AS:
            return True  # عضو هيئة الدفاع، / ويدعى خالد الزعبي،
        if _is_nisba(self.tokens[k]):
            k += 1  # البرتغالي جورجي سانتوس
        segment = []
        for tok in self.tokens[k:k + 6]:
            if not tok.is_word:
                break
            segment.append(tok)
        name = self._name_run(segment)
        if not name:
            return False
        rest = segment[len(name):]
        return not rest or (len(name) >= 2 and self._stops_noun_phrase(rest[0]))

    def _named_as(self, k: int) -> _Entity | None:
        """`وهي معلمة متقاعدة تدعى سهى الحاج`: the name after يدعى / تدعى / اسمه in the comma
        segment that starts at token `k`."""
        for j in range(k, min(k + 10, len(self.tokens))):
            tok = self.tokens[j]
            if not tok.is_word:
                return None
            if tok.bare in NAMED_AS:
                words = []
                for t in self.tokens[j + 1:j + 6]:
                    if not t.is_word:
                        break
                    words.append(t)
                run = self._name_run(words)
                if run:
                    text = self.text[run[0].start:run[-1].end]
                    return _Entity(text, text, run[0].start, run[-1].end, named=True)
                return None
        return None

    def _title_pp_end(self, words: list[_Token], k: int) -> int | None:
        """Where a prepositional phrase that belongs to a title ends (`مصدر في الحكومة السودانية`,
        `النائب في البرلمان المصري محمود الشاذلي`, `الخبير في شؤون النقل الدكتور`), or None when the
        preposition at `k` says where or how something was said (`قال المتحدث في مؤتمر صحفي`)."""
        if not words or not words[-1].is_word or not any(self._is_role(t) for t in words):
            return None
        last = words[-1]
        if not (self._is_role(last) or _is_definite(last)):
            return None  # a name came already: وقالت ليلى حسن في إحاطة
        j = k + 1
        toks = self.tokens
        if j >= len(toks) or not toks[j].is_word or self._stops_noun_phrase(toks[j]) or \
                any(c.isdigit() for c in toks[j].text) or _has_possessive(toks[j].text) or \
                strip_article(toks[j].bare) in OCCASION_NOUNS or self._is_role(toks[j]):
            return None
        end = j + 1
        if _is_definite(toks[j]):
            end = self._adjectives_end(end)
        else:
            # a construct ending with an article word (شؤون النقل), else one word (بيروت)
            for e in (j + 1, j + 2):
                if e < len(toks) and toks[e].is_word and _is_definite(toks[e], after_conjunction=False) and \
                        all(t.is_word and not _is_definite(t) and not self._stops_noun_phrase(t)
                            for t in toks[j:e]):
                    if self._name_or_title_at(self._adjectives_end(e + 1)):
                        end = self._adjectives_end(e + 1)
                    break
        indefinite_source = not _is_definite(words[0]) and _is_definite(toks[j])
        if indefinite_source or self._name_or_title_at(end):
            return end
        return None

    def _adjectives_end(self, k: int) -> int:
        """After a definite noun, its article-words (adjectives and genitives: العامة للجمارك)."""
        while k < len(self.tokens) and self.tokens[k].is_word and _is_definite(self.tokens[k]) and \
                not self._is_role(self.tokens[k]) and not self._stops_noun_phrase(self.tokens[k]):
            k += 1
        return k

    def _name_or_title_at(self, k: int) -> bool:
        """A title or a plain word that can start a name at token `k`."""
        if k >= len(self.tokens):
            return False
        tok = self.tokens[k]
        return tok.is_word and (self._is_role(tok) or (
            not _is_definite(tok) and not self._stops_noun_phrase(tok) and not any(c.isdigit() for c in tok.text)
            and not _is_prepositional(tok)))

    def _object_starts(self, words: list[_Token], tok: _Token) -> bool:
        """`وختمت الوزيرة حديثها`, `وردد المحتجون هتافات`: after a definite subject with no title in it, a
        word with a possessive ending or a word without the article is the verb's object, not more
        of the subject (after a title a plain word starts the name: الرئيس الأمريكي دونالد ترامب)."""
        if not words or not words[-1].is_word or not _is_definite(words[-1], after_conjunction=False):
            return False
        if _has_possessive(tok.text):
            return True
        if self._feminine_after_title(words, tok):
            return True
        if _is_definite(tok) or tok.fold in NAME_LINKS or tok.fold in TITLE_LINKS or self._is_role(tok):
            return False
        return not any(self._is_role(t) or strip_article(t.bare) in BODY_NOUNS for t in words)

    def _feminine_after_title(self, words: list[_Token], tok: _Token) -> bool:
        """`وانتقد الوزير الحكومة`: a man's title is not followed by a feminine adjective, so a
        feminine article-word after it is the verb's object."""
        return bool(words) and _is_definite(tok, after_conjunction=False) and not tok.fold.startswith("لل") \
            and not self._is_role(tok) and self._is_role(words[-1]) and _is_definite(words[-1]) \
            and not _feminine(words[-1].text) and _feminine(tok.text)

    def _stops_noun_phrase(self, tok: _Token) -> bool:
        bare = tok.bare
        return (bare in STOP_WORDS or tok.key in STOP_WORDS or bare in TIME_WORDS or bare in COMPLEMENTIZERS
                or _is_attribution(tok) or bare in REPORTED_SAYING or _is_addressee(tok)
                or self._verb_kind(tok) is not None or tok.key in self.participles or _is_latin_after_la(tok.text))

    def _appositive(self, k: int, limit: int) -> _Entity | None:
        """A bracketed name, or the segment right after the first comma, before the clause goes on."""
        seen_comma = False
        while k < len(self.tokens) and self.tokens[k].start < limit:
            tok = self.tokens[k]
            if tok.text == ":" or tok.text in MARKS or tok.bare in COMPLEMENTIZERS or self._verb_kind(tok) \
                    or tok.key in self.participles:
                return None
            if tok.text == "(":
                inner = []
                j = k + 1
                while j < len(self.tokens) and self.tokens[j].text != ")" and j - k <= 6:
                    inner.append(self.tokens[j])
                    j += 1
                if inner and all(t.is_word and not any(c.isdigit() for c in t.text) for t in inner):
                    return self._name_in(inner)
                k = j
            elif tok.text in "،," and not seen_comma:
                seen_comma = True
                named = self._named_as(k + 1)
                if named is not None:
                    return named  # إحدى المشاركات، وهي معلمة متقاعدة تدعى سهى الحاج،
                seg = []
                j = k + 1
                while j < len(self.tokens) and self.tokens[j].is_word and len(seg) < 5:
                    seg.append(self.tokens[j])
                    j += 1
                if seg and j < len(self.tokens) and self.tokens[j].text in "،,":
                    name = self._name_in(seg)
                    if name is not None and len(name.name.split()) >= 2:
                        return name
            k += 1
        return None

    def _entity(self, words: list[_Token]) -> _Entity:
        """A mention (a run of tokens) and the name it holds: the person after a title chain, the
        first named segment, else the whole mention (`السلطات السعودية`)."""
        start, end = words[0].start, words[-1].end
        phrase = self.text[start:end]
        name = self._name_in(words)
        if name is not None:
            return _Entity(name.mention, name.name, name.start, name.end, named=True, phrase=phrase,
                           phrase_start=start)
        if _is_definite(words[0]) and not words[0].fold.startswith("ال"):
            start += 1  # والشخص: the mention starts at the article
        mention = self.text[start:end]
        return _Entity(mention, _clean_mention(mention), start, end, phrase=phrase, phrase_start=words[0].start)

    def _name_in(self, words: list[_Token]) -> _Entity | None:
        """The name in a mention: in the first comma segment that has one, after any title chain
        (وزير الدفاع البريطاني | بن والاس; رئيس مجلس النواب العراقي | سليم الجبوري)."""
        found: list[tuple[bool, list[_Token]]] = []  # (after a title, the name) per comma segment
        for segment in _split_commas(words):
            seg = [t for t in segment if t.is_word]
            while seg and (seg[0].bare in NAMED_AS or (_is_nisba(seg[0]) and len(seg) > 1)):
                seg = seg[1:]  # ويدعى خالد الزعبي، البرتغالي جورجي سانتوس
            if not seg:
                continue
            # The title may come after a word or two (أستاذي الراحل د. منذر حدادين); failing a name
            # after it, the name may come first (سليم الجبوري رئيس البرلمان).
            role = next((i for i, t in enumerate(seg[:4]) if self._is_role(t)), None)
            for start in ([role] if role is not None else []) + ([0] if role != 0 else []):
                k = self._title_end(seg, start) if start == role else start
                name = self._name_run(seg[k:])
                if name:
                    found.append((start == role and k == len(seg) - len(name), name))
                    break
        if not found:
            return None
        name = found[0][1]
        if len(name) == 1 and found[0][0] is False or len(name) == 1 and len(found) > 1:
            # مدير مستشفى الأميرة بسمة، الدكتور عمر الخصاونة: a word at the end of a long title is
            # part of it when a title and a fuller name follow
            fuller = next((n for after_title, n in found[1:] if after_title and len(n) >= 2), None)
            name = fuller or name
        text = self.text[name[0].start:name[-1].end]
        return _Entity(text, text, name[0].start, name[-1].end, named=True)

    def _title_end(self, seg: list[_Token], k: int) -> int:
        """Past the title chain that starts with the role at `seg[k]`: رئيس مجلس النواب العراقي,
        الأمين العام لجامعة الدول العربية, النائب عن بيروت, الخبير في شؤون النقل الدكتور."""
        first = seg[k]
        # after an article, an abbreviation (د.) or a possessive (مخرجه) no construct follows
        seen_article = _is_definite(first) or len(first.text) == 1 or _has_possessive(first.text)
        k += 1
        while k < len(seg):
            word = seg[k].fold
            definite = _is_definite(seg[k])
            if word in TITLE_LINKS or self._is_role(seg[k]) or definite:
                seen_article = seen_article or definite
                k += 1
            elif seg[k].key in TITLE_PREPOSITIONS and (
                    end := self._title_pp_end(seg[:k], self._token_index(seg[k].start))) is not None:
                limit = self.tokens[end].start if end < len(self.tokens) else len(self.text)
                while k < len(seg) and seg[k].start < limit:
                    k += 1
                seen_article = True
            elif word.startswith("ل") and (seg[k].key[1:] in BODY_NOUNS or (
                    seen_article and not self._is_role(seg[k - 1]) and (
                        (k + 1 < len(seg) and _is_definite(seg[k + 1])) or word.endswith("يا")))):
                # الأمين العام لجامعة الدول العربية, المبعوث الأممي لسوريا: ل and its noun belong to
                # the title; not in المحامية ليلى بن سالم, مدرب النصر لوكا ماريني (names with ل)
                seen_article = False
                k += 1
            elif not seen_article:
                k += 1  # a construct: رئيس مجلس النواب
            else:
                break
        return k

    def _name_run(self, words: list[_Token]) -> list[_Token]:
        """A name at the start of `words`. A body's name takes every article-word that follows
        (خلية الاعلام الامني، كتائب حزب الله); a person's is up to three plain words (بن/أبو/عبد aside)
        and at most one article-word, its surname (عبده الحذيفي، بشار الأسد) or, after two plain
        words, a nisba (محمد علي الحوثي). Words with a possessive ending (قواته) are never part of it."""
        if not words:
            return []
        first = words[0]
        if (_is_definite(first) or self._is_role(first) or first.bare in STOP_WORDS or first.key in QUANTIFIERS
                or first.bare in NAMED_AS or _is_prepositional(first)
                or first.bare in TIME_WORDS or any(c.isdigit() for c in first.text) or len(first.fold) < 2
                or self._verb_kind(first) or first.key in self.participles or first.bare in AUXILIARIES):
            return []
        body = strip_article(first.bare) in BODY_NOUNS or strip_article(first.key) in BODY_NOUNS
        run: list[_Token] = []
        plain = 0
        for tok in words:
            if not tok.is_word or tok.bare in STOP_WORDS or tok.bare in TIME_WORDS or self._verb_kind(tok) \
                    or any(c.isdigit() for c in tok.text) or (run and self._is_role(tok) and not (
                        plain == 1 and not body and self._surname_like(tok))):
                break
            after_link = bool(run) and run[-1].fold in NAME_LINKS
            if _is_definite(tok, after_conjunction=False):
                if body or after_link or tok.fold in COMPOUND_NAME_ENDS or tok.fold in NAME_LINKS:
                    run.append(tok)  # خلية الاعلام الامني، عبد الله، محمد العبد العالي
                    continue
                if plain >= 2 and not tok.fold.endswith("ي") and not self._punctuation_follows(tok):
                    break  # دونالد ترامب الاتفاق: the object; محمد مجاهد الزيات، : the surname
                run.append(tok)
                break  # a person's surname ends the name
            if run and _is_definite(run[-1], after_conjunction=False) and not (
                    len(run) > 1 and run[-2].fold in NAME_LINKS) and run[-1].fold not in COMPOUND_NAME_ENDS:
                # a plain word after the article-words ends a name (but عبد الرحمن آل ثاني and
                # حسام الدين فوزي go on)
                break
            if tok.fold not in NAME_LINKS:
                if plain == 3 or _has_possessive(tok.text):
                    break
                plain += 1
            run.append(tok)
            if len(run) >= 6:
                break
        if plain >= 2 and not body and not _is_definite(run[-1], after_conjunction=False):
            # بن والاس سحب قواته: a plain word followed by more words is more likely the clause going on
            k = self._token_index(run[-1].start) + 1
            nxt = self.tokens[k] if k < len(self.tokens) else None
            if nxt is not None and nxt.is_word and not self._ends_name(nxt):
                run.pop()
        return run

    def _surname_like(self, tok: _Token) -> bool:
        """A title word after a first name is its surname (سامر الخطيب، أحمد الشيخ) when no title
        goes on after it (not كاغينز المتحدث باسم، محمد الأمين العام)."""
        if not _is_definite(tok, after_conjunction=False):
            return False
        k = self._token_index(tok.start) + 1
        nxt = self.tokens[k] if k < len(self.tokens) else None
        return nxt is None or not nxt.is_word or not (
            _is_definite(nxt) or nxt.fold in TITLE_LINKS or self._is_role(nxt) or nxt.fold.startswith("ل"))

    def _punctuation_follows(self, tok: _Token) -> bool:
        k = self._token_index(tok.start) + 1
        return k >= len(self.tokens) or self.tokens[k].text in "،,.:؛;!?؟)"

    def _ends_name(self, tok: _Token) -> bool:
        return (self._stops_noun_phrase(tok) or _is_definite(tok) or self._is_role(tok) or tok.text in MARKS
                or tok.bare in COMPLEMENTIZERS)

    # -- the article's people and bodies ---------------------------------------------------------------
    def _person_names(self) -> list[list[str]]:
        """Names that follow a title anywhere (وزير الداخلية اليمني اللواء عبده الحذيفي): a short
        span in marks that repeats one is a name, not a phrase."""
        names = []
        for k, tok in enumerate(self.tokens):
            if self._is_role(tok):
                words: list[_Token] = []
                for t in self.tokens[k:k + 12]:
                    if not t.is_word:
                        break
                    words.append(t)
                name = self._name_in(words)
                if name is not None:
                    names.append(fold(name.name).split())
        return names

    def _collect_entities(self, quotes: list[Quote]) -> list[_Entity]:
        """Every subject named in the article, every title with its name, every name in marks: what
        a short or definite mention (كاغينز، الخلية، المسؤول السعودي) resolves to."""
        entities = [entity for _, entity in self.subject_events]
        for k, tok in enumerate(self.tokens):
            if self._is_role(tok) and not self._inside_quotation(tok.start):
                words: list[_Token] = []
                j = k
                while j < min(k + 14, len(self.tokens)):
                    t = self.tokens[j]
                    if self._abbreviation_dot(j):
                        j += 1
                        continue
                    if t.key in TITLE_PREPOSITIONS and (end := self._title_pp_end(words, j)) is not None:
                        words.extend(self.tokens[j:end])
                        j = end
                        continue
                    if t.text in MARKS or (t.is_word and self._stops_noun_phrase(t)) or (
                            not t.is_word and t.text not in "،,") or (t.text in "،," and not self._appositive_at(j + 1)) \
                            or self._feminine_after_title(words, t):
                        break
                    words.append(t)
                    j += 1
                while words and not words[-1].is_word:
                    words.pop()
                if words:
                    entities.append(self._entity(words))
        for quote in quotes:
            if quote.kind in ("name", "title"):
                entities.append(_Entity(quote.text, quote.text, quote.start, quote.end, named=quote.kind == "name"))
        return entities

    def _subject_events(self) -> list[tuple[int, _Entity]]:
        """Where the article names the subject of a reporting verb, or of `وكانت X قد`, in order:
        what a dropped subject refers back to."""
        events = []
        for k, tok in enumerate(self.tokens):
            if not tok.is_word or self._inside_quotation(tok.start):
                continue
            subject = None
            if self._verb_kind(tok) and not self._relays_statement(tok):
                sentence = self._sentence_at(tok.start)
                subject = self._subject(tok, sentence.start, sentence.end)
            elif tok.bare in AUXILIARIES:
                subject = self._auxiliary_subject(k)
            if subject is not None:
                events.append((tok.start, subject))
        return events

    def _auxiliary_subject(self, k: int) -> _Entity | None:
        """`وكانت كتائب حزب الله في العراق قد جددت`: the noun phrase between كان and قد is the subject."""
        window = self.tokens[k + 1:k + 14]
        if not any(t.bare in ("قد", "لقد") for t in window):
            return None
        words: list[_Token] = []
        for t in window:
            if t.start in self.names_at and words and (
                    {words[0].bare, _strip_clitic(words[0].bare)} & (MEDIA_NOUNS | ORGANIZATION_NOUNS)):
                named = self.names_at[t.start]  # وكانت منظمة "أنا يقظ" قد وصفت
                return _Entity(named.text, named.text, named.start, named.end, named=True,
                               phrase=self.text[words[0].start:named.end], phrase_start=words[0].start)
            if not t.is_word or self._stops_noun_phrase(t):
                break
            words.append(t)
        return self._entity(words) if words else None

    def _subject_of_auxiliary(self, verb: _Token) -> _Entity | None:
        """`وكانت X قد وصفت`: a verb right after قد has the subject of the كان that opened its clause."""
        k = self._token_index(verb.start)
        if k < 2 or self.tokens[k - 1].bare not in ("قد", "لقد"):
            return None
        for j in range(k - 2, max(-1, k - 16), -1):
            tok = self.tokens[j]
            if tok.bare in AUXILIARIES:
                return self._auxiliary_subject(j)
            if not tok.is_word and tok.start not in self.name_marks:
                return None
        return None

    def _speaker_from(self, entity: _Entity) -> Speaker:
        return Speaker(mention=entity.mention, name=self._resolve(entity.name, entity.start), start=entity.start,
                       end=entity.end)

    def _resolve(self, name: str, at: int | None = None) -> str:
        """The fullest name for a mention; `at`, where the mention is, picks among people who share a
        title (المدرب: the coach named last before it)."""
        if (name, at) not in self.resolved:
            self.resolved[(name, at)] = self._fullest_name(name, at)
        return self.resolved[(name, at)]

    def _fullest_name(self, name: str, at: int | None = None) -> str:
        """The fullest form in the article: a surname to the full name ending with it (كاغينز →
        مايلز كاغينز), a definite noun to the body it names (الخلية → خلية الاعلام الامني), a title
        with adjectives to the person who holds it (المسؤول اليمني → عبده الحذيفي)."""
        words = fold(name).split()
        if not words:
            return name
        forms = self._entity_forms()
        best: _EntityForms | None = None
        for f in forms:
            cand = f.name_words
            if f.entity.named and len(cand) > len(words) and cand[-len(words):] == words and (
                    best is None or len(cand) > len(best.name_words)):
                best = f
        if best is not None:
            return best.entity.name
        if not (words[0].startswith("ال") or _role_forms_of(words[0]) & self.roles):
            return _clean_mention(name)
        bare = [strip_article(w) for w in words]
        longest, longest_len = None, len(bare)
        latest: _EntityForms | None = None  # the last one with this title named before the mention
        for f in forms:
            for raw, cand in ((f.entity.name, f.name_base), (f.phrase_raw, f.phrase_base)):
                if len(cand) > len(bare) and cand[:len(bare)] == bare and _same_ending(name, raw):
                    if len(cand) > longest_len:
                        longest, longest_len = f.entity.name, len(cand)
                    if f.entity.named and at is not None and f.start < at and (latest is None or f.start > latest.start):
                        latest = f
        if latest is not None and fold(latest.entity.name) != fold(name):
            return latest.entity.name
        if longest is None:
            # الخارجية → وزارة الخارجية الروسية: a named body whose name holds the mention's words
            for f in forms:
                cand = [strip_article(w) for w in f.name_words]
                if f.entity.named and len(cand) > longest_len and _contains(cand, bare):
                    longest, longest_len = f.entity.name, len(cand)
        if longest is not None and fold(longest) != fold(name):
            return longest
        occurrence = self._fullest_occurrence(bare)
        if occurrence is not None:
            return occurrence
        if _role_forms_of(words[0]) & self.roles and len(words) > 1:
            # المسؤول اليمني: the named person whose title carries the same adjectives (and the same
            # title, unless the mention's is the generic المسؤول: وزير المياه is not الخبير في شؤون المياه)
            for f in forms:
                title = f.phrase_base
                if f.entity.named and f.name_words != f.phrase_words and all(w in title for w in bare[1:]) \
                        and (bare[0] in title or bare[0] in GENERIC_TITLES):
                    return f.entity.name
        return _clean_mention(name)

    def _entity_forms(self) -> list[_EntityForms]:
        """The article's entities once each, with the folded forms names are compared by."""
        if self.forms is None:
            seen: set[tuple[str, str, int | None]] = set()
            self.forms = []
            for entity in self.entities:
                key = (entity.name, entity.phrase, entity.phrase_start)
                if key in seen:
                    continue
                seen.add(key)
                phrase = entity.phrase or entity.mention
                name_words, phrase_words = fold(entity.name).split(), fold(phrase).split()
                self.forms.append(_EntityForms(
                    entity, name_words, [_base_word(w) for w in name_words], phrase, phrase_words,
                    [_base_word(w) for w in phrase_words],
                    entity.phrase_start if entity.phrase_start is not None else entity.start))
        return self.forms

    def _fullest_occurrence(self, bare: list[str]) -> str | None:
        """The longest run in the text that starts with these words (with or without the article)
        and goes on with article-words: القرار → القرار الكويتي السويدي, الكتائب → كتائب حزب الله."""
        if self.positions is None:
            self.positions = {}
            for k, tok in enumerate(self.tokens):
                if tok.is_word:
                    self.positions.setdefault(tok.base, []).append(k)
                    self.positions.setdefault(strip_article(tok.fold), []).append(k)
        best: list[_Token] = []
        n = len(bare)
        for k in sorted(set(self.positions.get(bare[0], ()))):
            window = self.tokens[k:k + n]
            if len(window) < n or any(not t.is_word for t in window) or self._inside_quotation(window[0].start):
                continue
            if [strip_article(t.fold) for t in window] != bare and [t.base for t in window] != bare:
                continue
            run, pending = list(window), []
            for t in self.tokens[k + n:k + n + 6]:
                if not t.is_word or self._stops_noun_phrase(t) or any(c.isdigit() for c in t.text) \
                        or _object_follows(run, t) or self._feminine_after_title(run, t):
                    break
                if t.fold.startswith("ال"):
                    run += pending + [t]
                    pending = []
                elif run[-1].fold.startswith("ال") and len(run) > n or len(pending) >= 2:
                    break
                else:
                    pending.append(t)
            if len(run) > len(best):
                best = run
        if len(best) > n:
            return _clean_mention(self.text[best[0].start:best[-1].end])
        return None

    # -- token helpers --------------------------------------------------------------------------------
    def _token_index(self, offset: int) -> int:
        return bisect.bisect_left(self.token_starts, offset)

    def _tokens_between(self, start: int, end: int, *, keep_quotes: bool = False) -> list[_Token]:
        """Tokens in [start, end), without the insides of quotations (names in marks stay)."""
        k = self._token_index(start)
        out = []
        while k < len(self.tokens) and self.tokens[k].start < end:
            tok = self.tokens[k]
            if keep_quotes or not self._inside_quotation(tok.start):
                out.append(tok)
            k += 1
        return out

    def _inside_quotation(self, offset: int) -> bool:
        """Whether `offset` lies between the marks of a quotation (not a name's)."""
        k = bisect.bisect_left(self.inside_opens, offset) - 1
        return k >= 0 and self.inside_reach[k] > offset

    def _words_before(self, offset: int, n: int) -> list[_Token]:
        sentence = self._sentence_at(offset) if self.sentences else None
        floor = sentence.start if sentence is not None else 0
        k = self._token_index(offset)
        out = []
        while k > 0 and len(out) < n:
            k -= 1
            tok = self.tokens[k]
            if tok.start < floor or (tok.text in MARKS and tok.start not in self.name_marks):
                break  # the previous quotation; the marks of a name (اطلع "ناس" عليه) do not count
            out.insert(0, tok)
        return out

    def _sentence_tokens_before(self, offset: int) -> list[_Token]:
        sentence = self._sentence_at(offset) if self.sentences else None
        return self._tokens_between(sentence.start if sentence is not None else 0, offset)

    def _flag(self, offset: int, message: str) -> None:
        if not self.s.flag_problems or not self.sentences:
            return
        sentence = self._sentence_at(offset)
        if sentence.flags is None:
            sentence.flags = []
        sentence.flags.append(Flag(rule="quote-marks", severity="warning", message=message,
                                   span=(offset, offset + 1), on="ar"))


# -- small helpers ------------------------------------------------------------------------------------
def _with_apostrophe_marks(text: str) -> str:
    """The text with each pair of apostrophes used as a quotation mark (''على حافة النيل'') turned into
    a space and a straight mark, the mark on the side of the words, so that offsets do not move."""
    if "''" not in text:
        return text
    def mark(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() > 0 else " "
        return '" ' if before.isalnum() else ' "'
    return re.sub(r"(?<!')''(?!')", mark, text)


def _paragraphs_of(text: str) -> list[Paragraph]:
    paragraphs, start = [], 0
    for k, line in enumerate(text.split("\n")):
        paragraphs.append(Paragraph(id=f"p{k + 1}", start=start, end=start + len(line)))
        start += len(line) + 1
    return paragraphs


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _with_plurals(verbs: set[str]) -> set[str]:
    """The verbs with their plural forms added: تابع → تابعوا, يتابع → يتابعون."""
    past = {v for v in verbs if v[0] != "ي" and not (v[0] == "ت" and "ي" + v[1:] in verbs)}
    plurals = {v + "وا" for v in past if not v.endswith(("ت", "وا", "ون"))}
    plurals |= {v + "ون" for v in verbs if v[0] == "ي" and not v.endswith("ون")}
    return verbs | plurals


def _role_forms(tok: _Token) -> set[str]:
    """How a title noun is looked up: without a conjunction, a preposition glued to it, the article
    or the feminine ending (والمحامية، للمخرجة، الوزيرة → محامي، مخرج، وزير)."""
    return _role_forms_of(tok.fold) | _role_forms_of(tok.bare)


def _role_forms_of(word: str) -> set[str]:
    forms = set()
    for w in (word, word[1:] if word[:1] in "لبوف" and word[1:3] == "ال" else word,
              "ال" + word[2:] if word.startswith("لل") else word):
        w = strip_article(w)
        forms.add(w)
        if w.endswith("ه") and len(w) > 3:
            forms.add(w[:-1])
        for suffix in ("هما", "هم", "ها", "ه"):  # نظيرته، نظيره: with a possessive
            stem = w[:-len(suffix)]
            if w.endswith(suffix) and len(stem) >= 3:
                stem = stem[:-1] + "ه" if stem.endswith("ت") else stem
                forms.update((stem, stem[:-1]) if stem.endswith("ه") else (stem,))
                break
    return forms


def _base_word(word: str) -> str:
    """A folded word as names are compared: without a conjunction or preposition before the article,
    and without the article (والمحاميه، للمخرجه، المخرجه → محاميه، مخرجه)."""
    if word[:1] in "وفلب" and word[1:3] == "ال":
        word = word[1:]
    elif word.startswith("لل"):
        word = "ال" + word[2:]
    return strip_article(word)


def _same_ending(a: str, b: str) -> bool:
    """Whether two phrases' first words agree in their last letter where folding hides it: المخرجة (the
    woman director) is not مخرجه (his director)."""
    wa, wb = a.split()[:1], b.split()[:1]
    if not wa or not wb:
        return True
    ea, eb = _MARKS_RE.sub("", wa[0])[-1:], _MARKS_RE.sub("", wb[0])[-1:]
    return {ea, eb} != {"ة", "ه"}


def _split_commas(words: list[_Token]) -> list[list[_Token]]:
    segments: list[list[_Token]] = [[]]
    for tok in words:
        if tok.text in "،,":
            segments.append([])
        else:
            segments[-1].append(tok)
    return [s for s in segments if s]


def _is_adverbial(tok: _Token) -> bool:
    """A fronted phrase, not a subject: a preposition (في، عن، بشأن، بالإضافة), a time word, كما."""
    bare = tok.bare
    if bare in STOP_WORDS or bare in TIME_WORDS or bare in ("بشان", "بالاضافه", "بالتالي"):
        return True
    return bare.startswith(("بال", "لل")) or (bare.startswith("ب") and bare[1:] in ("شان", "حسب"))


def _is_nisba(tok: _Token) -> bool:
    """البرتغالي، الأردنية: a definite adjective of origin, which may stand before a name."""
    word = strip_conjunction(tok.fold)
    return word.startswith("ال") and word.endswith(("ي", "يه")) and len(word) >= 5


def _is_addressee(tok: _Token) -> bool:
    """للصحفيين، لوسائل الإعلام: whom something was said to, after the speaker."""
    word = tok.fold
    if word.startswith("لل"):
        word = word[2:]
    elif word.startswith("ل"):
        word = word[1:]
    else:
        return False
    return word in ADDRESSEES


def _is_passive(tok: _Token) -> bool:
    """كُتب، نُقل: a verb written with a damma on its first letter (after و/ف) is passive."""
    text = tok.text[1:] if tok.key != tok.bare else tok.text
    return len(text) > 1 and text[1] == "\u064f"


def _feminine(text: str) -> bool:
    """Written with the feminine ending ة (or the plural ات)."""
    return _MARKS_RE.sub("", text).endswith(("ة", "ات"))


def _is_attribution(tok: _Token) -> bool:
    """بحسب، وفقا، نقلا: by the word as written too, since و of وفق is not a conjunction."""
    return tok.key in ATTRIBUTION or tok.bare in ATTRIBUTION


def _is_prepositional(tok: _Token) -> bool:
    """للصحفيين، لوكالة: a word with a preposition glued to it cannot start a subject."""
    return tok.fold.startswith("لل") or (tok.fold[:1] == "ل" and tok.fold[1:] in MEDIA_NOUNS | BODY_NOUNS)


def _is_plural_noun(tok: _Token) -> bool:
    """ناشطون، المحتجون، مراقبين: a sound masculine plural (not a verb: يقولون)."""
    return tok.is_word and _is_plural_noun_text(tok.text)


def _is_plural_noun_text(text: str) -> bool:
    words = fold(text).split()
    if not words:
        return False
    word = strip_article(strip_conjunction(words[0]))
    definite = strip_conjunction(words[0]).startswith("ال")
    verb_like = word[0] in "يت" or word[:2] in ("سي", "ست")  # يقولون، سيعودون
    return len(word) >= 5 and word.endswith(("ون", "ين")) and (definite or not verb_like)


def _strip_clitic(word: str) -> str:
    """A folded word without one leading proclitic letter (لصحيفه → صحيفه) when a word remains."""
    return word[1:] if len(word) > 3 and word[0] in "لبوفك" else word


def _is_definite(tok: _Token, *, after_conjunction: bool = True) -> bool:
    """الخلية, للأمم, and (with `after_conjunction`) والشخص: the article. Inside a name a word like
    والاس is a name, not و + ال."""
    word = _MARKS_RE.sub("", tok.text)
    return word.startswith(("ال", "لل")) or (after_conjunction and word[:1] in "وف" and word[1:3] in ("ال", "لل"))


def _object_follows(words: list[_Token], tok: _Token) -> bool:
    """`ووصف المعارضون الاتفاق`: a definite plural (-ون) is not followed by its adjective unless that
    agrees (المعارضون السوريون); another definite noun is the verb's object."""
    if not words or not words[-1].is_word:
        return False
    last = words[-1].fold
    return _is_definite(words[-1]) and last.endswith("ون") and _is_definite(tok) and not tok.fold.endswith(("ون", "ين"))


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


def _has_possessive(text: str) -> bool:
    """قواته، بلادها، حسابهم: a pronoun ending (ة is not one), so not a name's word."""
    return len(text) >= 5 and text.endswith(("ه", "ها", "هم", "هما"))


def _looks_like_person(words: list[str]) -> bool:
    """عبدالخالق الحوثي, أبو علي العسكري, محمد بن سلمان: the shapes of Arabic personal names."""
    if not 1 < len(words) <= 3:
        return False
    return words[0].startswith("عبد") or words[0] in ("ابو", "ام", "ابن") or "بن" in words[1:-1]


def _ends_with(name: list[str], words: list[str]) -> bool:
    return len(name) > len(words) and name[-len(words):] == words


def _has_pronoun_suffix(text: str) -> bool:
    """بيانها، اسمه: a pronoun ending, read on the unfolded word (الوزارة ends with ة, not with ه)."""
    return _MARKS_RE.sub("", text).endswith(("ها", "ه", "هم", "هما"))


def _is_latin_after_la(text: str) -> bool:
    """لـCNN: an outlet glued to its preposition."""
    plain = text.replace(_TATWEEL, "")
    return len(plain) > 1 and plain[0] == "ل" and plain[1].isascii() and plain[1].isalpha()


def _clean_mention(text: str) -> str:
    """A mention as a name: without a conjunction before its article (والشخص → الشخص), one space
    between words."""
    words = text.split()
    if words and words[0][:1] in "وف" and fold(words[0])[1:3] == "ال":
        words[0] = words[0][1:]
    return " ".join(words)


def _with_commas(words: list[_Token], tokens: list[_Token], index) -> list[_Token]:
    """The words with the commas between them put back, so that a mention keeps its segments."""
    if not words:
        return words
    first, last = index(words[0].start), index(words[-1].start)
    return [t for t in tokens[first:last + 1] if t.is_word or t.text in "،,"]


def _again(speaker: Speaker | None) -> Speaker | None:
    """The same speaker, met again without a mention of its own in this sentence."""
    if speaker is None:
        return None
    return Speaker(mention=speaker.mention, name=speaker.name, start=None, end=None)
