"""What a speaker talks about: key terms of their quotes, by textacy's TextRank.

This module owns `key_terms`. It needs no trained model: the quotes are
tokenised by a blank English pipeline with a sentencizer, and textacy's
`textrank` ranks word sequences between stop words and punctuation (without
part-of-speech filtering, which would need a tagger), lower-cased so that
"Kazakh protests" and "kazakh protests" count as one term.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from spacy.language import Language

TOP_TERMS = 5
"""Key terms given per speaker."""

MAX_CHARS = 200_000
"""Characters of a speaker's quotes read for their terms (the first ones): the
ranking settles long before, and a much-quoted speaker stays cheap."""


@lru_cache(maxsize=1)
def _tokenizer() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def key_terms(texts: Sequence[str], topn: int = TOP_TERMS) -> list[str]:
    """The `topn` key terms of a speaker's quotes, best first; [] when there is nothing to rank."""
    from textacy.extract.keyterms import textrank

    joined, size = [], 0
    for text in texts:
        if size >= MAX_CHARS:
            break
        joined.append(text)
        size += len(text) + 2
    body = "\n\n".join(joined)[:MAX_CHARS]
    if not body.strip():
        return []
    doc = _tokenizer()(body)
    try:
        return [term for term, _ in textrank(doc, normalize="lower", include_pos=None, topn=topn)]
    except (ValueError, ZeroDivisionError):  # a text of stop words and punctuation only
        return []
