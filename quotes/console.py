"""What the commands of `quotes.cli` share: exit codes, the log on standard
error, failing with a usage error, checking paths, loading the extractor, and
accounting for every input document.

Exit codes: 0 all documents processed, 1 some documents failed (the others
were still written), 2 usage or configuration errors (nothing was read), 141
standard output closed by its reader (`quotes.signals.EXIT_BROKEN_PIPE`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .paths import input_problems, output_problems
from .rules import RulesError
from .sources import InputDocument, InputError

if TYPE_CHECKING:
    from .extractor import Extractor

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("quotes")


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is when a record is logged (a test runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # a closed or broken stream must not stop the run
            self.handleError(record)


def setup_logging(verbose: bool, quiet: bool) -> None:
    """The command's own log handler on the `quotes` logger, whatever the host configured."""
    logger = logging.getLogger("quotes")
    logger.setLevel(logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("quotes: %(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    # The scanner's per-offset repairs are details: show them with --verbose.
    logging.getLogger("quotes.marks").setLevel(logging.DEBUG if verbose else logging.ERROR)


def fail(message: str) -> typer.Exit:
    """Print a usage or configuration error; the Exit to raise (code 2)."""
    typer.echo(f"quotes: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def check_paths(paths: Sequence[str], output: Path | None = None, directory: bool = False) -> None:
    """Refuse missing inputs, FIFOs and an output that clashes, before anything is read
    (`directory`: the output is a directory of part files, see `paths.output_problems`)."""
    problems = input_problems(paths) + output_problems(output, paths, directory)
    if problems:
        raise fail("\n  ".join(problems))


def warn_records_as_articles(paths: Sequence[str]) -> None:
    """Warn about each path that holds quote records, given where articles are expected."""
    from .recordfiles import is_records_file

    for path in paths:
        if path != "-" and is_records_file(path):
            log.warning("%s holds quote records, not articles: each record's text will be read as an "
                        "article; to count or trace records use `quotes experts %s` or `quotes trace %s`",
                        path, path, path)


def load_extractor(model: str | None, experts: Path | None, rules: Path | None,
                   replace_experts: bool = False, ner: bool = True) -> Extractor:
    """The extractor, or a usage error naming what is wrong with the rules or model."""
    from .extractor import Extractor, ModelError

    try:
        return Extractor(model=model, rules_dir=rules, experts=experts, replace_experts=replace_experts,
                         ner=ner)
    except (RulesError, ModelError) as err:
        raise fail(str(err)) from None


class Accounts:
    """Every input document accounted for: read, with quotes, without, failed."""

    def __init__(self) -> None:
        self.read = 0
        self.with_quotes = 0
        self.without_quotes = 0
        self.failures: list[str] = []
        self.quotes = 0
        self.notes: list[str] = []

    def documents(self, items: Iterable[InputDocument | InputError]) -> Iterator[tuple[str, InputDocument]]:
        """The readable documents of `items`, counting the unreadable ones."""
        for item in items:
            self.read += 1
            if isinstance(item, InputError):
                self.failures.append(str(item))
                typer.echo(f"quotes: error: {item}", err=True)
                continue
            yield item.text, item

    def count(self, records: Sequence[object]) -> None:
        """Count a processed document and its records."""
        self.with_quotes += bool(records)
        self.without_quotes += not records
        self.quotes += len(records)

    def failed(self, doc: InputDocument, what: str = "extraction failed (see the log above)") -> None:
        """Count a document whose extraction failed, and say so on standard error."""
        where = doc.source if doc.line is None else f"{doc.source}:{doc.line}"
        self.failures.append(f"{where}: {what}")
        typer.echo(f"quotes: error: {self.failures[-1]}", err=True)

    def summary(self) -> str:
        line = (f"quotes: {self.read} documents read: {self.with_quotes} with quotes, "
                f"{self.without_quotes} without, {len(self.failures)} failed; {self.quotes} quotes")
        if self.notes:
            line += "; " + "; ".join(self.notes)
        if self.failures:
            line += "\nfailed:\n  " + "\n  ".join(self.failures)
        return line
