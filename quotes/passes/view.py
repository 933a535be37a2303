"""A read-only view of one parsed document: the lookups every pass shares.

Built once per document: which tokens stand inside quotation marks, where the
paragraphs start, each token's character offset, the sentences. A paragraph
is what `marks.PARAGRAPH_BREAK` ends (the scanner's definition), with blank
lines skipped, so that "two paragraphs back" counts paragraphs of text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from spacy.tokens import Doc, Span

from ..marks import PARAGRAPH_BREAK, QuoteSpan, paragraph_breaks

# A paragraph starts after a break, once the next line holds some text.
PARAGRAPH_START = re.compile(f"(?:{PARAGRAPH_BREAK.pattern})(?=[ \\t]*[^\\s])")


def paragraph_starts(text: str) -> list[int]:
    """Offsets of the paragraphs of `text` (`marks.paragraph_breaks`), blank lines skipped."""
    hard = {m.start() for m in paragraph_breaks(text)}
    return [0] + [m.end() for m in PARAGRAPH_START.finditer(text) if m.start() in hard]


@dataclass(frozen=True)
class View:
    """One parsed document and the quote spans found in it.

    Attributes:
        doc: The parsed document.
        text: Its text (`doc.text` joins the tokens at each call).
        spans: The scanner's quote spans, in text order.
        in_quote: For each token, whether it stands inside a top-level quote
            (marks included).
        para_starts: Offsets of the paragraphs.
        starts: Each token's character offset.
        memo: What a pass computes once per document and reads many times,
            by a key the pass owns (a paragraph's heading test: a text
            without breaks is one paragraph, read for every candidate).
    """

    doc: Doc
    text: str
    spans: tuple[QuoteSpan, ...]
    in_quote: tuple[bool, ...]
    para_starts: tuple[int, ...]
    starts: tuple[int, ...]
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, doc: Doc, spans: list[QuoteSpan], text: str | None = None) -> View:
        """The view of `doc` with the quote spans the scanner found in its text
        (`text`, when the caller has it already)."""
        in_quote = [False] * len(doc)
        starts = doc.to_array("IDX").tolist() if len(doc) else []
        for s in spans:
            if s.parent is not None:
                continue
            a = bisect.bisect_left(starts, s.outer_start)
            b = bisect.bisect_left(starts, s.outer_end)
            for k in range(a, b):
                in_quote[k] = True
        text = doc.text if text is None else text
        return cls(doc, text, tuple(spans), tuple(in_quote), tuple(paragraph_starts(text)), tuple(starts))

    def unquoted(self) -> View:
        """The same document with no token inside quotation marks: for reading
        the words inside a quote as if they were narration."""
        return replace(self, in_quote=(False,) * len(self.in_quote))

    @cached_property
    def sent_starts(self) -> list[int]:
        """The token index of each sentence start (computed on first use:
        `Token.sent` recomputes the sentences each time)."""
        return [sent.start for sent in self.doc.sents] or [0]

    def sent(self, i: int) -> Span:
        """The sentence of token i."""
        starts = self.sent_starts
        k = bisect.bisect_right(starts, i) - 1
        end = starts[k + 1] if k + 1 < len(starts) else len(self.doc)
        return self.doc[starts[max(k, 0)]:end]

    def tok_at(self, char: int) -> int:
        """Index of the token at or after a character offset."""
        doc = self.doc
        lo, hi = 0, len(doc)
        while lo < hi:
            mid = (lo + hi) // 2
            if doc[mid].idx + len(doc[mid]) <= char:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def para(self, char: int) -> int:
        """The index of the paragraph holding a character offset."""
        return bisect.bisect_right(self.para_starts, char) - 1

    def para_start(self, char: int) -> int:
        """Offset of the start of the paragraph holding `char`."""
        return self.para_starts[self.para(char)]

    def para_end(self, char: int) -> int:
        """Offset of the start of the next paragraph (or the text's end)."""
        p = self.para(char)
        return self.para_starts[p + 1] if p + 1 < len(self.para_starts) else len(self.text)
