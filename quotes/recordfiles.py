"""Reading record files back: what `quotes extract` wrote, as record dicts.

The one reader of record files in the package (`quotes.read_records`, the
resumable run, `quotes trace`, `quotes experts`, `quotes report`).
:func:`read_records` reads a JSON array, JSON Lines (either may be gzipped), a
Parquet file or a directory of Parquet part files, and yields each record in
its nested JSON form (the form of ``Quote.model_dump(mode="json")``, with
``meta`` holding the kept input fields). Parquet rows are turned back from the
flat columns by :func:`quotes.columns.unflatten`. JSON Lines and Parquet are
streamed; a JSON array is read whole. :func:`located_records` also says where
each record stands, for messages about it.

:func:`is_records_file` tells a file of records from a file of articles by
its first bytes, so that a command given one as the other can say so.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from quotes.columns import unflatten

_PARQUET_MAGIC = b"PAR1"
_GZIP_MAGIC = b"\x1f\x8b"
RECORD_FIELDS = frozenset({"id", "kind", "start", "end", "text"})
"""Fields every record has and an article (``{"id", "text"}``) has not all of."""
_JSON_SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz")
_SNIFF_CHARS = 65536  # read to tell records from articles: room for a record's first object


class RecordFileError(ValueError):
    """A record file that cannot be read; the message starts with ``path:`` or ``path:line:``."""


def read_records(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[dict[str, Any]]:
    """Yield the records of one or more record files, in file order.

    Args:
        paths: Record files (``.json``, ``.jsonl``, ``.parquet``, gzipped JSON)
            or directories of Parquet part files.

    Raises:
        RecordFileError: A file is missing, not JSON or Parquet, or holds a
            value that is not a record object.
    """
    for _, record in located_records(paths):
        yield record


def located_records(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                    ) -> Iterator[tuple[str, dict[str, Any]]]:
    """:func:`read_records` with where each record stands: ``(where, record)``.

    ``where`` is ``file:line`` in JSON Lines, ``file:record N`` in a JSON array
    and ``file:row N`` in Parquet (N from 1).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for path in paths:
        yield from _read_one(Path(path))


def is_records_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file of quote records rather than of articles; reads only its start.

    Parquet is records; a ``.json`` or ``.jsonl`` file (gzipped or not) is
    when its first object has the fields every record has (:data:`RECORD_FIELDS`).
    """
    path = Path(path)
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as file:
            head = file.read(4)
        if head == _PARQUET_MAGIC:
            return True
        if not path.name.lower().endswith(_JSON_SUFFIXES):
            return False
        opener = gzip.open if head.startswith(_GZIP_MAGIC) else open
        with opener(path, "rt", encoding="utf-8-sig") as text:
            start = text.read(_SNIFF_CHARS).lstrip()
    except (OSError, EOFError, UnicodeDecodeError, zlib.error):
        return False
    start = start.removeprefix("[").lstrip()
    try:  # the first object, whole: a record is small, an article may not be
        first, _ = json.JSONDecoder().raw_decode(start)
    except ValueError:
        return False
    # Top-level fields: an annotated article ({"id", "text", "quotes": [...]})
    # holds "kind", "start" and "end" only inside its quotes.
    return isinstance(first, dict) and RECORD_FIELDS <= first.keys()


def is_records_path(path: str | os.PathLike[str]) -> bool:
    """A file of records (:func:`is_records_file`), or a directory of Parquet part files."""
    path = Path(path)
    return bool(parquet_parts(path)) if path.is_dir() else is_records_file(path)


def parquet_parts(directory: Path) -> list[Path]:
    """The Parquet part files of a directory, in name order (hidden and ``_`` files left out)."""
    return sorted(p for p in directory.iterdir()
                  if p.is_file() and p.suffix == ".parquet" and not p.name.startswith((".", "_")))


def _read_one(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    if path.is_dir():
        parts = parquet_parts(path)
        if not parts:
            raise RecordFileError(f"{path}: a directory without Parquet part files (*.parquet)")
        for part in parts:
            yield from _read_parquet(part)
        return
    try:
        with open(path, "rb") as file:
            head = file.read(4)
    except OSError as err:
        raise RecordFileError(f"{path}: cannot read: {err.strerror or err}") from None
    if head == _PARQUET_MAGIC:
        yield from _read_parquet(path)
        return
    opener = gzip.open if head.startswith(_GZIP_MAGIC) else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as text:
            first = _first_char(text)
            text.seek(0)
            if first == "[":
                yield from _read_array(path, text)
            else:
                yield from _read_lines(path, text)
    except (OSError, EOFError, UnicodeDecodeError, zlib.error) as err:
        raise RecordFileError(f"{path}: cannot read records: {err}; expected records as a JSON "
                              "array, JSON Lines or Parquet") from None


def _first_char(text: IO[str]) -> str:
    while True:
        chunk = text.read(4096)
        if not chunk:
            return ""
        stripped = chunk.lstrip()
        if stripped:
            return stripped[0]


def _read_array(path: Path, text: IO[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        data = json.load(text)
    except json.JSONDecodeError as err:
        raise RecordFileError(f"{path}:{err.lineno}: invalid JSON: {err.msg}") from None
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise RecordFileError(f"{path}: record {number}: expected a JSON object")
        yield f"{path}:record {number}", record


def _read_lines(path: Path, text: IO[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise RecordFileError(f"{path}:{number}: invalid JSON: {err.msg}; "
                                  "expected records as a JSON array, JSON Lines or Parquet") from None
        if not isinstance(record, dict):
            raise RecordFileError(f"{path}:{number}: expected a JSON object")
        yield f"{path}:{number}", record


def _read_parquet(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    import pyarrow.parquet as pq

    number = 0
    try:
        file = pq.ParquetFile(str(path))
        for batch in file.iter_batches():
            for row in batch.to_pylist():
                number += 1
                yield f"{path}:row {number}", unflatten(row)
    except (OSError, ValueError) as err:  # pyarrow: ArrowInvalid is a ValueError
        raise RecordFileError(f"{path}: not a readable Parquet file: {err}") from None
