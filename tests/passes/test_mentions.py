"""Mentions: the people named outside quotation marks, clustered by surname."""

from __future__ import annotations

from quotes.passes.mentions import collect_people

from .conftest import MET_THEN_SAID, SAID_AFTER


def test_mentions_names_with_subjects_and_fullest_form(passes) -> None:
    view = passes.view(passes.doc(*MET_THEN_SAID))
    people = collect_people(view, passes.lex, passes.registry)
    assert [(p.name, p.subject) for p in people.people] == [("Vladimir Putin", True), ("Joe Biden", False)]
    assert people.fullest("Putin", 40) == "Vladimir Putin"
    assert people.key("Putin") in people.keys()


def test_mentions_a_name_inside_quotes_is_no_mention(passes) -> None:
    text = '"Biden lost," Putin said.'
    rows = [('"', 6, "punct", "PUNCT", '"'), ("Biden", 2, "nsubj", "PROPN", "Biden"),
            ("lost", 6, "ccomp", "VERB", "lose"), (",", 6, "punct", "PUNCT", ","), ('"', 6, "punct", "PUNCT", '"'),
            ("Putin", 6, "nsubj", "PROPN", "Putin"), ("said", 6, "ROOT", "VERB", "say"),
            (".", 6, "punct", "PUNCT", ".")]
    doc = passes.doc(text, rows)
    people = collect_people(passes.view(doc), passes.lex, passes.registry)
    assert [p.name for p in people.people] == ["Putin"]


def test_mentions_a_place_is_no_person(passes) -> None:
    text, rows = SAID_AFTER
    doc = passes.doc(text.replace("Putin", "Moscow"), [r if r[0] != "Putin" else ("Moscow",) + r[1:] for r in rows])
    assert collect_people(passes.view(doc), passes.lex, passes.registry).people == []
