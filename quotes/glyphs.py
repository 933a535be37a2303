"""The characters the quotation-mark scanner reads (`quotes.marks`).

Which characters are quotation marks (double and single), which glyphs only
open or only close, the punctuation a mark may lean on, where a paragraph
breaks, and the small character tests built on them: whether a mark leans on
the word after it (could open) or before it (could close), stripping white
space, and cutting a text into paragraphs.
"""

from __future__ import annotations

import re

DOUBLE_MARK = re.compile(r"''|``|[\"“”„‟«»‹›〝〞＂]")
SINGLE_MARK = re.compile(r"['‘’‚‛]")
PARAGRAPH_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]")

OPEN_GLYPHS = frozenset({"“", "„", "‟", "«", "‹", "``", "〝"})
CLOSE_GLYPHS = frozenset({"”", "»", "›", "〞"})
# Punctuation a mark may lean on and still open (`("Yes`) or close (`no".`).
OPEN_NEIGHBOURS = frozenset("([{—–-/:")
CLOSE_NEIGHBOURS = frozenset(".,;:!?)]}—–-…")


def is_space(ch: str) -> bool:
    """White space, or no character at all (the text's edge)."""
    return ch == "" or ch.isspace()


def flanks(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the mark at text[start:end] could open (leans on the word after
    it) and could close (leans on the word before it)."""
    prev = text[start - 1] if start > 0 else ""
    nxt = text[end] if end < len(text) else ""
    prev_mark = bool(prev) and bool(DOUBLE_MARK.match(prev) or SINGLE_MARK.match(prev))
    next_mark = bool(nxt) and bool(DOUBLE_MARK.match(nxt) or SINGLE_MARK.match(nxt))
    left = not is_space(nxt) and (is_space(prev) or prev in OPEN_NEIGHBOURS or prev_mark)
    right = not is_space(prev) and (is_space(nxt) or nxt in CLOSE_NEIGHBOURS or next_mark)
    if not left and not right:
        # Marks standing between two words (`word"word`) or alone (` " `):
        # let the pairing decide.
        left = right = True
    return left, right


def strip(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] without its leading and trailing white space, as offsets."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of `text`, breaks left out; blank ones kept."""
    bounds, pos = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return bounds
