"""Cutting a long text into pieces that are parsed one at a time.

A parse's memory grows with the length of the text parsed at once, and some of
spaCy's and our own steps look at a whole paragraph: a text longer than a
piece (`PIECE_CHARS`, or the pipeline's `max_length` when smaller) is parsed
in pieces cut at paragraph breaks outside any quotation, and each piece's
records are moved back into the whole text. The pieces concatenate to the
text, so offsets are only shifted, never remapped.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, NamedTuple

from .marks import PARAGRAPH_BREAK, scan

# The longest text parsed at once, in characters: a long news article
# (the longest in the dev sets is 22,000) is parsed whole, while peak memory
# stays that of an ordinary article whatever the length of the document.
PIECE_CHARS = 100_000


class Piece(NamedTuple):
    """Where a text handed to the pipeline comes from: piece `index` of `count`
    of the document with context `ctx`, starting at `offset` in its text."""

    ctx: Any
    offset: int
    index: int
    count: int


_BREAK = f"(?:{PARAGRAPH_BREAK.pattern})"
# Where a piece may end, best first: after a blank line, after a line break,
# after a sentence end, after white space. The cut is the match's end, so a
# piece keeps its trailing break and the next one starts on a word.
_CUTS = (
    re.compile(rf"{_BREAK}(?:[ \t]*{_BREAK})+"),
    PARAGRAPH_BREAK,
    re.compile(r"[.!?…]+[\"”’»)\]]*\s+"),
    re.compile(r"\s+"),
)


def chunks(text: str, limit: int, attribution: re.Pattern[str] | None = None,
           ) -> list[tuple[int, str]]:
    """Cut `text` into pieces of at most `limit` characters, as (offset, piece).

    A cut never falls inside a quotation as the scanner reads the whole text
    (between a quote's marks, or between a quote and the quote it continues
    in a later paragraph) unless a single quotation is longer than a piece.
    Cuts go, best first, after a blank line, a line break, a sentence end or
    white space, preferring the second half of the piece so that pieces stay
    large; as a last resort a piece is cut at `limit` characters, never
    between CR and LF. The pieces concatenate to `text`. Linear in its length.

    Args:
        text: The whole text.
        limit: The longest piece, in characters (at least 2).
        attribution: The scanner's attribution pattern (`Rules.attribution_pattern`).
    """
    if len(text) <= limit:
        return [(0, text)]
    limit = max(2, limit)
    quoted = _Quoted(text, attribution)
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        cut = _cut(text, start, start + limit, quoted)
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


class _Quoted:
    """The stretches of a text a cut must not fall inside: each quotation the
    scanner finds, marks included, joined to the quote it continues."""

    def __init__(self, text: str, attribution: re.Pattern[str] | None) -> None:
        spans, _ = scan(text, attribution)
        raw = []
        for s in spans:
            start = s.outer_start
            if s.continues is not None:  # a quote's paragraphs stay together
                start = min(start, spans[s.continues].outer_start)
            raw.append((start, s.outer_end))
        raw.sort()
        merged: list[list[int]] = []
        for a, b in raw:
            if merged and a < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def start_around(self, cut: int) -> int | None:
        """The start of the stretch that a cut at `cut` would fall inside, if any."""
        i = bisect.bisect_right(self.starts, cut - 1) - 1  # the last one starting before cut
        return self.starts[i] if i >= 0 and self.ends[i] > cut else None


def _cut(text: str, start: int, stop: int, quoted: _Quoted) -> int:
    """Where the piece starting at `start` ends: an offset in (start, stop]."""
    half = start + (stop - start) // 2

    def fits(cut: int, keep_quotes: bool) -> bool:
        return (start < cut <= stop and text[cut - 1:cut + 1] != "\r\n"
                and not (keep_quotes and quoted.start_around(cut) is not None))

    for keep_quotes in (True, False):
        for lo in (half, start):
            for pattern in _CUTS:
                best = None
                for m in pattern.finditer(text, lo, stop):
                    if fits(m.end(), keep_quotes):
                        best = m.end()
                if best is not None:
                    return best
        if keep_quotes:
            # No break at all outside a quote: cut hard, at `stop` or else
            # just before the quote that covers it.
            around = quoted.start_around(stop)
            for cut in (stop, stop - 1) if around is None else (around, around - 1):
                if fits(cut, True):
                    return cut
    # One quotation longer than a piece, without a break or space: cut it.
    return stop - 1 if text[stop - 1:stop + 1] == "\r\n" else stop
