"""Layout: conventions of the page rather than of the sentence.

* a headline: `Putin: "Maidan technologies" used in Kazakhstan`;
* a signature: `"... our greatest shame." ― Sonya Herridge`;
* an interview transcript: `PENCE: She will not be attending.`, an
  upper-case label opening the paragraph (the layout counts only where at
  least two paragraphs have labels, so a lone `UPDATE:` is not a speaker).
"""

from __future__ import annotations

import re

from ...marks import QuoteSpan
from ...people import Lexicon, is_name_token
from ..candidates import CueSpan, Found
from ..context import Context

# `PENCE: Well, look, ...`: a transcript line (an opening quotation mark may precede it).
TRANSCRIPT_LINE = re.compile(
    r"^[ \t]*[\"“]?(?P<label>[A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,2}):[ \t]+(?P<content>\S[^\r\n]*?)[ \t]*$",
    re.MULTILINE)
TRANSCRIPT_LABEL = re.compile(r"(?P<label>[A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,2}):[ \t]+")
# `"..." ― Sonya Herridge`: a dash after the closing mark, then the name.
DASH_SIGNATURE = re.compile(r"[ \t\u00a0]*(?P<dash>―|—|–|--?)[ \t\u00a0]*(?=[A-Z])")

TranscriptLine = tuple[int, int, int, int]  # label start, end; content start, end


def transcript_lines(text: str, lex: Lexicon, *, min_lines: int = 2) -> tuple[TranscriptLine, ...]:
    """The labelled paragraphs of an interview transcript, if at least
    `min_lines` paragraphs have a label."""
    lines = []
    for m in TRANSCRIPT_LINE.finditer(text):
        label = m.group("label")
        if label.lower() in lex.adjectives or label.lower() in lex.not_speakers:
            continue
        lines.append((m.start("label"), m.end("label"), m.start("content"), m.end("content")))
    return tuple(lines) if len(lines) >= min_lines else ()


def transcript(ctx: Context, span: QuoteSpan) -> Found | None:
    """A quote opening a transcript paragraph: `"PENCE: ...` is Pence's."""
    label = TRANSCRIPT_LABEL.match(ctx.view.text, span.start)
    if label is None or not any(ls == label.start("label") for ls, *_ in ctx.transcript):
        return None
    ls, le = label.start("label"), label.end("label")
    who = ctx.resolver.named(ls, le, ctx.view.text[ls:le].title())
    return Found(CueSpan(le, le + 1, ":"), who, "layout.transcript")


def headline(ctx: Context, span: QuoteSpan, *, max_tokens: int = 8) -> Found | None:
    """`Putin: "Maidan technologies" used in Kazakhstan`: a name (at most
    `max_tokens` tokens with its colon) opening the paragraph before the quote."""
    view, doc, text = ctx.view, ctx.view.doc, ctx.view.text
    i = span.outer_start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] != ":":
        return None
    a = view.tok_at(view.para_start(span.outer_start))
    b = view.tok_at(i + 1)
    if b <= a or b - a > max_tokens:
        return None
    for match_id, ta, tb in ctx.cues.headline_matcher(doc[a:b]):
        if ta != 0 or tb != b - a:
            continue  # the name must open the paragraph and end at the colon
        colon = doc[a + tb - 1]
        who = ctx.resolver.who(doc[a + tb - 2])
        if who is not None and who.name:
            return Found(CueSpan(colon.idx, colon.idx + 1, ":"), who, doc.vocab.strings[match_id])
    return None


def dash(ctx: Context, span: QuoteSpan, *, max_words: int = 5) -> Found | None:
    """`"... our greatest shame." ― Sonya Herridge`: a name (at most
    `max_words` tokens) after a dash signs the quote."""
    view, doc, lex = ctx.view, ctx.view.doc, ctx.lex
    m = DASH_SIGNATURE.match(view.text, span.outer_end)
    if m is None:
        return None
    j = view.tok_at(m.end())
    end = j
    while end < len(doc) and end - j < max_words and doc[end].idx < view.para_end(m.end()) and (
            is_name_token(doc[end], lex) or (doc[end].text in (".", "-") and end > j)):
        end += 1
    while end > j and not is_name_token(doc[end - 1], lex):
        end -= 1
    if end == j:
        return None
    name = doc[j:end]
    who = ctx.resolver.named(name.start_char, name.end_char, name.text)
    return Found(CueSpan(m.start("dash"), m.end("dash"), "dash"), who, "layout.dash")


def transcript_paragraphs(ctx: Context) -> list[tuple[QuoteSpan, Found]]:
    """Transcript paragraphs outside quotation marks, each a quote of its label's speaker."""
    out = []
    spans = [sp for sp in ctx.view.spans if sp.parent is None]
    for ls, le, cs, ce in ctx.transcript:
        if any(sp.outer_start <= cs < sp.outer_end or cs <= sp.outer_start < ce for sp in spans):
            continue  # quoted: the quote's own record carries it
        who = ctx.resolver.named(ls, le, ctx.view.text[ls:le].title())
        out.append((QuoteSpan(cs, ce, None, None, [(cs, ce)]), Found(None, who, "layout.transcript")))
    return out
