"""One view of a record read back from any record file, for corpus questions.

Records come back nested (JSON, JSON Lines: `speaker.name`) or flat (Parquet
and CSV columns: `speaker_name`), and their document's metadata (`date`,
`outlet`, `url`) stands at the top level or in a `meta` object, depending on
how they were written. `CorpusRecord` reads all of these the same way, and
fills in the keys of records written before they had them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from .keys import name_key, quote_key

log = logging.getLogger(__name__)

META_FIELDS = ("date", "outlet", "url")


@dataclass(frozen=True)
class CorpusRecord:
    """What the corpus commands need of a record.

    Attributes:
        order: The record's position in the input, from 0.
        when: `date` parsed (UTC, naive), or None when missing or unreadable.
    """

    order: int
    id: str
    doc_id: str
    kind: str
    text: str
    speaker_name: str | None
    expert_id: str | None
    speaker_key: str | None
    quote_key: str
    repeat_of: str | None
    date: str | None
    outlet: str | None
    url: str | None
    when: datetime | None


def corpus_records(rows: Iterable[dict[str, Any]]) -> Iterator[CorpusRecord]:
    """`CorpusRecord`s of raw record dicts (nested or flat), in order."""
    for order, row in enumerate(rows):
        yield from_row(row, order)


def from_row(row: dict[str, Any], order: int = 0) -> CorpusRecord:
    """One raw record dict, nested or flat, as a `CorpusRecord`."""
    speaker = row.get("speaker") if isinstance(row.get("speaker"), dict) else {}
    name = _text(speaker.get("name") if speaker else row.get("speaker_name"))
    expert = _text(speaker.get("expert_id") if speaker else row.get("expert_id"))
    text = _text(row.get("text")) or ""
    meta = row.get("meta") if isinstance(row.get("meta"), dict) else {}
    values = {f: _text(row.get(f) if row.get(f) is not None else meta.get(f)) for f in META_FIELDS}
    doc_id = _text(row.get("doc_id")) or ""
    return CorpusRecord(
        order=order,
        id=_text(row.get("id")) or f"{doc_id}#{order}",
        doc_id=doc_id,
        kind=_text(row.get("kind")) or "",
        text=text,
        speaker_name=name,
        expert_id=expert,
        speaker_key=_text(row.get("speaker_key")) or expert or ((name_key(name) or None) if name else None),
        quote_key=_text(row.get("quote_key")) or quote_key(text),
        repeat_of=_text(row.get("repeat_of")),
        when=parse_date(values["date"]),
        **values,
    )


def parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time (`2022-01-07`, `2022-01-07T10:00:00+06:00`) as naive UTC."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            when = datetime.combine(date.fromisoformat(value.strip()[:10]), datetime.min.time())
        except ValueError:
            log.warning("date %r is not ISO 8601 (YYYY-MM-DD); it is left out of 'first'", value)
            return None
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    return when


def _text(value: Any) -> str | None:
    """A field as a string; None, NaN and empty strings (Parquet and CSV blanks) as None."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, str) else str(value)
