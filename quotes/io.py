"""Writing records as JSON, JSON Lines or CSV, replacing an output file atomically.

Reading documents lives in :mod:`quotes.sources` (re-exported here); Parquet
and the resumable run's outputs in :mod:`quotes.sinks`.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from quotes.columns import column_names, flatten
from quotes.records import Quote
from quotes.sources import STDIN, InputDocument, InputError, iter_inputs

__all__ = ["CSV_COLUMNS", "STDIN", "Format", "InputDocument", "InputError", "RecordWriter", "iter_inputs"]

CSV_COLUMNS: tuple[str, ...] = column_names()
"""The header of the CSV output, in column order (a run's kept fields come before
the provenance columns; see :mod:`quotes.columns`)."""

Format = Literal["json", "jsonl", "csv"]


class RecordWriter:
    """Stream quote records to a file or standard output.

    A file is written to a temporary file beside it and renamed into place on
    :meth:`close`, so an interrupted run never leaves a truncated output; used as
    a context manager, the writer closes on success and aborts on an exception.
    Records are written as they come; memory does not grow with their number.
    """

    def __init__(self, output: str | Path | None, fmt: Format, meta_fields: Sequence[str] = ()) -> None:
        """Open the output.

        Args:
            output: The output path; None or ``-`` for standard output.
            fmt: ``json`` (an array), ``jsonl`` (one record a line) or ``csv``.
            meta_fields: The kept input fields, columns of their own in CSV.

        Raises:
            ValueError: If ``fmt`` is not a known format.
            OSError: If the temporary file cannot be created.
        """
        if fmt not in ("json", "jsonl", "csv"):
            raise ValueError(f"unknown output format {fmt!r}; use json, jsonl or csv")
        self._fmt = fmt
        self._meta_fields = tuple(meta_fields)
        self._count = 0
        self._closed = False
        self._target: Path | None = None
        self._stream: IO[str]
        if output is None or str(output) == STDIN:
            self._stream = sys.stdout
        else:
            self._target = Path(output)
            self._stream = tempfile.NamedTemporaryFile(
                "w",
                encoding="utf-8",
                newline="",
                dir=self._target.parent,
                prefix=f".{self._target.name}.",
                suffix=".tmp",
                delete=False,
            )
        self._csv = csv.writer(self._stream) if fmt == "csv" else None
        if self._csv is not None:
            self._csv.writerow(column_names(self._meta_fields))

    def __enter__(self) -> RecordWriter:
        """Return the writer itself."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close on success, abort on an exception."""
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def write(self, record: Quote | dict[str, Any]) -> None:
        """Write one record: a model, or its JSON dump.

        Raises:
            ValueError: If the writer is already closed.
        """
        if self._closed:
            raise ValueError("write to a closed RecordWriter")
        if self._csv is not None:
            self._csv.writerow(flatten(record, self._meta_fields).values())
        else:
            data = record.model_dump(mode="json") if isinstance(record, Quote) else record
            line = json.dumps(data, ensure_ascii=False)
            if self._fmt == "json":
                self._stream.write("[" if self._count == 0 else ",\n")
                self._stream.write(line)
            else:
                self._stream.write(line + "\n")
        self._count += 1

    def close(self) -> None:
        """Finish the output and, for a file, rename it into place. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._fmt == "json":
            self._stream.write("]\n" if self._count else "[]\n")
        if self._target is None:
            self._stream.flush()
            return
        temporary = self._stream.name
        try:
            self._stream.flush()
            os.fsync(self._stream.fileno())
            self._stream.close()
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, self._target)
        except BaseException:
            self._stream.close()
            Path(temporary).unlink(missing_ok=True)
            raise

    def abort(self) -> None:
        """Drop the temporary file, leaving any existing output untouched. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._target is None:
            self._stream.flush()
            return
        self._stream.close()
        Path(self._stream.name).unlink(missing_ok=True)


def _umask() -> int:
    """The process's file-mode creation mask (the temporary file is created 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
