"""Who is quoted, how often and where: the speaker table across a corpus.

This module owns the corpus-level summary of quote records: grouping records by
speaker (registered experts by expert id, other speakers by name), counting
quotes, documents and kinds per speaker in one streaming pass, and formatting
the rows as a plain-text table, JSON or CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

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
        key: The expert id for a registered expert, else the speaker's name.
        name: The name to show: the registry's display name for an expert.
        expert_id: The expert id, or None for a speaker outside the registry.
        quotes: The number of records attributed to the speaker.
        documents: The number of distinct documents those records come from.
        doc_ids: Those documents' ids, sorted (a record without a doc id
            counts as the document ``""``).
        kinds: The number of records of each kind (every kind present, zeros
            included).
    """

    key: str
    name: str
    expert_id: str | None
    quotes: int
    documents: int
    doc_ids: list[str]
    kinds: dict[str, int]

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
        }


@dataclass
class _Counts:
    """The running counts for one speaker while records stream past."""

    name: str
    quotes: int = 0
    doc_ids: set[str] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, record: Quote) -> None:
        """Count one record."""
        self.quotes += 1
        self.doc_ids.add(record.doc_id or "")
        self.kinds[record.kind] += 1


def _group_key(record: Quote, all_speakers: bool) -> _GroupKey | None:
    """The group a record is counted in, or None when it is not counted."""
    speaker = record.speaker
    if speaker is None:
        return None
    if speaker.expert_id:
        return ("expert", speaker.expert_id)
    if all_speakers and speaker.name:
        return ("name", speaker.name)
    return None


def _display_name(key: _GroupKey, record: Quote, experts: Mapping[str, str]) -> str:
    """The name a new group is shown under."""
    kind, value = key
    if kind == "expert":
        speaker_name = record.speaker.name if record.speaker else None
        return experts.get(value) or speaker_name or value
    return value


def _row(key: _GroupKey, counts: _Counts) -> SpeakerRow:
    """Freeze one group's counts into a row."""
    kind, value = key
    return SpeakerRow(
        key=value,
        name=counts.name,
        expert_id=value if kind == "expert" else None,
        quotes=counts.quotes,
        documents=len(counts.doc_ids),
        doc_ids=sorted(counts.doc_ids),
        kinds={k: counts.kinds.get(k, 0) for k in KINDS},
    )


def _sort_key(row: SpeakerRow) -> tuple[int, str, bool, str]:
    """Most quoted first, then by name, then experts before others, then by key."""
    return (-row.quotes, row.name.casefold(), row.expert_id is None, row.key)


def summarize(
    records: Iterable[Quote], experts: Mapping[str, str], all_speakers: bool = False
) -> list[SpeakerRow]:
    """Count who is quoted, how often and in which documents.

    Records are read once and not kept; only per-speaker counters are.

    Args:
        records: Quote records from any number of documents.
        experts: The expert registry: expert id -> display name. Every
            registered expert gets a row, with zeros when never quoted.
        all_speakers: Also give a row to every resolved speaker outside the
            registry, keyed by ``speaker.name``. Records with no speaker, or
            (outside the registry) no resolved name, are never counted.

    Returns:
        The rows, most quoted first, then by name.
    """
    groups: dict[_GroupKey, _Counts] = {
        ("expert", expert_id): _Counts(name=name or expert_id)
        for expert_id, name in experts.items()
    }
    for record in records:
        key = _group_key(record, all_speakers)
        if key is None:
            continue
        if key not in groups:
            groups[key] = _Counts(name=_display_name(key, record, experts))
        groups[key].add(record)
    return sorted((_row(key, counts) for key, counts in groups.items()), key=_sort_key)


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


def _table_cells(row: SpeakerRow) -> list[str]:
    """The cells of one table line."""
    return [
        row.name,
        row.expert_id or "-",
        str(row.quotes),
        str(row.documents),
        _doc_cell(row.doc_ids),
    ]


def _format_table(rows: Sequence[SpeakerRow]) -> str:
    """Aligned plain-text columns: text left-aligned, numbers right-aligned."""
    header = ["name", "expert_id", "quotes", "documents", "doc_ids"]
    numeric = [False, False, True, True, False]
    lines = [header, *(_table_cells(row) for row in rows)]
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
