"""What produced a run's records: the quotes version, the pipeline, a hash of the rules.

`quotes extract` stamps every record it writes with a
:class:`~quotes.records.Provenance`, so records from many runs, shards or
machines can be told apart after they are put together.
"""

from __future__ import annotations

import hashlib
import json

from quotes.records import Provenance
from quotes.rules import FILES, Rules

HASH_DIGITS = 16
"""Hex digits of the rules hash kept (64 bits: enough to tell rule sets apart)."""


def rules_hash(rules: Rules) -> str:
    """``sha256:<hex>`` of the rules and expert registry, as loaded.

    The hash is of the validated rules, serialised the way a saved pipeline
    stores them (`QuoteExtractor.to_disk`), so it changes with what the rules
    say, not with where their files are or how they are spaced.
    """
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\n")
        for row in getattr(rules, name.removesuffix(".jsonl")):
            data = row.model_dump(mode="json", exclude_defaults=True)
            digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode() + b"\n")
    return f"sha256:{digest.hexdigest()[:HASH_DIGITS]}"


def run_provenance(pipeline: str, rules: Rules) -> Provenance:
    """The provenance of a run with this pipeline label and these rules."""
    from quotes import __version__

    return Provenance(quotes_version=__version__, pipeline=pipeline, rules_hash=rules_hash(rules))
