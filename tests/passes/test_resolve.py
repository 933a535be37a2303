"""Resolve: names to their fullest form, pronouns to the person before them,
descriptions to the recent speaker; the speaker history is the resolver's own."""

from __future__ import annotations

import pytest

from quotes.passes.candidates import Who
from quotes.passes.mentions import collect_people
from quotes.passes.resolve import Resolver

from .conftest import EXPERT_SAID_MONDAY, MET_THEN_SAID, SPOKE_THEN_SAID


def _resolver(passes, doc) -> Resolver:  # noqa: ANN001
    view = passes.view(doc)
    return Resolver(view, collect_people(view, passes.lex, passes.registry), passes.lex, passes.registry)


def test_resolve_pronoun_to_the_subject_before_it(passes) -> None:
    doc = passes.doc(*SPOKE_THEN_SAID)
    who = _resolver(passes, doc).who(doc[4])  # He
    assert (who.name, who.how, who.mention) == ("Vladimir Putin", "pronoun", (22, 24))


def test_resolve_pronoun_over_a_person_named_only_as_an_object(passes) -> None:
    # `Vladimir Putin met Joe Biden. He said ...`: the subject is the topic; the object is no rival
    doc = passes.doc(*MET_THEN_SAID)
    who = _resolver(passes, doc).who(doc[6])
    assert (who.name, who.how) == ("Vladimir Putin", "pronoun")


def _two_people(passes, first: str, second: str, pronoun: str):  # noqa: ANN202
    """`FIRST spoke. SECOND left. PRONOUN said that the talks failed.` parsed by hand."""
    f1, f2 = first.split()
    s1, s2 = second.split()
    text = f"{first} spoke. {second} left. {pronoun} said that the talks failed."
    return passes.doc(text, [
        (f1, 1, "compound", "PROPN", f1), (f2, 2, "nsubj", "PROPN", f2), ("spoke", 2, "ROOT", "VERB", "speak"),
        (".", 2, "punct", "PUNCT", "."),
        (s1, 5, "compound", "PROPN", s1), (s2, 6, "nsubj", "PROPN", s2), ("left", 6, "ROOT", "VERB", "leave"),
        (".", 6, "punct", "PUNCT", "."),
        (pronoun, 9, "nsubj", "PRON", pronoun.lower()), ("said", 9, "ROOT", "VERB", "say"),
        ("that", 13, "mark", "SCONJ", "that"), ("the", 12, "det", "DET", "the"),
        ("talks", 13, "nsubj", "NOUN", "talk", "NNS"), ("failed", 9, "ccomp", "VERB", "fail"),
        (".", 9, "punct", "PUNCT", "."),
    ])


def test_resolve_pronoun_to_the_nearest_subject_it_fits(passes) -> None:
    # `Oleg Ivanov spoke. Pavel Sidorov left. He said ...`: the nearest subject
    doc = _two_people(passes, "Oleg Ivanov", "Pavel Sidorov", "He")
    who = _resolver(passes, doc).who(doc[8])
    assert (who.name, who.how) == ("Pavel Sidorov", "pronoun")


def test_resolve_pronoun_skips_a_person_of_the_other_gender(passes) -> None:
    # a first name (Maria) and a Slavic surname ending (-ov) tell her from him
    doc = _two_people(passes, "Maria Petrova", "Oleg Ivanov", "She")
    who = _resolver(passes, doc).who(doc[8])
    assert (who.name, who.how) == ("Maria Petrova", "pronoun")
    doc = _two_people(passes, "Maria Petrova", "Oleg Ivanov", "He")
    assert _resolver(passes, doc).who(doc[8]).name == "Oleg Ivanov"


def test_resolve_pronoun_before_anyone_is_named_refers_forward(passes) -> None:
    # `He said that the talks failed. Oleg Ivanov left.`: a lead that names its speaker after
    text = "He said that the talks failed. Oleg Ivanov left."
    doc = passes.doc(text, [
        ("He", 1, "nsubj", "PRON", "he"), ("said", 1, "ROOT", "VERB", "say"),
        ("that", 5, "mark", "SCONJ", "that"), ("the", 4, "det", "DET", "the"),
        ("talks", 5, "nsubj", "NOUN", "talk", "NNS"), ("failed", 1, "ccomp", "VERB", "fail"),
        (".", 1, "punct", "PUNCT", "."),
        ("Oleg", 8, "compound", "PROPN", "Oleg"), ("Ivanov", 9, "nsubj", "PROPN", "Ivanov"),
        ("left", 9, "ROOT", "VERB", "leave"), (".", 9, "punct", "PUNCT", "."),
    ])
    who = _resolver(passes, doc).who(doc[0])
    assert (who.name, who.how) == ("Oleg Ivanov", "pronoun")


@pytest.mark.parametrize(("name", "gender"), [
    ("Maria Zakharova", "f"), ("Zakharova", "f"), ("Dmitry Peskov", "m"), ("Peskov", "m"),
    ("Kassym-Jomart Tokayev", "m"), ("Svetlana Tikhanovskaya", "f"), ("Satanovsky", "m"),
    ("Jordan Smith", "m"), ("Smith", None), ("Ov", None),
])
def test_resolve_gender_from_first_names_and_surname_endings(passes, name: str, gender: str | None) -> None:
    assert passes.lex.name_gender(name) == gender


def test_resolve_surname_to_fullest_name(passes) -> None:
    doc = passes.doc(*MET_THEN_SAID)
    resolver = _resolver(passes, doc)
    who = resolver.who(doc[1])  # Putin, heading `Vladimir Putin`
    assert (who.name, who.how) == ("Vladimir Putin", "named")


def test_resolve_time_word_is_never_a_speaker(passes) -> None:
    doc = passes.doc(*EXPERT_SAID_MONDAY)
    assert _resolver(passes, doc).who(doc[9]) is None  # Monday


def test_resolve_description_takes_the_recent_speaker_from_the_history(passes) -> None:
    doc = passes.doc(*EXPERT_SAID_MONDAY)
    resolver = _resolver(passes, doc)
    expert = doc[7]
    assert resolver.who(expert).name is None  # nobody heard yet: unresolved
    assert resolver.who(expert).how == "unresolved"
    resolver.heard(0, Who((0, 0), "Evgeny Satanovsky", "named", expert_id="satanovsky"))
    who = resolver.who(expert)
    assert (who.name, who.how, who.expert_id) == ("Evgeny Satanovsky", "description", "satanovsky")


def test_resolve_registry_link_takes_the_fuller_registered_name(passes) -> None:
    doc = passes.doc(*MET_THEN_SAID)
    who = _resolver(passes, doc).finish(Who((0, 9), "Satanovskiy", "surname"))
    assert (who.name, who.expert_id) == ("Evgeny Satanovsky", "satanovsky")
