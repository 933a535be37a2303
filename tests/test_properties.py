"""Property tests: whatever the text, nothing crashes and every offset indexes the input.

Two levels:

* the quotation-mark scanner (`quotes.marks.scan`), fast and without a model:
  random Unicode, random mixtures of quotation marks, apostrophes, words and
  line breaks (several thousand texts per run);
* the whole extractor (`Extractor.pipe`, model loaded once per session,
  marked `slow`): random short texts and mutations of the seed articles
  (marks deleted, doubled or swapped, paragraphs cut and joined, CRLF line
  endings), pushed through `pipe` in batches (a few hundred texts per run).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.marks import QuoteSpan, scan
from quotes.rules import load_rules

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]

# QUOTES_PROPERTY_SCALE=10 runs ten times the examples (a bug hunt, not for CI).
SCALE = float(os.environ.get("QUOTES_PROPERTY_SCALE", "1"))


def examples(n: int) -> settings:
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SCANNER_FAILED = "quotation-mark scanner failed"

# --------------------------------------------------------------------------- strategies

QUOTE_MARKS = ['"', "“", "”", "‘", "’", "'", "«", "»", "„", "‹", "›", "''", "``", "‚", "‛", "＂"]
APOSTROPHE_WORDS = ["it's", "Kazakhstan's", "Russians'", "don't", "’90s", "rock ’n’ roll",
                    "o'clock"]
WORDS = ["said", "the", "expert", "believes", "Putin", "Lavrov", "stressed", "noted", "Yes",
         "no", "a", "war", "is", "over", "according", "to", "he", "she", "told", "reporters",
         "Escobar", "political", "analyst", "Alma-Ata", "CSTO", "Мир", "война", "世界"]
PUNCTUATION = [",", ".", "!", "?", ":", ";", "—", "–", "-", "(", ")", "…", "[", "]", "/"]
BREAKS = ["\n", "\r\n", "\n\n", "\r\n\r\n", "\r", "\u2028", "\u2029", "\x85", "\n \n", "\x0c"]
SPACES = [" ", " ", " ", "  ", "\t", "\u00a0"]

token = st.one_of(
    st.sampled_from(QUOTE_MARKS),
    st.sampled_from(APOSTROPHE_WORDS),
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(BREAKS),
    st.sampled_from(SPACES),
    st.sampled_from(SPACES),
    st.text(max_size=4),
)
# Tokens glued without separators: marks lean on words, on punctuation, on
# other marks and on line breaks in every combination.
news_like = st.lists(token, max_size=80).map("".join)
# Longer ones, for the extractor (the parser sees sentences, not crumbs).
news_like_long = st.lists(st.one_of(token, st.sampled_from(WORDS), st.just(" ")),
                          min_size=20, max_size=150).map("".join)
# Plain random Unicode, including surrogates-free control characters.
any_unicode = st.text(max_size=200)
# What a hostile or broken input holds: lone surrogates (a JSON "\ud800"
# escape decodes to one), control characters, NUL included, and long runs of
# marks or punctuation without a space, in between ordinary tokens.
hostile_piece = st.one_of(
    st.characters(categories=["Cs"]),
    st.characters(categories=["Cc"]),
    st.builds(lambda mark, n: mark * n, st.sampled_from(QUOTE_MARKS + PUNCTUATION),
              st.integers(17, 2000)),
    st.builds(lambda chars: "".join(chars) * 60,
              st.lists(st.sampled_from(QUOTE_MARKS + PUNCTUATION), min_size=1, max_size=5)),
)
hostile = st.lists(st.one_of(token, st.sampled_from(WORDS), st.just(" "), hostile_piece),
                   min_size=1, max_size=30).map("".join)
# Random Unicode with quotation marks and line breaks sprinkled in.
marks_only = st.lists(st.sampled_from(QUOTE_MARKS + BREAKS + [" ", "a", "b", ".", ","]),
                      max_size=60).map("".join)


@st.composite
def seed_slices(draw: st.DrawFn) -> str:
    """A stretch of a seed article, with marks substituted by random ones."""
    text = draw(st.sampled_from(SEED_TEXTS))
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 1500)))
    piece = text[start:end]
    swap = draw(st.dictionaries(st.sampled_from(["“", "”", '"', "’", "\n"]),
                                st.sampled_from(QUOTE_MARKS + BREAKS + [""]), max_size=3))
    return piece.translate(str.maketrans({k: v for k, v in swap.items()}))


# --------------------------------------------------------------------------- checks


def _key(span: QuoteSpan) -> tuple:
    return (span.start, span.end, span.open_mark, span.close_mark, tuple(span.parts),
            tuple(sorted(span.flags)), span.parent, span.continues)


def check_scan(text: str, attribution: re.Pattern[str] | None = None) -> list[QuoteSpan]:
    """Scan `text` and check every invariant of the result."""
    spans, warnings = scan(text, attribution)
    assert (0, SCANNER_FAILED) not in warnings, "the scanner raised internally (see the log)"
    n = len(text)
    for i, s in enumerate(spans):
        assert 0 <= s.start < s.end <= n, (i, s)
        assert s.parts, (i, s)
        assert s.parts[0][0] == s.start and s.parts[-1][1] == s.end, (i, s)
        previous_end = s.start
        for a, b in s.parts:
            assert s.start <= a < b <= s.end, (i, s)
            assert a >= previous_end, ("parts overlap or go backwards", i, s)
            previous_end = b
        assert not text[s.start].isspace() and not text[s.end - 1].isspace(), (i, s)
        for mark in (s.open_mark, s.close_mark):
            if mark is not None:
                assert 0 <= mark[0] < mark[1] <= n, (i, s)
        assert 0 <= s.outer_start <= s.start and s.end <= s.outer_end <= n, (i, s)
        if s.parent is not None:
            assert 0 <= s.parent < len(spans) and s.parent != i, (i, s)
            p = spans[s.parent]
            assert p.start <= s.start and s.end <= p.end, (i, s, p)
            assert "nested" in s.flags
        if s.continues is not None:
            assert 0 <= s.continues < len(spans) and s.continues != i, (i, s)
            assert spans[s.continues].end <= s.start, (i, s, spans[s.continues])
    for offset, message in warnings:
        assert 0 <= offset <= n and isinstance(message, str)
    assert [(s.start, -s.end) for s in spans] == sorted((s.start, -s.end) for s in spans)
    # Deterministic: the same text gives the same spans and warnings.
    again, warnings_again = scan(text, attribution)
    assert [_key(s) for s in again] == [_key(s) for s in spans]
    assert warnings_again == warnings
    return spans


_ATTRIBUTION = load_rules().attribution_pattern()

# --------------------------------------------------------------------------- scanner



@examples(1200)
@given(news_like)
def test_scan_news_like_mixtures(text: str) -> None:
    check_scan(text)
    check_scan(text, _ATTRIBUTION)


@examples(800)
@given(any_unicode)
def test_scan_random_unicode(text: str) -> None:
    check_scan(text)


@examples(150)
@given(hostile)
def test_scan_hostile_text(text: str) -> None:
    check_scan(text, _ATTRIBUTION)


@examples(800)
@given(marks_only)
def test_scan_marks_and_breaks_only(text: str) -> None:
    check_scan(text, _ATTRIBUTION)


@examples(300)
@given(seed_slices())
def test_scan_seed_slices_with_swapped_marks(text: str) -> None:
    check_scan(text, _ATTRIBUTION)


@examples(200)
@given(news_like, st.sampled_from(["\r\n", "\r", "\u2028"]))
def test_scan_line_endings_do_not_change_the_quotes(text: str, newline: str) -> None:
    """Other line endings move offsets but find the same quoted words."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(b in text for b in ("\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c", "\x1d", "\x1e")):
        return
    converted = text.replace("\n", newline)

    def words(t: str) -> list[str]:
        return [re.sub(r"\s+", " ", t[s.start:s.end]) for s in check_scan(t, _ATTRIBUTION)]

    assert words(converted) == words(text)


