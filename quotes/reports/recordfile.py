"""Reading quote records back from files for the pages and the corpus overview.

This module owns :class:`ReportRecord`: a record as the reports read it. It
accepts what ``quotes extract`` writes (JSON array, JSON Lines or Parquet) and the
optional corpus fields ``speaker_key``, ``quote_key``, ``outlet``, ``date``
and ``url``, at the top level or inside a ``meta`` object; unknown fields are
ignored, so record files from newer versions still read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from quotes.jsonl import validated
from quotes.recordfiles import located_records
from quotes.records import Cue, Kind, Quote, Speaker

CORPUS_FIELDS: tuple[str, ...] = ("speaker_key", "quote_key", "outlet", "date", "url")
"""Optional fields a record may carry about its place in a corpus."""


def _known(value: Any, model: type[BaseModel]) -> Any:
    """A speaker or cue object reduced to the fields ``model`` knows."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k in model.model_fields}
    return value


class ReportRecord(BaseModel):
    """One quote record with the optional corpus fields."""

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
    quote_key: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _lift_meta(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        meta = data.pop("meta", None)
        if isinstance(meta, dict):
            for key in CORPUS_FIELDS:
                data.setdefault(key, meta.get(key))
        data["speaker"] = _known(data.get("speaker"), Speaker)
        data["cue"] = _known(data.get("cue"), Cue)
        for key in ("outlet", "date", "url", "speaker_key", "quote_key"):
            if data.get(key) is not None and not isinstance(data[key], str):
                data[key] = str(data[key])
        return data

    @classmethod
    def of(cls, record: Quote | ReportRecord) -> ReportRecord:
        """A record from the extractor (or one already read)."""
        return record if isinstance(record, ReportRecord) else cls.model_validate(record.model_dump())

    @property
    def speaker_group(self) -> str | None:
        """Who this quote is counted under: ``speaker_key``, else expert id, else resolved name."""
        if self.speaker is None:
            return None
        return self.speaker_key or self.speaker.expert_id or self.speaker.name


def iter_records(paths: Iterable[str | os.PathLike[str]]) -> Iterator[ReportRecord]:
    """The records of record files, in file order, read by `quotes.recordfiles`
    (JSON arrays, JSON Lines, gzipped or not, Parquet).

    Raises:
        ValueError: A file cannot be read, or a record is not JSON or not a
            record; the message starts with ``file:line:`` (``file:record N:``
            in an array, ``file:row N:`` in Parquet).
    """
    for where, value in located_records(paths):
        yield validated(where, value, ReportRecord)
