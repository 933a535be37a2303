"""Tests for quotes.summary: the who-is-quoted table across a corpus."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest

from quotes.records import Kind, Quote, Speaker
from quotes.summary import CSV_COLUMNS, SpeakerRow, format_rows, summarize

EXPERTS = {"escobar": "Pepe Escobar", "korybko": "Andrew Korybko", "lepekhin": "Vladimir Lepekhin"}


def _record(
    doc_id: str | None,
    start: int,
    kind: Kind = "direct",
    name: str | None = None,
    expert_id: str | None = None,
    mention: str | None = None,
    speaker: bool = True,
) -> Quote:
    return Quote(
        id=f"{doc_id}#{start}-{start + 5}",
        doc_id=doc_id,
        kind=kind,
        text="words",
        start=start,
        end=start + 5,
        parts=[(start, start + 5)],
        speaker=Speaker(name=name, mention=mention or name or "he", start=0, end=2,
                        expert_id=expert_id)
        if speaker
        else None,
        confidence=0.9,
        rule="test",
    )


def _corpus() -> list[Quote]:
    return [
        _record("a.txt", 0, "direct", "Pepe Escobar", "escobar"),
        _record("a.txt", 10, "indirect", "Pepe Escobar", "escobar"),
        _record("b.txt", 0, "partial", "Escobar", "escobar"),
        _record("b.txt", 10, "direct", "Andrew Korybko", "korybko"),
        _record("c.txt", 0, "direct", "Vladimir Putin"),
        _record("a.txt", 20, "indirect", "Vladimir Putin"),
        _record("c.txt", 10, "direct", "Antony Blinken"),
        _record("c.txt", 20, "direct", None, mention="the official"),
        _record("c.txt", 30, "direct", speaker=False),
    ]


def _by_key(rows: list[SpeakerRow]) -> dict[str, SpeakerRow]:
    return {row.key: row for row in rows}


def test_experts_are_counted_by_expert_id_with_registry_names() -> None:
    rows = summarize(_corpus(), EXPERTS)
    assert [row.key for row in rows] == ["escobar", "korybko", "lepekhin"]
    escobar = rows[0]
    assert escobar == SpeakerRow(
        key="escobar",
        name="Pepe Escobar",
        expert_id="escobar",
        quotes=3,
        documents=2,
        doc_ids=["a.txt", "b.txt"],
        kinds={"direct": 1, "partial": 1, "indirect": 1},
    )


def test_registered_expert_never_quoted_has_zeros() -> None:
    lepekhin = _by_key(summarize(_corpus(), EXPERTS))["lepekhin"]
    assert (lepekhin.name, lepekhin.quotes, lepekhin.documents, lepekhin.doc_ids) == (
        "Vladimir Lepekhin", 0, 0, []
    )
    assert lepekhin.kinds == {"direct": 0, "partial": 0, "indirect": 0}


def test_all_speakers_adds_resolved_names_and_skips_the_rest() -> None:
    rows = summarize(_corpus(), EXPERTS, all_speakers=True)
    assert [(row.key, row.quotes) for row in rows] == [
        ("escobar", 3),
        ("vladimir putin", 2),  # a speaker outside the registry is keyed by speaker_key
        ("korybko", 1),  # "Andrew Korybko" sorts before "Antony Blinken"
        ("antoni blinken", 1),
        ("lepekhin", 0),
    ]
    putin = _by_key(rows)["vladimir putin"]
    assert (putin.name, putin.expert_id, putin.documents, putin.doc_ids) == (
        "Vladimir Putin", None, 2, ["a.txt", "c.txt"])
    assert sum(row.quotes for row in rows) == 7  # the unnamed and speakerless records are skipped


def test_rows_sort_by_quotes_then_name() -> None:
    records = [
        _record("a", 0, name="Zed Zulu"),
        _record("a", 10, name="Amy Alpha"),
        _record("b", 0, name="Bob Beta"),
        _record("b", 10, name="Bob Beta"),
    ]
    rows = summarize(records, {}, all_speakers=True)
    assert [row.name for row in rows] == ["Bob Beta", "Amy Alpha", "Zed Zulu"]


def test_unregistered_expert_id_gets_a_row_named_by_the_speaker() -> None:
    rows = summarize([_record("a", 0, name="Jane Doe", expert_id="doe")], {})
    assert [(row.key, row.name, row.expert_id, row.quotes) for row in rows] == [
        ("doe", "Jane Doe", "doe", 1)
    ]


def test_expert_id_and_speaker_name_with_the_same_text_stay_apart() -> None:
    records = [
        _record("a", 0, name="Escobar", expert_id="escobar"),
        _record("a", 10, name="escobar"),
    ]
    rows = summarize(records, {"escobar": "Pepe Escobar"}, all_speakers=True)
    assert [(row.key, row.name, row.expert_id, row.quotes) for row in rows] == [
        ("escobar", "escobar", None, 1),
        ("escobar", "Pepe Escobar", "escobar", 1),
    ]


def test_summarize_streams_a_generator_once() -> None:
    consumed: list[int] = []

    def generate() -> Iterator[Quote]:
        for index, record in enumerate(_corpus()):
            consumed.append(index)
            yield record

    rows = summarize(generate(), EXPERTS)
    assert consumed == list(range(len(_corpus())))
    assert _by_key(rows)["escobar"].quotes == 3


def test_record_without_doc_id_counts_as_one_unnamed_document() -> None:
    rows = summarize([_record(None, 0, name="A", expert_id="a"),
                      _record(None, 10, name="A", expert_id="a")], {"a": "A"})
    assert (rows[0].quotes, rows[0].documents, rows[0].doc_ids) == (2, 1, [""])


# --- formatting ---------------------------------------------------------------------------


def test_format_table_aligns_columns() -> None:
    rows = summarize(_corpus(), EXPERTS, all_speakers=True)
    lines = format_rows(rows, "table").splitlines()
    assert lines[0].split() == ["name", "expert_id", "quotes", "documents", "outlets", "doc_ids"]
    assert set(lines[1]) <= {"-", " "}
    quotes_end = lines[0].index("quotes") + len("quotes")
    assert all(line[quotes_end - 1].isdigit() for line in lines[2:])
    assert lines[2].startswith("Pepe Escobar")
    assert "a.txt, b.txt" in lines[2]
    assert any(line.startswith("Vladimir Putin") and " - " in line for line in lines)


def test_format_table_truncates_long_doc_id_lists() -> None:
    records = [_record(f"document-{i:03}.txt", 0, name="A", expert_id="a") for i in range(40)]
    table = format_rows(summarize(records, {"a": "A"}), "table")
    row = table.splitlines()[2]
    assert "document-000.txt" in row
    assert "document-039.txt" not in row
    assert row.endswith("document-002.txt, … (+37)")
    assert len(row) < 120


def test_format_json_is_a_list_of_row_dicts() -> None:
    rows = summarize(_corpus(), EXPERTS)
    data = json.loads(format_rows(rows, "json"))
    assert data[0] == {
        "key": "escobar",
        "name": "Pepe Escobar",
        "expert_id": "escobar",
        "quotes": 3,
        "documents": 2,
        "doc_ids": ["a.txt", "b.txt"],
        "kinds": {"direct": 1, "partial": 1, "indirect": 1},
        "outlets": [],
    }
    assert len(data) == 3


def test_format_csv_has_header_and_joined_doc_ids() -> None:
    rows = summarize(_corpus(), EXPERTS, all_speakers=True)
    parsed = list(csv.reader(io.StringIO(format_rows(rows, "csv"))))
    assert tuple(parsed[0]) == CSV_COLUMNS
    assert len(parsed) == len(rows) + 1
    by_key = {line[0]: dict(zip(parsed[0], line)) for line in parsed[1:]}
    assert by_key["escobar"]["doc_ids"] == "a.txt;b.txt"
    assert by_key["escobar"]["partial"] == "1"
    assert by_key["vladimir putin"]["expert_id"] == ""
    assert by_key["lepekhin"]["doc_ids"] == ""


def test_format_rows_of_nothing() -> None:
    assert json.loads(format_rows([], "json")) == []
    assert format_rows([], "csv").splitlines() == [",".join(CSV_COLUMNS)]
    assert format_rows([], "table").splitlines()[0].split()[0] == "name"


def test_format_rows_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="xml"):
        format_rows([], "xml")  # type: ignore[arg-type]


def test_all_speakers_counts_spellings_of_one_name_together() -> None:
    records = [_record("a.txt", 0, name="Kassym-Jomart Tokayev"), _record("b.txt", 0, name="Kasim-Jomart Tokayev"),
               _record("c.txt", 0, name="Kassym-Jomart Tokayev")]
    rows = summarize(records, {}, all_speakers=True)
    assert [(row.name, row.quotes, row.documents) for row in rows] == [("Kassym-Jomart Tokayev", 3, 3)]


def test_summarize_counts_outlets_of_records_read_back() -> None:
    from quotes.corpus import corpus_records

    rows = [{"id": "a#0-5", "doc_id": "a", "kind": "direct", "text": "words", "start": 0, "end": 5,
             "speaker_name": "Pepe Escobar", "speaker_mention": "Escobar", "speaker_start": 9,
             "speaker_end": 16, "expert_id": "escobar", "outlet": "Outlet A"},
            {"id": "b#0-5", "doc_id": "b", "kind": "direct", "text": "words", "start": 0, "end": 5,
             "speaker": {"name": "Escobar", "mention": "he", "start": 9, "end": 11, "expert_id": "escobar"},
             "meta": {"outlet": "Outlet B"}},
            {"id": "c#0-5", "doc_id": "c", "kind": "direct", "text": "words", "start": 0, "end": 5,
             "speaker": {"name": "Escobar", "mention": "Escobar", "start": 9, "end": 16, "expert_id": "escobar"},
             "meta": {"outlet": "Outlet A"}}]
    (escobar,) = summarize(corpus_records(rows), {"escobar": "Pepe Escobar"})
    assert (escobar.quotes, escobar.documents, escobar.outlets) == (3, 3, ["Outlet A", "Outlet B"])


def test_summarize_gives_key_terms_when_asked() -> None:
    texts = ["The Kazakh protests were a colour revolution.", "A colour revolution failed in Kazakhstan.",
             "Colour revolutions need foreign money."]
    records = [_record(f"{i}.txt", 0, name="Ann Lee").model_copy(update={"text": t}) for i, t in enumerate(texts)]
    (row,) = summarize(records, {}, all_speakers=True, terms=True)
    assert row.terms and any("colour revolution" in term for term in row.terms)
    (plain,) = summarize(records, {}, all_speakers=True)
    assert plain.terms is None and "terms" not in plain.to_dict()
    assert "colour revolution" in format_rows([row], "table")
