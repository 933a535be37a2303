"""Tests for the `quotes` command line (quotes.cli.app) through typer's CliRunner.

Every `extract` invocation loads the spaCy pipeline, so the invocations are few:
seed 003 is extracted once per module and shared by the tests that read it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from quotes.cli import EXIT_USAGE, app
from quotes.io import CSV_COLUMNS

pytestmark = pytest.mark.slow

SEED_NAME = "003_f09e68be1bba5dd1.txt"
SEED = Path(__file__).resolve().parents[1] / "seeds" / SEED_NAME
SHORT_A = '"It is over," said Evgeny Satanovsky.\n'
SHORT_B = 'Andrew Korybko warned: "This will not end well."\n'


def _invoke(*args: str, input: str | None = None) -> Result:
    # click >= 8.2 keeps standard error apart from standard output by default.
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def _ok_stdout(result: Result) -> str:
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _assert_offsets(records: list[dict[str, Any]], texts: dict[str, str]) -> None:
    assert records
    for r in records:
        source = texts[r["doc_id"]]
        assert source[r["start"]:r["end"]] == r["text"], r
        for a, b in r["parts"]:
            assert r["start"] <= a < b <= r["end"], r


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def seed_records() -> list[dict[str, Any]]:
    """`quotes extract seeds/003...txt` as parsed JSON (one invocation for the module)."""
    return json.loads(_ok_stdout(_invoke("extract", str(SEED))))


def test_extract_json_records_index_the_input(
    seed_records: list[dict[str, Any]], seed_text: str
) -> None:
    assert isinstance(seed_records, list)
    assert {r["doc_id"] for r in seed_records} == {str(SEED)}  # the path as given
    _assert_offsets(seed_records, {str(SEED): seed_text})


def test_extract_links_only_registered_experts(seed_records: list[dict[str, Any]]) -> None:
    expert_ids = {(r["speaker"] or {}).get("expert_id") for r in seed_records} - {None}
    assert {"lepekhin", "satanovsky"} <= expert_ids
    assert "tokayev" not in expert_ids


def test_extract_jsonl_to_output_file(
    tmp_path: Path, seed_records: list[dict[str, Any]], seed_text: str
) -> None:
    out = tmp_path / "quotes.jsonl"
    result = _invoke("extract", str(SEED), "--format", "jsonl", "-o", str(out))
    assert _ok_stdout(result) == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(lines) == len(seed_records)
    assert [r["id"] for r in records] == [r["id"] for r in seed_records]
    _assert_offsets(records, {str(SEED): seed_text})


def test_extract_csv_has_the_header(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SHORT_A, encoding="utf-8")
    stdout = _ok_stdout(_invoke("extract", str(path), "--format", "csv"))
    rows = list(csv.reader(io.StringIO(stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) >= 2
    record = dict(zip(CSV_COLUMNS, rows[1]))
    assert record["doc_id"] == str(path)
    assert SHORT_A[int(record["start"]):int(record["end"])] == record["text"]


def test_extract_directory_gives_ids_relative_to_it(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(SHORT_A, encoding="utf-8")
    (root / "sub" / "b.txt").write_text(SHORT_B, encoding="utf-8")
    (root / "notes.md").write_text(SHORT_A, encoding="utf-8")
    records = json.loads(_ok_stdout(_invoke("extract", str(root))))
    assert {r["doc_id"] for r in records} == {"a.txt", "sub/b.txt"}
    _assert_offsets(records, {"a.txt": SHORT_A, "sub/b.txt": SHORT_B})


def test_extract_jsonl_input_uses_its_ids(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    rows = [{"id": "a", "text": SHORT_A}, {"id": "b", "text": SHORT_B}]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    records = json.loads(_ok_stdout(_invoke("extract", str(path))))
    assert {r["doc_id"] for r in records} == {"a", "b"}
    _assert_offsets(records, {"a": SHORT_A, "b": SHORT_B})


def test_extract_dash_reads_standard_input() -> None:
    text = "Line one.\r\n\r\n" + SHORT_A
    records = json.loads(_ok_stdout(_invoke("extract", "-", input=text)))
    assert {r["doc_id"] for r in records} == {"<stdin>"}
    _assert_offsets(records, {"<stdin>": text})


def test_extract_user_experts_link_a_new_expert(tmp_path: Path, seed_text: str) -> None:
    experts = tmp_path / "experts.jsonl"
    tokayev_entry = {
        "id": "tokayev",
        "name": "Kassym-Jomart Tokayev",
        "aliases": ["Tokayev", "Toqayev"],
    }
    experts.write_text(json.dumps(tokayev_entry) + "\n", encoding="utf-8")
    records = json.loads(_ok_stdout(_invoke("extract", "--experts", str(experts), str(SEED))))
    _assert_offsets(records, {str(SEED): seed_text})
    tokayev = [r for r in records if "Tokayev" in ((r["speaker"] or {}).get("name") or "")]
    assert any(r["kind"] == "direct" for r in tokayev)
    assert {r["speaker"]["expert_id"] for r in tokayev} == {"tokayev"}
    others = {r["speaker"]["expert_id"] for r in records if r["speaker"] and r not in tokayev}
    assert "tokayev" not in others
    assert "lepekhin" in others


def test_extract_replace_experts_without_experts_is_a_usage_error() -> None:
    result = _invoke("extract", "--replace-experts", str(SEED))
    assert result.exit_code == EXIT_USAGE == 2
    assert result.stdout == ""
    assert "--experts" in result.stderr


def test_schema_prints_a_json_schema_with_speaker() -> None:
    schema = json.loads(_ok_stdout(_invoke("schema")))
    assert schema["type"] == "object"
    assert "speaker" in schema["properties"]
    assert {"text", "start", "end", "kind"} <= set(schema["required"])
