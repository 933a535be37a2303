"""One `quotes extract` run, as the command line makes it.

This module owns the run between the checked arguments and the exit code: the
engine that extracts (`open_engine`: this process with `--n-process` forked
workers, or the workers of a Dask cluster), the documents (`quotes.sources`,
a `--shard`, the documents an earlier run completed), every record stamped
with its document's kept fields and the run's provenance, and where records
go: through the progress file to `-o OUT` (`quotes.resume`), or straight to
standard output. SIGTERM ends a run as Ctrl-C does, and a closed standard
output ends it quietly (`quotes.signals`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import typer

from .console import EXIT_SOME_FAILED, Accounts, fail, load_extractor
from .provenance import run_provenance
from .records import Provenance, Quote
from .resume import Progress, ResumeError, progress_path, shard
from .rules import Rules, RulesError
from .signals import EXIT_BROKEN_PIPE, silence_stdout, terminate_as_interrupt
from .sinks import OutputFormat, open_sink
from .sources import InputDocument, InputError, SourceOptions, Sources

log = logging.getLogger("quotes")


class Runner(Protocol):
    """What extracts in a run: `pipe_docs` as `Extractor.pipe_docs`, and what
    the provenance names (the pipeline's label and the rules)."""

    model: str
    rules: Rules

    def pipe_docs(self, items: Iterable[tuple[str, Any]]) -> Iterator[tuple[list[Quote] | None, Any]]: ...


class LocalRunner:
    """An `Extractor` in this process, with `--batch-size` and `--n-process`."""

    def __init__(self, extractor: Any, batch_size: int, n_process: int) -> None:
        self.extractor = extractor
        self.model: str = extractor.model
        self.rules: Rules = extractor.rules
        self.batch_size = batch_size
        self.n_process = n_process

    def pipe_docs(self, items: Iterable[tuple[str, Any]]) -> Iterator[tuple[list[Quote] | None, Any]]:
        return self.extractor.pipe_docs(items, batch_size=self.batch_size, n_process=self.n_process)


@contextmanager
def open_engine(engine: str, scheduler: str | None, model: str | None, experts: Path | None,
                rules: Path | None, replace_experts: bool, ner: bool, batch_size: int,
                n_process: int) -> Iterator[Runner]:
    """The runner of `--engine local` or `--engine dask` (closed on leaving the block).

    Raises:
        typer.Exit: A usage error (code 2) when the rules, the model or the
            cluster cannot serve the run.
    """
    if engine == "local":
        yield LocalRunner(load_extractor(model, experts, rules, replace_experts, ner), batch_size, n_process)
        return
    from .dask import DaskEngine, EngineConfig, EngineError

    config = EngineConfig(model, str(rules.resolve()) if rules else None,
                          str(experts.resolve()) if experts else None, replace_experts, ner, batch_size)
    try:
        dask_engine = DaskEngine(config, scheduler, n_workers=n_process).__enter__()
    except (EngineError, RulesError) as err:
        raise fail(str(err)) from None
    try:
        yield dask_engine
    finally:
        dask_engine.close()


def stamp(record: Quote, doc: InputDocument, provenance: Provenance) -> Quote:
    """The record with its document's kept fields and the run's provenance."""
    return record.model_copy(update={"meta": doc.meta or None, "provenance": provenance})


def run_extract(runner: Runner, paths: list[str], fmt: OutputFormat, output: Path | None,
                options: SourceOptions, resume: bool, shard_of: tuple[int, int] | None, quiet: bool) -> None:
    """One `quotes extract` run with `runner` (`open_engine`): documents in, records out.

    Raises:
        typer.Exit: With the run's exit code when it is not 0 (see `quotes.console`).
    """
    kept = options.keep_fields
    provenance = run_provenance(runner.model, runner.rules)
    sources = Sources(paths, options)
    items: Iterable[InputDocument | InputError] = sources if shard_of is None else shard(sources, *shard_of)
    progress: Progress | None = None
    if output is not None:
        try:
            progress = Progress(output, provenance, kept, resume=resume)
        except ResumeError as err:
            raise fail(str(err)) from None
        except OSError as err:
            raise fail(f"cannot write {progress_path(output)}: {err.strerror or err}") from None
        if progress.discarded:
            log.warning("%s: the progress of an earlier run was started over (continue one with --resume)",
                        progress.path)
        items = progress.pending(items)
    accounts = Accounts()
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit=" docs", file=sys.stderr, desc="quotes")
    # SIGTERM ends the run as Ctrl-C does: the progress file keeps every
    # completed document, and an output being written is dropped, not left
    # behind as a temporary file.
    try:
        with terminate_as_interrupt():
            sink = open_sink(None, fmt, kept) if progress is None else None
            for records, doc in runner.pipe_docs(accounts.documents(items)):
                if records is None:
                    accounts.failed(doc)
                else:
                    accounts.count(records)
                    stamped = [stamp(r, doc, provenance) for r in records]
                    if progress is not None:
                        progress.add(doc.doc_id, [r.model_dump(mode="json") for r in stamped])
                    else:
                        for record in stamped:
                            sink.write(record)
                if bar is not None:
                    bar.update(1)
            if progress is not None:
                progress.finish(open_sink(output, fmt, kept))
            else:
                sink.close()
    except BrokenPipeError:  # the reader went away (`| head`): end quietly
        silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except OSError as err:
        raise fail(f"cannot write {output}: {err.strerror or err}") from None
    finally:
        if progress is not None:
            progress.close()
        if bar is not None:
            bar.close()
    if progress is not None and progress.resumed:
        accounts.notes.append(f"{progress.resumed} documents done by an earlier run")
    if sources.skipped:
        accounts.notes.append(f"{len(sources.skipped)} other files in directories skipped")
    if sources.duplicates:
        accounts.notes.append(f"{sources.duplicates} duplicate document ids renamed")
    if not quiet:
        typer.echo(accounts.summary(), err=True)
    if accounts.failures:
        raise typer.Exit(EXIT_SOME_FAILED)
