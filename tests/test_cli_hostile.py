"""The command line under hostile or unlucky use: bad paths, bad JSONL lines,
SIGTERM and closed pipes. Each refusal happens before any document is read.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes import __version__
from quotes.cli import EXIT_SOME_FAILED, EXIT_USAGE, app
from quotes.io import InputError, iter_inputs
from quotes.signals import EXIT_BROKEN_PIPE

SHORT = '"It is over," said Evgeny Satanovsky.\n'


def _invoke(*args: str):  # noqa: ANN202
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


# --------------------------------------------------------------------------- reading, no model


def test_a_symlink_loop_in_a_directory_is_one_named_failure(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "z.txt").write_text(SHORT, encoding="utf-8")
    items = list(iter_inputs([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["InputDocument", "InputError", "InputDocument"]
    assert isinstance(items[1], InputError) and items[1].source.endswith("loop.txt")


def _jsonl(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")  # the last line unterminated
    return path


def test_jsonl_lines_that_are_no_documents_are_named(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, [
        r'{"id": "a", "text": "lone \ud800 surrogate"}',
        r'{"id": "\udc00", "text": "ok"}',
        '{"id": true, "text": "ok"}',
        '{"id": {"a": 1}, "text": "ok"}',
        '{"id": "", "text": "ok"}',
        '{"id": 7, "text": "ok"}',
        '{"id": "b", "text": "unterminated',
    ])
    items = list(iter_inputs([str(path)]))
    messages = [str(i) if isinstance(i, InputError) else i.doc_id for i in items]
    assert messages[0] == f'{path}:1: "text" holds a lone surrogate at character 5; fix the escape'
    assert messages[1].endswith('"id" holds a lone surrogate at character 0; fix the escape')
    assert messages[2].endswith('"id" must be a string or an integer, got boolean')
    assert messages[3].endswith('"id" must be a string or an integer, got object')
    assert messages[4:6] == [f"{path}:5", "7"]  # an empty id counts as none
    assert messages[6].endswith("malformed JSON: Unterminated string starting at column 21")


def test_a_nul_byte_makes_a_text_file_binary_wherever_it_is(tmp_path: Path) -> None:
    for at in (10, 20_000):
        path = tmp_path / f"nul_{at}.txt"
        path.write_bytes(b"a" * at + b"\0" + b"b" * 10)
        (item,) = iter_inputs([str(path)])
        assert isinstance(item, InputError) and item.message == "binary file, not text"


# --------------------------------------------------------------------------- paths refused at once


def test_version() -> None:
    result = _invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"quotes {__version__}"


@pytest.mark.parametrize("case", ["missing", "fifo", "output-is-input", "output-is-directory",
                                  "output-inside-input-directory"])
def test_bad_paths_are_refused_before_any_document_is_read(tmp_path: Path, case: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(SHORT, encoding="utf-8")
    args, expected = {
        "missing": ([str(tmp_path / "nope.txt")], "nope.txt: no such file or directory"),
        "fifo": ([str(tmp_path / "pipe.txt")], "pipe.txt: not a regular file or directory (a FIFO)"),
        "output-is-input": ([str(article), "-o", str(article)], "would overwrite the input"),
        "output-is-directory": ([str(article), "-o", str(tmp_path)], "is a directory"),
        "output-inside-input-directory": ([str(tmp_path), "-o", str(tmp_path / "out.txt")],
                                          "inside the input directory"),
    }[case]
    writer = None
    if case == "fifo":
        os.mkfifo(tmp_path / "pipe.txt")
        # Unblocks a reader that opened the FIFO (the bug), so the test ends either way.
        writer = threading.Timer(10, lambda: open(tmp_path / "pipe.txt", "w").close())
        writer.start()
    started = time.monotonic()
    result = _invoke("extract", *args)
    if writer is not None:
        writer.cancel()
    assert result.exit_code == EXIT_USAGE, result.stderr
    assert expected in result.stderr
    assert time.monotonic() - started < 10, "refused only after reading"
    assert article.read_text(encoding="utf-8") == SHORT


# --------------------------------------------------------------------------- runs, model loaded


@pytest.mark.slow
def test_a_bad_jsonl_line_fails_alone(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, [json.dumps({"id": "good1", "text": SHORT}),
                             r'{"id": "bad", "text": "lone \ud800 surrogate"}',
                             json.dumps({"id": "good2", "text": SHORT})])
    out = tmp_path / "out.json"
    result = _invoke("extract", str(path), "-o", str(out))
    assert result.exit_code == EXIT_SOME_FAILED
    assert [r["doc_id"] for r in json.loads(out.read_text(encoding="utf-8"))] == ["good1", "good2"]
    assert f"{path}:2:" in result.stderr and "1 failed" in result.stderr


def _corpus(tmp_path: Path, docs: int) -> Path:
    return _jsonl(tmp_path, [json.dumps({"id": f"d{i}", "text": SHORT * 3}) for i in range(docs)])


@pytest.mark.slow
def test_sigterm_while_the_output_is_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    """SIGTERM during the final write (the only time a temporary file exists,
    see quotes.resume) drops that file, leaves the earlier output as it was
    and keeps the progress file for --resume. SIGTERM earlier in a run is
    tested in test_resume."""
    source = _corpus(tmp_path, 2)
    out = tmp_path / "out.jsonl"
    assert _invoke("extract", str(source), "--format", "jsonl", "-o", str(out), "--quiet").exit_code == 0
    made = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert made
    # An earlier output of many documents, all done: `--resume` goes straight to the final write.
    with out.open("a", encoding="utf-8") as file:
        for n in range(40_000):
            for record in made:
                file.write(json.dumps({**record, "doc_id": f"copy{n}", "id": f"copy{n}#{record['start']}-"
                                                                             f"{record['end']}"}) + "\n")
    before = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "quotes.cli", "extract", str(source), "--format", "jsonl",
                             "-o", str(out), "--resume", "--quiet"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not list(tmp_path.glob(".out.jsonl.*.tmp")):
        assert proc.poll() is None, f"finished before it was stopped: {proc.stderr.read() if proc.stderr else ''}"
        assert time.monotonic() < deadline, "no temporary output appeared"
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert not list(tmp_path.glob(".out.jsonl.*")), "a temporary file was left behind"
    assert out.read_bytes() == before
    assert (tmp_path / "out.jsonl.progress.jsonl").exists()  # --resume continues from it


@pytest.mark.slow
def test_a_closed_pipe_ends_the_run_quietly(tmp_path: Path) -> None:
    source = _corpus(tmp_path, 2_000)
    proc = subprocess.Popen([sys.executable, "-m", "quotes.cli", "extract", str(source), "--format", "jsonl"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert json.loads(proc.stdout.readline())["doc_id"] == "d0"
    proc.stdout.close()  # `| head -1`
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=300)
    assert proc.returncode == EXIT_BROKEN_PIPE, stderr
    assert "error" not in stderr.lower() and "Traceback" not in stderr


def test_a_missing_expert_registry_is_named_as_such(tmp_path: Path) -> None:
    from quotes.rules import RulesError, load_rules

    with pytest.raises(RulesError, match="nope.jsonl: the expert registry file does not exist") as err:
        load_rules(experts=tmp_path / "nope.jsonl")
    assert "every rules directory" not in str(err.value)
