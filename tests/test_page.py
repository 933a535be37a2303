"""Tests for quotes.reports.page: the article page built from record offsets (no browser)."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from quotes.records import Cue, Kind, Quote, Speaker
from quotes.reports.page import CSP, page_order, paragraphs, render_page

TEXT = (
    "Markets fell on Monday , at 9 a.m.\n\n"
    "“The era of cheap money is over,” said Anna Smith, an economist at the bank.\n\n"
    "She added that rates would rise.\r\n  Indented   spaces\tand tabs."
)


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _quote(span: tuple[int, int], kind: Kind = "direct", speaker: Speaker | None = None,
           cue: Cue | None = None, text: str = TEXT, **extra: object) -> Quote:
    start, end = span
    return Quote(id=f"doc#{start}-{end}", doc_id="doc", kind=kind, text=text[start:end], start=start,
                 end=end, parts=[(start, end)], speaker=speaker, cue=cue, confidence=0.9, rule="test",
                 **extra)


def _records() -> list[Quote]:
    smith = Speaker(name="Anna Smith", mention="Anna Smith", start=_at(TEXT, "Anna Smith")[0],
                    end=_at(TEXT, "Anna Smith")[1], expert_id="smith", description="an economist")
    said = Cue(text="said", lemma="say", start=_at(TEXT, "said")[0], end=_at(TEXT, "said")[1])
    she = Speaker(name="Anna Smith", mention="She", start=_at(TEXT, "She")[0], end=_at(TEXT, "She")[1])
    added = Cue(text="added", lemma="add", start=_at(TEXT, "added")[0], end=_at(TEXT, "added")[1])
    return [
        _quote(_at(TEXT, "The era of cheap money is over,"), "direct", smith, said),
        _quote(_at(TEXT, "rates would rise"), "indirect", she, added),
    ]


class _Article(HTMLParser):
    """The text of each <p> in the <article>, and any element that is not a span."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.tags: set[str] = set()
        self.depth = 0
        self.in_p = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth = 1
        elif self.depth:
            self.tags.add(tag)
            if tag == "p":
                self.paragraphs.append("")
                self.in_p = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth = 0
        self.in_p = self.in_p and tag != "p"

    def handle_data(self, data: str) -> None:
        if self.depth and self.in_p:
            self.paragraphs[-1] += data


def _article(page: str) -> _Article:
    parser = _Article()
    parser.feed(page)
    return parser


def test_paragraphs_are_the_text_between_breaks() -> None:
    assert [TEXT[s:e] for s, e in paragraphs(TEXT)] == [
        "Markets fell on Monday , at 9 a.m.",
        "“The era of cheap money is over,” said Anna Smith, an economist at the bank.",
        "She added that rates would rise.",
        "  Indented   spaces\tand tabs.",
    ]


def test_article_holds_every_paragraph_as_written() -> None:
    parsed = _article(render_page(TEXT, _records()))
    assert parsed.paragraphs == [TEXT[s:e] for s, e in paragraphs(TEXT)]
    assert parsed.tags <= {"p", "span"}


def test_quote_speaker_and_cue_are_marked_on_their_offsets() -> None:
    page = render_page(TEXT, _records())
    assert '<span data-q="0" data-k="direct" id="q0" data-n="1" tabindex="0" class="qs">' \
           "The era of cheap money is over,</span>" in page
    assert '<span data-s="0" class="sp">Anna Smith</span>' in page
    assert '<span data-c="0" class="cu">said</span>' in page
    assert '<span data-q="1" data-k="indirect" id="q1"' in page
    assert '<span data-s="1" class="sp">She</span>' in page


def test_overlapping_and_nested_quotes_make_flat_segments() -> None:
    outer = _at(TEXT, "The era of cheap money is over,")
    inner = _at(TEXT, "cheap money")
    across = (outer[1] - 5, outer[1] + 10)  # overlaps the end of the outer quote
    page = render_page(TEXT, [_quote(outer), _quote(inner, "partial"), _quote(across, "indirect")])
    assert '<span data-q="0 1" data-k="partial" id="q1" data-n="2" tabindex="0" class="qs">cheap money' in page
    assert _article(page).paragraphs == [TEXT[s:e] for s, e in paragraphs(TEXT)]
    assert "<span data-q=\"0 2\" data-k=\"indirect\"" in page


