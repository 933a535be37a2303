"""Runs that survive being stopped, and corpora split over several jobs.

A `quotes extract ... -o OUT` run keeps its progress in ``OUT.progress.jsonl``
beside the output: a header line (what produced the run) and then one line per
completed document with all its records, written and flushed as each document
completes. However the run stops (Ctrl-C, SIGTERM, ``kill -9``, a crash), that
file holds every document completed before it. At the end of the run the
records are written to OUT in the format asked, atomically, and the progress
file is removed.

With ``--resume`` a run first takes what an earlier run left: the progress file
(a last line cut short is dropped), or else the records already in OUT. Those
documents are skipped, their records go to the output first, and the rest of
the input is processed as usual, so the result holds the same records as one
uninterrupted run, in the same order, with no duplicates. A progress file from
other rules, another pipeline or another `--keep-fields` is refused.

``--shard K/N`` keeps the K-th of every N input documents (by position), so N
jobs given the same inputs split them into disjoint slices.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from quotes.recordfiles import RecordFileError, read_records
from quotes.records import Provenance
from quotes.sinks import Sink

log = logging.getLogger(__name__)
T = TypeVar("T")

PROGRESS_SUFFIX = ".progress.jsonl"
_HEADER_KEY = "quotes_progress"
_VERSION = 1


class ResumeError(ValueError):
    """What an earlier run left cannot be continued by this one; the message says why."""


def progress_path(output: str | Path) -> Path:
    """The progress file of an output: ``OUT.progress.jsonl`` beside it."""
    output = Path(output)
    return output.with_name(output.name + PROGRESS_SUFFIX)


class Progress:
    """The progress file of one run: the completed documents and their records."""

    def __init__(self, output: str | Path, provenance: Provenance, keep_fields: Sequence[str],
                 resume: bool = False) -> None:
        """Open the progress of a run writing to ``output``.

        Args:
            output: The run's output path.
            provenance: What produces this run's records.
            keep_fields: The run's kept input fields.
            resume: Continue what an earlier run left (its progress file, or
                else the records in ``output``); without it any earlier
                progress file is started over (:attr:`discarded` says so).

        Raises:
            ResumeError: The earlier run used other rules, pipeline or kept
                fields, or its records cannot be read.
            OSError: The progress file cannot be written.
        """
        self.output = Path(output)
        self.path = progress_path(output)
        self.header = {_HEADER_KEY: _VERSION, "provenance": provenance.model_dump(mode="json"),
                       "keep_fields": list(keep_fields)}
        self.done: set[str] = set()
        self.discarded = not resume and self.path.exists()
        self._file: IO[str]
        if resume and self.path.exists():
            end = self._load()
            self._file = open(self.path, "r+", encoding="utf-8")
            self._file.truncate(end)
            self._file.seek(end)
        else:
            self._file = open(self.path, "w", encoding="utf-8")
            self._write_line(self.header)
            if resume and self.output.exists():
                self._take_output()
        self.resumed = len(self.done)
        """Documents an earlier run completed, skipped by this one."""

    def add(self, doc_id: str, records: list[dict[str, Any]]) -> None:
        """Record a completed document and its records (their JSON dumps)."""
        self._write_line({"doc_id": doc_id, "records": records})
        self.done.add(doc_id)

    def pending(self, documents: Iterable[T]) -> Iterator[T]:
        """The documents (objects with a ``doc_id``, or errors) not completed yet."""
        for item in documents:
            if getattr(item, "doc_id", None) not in self.done:
                yield item

    def finish(self, sink: Sink) -> int:
        """Write every record to ``sink``, close it and remove the progress file.

        Returns:
            The number of records written.
        """
        self._file.close()
        count = 0
        try:
            for entry in self._entries():
                for record in entry["records"]:
                    sink.write(record)
                    count += 1
        except BaseException:
            sink.abort()
            raise
        sink.close()
        self.path.unlink()
        return count

    def close(self) -> None:
        """Stop writing, keeping the progress file for a later ``--resume``."""
        self._file.close()

    def _write_line(self, data: dict[str, Any]) -> None:
        self._file.write(json.dumps(data, ensure_ascii=False) + "\n")
        self._file.flush()  # in the kernel's hands: kept if the process is killed

    def _entries(self) -> Iterator[dict[str, Any]]:
        with open(self.path, encoding="utf-8") as file:
            next(file)  # the header
            for line in file:
                yield json.loads(line)

    def _load(self) -> int:
        """Take the completed documents of the progress file; the offset after the last whole line."""
        with open(self.path, "rb") as file:
            first = file.readline()
            try:
                header = json.loads(first)
            except json.JSONDecodeError:
                header = None
            if not isinstance(header, dict) or header.get(_HEADER_KEY) != _VERSION:
                raise ResumeError(f"{self.path}: not a quotes progress file; remove it or run without --resume")
            self._check(header, str(self.path))
            end = file.tell()
            for raw in file:
                try:
                    entry = json.loads(raw) if raw.endswith(b"\n") else None
                except json.JSONDecodeError:
                    entry = None
                if not isinstance(entry, dict) or "doc_id" not in entry:
                    log.warning("%s: a last line cut short by the interruption was dropped", self.path)
                    break
                self.done.add(entry["doc_id"])
                end += len(raw)
        return end

    def _take_output(self) -> None:
        """Take the records already in the output, document by document."""
        doc_id: str | None = None
        records: list[dict[str, Any]] = []
        try:
            for record in read_records(self.output):
                if record.get("provenance") is not None:
                    self._check({"provenance": record["provenance"], "keep_fields": self.header["keep_fields"]},
                                str(self.output))
                if records and record.get("doc_id") != doc_id:
                    self.add(str(doc_id), records)
                    records = []
                doc_id = record.get("doc_id")
                records.append(record)
        except RecordFileError as err:
            raise ResumeError(f"cannot resume from the output: {err}") from None
        if records:
            self.add(str(doc_id), records)

    def _check(self, earlier: dict[str, Any], where: str) -> None:
        for key, what in (("provenance", "quotes version, pipeline or rules"), ("keep_fields", "--keep-fields")):
            if earlier.get(key) != self.header[key]:
                raise ResumeError(
                    f"{where}: written with another {what} ({earlier.get(key)}, now {self.header[key]}); "
                    "run without --resume to start over")


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` -> ``(K, N)`` with ``1 <= K <= N``.

    Raises:
        ValueError: Saying what a shard looks like.
    """
    k, sep, n = text.partition("/")
    if sep and k.strip().isdigit() and n.strip().isdigit() and 1 <= int(k) <= int(n):
        return int(k), int(n)
    raise ValueError(f"--shard {text!r}: expected K/N with 1 <= K <= N, e.g. 2/8")


def shard(items: Iterable[T], k: int, n: int) -> Iterator[T]:
    """The K-th of every N items (1-based): item i when ``i % n == k - 1``."""
    for index, item in enumerate(items):
        if index % n == k - 1:
            yield item
