"""Mentions: the people named in the article, outside quotation marks.

Each name is found from the tagger and the parse (the entity recogniser, when
the pipeline has one, only confirms), with the roles, places and gender the
words around it give ("EurAsEC Director General Vladimir Lepekhin", "President
of Belarus Alexander Lukashenko"). The result, a `People`, clusters the
mentions of one person and is read, never changed, by the later passes.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..people import Lexicon, People, Person, Registry, is_name_token, name_span
from .syntax import SUBJECT_DEPS, appos, noun_phrase
from .view import View

# Entity types that are never a person's name.
NOT_PERSON_ENTS = frozenset({"GPE", "LOC", "NORP", "FAC", "DATE", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})


def collect_people(view: View, lex: Lexicon, registry: Registry) -> People:
    """Every person named outside quotation marks, with roles from the words around the name."""
    doc, text = view.doc, view.text
    people = People(lex.folding)
    seen: set[tuple[int, int]] = set()
    # Only capitalised words can be names: pick them from the text, not by
    # visiting every token (the cost of this pass is the cost of Token objects).
    capital = [i for i, idx in enumerate(view.starts) if text[idx].isupper()]
    for i in capital:
        tok = doc[i]
        if view.in_quote[tok.i] or not is_name_token(tok, lex):
            continue
        if tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and is_name_token(tok.head, lex):
            continue  # not the head of its name
        np = noun_phrase(view, tok)
        ns = name_span(list(np), tok, lex)
        if ns is None or ns in seen:
            continue
        name_toks = doc[ns[0]:ns[1]]
        # A name opening its sentence (or paragraph: the parser may join a
        # byline to the paragraph below) right before a verb is its subject,
        # whatever the parser made of it (`DuVernay examined the amendment`).
        first = max(view.sent(tok.i).start, view.tok_at(view.para_start(tok.idx)))
        opens = np.start == first and ns[1] < len(doc) and doc[ns[1]].pos_ in ("VERB", "AUX")
        if not looks_like_person(name_toks, tok, lex, registry, opens):
            continue
        seen.add(ns)
        before = [t for t in np if t.i < ns[0]] + title_before(tok, np.start)
        modifiers = [t.text for t in before]
        ap = appos(tok)
        words = modifiers + (ap.text.split() if ap is not None else [])
        places = lex.places_in(modifiers)
        # "President of Belarus Alexander Lukashenko": the place after "of".
        for t in before:
            if t.dep_ == "pobj" and t.text.lower() in lex.adjectives:
                places.add(lex.adjectives[t.text.lower()])
        people.add(Person(
            name=name_toks.text,
            start=name_toks.start_char,
            end=name_toks.end_char,
            subject=tok.dep_ in SUBJECT_DEPS or (tok.dep_ == "appos" and tok.head.dep_ in SUBJECT_DEPS) or opens,
            roles=set(lex.roles_in(words)),
            places=places,
            gender=lex.gender_of(words) or lex.name_gender(name_toks.text),
        ))
    people.finish()
    return people


def title_before(name: Token, np_start: int) -> list[Token]:
    """The words of a title the parser made the head of the name it stands
    before, with the name as its apposition: `Secretary General of the
    Council Ivan Petrov`, `the head of the institute, Ivan Petrov`."""
    head = name.head
    if name.dep_ != "appos" or head.i >= np_start:
        return []
    return [t for t in head.doc[head.left_edge.i:np_start] if not t.is_punct]


def looks_like_person(name_toks: Span, head: Token, lex: Lexicon, registry: Registry, opens: bool = False) -> bool:
    """A name of a person, not a place, an organisation or a date (NER helps when present)."""
    if any(t.lower_.rstrip(".") in lex.time_words for t in name_toks):
        return False  # a dateline: `Mon, 09 Nov, 2020`
    if len(name_toks) >= 2 and name_toks[0].lower_ in lex.first_names and name_toks[-1].text[:1].isupper():
        return True  # a known first name: `Nikol Pashinian`, whatever the entity recogniser thinks
    if any(t.ent_type_ in NOT_PERSON_ENTS and t.ent_iob_ != "O" for t in name_toks):
        return False
    if name_toks.text.lower() in lex.adjectives:
        return False
    if name_toks[-1].lower_ in lex.organisations or name_toks[0].lower_ in lex.organisations:
        return False  # `the Middle East Institute`, `The New York Times`
    if any(t.ent_type_ == "PERSON" for t in name_toks):
        return True
    if registry.match(name_toks.text):
        return True
    if len(name_toks) >= 2 and all(t.text[:1].isupper() for t in name_toks if t.text not in "-–"):
        return not any(t.ent_type_ == "ORG" for t in name_toks) or head.dep_ in SUBJECT_DEPS or opens
    return (head.dep_ in SUBJECT_DEPS | {"appos", "pobj"} or opens) and head.ent_type_ in ("", "PERSON", "ORG")
