"""Pair quotation marks into quoted spans, repairing what scraped news breaks.

The scanner works on raw characters, before and independent of spaCy, so it
can never disagree with the input's offsets. It never raises: whatever it
cannot read as a quotation mark it leaves alone, and whatever it repairs it
records as a flag on the span (and a warning with the character offset).

Conventions it reads:

* double marks: straight ``"``, curly ``“ ”``, low-9 ``„``, guillemets
  ``« » ‹ ›``, and the typewriter pairs ``''`` and ````` `` `````;
* single marks (``'``, ``‘ ’``) only when an opening and a closing one pair up
  inside the same paragraph (and the same enclosing quote), so that
  apostrophes ("Kazakhstan's", "it's", "Russians'") are never quotes;
* a quote left open at a paragraph's end either continues in the next
  paragraph (which opens with a new mark, or closes the quote first) or ends
  there, flagged ``unclosed``.

Which characters are marks, and what a mark leans on, is in `quotes.glyphs`.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .glyphs import (
    CLOSE_GLYPHS,
    CLOSE_NEIGHBOURS,
    DOUBLE_MARK,
    OPEN_GLYPHS,
    OPEN_NEIGHBOURS,
    PARAGRAPH_BREAK,
    SINGLE_MARK,
    flanks,
    is_space,
    paragraph_bounds,
    paragraph_breaks,
    strip,
)
from .logs import document

log = logging.getLogger(__name__)

# How many paragraphs an unclosed quote may run over before it is cut.
MAX_CONTINUED_PARAGRAPHS = 4
# How far back from an opening mark an attribution clause (`, the expert
# believes. `) is looked for: the clause is short (a few words, a cue, at most
# 80 characters to its full stop), and bounding the search keeps the scan
# linear in a long paragraph full of marks inside a quote that never closed.
ATTRIBUTION_WINDOW = 600


@dataclass
class QuoteSpan:
    """One quoted stretch of text: its content offsets and how it was read.

    Attributes:
        start: Offset of the first character of the content (marks excluded,
            surrounding white space stripped).
        end: Offset just past the content.
        open_mark: (start, end) of the opening mark, None if it had none.
        close_mark: (start, end) of the closing mark, None if it had none.
        parts: The content's pieces, one per paragraph it covers.
        flags: What the scanner repaired or inferred (see records.FLAG_DESCRIPTIONS).
        parent: Index of the span this one is nested in, if any.
        continues: Index of the span this one continues (a quote's next
            paragraph, reopened with a new mark), if any.
    """

    start: int
    end: int
    open_mark: tuple[int, int] | None
    close_mark: tuple[int, int] | None
    parts: list[tuple[int, int]] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    parent: int | None = None
    continues: int | None = None

    @property
    def outer_start(self) -> int:
        """Start of the span including its opening mark."""
        return self.open_mark[0] if self.open_mark else self.start

    @property
    def outer_end(self) -> int:
        """End of the span including its closing mark."""
        return self.close_mark[1] if self.close_mark else self.end


@dataclass
class _Mark:
    start: int
    end: int
    glyph: str
    left: bool  # could open: leans on the word after it
    right: bool  # could close: leans on the word before it


@dataclass
class _Open:
    mark: _Mark
    content_start: int
    parts_done: list[tuple[int, int]] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    continues: QuoteSpan | None = None


class _Scanner:
    """One pass over one text; see `scan`."""

    def __init__(self, text: str, attribution: re.Pattern[str] | None) -> None:
        self.text = text
        self.attribution = attribution
        self.spans: list[QuoteSpan] = []
        self.links: dict[int, QuoteSpan] = {}  # id(span) -> the span it continues
        self.warnings: list[tuple[int, str]] = []

    def warn(self, offset: int, message: str) -> None:
        self.warnings.append((offset, message))

    # -- emitting ------------------------------------------------------------

    def emit(self, opened: _Open, end: int, close: _Mark | None, extra: Iterable[str] = ()) -> QuoteSpan | None:
        """Record the quote `opened`, whose last piece ends at `end`."""
        parts = list(opened.parts_done)
        last_start = self.next_line(parts[-1][1]) if parts else opened.content_start
        parts.append(strip(self.text, last_start, end))
        parts = [p for p in parts if p[1] > p[0]]
        if not parts:
            return None
        span = QuoteSpan(
            start=parts[0][0],
            end=parts[-1][1],
            open_mark=(opened.mark.start, opened.mark.end),
            close_mark=(close.start, close.end) if close else None,
            parts=parts,
            flags=set(opened.flags) | set(extra),
        )
        self.spans.append(span)
        if opened.continues is not None:
            self.links[id(span)] = opened.continues
        return span

    def next_line(self, pos: int) -> int:
        """The start of the paragraph after the one holding `pos` (`pos` in the last one)."""
        k = bisect.bisect_left(self.break_starts, pos)
        return self.break_ends[k] if k < len(self.break_ends) else pos

    # -- reading single marks ------------------------------------------------

    def closes(self, top: _Open, mark: _Mark) -> bool:
        """Whether `mark`, met inside the open quote `top`, closes it."""
        if top.mark.glyph == "„" and mark.glyph in {"“", "\"", "”"}:
            return True
        if mark.glyph in CLOSE_GLYPHS:
            return True
        if mark.glyph in OPEN_GLYPHS:
            return mark.right and not mark.left
        return mark.right or self.misplaced_close(mark)

    def opens(self, mark: _Mark) -> bool:
        return mark.left and (mark.glyph not in CLOSE_GLYPHS or not mark.right)

    def misplaced_close(self, mark: _Mark) -> bool:
        """`seizing power, "said the Kazakh leader.`: a close that slipped past its space."""
        text = self.text
        if not mark.left or mark.right or mark.glyph in OPEN_GLYPHS:
            return False
        i = mark.start - 1
        if i < 0 or not text[i].isspace():
            return False
        while i >= 0 and text[i] in " \t":
            i -= 1
        if i < 0 or text[i] not in ",.!?…;:—–-":
            return False
        return mark.end < len(text) and text[mark.end].islower()

    def attribution_end(self, start: int, end: int) -> int | None:
        """Where a quote lost its close: `..., the expert believes. “Their` -> after `,`."""
        if self.attribution is None:
            return None
        m = self.attribution.search(self.text, max(start, end - ATTRIBUTION_WINDOW), end)
        return m.start() + 1 if m else None

    # -- the pass ------------------------------------------------------------

    def run(self) -> None:
        text = self.text
        breaks = paragraph_breaks(text)
        self.break_starts = [m.start() for m in breaks]
        self.break_ends = [m.end() for m in breaks]
        paragraphs = paragraph_bounds(text, breaks)
        marks_by_para: list[list[_Mark]] = [[] for _ in paragraphs]
        pi = 0
        for m in DOUBLE_MARK.finditer(text):
            while paragraphs[pi][1] < m.start():
                pi += 1
            left, right = flanks(text, m.start(), m.end())
            marks_by_para[pi].append(_Mark(m.start(), m.end(), m.group(), left, right))

        carry: _Open | None = None  # a quote left open by an earlier paragraph
        carried = 0
        for pi, (ps, pe) in enumerate(paragraphs):
            if carry is not None and not text[ps:pe].strip():
                continue
            marks = marks_by_para[pi]
            stack: list[_Open] = []
            if carry is not None:
                if marks and not text[ps:marks[0].start].strip() and self.opens(marks[0]):
                    # Each paragraph of a long quote reopens with a mark: the
                    # segment before is a record of its own, linked to the next.
                    prev = self.emit_segment(carry)
                    stack.append(_Open(marks[0], marks[0].end, continues=prev))
                    marks = marks[1:]
                else:
                    carry.flags.add("continued")
                    stack.append(carry)
            carry = None
            self.paragraph(stack, marks)
            if not stack:
                carried = 0
                continue
            outer = stack[0]
            for inner in stack[1:]:
                self.warn(inner.mark.start, "quotation mark never closed; read as a stray mark")
                outer.flags.add("stray-mark")
            if carried < MAX_CONTINUED_PARAGRAPHS and self.continues_after(pi, paragraphs, marks_by_para):
                last_start = self.next_line(outer.parts_done[-1][1]) if outer.parts_done else outer.content_start
                outer.parts_done.append(strip(text, last_start, pe))
                carry = outer
                carried += 1
            else:
                self.warn(outer.mark.start, "quotation never closed; cut at its paragraph's end")
                self.emit(outer, pe, None, ["unclosed"])
                carried = 0
        self.pair_singles()

    def emit_segment(self, opened: _Open) -> QuoteSpan | None:
        """Record the paragraphs of `opened` read so far, with no closing mark."""
        parts = [p for p in opened.parts_done if p[1] > p[0]]
        if not parts:
            return None
        span = QuoteSpan(parts[0][0], parts[-1][1], (opened.mark.start, opened.mark.end), None,
                         parts, set(opened.flags))
        self.spans.append(span)
        if opened.continues is not None:
            self.links[id(span)] = opened.continues
        return span

    def continues_after(self, pi: int, paragraphs: list[tuple[int, int]],
                        marks_by_para: list[list[_Mark]]) -> bool:
        """Whether a quote open at the end of paragraph `pi` goes on after it."""
        for pj in range(pi + 1, len(paragraphs)):
            ps, pe = paragraphs[pj]
            if not self.text[ps:pe].strip():
                continue
            marks = marks_by_para[pj]
            if not marks:
                return False
            first = marks[0]
            if not self.text[ps:first.start].strip() and self.opens(first):
                return True  # reopened: the usual convention for long quotes
            # No new opening mark: the quote goes on only if this paragraph's
            # first mark closes it (`... negotiations, "the analyst said.`).
            return first.glyph in CLOSE_GLYPHS or (first.right and not first.left) or self.misplaced_close(first)
        return False

    def paragraph(self, stack: list[_Open], marks: list[_Mark]) -> None:
        """Read one paragraph's double marks, with `stack` the quotes open at its start."""
        for i, mark in enumerate(marks):
            if not stack:
                if self.opens(mark):
                    stack.append(_Open(mark, mark.end))
                continue  # a close with nothing open: stray
            top = stack[-1]
            if self.closes(top, mark):
                stack.pop()
                extra = ["repaired-close"] if self.misplaced_close(mark) else []
                self.emit(top, mark.start, mark, extra)
                continue
            # An opening mark inside an open quote: a lost close, a nested
            # quote, or a typo.
            cut = self.attribution_end(top.content_start, mark.start) if len(stack) == 1 else None
            if cut is not None:
                # `“These structures ... intelligence, the expert believes. “Their
                # operation ...”`: the first quote lost its close before the
                # attribution, and this mark opens the next.
                stack.pop()
                self.emit(top, cut, None, ["repaired-close"])
                self.warn(cut, "closing quotation mark missing before an attribution; assumed")
                stack.append(_Open(mark, mark.end))
                continue
            if self.nests(top, marks[i + 1:i + 3]):  # it reads two marks ahead
                stack.append(_Open(mark, mark.end))
                continue
            # `"Many ... Kazakhstan. "In order to ...," the leader stressed.`:
            # one close left for two opens, so the inner mark is a typo.
            top.flags.add("stray-mark")
            self.warn(mark.start, "stray quotation mark inside a quote; ignored")

    def nests(self, top: _Open, rest: list[_Mark]) -> bool:
        """Whether an opening mark inside `top`, followed by `rest`, opens a nested quote.

        It does when the next mark closes it and the one after closes `top`:
        `"It was the same when they tried to impose a "dialogue" on us, "said
        the expert.` A new opening mark after the inner close instead means the
        inner mark was a typo: `"Many ... Kazakhstan. "In order to ...," the
        leader stressed. Rahmon suggested a "security belt".`
        """
        if len(rest) < 2:
            return False
        inner = _Open(rest[0], rest[0].end)
        first = rest[0]
        if not self.closes(inner, first) or (first.left and not first.right and not self.misplaced_close(first)):
            return False
        after = rest[1]
        return after.glyph in CLOSE_GLYPHS or (after.right and not after.left) or self.misplaced_close(after) or (
            after.right and after.glyph not in OPEN_GLYPHS)

    def pair_singles(self) -> None:
        """Pair single marks inside each double quote, or in the paragraphs of
        a text with no double quotes at all."""
        text = self.text
        regions = [(s.start, s.end) for s in self.spans]
        if not regions:
            regions = paragraph_bounds(text)
        for rs, re_ in regions:
            opened: int | None = None
            for m in SINGLE_MARK.finditer(text, rs, re_):
                a, b = m.start(), m.end()
                prev = text[a - 1] if a > rs else ""
                nxt = text[b] if b < re_ else ""
                if prev.isalnum() and nxt.isalnum():
                    continue  # it's, Kazakhstan's
                can_open = m.group() != "’" and nxt.isalnum() and (
                    is_space(prev) or prev in OPEN_NEIGHBOURS or bool(DOUBLE_MARK.match(prev)))
                can_close = m.group() != "‘" and not is_space(prev) and (
                    is_space(nxt) or nxt in CLOSE_NEIGHBOURS or bool(DOUBLE_MARK.match(nxt)))
                if can_close and opened is not None:
                    s, e = strip(text, opened + 1, a)
                    if e > s and not PARAGRAPH_BREAK.search(text, s, e):
                        self.spans.append(QuoteSpan(s, e, (opened, opened + 1), (a, b), [(s, e)]))
                    opened = None
                elif can_open:
                    opened = a


