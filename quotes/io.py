"""Input and output: reading documents from files, directories and stdin, writing records.

This module owns the boundary between the extractor and the file system. Reading turns paths
into a lazy stream of :class:`InputDocument` (or :class:`InputError` for whatever cannot be read,
so one bad file never stops a run). Text is decoded strictly as UTF-8, line endings untouched, so
record offsets index the text exactly as it was read. Writing streams records as JSON, JSON Lines
or CSV, and replaces an output file atomically.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, BinaryIO, Literal, TextIO

from quotes.records import Quote
from quotes.shadow import lone_surrogate

STDIN = "-"
"""The path argument that stands for standard input."""

_BINARY_PROBE = 8192
_BOM = b"\xef\xbb\xbf"

CSV_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "id",
    "kind",
    "text",
    "start",
    "end",
    "speaker_name",
    "speaker_mention",
    "expert_id",
    "description",
    "cue",
    "cue_lemma",
    "confidence",
    "rule",
    "flags",
)
"""The header of the CSV output, in column order."""

Format = Literal["json", "jsonl", "csv"]


@dataclass(frozen=True)
class InputDocument:
    """One document to extract quotes from.

    Attributes:
        doc_id: The document's id: a file name, a path relative to a directory
            argument, a JSONL ``id``, or ``"<stdin>"``.
        text: The decoded text, line endings untouched.
        source: The file path (or ``"<stdin>"``) the document came from.
        line: The 1-based JSONL line number, or None for text files.
    """

    doc_id: str
    text: str
    source: str
    line: int | None = None


@dataclass(frozen=True)
class InputError:
    """Something in the input that could not be read as a document.

    Attributes:
        source: The file path the problem is in.
        line: The 1-based JSONL line number, or None when it concerns a whole file.
        message: What is wrong and, where useful, how to fix it.
    """

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        """Format as ``path:line: message`` or ``path: message``."""
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


class _Undecodable(Exception):
    """Bytes that are not UTF-8 text; the argument is the message for the user."""


def iter_inputs(
    paths: Sequence[str], stdin: TextIO | BinaryIO | None = None
) -> Iterator[InputDocument | InputError]:
    """Stream the documents named by ``paths``, in order.

    A directory yields every ``*.txt`` file below it, recursively, sorted by path
    components; a ``.jsonl`` file yields one document per non-blank line; ``-``
    yields standard input as one document; any other file is read as one text
    document. Problems are yielded as :class:`InputError` and never stop the
    iteration.

    Args:
        paths: File paths, directory paths, or ``-`` for standard input.
        stdin: The stream to read for ``-``; defaults to ``sys.stdin`` (read as
            bytes through its buffer when it has one).

    Yields:
        An :class:`InputDocument` per document, or an :class:`InputError` per
        file or line that could not be read.
    """
    for path in paths:
        if path == STDIN:
            yield _read_stdin(stdin if stdin is not None else sys.stdin)
        elif os.path.isdir(path):
            yield from _walk(Path(path), Path(path))
        elif path.lower().endswith(".jsonl"):
            yield from _read_jsonl(path)
        else:
            yield _read_text(path, Path(path).name)


def _walk(root: Path, directory: Path) -> Iterator[InputDocument | InputError]:
    """Yield the ``*.txt`` files below ``directory``, ids relative to ``root``."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield InputError(str(directory), None, f"cannot read directory: {_reason(exc)}")
        return
    for entry in entries:
        path = Path(entry.path)
        try:  # a symlink loop is that entry's failure only
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(root, path)
            elif entry.name.lower().endswith(".txt") and entry.is_file():
                yield _read_text(str(path), path.relative_to(root).as_posix())
        except OSError as exc:
            yield InputError(str(path), None, _reason(exc))


