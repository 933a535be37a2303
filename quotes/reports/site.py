"""The corpus index page, and a directory of article pages with their index.

This module owns the file names of article pages (one per document, derived
from its ``doc_id``, never clashing with each other nor with ``index.html``),
the index page (the documents, then the corpus overview with its charts, every
entry linking to its article page), and :class:`SiteWriter`, which writes
pages as documents come and the index at the end.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from quotes.corpus import CorpusRecord
from quotes.records import Quote
from quotes.reports import charts
from quotes.reports.corpus import TOP_SPEAKERS, Document, Link, Overview, overview
from quotes.reports.page import head, page_order, render_page

INDEX = "index.html"
"""The index page's file name in a site directory."""

SPEAKER_LINKS = 8
"""Documents linked per speaker in the speakers table before the rest are counted."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class PageNames:
    """One file name per document id: ``001_article.html`` for ``001_article.txt``."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._taken = {INDEX.lower()}

    def __call__(self, doc_id: str) -> str:
        if doc_id not in self._names:
            stem = _UNSAFE.sub("_", re.sub(r"\.txt$", "", doc_id)).strip("._") or "document"
            name, n = f"{stem}.html", 1
            while name.lower() in self._taken:
                n += 1
                name = f"{stem}-{n}.html"
            self._taken.add(name.lower())
            self._names[doc_id] = name
        return self._names[doc_id]


def _a(link: Link, text: str) -> str:
    return f'<a href="{html.escape(link.anchor)}">{html.escape(text)}</a>'


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>\n"


def _documents(documents: Sequence[Document]) -> str:
    rows = []
    for doc in documents:
        kinds = [sum(r.kind == k for r in doc.records) for k in ("direct", "partial", "indirect")]
        cells = "".join(f'<td class="n">{n}</td>' for n in (len(doc.records), *kinds))
        rows.append(f'<tr><td><a href="{html.escape(doc.href)}">{html.escape(doc.doc_id)}</a></td>{cells}</tr>')
    return ('<h2>Documents</h2>\n<table id="documents"><tr><th>document</th><th>quotes</th><th>direct</th>'
            '<th>partial</th><th>indirect</th></tr>\n' + "\n".join(rows) + "\n</table>\n")


def _speakers(view: Overview) -> str:
    if not view.speakers:
        return "<h2>Most quoted</h2>\n<p>No quote has a speaker.</p>\n"
    top = view.speakers[:TOP_SPEAKERS]
    svg = charts.bar_chart([s.label for s in top], [len(s.links) for s in top], "quotes", "speakers")
    rows = []
    for s in view.speakers:
        docs = s.documents
        links = ", ".join(_a(link, link.doc_id) for link in docs[:SPEAKER_LINKS])
        if len(docs) > SPEAKER_LINKS:
            links += f" and {len(docs) - SPEAKER_LINKS} more"
        rows.append(f'<tr><td>{html.escape(s.label)}</td><td class="n">{len(s.links)}</td>'
                    f'<td class="n">{len(docs)}</td><td>{links}</td></tr>')
    return ("<h2>Most quoted speakers and experts</h2>\n"
            + _figure(svg, f"Quotes per speaker, the {len(top)} most quoted (experts with their id).")
            + '<table id="speakers"><tr><th>speaker</th><th>quotes</th><th>documents</th><th>where</th></tr>\n'
            + "\n".join(rows) + "\n</table>\n")


def _outlets(view: Overview) -> str:
    if not view.expert_outlets:
        return ""
    rows = dict(sorted(view.expert_outlets.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))
    svg = charts.stacked_bar_chart(rows, "expert quotes", "outlets")
    table = "".join(
        f"<tr><td>{html.escape(outlet)}</td><td>"
        + ", ".join(f"{html.escape(e)} ({n})" for e, n in counts.most_common()) + "</td></tr>"
        for outlet, counts in rows.items())
    return ("<h2>Experts by outlet</h2>\n" + _figure(svg, "Quotes of registered experts in each outlet.")
            + f'<table id="outlets">{table}</table>\n')


def _dates(view: Overview) -> str:
    if not view.dates:
        return ""
    svg = charts.time_chart(view.dates, "quotes", "dates")
    return "<h2>Quotes over time</h2>\n" + _figure(svg, "Quotes by the date of their document.")


def _travels(view: Overview) -> str:
    if not view.travels:
        return ""
    items = []
    for travel in view.travels:
        text = " ".join(travel.text.split())
        text = text if len(text) <= 200 else text[:199] + "…"
        where = ", ".join(_a(link, link.doc_id) for link in travel.links)
        items.append(f"<li>“{html.escape(text)}” <small>in {where}</small></li>")
    return ("<h2>Quotes that travel</h2>\n<p>The same quote in more than one document.</p>\n"
            '<ol id="travels">' + "\n".join(items) + "</ol>\n")


def render_index(documents: Sequence[Document], title: str = "Quotes", failures: Sequence[str] = ()) -> str:
    """The index page: the documents and the corpus overview, with charts.

    Args:
        documents: The documents, each with its page and its records in page order.
        title: The page title.
        failures: Documents that could not be read or extracted, named.

    Returns:
        The HTML page.

    Raises:
        charts.ChartsUnavailable: matplotlib is not installed.
    """
    view = overview(documents)
    kinds = ", ".join(f"{view.kinds.get(k, 0)} {k}" for k in ("direct", "partial", "indirect"))
    failed = ""
    if failures:
        failed = (f'<h2>Failed ({len(failures)})</h2>\n<ul id="failures">'
                  + "".join(f"<li>{html.escape(f)}</li>" for f in failures) + "</ul>\n")
    return "".join([
        head(title), "<body>\n",
        f"<header><h1>{html.escape(title)}</h1><p>{view.documents} documents, {view.quotes} quotes "
        f"({kinds})</p></header>\n",
        '<section class="overview">\n', failed, _documents(documents), _speakers(view), _outlets(view),
        _dates(view), _travels(view), "</section>\n</body>\n</html>\n",
    ])


class SiteWriter:
    """Writes one article page per document into a directory, then ``index.html``."""

    def __init__(self, directory: Path, title: str = "Quotes") -> None:
        charts.check_available()
        self.directory = directory
        self.title = title
        self.names = PageNames()
        self.documents: list[Document] = []
        self.failures: list[str] = []
        directory.mkdir(parents=True, exist_ok=True)

    def add(self, doc_id: str, text: str, records: Sequence[Quote | CorpusRecord]) -> Path:
        """Write a document's page; return its path."""
        name = self.names(doc_id)
        ordered = page_order(records)
        path = self.directory / name
        path.write_text(render_page(text, ordered, title=doc_id, index_href=INDEX), encoding="utf-8")
        self.documents.append(Document(doc_id, name, ordered))
        return path

    def close(self) -> Path:
        """Write the index page; return its path."""
        path = self.directory / INDEX
        path.write_text(render_index(self.documents, self.title, self.failures), encoding="utf-8")
        return path
