"""Quotation to mention: the verbs of saying, and where the subject of one starts and ends (before or
after the verb, an apposition, an addressee, an unnamed source's description)."""

from __future__ import annotations

from pipeline.arabic import fold, strip_article
from pipeline.lexicon import (
    ADVERBS,
    AUXILIARIES,
    BODY_NOUNS,
    CLAUSE_LINKS,
    COMPLEMENTIZERS,
    MASCULINE_ENDING_IN_TA,
    MEDIA_NOUNS,
    NAME_LINKS,
    NAMED_AS,
    NOUN_HEADS,
    OCCASION_NOUNS,
    ORGANIZATION_NOUNS,
    RELATIVES,
    REPORTED_SAYING,
    SAYING_NOUNS,
    SOURCE_ADJECTIVES,
    STOP_WORDS,
    TIME_WORDS,
    TITLE_LINKS,
    TITLE_PREPOSITIONS,
    VERBAL_NOUN_MARKERS,
)
from pipeline.stages.quotes.entities import Entity
from pipeline.stages.quotes.names import Names, is_person_noun
from pipeline.stages.quotes.tokens import (
    MARKS,
    MARKS_RE,
    Token,
    clean_mention,
    feminine,
    has_possessive,
    is_addressee,
    is_adverbial,
    is_attribution,
    is_definite,
    is_latin_after_la,
    is_nisba,
    is_passive,
    is_prepositional,
    object_follows,
    said_object,
    split_commas,
    strip_clitic,
    with_commas,
)


