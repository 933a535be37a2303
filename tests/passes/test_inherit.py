"""Inherit: a cue-less quote takes the speaker of the firmly attributed quote before it."""

from __future__ import annotations

from quotes.passes.candidates import CueSpan, Found, Who
from quotes.passes.inherit import inherit
from quotes.passes.mentions import collect_people

from .conftest import SPLIT_QUOTE


def _setup(passes):  # noqa: ANN001, ANN202
    view = passes.view(passes.doc(*SPLIT_QUOTE))
    people = collect_people(view, passes.lex, passes.registry)
    putin = Who((10, 15), "Putin", "surname")
    return view, people, putin


def test_inherit_second_half_of_a_split_quote(passes) -> None:
    view, people, putin = _setup(passes)
    found = {0: Found(CueSpan(16, 20, "say"), putin, "speech.subject")}
    assert inherit(view, people, 1, found, {0: "d#1-8"}) == ("d#1-8", putin)


def test_inherit_not_from_a_loose_attribution(passes) -> None:
    view, people, putin = _setup(passes)
    found = {0: Found(CueSpan(16, 20, "say"), putin, "speech.governing")}
    assert inherit(view, people, 1, found, {0: "d#1-8"}) is None


def test_inherit_not_from_a_quote_without_speaker(passes) -> None:
    view, people, _ = _setup(passes)
    assert inherit(view, people, 1, {0: Found(CueSpan(16, 20, "say"), None, "speech.no_speaker")},
                   {0: "d#1-8"}) is None
    assert inherit(view, people, 1, {}, {0: "d#1-8"}) is None


def test_inherit_not_too_many_paragraphs_back(passes) -> None:
    text = '"Enough," Putin said.\n\nOne.\n\nTwo.\n\n"We go."'
    rows = [('"', 5, "punct", "PUNCT", '"'), ("Enough", 5, "advmod", "ADJ", "enough"), (",", 5, "punct", "PUNCT", ","),
            ('"', 5, "punct", "PUNCT", '"'), ("Putin", 5, "nsubj", "PROPN", "Putin"),
            ("said", 5, "ROOT", "VERB", "say"),
            (".", 5, "punct", "PUNCT", "."), ("\n\n", 6, "dep", "SPACE", "\n\n"),
            ("One", 8, "ROOT", "NUM", "one"), (".", 8, "punct", "PUNCT", "."), ("\n\n", 9, "dep", "SPACE", "\n\n"),
            ("Two", 11, "ROOT", "NUM", "two"), (".", 11, "punct", "PUNCT", "."), ("\n\n", 12, "dep", "SPACE", "\n\n"),
            ('"', 16, "punct", "PUNCT", '"'), ("We", 16, "nsubj", "PRON", "we"), ("go", 16, "ROOT", "VERB", "go"),
            (".", 16, "punct", "PUNCT", "."), ('"', 16, "punct", "PUNCT", '"')]
    view = passes.view(passes.doc(text, rows))
    people = collect_people(view, passes.lex, passes.registry)
    found = {0: Found(CueSpan(16, 20, "say"), Who((10, 15), "Putin", "surname"), "speech.subject")}
    assert inherit(view, people, 1, found, {0: "d#1-7"}) is None  # three paragraphs on
    assert inherit(view, people, 1, found, {0: "d#1-7"}, max_paragraphs=3) is not None
