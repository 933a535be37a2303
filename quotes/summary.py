"""Who is quoted, how often and where: the speaker table across a corpus.

This module owns the corpus-level summary of quote records: grouping records by
speaker (registered experts by expert id, other speakers by `speaker_key`, so
spellings of one name count together), counting quotes, documents, outlets and
kinds per speaker in one streaming pass, optionally their key terms
(`quotes.terms`), and formatting the rows as a plain-text table, JSON or CSV.
Records are `Quote`s or records read back from files (`CorpusRecord`).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from quotes.corpus import CorpusRecord
from quotes.records import Kind, Quote

KINDS: tuple[Kind, ...] = ("direct", "partial", "indirect")
"""The quote kinds, in column order."""

RowFormat = Literal["table", "json", "csv"]

CSV_COLUMNS: tuple[str, ...] = (
    "key",
    "name",
    "expert_id",
    "quotes",
    "documents",
    *KINDS,
    "doc_ids",
    "outlets",
    "terms",
)
"""The header of the CSV output, in column order."""

_MAX_DOC_IDS = 3
"""Document ids listed in a table cell before the rest are summarised."""

_MAX_DOC_CELL = 60
"""Characters of the table's doc_ids cell."""

_GroupKey = tuple[Literal["expert", "name"], str]


@dataclass(frozen=True)
class SpeakerRow:
    """One speaker's line in the summary.

    Attributes:
        key: The expert id for a registered expert, else the speaker_key.
        name: The name to show: the registry's display name for an expert,
            else the spelling of the name the records give most often.
        expert_id: The expert id, or None for a speaker outside the registry.
        quotes: The number of records attributed to the speaker.
        documents: The number of distinct documents those records come from.
        doc_ids: Those documents' ids, sorted (a record without a doc id
            counts as the document ``""``).
        kinds: The number of records of each kind (every kind present, zeros
            included).
        outlets: The outlets of those documents, sorted (records that carry one).
        terms: Key terms of the speaker's quotes, when asked for.
    """

    key: str
    name: str
    expert_id: str | None
    quotes: int
    documents: int
    doc_ids: list[str]
    kinds: dict[str, int]
    outlets: list[str] = field(default_factory=list)
    terms: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row as a JSON-ready dict."""
        return {
            "key": self.key,
            "name": self.name,
            "expert_id": self.expert_id,
            "quotes": self.quotes,
            "documents": self.documents,
            "doc_ids": list(self.doc_ids),
            "kinds": dict(self.kinds),
            "outlets": list(self.outlets),
            **({} if self.terms is None else {"terms": list(self.terms)}),
        }


@dataclass
class _Counts:
    """The running counts for one speaker while records stream past."""

    name: str
    quotes: int = 0
    doc_ids: set[str] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)
    outlets: set[str] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)
    texts: dict[str, str] | None = None  # quote_key -> text, kept for key terms

    def add(self, record: CorpusRecord) -> None:
        """Count one record."""
        self.quotes += 1
        self.doc_ids.add(record.doc_id or "")
        self.kinds[record.kind] += 1
        if record.outlet:
            self.outlets.add(record.outlet)
        if record.speaker_name:
            self.names[record.speaker_name] += 1
        if self.texts is not None and len(self.texts) < _MAX_TEXTS:
            self.texts.setdefault(record.quote_key, record.text)


_MAX_TEXTS = 2000
"""Distinct quotes kept per speaker for key terms (the first ones)."""


def _group_key(record: CorpusRecord, all_speakers: bool) -> _GroupKey | None:
    """The group a record is counted in, or None when it is not counted."""
    if record.expert_id:
        return ("expert", record.expert_id)
    if all_speakers and record.speaker_name and record.speaker_key:
        return ("name", record.speaker_key)
    return None


def _display_name(key: _GroupKey, record: CorpusRecord, experts: Mapping[str, str]) -> str:
    """The name a new group is shown under (a speaker's most frequent spelling replaces it)."""
    kind, value = key
    if kind == "expert":
        return experts.get(value) or record.speaker_name or value
    return record.speaker_name or value


def _row(key: _GroupKey, counts: _Counts, terms: bool = False) -> SpeakerRow:
    """Freeze one group's counts into a row."""
    from quotes.terms import key_terms

    kind, value = key
    name = counts.name
    if kind == "name" and counts.names:
        name = min(counts.names.items(), key=lambda item: (-item[1], item[0]))[0]
    return SpeakerRow(
        key=value,
        name=name,
        expert_id=value if kind == "expert" else None,
        quotes=counts.quotes,
        documents=len(counts.doc_ids),
        doc_ids=sorted(counts.doc_ids),
        kinds={k: counts.kinds.get(k, 0) for k in KINDS},
        outlets=sorted(counts.outlets),
        terms=key_terms(list((counts.texts or {}).values())) if terms else None,
    )


def _sort_key(row: SpeakerRow) -> tuple[int, str, bool, str]:
    """Most quoted first, then by name, then experts before others, then by key."""
    return (-row.quotes, row.name.casefold(), row.expert_id is None, row.key)


def summarize(
    records: Iterable[Quote | CorpusRecord], experts: Mapping[str, str], all_speakers: bool = False,
    terms: bool = False,
) -> list[SpeakerRow]:
    """Count who is quoted, how often and in which documents.

    Records are read once and not kept; only per-speaker counters are.

    Args:
        records: Quote records from any number of documents.
        experts: The expert registry: expert id -> display name. Every
            registered expert gets a row, with zeros when never quoted.
        all_speakers: Also give a row to every resolved speaker outside the
            registry, keyed by ``speaker_key`` (spellings of one name
            together). Records with no speaker, or (outside the registry) no
            resolved name, are never counted.
        terms: Also give each row the key terms of the speaker's quotes.

    Returns:
        The rows, most quoted first, then by name.
    """
    def new(name: str) -> _Counts:
        return _Counts(name=name, texts={} if terms else None)

    groups: dict[_GroupKey, _Counts] = {
        ("expert", expert_id): new(name or expert_id) for expert_id, name in experts.items()
    }
    for record in records:
        if isinstance(record, Quote):
            record = CorpusRecord.of(record)
        key = _group_key(record, all_speakers)
        if key is None:
            continue
        if key not in groups:
            groups[key] = new(_display_name(key, record, experts))
        groups[key].add(record)
    return sorted((_row(key, counts, terms) for key, counts in groups.items()), key=_sort_key)


# --- formatting -----------------------------------------------------------------------------


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _doc_cell(doc_ids: Sequence[str]) -> str:
    """The doc_ids cell of the table: the first ids that fit, then how many more.

    At most :data:`_MAX_DOC_IDS` ids are listed, in about :data:`_MAX_DOC_CELL`
    characters; the rest are summarised as ``… (+N)``.
    """
    shown: list[str] = []
    width = 0
    for doc_id in doc_ids[:_MAX_DOC_IDS]:
        piece = _clip(doc_id, _MAX_DOC_CELL)
        added = len(piece) + (2 if shown else 0)
        if shown and width + added > _MAX_DOC_CELL:
            break
        shown.append(piece)
        width += added
    rest = len(doc_ids) - len(shown)
    cell = ", ".join(shown)
    return f"{cell}, … (+{rest})" if rest else cell


def _table_cells(row: SpeakerRow, terms: bool) -> list[str]:
    """The cells of one table line."""
    return [
        row.name,
        row.expert_id or "-",
        str(row.quotes),
        str(row.documents),
        str(len(row.outlets)),
        _doc_cell(row.doc_ids),
        *([_clip(", ".join(row.terms or []), _MAX_DOC_CELL)] if terms else []),
    ]


def _format_table(rows: Sequence[SpeakerRow]) -> str:
    """Aligned plain-text columns: text left-aligned, numbers right-aligned."""
    terms = any(row.terms is not None for row in rows)
    header = ["name", "expert_id", "quotes", "documents", "outlets", "doc_ids", *(["terms"] if terms else [])]
    numeric = [False, False, True, True, True, False, False]
    lines = [header, *(_table_cells(row, terms) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def render(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if is_number else cell.ljust(width)
            for cell, width, is_number in zip(cells, widths, numeric)
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(header), rule, *(render(line) for line in lines[1:])]) + "\n"


def _format_json(rows: Sequence[SpeakerRow]) -> str:
    """A JSON array of row dicts."""
    return json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=2) + "\n"


def _format_csv(rows: Sequence[SpeakerRow]) -> str:
    """CSV with a header line; doc ids joined by ``;``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.key,
                row.name,
                row.expert_id or "",
                row.quotes,
                row.documents,
                *(row.kinds.get(kind, 0) for kind in KINDS),
                ";".join(row.doc_ids),
                ";".join(row.outlets),
                ";".join(row.terms or []),
            ]
        )
    return buffer.getvalue()


def format_rows(rows: Sequence[SpeakerRow], fmt: RowFormat = "table") -> str:
    """Format summary rows for output.

    Args:
        rows: Rows from :func:`summarize`.
        fmt: ``table`` (aligned plain text: name, expert_id, quotes, documents
            and the first few doc ids), ``json`` (an array of row objects) or
            ``csv`` (header and rows, doc ids joined by ``;``).

    Returns:
        The formatted text, ending with a newline.

    Raises:
        ValueError: ``fmt`` is not one of the formats.
    """
    if fmt == "table":
        return _format_table(rows)
    if fmt == "json":
        return _format_json(rows)
    if fmt == "csv":
        return _format_csv(rows)
    raise ValueError(f"unknown summary format {fmt!r}; use table, json or csv")
