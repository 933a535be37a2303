"""Cues: the compiled patterns give a typed index, outside quotation marks only."""

from __future__ import annotations

from quotes.passes.cues import DepMatch, ReportCue, TokenMatch

from .conftest import ACCORDING_TO, MET_THEN_SAID


def test_cues_subject_pattern_pairs_cue_and_speaker(passes) -> None:
    doc = passes.doc(*MET_THEN_SAID)
    index = passes.cues.match(passes.view(doc))
    said = 7
    assert index.by_cue == {said: DepMatch("speech.subject", 6)}
    # `say` introduces reported speech: the clause after it is a report
    assert index.reports == [ReportCue(doc[said].idx, said, "speech.subject", 6)]


def test_cues_according_to_is_a_token_match_and_a_source(passes) -> None:
    doc = passes.doc(*ACCORDING_TO)
    index = passes.cues.match(passes.view(doc))
    assert TokenMatch("speech.according_to_flat", 0, 2) in index.tokens
    # the dependency pattern pairs `According` with `Lepekhin`; the token match adds no second report
    assert [(m.cue, m.rule, m.speaker) for m in index.reports] == [(0, "speech.according_to", 2)]
    assert passes.cues.is_source("speech.according_to_flat")
    assert not passes.cues.is_source("speech.subject")


def test_cues_a_cue_inside_quotes_is_not_indexed(passes) -> None:
    text = '"Putin said it," Biden said.'
    rows = [('"', 7, "punct", "PUNCT", '"'), ("Putin", 2, "nsubj", "PROPN", "Putin"),
            ("said", 7, "ccomp", "VERB", "say"), ("it", 2, "dobj", "PRON", "it"), (",", 7, "punct", "PUNCT", ","),
            ('"', 7, "punct", "PUNCT", '"'), ("Biden", 7, "nsubj", "PROPN", "Biden"),
            ("said", 7, "ROOT", "VERB", "say"),
            (".", 7, "punct", "PUNCT", ".")]
    index = passes.cues.match(passes.view(passes.doc(text, rows)))
    assert index.by_cue == {7: DepMatch("speech.subject", 6)}


def test_cues_irregular_forms_come_from_the_cue_lines(passes) -> None:
    pattern = passes.rules.attribution_pattern()
    assert pattern.search("It is over, Putin said. ")  # `say` lists `said` in rules/cues.jsonl
    assert pattern.search("It is over, the expert stressed. ")  # a regular form
    assert not pattern.search("It is over, Putin sayed. ")
