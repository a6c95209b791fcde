"""Names and titles: the name in a noun phrase (after a title chain, or before it), where a title ends,
and an unnamed source's description."""

from __future__ import annotations

from pipeline.arabic import strip_article
from pipeline.lexicon import (
    ASIDE_VERBS,
    AUXILIARIES,
    BODY_NOUNS,
    COMPLEMENTIZERS,
    COMPOUND_NAME_ENDS,
    NAME_LINKS,
    NAME_TITLES,
    NAMED_AS,
    OCCASION_NOUNS,
    PERSON_NOUNS,
    QUANTIFIERS,
    STOP_WORDS,
    TIME_WORDS,
    TITLE_LINKS,
    TITLE_PREPOSITIONS,
)
from pipeline.stages.quotes.entities import Entity
from pipeline.stages.quotes.tokens import (
    MARKS,
    Token,
    clean_mention,
    has_possessive,
    is_definite,
    is_nisba,
    is_prepositional,
    role_forms,
    split_commas,
)


class Names:
    """Reading a noun phrase for the person or body it names."""

    def _is_role(self, tok: Token) -> bool:
        if tok.is_word and len(tok.text) == 1:
            return self.text[tok.end:tok.end + 1] == "."  # د. منذر حدادين: an abbreviated title
        if not tok.is_word:
            return False
        if tok.role is None:  # asked of the same token several times
            tok.role = not self.roles.isdisjoint(role_forms(tok))
        return tok.role

    def _abbreviation_dot(self, k: int) -> bool:
        """The full stop of an abbreviated title (د.), which does not end a noun phrase."""
        return self.tokens[k].text == "." and k > 0 and len(self.tokens[k - 1].text) == 1 and \
            self.tokens[k - 1].is_word and self.tokens[k - 1].end == self.tokens[k].start

    def _named_as(self, k: int) -> Entity | None:
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
                    return Entity(text, text, run[0].start, run[-1].end, named=True)
                return None
        return None

    def _title_pp_end(self, words: list[Token], k: int) -> int | None:
        """Where a prepositional phrase that belongs to a title ends (`مصدر في الحكومة السودانية`,
        `النائب في البرلمان المصري محمود الشاذلي`, `الخبير في شؤون النقل الدكتور`), or None when the
        preposition at `k` says where or how something was said (`قال المتحدث في مؤتمر صحفي`)."""
        if not words or not words[-1].is_word or not any(self._is_role(t) for t in words):
            return None
        last = words[-1]
        if not (self._is_role(last) or is_definite(last)):
            return None  # a name came already: وقالت ليلى حسن في إحاطة
        j = k + 1
        toks = self.tokens
        if j >= len(toks) or not toks[j].is_word or self._stops_noun_phrase(toks[j]) or \
                any(c.isdigit() for c in toks[j].text) or has_possessive(toks[j].text) or \
                strip_article(toks[j].bare) in OCCASION_NOUNS or self._is_role(toks[j]):
            return None
        end = j + 1
        if is_definite(toks[j]):
            end = self._adjectives_end(end)
        else:
            # a construct ending with an article word (شؤون النقل), else one word (بيروت)
            for e in (j + 1, j + 2):
                if e < len(toks) and toks[e].is_word and is_definite(toks[e], after_conjunction=False) and \
                        all(t.is_word and not is_definite(t) and not self._stops_noun_phrase(t)
                            for t in toks[j:e]):
                    if self._name_or_title_at(self._adjectives_end(e + 1)):
                        end = self._adjectives_end(e + 1)
                    break
        indefinite_source = not is_definite(words[0]) and is_definite(toks[j])
        if indefinite_source or self._name_or_title_at(end):
            return end
        return None

    def _adjectives_end(self, k: int) -> int:
        """After a definite noun, its article-words (adjectives and genitives: العامة للجمارك)."""
        while k < len(self.tokens) and self.tokens[k].is_word and is_definite(self.tokens[k]) and \
                not self._is_role(self.tokens[k]) and not self._stops_noun_phrase(self.tokens[k]):
            k += 1
        return k

    def _name_or_title_at(self, k: int) -> bool:
        """A title or a plain word that can start a name at token `k`."""
        if k >= len(self.tokens):
            return False
        tok = self.tokens[k]
        return tok.is_word and (self._is_role(tok) or (
            not is_definite(tok) and not self._stops_noun_phrase(tok) and not any(c.isdigit() for c in tok.text)
            and not is_prepositional(tok)))

    def _is_description(self, words: list[Token]) -> bool:
        """An unnamed source: an indefinite title or noun for a person, then only indefinite
        adjectives (دبلوماسي روسي، قائد كبير، مصدر موثوق به)."""
        if not words or not words[0].is_word or is_definite(words[0]):
            return False
        head = words[0]
        return (self._is_role(head) or strip_article(head.bare) in PERSON_NOUNS) and \
            not any(is_definite(t) or not t.is_word or self._verb_kind(t) for t in words[1:])

    def _entity(self, words: list[Token]) -> Entity:
        """A mention (a run of tokens) and the name it holds: the person after a title chain, the
        first named segment, else the whole mention (`السلطات السعودية`)."""
        start, end = words[0].start, words[-1].end
        phrase = self.text[start:end]
        name = self._name_in(words)
        if name is not None:
            return Entity(name.mention, name.name, name.start, name.end, named=True, phrase=phrase,
                           phrase_start=start)
        if is_definite(words[0]) and not words[0].fold.startswith("ال"):
            start += 1  # والشخص: the mention starts at the article
        mention = self.text[start:end]
        return Entity(mention, clean_mention(mention), start, end, phrase=phrase, phrase_start=words[0].start)

    def _name_in(self, words: list[Token]) -> Entity | None:
        """The name in a mention: in the first comma segment that has one, after any title chain
        (وزير الدفاع البريطاني | بن والاس; رئيس مجلس النواب العراقي | سليم الجبوري)."""
        found: list[tuple[bool, list[Token]]] = []  # (after a title, the name) per comma segment
        for segment in split_commas(words):
            seg = [t for t in segment if t.is_word]
            while seg and (seg[0].bare in NAMED_AS or (is_nisba(seg[0]) and len(seg) > 1)):
                seg = seg[1:]  # ويدعى خالد الزعبي، البرتغالي جورجي سانتوس
            if not seg:
                continue
            # The title may come after a word or two (أستاذي الراحل د. منذر حدادين); failing a name
            # after it, the name may come first (سليم الجبوري رئيس البرلمان).
            role = next((i for i, t in enumerate(seg[:4]) if self._is_role(t) or is_person_noun(t, indefinite=True)),
                        None)  # (رجل الدين الشيعي، مقتدى الصدر: a noun for a person is a title too)
            starts = ([role] if role is not None else []) + ([0] if role != 0 else [])
            if role is not None and role >= 2 and len(seg[role].fold) > 1 and not is_definite(seg[role]) and \
                    len(self._name_run(seg[:role])) == role:
                # بيان ريحان عضو في المجلس المحلي: a name, then the title it holds (but أستاذي الراحل
                # د. منذر حدادين: a title with the article or abbreviated introduces the name after it)
                starts.reverse()
            for start in starts:
                k = self._title_end(seg, start) if start == role else start
                if start == role and self._title_of_another(seg[role:k]):
                    continue  # عضو في حزب الرئيس السابق علي عبد الله صالح: the name is the president's
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
        return Entity(text, text, name[0].start, name[-1].end, named=True)

    def _title_of_another(self, title: list[Token]) -> bool:
        """A title chain whose last title follows باسم or a body (المتحدث باسم الرئيس، عضو في حزب
        الرئيس): the name after it is that title's holder, not the speaker's."""
        for i, tok in enumerate(title[1:], 1):
            if self._is_role(tok) and is_definite(tok) and (
                    title[i - 1].fold in TITLE_LINKS or strip_article(title[i - 1].bare) in BODY_NOUNS):
                return True
        return False

    def _title_end(self, seg: list[Token], k: int) -> int:
        """Past the title chain that starts with the role at `seg[k]`: رئيس مجلس النواب العراقي,
        الأمين العام لجامعة الدول العربية, النائب عن بيروت, الخبير في شؤون النقل الدكتور."""
        first = seg[k]
        # after an article, an abbreviation (د.) or a possessive (مخرجه) no construct follows
        seen_article = is_definite(first) or len(first.text) == 1 or has_possessive(first.text)
        k += 1
        while k < len(seg):
            word = seg[k].fold
            definite = is_definite(seg[k])
            if word in TITLE_LINKS or self._is_role(seg[k]) or definite:
                # وعضو شرف نادي الرياض: a title without the article starts a construct again
                seen_article = definite or (seen_article and not self._is_role(seg[k]))
                k += 1
            elif seg[k].key in TITLE_PREPOSITIONS and (
                    end := self._title_pp_end(seg[:k], self._token_index(seg[k].start))) is not None:
                limit = self.tokens[end].start if end < len(self.tokens) else len(self.text)
                while k < len(seg) and seg[k].start < limit:
                    k += 1
                seen_article = True
            elif word[:1] == "ب" and strip_article(seg[k].key[1:]) in BODY_NOUNS:
                seen_article = False  # المتحدث الأمني بوزارة الداخلية: where the title holder serves
                k += 1
            elif word.startswith("ل") and (seg[k].key[1:] in BODY_NOUNS or (
                    seen_article and not self._is_role(seg[k - 1]) and (
                        (k + 1 < len(seg) and is_definite(seg[k + 1])) or word.endswith("يا")))):
                # الأمين العام لجامعة الدول العربية, المبعوث الأممي لسوريا: ل and its noun belong to
                # the title; not in المحامية ليلى بن سالم, مدرب النصر لوكا ماريني (names with ل)
                seen_article = False
                k += 1
            elif not seen_article:
                k += 1  # a construct: رئيس مجلس النواب
            else:
                break
        return k

    def _name_run(self, words: list[Token]) -> list[Token]:
        """A name at the start of `words`. A body's name takes every article-word that follows
        (خلية الاعلام الامني، كتائب حزب الله); a person's is up to three plain words (بن/أبو/عبد aside)
        and at most one article-word, its surname (عبده الحذيفي، بشار الأسد) or, after two plain
        words, a nisba (محمد علي الحوثي). Words with a possessive ending (قواته) are never part of it."""
        if not words:
            return []
        first = words[0]
        if (is_definite(first) or self._is_role(first) or first.bare in STOP_WORDS or first.key in QUANTIFIERS
                or first.bare in NAMED_AS or first.bare in ASIDE_VERBS or is_prepositional(first)
                or (first.fold[:1] in "بل" and len(first.fold) > 3 and first.fold[1:] in self._article_words())
                or first.bare in TIME_WORDS or any(c.isdigit() for c in first.text) or len(first.fold) < 2
                or self._verb_kind(first) or first.key in self.participles or first.bare in AUXILIARIES):
            return []
        body = strip_article(first.bare) in BODY_NOUNS or strip_article(first.key) in BODY_NOUNS
        run: list[Token] = []
        plain = 0
        for tok in words:
            if not tok.is_word or tok.bare in STOP_WORDS or tok.bare in TIME_WORDS or self._verb_kind(tok) \
                    or any(c.isdigit() for c in tok.text) or (run and self._is_role(tok) and not (
                        plain == 1 and not body and self._surname_like(tok)) and not self._given_name(run, tok)):
                break
            after_link = bool(run) and run[-1].fold in NAME_LINKS
            if is_definite(tok, after_conjunction=False):
                if body or after_link or tok.fold in COMPOUND_NAME_ENDS or tok.fold in NAME_LINKS:
                    run.append(tok)  # خلية الاعلام الامني، عبد الله، محمد العبد العالي
                    continue
                if plain >= 2 and not tok.fold.endswith("ي") and not self._punctuation_follows(tok):
                    break  # دونالد ترامب الاتفاق: the object; محمد مجاهد الزيات، : the surname
                run.append(tok)
                break  # a person's surname ends the name
            if run and is_definite(run[-1], after_conjunction=False) and not (
                    len(run) > 1 and run[-2].fold in NAME_LINKS) and run[-1].fold not in COMPOUND_NAME_ENDS:
                # a plain word after the article-words ends a name (but عبد الرحمن آل ثاني and
                # حسام الدين فوزي go on)
                break
            if tok.fold not in NAME_LINKS:
                if plain == 3 or has_possessive(tok.text):
                    break
                plain += 1
            run.append(tok)
            if len(run) >= 6:
                break
        if plain >= 2 and not body and not is_definite(run[-1], after_conjunction=False):
            # بن والاس سحب قواته: a plain word followed by more words is more likely the clause going on
            k = self._token_index(run[-1].start) + 1
            nxt = self.tokens[k] if k < len(self.tokens) else None
            if nxt is not None and nxt.is_word and not self._ends_name(nxt) and not self._repeated(run):
                run.pop()
        return run

    def _repeated(self, run: list[Token]) -> bool:
        """Whether the article writes these words together again elsewhere (مولود جاويش أوغلو): a name,
        not a name and the verb after it."""
        return self._folded_text().count(" ".join(t.fold for t in run)) > 1

    def _folded_text(self) -> str:
        """The article's words, folded, one space apart."""
        if self.folded_text is None:
            self.folded_text = " ".join(t.fold for t in self.tokens if t.is_word)
        return self.folded_text

    def _given_name(self, run: list[Token], tok: Token) -> bool:
        """A title that is a given name too, without the article inside a name, is a given name (حسين
        أمير عبد اللهيان): a title after a name has the article (محمد الأمين العام) or a construct
        (جون كيري وزير خارجية)."""
        if tok.bare not in NAME_TITLES:
            return False
        k = self._token_index(tok.start) + 1
        nxt = self.tokens[k] if k < len(self.tokens) else None
        return bool(run) and not is_definite(tok) and not is_definite(run[-1]) and nxt is not None and \
            nxt.is_word and not self._ends_name(nxt) and not has_possessive(tok.text)

    def _surname_like(self, tok: Token) -> bool:
        """A title word after a first name is its surname (سامر الخطيب، أحمد الشيخ) when no title
        goes on after it (not كاغينز المتحدث باسم، محمد الأمين العام)."""
        if not is_definite(tok, after_conjunction=False):
            return False
        k = self._token_index(tok.start) + 1
        nxt = self.tokens[k] if k < len(self.tokens) else None
        return nxt is None or not nxt.is_word or not (
            is_definite(nxt) or nxt.fold in TITLE_LINKS or self._is_role(nxt) or nxt.fold.startswith("ل"))

    def _punctuation_follows(self, tok: Token) -> bool:
        k = self._token_index(tok.start) + 1
        return k >= len(self.tokens) or self.tokens[k].text in "،,.:؛;!?؟)"

    def _ends_name(self, tok: Token) -> bool:
        return (self._stops_noun_phrase(tok) or is_definite(tok) or self._is_role(tok) or tok.text in MARKS
                or tok.bare in COMPLEMENTIZERS)


def is_person_noun(tok: Token, *, indefinite: bool = False) -> bool:
    """الطالب، المواطنة: a definite noun for a person (with `indefinite`, رجل too), which introduces a name
    as a title does (وقال الطالب رايمون سينغ)."""
    if not is_definite(tok) and not indefinite:
        return False
    word = strip_article(tok.bare if tok.bare.startswith("ال") else tok.fold)
    if word.endswith(("ون", "ين")) or word in ("سكان", "اهالي", "اهل", "شهود"):
        return False  # المحتجون هتافات: a group, which a name does not follow
    return word in PERSON_NOUNS or word.removesuffix("ه") in PERSON_NOUNS
