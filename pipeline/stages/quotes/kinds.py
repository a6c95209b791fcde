"""What each span in marks is: a quotation (speech, phrase, nested) or a name, a title or a term."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from pipeline.arabic import fold, strip_article, strip_conjunction
from pipeline.document import Quote
from pipeline.lexicon import (
    AUXILIARIES,
    BODY_NOUNS,
    CALLED,
    COMPLEMENTIZERS,
    CUE_VERBS,
    DESIGNATION_WORDS,
    GRANTED,
    HEAD_NOUNS,
    LABEL_NOUNS,
    MEDIA_NOUNS,
    NAMED_AS,
    NAMING_NOUNS,
    ORGANIZATION_NOUNS,
    OUTLET_VERBS,
    PLACE_NOUNS,
    PLATFORMS,
    READ_VERBS,
    RELATIVES,
    REPORTED_SAYING,
    SAYING_NOUNS,
    STOP_WORDS,
    WITH_WORDS,
    WORK_NOUNS,
    WRITTEN,
)
from pipeline.stages.quotes.marks import Span
from pipeline.stages.quotes.tokens import (
    ARABIC,
    ARTICLE_START,
    MARKS,
    WORD,
    Token,
    ends_with,
    has_pronoun_suffix,
    is_attribution,
    is_definite,
    is_nisba,
    is_prepositional,
    looks_like_person,
    role_forms_of,
    strip_clitic,
)
from pipeline.text import trim_span


def _noun_forms(word: str) -> set[str]:
    """A folded noun as the lists hold it: without a clitic letter or the article before it, and
    without a possessive or the plural ات after it (لكتاب، أغنيتي، روايته، فعاليات → كتاب، اغنيه، روايه،
    فعاليه)."""
    forms = {word, strip_clitic(word)}
    forms |= {strip_article(form) for form in forms}
    forms |= {form[:-2] + "ه" for form in forms if form.endswith("ات") and len(form) > 4}  # فعاليات
    for form in list(forms):
        for suffix in ("ها", "هم", "ه", "ي"):
            stem = form[:-len(suffix)]
            if form.endswith(suffix) and len(stem) >= 3:
                forms.add(stem[:-1] + "ه" if stem.endswith("ت") else stem)
                break
    return forms


class Kinds:
    """The part of the quotes stage that tells quotations from names and terms: a mixin of `_Finder`."""

    def classify(self, spans: list[Span]) -> list[Quote]:
        quotes: list[Quote] = []
        registry_names = self._person_names()
        self._count_uses(spans)
        containers: list[Quote] = []  # quotations that may hold the next span, outermost first
        for span in spans:
            start, end = trim_span(self.text, span.open + 1, span.end)
            if start >= end:
                continue
            quote = Quote(id="", sentence="", start=start, end=end, text=self.doc.text[start:end], kind="speech",
                          marks=(span.open_mark, span.close_mark), problems=list(span.problems))
            quote.id = f"q{len(quotes) + 1}"
            self.opens[quote.id] = span.open
            self.closes[quote.id] = span.close if span.close is not None else end
            while containers and containers[-1].end < end:
                containers.pop()  # quotations that end before this one cannot hold it
            parent = containers[-1] if containers else None
            quote.kind = self._kind(quote, parent, registry_names)
            if quote.kind in ("name", "title", "term"):
                self.name_marks.update((span.open, span.close if span.close is not None else -1))
                self.names_at[span.open] = quote
            quotes.append(quote)
            if quote.is_quotation:
                containers.append(quote)
            if quote.kind == "nested" and parent is not None:
                quote.parent = parent.id
        self._same_kind_again(quotes)
        return quotes

    def _same_kind_again(self, quotes: list[Quote]) -> None:
        """A term (or a short span inside a quotation) is what the same words were earlier in the
        article (a phrase quoted, then repeated in marks) or what the span it is joined to by و is
        (`"تصفية" و"تعذيب"`, `”الشروق” المصرية و”الرأي” الكويتية`); a term used more than once, in
        marks or not, is a name (`«سابك»`)."""
        seen: dict[str, str] = {}
        for k, quote in enumerate(quotes):
            folded = fold(quote.text)
            previous = quotes[k - 1] if k else None
            joined = previous is not None and previous.kind != quote.kind and \
                self.text[self.closes[previous.id] + 1:self.opens[quote.id]].strip(" ،,") in ("و", "او", "أو", "")
            if quote.kind in ("nested", "phrase") and joined and previous.kind == "term":
                quote.kind = "term"  # “الموت لأمريكا” و”الموت لإسرائيل”
            if quote.kind == "nested" and seen.get(folded) in ("term", "name", "title"):
                quote.kind = seen[folded]  # the chant met again inside the speaker's quotation
            if quote.kind == "term":
                if folded in seen and seen[folded] != "term":
                    quote.kind = seen[folded]
                elif joined and previous.kind in ("phrase", "name", "title"):
                    quote.kind = previous.kind
                elif self.marked_uses[folded] > 1 or self._used_unmarked(folded):
                    quote.kind = "name"
            if not quote.is_quotation:
                quote.parent = None
            seen.setdefault(folded, quote.kind)

    def _kind(self, quote: Quote, parent: Quote | None, person_names: list[list[str]]) -> str:
        words = [w for w in (fold(t) for t in WORD.findall(quote.text))
                 if w[:1].isalnum()]  # a tatweel standing alone as a dash (ـ) folds to nothing
        name_words = [w for w in words if not w.isdigit()] or words  # «صحيفة السياسة 22/07/2015»
        before = self._words_before(self.opens[quote.id], 4)
        if not words:
            return "term"  # marks around punctuation only: `"."`
        if len(name_words) <= self.s.max_name_words:
            kind = self._name_or_title(quote, name_words, before, person_names) or \
                self._used_as(quote, name_words, before)
            if kind:
                return kind
        elif self._titles_a_work(before) or self._titles_a_work(before, NAMING_NOUNS):
            return "title"  # كتاب "الطريق إلى السلام في الشرق الأوسط", حملة «معا ضد الإرهاب والفكر الضال»
        quotation = "nested" if parent is not None else "speech"
        if len(words) > self.s.max_phrase_words:
            return "title" if self._long_name(quote, words) else quotation
        # A short span is a quotation only where the text gives it to someone: a verb of saying hands
        # over to it, or a cue of saying stands close before it (or an attribution after it).
        if self._introduced_as_speech(self.opens[quote.id]):
            return quotation if parent is not None or not self._subject_of_next_verb(quote) else "name"
        if parent is not None:
            return "nested"  # the speaker's own word in marks: «لقد قلنا لهم "لا" بوضوح»
        return "phrase" if self._cued(quote, len(words)) else "term"

    def _name_or_title(self, quote: Quote, words: list[str], before: list[Token],
                       person_names: list[list[str]]) -> str | None:
        if not words:
            return None
        if not ARABIC.search(quote.text):
            return "name"  # «LTC», “966 Podcast”: a Latin-script name in Arabic text
        prev = before[-1] if before else None
        if strip_article(words[0]) in self.roles:
            return "title"  # «المسؤول اليمني»: a title standing for a person
        if prev is not None and prev.is_word and not is_definite(prev) and (
                {prev.key, strip_clitic(prev.key)} & (MEDIA_NOUNS | ORGANIZATION_NOUNS
                                                        | BODY_NOUNS)):
            return "name"  # صحيفة "يني سافاك", حركة "حماس", مدير مكتب «ايكواناليتيكا»
        if self._designation_before(before):
            return "title"  # ما يعرف بـ"صفقة القرن"
        if prev is not None and prev.bare in READ_VERBS:
            return "name"  # اطلع "ناس" عليه, تلقى “ناس” نسخة منه
        if self._after_account(before):
            return "name"  # على حسابه في منصة "إكس"، على صفحته في "فيسبوك"
        if prev is not None and len(words) <= 3 and (is_attribution(prev) or self._after_attribution(before)):
            return "name"  # بحسب «رويترز», وفقا لـ"الأناضول", نقلا عن «سانا»
        if prev is not None and prev.key == "ل" and self._saying_before(self.opens[quote.id]):
            return "name"  # تصريحات لـ «عكاظ»
        if looks_like_person(words) or any(ends_with(name, words) for name in person_names):
            return "name"  # «عبدالخالق الحوثي», «الحذيفي»
        if self._after_naming_noun(before) or self._titles_a_work(before):
            return "title"  # التدريب العسكري المشترك "تبوك – 4", تقرير "التنمية البشرية"
        name_like = not any(w in STOP_WORDS or strip_conjunction(w) in STOP_WORDS or w in COMPLEMENTIZERS
                            for w in words)  # not لن نتراجع, لا للتجويع
        if prev is not None and self._verb_kind(prev) and name_like and (
                self._speech_follows(quote) or self._object_after(quote)):
            # وقال «الحذيفي» في تصريحات: «...», أعلنت "هيئة تحرير الشام" مسؤوليتها; but not
            # يقولون "لا، لم أفعل ذلك." "لم أقم بذلك": words no name has are said
            return "name"
        if len(words) <= 3 and name_like and not self._introduced_as_speech(self.opens[quote.id]) and not any(
                self._verb_kind(t) for t in before):
            if prev is not None and self._is_role(prev) and not is_prepositional(prev) and \
                    not ARTICLE_START.match(quote.text):
                return "name"  # وتحضر الممثلة «سلمى الحداد»: a title, then the person's name
            if self._clause_verb_before(before) and self._definite_object_after(quote):
                return "name"  # التقت "الغد" الخبير: the subject between a verb and its object
        return None

    def _after_account(self, before: list[Token]) -> bool:
        """`على حسابه في "إكس"`, `عبر صفحتها على "فيسبوك"`: a platform after an account noun."""
        words = [t for t in before if t.is_word]
        if len(words) < 2 or words[-1].key not in ("في", "على", "عبر"):
            return False
        noun = words[-2].fold
        for suffix in ("هما", "هم", "ها", "ه"):
            if has_pronoun_suffix(words[-2].text) and noun.endswith(suffix):
                noun = noun[:-len(suffix)]
                noun = noun[:-1] + "ه" if noun.endswith("ت") else noun  # صفحته → صفحه
                break
        return strip_article(noun) in MEDIA_NOUNS or strip_article(noun) + "ه" in MEDIA_NOUNS

    def _clause_verb_before(self, before: list[Token]) -> bool:
        """The span follows the first word of a clause (after a comma or at the sentence start): most
        likely the clause's verb (التقت "الغد" ..., which looks like an article-word but is not)."""
        words = before[-2:]
        if not words or not words[-1].is_word or words[-1].bare in STOP_WORDS:
            return False
        if self._stops_noun_phrase(words[-1]) or is_prepositional(words[-1]) or words[-1].key in ("ب", "ل"):
            return False
        return len(words) == 1 or words[0].text in "،,:؛" or len(before) == 1

    def _definite_object_after(self, quote: Quote) -> bool:
        k = bisect.bisect_left(self.token_starts, self.closes[quote.id] + 1)
        return k < len(self.tokens) and self.tokens[k].is_word and is_definite(self.tokens[k]) and \
            self.tokens[k].start - self.closes[quote.id] <= 2

    def _after_attribution(self, before: list[Token]) -> bool:
        """وفقا لـ / نقلا عن right before the span."""
        words = [t for t in before if t.is_word]
        return len(words) >= 2 and words[-1].key in ("ل", "عن") and is_attribution(words[-2])

    def _titles_a_work(self, before: list[Token], nouns: frozenset[str] | None = None) -> bool:
        """The span follows a noun of a work (or one of `nouns`) without the article: كتاب "..."."""
        prev = next((t for t in reversed(before) if t.is_word and t.key not in ("ب", "ل")), None)
        return prev is not None and not is_definite(prev) and \
            bool(_noun_forms(prev.key) & (nouns or WORK_NOUNS))

    def _designation_before(self, before: list[Token]) -> bool:
        prev = next((t for t in reversed(before) if t.is_word and t.key not in ("ب", "ل")), None)
        return prev is not None and bool({prev.key, prev.bare, strip_clitic(prev.key)} & DESIGNATION_WORDS)

    def _object_after(self, quote: Quote) -> bool:
        """A span right after a verb followed by more of the clause (an object, not a stop) is the
        verb's subject: أعلنت "هيئة تحرير الشام" مسؤوليتها."""
        k = bisect.bisect_left(self.token_starts, self.closes[quote.id] + 1)
        if k >= len(self.tokens):
            return False
        nxt = self.tokens[k]
        return nxt.is_word and nxt.key == nxt.bare and not self._stops_noun_phrase(nxt) and not is_definite(nxt)

    def _after_naming_noun(self, before: list[Token]) -> bool:
        for k in range(len(before) - 1, -1, -1):
            tok = before[k]
            if not tok.is_word:
                return False
            if _noun_forms(strip_article(tok.key)) & NAMING_NOUNS:
                # أن المهرجان "استعاد روحه": after أن a definite noun is the subject and the span
                # its predicate, not the name of the festival
                return not (k > 0 and is_definite(tok) and before[k - 1].bare in COMPLEMENTIZERS)
            if not is_definite(tok, after_conjunction=False):
                return False  # only adjectives may stand between the noun and the name
        return False

    def _speech_follows(self, quote: Quote) -> bool:
        """After a span in subject position comes what the subject said: a colon, `أن`, or a mark."""
        k = bisect.bisect_left(self.token_starts, self.closes[quote.id] + 1)
        for tok in self.tokens[k:k + 8]:
            if tok.text == ":" or tok.text in MARKS or tok.bare in COMPLEMENTIZERS:
                return True
            if tok.text in ".؟?!" or self._verb_kind(tok) or tok.key in self.participles:
                return False
        return False

    def _introduced_as_speech(self, open_offset: int) -> bool:
        """A short quotation is speech when a verb of saying or a colon hands over to it."""
        before = self._words_before(open_offset, 40)
        if not before:
            return self._sentence_at(open_offset).start >= open_offset - 1 if self.sentences else False
        last = before[-1]
        if last.text == ":" or self._verb_kind(last) == "speech" or last.key in self.participles:
            return True
        if last.bare in ("ان", "انه", "انها") or last.text in "،,":
            # قال إن "..." and «...»، يقول أحد السكان، «...»: handed over by a verb of saying
            return any(self._verb_kind(t) == "speech" or t.key in self.participles for t in before[:-1])
        return False

    def _count_uses(self, spans: list[Span]) -> None:
        """How often each span's words stand in marks, and the text with every span blanked out, where
        the writer's own uses of a name are found."""
        plain = list(self.text)
        self.marked_uses: Counter[str] = Counter()
        for span in spans:
            start, end = trim_span(self.text, span.open + 1, span.end)
            self.marked_uses[fold(self.text[start:end])] += 1
            plain[span.open:span.end + 1] = " " * (span.end + 1 - span.open)
        self.unmarked_text = fold("".join(plain))

    def _used_unmarked(self, folded: str) -> bool:
        """Whether the writer also uses these words without marks (بيع سابك، لدى سابك)."""
        if not folded:
            return False
        return re.search(r"(?<!\w)(?:[وفبلك]|ال|وال|بال|لل|فال|كال)?" + re.escape(folded) + r"(?!\w)",
                         self.unmarked_text) is not None

    def _used_as(self, quote: Quote, words: list[str], before: list[Token]) -> str | None:
        """A short span that the way it is used shows to be a name, a title or a term, whatever cue
        of saying stands near: a name the writer uses again (without marks, or in marks again and
        again), one that its context names, a chant, a slogan or an inscription."""
        folded = fold(quote.text)
        # a writer echoes a quoted characterization (لن تصدر توصيات مشتركة) but seldom a quoted word
        unmarked = self._used_unmarked(folded)
        if unmarked and len(words) == 1 or self.marked_uses[folded] + unmarked >= 3:
            return "name"
        earlier = [t for t in before if t.is_word]
        kind = self._named_by_context(folded, words, earlier) or self._labelled(earlier)
        if kind or self._clause_like(words):
            return kind  # not a name: وقالت امرأة من ولاية الوحدة "كانوا يصطادون الأبقار والناس"
        return self._named_by_position(quote, words, earlier)

    def _named_by_context(self, folded: str, words: list[str], earlier: list[Token]) -> str | None:
        """A name by the words around it: an outlet or a platform, what something is called, the shape
        of a person's name."""
        prev = earlier[-1] if earlier else None
        if prev is not None and prev.bare in WITH_WORDS:
            return "name"  # مقابلة مع "سي إن إن"
        if strip_conjunction(folded).replace(" ", "_") in PLATFORMS or any(
                t.bare in OUTLET_VERBS | READ_VERBS for t in earlier[-2:]):
            return "name"  # على «تويتر»، وعلمت «عكاظ»، التي حصلت عليها “عين اليوم”
        if prev is not None and prev.bare in ("الى", "لدى") and len(earlier) >= 2 and \
                {earlier[-2].bare, strip_clitic(earlier[-2].bare)} & SAYING_NOUNS:
            return "name"  # في تصريحات إلى "الوطن"
        if any(t.bare in GRANTED for t in earlier[-3:]):
            return "name"  # في لقاء خص به «الشرق الأوسط»: the outlet an interview was given to
        if prev is not None and prev.bare in NAMED_AS:
            return "name"  # مذهب ديني يدعى "الحبش"
        if len(earlier) >= 2 and earlier[-1].bare in ("عليه", "عليها", "عليهم") and earlier[-2].bare in CALLED:
            return "title"  # التي غالبا ما يطلق عليها "الحبة"
        if strip_conjunction(words[0]) in MEDIA_NOUNS and len(words) > 1:
            return "name"  # «صحيفة السياسة 22/07/2015»
        if len(words) > 1 and any(w.startswith("عبد") and len(w) > 4 for w in words[1:]):
            return "name"  # محمد عبدالعزيز الحميدي
        return None

    def _labelled(self, earlier: list[Token]) -> str | None:
        """A chant, a slogan or an inscription: هتافات المصلين “الموت لأمريكا”، كتب عليه “الإرهاب”
        (but وردد المحتجون هتافات منها "..." is the protesters' speech)."""
        if any(strip_article(strip_clitic(t.bare)) in LABEL_NOUNS for t in earlier[-2:]) and not any(
                self._verb_kind(t) == "speech" and t.bare not in WRITTEN for t in earlier):
            return "term"
        if len(earlier) >= 2 and earlier[-1].bare in ("عليه", "عليها", "عليهم", "راسه", "راسها") and any(
                t.bare in WRITTEN for t in earlier[:-1]):
            return "term"
        return None

    def _named_by_position(self, quote: Quote, words: list[str], earlier: list[Token]) -> str | None:
        """A name by where it stands: after the noun it names (with that noun's genitive and
        adjectives between), after a title and في, before a nationality or a title, or as the
        subject of أن that a relative clause describes."""
        heads = MEDIA_NOUNS | ORGANIZATION_NOUNS | BODY_NOUNS | PLACE_NOUNS | HEAD_NOUNS
        for k in range(len(earlier) - 1, max(len(earlier) - 4, -1), -1):
            tok = earlier[k]
            if not is_definite(tok) and {tok.key, tok.bare, strip_clitic(tok.bare)} & heads:
                return "name"  # وزارة الزراعة «الثروة السمكية»، وكالة الأنباء الإماراتية «وام»، اعتصامي "رابعة"
            if not is_definite(tok):
                break  # only the head's genitive and adjectives stand between it and the name
        if len(words) > 1 and not words[0].startswith("ال") and strip_conjunction(words[0]) in heads \
                and words[1].startswith("ال"):
            return "name"  # «حزب الله»، «صحيفة السياسة» (but «مجموعة إرهابية» is a characterization)
        if len(words) > 1 and strip_conjunction(words[0]) in PLACE_NOUNS and not words[1].endswith(("ه", "ي")):
            return "name"  # «إقليم آزال»، «جبل المرحة» (but «منطقة آمنة» may be someone's)
        if len(earlier) >= 2 and earlier[-1].bare in ("في", "من") and any(self._is_role(t) for t in earlier[-4:-1]):
            return "name"  # القيادي الكبير في “الحرس الثوري”
        nxt = self._token_after(quote)
        if nxt is None or not nxt.is_word:
            return None
        if earlier and earlier[-1].bare in COMPLEMENTIZERS and strip_conjunction(nxt.key) in RELATIVES:
            return "name"  # وشدد على أن «الإنترنت» والتي ظهرت في عام 2000 جعلت الناس ...
        if is_nisba(nxt) and not nxt.fold.startswith(("و", "ف")):
            return "name"  # ”الشروق” المصرية و”الرأي” الكويتية
        if role_forms_of(nxt.fold) & self.roles and not is_prepositional(nxt):
            return "name"  # أوضح ذلك "محمد العقيل" مدير عام الجمرك
        return None

    def _long_name(self, quote: Quote, words: list[str]) -> bool:
        """A long span that is the name of a body, an event or a system, not a statement: it opens with
        a naming noun and holds no particle, and no verb of saying or أن hands over to it
        (خلال «المؤتمر الإعلامي الدولي لمواجهة الإرهاب التكفيري»، انشاء "مراكز تنسيق أعمال بحث وإنقاذ")."""
        heads = NAMING_NOUNS | BODY_NOUNS | PLACE_NOUNS | HEAD_NOUNS
        if not _noun_forms(strip_conjunction(words[0])) & heads or len(words) > 8:
            return False
        if any(w in STOP_WORDS | AUXILIARIES | COMPLEMENTIZERS for w in words):
            return False
        before = [t for t in self._words_before(self.opens[quote.id], 3)]
        if not before or before[-1].text in ":،," or before[-1].bare in COMPLEMENTIZERS:
            return False
        return not self._introduced_as_speech(self.opens[quote.id])

    def _clause_like(self, words: list[str]) -> bool:
        """Four words or a particle, an auxiliary or a pronoun among them: more a clause than a name."""
        particles = STOP_WORDS | AUXILIARIES | COMPLEMENTIZERS
        return len(words) > 3 or any(w in particles or len(w) > 3 and strip_conjunction(w) in particles
                                     for w in words)

    def _token_after(self, quote: Quote) -> Token | None:
        k = bisect.bisect_left(self.token_starts, self.closes[quote.id] + 1)
        return self.tokens[k] if k < len(self.tokens) else None

    def _cued(self, quote: Quote, length: int) -> bool:
        """A cue of saying close before the span in its sentence: a verb of saying or stance, a
        participle or a noun of saying no more than `attribution_words` words back; an attribution
        right after it (`«...» بحسب الوزارة`); or an interview's answer, all of it the interviewee's."""
        open_offset = self.opens[quote.id]
        if self._interview_turn(open_offset) == "answer":
            return True
        words = [t for t in self._sentence_tokens_before(open_offset) if t.is_word]
        # a single word in marks is as often the writer's own: its cue must stand closer
        reach = self.s.attribution_words if length > 1 else self.s.attribution_words * 3 // 4
        # in a clause of أن the span belongs to the verb that governs the clause, however long the
        # clause's subject: وأكد ... في لقاء خص به «الشرق الأوسط» ... أن عملية المفاوضات ... «تسير على طريقها»
        clause = next((k for k in range(len(words) - 1, -1, -1) if words[k].bare in COMPLEMENTIZERS), None)
        first = len(words) - reach
        if clause is not None and len(words) - clause <= reach:
            first = min(first, clause - self.s.attribution_words * 3 // 4)
        for k in range(max(first, 0), len(words)):
            tok = words[k]
            # إضافة إلى is not أضافه; `كل ما ذكر` (what has been said) gives the span to nobody
            verb = self._verb_kind(tok) and not tok.text.endswith("ة") and not (
                k > 0 and words[k - 1].bare == "ما" and not has_pronoun_suffix(tok.text))
            plural = tok.key.endswith("ين") and tok.key[:-2] + "ا" in self.participles  # مؤكدين أن
            if verb or plural or tok.key in self.participles or tok.bare in CUE_VERBS | REPORTED_SAYING \
                    or is_attribution(tok) \
                    or {tok.bare, strip_clitic(tok.bare), tok.base} & SAYING_NOUNS:
                return True
        end = self._sentence_at(open_offset).end if self.sentences else len(self.text)
        if not self._attribution_after(self.closes[quote.id], end):
            return False
        # `مثل “الجلابية”، قال: “...”`: the verb after the span hands over to the next quotation
        k = bisect.bisect_left(self.token_starts, self.closes[quote.id] + 1)
        return not any(t.text == ":" or t.text in MARKS for t in self.tokens[k:k + 4])

    def _subject_of_next_verb(self, quote: Quote) -> bool:
        """A span opening its sentence with a verb (not one of saying) right after it is the verb's
        subject, not speech: `"اليوم" انتقلت ميدانيا`, `«عكاظ» علمت`."""
        if self._words_before(self.opens[quote.id], 1):
            return False
        k = bisect.bisect_left(self.token_starts, self.closes[quote.id] + 1)
        if k >= len(self.tokens) or not self.tokens[k].is_word:
            return False
        tok = self.tokens[k]
        if self._verb_kind(tok) is not None:
            return False  # `"لن نتراجع" قالت الوزيرة`: the speaker named after the quotation
        return tok.key == tok.bare and not is_definite(tok) and tok.key not in STOP_WORDS \
            and tok.key.endswith("ت") and len(tok.key) >= 4

    def _saying_before(self, offset: int) -> bool:
        for tok in self._sentence_tokens_before(offset):
            if self._verb_kind(tok) or tok.key in self.participles or strip_clitic(tok.bare) in SAYING_NOUNS:
                return True
        return False

