"""Inputs named by fsspec URLs (`s3://bucket/corpus/*.jsonl.gz`, `gs://...`, `file://...`).

This module owns reading documents through fsspec (which Dask brings): a URL
may be a glob; each file it names is opened with its compression inferred from
the name, and read as `quotes extract` reads a local file of that kind, with
`io`'s decoding: a `.jsonl` file (or `.jsonl.gz`) gives one document a line,
any other file one text document whose `doc_id` is the URL of the file. A
protocol whose package is missing (`s3fs` for `s3://`) is named in the error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .io import InputDocument, InputError, _decode, _parse_line, _Undecodable, iter_inputs

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(path: str) -> bool:
    """Whether an input path is a URL (`proto://...`) rather than a local path."""
    return bool(_URL.match(path))


def iter_any_inputs(paths: Iterable[str]) -> Iterator[InputDocument | InputError]:
    """`io.iter_inputs` for local paths and standard input, fsspec for URLs, in order."""
    local: list[str] = []
    for path in paths:
        if is_url(path):
            if local:
                yield from iter_inputs(local)
                local = []
            yield from iter_url(path)
        else:
            local.append(path)
    if local:
        yield from iter_inputs(local)


def iter_url(url: str) -> Iterator[InputDocument | InputError]:
    """The documents of the files a URL (or URL glob) names."""
    try:
        import fsspec

        files = fsspec.open_files(url, mode="rb", compression="infer")
    except (ImportError, ValueError) as err:
        yield InputError(url, None, f"cannot open this URL: {err} (install the fsspec package for its protocol)")
        return
    except OSError as err:
        yield InputError(url, None, f"cannot list this URL: {err}")
        return
    if not files:
        yield InputError(url, None, "no such file")
        return
    for file in files:
        name = file.path.rsplit("/", 1)[-1]
        where = url if len(files) == 1 else file.full_name
        try:
            with file as stream:
                data = stream.read()
        except OSError as err:
            yield InputError(where, None, f"cannot read: {err}")
            continue
        if name.lower().removesuffix(".gz").endswith(".jsonl"):
            offset = 0
            for number, raw in enumerate(data.splitlines(keepends=True), start=1):
                start = offset
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):  # a byte-order mark
                    raw, start = raw[3:], 3
                if raw.strip():
                    yield _parse_line(raw, where, name, number, start)
                offset += len(raw)
            continue
        try:
            yield InputDocument(where, _decode(data), where)
        except _Undecodable as err:
            yield InputError(where, None, str(err))
