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
# A hard-wrapped line, in a text whose paragraphs are set off by blank lines:
# a single line break inside a sentence (after a word, not after a sentence's
# end), before a lower-case word, or ending a line as long as a wrapped line.
SOFT_WRAP = re.compile(r"(?<=[^\s.!?:;\"“”’»…])(?:\r\n|\n)(?=[ \t]*\S)")
BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")
WRAPPED_LINE = 50  # characters: a shorter line ends where its writer ended it (a byline, a dateline)

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


def paragraph_breaks(text: str) -> list[re.Match[str]]:
    """The line breaks of `text` that end a paragraph: every break, but the
    single breaks of hard-wrapped lines in a text that sets paragraphs off by
    blank lines ("the political¶scientist" is one sentence)."""
    breaks = list(PARAGRAPH_BREAK.finditer(text))
    if not BLANK_LINE.search(text):
        return breaks
    soft = set()
    for m in SOFT_WRAP.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        nxt = text[m.end():m.end() + 1]
        if nxt.islower() or nxt == "(" or m.start() - line_start >= WRAPPED_LINE:
            soft.add(m.start())
    return [m for m in breaks if m.start() not in soft]


def paragraph_bounds(text: str, breaks: list[re.Match[str]] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of `text`, breaks left out; blank ones kept."""
    bounds, pos = [], 0
    for m in paragraph_breaks(text) if breaks is None else breaks:
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return bounds
