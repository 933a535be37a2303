"""Reading record files back: JSON, JSON Lines and Parquet, gzipped or not.

This module owns the way back from the files `quotes extract` writes to a
stream of plain dicts, one a record, for the commands that work on records
without a model (`quotes trace`, `quotes experts`). It reads a JSON array (or
a single object), JSON Lines, and Parquet files or directories of part files,
and `.gz` forms of the text formats. It also tells a records file from a file
of articles (`is_records_file`), so that a command given one as the other can
say so.

`read_records` has the same name and signature as the one in
`quotes.recordfiles`; the two are to be merged.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
RECORD_FIELDS = frozenset({"id", "kind", "start", "end", "text"})
"""Fields every record has and an article ({"id", "text"}) has not all of."""


class RecordFileError(ValueError):
    """A records file that cannot be read; the message names the file (and line)."""


def read_records(paths: Iterable[str | os.PathLike[str]]) -> Iterator[dict[str, Any]]:
    """Every record of the given files, in order, as dicts.

    A directory yields the record files below it (`.json`, `.jsonl`,
    `.parquet` and the `.gz` forms of the text ones), sorted by path. Parquet
    is read a row group at a time, JSON Lines a line at a time.

    Raises:
        RecordFileError: A file is missing, is not JSON or Parquet, or holds
            something that is not a record object; the message names the file
            and line.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _is_record_name(p.name))
            for file in files:
                yield from _read_file(file)
        else:
            yield from _read_file(path)


def is_records_file(path: str | os.PathLike[str]) -> bool:
    """Whether `path` holds quote records (rather than articles); reads only its start."""
    path = Path(path)
    if path.is_dir() or not path.is_file():
        return False
    if path.name.lower().endswith(PARQUET_SUFFIXES):
        return True
    if not _is_record_name(path.name):
        return False
    try:
        with _open_text(path) as file:
            head = file.read(4096).lstrip()
    except (OSError, EOFError, UnicodeDecodeError):
        return False
    head = head.removeprefix("[").lstrip()
    if not head.startswith("{"):
        return False
    # The first object's keys show within its first few hundred characters.
    keys = {k for k in RECORD_FIELDS if f'"{k}"' in head[:2000]}
    return keys == RECORD_FIELDS


def is_records_path(path: str | os.PathLike[str]) -> bool:
    """A records file, or a directory holding Parquet part files."""
    path = Path(path)
    if path.is_dir():
        return any(p.name.lower().endswith(PARQUET_SUFFIXES) for p in path.rglob("*"))
    return is_records_file(path)


def _is_record_name(name: str) -> bool:
    name = name.lower().removesuffix(".gz")
    return name.endswith((".json", ".jsonl", *PARQUET_SUFFIXES))


def _open_text(path: Path) -> IO[str]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return open(path, encoding="utf-8-sig")


def _read_file(path: Path) -> Iterator[dict[str, Any]]:
    name = path.name.lower()
    try:
        if name.endswith(PARQUET_SUFFIXES):
            yield from _read_parquet(path)
        elif name.removesuffix(".gz").endswith(".jsonl"):
            yield from _read_jsonl(path)
        else:
            yield from _read_json(path)
    except FileNotFoundError:
        raise RecordFileError(f"{path}: no such file") from None
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise RecordFileError(f"{path}: cannot read records: {err}") from None


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with _open_text(path) as file:
        for number, line in enumerate(file, start=1):
            if line.strip():
                yield _record(_loads(line, path, number), path, number)


def _read_json(path: Path) -> Iterator[dict[str, Any]]:
    with _open_text(path) as file:
        data = _loads(file.read(), path, None)
    rows = data if isinstance(data, list) else [data]
    for number, row in enumerate(rows, start=1):
        yield _record(row, path, None, number)


def _read_parquet(path: Path) -> Iterator[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise RecordFileError(f"{path}: reading Parquet needs pyarrow: pip install pyarrow") from None
    try:
        parquet = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises its own ArrowInvalid for a file that is not Parquet
        raise RecordFileError(f"{path}: not a Parquet file: {err}") from None
    for batch in parquet.iter_batches():
        yield from batch.to_pylist()


def _loads(text: str, path: Path, line: int | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        where = f"{path}:{line}" if line else str(path)
        raise RecordFileError(f"{where}: not JSON ({err.msg} at column {err.colno}); "
                              "give the records files `quotes extract` wrote") from None


def _record(row: Any, path: Path, line: int | None, item: int | None = None) -> dict[str, Any]:
    if isinstance(row, dict):
        return row
    where = f"{path}:{line}" if line else f"{path} (item {item})"
    raise RecordFileError(f"{where}: expected a record object, got {type(row).__name__}")
