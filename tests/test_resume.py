"""Interrupted runs keep what they completed; `--resume` completes them; `--shard` splits a corpus.

A real `quotes extract` process is stopped part-way with SIGTERM or SIGKILL, then
the run is resumed: the records must be those of an uninterrupted run, in the
same order, without duplicates.
"""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from quotes.cli import EXIT_USAGE, app
from quotes.recordfiles import read_records
from quotes.resume import parse_shard, progress_path, shard

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
OUTLETS = ("tass", "ria", "reuters")


def _write_corpus(path: Path, n: int) -> list[str]:
    """``n`` documents of two consecutive seed paragraphs each, with url, date and outlet."""
    paragraphs = [p for seed in sorted(SEEDS.glob("*.txt"))
                  for p in seed.read_text(encoding="utf-8").split("\n\n") if len(p) > 200]
    rows = []
    for i in range(n):
        first = (7 * i) % (len(paragraphs) - 1)
        rows.append({"id": f"doc-{i:03d}", "text": "\n\n".join(paragraphs[first:first + 2]),
                     "url": f"https://{OUTLETS[i % 3]}.example/{i}", "date": f"2022-01-{1 + i % 28:02d}",
                     "outlet": OUTLETS[i % 3]})
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")))
    return [r["id"] for r in rows]


def _args(corpus: Path, out: Path, *extra: str) -> list[str]:
    return ["extract", str(corpus), "--keep-fields", "url,date,outlet", "--format", "parquet",
            "--batch-size", "1", "-o", str(out), *extra]


def _invoke(args: list[str]) -> Result:
    return CliRunner().invoke(app, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """A 60-document corpus and the records of one uninterrupted run over it."""
    root = tmp_path_factory.mktemp("resume")
    path = root / "corpus.jsonl.gz"
    _write_corpus(path, 60)
    result = _invoke(_args(path, root / "reference"))
    assert result.exit_code == 0, result.stderr
    records = list(read_records(root / "reference"))
    assert len({r["doc_id"] for r in records}) > 30
    return path, records


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_an_interrupted_run_resumes_to_the_records_of_an_uninterrupted_one(
    corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path, sig: signal.Signals
) -> None:
    path, reference = corpus
    out = tmp_path / "out"
    progress = progress_path(out)
    process = subprocess.Popen([sys.executable, "-m", "quotes.cli", *_args(path, out, "-q")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while _lines(progress) < 4 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(sig)
        process.wait(timeout=60)
    finally:
        process.kill()
    assert not out.exists(), "the run finished before it was stopped"
    completed = _lines(progress) - 1  # after the header, one line per completed document
    assert 3 <= completed < 60
    if sig == signal.SIGKILL:  # as if killed in the middle of writing a line
        with progress.open("a", encoding="utf-8") as file:
            file.write('{"doc_id": "doc-059", "records": [{"id": "doc-0')

    result = _invoke(_args(path, out, "--resume"))
    assert result.exit_code == 0, result.stderr
    assert f"{completed} documents done by an earlier run" in result.stderr
    records = list(read_records(out))
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate records"
    assert set(ids) == {r["id"] for r in reference}
    assert records == reference
    assert all(r["meta"]["outlet"] in OUTLETS and r["provenance"]["quotes_version"] for r in records)
    assert not progress.exists()


def test_resume_skips_the_documents_already_in_the_output(
    corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    path, reference = corpus
    out = tmp_path / "out.jsonl"
    first_docs = list(dict.fromkeys(r["doc_id"] for r in reference))[:5]
    kept = [r for r in reference if r["doc_id"] in first_docs]
    out.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
    args = _args(path, out, "--resume")
    args[args.index("parquet")] = "jsonl"
    result = _invoke(args)
    assert result.exit_code == 0, result.stderr
    assert "5 documents done by an earlier run" in result.stderr
    assert list(read_records(out)) == reference


def test_resume_refuses_progress_from_other_kept_fields(
    corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    path, reference = corpus
    out = tmp_path / "out"
    header = {"quotes_progress": 1, "provenance": reference[0]["provenance"], "keep_fields": ["url"]}
    progress_path(out).write_text(json.dumps(header) + "\n", encoding="utf-8")
    result = _invoke(_args(path, out, "--resume"))
    assert result.exit_code == EXIT_USAGE
    assert "--keep-fields" in result.stderr and "without --resume" in result.stderr
    assert not out.exists()


def test_shards_are_disjoint_and_together_give_the_whole_run(tmp_path: Path) -> None:
    path = tmp_path / "small.jsonl.gz"
    _write_corpus(path, 7)
    runs = []
    for extra in ([], ["--shard", "1/2"], ["--shard", "2/2"]):
        out = tmp_path / f"out{len(runs)}.jsonl"
        args = _args(path, out, *extra)
        args[args.index("parquet")] = "jsonl"
        result = _invoke(args)
        assert result.exit_code == 0, result.stderr
        runs.append(list(read_records(out)))
    whole, one, two = runs
    assert {r["doc_id"] for r in one}.isdisjoint({r["doc_id"] for r in two})
    assert sorted(one + two, key=lambda r: r["id"]) == sorted(whole, key=lambda r: r["id"])
    assert one and two


def test_shard_slices_by_position_and_checks_its_spec() -> None:
    assert [list(shard(range(7), k, 3)) for k in (1, 2, 3)] == [[0, 3, 6], [1, 4], [2, 5]]
    assert parse_shard("2/8") == (2, 8)
    for bad in ("0/3", "4/3", "1", "a/b", "1/0"):
        with pytest.raises(ValueError, match="K/N"):
            parse_shard(bad)
