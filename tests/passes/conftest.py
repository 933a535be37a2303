"""Hand-built parsed documents for the pass tests: no model is loaded.

`parse(vocab, text, rows)` builds a `Doc` whose tokens are the words of
`rows`, found in order in `text` (so `doc.text == text`), each row
`(word, head, dep, pos, lemma)` or with a sixth item, its tag. `head` is the
index of the head token (a root is its own head).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from quotes.marks import scan
from quotes.passes.context import Context
from quotes.passes.cues import Cues
from quotes.passes.mentions import collect_people
from quotes.passes.resolve import Resolver
from quotes.passes.sieves.layout import transcript_lines
from quotes.passes.view import View
from quotes.people import Lexicon, Registry
from quotes.rules import Rules, load_rules

Row = tuple  # (word, head, dep, pos, lemma[, tag])


def parse(vocab: Vocab, text: str, rows: Sequence[Row]) -> Doc:
    """A parsed Doc of `text`, tokens and parse as given."""
    words, spaces, pos = [], [], 0
    for row in rows:
        word = row[0]
        at = text.index(word, pos)
        assert text[pos:at] in ("", " "), f"give {text[pos:at]!r} a token of its own (pos SPACE)"
        if words:
            spaces[-1] = at > pos
        words.append(word)
        spaces.append(False)
        pos = at + len(word)
    assert pos == len(text), f"text after the last token: {text[pos:]!r}"
    tags = [row[5] if len(row) > 5 else ("NNP" if row[3] == "PROPN" else "") for row in rows]
    doc = Doc(vocab, words=words, spaces=spaces, heads=[row[1] for row in rows], deps=[row[2] for row in rows],
              pos=[row[3] for row in rows], lemmas=[row[4] for row in rows], tags=tags)
    assert doc.text == text
    return doc


class Passes:
    """The compiled rules on one vocab, and a way to build a document's context."""

    def __init__(self) -> None:
        self.vocab = spacy.blank("en").vocab  # English lexical attributes (is_punct, is_title ...)
        self.rules: Rules = load_rules()
        self.lex = Lexicon.from_rules(self.rules)
        self.registry = Registry(self.rules.experts, self.lex.folding)
        self.cues = Cues(self.vocab, self.rules, self.lex)

    def doc(self, text: str, rows: Sequence[Row]) -> Doc:
        return parse(self.vocab, text, rows)

    def view(self, doc: Doc) -> View:
        spans, _ = scan(doc.text, self.rules.attribution_pattern())
        return View.build(doc, spans)

    def context(self, doc: Doc) -> Context:
        view = self.view(doc)
        people = collect_people(view, self.lex, self.registry)
        resolver = Resolver(view, people, self.lex, self.registry)
        return Context(view, self.cues, self.cues.match(view), self.lex, resolver,
                       transcript_lines(view.text, self.lex))


@pytest.fixture(scope="session")
def passes() -> Passes:
    return Passes()


