"""Checks on the command line's paths, made before any document is read.

A path that does not exist, a FIFO or device (reading one can block forever),
an output that is a directory, one of the inputs or inside an input directory
(where its progress file would be read as input): each is a usage error,
reported at once with exit code 2, so that a run never does all its work
only to discard it or to overwrite its own input.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from .remote import is_url
from .sources import STDIN


def input_problems(paths: Sequence[str]) -> list[str]:
    """What is wrong with the input paths, one message each (empty if nothing)."""
    problems = []
    for path in paths:
        if path == STDIN or is_url(path):  # a URL is listed when it is read
            continue
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            problems.append(f"{path}: no such file or directory")
            continue
        except OSError as err:
            problems.append(f"{path}: cannot read: {err.strerror or err}")
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            problems.append(f"{path}: not a regular file or directory ({_kind(mode)}); "
                            "pass a file, a directory, or - for standard input")
    return problems


def output_problems(output: str | Path | None, paths: Sequence[str], directory: bool = False) -> list[str]:
    """What is wrong with the output path given the inputs (empty if nothing).

    Args:
        output: The output path; None or `-` is standard output.
        paths: The input paths.
        directory: The output is a directory of part files (Parquet), which
            may exist already (an earlier run's): it is replaced.
    """
    if output is None or str(output) == STDIN:
        return []
    target = Path(output)
    if target.is_dir() and not directory:
        return [f"--output {target}: is a directory; name a file to write"]
    if not target.parent.is_dir():
        return [f"--output {target}: the directory {target.parent} does not exist"]
    here = target.resolve()
    for path in paths:
        if path == STDIN:
            continue
        source = Path(path)
        if target.exists() and source.exists() and os.path.samefile(target, source):
            return [f"--output {target}: is the input {path}; writing it would overwrite the input"]
        if source.is_dir() and here.is_relative_to(source.resolve()):
            # The run's progress file (`OUT.progress.jsonl`) would be read as
            # input, and an output named .txt or .jsonl by the next run.
            return [f"--output {target}: is inside the input directory {path}, whose .txt and .jsonl "
                    "files are read as articles (the run's progress file too); write the output elsewhere"]
    return []


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"
