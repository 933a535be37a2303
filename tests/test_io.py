"""Tests for quotes.io: reading input documents and writing quote records."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import BinaryIO, TextIO

import pytest

from quotes.io import CSV_COLUMNS, Format, InputDocument, InputError, RecordWriter, iter_inputs
from quotes.records import Cue, Quote, Speaker


def _read(
    *paths: str | Path, stdin: TextIO | BinaryIO | None = None
) -> list[InputDocument | InputError]:
    return list(iter_inputs([str(p) for p in paths], stdin=stdin))


def _only_document(*paths: str | Path) -> InputDocument:
    (item,) = _read(*paths)
    assert isinstance(item, InputDocument), item
    return item


def _only_error(*paths: str | Path) -> InputError:
    (item,) = _read(*paths)
    assert isinstance(item, InputError), item
    return item


# --- reading text files -------------------------------------------------------------------


def test_iter_inputs_txt_file_is_one_document_named_by_the_path_as_given(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text("He said so.", encoding="utf-8")
    assert _only_document(path) == InputDocument(str(path), "He said so.", str(path))


def test_iter_inputs_other_suffix_given_explicitly_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_text("# Title", encoding="utf-8")
    assert _only_document(path).doc_id == str(path)


def test_iter_inputs_directory_recurses_sorted_with_relative_posix_ids(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for name in ["b.txt", "a.txt", "sub/deeper/e.txt", "sub/c.txt", "notes.md"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name, encoding="utf-8")
    docs = _read(root)
    assert [d.doc_id for d in docs if isinstance(d, InputDocument)] == [
        "a.txt",
        "b.txt",
        "sub/c.txt",
        "sub/deeper/e.txt",
    ]
    assert all(isinstance(d, InputDocument) and d.text == d.doc_id for d in docs)
    assert docs[2].source == str(root / "sub" / "c.txt")


def test_iter_inputs_bom_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHello")
    assert _only_document(path).text == "Hello"


def test_iter_inputs_crlf_is_preserved(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"One.\r\nTwo.\r\n")
    doc = _only_document(path)
    assert "\r\n" in doc.text
    assert doc.text == "One.\r\nTwo.\r\n"


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_iter_inputs_empty_file_is_a_document(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _only_document(path).text == content.decode()


def test_iter_inputs_binary_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    error = _only_error(path)
    assert error.line is None
    assert str(error) == f"{path}: binary file, not text"


def test_iter_inputs_invalid_utf8_is_an_error_naming_file_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9".encode("latin-1"))
    error = _only_error(path)
    assert str(error).startswith(f"{path}: ")
    assert "invalid UTF-8 at byte 3" in error.message
    assert "re-encode" in error.message


def test_iter_inputs_invalid_utf8_offset_counts_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfab\xff")
    assert "at byte 5" in _only_error(path).message


def test_iter_inputs_missing_path_is_an_error_and_iteration_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("ok", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    error, doc = _read(missing, good)
    assert isinstance(error, InputError)
    assert str(error) == f"{missing}: no such file or directory"
    assert isinstance(doc, InputDocument) and doc.text == "ok"


def test_iter_inputs_reads_each_path_only_when_reached(tmp_path: Path) -> None:
    first, later = tmp_path / "first.txt", tmp_path / "later.txt"
    first.write_text("1", encoding="utf-8")
    stream = iter_inputs([str(first), str(later)])
    assert next(stream) == InputDocument(str(first), "1", str(first))
    later.write_text("2", encoding="utf-8")  # created after the stream started
    assert next(stream) == InputDocument(str(later), "2", str(later))


# --- reading JSON Lines -------------------------------------------------------------------


def test_iter_inputs_jsonl_yields_good_lines_and_errors_with_file_and_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [
        '{"id": 7, "text": "first"}',
        "{not json",
        "",
        '["a", "list"]',
        '{"id": "x"}',
        '{"id": "y", "text": 42}',
        '{"text": "no id"}',
        '{"id": "last", "text": "crlf\\r\\nkept"}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(path)

    docs = [i for i in items if isinstance(i, InputDocument)]
    assert [(d.doc_id, d.text, d.line) for d in docs] == [
        ("7", "first", 1),
        (f"{path}:7", "no id", 7),
        ("last", "crlf\r\nkept", 8),
    ]
    assert all(d.source == str(path) for d in docs)

    errors = {i.line: i for i in items if isinstance(i, InputError)}
    assert sorted(errors) == [2, 4, 5, 6]
    assert str(errors[2]).startswith(f"{path}:2: malformed JSON")
    assert "expected a JSON object" in errors[4].message and "array" in errors[4].message
    assert errors[5].message == 'missing "text" key; name the text field with --text-field'
    assert errors[6].message == '"text" must be a string, got number'


def test_iter_inputs_jsonl_bom_and_crlf_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": 1, "text": "a"}\r\n{"id": 2, "text": "b"}\r\n')
    assert [(d.doc_id, d.text) for d in _read(path) if isinstance(d, InputDocument)] == [
        ("1", "a"),
        ("2", "b"),
    ]


def test_iter_inputs_jsonl_invalid_utf8_line_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"id": 1, "text": "a"}\n{"id": 2, "text": "\xe9"}\n{"id": 3, "text": "c"}\n')
    first, error, last = _read(path)
    assert isinstance(first, InputDocument) and isinstance(last, InputDocument)
    assert isinstance(error, InputError) and error.line == 2
    assert "invalid UTF-8 at byte 42" in str(error)


def test_iter_inputs_jsonl_binary_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"\x00\x01\x02")
    assert _only_error(path).message == "binary file, not text"


# --- reading standard input ---------------------------------------------------------------


def test_iter_inputs_stdin_bytes_is_one_document(tmp_path: Path) -> None:
    (doc,) = _read("-", stdin=io.BytesIO(b"\xef\xbb\xbfLine one.\r\nLine two."))
    assert doc == InputDocument("<stdin>", "Line one.\r\nLine two.", "<stdin>")


def test_iter_inputs_stdin_text_stream_is_accepted() -> None:
    (doc,) = _read("-", stdin=io.StringIO("plain text"))
    assert isinstance(doc, InputDocument) and doc.text == "plain text"


def test_iter_inputs_stdin_invalid_utf8_is_an_error() -> None:
    (error,) = _read("-", stdin=io.BytesIO(b"ok \xff"))
    assert isinstance(error, InputError)
    assert str(error).startswith("<stdin>: invalid UTF-8 at byte 3")


# --- writing ------------------------------------------------------------------------------


def _quotes() -> list[Quote]:
    full = Quote(
        id="doc-1#10-30",
        doc_id="doc-1",
        kind="direct",
        text='We are "ready", ça va',
        start=10,
        end=30,
        parts=[(10, 30)],
        speaker=Speaker(
            name="Ada Lovelace",
            mention="she",
            start=35,
            end=38,
            expert_id="E42",
            description="mathematician",
        ),
        cue=Cue(text="said", lemma="say", start=39, end=43),
        confidence=0.9,
        rule="direct.after",
        flags=["resolved-pronoun", "continued"],
        continues="doc-1#0-5",
    )
    bare = Quote(
        id="doc-1#50-60",
        doc_id="doc-1",
        kind="indirect",
        text="line one\nline two",
        start=50,
        end=60,
        parts=[(50, 55), (56, 60)],
        confidence=0.25,
        rule="indirect.that",
    )
    return [full, bare]


def _write(path: Path, fmt: Format, records: list[Quote]) -> str:
    with RecordWriter(path, fmt) as writer:
        for record in records:
            writer.write(record)
    return path.read_text(encoding="utf-8")


def test_record_writer_json_round_trips(tmp_path: Path) -> None:
    records = _quotes()
    data = json.loads(_write(tmp_path / "out.json", "json", records))
    assert [Quote.model_validate(item) for item in data] == records


def test_record_writer_json_empty_is_an_empty_array(tmp_path: Path) -> None:
    assert json.loads(_write(tmp_path / "out.json", "json", [])) == []


def test_record_writer_jsonl_round_trips(tmp_path: Path) -> None:
    records = _quotes()
    text = _write(tmp_path / "out.jsonl", "jsonl", records)
    lines = text.splitlines()
    assert len(lines) == len(records)
    assert [Quote.model_validate_json(line) for line in lines] == records
    assert "ça va" in text  # not ASCII-escaped


def test_record_writer_csv_has_header_and_one_row_per_quote(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    _write(path, "csv", _quotes())
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    full, bare = rows
    assert full["text"] == 'We are "ready", ça va'
    assert (full["speaker_name"], full["speaker_mention"]) == ("Ada Lovelace", "she")
    assert (full["expert_id"], full["description"]) == ("E42", "mathematician")
    assert (full["cue"], full["cue_lemma"]) == ("said", "say")
    assert (full["start"], full["end"], full["confidence"]) == ("10", "30", "0.9")
    assert full["flags"] == "resolved-pronoun;continued"
    assert bare["text"] == "line one\nline two"
    assert bare["speaker_name"] == bare["cue"] == bare["expert_id"] == bare["flags"] == ""
    assert (bare["kind"], bare["rule"]) == ("indirect", "indirect.that")


@pytest.mark.parametrize("output", [None, "-"])
def test_record_writer_stdout_streams_records(
    capsys: pytest.CaptureFixture[str], output: str | None
) -> None:
    with RecordWriter(output, "jsonl") as writer:
        for record in _quotes():
            writer.write(record)
    lines = capsys.readouterr().out.splitlines()
    assert [Quote.model_validate_json(line) for line in lines] == _quotes()


def test_record_writer_exception_leaves_existing_output_and_no_temp_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.json"
    path.write_text("previous run", encoding="utf-8")
    with pytest.raises(RuntimeError, match="interrupted"):
        with RecordWriter(path, "json") as writer:
            writer.write(_quotes()[0])
            raise RuntimeError("interrupted")
    assert path.read_text(encoding="utf-8") == "previous run"
    assert list(tmp_path.iterdir()) == [path]


def test_record_writer_close_replaces_output_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("previous run", encoding="utf-8")
    writer = RecordWriter(path, "jsonl")
    writer.write(_quotes()[1])
    assert path.read_text(encoding="utf-8") == "previous run"  # nothing visible until close
    writer.close()
    writer.close()
    assert Quote.model_validate_json(path.read_text(encoding="utf-8")) == _quotes()[1]
    assert list(tmp_path.iterdir()) == [path]


def test_record_writer_write_after_close_raises(tmp_path: Path) -> None:
    writer = RecordWriter(tmp_path / "out.csv", "csv")
    writer.close()
    with pytest.raises(ValueError, match="closed"):
        writer.write(_quotes()[0])


def test_record_writer_unknown_format_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown output format"):
        RecordWriter(tmp_path / "out.xml", "xml")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
