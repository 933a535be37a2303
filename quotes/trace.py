"""Where a quote travelled: the same quote across documents, and where it came first.

This module owns `trace`: it streams records (any file `quotes extract`
writes, read back as `CorpusRecord`s), groups them by `quote_key` (and, with
`near`, joins groups whose wording is near-identical, see `quotes.near`), and
for each group found in at least `min_documents` documents gives the text, the
speaker, how many records and which documents, and the `first` document: the
one with the earliest `date` where the records carry dates, else the first in
input order, with its `outlet` and `url` when they were kept. It also formats
the groups as a table, JSON or CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .corpus import CorpusRecord
from .keys import quote_words
from .near import THRESHOLD, near_groups

MIN_WORDS = 3
"""Quotes of fewer words are left out by default: a scare quote ("red line")
shared by a hundred articles is a phrase, not a quote that travelled."""

CSV_COLUMNS = ("quote_key", "text", "speaker", "speaker_key", "count", "documents", "first_doc_id",
               "first_date", "first_outlet", "first_url", "doc_ids")


@dataclass
class QuoteGroup:
    """Every record of one quote across a corpus."""

    quote_key: str
    text: str
    count: int = 0
    documents: list[str] = field(default_factory=list)
    speakers: Counter[tuple[str | None, str | None]] = field(default_factory=Counter)
    first: CorpusRecord | None = None
    keys: list[str] = field(default_factory=list)

    def add(self, record: CorpusRecord) -> None:
        """Count one record (a repeat inside a document counts, but not as a new document)."""
        self.count += 1
        doc_id = record.doc_id or ""
        if doc_id not in self._seen:
            self._seen.add(doc_id)
            self.documents.append(doc_id)
        if record.speaker_key:
            self.speakers[(record.speaker_key, record.speaker_name or record.expert_id)] += 1
        if self.first is None or _earlier(record, self.first):
            self.first = record

    def merge(self, other: QuoteGroup) -> None:
        """Take in a group of near-identical wording."""
        self.count += other.count
        for doc_id in other.documents:
            if doc_id not in self._seen:
                self._seen.add(doc_id)
                self.documents.append(doc_id)
        self.speakers.update(other.speakers)
        if other.first is not None and (self.first is None or _earlier(other.first, self.first)):
            self.first = other.first
        self.keys.extend(other.keys)

    def __post_init__(self) -> None:
        self._seen: set[str] = set(self.documents)
        self.keys = self.keys or [self.quote_key]

    @property
    def speaker(self) -> tuple[str | None, str | None]:
        """(speaker_key, name) of the speaker most records give; (None, None) if none."""
        return self.speakers.most_common(1)[0][0] if self.speakers else (None, None)

    def to_dict(self) -> dict[str, Any]:
        """The group as a JSON-ready dict."""
        key, name = self.speaker
        first = self.first
        out: dict[str, Any] = {
            "quote_key": self.quote_key,
            "text": self.text,
            "speaker": name,
            "speaker_key": key,
            "count": self.count,
            "documents": list(self.documents),
            "first": None if first is None else {
                "doc_id": first.doc_id, "id": first.id, "date": first.date,
                "outlet": first.outlet, "url": first.url,
            },
        }
        if len(self.keys) > 1:
            out["quote_keys"] = list(self.keys)
        return out


def _earlier(a: CorpusRecord, b: CorpusRecord) -> bool:
    """Whether `a` came before `b`: dated before undated, then by date, then by input order."""
    return _order(a) < _order(b)


def _order(r: CorpusRecord) -> tuple[bool, datetime, int]:
    return (r.when is None, r.when or datetime.min, r.order)


def trace(records: Iterable[CorpusRecord], *, near: bool = False, min_documents: int = 2,
          min_words: int = MIN_WORDS, threshold: float = THRESHOLD) -> list[QuoteGroup]:
    """Group records by quote across documents.

    Args:
        records: Records of any number of documents, in input order.
        near: Also join groups whose wording is near-identical (MinHash and
            Jaccard similarity of word pairs, at `threshold`).
        min_documents: Keep the groups found in at least this many documents.
        min_words: Leave out quotes of fewer words.

    Returns:
        The groups, found in most documents first, then by their first date
        and input order.
    """
    groups: dict[str, QuoteGroup] = {}
    for record in records:
        if len(quote_words(record.text).split()) < min_words:
            continue
        group = groups.get(record.quote_key)
        if group is None:
            group = groups[record.quote_key] = QuoteGroup(record.quote_key, record.text)
        group.add(record)
    merged = list(groups.values())
    if near and merged:
        roots = near_groups([quote_words(g.text) for g in merged], threshold)
        for i, root in enumerate(roots):
            if root != i:
                merged[root].merge(merged[i])
        merged = [g for i, g in enumerate(merged) if roots[i] == i]
    kept = [g for g in merged if len(g.documents) >= min_documents]
    kept.sort(key=lambda g: (-len(g.documents), -g.count, _order(g.first) if g.first else (True, datetime.min, 0)))
    return kept


# --- formatting -----------------------------------------------------------------------------


def format_groups(groups: Sequence[QuoteGroup], fmt: str = "table") -> str:
    """The groups as `table` (aligned text), `json` (an array of groups) or `csv`.

    Raises:
        ValueError: An unknown format.
    """
    if fmt == "json":
        return json.dumps([g.to_dict() for g in groups], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for g in groups:
            d = g.to_dict()
            first = d["first"] or {}
            writer.writerow([d["quote_key"], d["text"], d["speaker"] or "", d["speaker_key"] or "",
                             d["count"], len(d["documents"]), first.get("doc_id") or "",
                             first.get("date") or "", first.get("outlet") or "", first.get("url") or "",
                             ";".join(d["documents"])])
        return buffer.getvalue()
    if fmt == "table":
        return _table(groups)
    raise ValueError(f"unknown trace format {fmt!r}; use table, json or csv")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(groups: Sequence[QuoteGroup]) -> str:
    header = ["documents", "count", "first", "date", "outlet", "speaker", "text"]
    lines = [header]
    for g in groups:
        first = g.first
        lines.append([str(len(g.documents)), str(g.count), _clip(first.doc_id or "", 30) if first else "",
                      (first.date or "") if first else "", _clip(first.outlet or "", 20) if first else "",
                      _clip(g.speaker[1] or "-", 24), _clip(g.text, 60)])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = ["  ".join(c.rjust(w) if i < 2 else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths))).rstrip()
           for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"