# --------------------------------------------------------------------------- end to end

MARK_SWAPS = {"“": "”", "”": "“", '"': "“", "‘": "’", "’": "‘", "«": "»", "»": "«", "„": "“"}
MARK_CHARS = re.compile(r"[\"“”‘’'«»„‹›]")


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    """One to four consecutive paragraphs of a seed article, damaged the ways
    scraped news is: marks deleted, doubled or swapped, paragraphs cut,
    joined and split, blank lines, straightened quotes, CRLF line endings."""
    paragraphs = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    first = draw(st.integers(0, len(paragraphs) - 1))
    text = "\n".join(paragraphs[first:first + draw(st.integers(1, 4))])
    rng = draw(st.randoms(use_true_random=False))
    ops = draw(st.lists(st.sampled_from(["delete", "double", "swap", "random-mark", "cut-start",
                                         "cut-end", "join", "split", "blank", "straighten"]),
                        max_size=6))
    for op in ops:
        marks = [m.start() for m in MARK_CHARS.finditer(text)]
        breaks = [m.start() for m in re.finditer("\n", text)]
        if op in ("delete", "double", "swap", "random-mark") and marks:
            i = rng.choice(marks)
            replacement = {"delete": "", "double": text[i] * 2,
                           "swap": MARK_SWAPS.get(text[i], "“"),
                           "random-mark": rng.choice(QUOTE_MARKS)}[op]
            text = text[:i] + replacement + text[i + 1:]
        elif op == "cut-start" and text:
            text = text[rng.randrange(len(text)):]
        elif op == "cut-end" and text:
            text = text[:rng.randrange(len(text) + 1)]
        elif op in ("join", "blank") and breaks:
            i = rng.choice(breaks)
            glue = rng.choice([" ", ""] if op == "join" else ["\n\n", "\n \n"])
            text = text[:i] + glue + text[i + 1:]
        elif op == "split" and text:
            i = rng.randrange(len(text) + 1)
            text = text[:i] + "\n" + text[i:]
        elif op == "straighten":
            text = re.sub("[“”„«»]", '"', text)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


