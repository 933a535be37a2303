"""Resolve: names to their fullest form, pronouns to the person before them,
descriptions to the recent speaker; the speaker history is the resolver's own."""

from __future__ import annotations

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


def test_resolve_pronoun_not_across_another_person_named_between(passes) -> None:
    # `Vladimir Putin met Joe Biden. He said ...`: he may be either
    doc = passes.doc(*MET_THEN_SAID)
    who = _resolver(passes, doc).who(doc[6])
    assert (who.name, who.how) == (None, "unresolved")


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
