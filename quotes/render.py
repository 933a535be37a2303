"""An article as an HTML page with its quotes, speakers and cues highlighted.

This module owns the HTML view of one document's records. It is built on
spaCy's displaCy span visualiser: the text is tokenised with a blank English
pipeline (no model needed), every record's character spans are mapped to
token spans in ``doc.spans["quotes"]``, and displaCy renders them as
underlines with labels. The page also gets a title, a colour legend and a list
of the quotes with their speakers. Rendering never raises on a record set:
spans that do not fit the text are left out.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Iterator, Sequence
from functools import lru_cache

import spacy
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from quotes.records import Quote

SPANS_KEY = "quotes"
"""The ``doc.spans`` key the highlighted spans are stored under."""

CATEGORY_COLORS: dict[str, str] = {
    "direct": "#ffb347",
    "partial": "#ffe066",
    "indirect": "#9ecbff",
    "speaker": "#b8e986",
    "cue": "#e0b0ff",
}
"""The highlight colour of each kind of span: the quote kinds, speakers and cues."""

_LINE_MARK = "\u2029"
"""Stands for a line break while displaCy renders (it drops newlines otherwise).

It is whitespace, as a newline is, so tokenisation and offsets are unchanged.
"""

_DEFAULT_TITLE = "Quotes"
"""The page's ``<title>`` when no title is given."""


@lru_cache(maxsize=1)
def _blank_english() -> Language:
    """A blank English pipeline: a tokenizer only, loaded once."""
    return spacy.blank("en")


def _tokenize(text: str) -> Doc:
    """The text as a Doc, newlines replaced by :data:`_LINE_MARK` (same offsets).

    The tokenizer is called directly so that no length limit applies.
    """
    return _blank_english().tokenizer(text.replace("\n", _LINE_MARK))


def _quote_label(record: Quote) -> str:
    """``kind — speaker name [expert_id]``, or ``kind — unknown``."""
    speaker = record.speaker
    label = f"{record.kind} — {speaker.name if speaker and speaker.name else 'unknown'}"
    if speaker and speaker.expert_id:
        label += f" [{speaker.expert_id}]"
    return label


def _labelled_spans(record: Quote) -> Iterator[tuple[int, int, str, str]]:
    """The ``(start, end, label, category)`` spans a record highlights."""
    yield record.start, record.end, _quote_label(record), record.kind
    if record.speaker is not None:
        yield record.speaker.start, record.speaker.end, "speaker", "speaker"
    if record.cue is not None:
        yield record.cue.start, record.cue.end, "cue", "cue"


def _token_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    """The smallest token span covering ``[start, end)``, or None if it does not fit."""
    if not 0 <= start < end <= len(doc.text):
        return None
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def _highlight(doc: Doc, records: Sequence[Quote]) -> dict[str, str]:
    """Put the records' spans into ``doc.spans[SPANS_KEY]``; return the label colours.

    Labels are HTML-escaped here, as displaCy writes them into the page as they
    are. Identical spans (a speaker mention shared by several quotes) are kept
    once.
    """
    spans: list[Span] = []
    colors: dict[str, str] = {}
    seen: set[tuple[int, int, str]] = set()
    for record in records:
        for start, end, label, category in _labelled_spans(record):
            safe_label = html.escape(label)
            span = _token_span(doc, start, end, safe_label)
            if span is None or (span.start, span.end, safe_label) in seen:
                continue
            seen.add((span.start, span.end, safe_label))
            spans.append(span)
            colors[safe_label] = CATEGORY_COLORS[category]
    doc.spans[SPANS_KEY] = spans
    return colors


def _legend() -> str:
    """A line of colour chips naming each kind of span."""
    chips = "".join(
        f'<span style="background: {color}; padding: 2px 8px; margin-right: 8px; '
        f'border-radius: 3px; font-size: 0.8em">{html.escape(category)}</span>'
        for category, color in CATEGORY_COLORS.items()
    )
    return f'<p class="legend">{chips}</p>\n'


def _quote_item(record: Quote) -> str:
    """One ``<li>`` of the quote list: kind, speaker, expert id and text."""
    speaker = record.speaker
    who = (speaker.name or speaker.mention) if speaker else "unknown"
    if speaker and speaker.expert_id:
        who += f" [{speaker.expert_id}]"
    color = CATEGORY_COLORS[record.kind]
    return (
        f'<li><span style="background: {color}; padding: 0 4px">{html.escape(record.kind)}'
        f"</span> <b>{html.escape(who)}</b>: “{html.escape(record.text)}”"
        f" <small>[{record.start}:{record.end}]</small></li>"
    )


def _quote_list(records: Sequence[Quote]) -> str:
    """The quotes as an ordered list, in text order."""
    if not records:
        return '<section class="quotes"><h3>Quotes</h3><p>No quotes found.</p></section>\n'
    items = "\n".join(_quote_item(r) for r in sorted(records, key=lambda r: (r.start, r.end)))
    heading = f"<h3>Quotes ({len(records)})</h3>"
    return f'<section class="quotes">{heading}<ol>\n{items}\n</ol></section>\n'


def _finish_page(markup: str, records: Sequence[Quote], title: str | None) -> str:
    """Set the page title, restore line breaks and add the legend and quote list."""
    page_title = html.escape(title) if title else _DEFAULT_TITLE
    markup = markup.replace("<title>displaCy</title>", f"<title>{page_title}</title>", 1)
    markup = markup.replace(_LINE_MARK, "<br>")
    head, body_end, tail = markup.rpartition("</body>")
    if not body_end:
        return markup + _legend() + _quote_list(records)
    return head + _legend() + _quote_list(records) + body_end + tail


def render_html(text: str, records: Sequence[Quote], title: str | None = None) -> str:
    """The article as a standalone HTML page with its quotes highlighted.

    Each quote is underlined and labelled ``kind — speaker name [expert_id]``
    (``unknown`` when it has no resolved speaker); speaker mentions are
    labelled ``speaker`` and cues ``cue``. Overlapping and nested spans stack.

    Args:
        text: The document text the records' offsets index.
        records: The document's quote records (any set; spans that fall
            outside the text are left out).
        title: The page title, also shown as a heading.

    Returns:
        The HTML page.
    """
    doc = _tokenize(text)
    if title:
        doc.user_data["title"] = html.escape(title)
    colors = _highlight(doc, records)
    with warnings.catch_warnings():
        # displaCy warns (W117) when there is nothing to highlight; an empty page is fine.
        warnings.simplefilter("ignore")
        markup = displacy.render(
            doc,
            style="span",
            page=True,
            jupyter=False,
            options={"spans_key": SPANS_KEY, "colors": colors},
        )
    return _finish_page(markup, records, title)
