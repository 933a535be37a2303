"""Tests for quotes.marks: pairing quotation marks into spans on short hand-written texts.

No spaCy pipeline is needed; the attribution pattern comes from the packaged rules.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.marks import QuoteSpan, scan
from quotes.rules import load_rules

SCANNER_FAILED = "quotation-mark scanner failed"

# One expected span: (content text, flags, index of the parent span or None).
Expected = tuple[str, set[str], int | None]
Warnings = list[tuple[int, str]]


@cache
def _attribution_pattern() -> re.Pattern[str]:
    return load_rules().attribution_pattern()


@pytest.fixture(scope="module")
def attribution() -> re.Pattern[str]:
    return _attribution_pattern()


def _assert_well_formed(text: str, spans: list[QuoteSpan], warnings: Warnings) -> None:
    """Offsets inside the text, parts inside their span, indices valid, no swallowed crash."""
    assert all(message != SCANNER_FAILED for _, message in warnings), warnings
    for i, s in enumerate(spans):
        assert 0 <= s.start < s.end <= len(text), (i, s)
        assert s.parts, (i, s)
        assert s.parts[0][0] == s.start and s.parts[-1][1] == s.end, (i, s)
        for a, b in s.parts:
            assert s.start <= a < b <= s.end, (i, s)
        if s.open_mark is not None:
            assert 0 <= s.open_mark[0] < s.open_mark[1] <= s.start, (i, s)
        if s.close_mark is not None:
            assert s.end <= s.close_mark[0] < s.close_mark[1] <= len(text), (i, s)
        if s.parent is not None:
            assert 0 <= s.parent < i, (i, s)
        if s.continues is not None:
            assert 0 <= s.continues < len(spans) and s.continues != i, (i, s)
    assert [(s.start, -s.end) for s in spans] == sorted((s.start, -s.end) for s in spans)


def _scan(
    text: str, attribution: re.Pattern[str] | None = None
) -> tuple[list[QuoteSpan], Warnings]:
    spans, warnings = scan(text, attribution)
    _assert_well_formed(text, spans, warnings)
    return spans, warnings


def _summary(text: str, spans: list[QuoteSpan]) -> list[Expected]:
    return [(text[s.start:s.end], set(s.flags), s.parent) for s in spans]


# --- mark conventions -----------------------------------------------------------------------

PAIR_CASES: list[tuple[str, list[Expected]]] = [
    ('"Hello there," she said.', [("Hello there,", set(), None)]),
    ("“Hello there,” she said.", [("Hello there,", set(), None)]),
    (
        "“He called it ‘nonsense’ and left,” she said.",
        [("He called it ‘nonsense’ and left,", set(), None), ("nonsense", {"nested"}, 0)],
    ),
    ("He said: «Hello there».", [("Hello there", set(), None)]),
    ("He said: ‹Hello there›.", [("Hello there", set(), None)]),
    ("Er sagte: „Hallo dort“.", [("Hallo dort", set(), None)]),
    ("He said ''hello there'' and left.", [("hello there", set(), None)]),
    ("He said ``hello there'' and left.", [("hello there", set(), None)]),
    (
        "He said ``hello there'' and she said ``bye''.",
        [("hello there", set(), None), ("bye", set(), None)],
    ),
    ('She said "yes" and he said "no".', [("yes", set(), None), ("no", set(), None)]),
    ("He called it 'nonsense' yesterday.", [("nonsense", set(), None)]),
    ("He called it ‘nonsense’ yesterday.", [("nonsense", set(), None)]),
]


@pytest.mark.parametrize(("text", "expected"), PAIR_CASES)
def test_scan_pairs_each_mark_convention(text: str, expected: list[Expected]) -> None:
    spans, warnings = _scan(text)
    assert _summary(text, spans) == expected
    assert warnings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Hello there," she said.', [((0, 1), (13, 14))]),
        ("He said ``hello there'' and left.", [((8, 10), (21, 23))]),
        ("Er sagte: „Hallo dort“.", [((10, 11), (21, 22))]),
    ],
)
def test_scan_records_the_mark_offsets(
    text: str, expected: list[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    spans, _ = _scan(text)
    assert [(s.open_mark, s.close_mark) for s in spans] == expected


# --- apostrophes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It's Kazakhstan's day, the Russians' view.", []),
        ("It’s Kazakhstan’s day, the Russians’ view.", []),
        ("The Russians' and the Kazakhs' views differ.", []),
        ('"It\'s the Russians\' view," he said.', [("It's the Russians' view,", set(), None)]),
        ("“It’s the Russians’ view,” he said.", [("It’s the Russians’ view,", set(), None)]),
        (
            "\"It is also interesting that the Kazakh 'revolution' coincided with the talks.\"",
            [
                (
                    "It is also interesting that the Kazakh 'revolution' coincided with the talks.",
                    set(),
                    None,
                ),
                ("revolution", {"nested"}, 0),
            ],
        ),
        (
            "\"Rahmon suggested a 'security belt' around Tajikistan,\" he said.",
            [
                ("Rahmon suggested a 'security belt' around Tajikistan,", set(), None),
                ("security belt", {"nested"}, 0),
            ],
        ),
    ],
)
def test_scan_apostrophes_are_not_quotes(text: str, expected: list[Expected]) -> None:
    spans, _ = _scan(text)
    assert _summary(text, spans) == expected


# --- nesting, stray and misplaced marks -----------------------------------------------------

LOST_CLOSE = (
    "“These structures are a link in the system, the expert believes. “Their operation "
    "began to fall apart.”"
)

REPAIR_CASES: list[tuple[str, list[Expected]]] = [
    (
        "“In other words, the Kremlin is a “regional destabilizing force.” On the contrary, "
        "it helped,” said Korybko.",
        [
            (
                "In other words, the Kremlin is a “regional destabilizing force.” On the contrary, "
                "it helped,",
                set(),
                None,
            ),
            ("regional destabilizing force.", {"nested"}, 0),
        ],
    ),
    (
        '"The main goal has become obvious - seizing power, "said the Kazakh leader.',
        [("The main goal has become obvious - seizing power,", {"repaired-close"}, None)],
    ),
    (
        '"Many terrorists have gathered on the border. "In order to overcome these tendencies, '
        'it is impossible," the Belarusian leader stressed.',
        [
            (
                'Many terrorists have gathered on the border. "In order to overcome these '
                "tendencies, it is impossible,",
                {"stray-mark"},
                None,
            )
        ],
    ),
    (
        "“Many terrorists have gathered on the border. “In order to overcome these tendencies, "
        "it is impossible,” the Belarusian leader stressed.",
        [
            (
                "Many terrorists have gathered on the border. “In order to overcome these "
                "tendencies, it is impossible,",
                {"stray-mark"},
                None,
            )
        ],
    ),
    (
        '"It was the same when they tried to impose a "dialogue with the opposition" on us, '
        'it\'s the same handwriting, "said the political scientist.',
        [
            (
                'It was the same when they tried to impose a "dialogue with the opposition" on us, '
                "it's the same handwriting,",
                {"repaired-close"},
                None,
            ),
            ("dialogue with the opposition", {"nested"}, 0),
        ],
    ),
    (
        LOST_CLOSE,
        [
            ("These structures are a link in the system,", {"repaired-close"}, None),
            ("Their operation began to fall apart.", set(), None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), REPAIR_CASES)
def test_scan_repairs_broken_marks(
    text: str, expected: list[Expected], attribution: re.Pattern[str]
) -> None:
    spans, _ = _scan(text, attribution)
    assert _summary(text, spans) == expected


def test_scan_same_mark_nesting_sets_parent_to_the_outer_index() -> None:
    text = (
        "“In other words, the Kremlin is a “regional destabilizing force.” On the contrary, "
        "it helped,” said Korybko."
    )
    spans, _ = _scan(text)
    assert len(spans) == 2
    outer, inner = spans
    assert inner.parent == spans.index(outer) == 0
    assert outer.parent is None
    assert outer.start < inner.start < inner.end < outer.end
    assert outer.close_mark == (text.rindex("”"), text.rindex("”") + 1)


def test_scan_misplaced_close_keeps_the_mark_as_close() -> None:
    text = '"The main goal has become obvious - seizing power, "said the Kazakh leader.'
    (span,), _ = _scan(text)
    mark = text.index(' "said') + 1
    assert span.close_mark == (mark, mark + 1)


def test_scan_stray_mark_warns_at_the_stray_offset() -> None:
    text = (
        '"Many terrorists have gathered on the border. "In order to overcome these tendencies, '
        'it is impossible," the Belarusian leader stressed.'
    )
    _, warnings = _scan(text)
    assert [offset for offset, _ in warnings] == [text.index('"In order')]


def test_scan_lost_close_before_attribution_warns_and_leaves_no_close_mark(
    attribution: re.Pattern[str],
) -> None:
    text = LOST_CLOSE
    spans, warnings = _scan(text, attribution)
    first, second = spans
    assert first.close_mark is None
    assert second.open_mark == (text.index("“Their"), text.index("“Their") + 1)
    assert [offset for offset, _ in warnings] == [first.end]


def test_scan_lost_close_is_not_repaired_without_an_attribution_pattern() -> None:
    text = LOST_CLOSE
    spans, _ = _scan(text, None)
    assert all("repaired-close" not in s.flags for s in spans)
    assert all(text[s.start:s.end] != "These structures are a link in the system," for s in spans)


# --- paragraphs -----------------------------------------------------------------------------


def test_scan_reopened_paragraph_continues_the_previous_span() -> None:
    text = '"First paragraph.\n\n"Second paragraph," she said.'
    spans, warnings = _scan(text)
    assert _summary(text, spans) == [
        ("First paragraph.", set(), None),
        ("Second paragraph,", set(), None),
    ]
    first, second = spans
    assert first.continues is None
    assert second.continues == 0
    assert first.close_mark is None
    assert second.close_mark == (text.index('," she') + 1, text.index('," she') + 2)
    assert warnings == []


def test_scan_reopened_paragraphs_chain_over_three_paragraphs() -> None:
    text = '"First paragraph.\n\n"Second paragraph.\n\n"Third paragraph," she said.'
    spans, _ = _scan(text)
    assert [text[s.start:s.end] for s in spans] == [
        "First paragraph.",
        "Second paragraph.",
        "Third paragraph,",
    ]
    assert [s.continues for s in spans] == [None, 0, 1]


def test_scan_continued_without_reopening_mark_is_one_span_with_parts() -> None:
    text = '"It is interesting.\n\nThe calculation is simple, "the analyst said.'
    spans, _ = _scan(text)
    assert len(spans) == 1
    (span,) = spans
    assert [text[a:b] for a, b in span.parts] == [
        "It is interesting.",
        "The calculation is simple,",
    ]
    assert text[span.start:span.end] == "It is interesting.\n\nThe calculation is simple,"
    assert span.flags == {"continued", "repaired-close"}
    assert span.continues is None


def test_scan_unclosed_quote_ends_with_its_paragraph_and_warns_at_the_open_mark() -> None:
    text = 'He said: "this never ends\n\nNext paragraph without marks.'
    spans, warnings = _scan(text)
    assert _summary(text, spans) == [("this never ends", {"unclosed"}, None)]
    assert spans[0].open_mark == (9, 10)
    assert spans[0].close_mark is None
    assert [offset for offset, _ in warnings] == [text.index('"')]


def test_scan_open_quote_followed_by_unquoted_paragraph_is_unclosed_not_continued() -> None:
    text = '"It is interesting.\n\nThe calculation is simple.'
    spans, _ = _scan(text)
    assert _summary(text, spans) == [("It is interesting.", {"unclosed"}, None)]


PARAGRAPH_CASES = [
    '"First paragraph.\n\n"Second paragraph," she said.',
    '"It is interesting.\n\nThe calculation is simple, "the analyst said.',
    'He said: "this never ends\n\nNext paragraph without marks.',
    'He said: "Hello there".\nShe said: "Goodbye".',
]


@pytest.mark.parametrize("lf_text", PARAGRAPH_CASES)
def test_scan_crlf_paragraphs_read_like_lf_ones(lf_text: str) -> None:
    crlf_text = lf_text.replace("\n", "\r\n")
    lf_spans, lf_warnings = _scan(lf_text)
    crlf_spans, crlf_warnings = _scan(crlf_text)

    def shape(text: str, spans: list[QuoteSpan]) -> list[tuple[Any, ...]]:
        return [([text[a:b] for a, b in s.parts], s.flags, s.parent, s.continues) for s in spans]

    assert shape(crlf_text, crlf_spans) == shape(lf_text, lf_spans)
    assert [m for _, m in crlf_warnings] == [m for _, m in lf_warnings]
    for s in crlf_spans:
        for a, b in s.parts:
            assert "\r" not in crlf_text[a:b] and "\n" not in crlf_text[a:b]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"First paragraph.\r\n\r\n"Second paragraph," she said.', [[(1, 17)], [(22, 39)]]),
        (
            '"It is interesting.\r\n\r\nThe calculation is simple, "the analyst said.',
            [[(1, 19), (23, 49)]],
        ),
        ('He said: "this never ends\r\n\r\nNext paragraph without marks.', [[(10, 25)]]),
    ],
)
def test_scan_crlf_offsets_index_the_crlf_text(
    text: str, expected: list[list[tuple[int, int]]]
) -> None:
    spans, _ = _scan(text)
    assert [s.parts for s in spans] == expected


# --- degenerate input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ('""""', []),
        ("“”", []),
        ('"', []),
        ("''", []),
        ("``", []),
        ("«»", []),
        ("„", []),
        ("'", []),
        ("’‘", []),
        ('\n\n"\n\n', []),
        ("\r\n", []),
        ('" "', []),
    ],
)
def test_scan_text_without_content_gives_no_span_and_never_raises(
    text: str, expected: list[QuoteSpan], attribution: re.Pattern[str]
) -> None:
    for pattern in (None, attribution):
        spans, _ = _scan(text, pattern)
        assert spans == expected


_PIECES = [
    '"', "“", "”", "„", "«", "»", "‹", "›", "'", "‘", "’", "``", "''",
    " ", "a", "word", ".", ",", "-", "\n", "\n\n", "\r\n", ", the expert said. ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=20).map("".join))
def test_scan_any_mix_of_marks_gives_well_formed_spans(text: str) -> None:
    attribution = _attribution_pattern() if "said" in text else None
    _scan(text, attribution)
