"""Inputs named by fsspec URLs (`s3://bucket/corpus/*.jsonl.gz`, `gs://...`, `file://...`).

This module owns finding and opening the files a URL names, through fsspec
(which Dask brings): a URL may be a glob, and each file is opened with its
compression inferred from its name. Reading them is `quotes.sources`' job, as
for a local file: a `.jsonl` file (or `.jsonl.gz`) gives one document a line,
any other file one text document, whose `doc_id` is the URL of the file. A
protocol whose package is missing (`s3fs` for `s3://`) is named in the error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import IO, Any

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(path: str) -> bool:
    """Whether an input path is a URL (`proto://...`) rather than a local path."""
    return bool(_URL.match(path))


def url_files(url: str) -> Iterator[tuple[str, str, Callable[[], IO[bytes]]] | str]:
    """The files a URL (or URL glob) names: (where, name, opener) each, or
    the message saying why the URL cannot be listed.

    `where` is the URL itself when it names one file, else the file's full
    URL; `name` is the file's name with its compression suffix (`b.jsonl.gz`);
    the opener gives the file's bytes, decompressed.
    """
    try:
        import fsspec

        files = fsspec.open_files(url, mode="rb", compression="infer")
    except (ImportError, ValueError) as err:
        yield f"cannot open this URL: {err} (install the fsspec package for its protocol)"
        return
    except OSError as err:
        yield f"cannot list this URL: {err}"
        return
    if not files:
        yield "no such file"
        return
    for file in files:
        name = file.path.rsplit("/", 1)[-1]
        where = url if len(files) == 1 else file.full_name
        yield where, name, _opener(file)


def _opener(file: Any) -> Callable[[], IO[bytes]]:
    return lambda: file.open()
