"""Who said each quotation: ordered sieves from quotation to mention, the first that finds one wins."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter

from pipeline.arabic import fold, strip_article, strip_conjunction
from pipeline.document import Flag, Quote, Sentence, Speaker
from pipeline.lexicon import (
    ANSWER_VERBS,
    AUXILIARIES,
    COMPLEMENTIZERS,
    RELATIVES,
    REPORTED_SAYING,
    SAYING_VERBAL_NOUNS,
    STATEMENT_VERBS,
    STOP_WORDS,
    TITLE_LINKS,
)
from pipeline.stages.quotes.entities import Entity
from pipeline.stages.quotes.tokens import (
    ARABIC,
    MARKS,
    Token,
    again,
    has_pronoun_suffix,
    is_attribution,
    is_definite,
    is_plural_noun,
    split_commas,
)


class Sieves:
    """The speaker of each quotation, from the cues around it and the quotations before it."""

    def find_speakers(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        inside = sorted((self.opens[q.id], self.closes[q.id]) for q in quotes if q.is_quotation)
        self.inside_opens = [a for a, _ in inside]
        self.inside_reach = list(itertools.accumulate((b for _, b in inside), max))
        self.subject_events = self._subject_events()
        self.subject_offsets = [at for at, _ in self.subject_events]
        self.entities = self._collect_entities(quotes)
        # ونشرت صورة: a subject that is no one is not what a later dropped subject refers back to
        self.subject_events = [(at, e) for at, e in self.subject_events if self._refers(self._speaker_from(e))]
        self.subject_offsets = [at for at, _ in self.subject_events]
        self.agreements = self._learn_agreements()
        self.interviewee = self._find_interviewee()
        self.said: list[tuple[int, Quote]] = []  # the quotations with a speaker, by opening mark, in order
        self.said_counts: Counter[str] = Counter()  # how often each (folded) speaker name was quoted
        by_id = {q.id: q for q in quotes}
        for quote in quotes:
            if quote.kind == "nested":
                parent = by_id.get(quote.parent or "")
                quote.speaker = said_by(again(parent.speaker), "nested") if parent is not None else None
            elif quote.is_quotation:
                self.rejected: list[Speaker] = []  # mentions the sieves found that are no one
                quote.speaker = self._speaker_of(quote)
                if quote.speaker is not None and not self._accept(quote.speaker):
                    quote.speaker = None  # no speaker is better than a wrong one
                if quote.speaker is None and self.rejected:
                    self._flag_speaker(quote, self.rejected[0])
                if quote.speaker is not None:
                    self.said.append((self.opens[quote.id], quote))
                    self.said_counts[fold(quote.speaker.name)] += 1
        for quote in quotes:
            if quote.speaker is not None:
                quote.speaker.name = self._text_form(quote.speaker.name)

    def _text_form(self, name: str) -> str:
        """The name as the article writes it: a title read without the marks around a body's name in
        it (عضو قائمة الاتفاق الجديد) is given back with them (عضو قائمة "الاتفاق الجديد")."""
        if name in self.text or not name:
            return name
        marks = re.escape("".join(sorted(MARKS)))
        gap = rf"\s*[{marks}]?\s*"
        match = re.search(gap.join(re.escape(w) for w in name.split()), self.text)
        if match is None:
            return name
        found = " ".join(match.group().split())
        count = sum(c in MARKS for c in found)
        return found if count and count % 2 == 0 else name

    def _speaker_of(self, quote: Quote) -> Speaker | None:
        open_at = self.opens[quote.id]
        sentence = self._sentence_at(open_at)
        earlier = [q for _, q in self.said[self._said_since(sentence.start):]]
        floor = self.closes[earlier[-1].id] + 1 if earlier else sentence.start
        lead = self._tokens_between(floor, open_at)
        # 0. an attribution right after the closing mark (لم يتم تأكيدها «لأسباب أمنية» بحسب الوزارة)
        # names the source of these very words, whatever verb came before
        found = self._adjacent_attribution(quote, sentence)
        if self._accept(found):
            return said_by(found, "attribution")
        # 1. a cue before the quotation: a verb, a participle, an attribution (بحسب ...). A verb's
        # subject wins over an attribution nearer the quotation: قال مسؤول نقلا عن «سانا» إن "..."
        attribution: Token | None = None
        for k in range(len(lead) - 1, -1, -1):
            tok = lead[k]
            if tok.bare in STATEMENT_VERBS and k + 1 < len(lead) and lead[k + 1].key == "في":
                found = self._statement_source(lead[k + 2:])
                if self._accept(found):
                    return said_by(found, "statement")  # وجاء في بيان صادر عن الوزارة أن, وجاء في البيان:
            if tok.bare == "لسان" and k > 0 and lead[k - 1].key == "على" and k + 1 < len(lead):
                words = []
                for t in lead[k + 1:]:
                    if not t.is_word or self._stops_noun_phrase(t):
                        break
                    words.append(t)
                found = self._speaker_from(self._entity(words)) if words else None
                if self._accept(found):
                    return said_by(found, "on-the-tongue")  # وجاء على لسان المتحدث أن
            if not self._verb_kind(tok) and _glued_off(tok.bare) in SAYING_VERBAL_NOUNS and k + 1 < len(lead) \
                    and is_definite(lead[k + 1], after_conjunction=False):
                found = self._verbal_noun_agent(lead[k + 1:])
                if self._accept(found):
                    return said_by(found, "verb-subject")  # ردت موسكو على إعراب الخارجية الأميركية عن «قلقها»
            if self._verb_kind(tok) and k >= 2 and lead[k - 1].key == "ما" and is_attribution(lead[k - 2]):
                # وأكد البيان، وفق ما نقلته الوكالة، أن: an aside naming the reporter; the main verb
                # before it, if any, wins
                attribution = attribution or lead[k - 2]
                continue
            if self._verb_kind(tok) and self._describes(lead, k):
                continue  # وقال دبلوماسي يتابع الوضع: the verb of a description, not of the saying
            if self._verb_kind(tok) and not self._relays_statement(tok):
                outer = self._governing_speech_verb(lead, k)
                if outer is not None:
                    tok = outer  # أكد الوزير أن واشنطن طلبت من الإيرانيين "...": the minister's words
                subject = self._subject(tok, sentence.start, open_at)
                found = self._speaker_from(subject) if subject is not None else None
                if self._accept(found):
                    return said_by(found, "verb-subject")
                # no subject, or a phrase that is not one (وعن مستقبله، واحتمالية عودته، قال): dropped
                return said_by(self._dropped_subject(tok, sentence, earlier), "dropped-subject")
            if tok.bare in REPORTED_SAYING:
                found = self._reported_from(lead[:k])
                if self._accept(found):
                    return said_by(found, "reported")
            if tok.key in self.participles and not (k + 1 < len(lead) and lead[k + 1].bare in TITLE_LINKS):
                # (not متحدثة باسم: the spokeswoman)
                return said_by(self._participle_speaker(tok, sentence, earlier), "participle")
            if is_attribution(tok) and attribution is None:
                attribution = tok
        if attribution is not None:
            found = self._attributed(attribution, open_at)
            if self._accept(found):
                return said_by(found, "attribution")
        # 2. a name before a colon: مقولة ... ونستون تشرشل: «...»
        if lead and lead[-1].text == ":":
            found = self._colon_speaker(lead[:-1])
            if self._accept(found):
                return said_by(found, "colon")
        # 3. a cue after it: "..." قال فلان / "..."، بحسب فلان
        found = self._tail_speaker(quote, sentence)
        if self._accept(found):
            return said_by(found, "after-quote")
        # 4. context: the quotation before it in the sentence; in an interview, the interviewee for
        # an answer and no one for a question; then the paragraph's quotation, then the article's
        # main source so far.
        if earlier:
            return said_by(again(earlier[-1].speaker), "same-sentence")
        turn = self._interview_turn(open_at)
        if turn == "answer":
            return said_by(again(self.interviewee), "interview")
        if turn == "question":
            return None
        return self._context_speaker(open_at)

    def _verbal_noun_agent(self, words: list[Token]) -> Speaker | None:
        """The definite noun phrase after a verbal noun of saying, up to the preposition that brings
        what was said (إعراب الخارجية الأميركية عن): its agent."""
        agent: list[Token] = []
        for t in words:
            if not t.is_word or self._stops_noun_phrase(t) or len(agent) == 6:
                break
            agent.append(t)
        return self._speaker_from(self._entity(agent)) if agent else None

    def _describes(self, lead: list[Token], k: int) -> bool:
        """An imperfect verb right after an unnamed source that a verb of saying introduces (وقال
        دبلوماسي روسي يتابع الوضع): a relative clause describing the source."""
        if lead[k].bare[:1] not in "يت":
            return False
        j = k - 1
        while j >= 0 and lead[j].is_word and not self._verb_kind(lead[j]):
            j -= 1
        return 0 <= j < k - 1 and self._verb_kind(lead[j]) is not None and self._is_description(lead[j + 1:k])

    def _governing_speech_verb(self, lead: list[Token], k: int) -> Token | None:
        """The verb of saying whose أن-clause holds the stance verb at `lead[k]` (وأكد الوزير أن واشنطن
        طلبت): the quotation is the reported speaker's words about what the clause's subject did."""
        if self._verb_kind(lead[k]) != "stance":
            return None
        for j in range(k - 1, 0, -1):
            tok = lead[j]
            if tok.text in ".:؛" or tok.text in MARKS or self._verb_kind(tok) == "stance":
                return None
            if tok.bare in COMPLEMENTIZERS:
                for i in range(j - 1, -1, -1):
                    if lead[i].text in ".:؛" or lead[i].text in MARKS or lead[i].bare in COMPLEMENTIZERS:
                        return None
                    if self._verb_kind(lead[i]) == "speech" and not self._relays_statement(lead[i]):
                        return lead[i]
                return None
        return None

    def _accept(self, speaker: Speaker | None) -> bool:
        """Whether a sieve's speaker is someone (`_refers`); one that is not is kept for the flag."""
        if speaker is None:
            return False
        if self._refers(speaker):
            return True
        self.rejected.append(speaker)
        return False

    def _flag_speaker(self, quote: Quote, speaker: Speaker) -> None:
        """An info flag on a quotation's sentence: a sieve found a mention that is not a name, a title
        or a body, and no later sieve found anyone, so none is given; a reader may want to look."""
        if not self.s.flag_problems or not self.sentences:
            return
        sentence = self._sentence_at(self.opens[quote.id])
        if sentence.flags is None:
            sentence.flags = []
        sentence.flags.append(Flag(
            rule="quote-speaker", severity="info", on="ar", span=(quote.start, quote.end),
            message=f"no speaker given: the {speaker.method or 'context'} cue points to '{speaker.name}', "
                    "which is not a name, a title or a body"))

    def _said_since(self, offset: int) -> int:
        """Index of the first quotation with a speaker that opens at or after `offset`."""
        return bisect.bisect_left(self.said, offset, key=lambda item: item[0])

    def _statement_source(self, words: list[Token]) -> Speaker | None:
        """`جاء في بيان صادر عن الوزارة`: who issued the statement, else the statement itself."""
        phrase: list[Token] = []
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
        if len(phrase) == 1 and is_definite(phrase[0]):
            author = self._author_of(phrase[0])
            if author is not None:
                return author  # وجاء في المقال, after مقالا لوزير الخارجية محمد جواد ظريف: its author
        return self._speaker_from(self._entity(phrase)) if phrase else None

    def _author_of(self, noun: Token) -> Speaker | None:
        """The person the article named as the writer of a statement before (مقالا لوزير الخارجية
        الإيراني محمد جواد ظريف ... وجاء في المقال): the same noun, then ل and a known person."""
        self._known_mention(0, 0, None)  # fills self.last_words
        k = self._token_index(noun.start) - 1
        while k >= 1:
            tok, nxt = self.tokens[k - 1], self.tokens[k]
            k -= 1
            if not tok.is_word or is_definite(tok) or strip_article(noun.base) != tok.base.removesuffix("ا") or \
                    nxt.fold[:1] != "ل" or nxt.fold.startswith("لل"):
                continue
            for t in self.tokens[k + 1:k + 10]:
                entity = self.last_words.get(t.fold) if t.is_word else None
                if entity is not None and entity.named:
                    return Speaker(mention=t.text, name=self._resolve(entity.name), start=t.start, end=t.end)
                if t.text in ".:؛" or t.text in MARKS:
                    break
            return None
        return None

    def _participle_speaker(self, tok: Token, sentence: Sentence, earlier: list[Quote]) -> Speaker | None:
        """`، مشيراً الى ان "..."`: the speaker of the clause the participle hangs on; one that agrees
        with it (قائلةً wants a woman)."""
        agreement = self._agreement(tok)
        if earlier and self._agrees(earlier[-1].speaker, agreement):
            return again(earlier[-1].speaker)
        event = self._last_subject(tok.start, since=sentence.start)
        if event is not None and self._agrees(self._speaker_from(event[1]), agreement):
            return again(self._speaker_from(event[1]))
        for cue in reversed(self._tokens_between(sentence.start, tok.start)):
            if self._verb_kind(cue):
                return self._dropped_subject(cue, sentence, earlier, agreement=agreement)
        # لكن بن عمر قاطعته قائلةً / وافتتح الزواري المناظرة بالقول: a verb not in the lists; its
        # subject is the first person of the article named in the clause.
        known = self._known_mention(sentence.start, tok.start, agreement) or \
            self._embedded_subject(sentence.start, tok.start, agreement)
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

    def _clause_opening_verb(self, start: int, end: int) -> Token | None:
        """The first word of the sentence when it looks like و/ف and a verb (وردّ، فأجاب، وافتتح):
        no article, not a listed word, and a noun phrase after it."""
        words = [t for t in self._tokens_between(start, end) if t.is_word]
        if len(words) < 2:
            return None
        first = words[0]
        if first.key == first.bare or is_definite(first) or self._stops_noun_phrase(first) or \
                first.bare in AUXILIARIES or self._is_role(first):
            return None
        return first

    def _dropped_subject(self, verb: Token, sentence: Sentence, earlier: list[Quote], *,
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
        event = self._last_subject(verb.start, since=sentence.start)
        if earlier and self._agrees(earlier[-1].speaker, agreement) and fold(earlier[-1].speaker.name) != skip \
                and (event is None or event[0] < self.opens[earlier[-1].id]):
            # (not when a subject was named after that quotation: وقال نتنياهو إن ... وأضاف "...")
            return again(earlier[-1].speaker)
        antecedent = self._relative_antecedent(verb, sentence)
        if antecedent is not None and self._refers(self._speaker_from(antecedent)):
            return again(self._speaker_from(antecedent))  # (not لأحد مصانعها التي تنتج: no one)
        if event is None and not earlier:
            # ورغم أن أردوغان لم يشر ...، إلا أنه قال: the person named after أن in the sentence
            embedded = self._embedded_subject(sentence.start, verb.start, agreement)
            if embedded is not None and fold(embedded.name) != skip:
                return again(embedded)
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
                if is_plural_noun(tok):
                    candidates.append((tok.start, self._speaker_from(self._entity([tok]))))
        candidates.sort(key=lambda c: -c[0])
        for _, speaker in candidates:
            if speaker is not None and fold(speaker.name) != skip and self._agrees(speaker, agreement):
                return again(speaker)
        return None  # no one named so far can have said it

    def _known_mention(self, start: int, end: int, agreement: str | None) -> Speaker | None:
        """A person or body of the article named (by the last word of their name) in subject position
        of the clause from `start` to `end`: among its first words, before or after its verb (لكن بن
        عمر قاطعته، وافتتح الزواري المناظرة), and agreeing with `agreement`."""
        if self.last_words is None:
            self.last_words = {}
            for entity in self.entities:
                if entity.named and ARABIC.search(entity.name):
                    self.last_words.setdefault(fold(entity.name).split()[-1], entity)
        words = [t for t in self._tokens_between(start, end, keep_quotes=True) if t.is_word and t.bare not in STOP_WORDS]
        for tok in words[:3]:
            entity = self.last_words.get(tok.fold) or self.last_words.get(strip_conjunction(tok.fold))
            if entity is not None:
                speaker = Speaker(mention=tok.text, name=self._resolve(entity.name), start=tok.start, end=tok.end)
                if self._agrees(speaker, agreement):
                    return speaker
        return None

    def _embedded_subject(self, start: int, end: int, agreement: str | None) -> Speaker | None:
        """A person of the article named right after أن or a comma, nearest before `end` (وخصوصا أن
        كونتي صعد الموقف ... مؤكدا): the subject of the clause a participle hangs on."""
        self._known_mention(start, start, None)  # fills self.last_words
        toks = self._tokens_between(start, end)
        for j in range(len(toks) - 1, 0, -1):
            tok, prev = toks[j], toks[j - 1]
            if not tok.is_word or not (prev.bare in COMPLEMENTIZERS or prev.text in "،,"):
                continue
            entity = self.last_words.get(tok.fold) or self.last_words.get(strip_conjunction(tok.fold))
            if entity is not None:
                speaker = Speaker(mention=tok.text, name=self._resolve(entity.name), start=tok.start, end=tok.end)
                if self._agrees(speaker, agreement):
                    return speaker
            if prev.text in "،," and j + 2 < len(toks) and toks[j + 2].text in "،,":
                # نجم الكوميديا ناصر القصبي، : a two-word name the article gives in apposition
                name = self._text_names().get(toks[j + 1].fold)
                if name is not None and fold(name).split() == [tok.fold, toks[j + 1].fold]:
                    speaker = Speaker(mention=name, name=self._resolve(name), start=tok.start, end=toks[j + 1].end)
                    if self._agrees(speaker, agreement):
                        return speaker
        return None

    def _relative_antecedent(self, verb: Token, sentence: Sentence) -> Entity | None:
        """`القرار ... الذي عُدل عدة مرات، ويطالب`: a coordinated verb shares the subject that the
        relative clause before it describes."""
        k = self._token_index(verb.start)
        if k == 0 or self.tokens[k - 1].text not in "،," or verb.key == verb.bare:
            return None
        before = self._tokens_between(sentence.start, verb.start)
        for j in range(len(before) - 1, 0, -1):
            if before[j].key in RELATIVES:
                words: list[Token] = []
                for tok in reversed(before[:j]):
                    if not tok.is_word or self._stops_noun_phrase(tok):
                        break
                    words.insert(0, tok)
                return self._entity(words) if words else None
        return None

    def _reported_from(self, lead: list[Token]) -> Speaker | None:
        """`عن الملك سلمان قوله`: the noun phrase between عن and the verbal noun, up to a comma
        (`عن مصدر أمني مطلع، رفض الكشف عن اسمه، قوله`: not the عن of the aside)."""
        for j in range(len(lead) - 1, max(-1, len(lead) - 16), -1):
            if lead[j].key == "عن":
                words = []
                for t in lead[j + 1:]:
                    if not t.is_word:
                        break
                    words.append(t)
                if not words or (len(words) == 1 and has_pronoun_suffix(words[0].text)):
                    continue  # عن اسمه
                return self._speaker_from(self._entity(words))
        return None

    def _attributed(self, tok: Token, limit: int) -> Speaker | None:
        """`بحسب X` / `وفقا لـX` / `نقلا عن X`: X is the source."""
        k = self._token_index(tok.start) + 1
        words: list[Token] = []
        while k < len(self.tokens) and self.tokens[k].start < limit and len(words) < 6:
            t = self.tokens[k]
            k += 1
            if not words and t.key in ("ل", "عن", "ما"):
                continue
            if not words and t.bare in STATEMENT_VERBS:
                return None  # بحسب ما جاء في التغريدة: a statement, whose issuer the other sieves find
            if not words and self._verb_kind(t):
                # بحسب ما قاله المتحدث أحمد عبد الهادي: the verb's subject
                subject = self._subject_after(t, limit)
                return self._speaker_from(subject) if subject is not None else None
            if not words and t.start in self.names_at:
                named = self.names_at[t.start]  # بحسب «رويترز»
                return self._speaker_from(Entity(named.text, named.text, named.start, named.end, named=True))
            if not t.is_word or self._stops_noun_phrase(t):
                break
            words.append(t)
        if not words or has_pronoun_suffix(words[0].text) and len(words) == 1:
            return None  # حسب بيانها: the source is whoever the sentence is about
        return self._speaker_from(self._entity(words))

    def _colon_speaker(self, lead: list[Token]) -> Speaker | None:
        words: list[Token] = []
        for tok in reversed(lead):
            if not tok.is_word:
                break
            words.insert(0, tok)
        segment = split_commas(words)[-1:] if words else []
        if not segment:
            return None
        known = self._known_mention(segment[0][0].start, segment[0][-1].end, None)
        if known is not None:
            return known  # وردّ الزواري على منافسته: (a verb not in the lists, then a person of the article)
        if self._opens_with_verb(segment[0]):
            # وردّ المهندس كمال الزواري: a verb not in the lists and its titled subject; but not
            # وخاطب الشباب بقوله: the verb and its object
            rest = segment[0][1:]
            if not rest or not self._is_role(rest[0]):
                return None
            segment = [rest]
        name = self._name_in(segment[0])
        if name is not None:
            return self._speaker_from(name)
        if self._is_role(segment[0][0]) and len(segment[0]) <= 6:
            return self._speaker_from(self._entity(segment[0]))  # الرئيس الفرنسي: "..."
        return None

    def _adjacent_attribution(self, quote: Quote, sentence: Sentence) -> Speaker | None:
        """`«...» بحسب الوزارة`: the source an attribution right after the closing mark names."""
        after = [t for t in self._tokens_between(self.closes[quote.id] + 1, sentence.end)[:3] if t.text not in "،,"]
        if not after or not is_attribution(after[0]):
            return None
        return self._attributed(after[0], sentence.end)

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
            if is_attribution(tok):
                return self._attributed(tok, sentence.end) or self._last_speaker_or_subject(
                    self.opens[quote.id])
            return None
        return None

    def _last_subject(self, offset: int, since: int = 0) -> tuple[int, Entity] | None:
        k = bisect.bisect_left(self.subject_offsets, offset) - 1
        if k < 0 or self.subject_events[k][0] < since:
            return None
        return self.subject_events[k]



def _glued_off(word: str) -> str:
    """A key without one preposition glued to it (لإعلان، بتأكيد → اعلان، تاكيد)."""
    return word[1:] if word[:1] in "لب" and len(word) > 4 else word


def said_by(speaker: Speaker | None, sieve: str) -> Speaker | None:
    """The speaker with the name of the sieve that chose it."""
    if speaker is not None:
        speaker.method = sieve
    return speaker
