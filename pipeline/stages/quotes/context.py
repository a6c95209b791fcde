"""A quotation with no cue of its own: an interview's turns, the paragraph's speaker, the article's
main source, the last subject; only a source the article clearly names."""

from __future__ import annotations

import bisect
import re

from pipeline.arabic import fold, strip_article
from pipeline.document import Speaker
from pipeline.stages.quotes.entities import person_shaped
from pipeline.stages.quotes.sieves import said_by
from pipeline.stages.quotes.tokens import ARABIC, again

# An interview's turns: `س:` / `سؤال:` opens a question, `ج:` / `جواب:` an answer. An answer is the
# interviewee's words but has no marks, so it is not a quotation; a quotation in marks inside it with
# no cue of its own is the interviewee's, and one inside a question gets no invented speaker.
_INTERVIEW_TURN = re.compile(r"\s*(س|سؤال|السؤال|ج|جواب|الجواب)\s*[:\-–]")


class Context:
    """The speaker of a quotation from the text around it, when its sentence gives none."""

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
        people = [e for e in self.entities if e.named and e.start < first_question and ARABIC.search(e.name)
                  and not any(q.start <= e.start < q.end for q in self.quotes if q.kind in ("name", "title"))]
        if not people:
            return None
        return self._speaker_from(max(people, key=lambda e: e.start))

    def _context_speaker(self, offset: int) -> Speaker | None:
        """No cue in the sentence: the previous sentence's quotation in this paragraph, else the
        source most quoted so far (an unattributed quotation usually continues the main source), else
        the last subject; only a source the article clearly names (most marks with no cue are a
        writer's own)."""
        speaker = self._context_candidate(offset)
        if speaker is None or self._known_source(speaker):
            return speaker
        words = fold(speaker.name).split()
        definite = words[0].startswith("ال") and not any(w.startswith("وال") for w in words)
        if speaker.method == "main-source" and (person_shaped(words) or definite and len(words) > 1):
            return speaker  # the one quoted most, named like a person (عدنان المعيبد) or a body (القرار الكويتي السويدي)
        if speaker.method == "paragraph" and definite:
            return speaker  # the paragraph's speaker, a definite noun phrase
        self.rejected.append(speaker)
        return None

    def _context_candidate(self, offset: int) -> Speaker | None:
        k = bisect.bisect_right(self.paragraph_starts, offset) - 1
        para_start = self.paragraphs[k].start if k >= 0 else 0
        if self.said:
            last_offset, last = self.said[-1]
            if last_offset >= para_start:
                return said_by(again(last.speaker), "paragraph")
            best = max(self.said_counts.values())
            return said_by(again(next(q.speaker for _, q in reversed(self.said)
                                        if self.said_counts[fold(q.speaker.name)] == best)), "main-source")
        event = self._last_subject(offset)
        return said_by(again(self._speaker_from(event[1])), "last-subject") if event is not None else None

    def _last_speaker_or_subject(self, offset: int) -> Speaker | None:
        """Whoever was last named as a subject or last quoted before `offset`."""
        event = self._last_subject(offset)
        k = self._said_since(offset) - 1
        said = self.said[k] if k >= 0 else None
        if event is not None and (said is None or event[0] > said[0]):
            return again(self._speaker_from(event[1]))
        return again(said[1].speaker) if said is not None else None
