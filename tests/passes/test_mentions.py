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


def test_mentions_a_lone_first_name_is_the_one_person_named_with_it(passes) -> None:
    text = "Pepe Escobar spoke. Pepe agreed."
    rows = [("Pepe", 1, "compound", "PROPN", "Pepe"), ("Escobar", 2, "nsubj", "PROPN", "Escobar"),
            ("spoke", 2, "ROOT", "VERB", "speak"), (".", 2, "punct", "PUNCT", "."),
            ("Pepe", 5, "nsubj", "PROPN", "Pepe"), ("agreed", 5, "ROOT", "VERB", "agree"),
            (".", 5, "punct", "PUNCT", ".")]
    people = collect_people(passes.view(passes.doc(text, rows)), passes.lex, passes.registry)
    assert people.fullest("Pepe", 20) == "Pepe Escobar"
    assert people.fullest("Escobar", 20) == "Pepe Escobar"
    assert people.fullest("Lukashenko", 20) == "Lukashenko"  # nobody of that name: as written


def test_mentions_a_known_first_name_starts_the_name(passes) -> None:
    text = "Journal Editor Fyodor Lukyanov spoke."
    rows = [("Journal", 3, "compound", "PROPN", "Journal"), ("Editor", 3, "compound", "PROPN", "Editor"),
            ("Fyodor", 3, "compound", "PROPN", "Fyodor"), ("Lukyanov", 4, "nsubj", "PROPN", "Lukyanov"),
            ("spoke", 4, "ROOT", "VERB", "speak"), (".", 4, "punct", "PUNCT", ".")]
    people = collect_people(passes.view(passes.doc(text, rows)), passes.lex, passes.registry)
    assert [(p.name, p.gender) for p in people.people] == [("Fyodor Lukyanov", "m")]


def test_mentions_a_title_the_parser_made_the_names_head_is_its_role(passes) -> None:
    text = "Secretary General of the Council Ivan Petrov spoke."
    rows = [("Secretary", 1, "compound", "PROPN", "Secretary"), ("General", 7, "nsubj", "PROPN", "General"),
            ("of", 1, "prep", "ADP", "of"), ("the", 4, "det", "DET", "the"), ("Council", 2, "pobj", "PROPN", "Council"),
            ("Ivan", 6, "compound", "PROPN", "Ivan"), ("Petrov", 1, "appos", "PROPN", "Petrov"),
            ("spoke", 7, "ROOT", "VERB", "speak"), (".", 7, "punct", "PUNCT", ".")]
    people = collect_people(passes.view(passes.doc(text, rows)), passes.lex, passes.registry)
    assert [p.name for p in people.people] == ["Ivan Petrov"]
    assert people.roles_of("Ivan Petrov")[0] == {"role.secretary_general"}


def test_compound_titles_read_the_same_with_a_hyphen_or_a_space(passes) -> None:
    roles_in = passes.lex.roles_in
    expected = ["role.secretary_general"]
    assert roles_in(["secretary-general"]) == roles_in(["Secretary", "General"]) == expected
    assert roles_in(["the", "secretary", "-", "general"]) == expected  # as the tokenizer splits it
    assert roles_in(["press", "secretary"]) == ["role.secretary"]
