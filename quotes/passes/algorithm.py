"""The algorithm: which sieves run on a quote, in which order, and what follows.

For each quote, in text order, the sieves of `SIEVES` that apply to its place
run in the order of the table; the first that proposes an attribution (a cue,
with or without a speaker) wins. A whole-sentence quote left without a
speaker then inherits the speaker of the quote before it (`inherit`).
Reported speech without marks (`sieves.reported`) is read in the same pass,
in text order, so that the resolver's speaker history is filled before the
pronouns that follow. `assemble` turns each into a record.

A quote's place is `nested` (inside another quote), `fragment` (a quoted
fragment inside a sentence, kind partial) or `sentence` (kind direct).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..marks import QuoteSpan
from ..people import People
from ..records import Quote
from .assemble import dedupe, record
from .candidates import Found, Who
from .context import Context
from .cues import ReportCue
from .inherit import inherit
from .kind import is_partial
from .sieves import adjacent, fragment, layout, reported
from .syntax import can_report


class Sieve(NamedTuple):
    """One step of the attribution: where it applies, and what proposes."""

    places: frozenset[str]
    propose: Callable[[Context, QuoteSpan], Found | None]


NESTED, FRAGMENT, SENTENCE = "nested", "fragment", "sentence"

# In order of precision; the first proposal wins.
SIEVES: tuple[Sieve, ...] = (
    Sieve(frozenset({NESTED}), adjacent.nested_cue),          # "... Putin replied: "..." ..."
    Sieve(frozenset({SENTENCE}), layout.transcript),           # PENCE: "..."
    Sieve(frozenset({SENTENCE}), adjacent.sentence_cue),       # "...," he said. / X said: "..."
    Sieve(frozenset({FRAGMENT}), adjacent.fragment_cue),       # because "...," she said.
    Sieve(frozenset({SENTENCE, FRAGMENT}), layout.headline),   # Putin: "..."
    Sieve(frozenset({SENTENCE}), layout.dash),                 # "..." ― Sonya Herridge
    Sieve(frozenset({FRAGMENT}), fragment.governing_cue),      # X accused "..." of
)


def attribute(ctx: Context, people: People, doc_id: str | None) -> list[Quote]:
    """All records of one document, sorted by offset."""
    view = ctx.view
    records: list[Quote] = []
    ids: dict[int, str] = {}  # quote index -> record id
    found: dict[int, Found | None] = {}  # quote index -> its attribution
    # Quotes and reported speech in text order: (offset, quote index or -1, report cue or None).
    events: list[tuple[int, int, ReportCue | None]] = [(s.start, i, None) for i, s in enumerate(view.spans)]
    events.extend((m.offset, -1, m) for m in ctx.index.reports)
    events.sort(key=lambda e: (e[0], e[1] >= 0))
    for _, i, report in events:
        if report is not None:
            rec = _report(ctx, report, doc_id)
        else:
            rec = _quote(ctx, people, i, found, ids, doc_id)
            ids[i] = rec.id
        if rec is not None:
            records.append(rec)
    for span, f in layout.transcript_paragraphs(ctx):
        records.append(record(view.text, span, "direct", f, set(), doc_id))
    records.sort(key=lambda r: (r.start, -r.end))
    return dedupe(records)


def place_of(ctx: Context, span: QuoteSpan, partial: bool) -> str:
    """Where a quote stands: nested, fragment or sentence."""
    return NESTED if span.parent is not None else FRAGMENT if partial else SENTENCE


def propose(ctx: Context, span: QuoteSpan, place: str) -> Found | None:
    """The first proposal of the sieves that apply to the quote's place."""
    for sieve in SIEVES:
        if place in sieve.places:
            found = sieve.propose(ctx, span)
            if found is not None:
                return found
    return None


def _quote(ctx: Context, people: People, i: int, found_of: dict[int, Found | None], ids: dict[int, str],
           doc_id: str | None) -> Quote:
    view = ctx.view
    span = view.spans[i]
    flags = set(span.flags)
    nested_in = ids.get(span.parent) if span.parent is not None else None
    partial = is_partial(ctx, span)
    kind = "partial" if partial else "direct"
    place = place_of(ctx, span, partial)
    found = propose(ctx, span, place)
    if place == NESTED and found is None:
        return record(view.text, span, kind, None, flags, doc_id, nested_in)
    if (found is None or found.who is None) and kind == "direct" and place != NESTED:
        inherited = inherit(view, people, i, found_of, ids)
        if inherited is not None:
            prev, who = inherited
            flags.add("inherited-speaker")
            # An unresolved speaker stays unresolved, at its own low confidence.
            how = "inherited" if who.name else "unresolved"
            found_of[i] = Found(None, who, "quote.inherited")
            heir = Who(who.mention, who.name, how, who.description, who.expert_id)
            return record(view.text, span, kind, Found(None, heir, "quote.inherited"), flags, doc_id,
                          nested_in, continues=prev)
    found_of[i] = found
    if found is not None and found.who is not None:
        ctx.resolver.heard(span.start, found.who)
    continues = ids.get(span.continues) if span.continues is not None else None
    return record(view.text, span, kind, found, flags, doc_id, nested_in, continues)


def _report(ctx: Context, match: ReportCue, doc_id: str | None) -> Quote | None:
    rep = reported.reported(ctx, match)
    if rep is None:
        return None
    doc = ctx.view.doc
    if not can_report(doc[rep.speaker], ctx.lex):
        return None
    who = ctx.resolver.who(doc[rep.speaker])
    if who is None:
        return None
    ctx.resolver.heard(doc[rep.start].idx, who)
    start, end = doc[rep.start].idx, doc[rep.end - 1].idx + len(doc[rep.end - 1].text)
    span = QuoteSpan(start, end, None, None, rep.parts or [(start, end)])
    return record(ctx.view.text, span, "indirect", Found(rep.cue, who, rep.rule), set(), doc_id)
