"""quotes: find every quotation in a news article, say who said it, link experts.

Library use::

    import quotes
    records = quotes.extract(text, doc_id="article-1")

    extractor = quotes.Extractor()          # loads the pipeline once
    for records in extractor.pipe((text, doc_id) for ...):
        ...

    frame = quotes.to_frame(quotes.read_records("out.parquet"))   # records as a DataFrame

Importing the package registers the spaCy factory `quote_extractor`.
"""

from __future__ import annotations

import logging

from .component import QuoteExtractor, make_quote_extractor
from .extractor import Extractor, ModelError, extract, load_model
from .recordfiles import read_records
from .records import Cue, Provenance, Quote, Speaker, json_schema
from .rules import Rules, RulesError, load_rules
from .sinks import to_frame

__all__ = [
    "Cue",
    "Extractor",
    "ModelError",
    "Provenance",
    "Quote",
    "QuoteExtractor",
    "Rules",
    "RulesError",
    "Speaker",
    "extract",
    "json_schema",
    "load_model",
    "load_rules",
    "make_quote_extractor",
    "read_records",
    "to_frame",
]
__version__ = "0.1.0"

# A library prints nothing unless its host configures logging.
logging.getLogger(__name__).addHandler(logging.NullHandler())