def _read_text(path: str, doc_id: str) -> InputDocument | InputError:
    """Read one file as a single text document."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        return InputError(path, None, _reason(exc))
    try:
        return InputDocument(doc_id, _decode(data), path)
    except _Undecodable as exc:
        return InputError(path, None, str(exc))


def _read_stdin(stream: TextIO | BinaryIO) -> InputDocument | InputError:
    """Read standard input as a single text document."""
    source = "<stdin>"
    data = getattr(stream, "buffer", stream).read()
    if isinstance(data, str):
        return InputDocument(source, data.removeprefix("\ufeff"), source)
    try:
        return InputDocument(source, _decode(data), source)
    except _Undecodable as exc:
        return InputError(source, None, str(exc))


def _read_jsonl(path: str) -> Iterator[InputDocument | InputError]:
    """Yield one document per non-blank line of a JSON Lines file."""
    name = Path(path).name
    try:
        file = open(path, "rb")
    except OSError as exc:
        yield InputError(path, None, _reason(exc))
        return
    with file:
        try:
            if b"\0" in file.read(_BINARY_PROBE):
                yield InputError(path, None, "binary file, not text")
                return
            file.seek(0)
            offset = 0
            for number, raw in enumerate(file, start=1):
                line_start, offset = offset, offset + len(raw)
                if number == 1 and raw.startswith(_BOM):
                    raw, line_start = raw[len(_BOM) :], line_start + len(_BOM)
                if raw.strip():
                    yield _parse_line(raw, path, name, number, line_start)
        except OSError as exc:
            yield InputError(path, None, _reason(exc))


def _parse_line(
    raw: bytes, path: str, name: str, number: int, offset: int
) -> InputDocument | InputError:
    """Parse one JSONL line ``{"id": ..., "text": ...}`` starting at byte ``offset``."""
    try:
        record = json.loads(_decode_utf8(raw, offset))
    except _Undecodable as exc:
        return InputError(path, number, str(exc))
    except json.JSONDecodeError as exc:
        return InputError(path, number, f"malformed JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}")
    if not isinstance(record, dict):
        expected = 'a JSON object {"id": ..., "text": ...}'
        return InputError(path, number, f"expected {expected}, got {_json_type(record)}")
    if "text" not in record:
        return InputError(path, number, 'missing "text" key')
    text = record["text"]
    if not isinstance(text, str):
        return InputError(path, number, f'"text" must be a string, got {_json_type(text)}')
    doc_id = record.get("id")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int, float, type(None))):
        return InputError(path, number, f'"id" must be a string or a number, got {_json_type(doc_id)}')
    for key, value in (("text", text), ("id", doc_id)):
        if isinstance(value, str) and (at := lone_surrogate(value)) is not None:
            return InputError(path, number, f'"{key}" holds a lone surrogate at character {at}; fix the escape')
    return InputDocument(f"{name}:{number}" if doc_id in (None, "") else str(doc_id), text, path, number)


def _decode(data: bytes) -> str:
    """Decode a whole file: refuse binary data (a NUL byte anywhere), drop a byte-order mark, strict UTF-8.

    Raises:
        _Undecodable: If the data is binary or is not valid UTF-8.
    """
    if b"\0" in data:
        raise _Undecodable("binary file, not text")
    if data.startswith(_BOM):
        return _decode_utf8(data[len(_BOM) :], len(_BOM))
    return _decode_utf8(data, 0)


def _decode_utf8(data: bytes, offset: int) -> str:
    """Decode strict UTF-8, reporting a failure at its byte offset in the file."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Undecodable(
            f"invalid UTF-8 at byte {offset + exc.start}; re-encode the file as UTF-8"
        ) from None


def _json_type(value: object) -> str:
    """The JSON name of a parsed value's type, for error messages."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _reason(exc: OSError) -> str:
    """A short human reason for an OS error."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {exc.strerror or exc}"


class RecordWriter:
    """Stream quote records to a file or standard output.

    A file is written to a temporary file beside it and renamed into place on
    :meth:`close`, so an interrupted run never leaves a truncated output; used as
    a context manager, the writer closes on success and aborts on an exception.
    Records are written as they come; memory does not grow with their number.
    """

    def __init__(self, output: str | Path | None, fmt: Format) -> None:
        """Open the output.

        Args:
            output: The output path; None or ``-`` for standard output.
            fmt: ``json`` (an array), ``jsonl`` (one record a line) or ``csv``.

        Raises:
            ValueError: If ``fmt`` is not a known format.
            OSError: If the temporary file cannot be created.
        """
        if fmt not in ("json", "jsonl", "csv"):
            raise ValueError(f"unknown output format {fmt!r}; use json, jsonl or csv")
        self._fmt = fmt
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
            self._csv.writerow(CSV_COLUMNS)

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

    def write(self, record: Quote) -> None:
        """Write one record.

        Raises:
            ValueError: If the writer is already closed.
        """
        if self._closed:
            raise ValueError("write to a closed RecordWriter")
        if self._csv is not None:
            self._csv.writerow(_csv_row(record))
        else:
            line = json.dumps(record.model_dump(mode="json"), ensure_ascii=False)
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


def _csv_row(record: Quote) -> list[object]:
    """The CSV cells of a record, in :data:`CSV_COLUMNS` order; None becomes an empty cell."""
    speaker, cue = record.speaker, record.cue
    return [
        record.doc_id,
        record.id,
        record.kind,
        record.text,
        record.start,
        record.end,
        speaker.name if speaker else None,
        speaker.mention if speaker else None,
        speaker.expert_id if speaker else None,
        speaker.description if speaker else None,
        cue.text if cue else None,
        cue.lemma if cue else None,
        record.confidence,
        record.rule,
        ";".join(record.flags),
    ]


def _umask() -> int:
    """The process's file-mode creation mask (the temporary file is created 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
