"""One article as a self-contained HTML page, built from record offsets on the original text.

This module owns the article page. The text is cut into paragraphs at the
scanner's paragraph breaks and into flat segments at every quote, speaker and
cue boundary, so every character of the input appears exactly once, as
written, and overlapping or nested spans never break the markup. Labels and
quote numbers are drawn by CSS in the margin, never inserted into the text, so
a paragraph's visible text (and a copy of it) is the article's words. The
legend, the filters, the details panel and the list of quotes come first; a
script (inline, like the styles and the records' data) links each quote to its
speaker mention, cue and continuation. Rendering never raises on a record set:
spans that do not fit the text are left out.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from quotes.corpus import CorpusRecord
from quotes.marks import PARAGRAPH_BREAK
from quotes.records import Quote

KIND_LABELS: dict[str, str] = {
    "direct": "direct quote",
    "partial": "partial quote",
    "indirect": "reported speech",
}
"""The quote kinds, in legend order, with their legend text."""

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
"""The page's Content-Security-Policy: nothing is loaded from anywhere, inline code only."""

LIST_TEXT = 160
"""Characters of a quote's text shown in the list of quotes."""


@cache
def asset(name: str) -> str:
    """A packaged stylesheet or script (``quotes/reports/assets/NAME``)."""
    return (files("quotes.reports") / "assets" / name).read_text(encoding="utf-8")


def head(title: str) -> str:
    """The ``<head>`` shared by every page: charset, the no-network policy, title and styles."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{asset('page.css')}</style>\n</head>\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each non-empty paragraph: text between paragraph breaks."""
    spans, start = [], 0
    for brk in PARAGRAPH_BREAK.finditer(text):
        if brk.start() > start:
            spans.append((start, brk.start()))
        start = brk.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def page_order(records: Sequence[Quote | CorpusRecord]) -> list[CorpusRecord]:
    """Records in the order of their article page: its quote numbers, ``#q0`` first."""
    return sorted((CorpusRecord.of(r) for r in records), key=lambda r: (r.start, -r.end, r.id))


def _fits(text: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text)


def _marks(text: str, records: Sequence[CorpusRecord]) -> list[tuple[int, int, str, int]]:
    """``(start, end, role, n)`` for every span to mark: role ``q`` (quote part), ``s`` or ``c``."""
    marks = []
    for n, record in enumerate(records):
        parts = record.parts or [(record.start, record.end)]
        marks += [(s, e, "q", n) for s, e in parts if _fits(text, s, e)]
        for role, span in (("s", record.speaker), ("c", record.cue)):
            if span is not None and _fits(text, span.start, span.end):
                marks.append((span.start, span.end, role, n))
    return marks


def _segments(text: str, records: Sequence[CorpusRecord]) -> Iterator[tuple[int, int, dict[str, list[int]]]]:
    """Flat pieces of each paragraph with the records each role covers them for.

    Yields ``(start, end, roles)`` where ``roles`` maps ``q``, ``s``, ``c`` to
    record numbers; a paragraph starts with ``(start, start, {"p": [end]})``.
    """
    marks = _marks(text, records)
    for p_start, p_end in paragraphs(text):
        yield p_start, p_start, {"p": [p_end]}
        inside = [m for m in marks if m[0] < p_end and m[1] > p_start]
        cuts = sorted({p_start, p_end, *(max(p_start, min(p_end, x)) for m in inside for x in m[:2])})
        for a, b in zip(cuts, cuts[1:]):
            roles: dict[str, list[int]] = {}
            for s, e, role, n in inside:
                if s <= a and b <= e:
                    roles.setdefault(role, []).append(n)
            yield a, b, roles


def _numbers(ns: list[int]) -> str:
    return " ".join(str(n) for n in ns)


def _article(text: str, records: Sequence[CorpusRecord]) -> str:
    """The article: one ``<p>`` a paragraph, one ``<span>`` a marked segment."""
    out: list[str] = []
    started: set[int] = set()
    for a, b, roles in _segments(text, records):
        if "p" in roles:
            out.append(("</p>\n" if out else "") + f'<p data-start="{a}" data-end="{roles["p"][0]}">')
            continue
        words = html.escape(text[a:b], quote=False)
        if not roles:
            out.append(words)
            continue
        attrs = {"data-" + role: _numbers(ns) for role, ns in roles.items()}
        classes = []
        if "q" in roles:
            inner = min(roles["q"], key=lambda n: records[n].end - records[n].start)
            attrs["data-k"] = records[inner].kind
            first = [n for n in roles["q"] if n not in started]
            if first:
                started.update(first)
                out += [f'<span id="q{n}"></span>' for n in first[1:]]  # anchors of quotes starting here too
                attrs["id"] = f"q{first[0]}"
                attrs["data-n"] = _numbers([n + 1 for n in first])
                attrs["tabindex"] = "0"
                classes.append("qs")
        classes += [name for role, name in (("s", "sp"), ("c", "cu")) if role in roles]
        if classes:
            attrs["class"] = " ".join(classes)
        attr_text = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
        out.append(f"<span{attr_text}>{words}</span>")
    if out:
        out.append("</p>")
    return '<article id="article">\n' + "".join(out) + "\n</article>\n"


