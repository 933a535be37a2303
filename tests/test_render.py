"""Tests for quotes.render: the article as an HTML page with its quotes highlighted."""

from __future__ import annotations

import html
import re
import warnings

from quotes.records import Cue, Kind, Quote, Speaker
from quotes.render import CATEGORY_COLORS, render_html

TEXT = (
    "Markets fell on Monday.\n\n"
    "“The era of cheap money is over,” said Anna Smith, an economist at the bank.\n\n"
    "She added that rates would rise."
)


def _between(text: str, before: str, after: str) -> tuple[int, int]:
    start = text.index(before) + len(before)
    return start, text.index(after, start)


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _quote(
    text: str,
    span: tuple[int, int],
    kind: Kind = "direct",
    speaker: Speaker | None = None,
    cue: Cue | None = None,
) -> Quote:
    start, end = span
    return Quote(
        id=f"doc#{start}-{end}",
        doc_id="doc",
        kind=kind,
        text=text[start:end],
        start=start,
        end=end,
        parts=[(start, end)],
        speaker=speaker,
        cue=cue,
        confidence=0.9,
        rule="test",
    )


def _records(text: str) -> list[Quote]:
    smith = Speaker(name="Anna Smith", mention="Anna Smith", start=_at(text, "Anna Smith")[0],
                    end=_at(text, "Anna Smith")[1], expert_id="smith")
    said = Cue(text="said", lemma="say", start=_at(text, "said")[0], end=_at(text, "said")[1])
    she = Speaker(name="Anna Smith", mention="She", start=_at(text, "She")[0],
                  end=_at(text, "She")[1], expert_id="smith")
    added = Cue(text="added", lemma="add", start=_at(text, "added")[0], end=_at(text, "added")[1])
    return [
        _quote(text, _between(text, "“", ",”"), "direct", smith, said),
        _quote(text, _between(text, "added that ", "."), "indirect", she, added),
    ]


def _labels(page: str) -> list[str]:
    """The span labels displaCy wrote into the page."""
    found = re.findall(r"line-height: 1; border-radius: 3px\">(.*?)</span>", page, flags=re.S)
    return [label.strip() for label in found]


def test_page_holds_quote_text_speaker_and_expert_id() -> None:
    page = render_html(TEXT, _records(TEXT), title="Markets")
    assert page.lstrip().startswith("<!DOCTYPE html>")
    assert "The era of cheap money is over" in page
    assert "rates would rise" in page
    assert "Anna Smith" in page
    assert "[smith]" in page


def test_spans_are_labelled_by_kind_speaker_and_cue() -> None:
    labels = _labels(render_html(TEXT, _records(TEXT)))
    assert "direct — Anna Smith [smith]" in labels
    assert "indirect — Anna Smith [smith]" in labels
    assert labels.count("speaker") == 2
    assert labels.count("cue") == 2


def test_each_kind_of_span_gets_its_colour() -> None:
    page = render_html(TEXT, _records(TEXT))
    for category in ("direct", "indirect", "speaker", "cue"):
        assert f"background: {CATEGORY_COLORS[category]}; top:" in page, category


def test_quote_without_speaker_is_labelled_unknown() -> None:
    record = _quote(TEXT, _between(TEXT, "“", ",”"), "partial")
    assert "partial — unknown" in _labels(render_html(TEXT, [record]))


def test_title_is_the_page_title_and_a_heading() -> None:
    page = render_html(TEXT, [], title="Rates <rise> & fall")
    assert "<title>Rates &lt;rise&gt; &amp; fall</title>" in page
    assert re.search(r"<h2[^>]*>Rates &lt;rise&gt; &amp; fall</h2>", page)


def test_empty_record_list_renders_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = render_html(TEXT, [])
    assert "Markets" in page and "economist" in page
    assert "No quotes found" in page
    assert "</html>" in page


def test_empty_text_renders() -> None:
    assert "</html>" in render_html("", [])


def test_crlf_text_keeps_offsets_and_line_breaks() -> None:
    text = TEXT.replace("\n", "\r\n")
    page = render_html(text, _records(text), title="CRLF")
    assert "direct — Anna Smith [smith]" in _labels(page)
    assert "The era of cheap money is over" in page
    assert page.count("<br>") >= 4


def test_line_breaks_become_br() -> None:
    page = render_html(TEXT, [])
    assert page.count("<br>") == 4
    assert "\u2029" not in page


def test_overlapping_nested_and_out_of_range_spans_never_raise() -> None:
    quote = _between(TEXT, "“", ",”")
    records = [
        *_records(TEXT),
        _quote(TEXT, (quote[0] + 4, quote[0] + 12), "partial"),  # nested
        _quote(TEXT, (quote[0] - 10, quote[1] + 20), "indirect"),  # overlapping
        _quote(TEXT, (3, 5), "partial"),  # inside a word: expands to the token
        _quote(TEXT, (0, 0), "partial"),  # empty
    ]
    outside = Quote(
        id="doc#9000-9010", doc_id="doc", kind="direct", text="", start=9000, end=9010,
        parts=[(9000, 9010)], confidence=0.5, rule="test",
        speaker=Speaker(name="X", mention="X", start=9999, end=10005),
        cue=Cue(text="said", lemma="say", start=5, end=2),
    )
    page = render_html(TEXT, [*records, outside])
    labels = _labels(page)
    assert labels.count("partial — unknown") == 2
    assert "direct — X" not in labels
    assert "</html>" in page


def test_markup_in_text_and_names_is_escaped() -> None:
    text = "<b>Bold</b> “Quote & more,” said <i>Eve</i>."
    speaker = Speaker(name="<i>Eve</i>", mention="<i>Eve</i>", start=_at(text, "<i>Eve</i>")[0],
                      end=_at(text, "<i>Eve</i>")[1])
    page = render_html(text, [_quote(text, _between(text, "“", ",”"), speaker=speaker)])
    assert "<b>Bold" not in page
    assert "<i>Eve" not in page
    assert html.escape("direct — <i>Eve</i>") in _labels(page)
    assert "Quote &amp; more" in page
