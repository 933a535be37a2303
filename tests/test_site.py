"""Tests for the corpus overview, the index page, record files, and the render/report commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from quotes.cli import app
from quotes.corpus import CorpusRecord, read_corpus
from quotes.reports.corpus import Document, overview
from quotes.reports.page import CSP
from quotes.reports.site import PageNames, render_index


def _record(doc_id: str, start: int, speaker: str | None = "Anna Smith", expert: str | None = None,
            **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"{doc_id}#{start}-{start + 5}", "doc_id": doc_id, "kind": "direct", "text": "words",
        "start": start, "end": start + 5, "parts": [[start, start + 5]], "confidence": 0.9,
        "rule": "direct.subject", "flags": [], "cue": None,
        "speaker": None if speaker is None else
        {"name": speaker, "mention": speaker, "start": 0, "end": 3, "expert_id": expert, "description": None},
    }
    return record | extra


def _documents(records: list[dict[str, Any]]) -> list[Document]:
    names = PageNames()
    by_doc: dict[str, list[CorpusRecord]] = {}
    for r in records:
        by_doc.setdefault(r["doc_id"], []).append(CorpusRecord.model_validate(r))
    return [Document(d, names(d), recs) for d, recs in by_doc.items()]


def test_page_names_are_safe_and_never_clash() -> None:
    names = PageNames()
    assert names("001_a.txt") == "001_a.html"
    assert names("sub/dir/a b.txt") == "sub_dir_a_b.html"
    assert names("sub_dir_a_b") == "sub_dir_a_b-2.html"
    assert names("index.txt") == "index-2.html"
    assert names("../..") == "document.html"
    assert names("001_a.txt") == "001_a.html"


def test_record_reader_takes_corpus_fields_from_meta_and_ignores_unknown_fields() -> None:
    data = _record("d", 0, meta={"outlet": "Daily", "date": "2022-01-10", "quote_key": "k1"},
                   speaker_key="smith-anna", future_field=1)
    data["speaker"]["gender"] = "f"
    record = CorpusRecord.model_validate(data)
    assert (record.outlet, record.date, record.quote_key) == ("Daily", "2022-01-10", "k1")
    assert record.speaker_group == "smith-anna"
    assert CorpusRecord.model_validate(_record("d", 0, expert="smith")).speaker_group == "smith"


def test_iter_records_reads_arrays_and_lines_and_names_a_bad_line(tmp_path: Path) -> None:
    lines, array = tmp_path / "a.jsonl", tmp_path / "b.json"
    lines.write_text(json.dumps(_record("a", 0)) + "\n\n" + json.dumps(_record("a", 9)) + "\n")
    array.write_text(json.dumps([_record("b", 1)]))
    assert [r.id for r in read_corpus([lines, array])] == ["a#0-5", "a#9-14", "b#1-6"]
    lines.write_text(json.dumps(_record("a", 0)) + "\n" + json.dumps({"id": "x"}) + "\n")
    with pytest.raises(ValueError, match=rf"^{re.escape(str(lines))}:2: kind: "):
        list(read_corpus([lines]))


def test_overview_counts_speakers_outlets_dates_and_travelling_quotes() -> None:
    records = [
        _record("a", 0, expert="smith", outlet="Daily", date="2022-01-10T08:00:00Z", quote_key="k"),
        _record("a", 10, speaker="Bob Jones", outlet="Daily", date="2022-01-10"),
        _record("b", 0, expert="smith", outlet="Weekly", date="2022-01-12", quote_key="k"),
        _record("b", 20, speaker=None, quote_key="solo"),
        _record("c", 0, expert="smith", quote_key="k", date="not a date"),
    ]
    view = overview(_documents(records))
    assert (view.documents, view.quotes) == (3, 5)
    # A record without a speaker_key counts under its folded name, as in `quotes trace` and `experts`.
    assert [(s.key, s.label, len(s.links)) for s in view.speakers] == [
        ("smith", "Anna Smith [smith]", 3), ("bob iones", "Bob Jones", 1)]
    assert [link.anchor for link in view.speakers[0].documents] == ["a.html#q0", "b.html#q0", "c.html#q0"]
    assert {o: dict(c) for o, c in view.expert_outlets.items()} == {
        "Daily": {"Anna Smith [smith]": 1}, "Weekly": {"Anna Smith [smith]": 1}}
    assert sorted((d.isoformat(), n) for d, n in view.dates.items()) == [("2022-01-10", 2), ("2022-01-12", 1)]
    assert [(t.key, [link.anchor for link in t.links]) for t in view.travels] == [
        ("k", ["a.html#q0", "b.html#q0", "c.html#q0"])]


def test_index_has_charts_for_the_fields_records_carry() -> None:
    plain = render_index(_documents([_record("a", 0), _record("b", 0, expert="smith")]))
    assert plain.count("<svg") == 1 and "Experts by outlet" not in plain and "over time" not in plain
    rich = render_index(_documents([_record("a", 0, expert="smith", outlet="Daily", date="2022-01-10",
                                            quote_key="k"),
                                    _record("b", 0, expert="smith", date="2022-02-01", quote_key="k")]))
    assert rich.count("<svg") == 3
    assert "Quotes that travel" in rich and 'href="a.html#q0"' in rich and 'href="b.html#q0"' in rich
    assert f'content="{CSP}"' in rich
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", rich)
    assert "<?xml" not in rich and "<!DOCTYPE svg" not in rich


def test_index_without_speakers_has_no_chart_and_says_so() -> None:
    page = render_index(_documents([_record("a", 0, speaker=None)]), failures=["bad.txt: not UTF-8"])
    assert "<svg" not in page and "No quote has a speaker" in page and "bad.txt: not UTF-8" in page


def test_report_command_writes_the_overview_from_record_files(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(_record(d, 0, expert="smith")) + "\n" for d in ("x.txt", "y.txt")))
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(records), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert 'href="x.html"' in page and 'href="y.html"' in page and "<svg" in page


def test_report_command_names_a_bad_record_file_and_writes_nothing(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text("{not json\n")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(records), "-o", str(out)])
    assert result.exit_code == 2
    assert f"{records}:1: invalid JSON" in result.output
    assert not out.exists()


@pytest.mark.slow
def test_render_command_writes_index_and_one_page_per_document(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("“We will win,” said Anna Smith.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("No quotes here.\n", encoding="utf-8")
    (corpus / "c.txt").write_bytes(b"\xff\xfe bad")
    site = tmp_path / "site"
    result = CliRunner().invoke(app, ["render", str(corpus), "-o", str(site)])
    assert result.exit_code == 1  # c.txt failed; the others are still written
    assert sorted(p.name for p in site.iterdir()) == ["a.html", "b.html", "index.html"]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="a.html"' in index and 'href="b.html"' in index and "c.txt" in index
    assert "3 documents read: 1 with quotes, 1 without, 1 failed" in result.output


@pytest.mark.slow
def test_render_one_page_needs_one_document(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.txt").write_text(f"“Quote {name},” said Anna Smith.\n", encoding="utf-8")
    page = tmp_path / "page.html"
    many = CliRunner().invoke(app, ["render", str(corpus), "-o", str(page)])
    assert many.exit_code == 2 and "2 documents" in many.output and "--id" in many.output
    assert not page.exists()
    one = CliRunner().invoke(app, ["render", str(corpus), "--id", "b.txt", "-o", str(page)])
    assert one.exit_code == 0, one.output
    assert "Quote b," in page.read_text(encoding="utf-8")
    missing = CliRunner().invoke(app, ["render", str(corpus), "--id", "z.txt", "-o", str(page)])
    assert missing.exit_code == 2 and "no document with --id z.txt" in missing.output
