"""Inherit: a quote with no cue takes the speaker of the quote right before it.

The second half of `"A," he said. "B."`, or the next paragraph of a long
quote, is the same speaker's, unless another person is named in between.
"""

from __future__ import annotations

from ..marks import QuoteSpan
from ..people import People
from .candidates import Found, Who
from .view import View

# Attributions too loose to hand a speaker on to the next quote.
LOOSE_RULES = frozenset({"speech.governing", "speech.clause_subject", "headline.colon", "quote.inherited"})


def inherit(view: View, people: People, i: int, found: dict[int, Found | None], ids: dict[int, str], *,
            max_paragraphs: int = 2) -> tuple[str, Who] | None:
    """The id of the record quote `i` continues and its speaker, if it inherits one.

    Args:
        view: The document.
        people: The people named in it.
        i: The index of the quote in `view.spans`.
        found: What the sieves found for each quote before `i`.
        ids: The record id of each quote before `i` that has a record.
        max_paragraphs: How many paragraphs back the quote may look.
    """
    spans: tuple[QuoteSpan, ...] = view.spans
    span = spans[i]
    for j in range(i - 1, -1, -1):
        prev = spans[j]
        if prev.parent is not None:
            continue
        if view.para(span.start) - view.para(prev.end) > max_paragraphs:
            return None
        f = found.get(j)
        # A long quote's next paragraph (reopened with a mark) is always the
        # same speaker's; otherwise only a firm attribution is handed on.
        if f is None or f.who is None or j not in ids or (f.rule in LOOSE_RULES and span.continues != j):
            return None
        # Never across another person named in between; the attribution
        # of the quote before (`said Rep. G.K. Butterfield, head of the
        # Congressional Black Caucus.`) does not count.
        since = prev.outer_end
        if f.cue is not None and f.cue.end > f.cue.start:
            since = max(since, view.sent(view.tok_at(f.cue.start)).end_char)
        since = max(since, f.who.mention[1])
        speaker_key = people.key(f.who.name)
        if any(people.key(p.name) != speaker_key for p in people.before(span.outer_start, since)):
            return None
        return ids[j], f.who
    return None
