"""Reported speech: the clause a cue reports, without quotation marks.

`X said (that) ...`, `X noted / stressed / warned / believes that ...`, a
trailing `..., Tokayev noted.`, a parenthetical `, he said,`, the object of
cues that report facts (`noted the influence of ...`), and `according to X`.
The reported clause stays within its cue's paragraph and never holds a quote.
Headings (short paragraphs of capitalised words) give no reported speech.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..candidates import CueSpan, Report
from ..context import Context
from ..cues import ReportCue
from ..syntax import subject
from ..view import View

QUOTE_CHARS = ('"', "“", "”")


def reported(ctx: Context, match: ReportCue, *, min_tokens: int = 3, object_tokens: int = 4,
             source_opens: int = 2) -> Report | None:
    """The clause a cue reports, or the clause `according to X` qualifies.

    Args:
        source_opens: `according to X` within this many tokens of its
            sentence's start qualifies the rest of the sentence (`According
            to him, ...`); further on, the words before it (`..., according
            to him.`).
        min_tokens: A reported clause has at least this many tokens.
        object_tokens: The object of a cue that reports facts is reported
            speech when it has at least this many tokens (`noted the
            influence of the West`, not `noted it`).
    """
    view, cues = ctx.view, ctx.cues
    doc = view.doc
    cue = doc[match.cue]
    if is_heading(view, cue.idx):
        return None  # `Lindsey Graham: Trump 'The Dealmaker' Could Address Clean Energy`
    if cues.is_source(match.rule):
        head = cue.head
        if head is cue or _relayed(ctx, cue):
            return None
        sent = view.sent(cue.i)
        to_end = cue.right_edge.i + 1
        if to_end < len(doc) and doc[to_end].text == ",":
            to_end += 1
        if cue.i <= sent.start + source_opens or to_end < head.i:
            a, b = to_end, sent.end
        else:
            a, b = sent.start, cue.i
        last = doc[min(cue.i + 1, len(doc) - 1)]
        cue_span = CueSpan(cue.idx, last.idx + len(last.text), "according to")
    else:
        # The clause it reports: a complement in the cue's own paragraph (the
        # parser may hang a whole earlier paragraph on the cue), in its own
        # sentence first, then the nearest.
        para, sent = view.para(cue.idx), view.sent(cue.i)
        comps = [c for c in cue.children if c.dep_ == "ccomp" and view.para(c.idx) == para]
        comp = min(comps, key=lambda c: (not sent.start <= c.i < sent.end, abs(c.i - cue.i)), default=None)
        if comp is None:
            comp = next((c for c in cue.children if c.dep_ == "dobj"
                         and c.right_edge.i - c.left_edge.i >= object_tokens - 1
                         and cue.lemma_.lower() in cues.object_lemmas), None)
            if comp is None:
                if match.rule == "speech.inverted" or _as_clause(cue):
                    return _around(ctx, cue, match)
                return referred(ctx, cue, match) or parenthetical(ctx, cue, match.speaker)
            a, b = comp.left_edge.i, view.sent(comp.i).end
        else:
            a, b = _complement(ctx, cue, comp)
        cue_span = CueSpan(cue.idx, cue.idx + len(cue.text), cue.lemma_.lower())
    while a < b and (doc[a].dep_ == "mark" and doc[a].lower_ in ("that", "whether") or doc[a].is_punct):
        a += 1
    # Reported speech stays in the paragraph of its cue.
    p_start = view.para_start(cue.idx)
    p_end = view.para_end(cue.idx)
    while a < b and doc[a].idx < p_start:
        a += 1
    while b > a and doc[b - 1].idx >= p_end:
        b -= 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    if b - a < min_tokens or not _unquoted(view, a, b):
        return None  # a quote's attribution, or a clause carrying a quoted fragment
    return Report(a, b, match.speaker, cue_span, match.rule)


def _complement(ctx: Context, cue: Token, comp: Token) -> tuple[int, int]:
    """Tokens [a, b) of the clause `comp` that `cue` reports."""
    doc = ctx.view.doc
    a, b = comp.left_edge.i, comp.right_edge.i + 1
    # `noted that A and added that B`, `said that A, adding that B`: A ends
    # where the next report begins.
    for k in range(comp.i + 1, b):
        t = doc[k]
        if (t.dep_ == "conj" or t.dep_ == "advcl" and t.tag_ == "VBG") and t.head.i in (comp.i, cue.i) \
                and ctx.cues.is_cue(t) and any(c.dep_ == "ccomp" for c in t.children):
            b = min(b, t.left_edge.i)
    while b > a and (doc[b - 1].dep_ == "cc" or doc[b - 1].is_punct):
        b -= 1
    # `said X, a province, was the only way`: the parser took the subject of
    # a that-less clause for the cue's object.
    obj = next((c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < comp.i), None)
    if obj is not None and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in comp.children):
        a = obj.left_edge.i
    return a, b


def _unquoted(view: View, a: int, b: int, *, max_name: int = 4) -> bool:
    """Whether tokens [a, b) hold no quotation, but for names in quotation
    marks (`the pipeline "Nord Stream-2" can supply Europe`): a quoted run of
    at most `max_name` capitalised words is a name, not a quote."""
    doc = view.doc
    run: list[int] = []
    for k in range(a, b + 1):
        if k < b and view.in_quote[k]:
            run.append(k)
            continue
        words = [j for j in run if doc[j].is_alpha or doc[j].like_num]
        if run and (k - len(run) == a or len(words) > max_name
                    or not all(doc[j].text[:1].isupper() or doc[j].like_num for j in words)):
            return False
        run = []
    return True


def _as_clause(cue: Token) -> bool:
    """`As the minister stressed, ...`: a cue in an `as` clause reports the clause it modifies."""
    return cue.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children)


def _around(ctx: Context, cue: Token, match: ReportCue, *, min_tokens: int = 3) -> Report | None:
    """The rest of the sentence around a reporting clause that has no
    complement of its own: `As the minister stressed, the issue is key.` /
    `The issue is key, summed up the expert.`"""
    view = ctx.view
    doc = view.doc
    sent = view.sent(cue.i)
    lo = min(cue.left_edge.i, match.speaker)
    hi = max(cue.right_edge.i, match.speaker) + 1
    if lo - sent.start >= min_tokens:  # the clause before: `..., summed up the expert.`
        a, b = sent.start, lo
    else:  # the clause after: `As the minister stressed, ...`
        a, b = hi, sent.end
    p_start, p_end = view.para_start(cue.idx), view.para_end(cue.idx)
    while a < b and (doc[a].idx < p_start or doc[a].is_punct or doc[a].is_space):
        a += 1
    while b > a and (doc[b - 1].idx >= p_end or doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    if b - a < min_tokens or any(view.in_quote[k] or doc[k].text in QUOTE_CHARS for k in range(a, b)):
        return None
    return Report(a, b, match.speaker, CueSpan(cue.idx, cue.idx + len(cue.text), cue.lemma_.lower()), match.rule)


def referred(ctx: Context, cue: Token, match: ReportCue, *, min_tokens: int = 4) -> Report | None:
    """`Prices will rise. This was stated by the minister.` / `... . He said
    this on Monday.`: a cue whose passive subject or object is a bare `this`
    (or `that`) reports the sentence before it, in its paragraph. Not when
    that sentence holds a quotation, a report of its own (`X said that ...`)
    or a view it gives to someone (`experts saw ...`, `she hoped the vote
    would pass`: a verb with a subject and a clause of its own)."""
    view, cues = ctx.view, ctx.cues
    doc = view.doc
    if not any(c.dep_ in ("nsubjpass", "dobj") and c.lower_ in ("this", "that") and not list(c.children)
               for c in cue.children):
        return None
    sent = view.sent(cue.i)
    if sent.start == 0:
        return None
    a, b = view.sent(sent.start - 1).start, sent.start
    while a < b and view.para(doc[a].idx) != view.para(cue.idx):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    if b - a < min_tokens or any(view.in_quote[k] or doc[k].text in QUOTE_CHARS for k in range(a, b)):
        return None
    for t in doc[a:b]:
        deps = {c.dep_ for c in t.children}
        if t.i in ctx.index.by_cue or deps & {"nsubj", "nsubjpass"} and (
                "ccomp" in deps or cues.is_cue(t) or t.lemma_.lower() in ctx.lex.view_verbs):
            return None
    if any(a <= m.start < b for m in ctx.index.tokens):
        return None  # `according to X`, `in his opinion`: attributed already
    return Report(a, b, match.speaker, CueSpan(cue.idx, cue.idx + len(cue.text), cue.lemma_.lower()),
                  "indirect.referred")


def _relayed(ctx: Context, according: Token) -> bool:
    """`According to the spokesman, the minister noted that ...` and `Ivanova
    said that, according to voters, ...`: a source phrase in a clause that a
    reporting verb with a subject already attributes is a relay, not the speaker."""
    cues, head = ctx.cues, according.head
    if cues.is_cue(head) and subject(head) is not None and any(c.dep_ == "ccomp" for c in head.children):
        return True  # the verb's subject speaks; the source only relays it
    node = head
    for _ in range(4):
        if node.dep_ == "ccomp" and node.head is not node:
            return cues.is_cue(node.head) and subject(node.head) is not None
        if node.head is node:
            break
        node = node.head
    return False


def parenthetical(ctx: Context, cue: Token, speaker: int, *, max_clause: int = 6,
                  min_sentence: int = 6) -> Report | None:
    """`But to prevent problems, he said, local officials should be ...`:
    a reporting clause (at most `max_clause` words) set off by commas inside
    the sentence it reports (at least `min_sentence` tokens)."""
    view = ctx.view
    doc = view.doc
    if cue.dep_ != "parataxis":
        return None
    words = [t for t in cue.subtree if not t.is_punct]
    lo, hi = words[0].i, words[-1].i + 1
    if hi - lo > max_clause:
        return None
    if not (lo > 0 and doc[lo - 1].text == "," and hi < len(doc) and doc[hi].text == ","):
        return None
    sent = view.sent(cue.i)
    a, b = sent.start, sent.end
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    if b - a < min_sentence or any(view.in_quote[k] or doc[k].text in QUOTE_CHARS for k in range(a, b)):
        return None
    end = doc[b - 1].idx + len(doc[b - 1].text)
    parts = [p for p in (_trim(view.text, doc[a].idx, doc[lo - 1].idx), _trim(view.text, doc[hi].idx + 1, end))
             if p[1] > p[0]]
    return Report(a, b, speaker, CueSpan(cue.idx, cue.idx + len(cue.text), cue.lemma_.lower()),
                  "indirect.parenthetical", parts)


def is_heading(view: View, at: int, *, max_words: int = 25, capitalised: float = 0.7) -> bool:
    """A title or section heading: a short paragraph (2 to `max_words` words)
    whose words are mostly (`capitalised`) capitalised.

    Decided once per paragraph (kept in `view.memo`): a text without breaks
    is one paragraph, and splitting it for every cue made time quadratic."""
    key = ("heading", view.para(at), max_words, capitalised)
    if key not in view.memo:
        start = view.para_start(at)
        words = [w for w in view.text[start:view.para_end(at)].split() if w[:1].isalpha()]
        view.memo[key] = (2 <= len(words) <= max_words
                          and sum(w[0].isupper() for w in words) >= capitalised * len(words))
    return bool(view.memo[key])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,":
        start += 1
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    return start, end
