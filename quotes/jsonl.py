"""Reading JSON Lines files (and JSON arrays) into validated pydantic models.

This module owns one way of reading line-oriented JSON for the whole package:
gold files, prediction and record files. Blank lines are skipped, a byte-order
mark is dropped, and every problem is a :class:`JsonlError` whose message
starts with ``file:line:`` (``file:record N:`` inside a JSON array) and says
what is wrong.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class JsonlError(ValueError):
    """A line (or array item) of a JSON file that cannot be read; the message says where."""


def _problem(err: ValidationError) -> str:
    """The first validation error as ``field: message``."""
    first = err.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def iter_json(path: str | os.PathLike[str]) -> Iterator[tuple[str, Any]]:
    """The values of a JSON Lines file, or the items of a file holding one JSON array.

    Args:
        path: The file.

    Yields:
        ``(where, value)``: ``where`` is ``file:line`` (``file:record N`` for
        an array item, counted from 0), for messages about that value.

    Raises:
        JsonlError: A line (or the array) is not JSON.
        OSError: The file cannot be read.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as err:
            raise JsonlError(f"{path}:{err.lineno}: invalid JSON: {err.msg}") from None
        for index, item in enumerate(items):
            yield f"{path}:record {index}", item
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{path}:{number}", json.loads(line)
        except json.JSONDecodeError as err:
            raise JsonlError(f"{path}:{number}: invalid JSON: {err.msg}") from None


def validated(where: str, value: Any, model: type[M]) -> M:
    """``value`` as a ``model``; :class:`JsonlError` naming ``where`` when it does not fit."""
    if not isinstance(value, dict):
        raise JsonlError(f"{where}: expected a JSON object, got {type(value).__name__}")
    try:
        return model.model_validate(value)
    except ValidationError as err:
        raise JsonlError(f"{where}: {_problem(err)}") from None


def read_models(path: str | os.PathLike[str], model: type[M]) -> list[M]:
    """Every value of a JSON Lines file (or JSON array) validated as ``model``.

    Raises:
        JsonlError: The first line that is not JSON or not a valid ``model``,
            as ``file:line: field: problem``.
        OSError: The file cannot be read.
    """
    return [validated(where, value, model) for where, value in iter_json(path)]