def check_records(extractor, texts: list[str]) -> list[list]:  # noqa: ANN001
    """Extract `texts` in one `pipe_docs` batch and check every record."""
    items = [(text, f"doc{i}") for i, text in enumerate(texts)]
    results = list(extractor.pipe_docs(items, batch_size=8))
    assert [ctx for _, ctx in results] == [doc_id for _, doc_id in items]
    out = []
    for text, (records, doc_id) in zip(texts, results):
        assert records is not None, f"extraction failed (see the log) on {text!r}"
        n = len(text)
        ids = {r.id for r in records}
        for r in records:
            assert 0 <= r.start < r.end <= n, (text, r)
            assert text[r.start:r.end] == r.text, (text, r)
            assert r.doc_id == doc_id and r.id == f"{doc_id}#{r.start}-{r.end}", r
            for a, b in r.parts:
                assert 0 <= a < b <= n and r.start <= a and b <= r.end, (text, r)
            if r.speaker is not None:
                s = r.speaker
                assert 0 <= s.start < s.end <= n and text[s.start:s.end] == s.mention, (text, r)
            if r.cue is not None:
                c = r.cue
                assert 0 <= c.start < c.end <= n and text[c.start:c.end] == c.text, (text, r)
            for ref in (r.continues, r.nested_in):
                assert ref is None or ref in ids, (text, r)
        assert [r.start for r in records] == sorted(r.start for r in records), text
        out.append([r.model_dump() for r in records])
    return out


def check_deterministic(extractor, texts: list[str]) -> None:  # noqa: ANN001
    """The same texts give the same records, also in another order and batch."""
    named = ("id", "doc_id", "continues", "nested_in")  # doc{i} is now doc{len - 1 - i}

    def unnamed(rows: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k not in named} for r in rows]

    first = check_records(extractor, texts)
    again = check_records(extractor, texts[::-1])[::-1]
    for text, a, b in zip(texts, first, again):
        assert unnamed(a) == unnamed(b), text


@pytest.mark.slow
@examples(60)
@given(st.lists(news_like_long, min_size=1, max_size=12))
def test_extract_random_texts(extractor, texts: list[str]) -> None:  # noqa: ANN001
    check_records(extractor, texts)


@pytest.mark.slow
@examples(60)
@given(st.lists(mutated_seed(), min_size=1, max_size=8))
def test_extract_mutated_seeds(extractor, texts: list[str]) -> None:  # noqa: ANN001
    check_deterministic(extractor, texts)


@pytest.mark.slow
@examples(30)
@given(st.lists(st.one_of(st.text(min_size=20, max_size=300), marks_only, seed_slices()),
                min_size=1, max_size=10))
def test_extract_random_unicode_and_marks(extractor, texts: list[str]) -> None:  # noqa: ANN001
    check_records(extractor, texts)


@pytest.mark.slow
@examples(30)
@given(st.lists(hostile, min_size=1, max_size=6))
def test_extract_hostile_texts(extractor, texts: list[str]) -> None:  # noqa: ANN001
    check_records(extractor, texts)
