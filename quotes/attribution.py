"""Attribute quoted spans and reported speech to speakers, on a parsed Doc.

`Attributor` compiles the rules once and runs the passes of
`quotes.passes` on each document: the scanner's quote spans and a read-only
`view` of the parse, the `cues` and the `mentions` of people, the sieves in
the order of `passes.algorithm.SIEVES` with speakers resolved by
`passes.resolve`, `inherit`, then `assemble`.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from .marks import scan
from .passes.algorithm import attribute
from .passes.context import Context
from .passes.cues import Cues
from .passes.mentions import collect_people
from .passes.resolve import Resolver
from .passes.sieves.layout import transcript_lines
from .passes.view import View
from .people import Lexicon, Registry
from .records import Quote
from .rules import Rules


class Attributor:
    """Turns a parsed Doc into quote records, by the rules."""

    def __init__(self, vocab: Vocab, rules: Rules) -> None:
        self.rules = rules
        self.lex = Lexicon.from_rules(rules)
        self.registry = Registry(rules.experts, self.lex.folding)
        self.attribution = rules.attribution_pattern()
        self.cues = Cues(vocab, rules, self.lex)

    def __call__(self, doc: Doc, doc_id: str | None = None) -> list[Quote]:
        """All quote records of a parsed document, sorted by offset."""
        text = doc.text
        spans, _ = scan(text, self.attribution)
        view = View.build(doc, spans, text)
        people = collect_people(view, self.lex, self.registry)
        resolver = Resolver(view, people, self.lex, self.registry)
        ctx = Context(view, self.cues, self.cues.match(view), self.lex, resolver,
                      transcript_lines(text, self.lex))
        return attribute(ctx, people, doc_id)
