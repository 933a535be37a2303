"""Assemble: a quote span, its kind and its attribution -> a record.

Sets the confidence (from how the speaker was found, the kind, and whether
the marks had to be repaired), the flags, the stable id; keeps one record per
span of text.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..marks import QuoteSpan
from ..records import Cue, Quote, Speaker, quote_id
from .candidates import Found

# Confidence by how the speaker was found (see the README's table).
CONFIDENCE = {
    "named": 0.95,
    "expert": 0.95,
    "other": 0.85,
    "pronoun": 0.8,
    "description": 0.75,
    "surname": 0.9,
    "inherited": 0.65,
    "unresolved": 0.4,
}
NO_SPEAKER = 0.3
RULE_FACTOR = {"direct": 1.0, "partial": 0.9, "indirect": 0.85}
REPAIRED = frozenset({"repaired-close", "unclosed", "stray-mark"})
REPAIRED_FACTOR = 0.95
FLAG_OF_HOW = {"pronoun": "resolved-pronoun", "description": "resolved-description", "unresolved": "unresolved"}


def record(text: str, span: QuoteSpan, kind: str, found: Found | None, flags: set[str], doc_id: str | None,
           nested_in: str | None = None, continues: str | None = None) -> Quote:
    """The record of one quote (or stretch of reported speech).

    Args:
        text: The document's text.
        span: Where the quote stands.
        kind: direct, partial or indirect.
        found: Its cue, speaker and rule; None when nothing attributes it.
        flags: The scanner's and the passes' flags.
        doc_id: The document's id.
        nested_in: The id of the record of the quote this one stands in.
        continues: The id of the record this one continues.
    """
    flags = set(flags)
    who = found.who if found is not None else None
    speaker = None
    confidence = NO_SPEAKER
    if who is not None:
        if who.how in FLAG_OF_HOW:
            flags.add(FLAG_OF_HOW[who.how])
        speaker = Speaker(name=who.name, mention=text[who.mention[0]:who.mention[1]],
                          start=who.mention[0], end=who.mention[1], expert_id=who.expert_id,
                          description=who.description)
        confidence = CONFIDENCE.get(who.how, 0.5) * RULE_FACTOR[kind]
        if flags & REPAIRED:
            confidence *= REPAIRED_FACTOR
    cue = found.cue if found is not None else None
    cue_rec = None
    if cue is not None and cue.end > cue.start:
        cue_rec = Cue(text=text[cue.start:cue.end], lemma=cue.lemma, start=cue.start, end=cue.end)
    rule = found.rule if found is not None else "quote.unattributed"
    return Quote(
        id=quote_id(doc_id, span.start, span.end), doc_id=doc_id, kind=kind,  # type: ignore[arg-type]
        text=text[span.start:span.end], start=span.start, end=span.end,
        parts=[tuple(p) for p in span.parts] or [(span.start, span.end)],  # type: ignore[misc]
        speaker=speaker, cue=cue_rec, confidence=round(confidence, 3), rule=rule,
        flags=sorted(flags), continues=continues, nested_in=nested_in,
    )


def dedupe(records: Iterable[Quote]) -> list[Quote]:
    """The records in order, one per (start, end)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for r in records:
        if (r.start, r.end) in seen:
            continue
        seen.add((r.start, r.end))
        out.append(r)
    return out
