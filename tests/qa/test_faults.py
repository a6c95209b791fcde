"""The fault injector of eval/qa.py: each kind changes the English as the hidden set defines it, and marks where."""

from __future__ import annotations

import random

from eval.qa import _respell, faults
from pipeline.document import Document, Sentence

ARABIC = "قال المتحدث إن 13 شخصا قتلوا في الهجوم الذي وقع صباح اليوم في وسط المدينة"
ENGLISH = "The spokesman said 13 people were killed in the attack this morning in the city centre."


def _document() -> Document:
    return Document(text=ARABIC, sentences=[Sentence("s1", 0, len(ARABIC), ARABIC, ENGLISH)], quotes=[])


def test_each_kind_changes_the_english_where_its_marker_says():
    made = {f.kind: f for f in faults(_document(), ENGLISH + "\n", random.Random(1))}
    assert set(made) == {"number deleted", "digit changed", "phrase repeated", "second half in Arabic"}
    for fault in made.values():
        assert fault.english != ENGLISH + "\n" and fault.marker in " ".join(fault.english.split())
    assert "13" not in made["number deleted"].english
    changed = made["digit changed"].english
    assert "13" not in changed and len(changed) == len(ENGLISH) + 1
    # A phrase of 2-4 words said three more times.
    words = made["phrase repeated"].english.split()
    assert len(words) - len(ENGLISH.split()) in (6, 9, 12)
    # The second half of the English replaced by the second half of the Arabic.
    assert made["second half in Arabic"].english.startswith("The spokesman said 13 people were killed ")
    assert "وسط المدينة" in made["second half in Arabic"].english


def test_respellings_are_one_letter_apart():
    rng = random.Random(3)
    for name in ("Kavanaugh", "Caggins", "Pelosi", "Allan"):
        other = _respell(name, rng)
        assert other != name and abs(len(other) - len(name)) <= 1
