"""Tests for flat columns, Parquet output, reading record files back and to_frame."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

import quotes
from quotes.columns import clashes, column_names, flatten, unflatten
from quotes.io import RecordWriter
from quotes.recordfiles import RecordFileError, read_records
from quotes.records import Cue, Provenance, Quote, Speaker
from quotes.sinks import open_sink

PROVENANCE = Provenance(quotes_version="0.1.0", pipeline="en_core_web_sm-3.8.0", rules_hash="sha256:0123")


def _records(n: int = 2) -> list[Quote]:
    out = []
    for i in range(n):
        doc = f"doc-{i // 2}"
        start = 10 + 100 * i
        out.append(Quote(
            id=f"{doc}#{start}-{start + 20}", doc_id=doc, kind="direct", text='We are "ready"; ça va',
            start=start, end=start + 20, parts=[(start, start + 8), (start + 9, start + 20)],
            speaker=Speaker(name="Ada Lovelace", mention="she", start=start + 25, end=start + 28,
                            expert_id="E42") if i % 2 == 0 else None,
            cue=Cue(text="said", lemma="say", start=start + 21, end=start + 25) if i % 2 == 0 else None,
            confidence=0.5, rule="direct.after", flags=["continued", "nested"] if i % 2 else [],
            continues=f"{doc}#0-5" if i % 2 else None, nested_in=None,
            meta={"url": f"https://x.example/{i}", "date": "2022-01-05", "outlet": None},
            provenance=PROVENANCE))
    return out


def test_flat_columns_carry_links_offsets_kept_fields_and_provenance() -> None:
    names = column_names(("url", "date", "outlet"))
    for name in ("doc_id", "continues", "nested_in", "speaker_start", "speaker_end", "cue_start", "cue_end",
                 "url", "date", "outlet", "quotes_version", "pipeline", "rules_hash"):
        assert name in names
    # The first CSV's columns keep their names.
    assert {"speaker_name", "speaker_mention", "expert_id", "description", "cue", "cue_lemma", "flags"} <= set(names)
    assert names[0] == "doc_id" and names.index("outlet") < names.index("quotes_version")


def test_flatten_and_unflatten_round_trip_a_record() -> None:
    for record in _records(2):
        row = flatten(record, ("url", "date", "outlet"))
        assert row["parts"] == json.dumps([list(p) for p in record.parts])
        back = unflatten(row)
        assert Quote.model_validate(back) == record


def test_kept_field_names_that_are_record_columns_clash() -> None:
    assert clashes(["url", "text", "id", "outlet"]) == ["text", "id"]


@pytest.mark.parametrize("name", ["out.parquet", "out_dir"])
def test_parquet_file_or_directory_reads_back_with_pandas_and_read_records(tmp_path: Path, name: str) -> None:
    records = _records(7)
    output = tmp_path / name
    sink = open_sink(output, "parquet", ("url", "date", "outlet"), part_rows=3)
    for record in records:
        sink.write(record)
    sink.close()
    if output.is_dir():
        assert sorted(p.name for p in output.iterdir()) == [
            "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing left beside it
    frame = pd.read_parquet(output)
    assert list(frame.columns) == list(column_names(("url", "date", "outlet")))
    assert list(frame["id"]) == [r.id for r in records]
    assert list(frame["url"]) == [r.meta["url"] for r in records]
    assert set(frame["rules_hash"]) == {"sha256:0123"}
    assert [Quote.model_validate(r) for r in read_records(output)] == records
    assert quotes.to_frame(records).equals(frame)


def test_an_empty_parquet_output_still_has_its_columns(tmp_path: Path) -> None:
    open_sink(tmp_path / "empty.parquet", "parquet").close()
    frame = pd.read_parquet(tmp_path / "empty.parquet")
    assert len(frame) == 0 and list(frame.columns) == list(column_names())


def test_an_aborted_parquet_output_leaves_the_earlier_one(tmp_path: Path) -> None:
    output = tmp_path / "out"
    first = open_sink(output, "parquet")
    first.write(_records(1)[0])
    first.close()
    second = open_sink(output, "parquet")
    second.write(_records(2)[1])
    second.abort()
    assert [r["id"] for r in read_records(output)] == [_records(1)[0].id]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_parquet_needs_an_output_path() -> None:
    with pytest.raises(ValueError, match="-o"):
        open_sink(None, "parquet")


def test_csv_carries_the_kept_fields_and_provenance(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with RecordWriter(path, "csv", ("url", "date", "outlet")) as writer:
        for record in _records(2):
            writer.write(record)
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows[0]["url"] == "https://x.example/0" and rows[0]["outlet"] == ""
    assert rows[0]["speaker_start"] == "35" and rows[0]["cue_end"] == "35"
    assert rows[1]["continues"] == "doc-0#0-5" and rows[1]["flags"] == "continued;nested"
    assert rows[1]["pipeline"] == "en_core_web_sm-3.8.0"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "jsonl.gz"])
def test_read_records_reads_json_and_jsonl(tmp_path: Path, fmt: str) -> None:
    records = _records(3)
    dumps = [r.model_dump(mode="json") for r in records]
    path = tmp_path / f"out.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(dumps), encoding="utf-8")
    else:
        data = "".join(json.dumps(d) + "\n" for d in dumps).encode("utf-8")
        path.write_bytes(gzip.compress(data) if fmt.endswith(".gz") else data)
    assert list(read_records([path, path])) == dumps + dumps


def test_read_records_names_a_bad_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text('{"id": 1}\nnot json\n', encoding="utf-8")
    with pytest.raises(RecordFileError, match=r"articles.jsonl:2: invalid JSON"):
        list(read_records(path))
    with pytest.raises(RecordFileError, match="without Parquet part files"):
        list(read_records(tmp_path))


def test_to_frame_accepts_record_dicts_and_documents_the_flags_column() -> None:
    records = _records(3)
    frame = quotes.to_frame(r.model_dump(mode="json") for r in records)
    assert list(frame["flags"]) == ["", "continued;nested", ""]  # frame.flags is pandas' own attribute
    assert list(frame["outlet"].isna()) == [True, True, True]
    assert frame["speaker_start"].iloc[0] == 35