class Mentions(Names):
    """Reading a clause for its speaker: whether a word is a verb of saying, and that verb's subject."""

    def _verb_kind(self, tok: Token) -> str | None:
        form = self._verb_form(tok)
        if form is None:
            return None
        return "speech" if form in self.speech else "stance"

    def _relays_statement(self, tok: Token) -> bool:
        """`في بيان، نشرته وكالة الأنباء`: a verb whose object pronoun is the statement just named
        tells who published it, not who said it; so does one right after an indefinite statement
        (أعلنت في بيان نشر ليل الثلاثاء: a statement published ...)."""
        form = self._verb_form(tok)
        if form is None:
            return False
        k = self._token_index(tok.start) - 1
        if form in (tok.key, tok.bare):
            prev = self.tokens[k] if k >= 0 else None
            return prev is not None and tok.key == tok.bare and not is_definite(prev) and \
                bool({prev.bare, strip_clitic(prev.bare)} & SAYING_NOUNS)
        while k >= 0 and self.tokens[k].text in "،,":
            k -= 1
        return k >= 0 and bool({strip_article(self.tokens[k].bare), strip_clitic(self.tokens[k].bare)} & SAYING_NOUNS)

    def _verb_form(self, tok: Token) -> str | None:
        """The listed verb a token is (with و/ف and an object pronoun taken off: فردّت، ووصفتها، يصفها،
        سأله), or None. A verb form right after عدم or دون is a verbal noun (طلب عدم ذكر اسمه)."""
        if not tok.is_word:
            return None
        words = (tok.key, tok.bare)
        if words in self.verb_forms:  # the same words come back many times per article
            form = self.verb_forms[words]
        else:
            forms = [tok.key, tok.bare]
            if tok.bare not in REPORTED_SAYING:
                for suffix in ("هما", "هم", "ها", "ه"):
                    for form in (tok.key, tok.bare):
                        if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                            forms.append(form[:-len(suffix)])
            form = self.verb_forms[words] = next((f for f in forms if f in self.verbs), None)
        if form is not None:
            k = self._token_index(tok.start)
            if k > 0 and self.tokens[k - 1].bare in VERBAL_NOUN_MARKERS:
                return None
        return form

    def _agreement(self, tok: Token) -> str | None:
        """What a verb or participle says of its subject: `f` (قالت، تقول، قائلةً), `p` (قالوا،
        يقولون), `m` (قال، يقول، قائلاً), or None when it does not say."""
        if tok.key in self.participles:
            if tok.key.startswith("بال"):
                return None
            return "f" if tok.key.endswith("ه") else "p" if tok.key.endswith(("ين", "ون")) else "m"
        form = self._verb_form(tok)
        if form is None or is_passive(tok):
            return None
        verbs = self.verbs
        if form.endswith("وا") or (form.endswith("ون") and form[0] in "يت"):
            return "p"
        if (form.endswith("ت") and form not in MASCULINE_ENDING_IN_TA) or (
                form[0] == "ت" and "ي" + form[1:] in verbs):
            return "f"
        return "m"

    def _subject(self, verb: Token, floor: int, limit: int) -> Entity | None:
        """The subject of a reporting verb: before it (`والشخص الذي أجاب قال`, `أن النظام يعتبر`) when
        the verb does not open its clause with و, else after it (`وقال المتحدث ... مايلز كاغينز`)."""
        if is_passive(verb):
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

    def _topic_subject(self, verb: Token, floor: int) -> Entity | None:
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

    def _subject_before(self, verb: Token, floor: int) -> Entity | None:
        toks = self._tokens_between(floor, verb.start)
        while toks and toks[-1].bare in ("قد", "لقد", "لم", "لن", "لا") or toks and toks[-1].bare in AUXILIARIES:
            toks.pop()
        if toks and toks[-1].key in RELATIVES:
            # مع أردوغان الذي قال: the noun the relative clause describes, back to a preposition
            words = []
            for tok in reversed(toks[:-1]):
                if not tok.is_word or self._stops_noun_phrase(tok) or is_prepositional(tok):
                    break
                words.insert(0, tok)
            entity = self._entity(words) if 0 < len(words) <= 8 else None
            # only a person or body the article names again: a noun before الذي is as often the
            # object of a verb not in the lists (لم يكن يسعد الابنة التي قالت)
            if entity is not None and entity.named and entity.end == words[-1].end and \
                    self._folded_text().count(fold(entity.name)) > 1:
                return entity
        words: list[Token] = []
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
        while len(words) > 1 and words[0].bare in CLAUSE_LINKS:
            words = words[1:]  # لكن المتحدث باسم المجلس قال: a link between clauses, not the subject
        segments = split_commas(words)
        while segments and is_adverbial(segments[0][0]):
            segments.pop(0)
        while len(segments) > 1 and len(segments[-1]) <= 2 and is_adverbial(segments[-1][0]):
            segments.pop()  # الكاتب خلف الحربي، بدوره، أجاب: an aside after the subject
        if segments and segments[0][0].bare in AUXILIARIES:
            segments[0] = segments[0][1:]
        words = [t for seg in segments for t in seg]
        relative = next((i for i, t in enumerate(words) if t.key in RELATIVES), len(words))
        if 1 < relative < len(words) and self._is_role(words[0]) and is_definite(words[0]):
            # المتحدث باسم المجلس الأوروبي الذي يضم جميع رؤساء الدول قال: the title, not its relative
            # clause (which a bare noun keeps: الشخص الذي أجاب على الهاتف)
            words = words[:relative]
        if not words or len(words) > 10:
            return None
        if self._opens_with_verb(words) and len(words) > 1:
            # وأرسلت مجموعة صيدليات ولغرينز بيانا، قالت فيه: the subject of the clause's own verb
            return self._subject_after(words[0], verb.start)
        if words[0].key != words[0].bare and not is_definite(words[0]) and words[0].bare.endswith("وا"):
            return None  # ورفعوا لافتات كُتب عليها: a clause of its own, not a subject
        if any(t.key != t.bare and t.bare in STOP_WORDS for t in words):
            return None  # وعن حجم خسائر الحوثي قال: a fronted phrase, the subject comes after the verb
        relative = next((i for i, t in enumerate(words) if t.key in RELATIVES), len(words))
        if any(t.key in STOP_WORDS or t.bare in STOP_WORDS for t in words[:relative]):
            return None  # ورفض تأكيد أو نفي: not a noun phrase, so no subject
        return self._entity(with_commas(words, self.tokens, self._token_index))

    def _subject_after(self, verb: Token, limit: int) -> Entity | None:
        k = self._token_index(verb.start) + 1
        k = self._past_addressee(k)
        # A name in marks right after the verb is its subject: وقال «الحذيفي»
        if k < len(self.tokens) and self.tokens[k].start in self.names_at:
            named = self.names_at[self.tokens[k].start]
            return Entity(named.text, named.text, named.start, named.end, named=True)
        if self._verb_kind(verb) == "stance" and k < len(self.tokens) and self.tokens[k].fold[:1] == "ب" and \
                not self.tokens[k].fold.startswith(("بن", "بو")) and self.tokens[k].fold not in self._named_words():
            return None  # وطالب بفتح قنوات الحوار: what was demanded, not who demanded it
        words: list[Token] = []
        while k < len(self.tokens) and self.tokens[k].start < limit and len(words) < 16:
            tok = self.tokens[k]
            if tok.text in "،,":
                if not self._appositive_at(k + 1):
                    break
                words.append(tok)
            elif self._abbreviation_dot(k):
                pass  # د. منذر حدادين
            elif tok.start in self.names_at and words and all(t.is_word for t in words) and (
                    {words[0].bare, strip_clitic(words[0].bare)} & (MEDIA_NOUNS | ORGANIZATION_NOUNS)):
                # اعتبرت صحيفة «الصباح»، أعلنت حركة "حماس": the outlet or group named in marks
                named = self.names_at[tok.start]
                return Entity(named.text, named.text, named.start, named.end, named=True,
                               phrase=self.text[words[0].start:named.end], phrase_start=words[0].start)
            elif tok.start in self.names_at and words and (words[-1].fold in TITLE_LINKS or (
                    self._is_role(words[0]) and words[-1].is_word and not is_definite(words[-1])
                    and not self._is_role(words[-1]))):
                # (and متحدث باسم شركة «إيه.في.إل شريك»: the company in marks ends the title)
                # المتحدث باسم «الدوائر الإفريقية» مارسيل مندي: the body in marks is part of the title
                named = self.names_at[tok.start]
                k = self._token_index(self.closes.get(named.id, named.end) + 1)
                words.extend(t for t in self.tokens[self._token_index(named.start):k] if t.is_word)
                continue
            elif tok.key in TITLE_PREPOSITIONS and (end := self._title_pp_end(words, k)) is not None:
                words.extend(self.tokens[k:end])  # مصدر في الحكومة السودانية، النائب عن بيروت رامي عيتاني
                k = end
                continue
            elif not words and MARKS_RE.sub("", tok.text) == "أم" and k + 1 < len(self.tokens) and \
                    self.tokens[k + 1].is_word and not self._stops_noun_phrase(self.tokens[k + 1]):
                words.append(tok)  # وتقول أم محمد: a kunya, not the conjunction أم
            elif not tok.is_word or self._stops_noun_phrase(tok) or object_follows(words, tok) \
                    or self._object_starts(words, tok) or (not words and is_prepositional(tok)) \
                    or self._addressed(words, tok) or (self._is_role(tok) and not is_definite(tok) and len(words) > 1
                                                      and self._is_description(words)):
                break  # (سأل صحفي هولندي وزير خارجية تركيا: a title after a description starts the object)
            elif said_object(words, tok):
                break
            else:
                words.append(tok)
            k += 1
        while words and not words[-1].is_word:
            words.pop()
        if not words:
            return None
        tail = self._description_tail(words, k, limit)
        if tail is not None or self._is_description(words) and all(
                t.fold.endswith(("ي", "يه")) or t.fold in SOURCE_ADJECTIVES for t in words[1:]):
            # وقال دبلوماسي يتابع الوضع في سوريا: an unnamed source is its whole description
            last = tail - 1 if tail is not None else self._token_index(words[-1].start)
            if self.tokens[last].text == ")":
                last = max(i for i in range(self._token_index(words[0].start), last) if self.tokens[i].text == "(") - 1
            end = self.tokens[last].end
            text = self.text[words[0].start:end]
            return Entity(text, clean_mention(text), words[0].start, end, phrase=text, phrase_start=words[0].start)
        entity = self._entity(words)
        if not entity.named:
            # القيادي في الكتائب (أبو علي العسكري): the name follows in brackets or after a comma.
            appositive = self._appositive(k, limit)
            if appositive is not None:
                return Entity(appositive.mention, appositive.name, appositive.start, appositive.end, named=True,
                               phrase=entity.phrase)
        return entity

    def _past_addressee(self, k: int) -> int:
        """Token `k`, or the token after whom it was said to when the clause names them before the
        subject (كشف لـ«عكاظ» وكيل الوزارة، قال لـCNN المتحدث)."""
        if k >= len(self.tokens):
            return k
        tok = self.tokens[k]
        if is_latin_after_la(tok.text):
            return k + 1
        if tok.fold == "ل" and k + 1 < len(self.tokens) and self.tokens[k + 1].start in self.names_at:
            named = self.names_at[self.tokens[k + 1].start]
            return self._token_index(self.closes.get(named.id, named.end) + 1)
        return k

    def _appositive_at(self, k: int) -> bool:
        """After a comma, the subject goes on only with a title or a name that fills its comma segment:
        `الكولونيل، مايلز كاغينز،` but not `مصدر في الحكومة، طلب عدم ذكر اسمه،`."""
        if k >= len(self.tokens) or not self.tokens[k].is_word or self._stops_noun_phrase(self.tokens[k]) \
                or is_prepositional(self.tokens[k]):
            return False
        if self._is_role(self.tokens[k]) or self.tokens[k].bare in NAMED_AS:
            return True  # عضو هيئة الدفاع، / ويدعى خالد الزعبي،
        if is_nisba(self.tokens[k]):
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
        # (ونفى البنيان، بيع «سابك»: one plain word after a comma is more likely the object)
        return len(name) >= 2 and (not rest or self._stops_noun_phrase(rest[0]))

    def _object_starts(self, words: list[Token], tok: Token) -> bool:
        """`وختمت الوزيرة حديثها`, `وردد المحتجون هتافات`: after a definite subject with no title in it, a
        word with a possessive ending or a word without the article is the verb's object, not more
        of the subject (after a title a plain word starts the name: الرئيس الأمريكي دونالد ترامب)."""
        if not words or not words[-1].is_word or not is_definite(words[-1], after_conjunction=False):
            return False
        if has_possessive(tok.text):
            return True
        if self._feminine_after_title(words, tok):
            return True
        if is_definite(tok) or tok.fold in NAME_LINKS or tok.fold in TITLE_LINKS or self._is_role(tok):
            return False
        return not any(self._is_role(t) or is_person_noun(t) or strip_article(t.bare) in BODY_NOUNS for t in words)

    def _feminine_after_title(self, words: list[Token], tok: Token) -> bool:
        """`وانتقد الوزير الحكومة`: a man's title is not followed by a feminine adjective, so a
        feminine article-word after it is the verb's object."""
        return bool(words) and is_definite(tok, after_conjunction=False) and not tok.fold.startswith("لل") \
            and not self._is_role(tok) and self._is_role(words[-1]) and is_definite(words[-1]) \
            and not feminine(words[-1].text) and feminine(tok.text)

    def _description_tail(self, words: list[Token], k: int, limit: int) -> int | None:
        """Where an unnamed source's description ends when a relative clause or a phrase goes on
        right up to what was said (دبلوماسي يتابع الوضع في سوريا:، قائد كبير في القوات المناهضة
        للحوثيين "): the token of the colon, mark or إن; None when the clause turns elsewhere."""
        if not self._is_description(words):
            return None
        j = k
        while j < len(self.tokens) and self.tokens[j].start < limit and j - k < 12:
            tok = self.tokens[j]
            if tok.text == ":" or tok.text in MARKS or tok.bare in COMPLEMENTIZERS or (
                    j > k and (is_addressee(tok) or self._addressed(words, tok))):
                # (not أشار مسؤول أوروبي إلى "...": a preposition's object in marks)
                return j if j > k and self.tokens[j - 1].bare not in STOP_WORDS else None
            if tok.text == "(" and j > k:
                close = next((i for i in range(j + 1, min(j + 6, len(self.tokens))) if self.tokens[i].text == ")"), None)
                if close is not None:
                    j = close + 1  # في الاتحاد الدولي لكرة القدم (فيفا) لوكالة: an abbreviation in brackets
                    continue
            if not tok.is_word or tok.bare in TIME_WORDS or is_addressee(tok) or self._addressed(words, tok) \
                    or tok.key in self.participles or is_attribution(tok) or tok.bare in REPORTED_SAYING \
                    or (self._verb_kind(tok) and tok.bare[:1] not in "يت") \
                    or (tok.key in TITLE_PREPOSITIONS and j + 1 < len(self.tokens)
                        and strip_article(self.tokens[j + 1].bare) in OCCASION_NOUNS):
                return None  # a new clause, a time, whom it was said to, where: not the description
            j += 1
        return None

    def _opens_with_verb(self, words: list[Token]) -> bool:
        """Words that open with و/ف glued to a word without the article that is no title, no listed
        word and no name the article gives elsewhere: a clause's verb (وخاطب، وأرسلت), not a name."""
        if not words or not words[0].is_word:
            return False
        first = words[0]
        if first.key == first.bare or is_definite(first) or self._is_role(first) or first.bare in STOP_WORDS \
                or first.bare in AUXILIARIES or first.key in NOUN_HEADS:
            return False  # (وزارة، وكالة: a و of the word itself)
        return first.fold not in self._named_words() and first.fold[1:] not in self._named_words()

    def _addressed(self, words: list[Token], tok: Token) -> bool:
        """`قال مورينيو لشبكة`, `قال سياسي يمني لرويترز`, `وقال المسؤول لرويترز`: after a complete
        subject (a name, an indefinite description, a title alone), ل and an outlet or a name of the
        article is whom it was said to."""
        title_alone = len(words) == 1 and self._is_role(words[0]) and is_definite(words[0])
        if not words or not words[-1].is_word or tok.fold[:1] != "ل" or tok.fold.startswith("لل") or \
                len(tok.fold) < 4 or tok.fold in TITLE_LINKS or (self._is_role(words[-1]) and not title_alone):
            return False
        rest = tok.fold[1:]
        if rest not in MEDIA_NOUNS and (rest not in self._article_words() or "ال" + rest in self._article_words()):
            return False  # لوكا (a name with ل), لسوريا after a title
        return title_alone or self._name_in(words) is not None or not any(is_definite(t) for t in words)

    def _stops_noun_phrase(self, tok: Token) -> bool:
        bare = tok.bare
        return (bare in STOP_WORDS or tok.key in STOP_WORDS or bare in TIME_WORDS or bare in COMPLEMENTIZERS
                or bare in ADVERBS or "\u064b" in tok.text and not is_definite(tok)
                or is_attribution(tok) or bare in REPORTED_SAYING or is_addressee(tok)
                or self._verb_kind(tok) is not None or is_latin_after_la(tok.text)
                or tok.key in self.participles and not self._titled(tok))

    def _titled(self, tok: Token) -> bool:
        """متحدثة باسم: a participle's form that is a title, since باسم follows it."""
        k = self._token_index(tok.start) + 1
        return k < len(self.tokens) and self.tokens[k].fold in TITLE_LINKS

    def _appositive(self, k: int, limit: int) -> Entity | None:
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
                ends = j < len(self.tokens) and (self.tokens[j].text in "،,:" or self.tokens[j].text in MARKS
                                                 or self.tokens[j].bare in COMPLEMENTIZERS)
                if seg and ends:  # ، أوليه سولفانج " / ، أوليه سولفانج، : the segment is the name
                    name = self._name_in(seg)
                    if name is not None and len(name.name.split()) >= 2:
                        return name
            k += 1
        return None
