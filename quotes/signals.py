"""How the command line ends when it is told to: SIGTERM, and a reader that went away.

SIGTERM (what `timeout`, Docker and cluster schedulers send) is handled as
SIGINT is: it raises `KeyboardInterrupt` in the main process, so the output
writer drops its temporary file and an existing output is left untouched.
Worker processes forked from it keep the default (they are ended by the
pool). A closed standard output (`quotes extract ... | head -1`) ends the run
quietly with exit code 141, as a process killed by SIGPIPE reports in a shell.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

EXIT_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Inside the block, SIGTERM raises KeyboardInterrupt in this process."""
    pid = os.getpid()

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != pid:  # a forked worker: die as by default
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise KeyboardInterrupt("terminated (SIGTERM)")

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush
    of a broken pipe does not print an error on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real stdout (a test runner's)
        pass