# Sentences parsed by hand as en_core_web_sm 3.8.0 parses them.
SAID_AFTER = ('"It is over," Putin said.', [
    ('"', 7, "punct", "PUNCT", '"'), ("It", 2, "nsubj", "PRON", "it"), ("is", 7, "ccomp", "AUX", "be"),
    ("over", 2, "advmod", "ADV", "over"), (",", 7, "punct", "PUNCT", ","), ('"', 7, "punct", "PUNCT", '"'),
    ("Putin", 7, "nsubj", "PROPN", "Putin"), ("said", 7, "ROOT", "VERB", "say"), (".", 7, "punct", "PUNCT", "."),
])
MET_THEN_SAID = ("Vladimir Putin met Joe Biden. He said that the talks failed.", [
    ("Vladimir", 1, "compound", "PROPN", "Vladimir"), ("Putin", 2, "nsubj", "PROPN", "Putin"),
    ("met", 2, "ROOT", "VERB", "meet"), ("Joe", 4, "compound", "PROPN", "Joe"), ("Biden", 2, "dobj", "PROPN", "Biden"),
    (".", 2, "punct", "PUNCT", "."), ("He", 7, "nsubj", "PRON", "he"), ("said", 7, "ROOT", "VERB", "say"),
    ("that", 11, "mark", "SCONJ", "that"), ("the", 10, "det", "DET", "the"),
    ("talks", 11, "nsubj", "NOUN", "talk", "NNS"), ("failed", 7, "ccomp", "VERB", "fail"),
    (".", 7, "punct", "PUNCT", "."),
])
ACCORDING_TO = ("According to Lepekhin, the talks failed in Moscow.", [
    ("According", 6, "prep", "VERB", "accord"), ("to", 0, "prep", "ADP", "to"),
    ("Lepekhin", 1, "pobj", "PROPN", "Lepekhin"),
    (",", 6, "punct", "PUNCT", ","), ("the", 5, "det", "DET", "the"), ("talks", 6, "nsubj", "NOUN", "talk", "NNS"),
    ("failed", 6, "ROOT", "VERB", "fail"), ("in", 6, "prep", "ADP", "in"), ("Moscow", 7, "pobj", "PROPN", "Moscow"),
    (".", 6, "punct", "PUNCT", "."),
])
ACCUSED_FRAGMENT = ('Tokayev accused "terrorist gangs" of the unrest.', [
    ("Tokayev", 1, "nsubj", "PROPN", "Tokayev"), ("accused", 1, "ROOT", "VERB", "accuse"),
    ('"', 4, "punct", "PUNCT", '"'), ("terrorist", 4, "amod", "ADJ", "terrorist"),
    ("gangs", 1, "dobj", "NOUN", "gang", "NNS"), ('"', 4, "punct", "PUNCT", '"'), ("of", 4, "prep", "ADP", "of"),
    ("the", 8, "det", "DET", "the"), ("unrest", 6, "pobj", "NOUN", "unrest"), (".", 1, "punct", "PUNCT", "."),
])
DASH_SIGNED = ('"It is over." ― Sonya Herridge', [
    ('"', 6, "punct", "PUNCT", '"'), ("It", 2, "nsubj", "PRON", "it"), ("is", 0, "prep", "AUX", "be"),
    ("over", 2, "advmod", "ADV", "over"), (".", 2, "punct", "PUNCT", "."), ('"', 2, "punct", "PUNCT", '"'),
    ("―", 6, "ROOT", "VERB", "―"), ("Sonya", 8, "compound", "PROPN", "Sonya"),
    ("Herridge", 6, "dobj", "PROPN", "Herridge"),
])
HEADLINE = ('Putin: "Maidan technologies" used in Kazakhstan', [
    ("Putin", 0, "ROOT", "PROPN", "Putin"), (":", 0, "punct", "PUNCT", ":"), ('"', 4, "punct", "PUNCT", '"'),
    ("Maidan", 4, "compound", "PROPN", "Maidan"), ("technologies", 0, "appos", "NOUN", "technology", "NNS"),
    ('"', 4, "punct", "PUNCT", '"'), ("used", 4, "acl", "VERB", "use"), ("in", 6, "prep", "ADP", "in"),
    ("Kazakhstan", 7, "pobj", "PROPN", "Kazakhstan"),
])
EXPERT_SAID_MONDAY = ('"We will win," the expert said Monday.', [
    ('"', 8, "punct", "PUNCT", '"'), ("We", 3, "nsubj", "PRON", "we"), ("will", 3, "aux", "AUX", "will"),
    ("win", 8, "ccomp", "VERB", "win"), (",", 8, "punct", "PUNCT", ","), ('"', 8, "punct", "PUNCT", '"'),
    ("the", 7, "det", "DET", "the"), ("expert", 8, "nsubj", "NOUN", "expert"), ("said", 8, "ROOT", "VERB", "say"),
    ("Monday", 8, "npadvmod", "PROPN", "Monday"), (".", 8, "punct", "PUNCT", "."),
])
PARENTHETICAL = ("But to prevent problems, Senator Jane Doe said, local officials should check every machine.", [
    ("But", 13, "cc", "CCONJ", "but"), ("to", 2, "aux", "PART", "to"), ("prevent", 13, "advcl", "VERB", "prevent"),
    ("problems", 2, "dobj", "NOUN", "problem", "NNS"), (",", 8, "punct", "PUNCT", ","),
    ("Senator", 7, "compound", "PROPN", "Senator"), ("Jane", 7, "compound", "PROPN", "Jane"),
    ("Doe", 8, "nsubj", "PROPN", "Doe"), ("said", 13, "parataxis", "VERB", "say"), (",", 8, "punct", "PUNCT", ","),
    ("local", 11, "amod", "ADJ", "local"), ("officials", 13, "nsubj", "NOUN", "official", "NNS"),
    ("should", 13, "aux", "AUX", "should"), ("check", 13, "ROOT", "VERB", "check"),
    ("every", 15, "det", "DET", "every"), ("machine", 13, "dobj", "NOUN", "machine"), (".", 13, "punct", "PUNCT", "."),
])
SPLIT_QUOTE = ('"Enough," Putin said. "We go."', [
    ('"', 5, "punct", "PUNCT", '"'), ("Enough", 5, "advmod", "ADJ", "enough"), (",", 5, "punct", "PUNCT", ","),
    ('"', 5, "punct", "PUNCT", '"'), ("Putin", 5, "nsubj", "PROPN", "Putin"), ("said", 5, "ROOT", "VERB", "say"),
    (".", 5, "punct", "PUNCT", "."), ('"', 9, "punct", "PUNCT", '"'), ("We", 9, "nsubj", "PRON", "we"),
    ("go", 9, "ROOT", "VERB", "go"), (".", 9, "punct", "PUNCT", "."), ('"', 9, "punct", "PUNCT", '"'),
])
SPOKE_THEN_SAID = ("Vladimir Putin spoke. He said that the talks failed.", [
    ("Vladimir", 1, "compound", "PROPN", "Vladimir"), ("Putin", 2, "nsubj", "PROPN", "Putin"),
    ("spoke", 2, "ROOT", "VERB", "speak"), (".", 2, "punct", "PUNCT", "."), ("He", 5, "nsubj", "PRON", "he"),
    ("said", 5, "ROOT", "VERB", "say"), ("that", 9, "mark", "SCONJ", "that"), ("the", 8, "det", "DET", "the"),
    ("talks", 9, "nsubj", "NOUN", "talk", "NNS"), ("failed", 5, "ccomp", "VERB", "fail"),
    (".", 5, "punct", "PUNCT", "."),
])
