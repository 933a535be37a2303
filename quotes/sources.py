"""Reading documents: files, gzip files, directories, JSON Lines and standard input.

This module turns the paths a run is given into a lazy stream of
:class:`InputDocument` (or :class:`InputError` for whatever cannot be read, so one
bad file never stops a run). Text is decoded strictly as UTF-8 and never has its
line endings translated, so record offsets index the text exactly as it was read.

What is read, and how each document is named:

- a file argument is one text document whose ``doc_id`` is the path as given;
  ``.jsonl`` files hold one document a line, named by their id field (else
  ``PATH:LINE``); a ``.gz`` suffix is decompressed first (``.txt.gz``,
  ``.jsonl.gz``);
- a directory yields every ``.txt``, ``.jsonl``, ``.txt.gz`` and ``.jsonl.gz``
  file below it, in sorted order, named by their path relative to the directory;
  the other files are skipped and counted (:attr:`Sources.skipped`);
- ``-`` is standard input: one text document, or JSON Lines with
  ``input_format="jsonl"``;
- an fsspec URL (``s3://bucket/corpus/*.jsonl.gz``, ``file://...``; see
  :mod:`quotes.remote`) names files read as a file argument is, each named by
  its URL;
- a path that is no regular file (a FIFO, which could block the run forever)
  is an error, and so is a symlink loop inside a directory (that entry only).

A ``doc_id`` is unique in a run: one already taken (a JSONL id repeated, the
same relative path under two directories) gets a ``~2``, ``~3``... suffix, and
the clash is logged and counted (:attr:`Sources.duplicates`).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

from quotes.remote import is_url, url_files
from quotes.shadow import lone_surrogate

log = logging.getLogger(__name__)

STDIN = "-"
"""The path argument that stands for standard input."""
STDIN_LABEL = "<stdin>"

InputFormat = Literal["auto", "text", "jsonl"]
# What a directory yields, by (lower-case) name ending; everything else is skipped.
DIRECTORY_SUFFIXES = (".txt", ".jsonl", ".txt.gz", ".jsonl.gz")

_BINARY_PROBE = 8192
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class InputDocument:
    """One document to extract quotes from.

    Attributes:
        doc_id: The document's id, unique in a run: the path as given for a file
            argument, the path relative to a directory argument, a JSONL id (or
            ``PATH:LINE``), or ``"<stdin>"``.
        text: The decoded text, line endings untouched.
        source: The file path (or ``"<stdin>"``) the document came from.
        line: The 1-based JSONL line number, or None for text files.
        meta: The kept input fields (``SourceOptions.keep_fields``), null where
            the document has none; empty when no field is kept.
    """

    doc_id: str
    text: str
    source: str
    line: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


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


@dataclass(frozen=True)
class SourceOptions:
    """How to read the inputs.

    Attributes:
        input_format: ``auto`` decides by the name (``.jsonl``, ``.jsonl.gz`` are
            JSON Lines, anything else text; standard input is text); ``text`` or
            ``jsonl`` forces the format of file arguments and standard input
            (files inside a directory are always read by their name).
        text_field: The JSONL field that holds the text.
        id_field: The JSONL field that holds the document id.
        keep_fields: JSONL fields copied into :attr:`InputDocument.meta`.
    """

    input_format: InputFormat = "auto"
    text_field: str = "text"
    id_field: str = "id"
    keep_fields: tuple[str, ...] = ()


class _Undecodable(Exception):
    """Bytes that are not UTF-8 text; the argument is the message for the user."""


class Sources:
    """The documents of a run's paths, in order, with what was skipped and renamed.

    Iterate once; :attr:`skipped` (files inside directories that are not read)
    and :attr:`duplicates` (ids that were taken and got a suffix) fill in as the
    iteration goes.
    """

    def __init__(self, paths: Sequence[str], options: SourceOptions | None = None,
                 stdin: TextIO | BinaryIO | None = None) -> None:
        """Name the inputs; nothing is read until iteration.

        Args:
            paths: File paths, directory paths, or ``-`` for standard input.
            options: How to read them; the defaults read ``{"id", "text"}`` JSONL.
            stdin: The stream to read for ``-``; defaults to ``sys.stdin`` (read
                as bytes through its buffer when it has one).
        """
        self.paths = list(paths)
        self.options = options or SourceOptions()
        self.stdin = stdin
        self.skipped: list[str] = []
        self.duplicates = 0
        self._taken: set[str] = set()

    def __iter__(self) -> Iterator[InputDocument | InputError]:
        for item in self._items():
            if isinstance(item, InputDocument):
                item = self._unique(item)
            yield item

    def _items(self) -> Iterator[InputDocument | InputError]:
        forced = self.options.input_format
        for path in self.paths:
            if path == STDIN:
                stream = self.stdin if self.stdin is not None else sys.stdin
                if forced == "jsonl":
                    yield from self._jsonl(lambda s=stream: _binary(s), STDIN_LABEL, STDIN_LABEL)
                else:
                    yield self._text(lambda s=stream: _binary(s), STDIN_LABEL, STDIN_LABEL)
            elif is_url(path):
                yield from self._url(path)
            elif os.path.isdir(path):
                yield from self._walk(Path(path), Path(path))
            elif (refused := _not_a_file(path)) is not None:
                yield refused
            else:
                jsonl = forced == "jsonl" or (forced == "auto" and _is_jsonl(path))
                yield from self._file(path, path, jsonl)

    def _walk(self, root: Path, directory: Path) -> Iterator[InputDocument | InputError]:
        """The readable files below ``directory``, ids relative to ``root``."""
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            yield InputError(str(directory), None, f"cannot read directory: {_reason(exc)}")
            return
        for entry in entries:
            path = Path(entry.path)
            try:  # a symlink loop (`is_file` raises) is that entry's failure only
                is_dir = entry.is_dir(follow_symlinks=False)
                wanted = not is_dir and entry.name.lower().endswith(DIRECTORY_SUFFIXES) and entry.is_file()
            except OSError as exc:
                yield InputError(str(path), None, _reason(exc))
                continue
            if is_dir:
                yield from self._walk(root, path)
            elif wanted:
                yield from self._file(str(path), path.relative_to(root).as_posix(), _is_jsonl(entry.name))
            else:
                self.skipped.append(str(path))

    def _url(self, url: str) -> Iterator[InputDocument | InputError]:
        """The files an fsspec URL names (`quotes.remote`), each named by its URL."""
        forced = self.options.input_format
        for found in url_files(url):
            if isinstance(found, str):
                yield InputError(url, None, found)
                continue
            where, name, opener = found
            if forced == "jsonl" or (forced == "auto" and _is_jsonl(name)):
                yield from self._jsonl(opener, where, where)
            else:
                yield self._text(opener, where, where)

    def _file(self, path: str, label: str, jsonl: bool) -> Iterator[InputDocument | InputError]:
        opener = (lambda: gzip.open(path, "rb")) if path.lower().endswith(".gz") else (lambda: open(path, "rb"))
        if jsonl:
            yield from self._jsonl(opener, path, label)
        else:
            yield self._text(opener, path, label)

    def _text(self, opener: Any, source: str, label: str) -> InputDocument | InputError:
        """Read one whole stream as a single text document named ``label``."""
        try:
            with opener() as stream:
                data = stream.read()
        except (OSError, EOFError, zlib.error) as exc:
            return InputError(source, None, _reason(exc))
        if isinstance(data, str):  # a text stream given as standard input
            return InputDocument(label, data.removeprefix("\ufeff"), source, meta=self._meta(None))
        try:
            return InputDocument(label, _decode(data), source, meta=self._meta(None))
        except _Undecodable as exc:
            return InputError(source, None, str(exc))

    def _jsonl(self, opener: Any, source: str, label: str) -> Iterator[InputDocument | InputError]:
        """One document per non-blank line of a JSON Lines stream."""
        try:
            with opener() as stream:
                offset = 0
                for number, raw in enumerate(stream, start=1):
                    if isinstance(raw, str):  # a text stream given as standard input
                        raw = raw.encode("utf-8")
                    if offset < _BINARY_PROBE and b"\0" in raw[:_BINARY_PROBE - offset]:
                        yield InputError(source, None, "binary file, not text")
                        return
                    line_start, offset = offset, offset + len(raw)
                    if number == 1 and raw.startswith(_BOM):
                        raw, line_start = raw[len(_BOM):], line_start + len(_BOM)
                    if raw.strip():
                        yield self._parse_line(raw, source, label, number, line_start)
        except (OSError, EOFError, zlib.error) as exc:
            yield InputError(source, None, _reason(exc))

    def _parse_line(self, raw: bytes, source: str, label: str, number: int,
                    offset: int) -> InputDocument | InputError:
        """Parse one JSONL line starting at byte ``offset`` of its stream."""
        text_key, id_key = self.options.text_field, self.options.id_field
        try:
            record = json.loads(_decode_utf8(raw, offset))
        except _Undecodable as exc:
            return InputError(source, number, str(exc))
        except json.JSONDecodeError as exc:
            # `exc.msg` may end in "at" ("Unterminated string starting at").
            return InputError(source, number,
                              f"malformed JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}")
        if not isinstance(record, dict):
            expected = f'a JSON object {{"{id_key}": ..., "{text_key}": ...}}'
            return InputError(source, number, f"expected {expected}, got {_json_type(record)}")
        if text_key not in record:
            hint = "" if text_key != "text" else "; name the text field with --text-field"
            return InputError(source, number, f'missing "{text_key}" key{hint}')
        text = record[text_key]
        if not isinstance(text, str):
            return InputError(source, number, f'"{text_key}" must be a string, got {_json_type(text)}')
        doc_id = record.get(id_key)
        if doc_id is None or doc_id == "":  # no id: the line names the document
            doc_id = f"{label}:{number}"
        elif isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
            return InputError(source, number, f'"{id_key}" must be a string or an integer, '
                                              f"got {_json_type(doc_id)}")
        # A lone surrogate ("\ud800" in JSON) cannot be written out again.
        for key, value in ((text_key, text), (id_key, doc_id)):
            if isinstance(value, str) and (at := lone_surrogate(value)) is not None:
                return InputError(source, number,
                                  f'"{key}" holds a lone surrogate at character {at}; fix the escape')
        return InputDocument(str(doc_id), text, source, number, self._meta(record))

    def _meta(self, record: dict[str, Any] | None) -> dict[str, Any]:
        """The kept fields of a JSONL record; null for a text document."""
        return {name: (record or {}).get(name) for name in self.options.keep_fields}

    def _unique(self, doc: InputDocument) -> InputDocument:
        """The document with an id no earlier document of the run has."""
        if doc.doc_id not in self._taken:
            self._taken.add(doc.doc_id)
            return doc
        n = 2
        while f"{doc.doc_id}~{n}" in self._taken:
            n += 1
        renamed = f"{doc.doc_id}~{n}"
        self._taken.add(renamed)
        self.duplicates += 1
        where = doc.source if doc.line is None else f"{doc.source}:{doc.line}"
        log.warning("%s: duplicate document id %r, named %r", where, doc.doc_id, renamed)
        return InputDocument(renamed, doc.text, doc.source, doc.line, doc.meta)


def iter_inputs(paths: Sequence[str], stdin: TextIO | BinaryIO | None = None,
                options: SourceOptions | None = None) -> Iterator[InputDocument | InputError]:
    """Stream the documents named by ``paths``, in order (see :class:`Sources`).

    Problems are yielded as :class:`InputError` and never stop the iteration.
    """
    return iter(Sources(paths, options, stdin))


def _is_jsonl(name: str) -> bool:
    return name.lower().endswith((".jsonl", ".jsonl.gz"))


def _binary(stream: TextIO | BinaryIO) -> contextlib.nullcontext[Any]:
    """Standard input as bytes when it has a byte buffer, left open after reading."""
    return contextlib.nullcontext(getattr(stream, "buffer", stream))


def _not_a_file(path: str) -> InputError | None:
    """An error for a path that is no regular file (a FIFO, socket or device,
    which could block the run forever), or None; a missing path is left to the
    reader, which names it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    return InputError(path, None, "not a regular file or directory (a FIFO, socket or device); "
                                  "pass a file, a directory, or - for standard input")


def _decode(data: bytes) -> str:
    """Decode a whole file: refuse binary data (a NUL byte anywhere), drop a
    byte-order mark, strict UTF-8.

    Raises:
        _Undecodable: If the data is binary or is not valid UTF-8.
    """
    if b"\0" in data:
        raise _Undecodable("binary file, not text")
    if data.startswith(_BOM):
        return _decode_utf8(data[len(_BOM):], len(_BOM))
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


def _reason(exc: BaseException) -> str:
    """A short human reason for a read error."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, (gzip.BadGzipFile, EOFError, zlib.error)):
        return f"not a readable gzip file ({exc or 'truncated'})"
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    return str(exc)
