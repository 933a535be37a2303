"""Fragment: a quoted fragment inside a sentence takes that sentence's speaker.

`Tokayev has accused "foreign-trained terrorist gangs" of ...`: the reporting
verb the fragment depends on; `X, he said, can "rock like Jimi"`: a
parenthetical cue; `According to him, the protests need to be "quenched"`: a
source phrase in its sentence; `Reid has been pounding Trump as a "con
artist"`: the subject of its clause, when that subject is a person. Scare
quotes in clauses about "media", "reports" or "the regime" stay unattributed.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...marks import QuoteSpan
from ..candidates import CueSpan, Found
from ..context import Context
from ..syntax import SUBJECT_DEPS, is_person_like, np_after, subject

# How a speaker was found when it is a person (not a body, a place or "officials").
PERSON_HOWS = frozenset({"named", "surname", "pronoun", "description"})


def governing_cue(ctx: Context, span: QuoteSpan, *, max_steps: int = 7, clause_steps: int = 5) -> Found | None:
    """The reporting verb a quoted fragment depends on, up to `max_steps` heads
    up the tree; else a source phrase in its sentence; else the subject of its
    clause (up to `clause_steps` heads up)."""
    view, doc = ctx.view, ctx.view.doc
    a = view.tok_at(span.start)
    b = view.tok_at(span.end)
    if a >= len(doc):
        return None
    # The fragment's head: the token in it whose head lies outside it.
    head = next((doc[k] for k in range(a, min(b, len(doc))) if not a <= doc[k].head.i < b), doc[a])
    node = head
    for step in range(max_steps):
        if step:
            if node.dep_ in SUBJECT_DEPS | {"appos"} and _speaker_of_cue(ctx, node):
                return None  # the fragment names the speaker: `commented the newspaper "Vzglyad"`
            if node.head is node:
                break
            node = node.head
        # `African-Americans, he said, can "rock like Jimi"`: a parenthetical cue.
        for c in node.children:
            if c.dep_ == "parataxis" and not view.in_quote[c.i]:
                found = _reporting(ctx, c)
                if found is not None:
                    return found
        if view.para(node.idx) != view.para(span.start):
            break  # the parser joined paragraphs: a headline with the text below
        if step and not view.in_quote[node.i]:
            found = _reporting(ctx, node)
            if found is not None:
                return _outer_report(ctx, node, found)
    # `According to him, the protests need to be "quenched"`: a source
    # phrase in the fragment's sentence.
    sent = view.sent(a)
    for rule, ta, tb in ctx.index.tokens:
        if ctx.cues.is_source(rule) and sent.start <= ta < a:
            spk = np_after(view, tb)
            if spk is not None:
                who = ctx.resolver.who(spk)
                if who is not None:
                    cue = CueSpan(doc[ta].idx, doc[tb - 1].idx + len(doc[tb - 1].text), doc[ta:tb].text.lower())
                    return Found(cue, who, rule)
    return _clause_subject(ctx, head, clause_steps)


def _outer_report(ctx: Context, cue: Token, found: Found) -> Found:
    """`Zakharova added that Moscow would respond "appropriately"`: a cue in
    a clause that another cue reports (its ccomp) quotes the outer speaker."""
    node = cue
    person = found.who is not None and found.who.how in PERSON_HOWS
    while node.dep_ == "ccomp" and node.head is not node and not ctx.view.in_quote[node.head.i]:
        outer = _reporting(ctx, node.head)
        if outer is None:
            break
        if person and (outer.who is None or outer.who.how not in PERSON_HOWS):
            break  # `Lavrov told Blinken that ... "guarantees", Moscow said`: a place relays a person
        found, node = outer, node.head
    return found


def _reporting(ctx: Context, node: Token) -> Found | None:
    """A Found if `node` is a reporting verb (or `according`) with a speaker."""
    lemma = node.lemma_.lower()
    if not ((lemma in ctx.cues.partial_lemmas and node.pos_ in ("VERB", "AUX")) or lemma == "according"):
        return None
    view = ctx.view
    subj = subject(node, view.in_quote)
    if subj is None and lemma == "according":
        subj = np_after(view, node.i + 2)
    if subj is None or view.in_quote[subj.i]:
        return None
    who = ctx.resolver.who(subj)
    if who is None:
        return None
    return Found(CueSpan(node.idx, node.idx + len(node.text), lemma), who, "speech.governing")


def _speaker_of_cue(ctx: Context, node: Token) -> bool:
    """Whether `node` is (in) the subject of a reporting verb: then it speaks."""
    while node.dep_ == "appos" and node.head is not node:
        node = node.head
    return node.dep_ in SUBJECT_DEPS and node.head.lemma_.lower() in ctx.cues.lemmas


def _clause_subject(ctx: Context, head: Token, max_steps: int) -> Found | None:
    """`Reid has been pounding Trump as a "con artist"`: a fragment inside a
    clause whose subject is a person is that person's words. Only people
    count (a name, a personal pronoun, a role noun)."""
    view = ctx.view
    node = head
    for _ in range(max_steps):
        if node.dep_ in SUBJECT_DEPS | {"appos"} and _speaker_of_cue(ctx, node) or node.head is node:
            return None
        node = node.head
        if node.pos_ not in ("VERB", "AUX") or view.in_quote[node.i]:
            continue
        if view.para(node.idx) != view.para(head.idx):
            return None
        subj = subject(node, view.in_quote)
        if subj is None:
            continue
        if view.in_quote[subj.i] or not is_person_like(subj, ctx.lex):
            return None
        who = ctx.resolver.who(subj)
        if who is None or who.how == "other":
            return None
        return Found(CueSpan(node.idx, node.idx + len(node.text), node.lemma_.lower()), who, "speech.clause_subject")
    return None
