"""What the tokenizer reads: a copy of the text, of the same length, made safe.

Some input breaks spaCy's tokenizer, and none of it can be a quotation:

- a lone surrogate (`"\\ud800"` in a JSON string decodes to one) cannot be
  encoded, and the tokenizer raises `UnicodeEncodeError` on it;
- a long run of punctuation without a space (50,000 quotation marks in a
  row) takes time quadratic in its length: the tokenizer peels one prefix or
  suffix at a time and searches the rest again; and each mark is a token, so
  the parse costs five times what text of the same length does;
- a very long run without a space (a pasted blob) grows the tokenizer's work
  faster than its length.

The shadow replaces each surrogate with U+FFFD; keeps the first and last
`MARKS_KEPT` characters of a run of more than `2 * MARKS_KEPT` punctuation
characters and makes the middle spaces; and puts a space every `RUN_STEP`
characters into any run of more than `LONG_RUN` characters without white
space. Each change replaces one character with one character, so every offset
into the shadow is an offset into the original text, and the records take
their words from the original (see `records.relocated`).
"""

from __future__ import annotations

import re

# `said: """Yes"""` keeps its marks; a run longer than twice this is no quotation.
MARKS_KEPT = 8
# No word, number or URL of an article is this long; a pasted blob can be.
LONG_RUN = 1000
RUN_STEP = 100

_SURROGATE = re.compile("[\ud800-\udfff]")
_PUNCTUATION_RUN = re.compile(rf"[^\w\s]{{{2 * MARKS_KEPT + 1},}}")
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN + 1},}}")


def shadow(text: str) -> str:
    """`text` with lone surrogates and over-long runs defused; the same length.

    Returns `text` itself when there is nothing to change (the common case).
    Linear in the length of the text.
    """
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    if _PUNCTUATION_RUN.search(text):
        text = _PUNCTUATION_RUN.sub(_blank_middle, text)
    if _LONG_RUN.search(text) is None:
        return text
    chars = list(text)
    for m in _LONG_RUN.finditer(text):
        for i in range(m.start() + RUN_STEP, m.end(), RUN_STEP):
            chars[i] = " "
    return "".join(chars)


def lone_surrogate(text: str) -> int | None:
    """The index of the first lone surrogate in `text`, if any."""
    match = _SURROGATE.search(text)
    return match.start() if match else None


def _blank_middle(m: re.Match[str]) -> str:
    run = m.group()
    return run[:MARKS_KEPT] + " " * (len(run) - 2 * MARKS_KEPT) + run[-MARKS_KEPT:]
