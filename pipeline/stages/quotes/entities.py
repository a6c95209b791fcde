"""Mention to entity: the people and bodies an article names, and the fullest name a short form,
a title or a body's short name stands for."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.arabic import fold, strip_article
from pipeline.document import Quote, Speaker
from pipeline.lexicon import (
    ADVERBS,
    AUXILIARIES,
    BODY_NOUNS,
    COMPLEMENTIZERS,
    GENERIC_TITLES,
    MEDIA_NOUNS,
    NAME_LINKS,
    NOUN_HEADS,
    ORGANIZATION_NOUNS,
    PERSON_NOUNS,
    QUANTIFIERS,
    QUESTION_WORDS,
    RELATIVES,
    SAYING_NOUNS,
    STATEMENT_NOUNS,
    STOP_WORDS,
    TIME_WORDS,
    TITLE_LINKS,
    TITLE_PREPOSITIONS,
    key,
)
from pipeline.stages.quotes.tokens import (
    ARABIC,
    MARKS,
    TATWEEL,
    Token,
    base_word,
    clean_mention,
    contains,
    has_possessive,
    is_attribution,
    is_definite,
    is_plural_noun_text,
    is_prepositional,
    object_follows,
    role_forms_of,
    said_object,
    same_ending,
    strip_clitic,
)


@dataclass
class Entity:
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
class EntityForms:
    """An entity with the folded word lists that resolving a mention compares against."""

    entity: Entity
    name_words: list[str]
    name_base: list[str]
    phrase_raw: str
    phrase_words: list[str]
    phrase_base: list[str]
    start: int  # where its phrase starts



class Entities:
    """The article's people and bodies, and how a mention resolves to one of them."""

    def _agrees(self, speaker: Speaker | None, agreement: str | None) -> bool:
        """Whether what the article says of this speaker (by its verbs, its title, its form) fits a
        verb's gender and number."""
        if speaker is None or agreement is None:
            return True
        known = self.agreements.get(fold(speaker.name), set())
        if is_plural_noun_text(speaker.name):
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
            if is_plural_noun_text(entity.mention):
                agreement = "p"
            agreements.setdefault(name, set()).add(agreement)
        for entity in self.entities:
            if not entity.named or not entity.phrase or entity.phrase == entity.name:
                continue
            first = self.tokens[self._token_index(entity.phrase_start)] if entity.phrase_start is not None else None
            if first is not None and self._is_role(first) and len(first.text) > 1:
                gender = "f" if first.text.rstrip(TATWEEL).endswith("ة") else "m"
                agreements.setdefault(fold(self._resolve(entity.name)), set()).add(gender)
        return agreements

    def _person_names(self) -> list[list[str]]:
        """Names that follow a title anywhere (وزير الداخلية اليمني اللواء عبده الحذيفي): a short
        span in marks that repeats one is a name, not a phrase."""
        names = []
        for k, tok in enumerate(self.tokens):
            if self._is_role(tok):
                words: list[Token] = []
                for t in self.tokens[k:k + 12]:
                    if not t.is_word:
                        break
                    words.append(t)
                name = self._name_in(words)
                if name is not None:
                    names.append(fold(name.name).split())
        return names

    def _collect_entities(self, quotes: list[Quote]) -> list[Entity]:
        """Every subject named in the article, every title with its name, every name in marks: what
        a short or definite mention (كاغينز، الخلية، المسؤول السعودي) resolves to."""
        entities = [entity for _, entity in self.subject_events]
        for k, tok in enumerate(self.tokens):
            if self._is_role(tok) and not self._inside_quotation(tok.start):
                words: list[Token] = []
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
                            or self._feminine_after_title(words, t) or self._addressed(words, t) \
                            or said_object(words, t):
                        break  # (مصدر أمني رفيع لوكالة: whom it was said to ends the title)
                    words.append(t)
                    j += 1
                while words and not words[-1].is_word:
                    words.pop()
                if words:
                    entities.append(self._entity(words))
        for quote in quotes:
            if quote.kind in ("name", "title"):
                entities.append(Entity(quote.text, quote.text, quote.start, quote.end, named=quote.kind == "name"))
        return entities

    def _subject_events(self) -> list[tuple[int, Entity]]:
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
            elif is_attribution(tok) and (k == 0 or self.tokens[k - 1].start < self._sentence_at(tok.start).start):
                subject = self._attribution_source(k)  # وبحسب المسؤول، فإن ... وأضاف: the source goes on
            if subject is not None:
                events.append((tok.start, subject))
        return events

    def _attribution_source(self, k: int) -> Entity | None:
        """The noun phrase after an attribution that opens a sentence (وبحسب المسؤول الذي ...، فإن)."""
        words: list[Token] = []
        for t in self.tokens[k + 1:k + 8]:
            if not words and t.key in ("ل", "عن", "ما"):
                continue
            if not t.is_word or self._stops_noun_phrase(t):
                break
            words.append(t)
        # a person's title only: وفقا لوكالة رويترز names the reporter, whom a later وأضاف is not
        return self._entity(words) if words and self._is_role(words[0]) and is_definite(words[0]) else None

    def _auxiliary_subject(self, k: int) -> Entity | None:
        """`وكانت كتائب حزب الله في العراق قد جددت`: the noun phrase between كان and قد is the subject."""
        window = self.tokens[k + 1:k + 14]
        if not any(t.bare in ("قد", "لقد") for t in window):
            return None
        words: list[Token] = []
        for t in window:
            if t.start in self.names_at and words and (
                    {words[0].bare, strip_clitic(words[0].bare)} & (MEDIA_NOUNS | ORGANIZATION_NOUNS)):
                named = self.names_at[t.start]  # وكانت منظمة "أنا يقظ" قد وصفت
                return Entity(named.text, named.text, named.start, named.end, named=True,
                               phrase=self.text[words[0].start:named.end], phrase_start=words[0].start)
            if not t.is_word or self._stops_noun_phrase(t):
                break
            words.append(t)
        return self._entity(words) if words else None

    def _subject_of_auxiliary(self, verb: Token) -> Entity | None:
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

    def _speaker_from(self, entity: Entity) -> Speaker:
        return Speaker(mention=entity.mention, name=self._resolve(entity.name, entity.start), start=entity.start,
                       end=entity.end)

    def _resolve(self, name: str, at: int | None = None) -> str:
        """The fullest name for a mention; `at`, where the mention is, picks among people who share a
        title (المدرب: the coach named last before it)."""
        if (name, at) not in self.resolved:
            self.resolved[(name, at)] = self._shortened(name, at) or self._fullest_name(name, at)
        return self.resolved[(name, at)]

    def _shortened(self, name: str, at: int | None) -> str | None:
        """A mention that caught a word too many (وزير الخارجية الإيراني المفاوضات، أردوغان هولندا،
        اللواء التركي العملية) resolves through its longest start, or the name after its title, that
        is a person or body the article names; a statement (البيان المنشور) is the statement."""
        words = name.split()
        if words and fold(words[0]) in STATEMENT_NOUNS | {"ال" + w for w in STATEMENT_NOUNS} and (
                len(words) == 1 or fold(words[0]).startswith("ال") or fold(words[1]).startswith("ال")):
            # البيان المنشور، بيان الوزارة: the statement (but بيان ريحان is a woman's name)
            return "ال" + strip_article(clean_mention(words[0]))
        if len(words) < 2:
            return None
        # (غان بيانا, caught as a name, still shortens: its last word is an object)
        known = self._is_named(self._fullest_name(name, at)) and not _accusative_noun(fold(words[-1]))
        for n in range(len(words) - 1, 0, -1):
            untitled = [w for w in words[:n] if not role_forms_of(fold(w)) & self.roles]
            dropped = fold(words[n])
            prev = fold(words[n - 1])
            if not dropped.startswith("ال") and (dropped.endswith("ي") or prev.startswith("ال") or prev.endswith("ي")
                                                or role_forms_of(fold(words[0])) & self.roles):
                continue  # سياسي يمني، مصدر أمني مطلع: adjectives of a description, not a word too many
            for part in [words[:n]] + ([untitled] if untitled and len(untitled) < n else []):
                first = fold(part[0])
                if first.startswith("ال") and not role_forms_of(first) & self.roles:
                    continue  # البيت (of البيت الأبيض) is no one's title
                text = " ".join(part)
                full = self._fullest_name(text, at, named_only=True)
                if fold(full) != fold(text) and self._is_named(full) and (
                        not known or len(full.split()) > len(words)):
                    return full  # (a name the article gives stays, unless a fuller one ends like it)
        return None

    def _is_named(self, name: str) -> bool:
        """Whether `name` is the name of a person or body the article names."""
        folded = fold(name)
        if not folded or role_forms_of(folded.split()[0]) & self.roles:
            return False  # a title is not a name, whatever caught it as one
        return any(f.entity.named and fold(f.entity.name) == folded for f in self._entity_forms()) or \
            any(fold(n) == folded for n in self._text_names().values())

    def _fullest_name(self, name: str, at: int | None = None, *, named_only: bool = False) -> str:
        """The fullest form in the article: a surname to the full name ending with it (كاغينز →
        مايلز كاغينز), a definite noun to the body it names (الخلية → خلية الاعلام الامني), a title
        with adjectives to the person who holds it (المسؤول اليمني → عبده الحذيفي). With `named_only`, a
        title does not go to a longer phrase that names no one."""
        words = fold(name).split()
        if not words:
            return name
        forms = self._entity_forms()
        best: EntityForms | None = None
        for f in forms:
            cand = f.name_words
            if f.entity.named and len(cand) > len(words) and cand[-len(words):] == words and (
                    best is None or len(cand) > len(best.name_words)):
                best = f
        if best is not None:
            return best.entity.name
        if role_forms_of(words[0]) & self.roles and not any(w.startswith("ال") for w in words):
            return clean_mention(name)  # مسؤول تركي: an indefinite title is a first mention, no one named before
        if len(words) == 1 and words[0] in self._text_names():
            return self._text_names()[words[0]]  # القصبي → ناصر القصبي, named in passing
        if len(words) == 1 and not words[0].startswith("ال"):
            # أسامة → أسامة العابد: a given name alone, when one person of the article has it
            fuller = {f.entity.name for f in forms if f.entity.named and len(f.name_words) > 1
                      and f.name_words[0] == words[0] and not role_forms_of(f.name_words[0]) & self.roles}
            fuller |= {n for n in self._text_names().values() if fold(n).split()[0] == words[0]}
            if len({fold(n) for n in fuller}) == 1:
                return fuller.pop()
        if not (words[0].startswith("ال") or role_forms_of(words[0]) & self.roles):
            return clean_mention(name)
        bare = [strip_article(w) for w in words]
        longest, longest_len = None, len(bare)
        latest: EntityForms | None = None  # the last one with this title named before the mention
        recent: EntityForms | None = None  # the last unnamed description that starts with it
        definite = words[0].startswith("ال")
        for f in forms:
            for raw, cand in ((f.entity.name, f.name_base), (f.phrase_raw, f.phrase_base)):
                if len(cand) > len(bare) and cand[:len(bare)] == bare and same_ending(name, raw):
                    # (an indefinite mention is a first mention: صحفي هولندي is not the longer phrase
                    # caught after it, صحفي هولندي وزير خارجية تركيا)
                    if len(cand) > longest_len and (f.entity.named or not named_only and definite):
                        longest, longest_len = f.entity.name, len(cand)
                    if f.entity.named and at is not None and f.start < at and (latest is None or f.start > latest.start):
                        latest = f
                    if not f.entity.named and at is not None and f.start < at and not named_only and definite and \
                            len(cand) > len(bare) + 1 and (recent is None or f.start > recent.start):
                        recent = f
        if latest is not None and fold(latest.entity.name) != fold(name):
            return latest.entity.name
        if recent is not None and fold(recent.entity.name) != fold(name):
            # الدبلوماسي: the unnamed source so described last (دبلوماسي روسي يتابع الوضع), not the
            # longest description of any of them
            return recent.entity.name
        if longest is None:
            # الخارجية → وزارة الخارجية الروسية: a named body whose name holds the mention's words
            for f in forms:
                cand = [strip_article(w) for w in f.name_words]
                if f.entity.named and len(cand) > longest_len and contains(cand, bare):
                    longest, longest_len = f.entity.name, len(cand)
        if longest is not None and fold(longest) != fold(name):
            return longest
        if role_forms_of(words[0]) & self.roles and len(words) > 1:
            # المسؤول اليمني: the named person whose title carries the same adjectives (and the same
            # title, unless the mention's is the generic المسؤول: وزير المياه is not الخبير في شؤون المياه)
            for f in forms:
                title = f.phrase_base
                if f.entity.named and f.name_words != f.phrase_words and all(w in title for w in bare[1:]) \
                        and (bare[0] in title or bare[0] in GENERIC_TITLES):
                    return f.entity.name
        occurrence = self._fullest_occurrence(bare)
        if occurrence is not None:
            return occurrence
        return clean_mention(name)

    def _entity_forms(self) -> list[EntityForms]:
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
                name_words, phrase_words = fold(entity.name).split(), fold(phrase.replace("،", " ").replace(",", " ")).split()
                self.forms.append(EntityForms(
                    entity, name_words, [base_word(w) for w in name_words], phrase, phrase_words,
                    [base_word(w) for w in phrase_words],
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
        best: list[Token] = []
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
                        or object_follows(run, t) or self._feminine_after_title(run, t):
                    break
                if t.fold.startswith("ال"):
                    run += pending + [t]
                    pending = []
                elif run[-1].fold.startswith("ال") and len(run) > n or len(pending) >= 1:
                    break
                else:
                    pending.append(t)
            if len(run) > len(best):
                best = run
        if len(best) > n:
            return clean_mention(self.text[best[0].start:best[-1].end])
        return None


    def _refers(self, speaker: Speaker | None) -> bool:
        """Whether a speaker's name is a referring expression: a title or role (الوزير، مصدر أمني), a
        body or a statement (وزارة الخارجية، البيان), or a name. A fronted phrase, a verb, an object
        or a common noun caught as a subject (واحتمالية، أولا، صورة، بمشاة البحرية) is not."""
        if speaker is None:
            return False
        words = [(w, fold(w)) for w in speaker.name.split()]
        if not words or len(words) > 12 or any(c.isdigit() or c in MARKS for c in speaker.name) or \
                sum(c in MARKS for c in speaker.mention) % 2:
            return False  # (a number, or a mark left open: the mention ran into a quotation)
        if words[-1][1] in TITLE_LINKS or words[-1][1].startswith("باسم"):
            return False  # المتحدث باسم، المتحدث باسمه: a title that has lost whom it speaks for
        raw, first = words[0]
        head = strip_article(first)
        if strip_article(key(raw)) in SAYING_NOUNS and first not in STATEMENT_NOUNS:
            return False  # تصريحات، حديث: what was said, not who said it
        if self._titled_word(first):
            return True
        if first in QUANTIFIERS and len(words) > 1 and words[1][1].startswith("ال"):
            return True  # أحد الصحفيين، بعض السكان: one of a group
        if first in QUANTIFIERS or (first[:1] in "لب" and first[1:] in QUANTIFIERS):
            return False  # كل حالة، لأحد: any one thing, or whom something went to, not a speaker
        if first.startswith("ال") and len(words) > 2 and words[1][1] in RELATIVES:
            return True  # الشخص الذي أجاب على الهاتف: a description
        if not ARABIC.search(speaker.name):
            return True  # a Latin-script name: Reuters, CNN
        for i, (w, f) in enumerate(words):
            if f in NAME_LINKS and i + 1 < len(words):
                continue  # أم محمد، أبو علي: a kunya
            if key(w) in STOP_WORDS or key(w) in QUESTION_WORDS:
                return False  # (the lists keep ى: إلي)
            if f in STOP_WORDS or f in TIME_WORDS or f in ADVERBS or f in COMPLEMENTIZERS or f in QUESTION_WORDS \
                    or "\u064b" in w or (f.endswith("تنا") and not f.startswith("ال")) \
                    or (has_possessive(w) and not f.startswith("ال") and not f.endswith("اله")) \
                    or self._glued_preposition(f) or key(w) in self.verbs:
                return False
        if first[:1] in "بل" and not first.startswith("ال") and first[1:] in self._article_words():
            return False  # بمشاة، لصالح، بوزارة: a preposition glued to a word of the article
        if any(_accusative_noun(f) for _, f in words[1:]):
            return False  # غان بيانا: an object in the accusative, not a name's word
        if len(words) == 1 or not words[-1][1].startswith("ال") or len(words) == 2:
            # a common noun caught as a name (صورة، اجتماع، ملف الهجرة): the article writes it with
            # the article elsewhere, or it has the feminine ending; a name never takes the article
            if not first.startswith("ال") and "ال" + head in self._article_words() and head not in self._named_words():
                return False
            if len(words) == 1 and raw.endswith("ة") and head not in self._named_words():
                return False
        return True

    def _titled_word(self, first: str) -> bool:
        """A folded first word that makes a mention someone: a title or role, a body, an outlet, a
        statement, a noun for a person (الوزير، وزارة، صحيفة، البيان، المواطن)."""
        head = strip_article(first)
        return bool(role_forms_of(first) & self.roles) or head in BODY_NOUNS | ORGANIZATION_NOUNS | MEDIA_NOUNS \
            or first in STATEMENT_NOUNS or head in PERSON_NOUNS or head.removesuffix("ه") in PERSON_NOUNS

    def _known_source(self, speaker: Speaker) -> bool:
        """Whether a speaker is sure enough to be given with no cue in the quotation's sentence: a
        title, body or outlet, a Latin-script name, or a person the article names after a title or in
        apposition (وقال المخرج بايتون ريد، نجم الكوميديا ناصر القصبي،). A subject caught from any
        clause (حوادث مؤلمة، ملاعب وطرق) is not, however often it recurs."""
        words = fold(speaker.name).split()
        if not words or self._titled_word(words[0]) or not ARABIC.search(speaker.name):
            return True
        if self.known_names is None:
            self.known_names = {fold(self._resolve(name)) for name in self._text_names().values()}
            for entity in self.entities:
                if entity.named and entity.phrase and entity.phrase != entity.name and entity.phrase_start is not None:
                    first = self.tokens[self._token_index(entity.phrase_start)]
                    if self._is_role(first):
                        self.known_names.add(fold(self._resolve(entity.name)))
        return " ".join(words) in self.known_names

    def _glued_preposition(self, word: str) -> bool:
        """بالشؤون، للحوثيين، بالنسبة: a folded word with a preposition glued to its article, unless the
        article gives it in a name (جيمس بالمير)."""
        return word.startswith(("بال", "كال", "لل")) and not any(
            word in fold(name).split() for name in self._text_names().values())

    def _article_words(self) -> set[str]:
        """Every folded word of the article (a word's base form too)."""
        if self.word_set is None:
            self.word_set = {t.fold for t in self.tokens if t.is_word} | {t.base for t in self.tokens if t.is_word}
        return self.word_set

    def _named_words(self) -> set[str]:
        """The words of names the article gives after a title or as a subject with two words or more."""
        if getattr(self, "entities", None) is None:
            return set()  # still collecting them: reading the subjects the entities come from
        if self.name_words is None:
            self.name_words = {w for f in self._entity_forms() if f.entity.named and len(f.name_words) > 1
                               for w in f.name_words}
            self.name_words |= {w for name in self._text_names().values() for w in fold(name).split()}
        return self.name_words

    def _text_names(self) -> dict[str, str]:
        """Two-word names the article gives in passing, by their last word (folded): a plain word and a
        name word right after a comma, a title or an adjective (نجم الكوميديا ناصر القصبي، / العراقي،
        مقتدى الصدر،)."""
        if self.text_names is None:
            self.text_names = {}
            toks = self.tokens
            for i in range(1, len(toks) - 1):
                before, first, last = toks[i - 1], toks[i], toks[i + 1]
                titled_after = i + 3 < len(toks) and toks[i + 2].text in "،," and self._is_role(toks[i + 3])
                if not (before.text in "،," or self._is_role(before) or titled_after  # (جيمس غان، مخرج أفلام)
                        or is_definite(before, after_conjunction=False) and not self._stops_noun_phrase(before)):
                    continue
                if not self._name_word(first) or is_definite(first) or first.key != first.bare or \
                        (first.fold[:1] in "بل" and len(first.fold) > 4) or \
                        not self._name_word(last) or self._inside_quotation(first.start):
                    continue
                after = toks[i + 2] if i + 2 < len(toks) else None
                if after is not None and after.is_word and not self._ends_name(after) and \
                        not is_definite(last, after_conjunction=False):
                    continue  # the clause goes on: two plain words may be a verb and its object
                # (and بمضمون المادة, a word with its preposition, is not a given name)
                self.text_names.setdefault(last.fold, self.text[first.start:last.end])
        return self.text_names

    def _name_word(self, tok: Token) -> bool:
        """A word that may be part of a person's name: no listed word, title, verb, number or clitic."""
        return tok.is_word and len(tok.fold) > 2 and not (
            self._stops_noun_phrase(tok) or self._is_role(tok) or tok.bare in ADVERBS or tok.bare in QUANTIFIERS
            or is_prepositional(tok) or any(c.isdigit() for c in tok.text) or has_possessive(tok.text)
            or tok.fold in NAME_LINKS or strip_article(tok.bare) in NOUN_HEADS)


def person_shaped(words: list[str]) -> bool:
    """بايتون ريد، عدنان المعيبد، سهيل بن محمد: two to four folded words, the article on the last
    one only, none with a preposition glued to it (not الحب النقي، جماهير الاتحاد الصعداء، أوون
    بإغلاق حديقة)."""
    if not 2 <= len(words) <= 4 or any(w.startswith("ال") or len(w) < 2 for w in words[:-1]):
        return False
    return not any(w.startswith(("بال", "لل", "وال", "فال", "كال")) or (w[:1] in "بل" and w[1:2] == "ا")
                   for w in words)


def _accusative_noun(word: str) -> bool:
    """بيانا، تصريحا: a folded noun that heads a phrase, in the accusative: a verb's object."""
    return word.endswith("ا") and word[:-1] in NOUN_HEADS
