"""Kind: whether a quote is a whole sentence (direct) or a fragment inside one (partial).

`Tokayev has accused "foreign-trained terrorist gangs" of ...` is a fragment:
a word runs into its opening mark. `"It is over," he said.` is a sentence,
and so is `"That," he added, "..."`, where a cue follows the quote.
"""

from __future__ import annotations

from ..marks import QuoteSpan
from .context import Context
from .syntax import NP_POS


def is_partial(ctx: Context, span: QuoteSpan, *, sentence_words: int = 8, fragment_words: int = 5) -> bool:
    """A fragment inside a sentence (`accused "foreign-trained terrorist gangs" of`).

    Args:
        sentence_words: A quote after a word is still a sentence when it has
            this many words, a capital and a full stop (`he said "It is ...`).
        fragment_words: A quote of at most this many words before a
            lower-case word is a fragment (`Putin: "Maidan technologies" used`).
    """
    text = ctx.view.text
    i = span.outer_start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    before = text[i] if i >= 0 else "\n"
    j = span.outer_end
    while j < len(text) and text[j] in " \t":
        j += 1
    after = text[j] if j < len(text) else "\n"
    content = text[span.start:span.end]
    words = len(content.split())
    if before.isalnum() or before in "'’":
        return not (content[:1].isupper() and words >= sentence_words and content.rstrip()[-1:] in ".!?,")
    if words <= fragment_words and after.isalpha() and after.islower() and not attribution_follows(ctx, span):
        return True  # Putin: "Maidan technologies" used in Kazakhstan
    return False


def attribution_follows(ctx: Context, span: QuoteSpan, *, reach: int = 9) -> bool:
    """`"That," he added, "..."`: a cue within `reach` words after the quote."""
    view, cues = ctx.view, ctx.cues
    doc = view.doc
    a = view.tok_at(span.outer_end)
    if a < len(doc) and doc[a].text in (",", "—", "–"):
        a += 1
    elif (view.text[span.end - 1:span.end] in (".", "!", "?") and a < len(doc)
          and doc[a].text[:1].isupper() and doc[a].lemma_.lower() not in cues.lemmas):
        return False  # `"... recklessness." South Korean President Park said`: a new sentence
    # Only a short noun phrase may stand between: `, he said` / `, the minister added` /
    # `, the Prime Minister, Boris Johnson, told`.
    for k in range(a, min(a + reach, len(doc))):
        tok = doc[k]
        if view.in_quote[k]:
            return False
        if cues.is_cue(tok):
            return not any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        if any(m.start == k and cues.is_source(m.rule) for m in ctx.index.tokens):
            return True  # `"...," according to a statement from the ministry.`
        if tok.pos_ not in NP_POS and tok.text not in (",", "-", "–"):
            return False
    return False
