"""Assemble: confidence from the evidence, flags, ids; one record per span."""

from __future__ import annotations

import pytest

from quotes.marks import QuoteSpan
from quotes.passes.assemble import dedupe, record
from quotes.passes.candidates import CueSpan, Found, Who

TEXT = '"It is over," Putin said.'
SPAN = QuoteSpan(1, 12, (0, 1), (12, 13), [(1, 12)])
CUE = CueSpan(20, 24, "say")


@pytest.mark.parametrize(("how", "kind", "flags", "confidence", "added"), [
    ("named", "direct", set(), 0.95, []),
    ("surname", "partial", set(), 0.81, []),
    ("pronoun", "direct", set(), 0.8, ["resolved-pronoun"]),
    ("description", "indirect", set(), 0.637, ["resolved-description"]),
    ("unresolved", "direct", set(), 0.4, ["unresolved"]),
    ("named", "direct", {"repaired-close"}, 0.902, ["repaired-close"]),
])
def test_assemble_confidence_and_flags(how: str, kind: str, flags: set[str], confidence: float,
                                       added: list[str]) -> None:
    who = Who((14, 19), "Putin" if how != "unresolved" else None, how)
    rec = record(TEXT, SPAN, kind, Found(CUE, who, "speech.subject"), flags, "d")
    assert rec.confidence == confidence
    assert rec.flags == sorted(added)
    assert (rec.id, rec.text, rec.rule) == ("d#1-12", "It is over,", "speech.subject")
    assert (rec.speaker.mention, rec.cue.text) == ("Putin", "said")


def test_assemble_no_attribution_is_unattributed() -> None:
    rec = record(TEXT, SPAN, "direct", None, {"unclosed"}, None)
    assert (rec.speaker, rec.cue, rec.rule, rec.confidence) == (None, None, "quote.unattributed", 0.3)
    assert rec.flags == ["unclosed"]


def test_assemble_dedupe_keeps_the_first_record_of_a_span() -> None:
    first = record(TEXT, SPAN, "direct", None, set(), "d")
    second = record(TEXT, SPAN, "partial", None, set(), "d")
    assert dedupe([first, second]) == [first]
