"""A quote record read back from a record file: the one model of the corpus commands and the pages.

This module owns :class:`CorpusRecord`, a record as `quotes trace`, `quotes
experts` and the pages (`quotes report`) read it. Records come back nested
(JSON, JSON Lines: ``speaker.name``) or flat (Parquet and CSV columns:
``speaker_name``, unflattened by `quotes.columns`); a document's kept fields
(``date``, ``outlet``, ``url``) stand at the top level or in a ``meta`` object,
depending on how they were written. `CorpusRecord` reads all of these the same
way, ignores fields it does not know (record files of newer versions still
read), and fills in the keys of records written before they had them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timezone
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from .columns import unflatten
from .jsonl import validated
from .keys import name_key, quote_key
from .recordfiles import located_records
from .records import Cue, Kind, Quote, Speaker

log = logging.getLogger(__name__)

META_FIELDS: tuple[str, ...] = ("date", "outlet", "url")
"""The kept input fields the corpus commands use."""

CORPUS_FIELDS: tuple[str, ...] = ("speaker_key", "quote_key", *META_FIELDS)
"""Optional fields a record may carry about its place in a corpus."""


_OPTIONAL_TEXT = frozenset({"doc_id", "continues", "nested_in", "repeat_of", *CORPUS_FIELDS})
"""Fields where a blank (None, NaN, "") is a missing value."""


class CorpusRecord(BaseModel):
    """One quote record with its place in a corpus.

    Attributes:
        order: The record's position in the input, from 0 (set by the readers).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    doc_id: str | None = None
    kind: Kind
    text: str
    start: int
    end: int
    parts: list[tuple[int, int]] = []
    speaker: Speaker | None = None
    cue: Cue | None = None
    confidence: float = 0.0
    rule: str = ""
    flags: list[str] = []
    continues: str | None = None
    nested_in: str | None = None
    speaker_key: str | None = None
    quote_key: str = ""
    repeat_of: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    order: int = 0

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "speaker" not in data and ("speaker_name" in data or "expert_id" in data):
            data = unflatten(data)  # a flat row, as pandas or a CSV reader gives it
        data = {key: value for key, value in data.items() if key not in _OPTIONAL_TEXT or not _blank(value)}
        meta = data.pop("meta", None)
        if isinstance(meta, dict):
            for key in CORPUS_FIELDS:
                if not _blank(meta.get(key)):
                    data.setdefault(key, meta[key])
        for key, model in (("speaker", Speaker), ("cue", Cue)):
            if isinstance(data.get(key), dict):
                data[key] = {k: v for k, v in data[key].items() if k in model.model_fields}
        for key in CORPUS_FIELDS:
            if key in data and not isinstance(data[key], str):
                data[key] = str(data[key])
        speaker = data.get("speaker") if isinstance(data.get("speaker"), dict) else {}
        if "speaker_key" not in data:
            name = speaker.get("name")
            key = speaker.get("expert_id") or (name_key(name) if isinstance(name, str) else None)
            if key:
                data["speaker_key"] = key
        if "quote_key" not in data and isinstance(data.get("text"), str):
            data["quote_key"] = quote_key(data["text"])
        return data

    @classmethod
    def of(cls, record: Quote | CorpusRecord) -> CorpusRecord:
        """A record from the extractor (or one already read)."""
        return record if isinstance(record, CorpusRecord) else cls.model_validate(record.model_dump())

    @property
    def speaker_name(self) -> str | None:
        """The speaker's resolved name, if any."""
        return self.speaker.name if self.speaker else None

    @property
    def expert_id(self) -> str | None:
        """The speaker's id in the expert registry, if any."""
        return self.speaker.expert_id if self.speaker else None

    @property
    def speaker_group(self) -> str | None:
        """Who this quote is counted under: ``speaker_key``, else expert id, else resolved name."""
        if self.speaker is None:
            return None
        return self.speaker_key or self.speaker.expert_id or self.speaker.name

    @cached_property
    def when(self) -> datetime | None:
        """``date`` parsed (UTC, naive); None when missing or not ISO 8601."""
        return parse_date(self.date)


def corpus_records(rows: Iterable[dict[str, Any]]) -> Iterator[CorpusRecord]:
    """Record dicts (nested or flat) as `CorpusRecord`s, numbered in order.

    Raises:
        ValueError: A row is not a record, naming its position (``row N:``).
    """
    for order, row in enumerate(rows):
        yield validated(f"row {order + 1}", _numbered(row, order), CorpusRecord)


def read_corpus(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[CorpusRecord]:
    """The records of record files, in file order, read by `quotes.recordfiles`
    (JSON arrays, JSON Lines, gzipped or not, Parquet) and numbered in order.

    Raises:
        ValueError: A file cannot be read, or a record is not JSON or not a
            record; the message starts with ``file:line:`` (``file:record N:``
            in an array, ``file:row N:`` in Parquet).
    """
    for order, (where, value) in enumerate(located_records(paths)):
        yield validated(where, _numbered(value, order), CorpusRecord)


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


def _numbered(value: Any, order: int) -> Any:
    return {**value, "order": order} if isinstance(value, dict) else value


def _blank(value: Any) -> bool:
    """None, NaN and empty strings (Parquet and CSV blanks)."""
    return value is None or (isinstance(value, str) and not value) or (isinstance(value, float) and value != value)
