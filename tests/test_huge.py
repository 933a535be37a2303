"""Documents longer than the pipeline's max_length: parsed in pieces, nothing lost.

`chunks` is tested on its own (no model); the extractor is tested with a
small `nlp.max_length` (5,000 characters) on texts built from the seed
paragraphs, so that a few tens of kilobytes exercise the cutting and merging
that a multi-megabyte article would (the 5 MB run belongs to the benchmark).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.chunking import chunks as _chunks
from quotes.extractor import Extractor
from quotes.marks import scan
from quotes.records import Quote, quote_id
from quotes.rules import load_rules

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PARAGRAPHS = [p for path in sorted(SEEDS.glob("*.txt"))
              for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
ATTRIBUTION = load_rules().attribution_pattern()
LIMIT = 5000



def _groups(total: int, seed: int = 7, most: int = 2000) -> list[str]:
    """Groups of consecutive seed paragraphs (one per line), each under `most`
    characters, cycling through the seeds until `total` characters."""
    rng = random.Random(seed)
    groups: list[str] = []
    size, i = 0, rng.randrange(len(PARAGRAPHS))
    while size < total:
        group: list[str] = []
        while not group or (len("\n".join(group)) + len(PARAGRAPHS[i % len(PARAGRAPHS)]) < most
                            and rng.random() < 0.8):
            group.append(PARAGRAPHS[i % len(PARAGRAPHS)])
            i += 1
        groups.append("\n".join(group))
        size += len(groups[-1]) + 2
    return groups


def _outer(text: str) -> list[tuple[int, int]]:
    spans, _ = scan(text, ATTRIBUTION)
    return [(s.outer_start, s.outer_end) for s in spans]


def _check_pieces(text: str, pieces: list[tuple[int, str]], limit: int) -> None:
    assert "".join(p for _, p in pieces) == text
    position = 0
    for offset, piece in pieces:
        assert offset == position
        assert 0 < len(piece) <= limit or len(pieces) == 1
        position += len(piece)
    for offset, _ in pieces[1:]:
        assert text[offset - 1:offset + 1] != "\r\n", "a cut between CR and LF"


# --------------------------------------------------------------------------- _chunks, no model


def test_chunks_leaves_a_short_text_whole() -> None:
    assert _chunks("", 10) == [(0, "")]
    assert _chunks("x" * 10, 10) == [(0, "x" * 10)]


def test_chunks_cuts_at_blank_lines_outside_quotes() -> None:
    groups = _groups(40_000)
    text = "\n\n".join(groups)
    boundaries, pos = set(), 0
    for g in groups:
        pos += len(g) + 2
        boundaries.add(pos)
    pieces = _chunks(text, LIMIT, ATTRIBUTION)
    _check_pieces(text, pieces, LIMIT)
    assert len(pieces) >= 8
    for offset, _ in pieces[1:]:
        assert offset in boundaries, "a cut not at a blank line"
        assert not any(a < offset < b for a, b in _outer(text)), "a cut inside a quotation"
    # Pieces stay large: each cut is in the second half of its window.
    assert all(len(p) > LIMIT // 2 for _, p in pieces[:-1])


def test_chunks_falls_back_to_line_breaks_then_sentences() -> None:
    lines = "\n".join(PARAGRAPHS[:40])
    pieces = _chunks(lines, LIMIT, ATTRIBUTION)
    _check_pieces(lines, pieces, LIMIT)
    assert all(lines[o - 1] == "\n" for o, _ in pieces[1:])
    assert not any(a < o < b for o, _ in pieces[1:] for a, b in _outer(lines))

    flat = " ".join(PARAGRAPHS[:40])
    pieces = _chunks(flat, LIMIT, ATTRIBUTION)
    _check_pieces(flat, pieces, LIMIT)
    for o, _ in pieces[1:]:
        assert flat[o - 1] == " " and flat[:o].rstrip()[-1] in ".!?…\"”’»)]"
        assert not any(a < o < b for a, b in _outer(flat))


def test_chunks_keeps_a_multi_paragraph_quote_together() -> None:
    filler = "Some words here. " * 100  # 1,700 characters
    quote = "“First paragraph of a long quote.\n“Second paragraph.\n“Third, and last.”"
    text = filler + "\n" + quote + "\n" + filler + "\n" + filler
    a = text.index("“First")
    b = text.index("last.”") + len("last.”")
    for limit in range(a + 5, b, 7):  # every window that ends inside the quote
        pieces = _chunks(text, limit, ATTRIBUTION)
        _check_pieces(text, pieces, limit)
        assert not any(a < o < b for o, _ in pieces), limit


def test_chunks_hard_cuts_text_without_breaks() -> None:
    text = "x" * 12_345
    pieces = _chunks(text, 1000)
    _check_pieces(text, pieces, 1000)
    assert [len(p) for _, p in pieces] == [1000] * 12 + [345]


def test_chunks_cuts_a_quote_longer_than_a_piece() -> None:
    text = "Intro.\n“" + "word " * 3000 + "end.” he said.\n\nAfter."
    pieces = _chunks(text, LIMIT, ATTRIBUTION)
    _check_pieces(text, pieces, LIMIT)
    assert pieces[0][1] == "Intro.\n"  # cut before the quote first


def test_chunks_never_splits_crlf() -> None:
    text = "ab\r\n" * 3000
    for limit in (3, 4, 5, 99, 1001):
        _check_pieces(text, _chunks(text, limit), limit)
    text = "a\r\n" + "\r\n" * 5000
    _check_pieces(text, _chunks(text, 7), 7)


text_parts = st.sampled_from(["“", "”", '"', "«", "»", "'", "\n", "\r\n", "\n\n", " ", ". ",
                              "word", "said", ",", "Expert X said.", "\u2029"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(text_parts, max_size=300).map("".join), st.integers(2, 120))
def test_chunks_properties(text: str, limit: int) -> None:
    pieces = _chunks(text, limit, ATTRIBUTION)
    _check_pieces(text, pieces, limit)
    if len(text) <= limit:
        assert pieces == [(0, text)]


def test_chunks_time_is_linear() -> None:
    base = "\n\n".join(_groups(50_000))
    timings = []
    for copies in (4, 16):
        text = base * copies
        started = time.perf_counter()
        _chunks(text, 20_000, ATTRIBUTION)
        timings.append(time.perf_counter() - started)
    assert timings[1] < 8 * timings[0] + 0.5, timings  # quadratic would be ~16x


def test_scan_stays_linear_on_a_paragraph_full_of_stray_marks() -> None:
    """One unclosed quote, then thousands of opening marks and commas in one
    paragraph: the scanner's attribution search used to go quadratic here
    (minutes for 300 kB); bounded now."""
    text = "“" + "word, said he “word " * 10_000  # 200 kB, one line
    started = time.perf_counter()
    spans, _ = scan(text, ATTRIBUTION)
    assert time.perf_counter() - started < 5
    assert spans


# --------------------------------------------------------------------------- the extractor


@pytest.fixture(scope="module")
def small_extractor() -> Extractor:
    ex = Extractor()
    ex.nlp.max_length = LIMIT
    return ex


def _shift(records: list[Quote], offset: int) -> list[tuple]:
    return [(r.start + offset, r.end + offset, r.kind, r.text) for r in records]


def _check_offsets(text: str, records: list[Quote], doc_id: str) -> None:
    ids = {r.id for r in records}
    assert [r.start for r in records] == sorted(r.start for r in records)
    for r in records:
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start:r.end] == r.text
        assert r.id == quote_id(doc_id, r.start, r.end) and r.doc_id == doc_id
        for a, b in r.parts:
            assert r.start <= a < b <= r.end
        if r.speaker is not None:
            assert text[r.speaker.start:r.speaker.end] == r.speaker.mention
        if r.cue is not None:
            assert text[r.cue.start:r.cue.end] == r.cue.text
        for ref in (r.continues, r.nested_in):
            assert ref is None or ref in ids, (r.id, ref)


@pytest.mark.slow
def test_huge_text_is_extracted_in_pieces_and_loses_nothing(small_extractor, extractor) -> None:
    groups = _groups(30_000)
    text = "\n\n".join(groups)
    assert len(text) > 5 * LIMIT
    records = small_extractor.extract(text, doc_id="huge")
    _check_offsets(text, records, "huge")
    # The same quotes as extracting each group of paragraphs on its own.
    expected, offset = [], 0
    for group, found in zip(groups, extractor.pipe([(g, "g") for g in groups])):
        expected += _shift(found, offset)
        offset += len(group) + 2
    assert [(r.start, r.end, r.kind, r.text) for r in records] == expected
    # And no quotation lost or split next to the whole text parsed at once.
    whole = extractor.extract(text, doc_id="huge")
    direct = {(r.start, r.end) for r in whole if r.kind != "indirect"}
    assert {(r.start, r.end) for r in records if r.kind != "indirect"} == direct
    # Links between records survive the shift (nested quotes, continuations).
    assert sum(1 for r in records if r.nested_in or r.continues) >= 1


@pytest.mark.slow
def test_pipe_mixes_huge_and_short_texts_in_order(small_extractor) -> None:
    short = PARAGRAPHS[2]
    crlf = "\r\n\r\n".join(g.replace("\n", "\r\n") for g in _groups(12_000, seed=3))
    no_breaks = " ".join(_groups(8_000, seed=5)).replace("\n", " ").replace(". ", ".")
    no_spaces = "x" * 12_000  # hard cuts
    marks = "“a « „b ‹ \" ”, » ' ’ " * 500  # quotes everywhere, never a sentence end
    items = [(short, "a"), (crlf, "b"), ("", "c"), (no_breaks, "d"), (no_spaces, "e"),
             (marks, "f"), (short, "g")]
    results = list(small_extractor.pipe(items, batch_size=3))
    assert len(results) == len(items)
    for (text, doc_id), records in zip(items, results):
        _check_offsets(text, records, doc_id)
    assert _shift(results[0], 0) == _shift(results[-1], 0)
    assert results[1], "the CRLF text has quotes"


@pytest.mark.slow
def test_a_failing_piece_fails_its_document_only(small_extractor, monkeypatch) -> None:
    from quotes.attribution import Attributor

    original = Attributor.__call__

    def fragile(self, doc, doc_id=None):  # noqa: ANN001, ANN202
        if "KABOOM" in doc.text:
            raise RuntimeError("forced failure")
        return original(self, doc, doc_id)

    monkeypatch.setattr(Attributor, "__call__", fragile)
    groups = _groups(12_000, seed=11)
    groups[-1] += "\nKABOOM"  # only in the last piece
    huge = "\n\n".join(groups)
    short = PARAGRAPHS[2]
    results = list(small_extractor.pipe_docs([(short, "a"), (huge, "b"), (short, "c")]))
    assert [ctx for _, ctx in results] == ["a", "b", "c"]
    assert results[1][0] is None
    assert results[0][0] is not None and results[2][0] is not None
    assert len(results[0][0]) == len(results[2][0])