def test_quote_over_paragraphs_is_marked_in_each_part() -> None:
    first, second = _at(TEXT, "rates would rise."), _at(TEXT, "Indented")
    record = Quote(id="doc#x", doc_id="doc", kind="direct", text="x", start=first[0], end=second[1],
                   parts=[first, second], confidence=0.5, rule="test", flags=["continued"])
    page = render_page(TEXT, [record])
    assert page.count('data-q="0"') == 2
    assert _article(page).paragraphs == [TEXT[s:e] for s, e in paragraphs(TEXT)]


def test_spans_outside_the_text_are_left_out_but_listed() -> None:
    bad = Quote(id="doc#900-910", doc_id="doc", kind="direct", text="", start=900, end=910,
                parts=[(900, 910)], confidence=0.5, rule="test",
                speaker=Speaker(name="X", mention="X", start=9999, end=10005),
                cue=Cue(text="said", lemma="say", start=5, end=2))
    page = render_page(TEXT, [bad, _quote((3, 3), "partial")])
    assert "<span" not in page.split('<article id="article">')[1].split("</article>")[0]
    assert "Quotes (2)" in page
    assert _article(page).paragraphs == [TEXT[s:e] for s, e in paragraphs(TEXT)]


def test_markup_in_text_and_names_is_escaped() -> None:
    text = "<b>Bold</b> “Quote & more,” said <i>Eve</i>."
    eve = Speaker(name="<i>Eve</i>", mention="<i>Eve</i>", start=_at(text, "<i>Eve</i>")[0],
                  end=_at(text, "<i>Eve</i>")[1])
    page = render_page(text, [_quote(_at(text, "Quote & more,"), speaker=eve, text=text)],
                       title="<script>x</script>")
    assert "<b>Bold" not in page and "<i>Eve" not in page and "<script>x" not in page
    assert _article(page).paragraphs == [text]


def test_data_for_the_script_cannot_close_its_element() -> None:
    text = "“</script><script>alert(1)</script>,” she said."
    page = render_page(text, [_quote((1, len(text) - 11), text=text)])
    payload = re.search(r'<script type="application/json" id="quote-data">(.*?)</script>', page, re.S)
    assert payload is not None
    assert json.loads(payload.group(1))[0]["id"] == f"doc#1-{len(text) - 11}"


def test_details_data_carry_speaker_cue_rule_flags_and_links() -> None:
    first = _quote(_at(TEXT, "The era of cheap money is over,"), speaker=_records()[0].speaker,
                   cue=_records()[0].cue, flags=["repaired-close"])
    second = _quote(_at(TEXT, "rates would rise"), "indirect", continues=first.id)
    page = render_page(TEXT, [second, first])
    data = json.loads(html.unescape(re.search(r'id="quote-data">(.*?)</script>', page, re.S).group(1)))
    assert data[0] | {"speaker": "Anna Smith", "expert": "smith", "description": "an economist",
                      "cue": "said (say)", "rule": "test", "flags": ["repaired-close"],
                      "confidence": 0.9, "key": "smith"} == data[0]
    assert data[1]["continues"] == 0


def test_page_loads_nothing_from_anywhere() -> None:
    page = render_page(TEXT, _records(), title="Markets")
    assert f'content="{CSP}"' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_list_and_legend_come_before_the_article() -> None:
    page = render_page(TEXT, _records())
    order = [page.index(marker) for marker in ('id="legend"', 'id="filters"', 'id="quotes"', "<article")]
    assert order == sorted(order)
    assert '<a href="#q0">' in page and '<a href="#q1">' in page


def test_page_order_is_text_order_outer_first() -> None:
    outer, inner = _at(TEXT, "The era of cheap money is over,"), _at(TEXT, "The era")
    later = _at(TEXT, "rates")
    ordered = page_order([_quote(later), _quote(inner), _quote(outer)])
    assert [(r.start, r.end) for r in ordered] == [outer, inner, later]


def test_empty_text_and_no_records_render() -> None:
    page = render_page("", [])
    assert "No quotes found" in page and page.rstrip().endswith("</html>")
    assert _article(page).paragraphs == []