def scan(text: str, attribution: re.Pattern[str] | None = None) -> tuple[list[QuoteSpan], list[tuple[int, str]]]:
    """Find the quoted spans of a text.

    Args:
        text: The input, as the caller has it.
        attribution: A pattern that finds an attribution clause ending a
            stretch of text (`, the expert believes. `): inside an open quote,
            an opening mark after such a clause means the first quote lost its
            closing mark there. `rules.Rules.attribution_pattern` builds it.

    Returns:
        The spans sorted by offset (an enclosing span before those nested in
        it, with `parent` and `continues` as indices into the list), and the
        warnings as (offset, message) pairs.
    """
    scanner = _Scanner(text, attribution)
    try:
        scanner.run()
    except Exception:  # a scanner bug must cost the quotes, not the document
        log.exception("%s: quotation-mark scanner failed; no quotes read", document())
        return [], [(0, "quotation-mark scanner failed")]
    spans = sorted(scanner.spans, key=lambda s: (s.start, -s.end))
    index = {id(s): i for i, s in enumerate(spans)}
    active: list[int] = []  # earlier spans that reach the current start, in order
    for i, s in enumerate(spans):
        # The parent is the smallest span before it that encloses it. A span
        # ending before this one starts encloses neither it nor any later
        # span: dropping those keeps this loop linear for flat text.
        active = [j for j in active if spans[j].end >= s.start]
        for j in reversed(active):
            p = spans[j]
            if p.start <= s.start and s.end <= p.end and (p.start, p.end) != (s.start, s.end):
                if s.parent is None or spans[s.parent].end - spans[s.parent].start > p.end - p.start:
                    s.parent = j
        active.append(i)
        if s.parent is not None:
            s.flags.add("nested")
        prev = scanner.links.get(id(s))
        if prev is not None:
            s.continues = index.get(id(prev))
    for offset, message in scanner.warnings:
        log.debug("%s: offset %d: %s", document(), offset, message)
    return spans, scanner.warnings
