"""The counts of a corpus overview: who is quoted, by which outlets, when, and what travels.

This module owns the numbers behind the index page, computed from records
alone (no text, no model). Every count keeps where its quotes are, as
:class:`Link` (a document's page and the quote's number on it), so the page
can link each entry to the article. Outlets, dates and travelling quotes come
from the optional record fields ``outlet``, ``date`` and ``quote_key``; a
corpus without them simply has no such section.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from quotes.corpus import CorpusRecord

TOP_SPEAKERS = 15
"""Speakers shown in the chart of the most quoted."""


@dataclass(frozen=True)
class Document:
    """One document of the corpus: its id, its page and its records in page order."""

    doc_id: str
    href: str
    records: Sequence[CorpusRecord]


@dataclass(frozen=True)
class Link:
    """One quote on an article page."""

    doc_id: str
    href: str
    number: int

    @property
    def anchor(self) -> str:
        return f"{self.href}#q{self.number}"


@dataclass
class SpeakerCount:
    """A speaker (by ``speaker_key``, expert id or name) and where they are quoted."""

    key: str
    label: str
    expert_id: str | None
    links: list[Link] = field(default_factory=list)

    @property
    def documents(self) -> list[Link]:
        """The first quote in each document, in corpus order."""
        seen: dict[str, Link] = {}
        for link in self.links:
            seen.setdefault(link.doc_id, link)
        return list(seen.values())


@dataclass(frozen=True)
class Travel:
    """A quote (one ``quote_key``) found in more than one document."""

    key: str
    text: str
    links: list[Link]


@dataclass
class Overview:
    """Everything the index page shows about a corpus."""

    documents: int = 0
    quotes: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    speakers: list[SpeakerCount] = field(default_factory=list)
    expert_outlets: dict[str, Counter[str]] = field(default_factory=dict)
    dates: Counter[dt.date] = field(default_factory=Counter)
    travels: list[Travel] = field(default_factory=list)


def _label(record: CorpusRecord) -> str:
    speaker = record.speaker
    assert speaker is not None
    name = speaker.name or speaker.mention
    return f"{name} [{speaker.expert_id}]" if speaker.expert_id else name


def _date(value: str | None) -> dt.date | None:
    """The day of an ISO date or date-time (``2022-01-10``, ``2022-01-10T08:00:00Z``), else None."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def overview(documents: Sequence[Document]) -> Overview:
    """Count a corpus.

    Args:
        documents: The documents, each with its records in the order of its page.

    Returns:
        The counts; speakers most quoted first, travelling quotes most
        travelled first.
    """
    result = Overview(documents=len(documents))
    speakers: dict[str, SpeakerCount] = {}
    travels: dict[str, list[tuple[Link, str]]] = {}
    for doc in documents:
        for number, record in enumerate(doc.records):
            link = Link(doc.doc_id, doc.href, number)
            result.quotes += 1
            result.kinds[record.kind] += 1
            key = record.speaker_group
            if key is not None:
                expert = record.speaker.expert_id if record.speaker else None
                speakers.setdefault(key, SpeakerCount(key, _label(record), expert)).links.append(link)
                if expert and record.outlet:
                    result.expert_outlets.setdefault(record.outlet, Counter())[_label(record)] += 1
            day = _date(record.date)
            if day is not None:
                result.dates[day] += 1
            if record.quote_key:
                travels.setdefault(record.quote_key, []).append((link, record.text))
    result.speakers = sorted(speakers.values(), key=lambda s: (-len(s.links), s.label.casefold()))
    result.travels = sorted(
        (Travel(key, found[0][1], [link for link, _ in found]) for key, found in travels.items()
         if len({link.doc_id for link, _ in found}) > 1),
        key=lambda t: (-len({link.doc_id for link in t.links}), t.key),
    )
    return result
