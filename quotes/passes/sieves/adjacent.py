"""Adjacent cue: a reporting word right after the quote or right before it.

`"...," he said.` / `"...," said EurAsEC Director General Vladimir Lepekhin.`
/ `To which Putin then replied: "..."`. When both sides have one, the one
standing within a few words of the quote wins. Inside a quote, only a cue
inside the enclosing quote names the inner speaker.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...marks import PARAGRAPH_BREAK, QuoteSpan
from ..candidates import CueSpan, Found
from ..context import Context
from ..kind import attribution_follows
from ..syntax import SENTENCE_END, is_person_like, np_after, subject
from .fragment import PERSON_HOWS, governing_cue
from .reported import is_heading


def sentence_cue(ctx: Context, span: QuoteSpan, *, near: int = 6, near_speaker: int = 2) -> Found | None:
    """A whole-sentence quote's cue: after it, else (or when the cue after it
    is far, in a sentence of its own) before it.

    Args:
        near: A cue within this many tokens of the quote is adjacent.
        near_speaker: So is a cue whose speaker's name stands within this
            many tokens of the quote (`"...," Rep. G.K. Butterfield (D-N.C.),
            head of the caucus, said.`).
    """
    a, b = window_after(ctx, span)
    found = cue_in(ctx, a, b, "first")
    if found is not None and _reports_its_own(ctx, span, found):
        found = None
    far = found is not None and found.who is not None and not _adjacent(ctx, a, found, near, near_speaker)
    if found is None or found.who is None or far:
        a2, b2 = window_before(ctx, span)
        if a2 == b2:
            a2, b2 = introduction(ctx, span)
        before = cue_in(ctx, a2, b2, "last")
        if before is not None and before.who is not None and (
                not far or _adjacent(ctx, b2, before, near, near_speaker, backwards=True)):
            found = before
    return found


def _reports_its_own(ctx: Context, span: QuoteSpan, found: Found) -> bool:
    """`"... NATO soldiers." Protesters say the country was incited.`: after a
    quote that ends its sentence, a cue with a clause of its own reports that
    clause, not the quote."""
    view = ctx.view
    if found.cue is None or view.text[span.start:span.end].rstrip()[-1:] not in (".", "!", "?"):
        return False
    cue = view.doc[view.tok_at(found.cue.start)]
    return any(c.dep_ == "ccomp" and not view.in_quote[c.i] and c.i > cue.i for c in cue.children)


def fragment_cue(ctx: Context, span: QuoteSpan) -> Found | None:
    """`because "most people don't know about that loop-hole," she said.`: a
    cue right after a fragment beats the clause around it."""
    if not attribution_follows(ctx, span):
        return None
    a, b = window_after(ctx, span)
    found = cue_in(ctx, a, b, "first")
    if found is None or found.who is None:
        return None
    if found.who.how not in PERSON_HOWS:
        # `Ivanov told reporters that Moscow needed "guarantees", Moscow said`:
        # a body relaying the clause of a person who reports it
        governing = governing_cue(ctx, span)
        if governing is not None and governing.who is not None and governing.who.how in PERSON_HOWS:
            return governing
    return found


def nested_cue(ctx: Context, span: QuoteSpan) -> Found | None:
    """A quote inside a quote: `"... To which Putin then replied: "..." ..."`.
    Only an attribution inside the parent names the inner speaker, and only a name."""
    view, doc = ctx.view, ctx.view.doc
    assert span.parent is not None
    a, b = window_before(ctx, span, floor=view.spans[span.parent].start)
    for k in range(b - 1, a - 1, -1):
        tok = doc[k]
        if ctx.cues.is_cue(tok):
            subj = subject(tok)
            if subj is None:
                return None
            who = ctx.resolver.who_inside(subj)
            if who is None:
                return None
            return Found(CueSpan(tok.idx, tok.idx + len(tok.text), tok.lemma_.lower()), who, "speech.nested")
    return None


def window_after(ctx: Context, span: QuoteSpan) -> tuple[int, int]:
    """Tokens from the quote's close to the end of its attribution."""
    view, doc = ctx.view, ctx.view.doc
    a = view.tok_at(span.outer_end)
    para_end = view.para_end(span.outer_end)
    b = a
    while b < len(doc) and doc[b].idx < para_end and not view.in_quote[b]:
        if doc[b].text in SENTENCE_END and b > a:
            break
        b += 1
    return a, b


def window_before(ctx: Context, span: QuoteSpan, floor: int | None = None) -> tuple[int, int]:
    """Tokens from the start of the sentence (or the quote before) to the quote's open mark.

    With `floor` (a nested quote: the parent's content start) the window
    stays inside the parent quote and ignores its marks."""
    view, doc = ctx.view, ctx.view.doc
    b = view.tok_at(span.outer_start)
    lo = max(view.para_start(span.outer_start), floor or 0)
    a = b
    while (a > 0 and doc[a - 1].idx >= lo and (floor is not None or not view.in_quote[a - 1])
           and doc[a - 1].text not in SENTENCE_END):
        a -= 1
    return a, b


