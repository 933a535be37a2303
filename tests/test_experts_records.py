"""`quotes experts` on record files: no model, outlets, key terms; records given as articles."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from quotes.cli import app


def _row(doc_id: str, text: str, name: str | None, expert: str | None, outlet: str) -> dict:
    return {"id": f"{doc_id}#0-{len(text)}", "doc_id": doc_id, "kind": "direct", "text": text, "start": 0,
            "end": len(text), "parts": [[0, len(text)]],
            "speaker": None if name is None else {"name": name, "mention": name, "start": 0, "end": 3,
                                                  "expert_id": expert, "description": None},
            "cue": None, "confidence": 0.95, "rule": "direct.subject", "flags": [], "meta": {"outlet": outlet}}


ROWS = [
    _row("a.txt", "The colour revolution in Kazakhstan was planned abroad.", "Evgeny Satanovsky", "satanovsky", "A"),
    _row("b.txt", "Every colour revolution follows the same plan.", "Satanovsky", "satanovsky", "B"),
    _row("b.txt", "Order is restored.", "Kassym-Jomart Tokayev", None, "B"),
    _row("c.txt", "Order is fully restored.", "Kasim-Jomart Tokayev", None, "C"),
]


@pytest.fixture
def records_file(tmp_path, monkeypatch):
    import quotes.extractor

    def no_model(*args, **kwargs):
        raise AssertionError("quotes experts loaded a model to read records")

    monkeypatch.setattr(quotes.extractor, "load_model", no_model)
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return path


def test_experts_reads_records_without_a_model(records_file):
    result = CliRunner().invoke(app, ["experts", str(records_file), "--format", "json", "--all-speakers"])
    assert result.exit_code == 0, result.output
    rows = {row["key"]: row for row in json.loads(result.stdout)}
    sat = rows["satanovsky"]
    assert (sat["quotes"], sat["documents"], sat["outlets"]) == (2, 2, ["A", "B"])
    tokayev = rows["kasim-iomart tokaev"]
    assert (tokayev["quotes"], tokayev["doc_ids"], tokayev["outlets"]) == (2, ["b.txt", "c.txt"], ["B", "C"])
    assert rows["lepekhin"]["quotes"] == 0  # the registry still gives every expert a row


def test_experts_terms_say_what_an_expert_talks_about(records_file):
    result = CliRunner().invoke(app, ["experts", str(records_file), "--terms", "--format", "json"])
    assert result.exit_code == 0, result.output
    sat = next(row for row in json.loads(result.stdout) if row["key"] == "satanovsky")
    assert any("colour revolution" in term for term in sat["terms"])


def test_extract_warns_when_given_a_records_file_as_articles(records_file):
    result = CliRunner().invoke(app, ["extract", str(records_file), "--model", "no_such_pipeline_xyz"])
    assert "holds quote records, not articles" in result.stderr
    assert "quotes experts" in result.stderr