def _who(record: CorpusRecord) -> str:
    speaker = record.speaker
    if speaker is None:
        return "no speaker"
    who = speaker.name or f"{speaker.mention} (unresolved)"
    return who + (f" [{speaker.expert_id}]" if speaker.expert_id else "")


def _clip(text: str, width: int = LIST_TEXT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _data(records: Sequence[CorpusRecord]) -> list[dict[str, Any]]:
    """What the script shows and filters by, one entry a record, in list order."""
    number = {r.id: n for n, r in enumerate(records)}
    rows = []
    for r in records:
        sp = r.speaker
        rows.append({
            "id": r.id, "kind": r.kind, "confidence": r.confidence, "rule": r.rule, "flags": r.flags,
            "speaker": sp.name if sp else None, "mention": sp.mention if sp else None,
            "expert": sp.expert_id if sp else None, "description": sp.description if sp else None,
            "key": r.speaker_group, "cue": f"{r.cue.text} ({r.cue.lemma})" if r.cue else None,
            "continues": number.get(r.continues or ""), "nested_in": number.get(r.nested_in or ""),
            **{k: getattr(r, k) for k in ("outlet", "date", "url") if getattr(r, k)},
        })
    return rows


def _json_script(element_id: str, data: Any) -> str:
    """Data for the script, in a ``<script type="application/json">`` that no text can close."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{payload}</script>\n'


def _legend() -> str:
    chips = "".join(f'<li><span class="chip" data-k="{k}"></span>{html.escape(label)}</li>'
                    for k, label in KIND_LABELS.items())
    chips += ('<li><span class="chip sp"></span>speaker mention</li>'
              '<li><span class="chip cu"></span>cue (reporting word)</li>')
    return f'<section id="legend"><h2>Legend</h2><ul class="legend">{chips}</ul></section>\n'


def _filters(records: Sequence[CorpusRecord]) -> str:
    kinds = "".join(f'<label><input type="checkbox" name="kind" value="{k}" checked> {k}</label> '
                    for k in KIND_LABELS)
    speakers: dict[str, str] = {}
    for r in records:
        if r.speaker_group and r.speaker_group not in speakers:
            speakers[r.speaker_group] = _who(r)
    options = "".join(f'<option value="{html.escape(key)}">{html.escape(label)}</option>'
                      for key, label in sorted(speakers.items(), key=lambda kv: kv[1].casefold()))
    return ('<section id="filters"><h2>Filters</h2>\n'
            f'<div class="kinds">{kinds}</div>\n'
            '<label>Speaker <select id="speaker-filter"><option value="">everyone</option>'
            f"{options}</select></label>\n"
            '<label>Confidence at least <input type="range" id="confidence-filter" min="0" max="1" '
            'step="0.05" value="0"> <output id="confidence-value">0.00</output></label>\n'
            '<p id="shown"></p></section>\n')


def _quote_list(records: Sequence[CorpusRecord]) -> str:
    if not records:
        return '<section id="quotes"><h2>Quotes (0)</h2><p>No quotes found.</p></section>\n'
    items = []
    for n, r in enumerate(records):
        items.append(
            f'<li id="item{n}" value="{n + 1}" data-n="{n}"><a href="#q{n}">'
            f'<span class="chip" data-k="{r.kind}"></span>'
            f'<b>{html.escape(_who(r))}</b> <small>{r.kind}, {r.confidence:.2f}</small><br>'
            f"“{html.escape(_clip(r.text))}”</a></li>")
    return (f'<section id="quotes"><h2>Quotes ({len(records)})</h2>\n<ol>\n'
            + "\n".join(items) + "\n</ol></section>\n")


def render_page(
    text: str,
    records: Sequence[Quote | CorpusRecord],
    title: str | None = None,
    index_href: str | None = None,
) -> str:
    """The article as a standalone, offline HTML page with its quotes marked.

    Args:
        text: The document text the records' offsets index.
        records: The document's records (any set: spans that fall outside the
            text are left out of the article, but still listed).
        title: The page title and heading.
        index_href: A link back to the corpus index, if any.

    Returns:
        The HTML page.
    """
    ordered = page_order(records)
    name = title or "Quotes"
    back = f'<a href="{html.escape(index_href)}">All documents</a> · ' if index_href else ""
    return "".join([
        head(name), "<body>\n",
        f'<header><h1>{html.escape(name)}</h1><p>{back}{len(ordered)} quotes, '
        f"{len(text):,} characters</p></header>\n",
        '<div class="layout">\n<aside id="side">\n', _legend(), _filters(ordered),
        '<section id="details" aria-live="polite"><h2>Selected quote</h2>'
        "<p>Point at or select a quote to see who said it.</p></section>\n",
        _quote_list(ordered), "</aside>\n<main>\n", _article(text, ordered), "</main>\n</div>\n",
        _json_script("quote-data", _data(ordered)),
        f"<script>{asset('page.js')}</script>\n</body>\n</html>\n",
    ])
