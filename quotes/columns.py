"""Flat columns of a record: one table row per quote, for CSV, Parquet and pandas.

The columns are derived from the record model (:class:`~quotes.records.Quote`),
so a field added to it becomes a column without touching this module:

- a plain field is a column of its name (``doc_id``, ``start``, ``continues``);
- a nested record becomes ``<field>_<subfield>`` columns (``speaker_name``,
  ``speaker_start``, ``cue_lemma``), except three names kept from the first CSV
  output (``expert_id``, ``description``, ``cue`` for the cue's text) and the
  provenance, whose fields stand as they are (``quotes_version``, ``pipeline``,
  ``rules_hash``);
- a list of strings is joined with ``;`` (``flags``), any other list is JSON
  text (``parts``: ``[[10, 30]]``);
- the kept input fields (``meta``) become columns of their own names, their
  values as text (strings as they are, other JSON values as JSON).

:func:`unflatten` turns a row back into the record's nested form.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from quotes.records import Quote

Kind = Literal["str", "int", "float", "bool", "list_str", "json"]

# Nested fields whose column keeps the name it had in the first CSV output.
_RENAMED = {("speaker", "expert_id"): "expert_id", ("speaker", "description"): "description",
            ("cue", "text"): "cue"}
# Nested records whose fields are columns without a prefix.
_UNPREFIXED = frozenset({"provenance"})
META = "meta"


@dataclass(frozen=True)
class Column:
    """One flat column: its name, where it sits in a record, and its value type."""

    name: str
    path: tuple[str, ...]
    kind: Kind


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> ``X``."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _kind(annotation: Any) -> Kind:
    annotation = _unwrap(annotation)
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation) or (Any,)
        return "list_str" if item is str else "json"
    if origin is Literal:
        return "str"
    return {str: "str", int: "int", float: "float", bool: "bool"}.get(annotation, "json")  # type: ignore[return-value]


def _columns(model: type[BaseModel], prefix: tuple[str, ...]) -> list[Column]:
    out: list[Column] = []
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        if not prefix and name == META:
            continue  # the kept fields' columns depend on the run
        inner = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out.extend(_columns(inner, path))
        elif prefix:
            column = _RENAMED.get(path) or (name if prefix[0] in _UNPREFIXED else "_".join(path))
            out.append(Column(column, path, _kind(info.annotation)))
        else:
            out.append(Column(name, path, _kind(info.annotation)))
    return out


def _ordered(columns: list[Column]) -> tuple[Column, ...]:
    # The document first, as the first CSV output had it.
    return tuple(sorted(columns, key=lambda c: c.name != "doc_id"))


RECORD_COLUMNS: tuple[Column, ...] = _ordered(_columns(Quote, ()))
"""The columns of every record, in order; the kept fields come after them."""
_META_AT = next((i for i, c in enumerate(RECORD_COLUMNS) if c.path[0] == "provenance"), len(RECORD_COLUMNS))


def column_names(meta_fields: Sequence[str] = ()) -> tuple[str, ...]:
    """The flat column names of a run that keeps ``meta_fields``, in order.

    The kept fields stand after the record's own columns, before the provenance.
    """
    names = [c.name for c in RECORD_COLUMNS]
    return (*names[:_META_AT], *meta_fields, *names[_META_AT:])


def clashes(meta_fields: Iterable[str]) -> list[str]:
    """The kept field names that are already record columns (they cannot be kept as such)."""
    taken = {c.name for c in RECORD_COLUMNS}
    return [name for name in meta_fields if name in taken]


def flatten(record: Quote | dict[str, Any], meta_fields: Sequence[str] = ()) -> dict[str, Any]:
    """A record (model or its JSON dump) as one flat row keyed by :func:`column_names`."""
    data = record.model_dump(mode="json") if isinstance(record, Quote) else record
    row: dict[str, Any] = {}
    for column in RECORD_COLUMNS:
        value: Any = data
        for key in column.path:
            value = value.get(key) if isinstance(value, dict) else None
        if column.kind == "list_str":
            value = ";".join(value or ())
        elif column.kind == "json" and value is not None:
            value = json.dumps(value, ensure_ascii=False)
        row[column.name] = value
    meta = data.get(META) or {}
    for name in meta_fields:
        row[name] = meta_text(meta.get(name))
    return {name: row[name] for name in column_names(meta_fields)}


def meta_text(value: Any) -> str | None:
    """A kept field's value in a flat column: strings as they are, other JSON as JSON."""
    return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def unflatten(row: dict[str, Any]) -> dict[str, Any]:
    """A flat row back in the record's nested form; unknown columns go to ``meta``."""
    known = {c.name: c for c in RECORD_COLUMNS}
    record: dict[str, Any] = {}
    meta = {name: value for name, value in row.items() if name not in known}
    for column in RECORD_COLUMNS:
        if column.name not in row:
            continue
        value = row[column.name]
        if column.kind == "list_str":
            value = [item for item in (value or "").split(";") if item]
        elif column.kind == "json" and isinstance(value, str):
            value = json.loads(value)
        target = record
        for key in column.path[:-1]:
            target = target.setdefault(key, {})
        target[column.path[-1]] = value
    for name in dict.fromkeys(c.path[0] for c in RECORD_COLUMNS if len(c.path) > 1):
        # A nested record with no value in any of its columns was null.
        if isinstance(record.get(name), dict) and all(v is None for v in record[name].values()):
            record[name] = None
    if meta:
        record[META] = meta
    return record
