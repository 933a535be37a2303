"""What researchers read: score tables, article pages and the corpus overview.

* :mod:`quotes.reports.scores` -- the plain-text table of an evaluation.
* :mod:`quotes.reports.page` -- one article as an HTML page, built from record
  offsets on the original text.
* :mod:`quotes.reports.corpus` -- the counts across a corpus: speakers,
  outlets, dates, quotes that travel between documents.
* :mod:`quotes.reports.charts` -- those counts as inline SVG charts (matplotlib).
* :mod:`quotes.reports.site` -- the index page and writing a directory of pages.

Records read back from files are `quotes.corpus.CorpusRecord` objects.

Every page is self-contained: styles, scripts, data and charts are inline, and
a Content-Security-Policy forbids loading anything else.
"""
