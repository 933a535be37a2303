"""What the passes hand each other: a speaker as found, a cue and its speaker,
a stretch of reported speech; and the ids of the rules that live in code.

A record's `rule` is exactly the id of the rule that fired: the id of a
pattern in `rules/patterns.jsonl`, or one of `CODE_RULES` below, for the
attributions whose logic is code rather than a pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# Every rule id a record can carry that is not a line of rules/patterns.jsonl.
CODE_RULES: dict[str, str] = {
    "speech.conj_subject": "the subject of a cue found up its chain of conjuncts, participles "
                           "or clauses: '\"...,\" he said, adding that ...'",
    "speech.inverted": "the noun phrase after a cue the parser missed: 'said the political scientist'",
    "speech.preceding": "a person-like word just before a cue the parser missed: "
                        "'\"...,\" the expert believes.'",
    "speech.no_speaker": "a cue by the quote whose speaker could not be found",
    "speech.nested": "a cue inside the quote that holds this one: 'To which Putin replied: \"...\"'",
    "speech.governing": "the reporting verb (or 'according to') a quoted fragment depends on",
    "speech.clause_subject": "a person who is the subject of the clause holding a quoted fragment",
    "layout.dash": "a name after a dash signs the quote: '\"...\" - Sonya Herridge'",
    "layout.transcript": "an upper-case label opens the paragraph of an interview transcript: 'PENCE: ...'",
    "indirect.parenthetical": "a reporting clause set off by commas inside the sentence it reports: "
                              "'But, he said, officials should ...'",
    "indirect.referred": "a cue whose passive subject or object is a bare 'this' reports the sentence "
                         "before it: 'Prices will rise. This was stated by the minister.'",
    "quote.inherited": "no cue: the speaker of the quote before",
    "quote.unattributed": "no cue and no speaker",
}


class CueSpan(NamedTuple):
    """The reporting word (or words) of an attribution, by character offsets."""

    start: int
    end: int
    lemma: str


@dataclass
class Who:
    """A speaker as found at an attribution.

    Attributes:
        mention: Character offsets of the words at the attribution.
        name: The person's fullest name in the article, None if unresolved.
        how: How it was found: named, surname, pronoun, description, other,
            unresolved, inherited (the keys of `assemble.CONFIDENCE`).
        description: A role the text gives the speaker.
        expert_id: The registry id, when the speaker is a tracked expert.
    """

    mention: tuple[int, int]
    name: str | None
    how: str
    description: str | None = None
    expert_id: str | None = None


@dataclass
class Found:
    """A sieve's proposal for a quote: a cue, its speaker (None when only the
    cue was found), and the id of the rule that fired."""

    cue: CueSpan | None
    who: Who | None
    rule: str


@dataclass
class Report:
    """Reported speech without quotation marks: tokens [start, end) of the
    clause, the head token of its speaker, the cue, the rule, and the pieces
    of text when a parenthetical cue splits the clause."""

    start: int
    end: int
    speaker: int
    cue: CueSpan
    rule: str
    parts: list[tuple[int, int]] | None = None
