"""The sieves, one at a time, on hand-parsed sentences: each proposes a cue, a
speaker and the id of the rule that fired, or nothing."""

from __future__ import annotations

from quotes.passes.kind import attribution_follows, is_partial
from quotes.passes.sieves import adjacent, fragment, layout, reported

from .conftest import (
    ACCORDING_TO,
    ACCUSED_FRAGMENT,
    DASH_SIGNED,
    HEADLINE,
    MET_THEN_SAID,
    PARENTHETICAL,
    SAID_AFTER,
    SPLIT_QUOTE,
)


def _first_quote(passes, example):  # noqa: ANN001, ANN202
    ctx = passes.context(passes.doc(*example))
    return ctx, ctx.view.spans[0]


def test_kind_sentence_and_fragment(passes) -> None:
    ctx, span = _first_quote(passes, SAID_AFTER)
    assert not is_partial(ctx, span)
    assert attribution_follows(ctx, span)  # `, Putin said`
    ctx, span = _first_quote(passes, ACCUSED_FRAGMENT)
    assert is_partial(ctx, span)  # `accused "terrorist gangs" of`


def test_adjacent_cue_after_the_quote(passes) -> None:
    ctx, span = _first_quote(passes, SAID_AFTER)
    found = adjacent.sentence_cue(ctx, span)
    assert found.rule == "speech.subject"
    assert (found.cue.lemma, found.who.name, found.who.how) == ("say", "Putin", "surname")
    assert ctx.view.text[found.cue.start:found.cue.end] == "said"


def test_adjacent_cue_not_for_a_quote_with_no_cue_by_it(passes) -> None:
    ctx = passes.context(passes.doc(*SPLIT_QUOTE))
    assert adjacent.sentence_cue(ctx, ctx.view.spans[1]) is None  # `"We go."`


def test_adjacent_fragment_cue_needs_a_cue_right_after(passes) -> None:
    ctx, span = _first_quote(passes, ACCUSED_FRAGMENT)
    assert adjacent.fragment_cue(ctx, span) is None


def test_layout_dash_signature(passes) -> None:
    ctx, span = _first_quote(passes, DASH_SIGNED)
    found = layout.dash(ctx, span)
    assert (found.rule, found.who.name, found.cue.lemma) == ("layout.dash", "Sonya Herridge", "dash")
    assert layout.dash(ctx, span, max_words=0) is None  # the name must fit the window


def test_layout_headline_names_the_speaker(passes) -> None:
    ctx, span = _first_quote(passes, HEADLINE)
    found = layout.headline(ctx, span)
    assert (found.rule, found.who.name, found.cue.lemma) == ("headline.colon", "Putin", ":")


def test_layout_headline_only_after_a_colon(passes) -> None:
    ctx, span = _first_quote(passes, SAID_AFTER)
    assert layout.headline(ctx, span) is None


def test_layout_transcript_needs_two_labelled_paragraphs(passes) -> None:
    lex = passes.lex
    two = "WALLACE: Will she be there?\n\nPENCE: She will not."
    assert [two[a:b] for a, b, _, _ in layout.transcript_lines(two, lex)] == ["WALLACE", "PENCE"]
    assert layout.transcript_lines("PENCE: She will not.", lex) == ()
    # a label from rules/words.jsonl (words.not_speakers) is no speaker
    assert layout.transcript_lines("UPDATE: Talks resumed.\n\nNOTE: Times are local.", lex) == ()


def test_fragment_takes_the_verb_it_depends_on(passes) -> None:
    ctx, span = _first_quote(passes, ACCUSED_FRAGMENT)
    found = fragment.governing_cue(ctx, span)
    assert (found.rule, found.cue.lemma, found.who.name) == ("speech.governing", "accuse", "Tokayev")
    assert fragment.governing_cue(ctx, span, max_steps=1, clause_steps=0) is None  # the verb is one step up


def test_reported_clause_of_a_cue(passes) -> None:
    ctx = passes.context(passes.doc(*MET_THEN_SAID))
    (match,) = ctx.index.reports
    report = reported.reported(ctx, match)
    doc = ctx.view.doc
    assert doc[report.start:report.end].text == "the talks failed"
    assert (report.rule, doc[report.speaker].text, report.cue.lemma) == ("speech.subject", "He", "say")
    assert reported.reported(ctx, match, min_tokens=4) is None


def test_reported_according_to(passes) -> None:
    ctx = passes.context(passes.doc(*ACCORDING_TO))
    (match,) = ctx.index.reports
    report = reported.reported(ctx, match)
    assert ctx.view.doc[report.start:report.end].text == "the talks failed in Moscow"
    assert report.cue.lemma == "according to"


def test_reported_parenthetical_cue_splits_the_clause(passes) -> None:
    ctx = passes.context(passes.doc(*PARENTHETICAL))
    (match,) = ctx.index.reports
    report = reported.reported(ctx, match)
    text = ctx.view.text
    assert report.rule == "indirect.parenthetical"
    assert [text[a:b] for a, b in report.parts] == ["But to prevent problems",
                                                    "local officials should check every machine"]


def test_reported_heading_gives_no_speech(passes) -> None:
    title = "Lindsey Graham Says Trump Could Address Clean Energy"
    words = title.split()
    view = passes.view(passes.doc(title, [(w, 0, "ROOT" if i == 0 else "dep", "PROPN", w) for i, w in
                                          enumerate(words)]))
    assert reported.is_heading(view, 0)  # a short paragraph of capitalised words
    assert not reported.is_heading(passes.view(passes.doc(*MET_THEN_SAID)), 0)


def test_reported_heading_is_decided_once_per_paragraph(passes) -> None:
    # A text without breaks is one paragraph: splitting it into words for
    # every cue made the sieve quadratic in the length of such a text.
    title = "Lindsey Graham Says Trump Could Address Clean Energy"
    words = title.split()
    view = passes.view(passes.doc(title, [(w, 0, "ROOT" if i == 0 else "dep", "PROPN", w) for i, w in
                                          enumerate(words)]))
    assert all(reported.is_heading(view, view.starts[i]) for i in range(len(words)))
    assert list(view.memo.values()) == [True]  # one paragraph, one decision
