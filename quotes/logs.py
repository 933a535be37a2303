"""The document a log message is about.

Every message of the package names its document: the component sets the
document's id around its work (`about`), and the steps below it, which see
only text, name it with `document()`. The package's logger has a
`NullHandler` (see `quotes/__init__.py`): a library prints nothing unless its
host configures logging; the command line installs its own handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_CURRENT: ContextVar[str | None] = ContextVar("quotes_document", default=None)


@contextmanager
def about(doc_id: str | None) -> Iterator[None]:
    """Name `doc_id` in the messages logged inside the block."""
    token = _CURRENT.set(doc_id)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def document() -> str:
    """The document being processed, for a message: `document 'a.txt'`."""
    doc_id = _CURRENT.get()
    return "document without id" if doc_id is None else f"document {doc_id!r}"
