"""Where records go: JSON, JSON Lines, CSV or Parquet, to a file, a directory or stdout.

:func:`open_sink` gives a writer with ``write(record)``, ``close()`` and
``abort()`` for any output format. JSON, JSON Lines and CSV are written by
:class:`~quotes.io.RecordWriter`; Parquet by :class:`ParquetWriter`, with the
flat columns of :mod:`quotes.columns` (the CSV's columns), to one file when the
output's name ends in ``.parquet`` and otherwise to a directory of part files,
``part-00000.parquet`` and on, that ``pandas.read_parquet`` reads as one table.
Every output is built beside its target and moved into place on ``close``, so
an interrupted write leaves any earlier output as it was.

:func:`to_frame` gives records as a pandas DataFrame with the same columns.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol

from quotes.columns import RECORD_COLUMNS, column_names, flatten
from quotes.io import RecordWriter
from quotes.records import Quote

if TYPE_CHECKING:
    import pandas
    import pyarrow

OutputFormat = Literal["json", "jsonl", "csv", "parquet"]
FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "parquet")

PART_ROWS = 250_000
"""Records per part file of a Parquet directory."""
BATCH_ROWS = 10_000
"""Records held in memory before they are written as one Parquet row group."""

_ARROW_TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool_",
                "list_str": "string", "json": "string"}


class Sink(Protocol):
    """A record output: write records, then close (keep) or abort (drop)."""

    def write(self, record: Quote | dict[str, Any]) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def open_sink(output: str | Path | None, fmt: OutputFormat, meta_fields: Sequence[str] = (),
              part_rows: int = PART_ROWS) -> Sink:
    """Open a writer of records in ``fmt`` to ``output`` (None or ``-``: standard output).

    Raises:
        ValueError: An unknown format, or Parquet to standard output.
        ImportError: Parquet without pyarrow installed (the message says what to install).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; use {', '.join(FORMATS)}")
    if fmt != "parquet":
        return RecordWriter(output, fmt, meta_fields)
    if output is None or str(output) == "-":
        raise ValueError("Parquet is not written to standard output: name a file or directory with -o")
    return ParquetWriter(output, meta_fields, part_rows=part_rows)


def arrow_schema(meta_fields: Sequence[str] = ()) -> pyarrow.Schema:
    """The Arrow schema of the flat columns: every field nullable, kept fields as strings."""
    pa = _pyarrow()
    kinds = {c.name: c.kind for c in RECORD_COLUMNS}
    return pa.schema([(name, getattr(pa, _ARROW_TYPES[kinds.get(name, "str")])())
                      for name in column_names(meta_fields)])


class ParquetWriter:
    """Stream records into one Parquet file or a directory of part files.

    Memory holds at most :data:`BATCH_ROWS` records; each batch is a row group.
    """

    def __init__(self, output: str | Path, meta_fields: Sequence[str] = (),
                 part_rows: int = PART_ROWS) -> None:
        """Start writing beside ``output``; nothing is visible there before :meth:`close`.

        Args:
            output: A ``.parquet`` file, or else a directory of part files.
            meta_fields: The kept input fields, columns of their own.
            part_rows: Records per part file of a directory.
        """
        self._pq = _pyarrow(parquet=True)
        self._target = Path(output)
        self._meta_fields = tuple(meta_fields)
        self._schema = arrow_schema(self._meta_fields)
        self._directory = self._target.suffix.lower() != ".parquet"
        self._part_rows = max(1, part_rows)
        self._staging = self._target.with_name(f".{self._target.name}.{os.getpid()}.tmp")
        _remove(self._staging)
        if self._directory:
            self._staging.mkdir(parents=True)
        self._rows: list[dict[str, Any]] = []
        self._writer: Any = None
        self._parts = 0
        self._in_part = 0
        self._closed = False

    def __enter__(self) -> ParquetWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        """Close on success, abort on an exception."""
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def write(self, record: Quote | dict[str, Any]) -> None:
        """Add one record (a model or its JSON dump)."""
        if self._closed:
            raise ValueError("write to a closed ParquetWriter")
        self._rows.append(flatten(record, self._meta_fields))
        if len(self._rows) >= BATCH_ROWS or (self._directory and self._in_part + len(self._rows) >= self._part_rows):
            self._flush()

    def _flush(self) -> None:
        rows, self._rows = self._rows, []
        while rows:
            if self._writer is None:
                self._open_part()
            room = self._part_rows - self._in_part if self._directory else len(rows)
            batch, rows = rows[:room], rows[room:]
            self._writer.write_table(self._pq_table(batch))
            self._in_part += len(batch)
            if self._directory and self._in_part >= self._part_rows:
                self._writer.close()
                self._writer = None

    def _open_part(self) -> None:
        path = self._staging / f"part-{self._parts:05d}.parquet" if self._directory else self._staging
        self._writer = self._pq.ParquetWriter(str(path), self._schema)
        self._parts, self._in_part = self._parts + 1, 0

    def _pq_table(self, rows: list[dict[str, Any]]) -> pyarrow.Table:
        return _pyarrow().Table.from_pylist(rows, schema=self._schema)

    def close(self) -> None:
        """Write what is left and move the output into place. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self._flush()
            if self._parts == 0:  # no records: still a table, with its columns
                self._open_part()
            if self._writer is not None:
                self._writer.close()
            _replace(self._staging, self._target)
        except BaseException:
            _remove(self._staging)
            raise

    def abort(self) -> None:
        """Drop what was written, leaving any earlier output untouched. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._writer is not None:
            self._writer.close()
        _remove(self._staging)


def to_frame(records: Iterable[Quote | dict[str, Any]]) -> pandas.DataFrame:
    """Records (models or their JSON dumps) as a pandas DataFrame of the flat columns.

    The columns and dtypes are those ``pandas.read_parquet`` gives for the
    Parquet output: kept fields (a record's ``meta``) come as columns of their
    own names. The ``flags`` column is reached as ``frame["flags"]``:
    ``frame.flags`` is pandas' own attribute.
    """
    rows = [r.model_dump(mode="json") if isinstance(r, Quote) else r for r in records]
    meta_fields: dict[str, None] = {}
    for row in rows:
        meta_fields.update(dict.fromkeys(row.get("meta") or {}))
    fields = tuple(meta_fields)
    table = _pyarrow().Table.from_pylist([flatten(r, fields) for r in rows], schema=arrow_schema(fields))
    return table.to_pandas()


def _pyarrow(parquet: bool = False) -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as err:  # pragma: no cover - pyarrow is a dependency
        raise ImportError("Parquet output and to_frame need pyarrow: pip install pyarrow pandas") from err
    return pyarrow.parquet if parquet else pyarrow


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _replace(staging: Path, target: Path) -> None:
    """Move ``staging`` to ``target``, replacing a file or directory there."""
    if target.is_dir() and not target.is_symlink():
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        if staging.is_dir() and (target.exists() or target.is_symlink()):
            target.unlink()
        os.replace(staging, target)
