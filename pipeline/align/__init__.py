"""Alignment of Arabic with English: sentences, quotation marks, attention projection and quotation pairing.

Used by the align stage (pipeline/stages/align.py: a model's translation) and by `tarjama align`
(pipeline/align/reference.py: an existing translation).

- marks.py: the spans inside English quotation marks;
- english.py: English paragraphs, sentences and numbers;
- transliteration.py: names across the scripts (sound-class skeletons), also used by the qa names rule;
- sentences.py: sentence alignment (Gale and Church with anchors);
- quotes.py: each Arabic quotation's English span;
- attention.py: a source span projected through a model's cross-attention;
- reference.py: an article aligned with a translation someone else wrote.
"""
