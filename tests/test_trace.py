"""`quotes trace` and reading records back: groups across documents, `first`, --near."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes.cli import app
from quotes.columns import flatten
from quotes.corpus import corpus_records
from quotes.recordfiles import RecordFileError, is_records_file, read_records
from quotes.trace import trace

SHARED = "The situation in the country is fully under control now"


def _row(doc_id: str, start: int, text: str, *, name: str | None = "Kassym-Jomart Tokayev",
         date: str | None = None, outlet: str | None = None, url: str | None = None,
         nested_meta: bool = False) -> dict:
    row = {"id": f"{doc_id}#{start}-{start + len(text)}", "doc_id": doc_id, "kind": "direct", "text": text,
           "start": start, "end": start + len(text), "parts": [[start, start + len(text)]],
           "speaker": None if name is None else {"name": name, "mention": name, "start": 0, "end": 5,
                                                 "expert_id": None, "description": None},
           "cue": None, "confidence": 0.95, "rule": "direct.subject", "flags": []}
    meta = {k: v for k, v in (("date", date), ("outlet", outlet), ("url", url)) if v is not None}
    if nested_meta:
        row["meta"] = meta
    else:
        row.update(meta)
    return row


def _three_dated_documents() -> list[dict]:
    """One quote in three documents; the one read last has the earliest date."""
    return [
        _row("wire.txt", 10, SHARED, date="2022-01-07", outlet="Wire", url="https://wire.example/1"),
        _row("daily.txt", 40, f"“{SHARED},”", name="Kasim-Jomart Tokayev", date="2022-01-09",
             outlet="Daily", nested_meta=True),
        _row("first.txt", 0, SHARED.upper(), date="2022-01-05T08:00:00+06:00", outlet="First Post",
             url="https://first.example/a"),
        _row("wire.txt", 200, "An unrelated sentence said once in one place"),
    ]


def test_trace_finds_a_quote_three_dated_documents_share_earliest_first():
    (group,) = trace(corpus_records(_three_dated_documents()))
    assert group.count == 3
    assert group.documents == ["wire.txt", "daily.txt", "first.txt"]
    d = group.to_dict()
    assert d["first"] == {"doc_id": "first.txt", "id": "first.txt#0-55", "date": "2022-01-05T08:00:00+06:00",
                          "outlet": "First Post", "url": "https://first.example/a"}
    assert d["speaker_key"] == "kasim-iomart tokaev"
    assert d["text"] == SHARED


def test_trace_first_without_dates_is_the_first_in_input_order():
    rows = [_row("b.txt", 0, SHARED), _row("a.txt", 0, SHARED), _row("c.txt", 0, SHARED)]
    (group,) = trace(corpus_records(rows))
    assert group.first is not None and group.first.doc_id == "b.txt"


def test_trace_dated_records_come_before_undated_ones():
    rows = [_row("b.txt", 0, SHARED), _row("a.txt", 0, SHARED, date="2023-05-01")]
    (group,) = trace(corpus_records(rows))
    assert group.first is not None and group.first.doc_id == "a.txt"


def test_trace_counts_a_repeat_inside_a_document_once_as_a_document():
    rows = [_row("a.txt", 0, SHARED), _row("a.txt", 500, SHARED), _row("b.txt", 0, SHARED)]
    (group,) = trace(corpus_records(rows))
    assert (group.count, group.documents) == (3, ["a.txt", "b.txt"])
    assert trace(corpus_records(rows[:2])) == []  # one document is no travel


def test_trace_near_joins_a_changed_word_and_keeps_other_quotes_apart():
    rows = [_row("a.txt", 0, SHARED), _row("b.txt", 0, SHARED.replace("fully", "completely")),
            _row("c.txt", 0, "Our economy will grow by four percent in the coming year")]
    assert trace(corpus_records(rows)) == []
    (group,) = trace(corpus_records(rows), near=True)
    assert group.documents == ["a.txt", "b.txt"] and len(group.to_dict()["quote_keys"]) == 2


def test_trace_leaves_out_short_phrases_by_default():
    rows = [_row("a.txt", 0, "red line"), _row("b.txt", 0, "Red line!")]
    assert trace(corpus_records(rows)) == []
    assert len(trace(corpus_records(rows), min_words=1)) == 1


def test_a_flat_row_reads_like_the_nested_record():
    nested = _row("a", 0, "words", name="Pepe Escobar", date="2022-01-07", outlet="X")
    nested["speaker"]["expert_id"] = "escobar"
    flat = flatten(nested) | {"date": "2022-01-07", "outlet": "X", "url": float("nan")}  # pandas' blank
    (r,) = corpus_records([flat])
    assert (r.speaker_name, r.expert_id, r.speaker_key, r.outlet, r.url) == ("Pepe Escobar", "escobar",
                                                                            "escobar", "X", None)
    assert r == next(corpus_records([nested]))


def test_a_row_that_is_not_a_whole_record_is_named_not_guessed():
    partial = {"id": "a#0-5", "doc_id": "a", "kind": "direct", "text": "words", "start": 0, "end": 5,
               "speaker_name": "Pepe Escobar"}  # no mention or offsets: no speaker to trust
    with pytest.raises(ValueError, match=r"^row 1: speaker\.mention: "):
        list(corpus_records([partial]))


def _write(tmp_path: Path, rows: list[dict]) -> dict[str, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = {"json": tmp_path / "r.json", "jsonl": tmp_path / "r.jsonl", "gz": tmp_path / "r.jsonl.gz",
             "parquet": tmp_path / "r.parquet"}
    paths["json"].write_text(json.dumps(rows), encoding="utf-8")
    lines = "".join(json.dumps(r) + "\n" for r in rows)
    paths["jsonl"].write_text(lines, encoding="utf-8")
    with gzip.open(paths["gz"], "wt", encoding="utf-8") as fh:
        fh.write(lines)
    kept = ("date", "outlet", "url")
    flat = [flatten({**r, "meta": {k: r.get(k) or (r.get("meta") or {}).get(k) for k in kept}}, kept)
            for r in rows]
    pq.write_table(pa.Table.from_pylist(flat), paths["parquet"])
    return paths


@pytest.mark.parametrize("kind", ["json", "jsonl", "gz", "parquet"])
def test_cli_trace_reads_every_record_format(tmp_path, kind):
    paths = _write(tmp_path, _three_dated_documents())
    assert is_records_file(paths[kind])
    result = CliRunner().invoke(app, ["trace", str(paths[kind]), "--format", "json"])
    assert result.exit_code == 0, result.output
    (group,) = json.loads(result.stdout)
    assert group["count"] == 3 and group["first"]["doc_id"] == "first.txt"
    assert group["first"]["outlet"] == "First Post"


def test_cli_trace_table_and_csv(tmp_path):
    paths = _write(tmp_path, _three_dated_documents())
    table = CliRunner().invoke(app, ["trace", str(paths["jsonl"])]).stdout.splitlines()
    assert table[0].split()[:3] == ["documents", "count", "first"] and "first.txt" in table[2]
    out = CliRunner().invoke(app, ["trace", str(paths["jsonl"]), "--format", "csv"]).stdout
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["doc_ids"] == "wire.txt;daily.txt;first.txt" and row["first_date"].startswith("2022-01-05")


@pytest.mark.parametrize(("line", "problem"), [("not json", "invalid JSON"), ('{"id": 1}', "id: ")])
def test_cli_trace_names_a_line_that_is_not_a_record(tmp_path, line, problem):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(_row("a.txt", 0, SHARED)) + "\n" + line + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["trace", str(bad)])
    assert result.exit_code == 2 and f"{bad}:2: {problem}" in result.stderr


def test_trace_reads_a_directory_of_part_files(tmp_path):
    from quotes.sinks import open_sink

    rows = _three_dated_documents()
    sink = open_sink(tmp_path / "out", "parquet", ("date", "outlet", "url"), part_rows=1)
    for row in rows:  # as `quotes extract --keep-fields date,outlet,url` writes them
        meta = {k: row.get(k, (row.get("meta") or {}).get(k)) for k in ("date", "outlet", "url")}
        sink.write({**{k: v for k, v in row.items() if k not in meta}, "meta": meta})
    sink.close()
    assert len(list((tmp_path / "out").glob("part-*.parquet"))) == len(rows)
    result = CliRunner().invoke(app, ["trace", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 0, result.output
    (group,) = json.loads(result.stdout)
    assert group["count"] == 3 and group["first"]["doc_id"] == "first.txt"
    with pytest.raises(RecordFileError):
        list(read_records([tmp_path / "missing.jsonl"]))


def test_articles_are_not_records(tmp_path):
    articles = tmp_path / "a.jsonl"
    articles.write_text('{"id": "a", "text": "He said \\"hi\\"."}\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("Plain text.", encoding="utf-8")
    assert not is_records_file(articles) and not is_records_file(tmp_path / "a.txt")
    # Annotated articles (the gold format) hold record-like fields only inside their quotes.
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "He said it.", "quotes": [
        {"start": 0, "end": 2, "kind": "indirect", "text": "He", "speaker": None}]}) + "\n", encoding="utf-8")
    assert not is_records_file(gold)
