"""Questions about the parse that several passes ask: a verb's subject, the
noun phrase around a word, whether a word can stand for a person or a source.

Pure functions of the parsed tokens, the view's quote mask and the lexicon.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from ..people import Lexicon, is_name_token
from .view import View

SENTENCE_END = frozenset({".", "!", "?", "…"})
NP_POS = frozenset({"DET", "ADJ", "PROPN", "NOUN", "NUM", "PRON"})
NP_MODIFIERS = frozenset({"det", "amod", "compound", "flat", "nmod", "poss", "nummod", "punct", "prep", "pobj",
                          "npadvmod", "advmod", "quantmod", "case"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})


def noun_phrase(view: View, head: Token) -> Span:
    """The contiguous noun phrase around `head`, without relative clauses or appositions."""
    doc = head.doc
    left = head.i
    for t in reversed(list(head.lefts)):
        # Each modifier's words must run on to what is already in the phrase.
        if t.dep_ in NP_MODIFIERS and t.right_edge.i == left - 1:
            if t.dep_ == "punct" and t.text not in "-–":
                break
            left = t.left_edge.i
        else:
            break
    right = head.i + 1
    while right < len(doc) and doc[right].dep_ in ("flat", "compound") and doc[right].head.i == head.i:
        right += 1
    while left < head.i and view.in_quote[left]:
        left += 1
    return doc[left:right]


def appos(head: Token) -> Span | None:
    """The apposition after `head`: `Evgeny Satanovsky, president of the institute`."""
    for c in head.rights:
        if c.dep_ == "appos":
            return head.doc[c.left_edge.i:c.right_edge.i + 1]
    return None


def np_after(view: View, i: int) -> Token | None:
    """The head of the noun phrase starting at token i (`according to him`)."""
    doc = view.doc
    j = i
    while j < len(doc) and doc[j].pos_ in NP_POS and not view.in_quote[j] and doc[j].text not in ",;:":
        j += 1
        if doc[j - 1].pos_ in ("PRON",):
            break
    if j == i:
        return None
    # The rightmost noun-like token of the run is its head.
    for k in range(j - 1, i - 1, -1):
        if doc[k].pos_ in ("PROPN", "NOUN", "PRON"):
            return doc[k]
    return None


def subject(verb: Token, in_quote: Sequence[bool] | None = None, *, max_hops: int = 4) -> Token | None:
    """A verb's subject, or, for `warned ... and suggested` and participles
    (`Mr. Trump hardly clarified the matter, ... asserting, "..."`), its
    head verb's, up to `max_hops` verbs up. A subject inside quotation marks
    is not the speaker's."""
    v = verb
    for _ in range(max_hops):
        for c in v.children:
            if c.dep_ == "nsubj" and not (in_quote and in_quote[c.i]):
                if c.lower_ in ("who", "that", "which") and v.dep_ == "relcl" and v.head is not v:
                    return v.head  # `Trump, who said: "..."`
                return c
        if v.dep_ in ("conj", "xcomp", "advcl", "pcomp", "dep") and v.head is not v:
            v = v.head
            if v.dep_ == "prep" and v.head is not v:  # `sings to Clinton before asking her`
                v = v.head
        else:
            break
    return None


def out_of_parentheses(tok: Token, *, reach: int = 6) -> Token:
    """`Sen. Claire McCaskill (D-Mo.)`: a party tag in parentheses (within
    `reach` tokens) is not the speaker; the word before the parenthesis is."""
    doc = tok.doc
    k = tok.i
    for j in range(k - 1, max(-1, k - reach), -1):
        if doc[j].text == ")":
            return tok
        if doc[j].text == "(":
            if any(doc[m].text == ")" for m in range(k, min(len(doc), k + reach))) and j > 0:
                return doc[j - 1]
            return tok
    return tok


def is_person_like(tok: Token, lex: Lexicon) -> bool:
    """A name, a personal pronoun or a role noun ("the expert")."""
    low = tok.lower_
    if tok.pos_ == "PRON":
        return low in lex.pronouns or low in ("they", "i", "we")
    if tok.ent_type_ in ("GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT"):
        return False
    if is_name_token(tok, lex):
        return True
    return low in lex.roles or tok.lemma_.lower() in lex.roles


def can_report(tok: Token, lex: Lexicon) -> bool:
    """Whether a noun phrase can be the source of reported speech: a person,
    a pronoun, a role ("the expert"), a named body ("the Kremlin")."""
    low = tok.lower_
    if tok.pos_ == "PRON":
        return low in lex.pronouns or low in lex.plural_pronouns or low in lex.first_person
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    # "The bank said", "cast members said": any noun can report, but
    # dates and numbers cannot.
    return tok.pos_ == "NOUN" and tok.ent_type_ not in ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY")


def can_source(tok: Token, lex: Lexicon) -> bool:
    """`according to X`: a person, a body, a plural ("exit polls") or a
    source noun ("the report") - not "according to plan"."""
    if tok.pos_ in ("PRON", "PROPN") or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return can_report(tok, lex)
    lemma = tok.lemma_.lower()
    if tok.tag_ == "NNS" and not any(c.dep_ in ("det", "poss") or c.pos_ == "PROPN" for c in tok.lefts):
        return False  # a bare plural is an unnamed group or a finding: "according to exit polls"
    return tok.pos_ == "NOUN" and (lemma in lex.sources or tok.lower_ in lex.sources)