def introduction(ctx: Context, span: QuoteSpan) -> tuple[int, int]:
    """`The New York Times reports:` closing the paragraph before a quote
    that opens its own paragraph: the colon introduces the quote."""
    view, doc = ctx.view, ctx.view.doc
    b = view.tok_at(span.outer_start)
    k = b - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    if k < 0 or doc[k].text != ":" or view.in_quote[k]:
        return b, b
    a = k
    while (a > 0 and not view.in_quote[a - 1] and doc[a - 1].text not in SENTENCE_END
           and not PARAGRAPH_BREAK.search(doc[a - 1].text)):
        a -= 1
    return a, k


def _adjacent(ctx: Context, at: int, found: Found, near: int, near_speaker: int, backwards: bool = False) -> bool:
    """Whether a cue or its speaker stands within a few words of the quote
    (`"...," said X` / `X said: "..."`), rather than in a sentence of its
    own that happens to follow."""
    assert found.cue is not None
    cue = ctx.view.tok_at(found.cue.start)
    if abs(cue - at) <= near:
        return True
    if found.who is None:
        return False
    edge = found.who.mention[1] if backwards else found.who.mention[0]
    return abs(ctx.view.tok_at(edge) - at) <= near_speaker


def _headline_cue(ctx: Context, tok: Token) -> bool:
    """`"We Will Not Retreat," Minister Says`: in a headline's title case the
    tagger reads the cue as a name; its form still says what it is."""
    return tok.text[:1].isupper() and tok.lower_ in ctx.cues.forms and is_heading(ctx.view, tok.idx)


def cue_in(ctx: Context, a: int, b: int, prefer: str, *, preceding: int = 3, inverted_reach: int = 12) -> Found | None:
    """A cue and its speaker within tokens [a, b), the first (`prefer="first"`)
    or the last one.

    Args:
        preceding: How many words before a cue the parser left without a
            subject may hold it: `"...," the expert believes.`
        inverted_reach: How far past the window the head of a speaker after
            its cue may stand: `said EurAsEC Director General Vladimir Lepekhin`.
    """
    view, cues, resolver = ctx.view, ctx.cues, ctx.resolver
    doc = view.doc
    by_cue = ctx.index.by_cue
    order = range(a, b) if prefer == "first" else range(b - 1, a - 1, -1)
    for k in order:
        tok = doc[k]
        if view.in_quote[k]:
            continue
        headline = not cues.is_cue(tok) and _headline_cue(ctx, tok)
        if not cues.is_cue(tok) and not headline:
            continue
        lemma = tok.lemma_.lower() if not headline else ctx.cues.forms[tok.lower_]
        cue = CueSpan(tok.idx, tok.idx + len(tok.text), lemma)
        if k in by_cue:
            pair = by_cue[k]
            who = resolver.who(doc[pair.speaker])
            if who is not None:
                return Found(cue, who, pair.rule)
        subj = subject(tok, view.in_quote)
        if subj is not None:
            who = resolver.who(subj)
            if who is not None:
                return Found(cue, who, "speech.conj_subject")
        # Inverted order the parser missed: `said the political scientist`.
        spk_tok = np_after(view, k + 1) if k + 1 < b else None
        if spk_tok is not None and (spk_tok.lower_ in ctx.lex.object_pronouns or (
                spk_tok.dep_ == "dobj" and not is_person_like(spk_tok, ctx.lex))):
            spk_tok = None  # `asking her`, `asked a few questions`: not the speaker
        if spk_tok is not None and spk_tok.i < b + inverted_reach:
            who = resolver.who(spk_tok)
            if who is not None:
                return Found(cue, who, "speech.inverted")
        # Subject before the cue the parser missed: `"...," the expert believes.`
        for j in range(k - 1, max(a, k - preceding) - 1, -1):
            if doc[j].pos_ in ("PROPN", "NOUN", "PRON") and not view.in_quote[j]:
                if not is_person_like(doc[j], ctx.lex):
                    break
                who = resolver.who(doc[j])
                if who is not None:
                    return Found(cue, who, "speech.preceding")
                break
        return Found(cue, None, "speech.no_speaker")
    # `according to him` / `in the words of X`
    for rule, ta, tb in ctx.index.tokens:
        if a <= ta < b and cues.is_source(rule):
            head = np_after(view, tb)
            if head is not None:
                who = resolver.who(head)
                cue = CueSpan(doc[ta].idx, doc[tb - 1].idx + len(doc[tb - 1].text), doc[ta:tb].text.lower())
                return Found(cue, who, rule)
    return None
