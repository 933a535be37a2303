"""Tests for quotes.sources: gzip, directories, JSONL fields, kept fields, unique ids."""

from __future__ import annotations

import gzip
import io
import json
import logging
from pathlib import Path

import pytest

from quotes.sources import InputDocument, InputError, SourceOptions, Sources


def _docs(sources: Sources) -> list[InputDocument]:
    items = list(sources)
    assert all(isinstance(i, InputDocument) for i in items), items
    return items  # type: ignore[return-value]


def _jsonl(rows: list[dict[str, object]]) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode("utf-8")


def test_gzip_text_and_jsonl_files_are_decompressed(tmp_path: Path) -> None:
    txt = tmp_path / "article.txt.gz"
    txt.write_bytes(gzip.compress(b"Line one.\r\nHe said so."))
    lines = tmp_path / "corpus.jsonl.gz"
    lines.write_bytes(gzip.compress(_jsonl([{"id": "a", "text": "first"}, {"id": "b", "text": "second"}])))
    docs = _docs(Sources([str(txt), str(lines)]))
    assert [(d.doc_id, d.text, d.line) for d in docs] == [
        (str(txt), "Line one.\r\nHe said so.", None),
        ("a", "first", 1),
        ("b", "second", 2),
    ]


def test_a_damaged_gzip_file_is_an_error_naming_it(tmp_path: Path) -> None:
    good = gzip.compress(_jsonl([{"id": "a", "text": "first"}] * 50))
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(good[: len(good) // 2])
    fake = tmp_path / "fake.txt.gz"
    fake.write_bytes(b"plain text, not gzip")
    items = list(Sources([str(cut), str(fake)]))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.source for e in errors] == [str(cut), str(fake)]
    assert all("gzip" in e.message for e in errors)


def test_a_directory_yields_text_jsonl_and_gzip_forms_and_counts_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("A", encoding="utf-8")
    (root / "b.TXT.gz").write_bytes(gzip.compress(b"B"))
    (root / "sub" / "c.jsonl").write_bytes(_jsonl([{"id": "c1", "text": "C"}]))
    (root / "sub" / "d.jsonl.gz").write_bytes(gzip.compress(_jsonl([{"text": "D"}])))
    for other in ("notes.md", "page.html", "sub/data.csv"):
        (root / other).write_text("skip me", encoding="utf-8")
    sources = Sources([str(root)])
    docs = _docs(sources)
    assert [(d.doc_id, d.text) for d in docs] == [
        ("a.txt", "A"), ("b.TXT.gz", "B"), ("c1", "C"), ("sub/d.jsonl.gz:1", "D"),
    ]
    assert sorted(Path(p).name for p in sources.skipped) == ["data.csv", "notes.md", "page.html"]


def test_file_arguments_are_named_by_the_path_as_given(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "article.txt").write_text(folder, encoding="utf-8")
    paths = [str(tmp_path / "one" / "article.txt"), str(tmp_path / "two" / "article.txt")]
    assert [d.doc_id for d in _docs(Sources(paths))] == paths


def test_duplicate_ids_are_renamed_warned_about_and_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(_jsonl([{"id": "x", "text": "1"}, {"id": "y", "text": "2"}, {"id": "x", "text": "3"},
                             {"id": "x", "text": "4"}]))
    sources = Sources([str(path)])
    with caplog.at_level(logging.WARNING, logger="quotes.sources"):
        docs = _docs(sources)
    assert [d.doc_id for d in docs] == ["x", "y", "x~2", "x~3"]
    assert sources.duplicates == 2
    assert f"{path}:3: duplicate document id 'x'" in caplog.text


def test_the_same_relative_path_under_two_directories_gets_unique_ids(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(folder, encoding="utf-8")
    sources = Sources([str(tmp_path / "a"), str(tmp_path / "b")])
    assert [(d.doc_id, d.text) for d in _docs(sources)] == [("x.txt", "a"), ("x.txt~2", "b")]
    assert sources.duplicates == 1


def test_text_and_id_fields_are_named_by_the_options(tmp_path: Path) -> None:
    path = tmp_path / "scrape.jsonl"
    path.write_bytes(_jsonl([{"url": "https://a.example/1", "content": "Body one."},
                             {"url": "https://a.example/2", "text": "not the body"}]))
    options = SourceOptions(text_field="content", id_field="url")
    doc, error = list(Sources([str(path)], options))
    assert isinstance(doc, InputDocument) and (doc.doc_id, doc.text) == ("https://a.example/1", "Body one.")
    assert isinstance(error, InputError) and error.line == 2
    assert error.message == 'missing "content" key'


@pytest.mark.parametrize("bad_id", [True, {"a": 1}, ["x"], 1.5])
def test_an_id_that_is_not_a_string_or_integer_is_an_error(tmp_path: Path, bad_id: object) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(_jsonl([{"id": bad_id, "text": "t"}]))
    (error,) = list(Sources([str(path)]))
    assert isinstance(error, InputError)
    assert error.message.startswith('"id" must be a string or an integer')


def test_an_empty_id_field_counts_as_none(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(_jsonl([{"url": "", "text": "t"}, {"url": "u", "text": "t"}]))
    docs = list(Sources([str(path)], SourceOptions(id_field="url")))
    assert [d.doc_id for d in docs] == [f"{path}:1", "u"]


def test_kept_fields_travel_with_the_document_and_are_null_where_missing(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(_jsonl([{"id": "a", "text": "t", "url": "u", "date": "2022-01-05", "outlet": "tass"},
                             {"id": "b", "text": "t", "date": 20220106}]))
    text = tmp_path / "plain.txt"
    text.write_text("t", encoding="utf-8")
    options = SourceOptions(keep_fields=("url", "date", "outlet"))
    docs = _docs(Sources([str(path), str(text)], options))
    assert [d.meta for d in docs] == [
        {"url": "u", "date": "2022-01-05", "outlet": "tass"},
        {"url": None, "date": 20220106, "outlet": None},
        {"url": None, "date": None, "outlet": None},
    ]
    assert _docs(Sources([str(path)]))[0].meta == {}  # nothing kept unless asked


def test_standard_input_is_read_as_jsonl_when_asked() -> None:
    stdin = io.BytesIO(_jsonl([{"id": "a", "text": "first"}, {"text": "second"}]))
    docs = _docs(Sources(["-"], SourceOptions(input_format="jsonl"), stdin=stdin))
    assert [(d.doc_id, d.text, d.source) for d in docs] == [("a", "first", "<stdin>"),
                                                          ("<stdin>:2", "second", "<stdin>")]


def test_standard_input_is_one_text_document_by_default() -> None:
    raw = _jsonl([{"id": "a", "text": "first"}])
    (doc,) = _docs(Sources(["-"], stdin=io.BytesIO(raw)))
    assert (doc.doc_id, doc.text) == ("<stdin>", raw.decode())


def test_a_forced_format_applies_to_file_arguments(tmp_path: Path) -> None:
    path = tmp_path / "export.ndjson"
    path.write_bytes(_jsonl([{"id": "a", "text": "first"}]))
    assert [d.doc_id for d in _docs(Sources([str(path)], SourceOptions(input_format="jsonl")))] == ["a"]
    assert [d.doc_id for d in _docs(Sources([str(path)]))] == [str(path)]  # auto: by the name, text


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    # Unblocks a reader that opened the FIFO (the bug), so the test ends either way.
    writer = threading.Timer(10, lambda: open(fifo, "w").close())
    writer.start()
    try:
        (error,) = list(Sources([str(fifo)]))
    finally:
        writer.cancel()
    assert isinstance(error, InputError) and error.source == str(fifo)
    assert error.message.startswith("not a regular file or directory")
