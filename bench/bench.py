#!/usr/bin/env python
"""Benchmark quotes: accuracy by profile, reliability of confidence, throughput, memory, engines.

    python bench/bench.py [--quick] [--repeat N] [--no-dev] [--dev A.jsonl,B.jsonl] [--no-PART ...]

The parts, what they print and the flags that skip them are listed in
bench/README.md. The dev sets are read from `../shared/dev/` at run time and
never copied into the project; F1 comes from `../shared/gold/score.py`,
imported at run time. Every timing is the best of `--repeat` runs after an
untimed warm-up; methods compared in a part alternate within a run. The
Markdown tables go to standard output, progress to standard error.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import math
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile  # noqa: E402  (bench/hostile.py: huge and hostile text, one-article peak memory)
import quality  # noqa: E402  (bench/quality.py: accuracy by profile, reliability)

SEEDS_DIR = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SEEDS_GOLD = SHARED / "gold" / "seeds_gold.jsonl"
DEV_SETS = ("realnews_dev.jsonl", "realnews_dev2.jsonl", "polnear_dev.jsonl")
SCORER = SHARED / "gold" / "score.py"
WARMUP_DOCS = 5


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- corpora ------------------------------------------------------------------------------


@dataclass
class Corpus:
    """Texts to time, with their ids."""

    name: str
    ids: list[str]
    texts: list[str]
    tokens: int = 0  # spaCy tokens, the same for every pipeline (one tokenizer)

    @property
    def items(self) -> list[tuple[str, str]]:
        return list(zip(self.texts, self.ids))


def read_seeds() -> Corpus:
    paths = sorted(SEEDS_DIR.glob("*.txt"))
    return Corpus(
        name="seeds",
        ids=[p.name for p in paths],
        texts=[p.read_text(encoding="utf-8") for p in paths],
    )


def read_dev(paths: Sequence[Path]) -> Corpus:
    """The texts of every dev file, one corpus (ids prefixed with the file's name)."""
    ids, texts = [], []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    ids.append(f"{path.stem}:{row['id']}")
                    texts.append(row["text"])
    return Corpus(name="dev (" + " + ".join(p.stem for p in paths) + ")", ids=ids, texts=texts)


# --- timing ---------------------------------------------------------------------------------


@dataclass
class Timing:
    """The best of several timed runs over one corpus."""

    docs: int
    tokens: int
    seconds: float = math.inf

    def add(self, seconds: float) -> None:
        self.seconds = min(self.seconds, seconds)

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds else math.inf

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds else math.inf


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def fmt_int(value: float) -> str:
    return f"{value:,.0f}"


def fmt(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# --- the methods ----------------------------------------------------------------------------


def bare_parse(nlp: Any, corpus: Corpus, batch_size: int) -> list[Any]:
    """(a) The model alone: the quote_extractor component is switched off."""
    with nlp.select_pipes(disable=["quote_extractor"]):
        return list(nlp.pipe(corpus.texts, batch_size=batch_size))


def end_to_end(extractor: Any, corpus: Corpus, batch_size: int, n_process: int = 1) -> list[Any]:
    """(b) quotes end to end: records materialised as Quote objects."""
    return list(extractor.pipe(corpus.items, batch_size=batch_size, n_process=n_process))


def records_json(records: Sequence[Sequence[Any]]) -> str:
    """All records of a run as one JSON string, to compare runs byte for byte."""
    return json.dumps([[r.model_dump(mode="json") for r in doc] for doc in records],
                      ensure_ascii=False, sort_keys=True)


# --- the parts ------------------------------------------------------------------------------


@dataclass
class Context:
    args: argparse.Namespace
    corpora: list[Corpus]
    nlp: Any = None
    extractor: Any = None
    sections: list[str] = field(default_factory=list)


def part_throughput(ctx: Context) -> None:
    args = ctx.args
    have_textacy = not args.no_textacy and importlib.util.find_spec("textacy") is not None
    rows = []
    for corpus in ctx.corpora:
        progress(f"throughput on {corpus.name} ({len(corpus.texts)} docs): warm-up")
        warm = Corpus(corpus.name, corpus.ids[:WARMUP_DOCS], corpus.texts[:WARMUP_DOCS])
        warm_docs = bare_parse(ctx.nlp, warm, args.batch_size)
        end_to_end(ctx.extractor, warm, args.batch_size)
        if have_textacy:
            quality.textacy_quotes(warm_docs)
        bare = e2e = tx = None
        tx_result = quality.TextacyResult()
        n_records = 0
        for run in range(args.repeat):
            progress(f"throughput on {corpus.name}: run {run + 1}/{args.repeat}")
            seconds, docs = timed(lambda c=corpus: bare_parse(ctx.nlp, c, args.batch_size))
            bare = bare or Timing(len(docs), corpus.tokens)
            bare.add(seconds)
            seconds, records = timed(lambda c=corpus: end_to_end(ctx.extractor, c, args.batch_size))
            e2e = e2e or Timing(len(records), corpus.tokens)
            e2e.add(seconds)
            n_records = sum(len(r) for r in records)
            if have_textacy:
                seconds, tx_result = timed(lambda d=docs: quality.textacy_quotes(d))
                tx = tx or Timing(len(docs), corpus.tokens)
                tx.add(seconds)
            del docs
        assert bare is not None and e2e is not None
        rows.append([corpus.name, "(a) spaCy `nlp.pipe`, bare", len(corpus.texts),
                     fmt_int(corpus.tokens), fmt(bare.seconds), fmt_int(bare.tokens_per_s),
                     fmt(bare.docs_per_s), "1.00", ""])
        rows.append([corpus.name, "(b) quotes end to end", e2e.docs, fmt_int(e2e.tokens),
                     fmt(e2e.seconds), fmt_int(e2e.tokens_per_s), fmt(e2e.docs_per_s),
                     fmt(e2e.tokens_per_s / bare.tokens_per_s), f"{n_records} records"])
        if tx is not None:
            with_parse = bare.seconds / (bare.seconds + tx.seconds)
            rows.append([corpus.name, "(c) textacy `direct_quotations` on (a)'s docs", tx.docs,
                         fmt_int(tx.tokens), fmt(tx.seconds), fmt_int(tx.tokens_per_s),
                         fmt(tx.docs_per_s), f"{fmt(with_parse, 3)} with the parse",
                         f"{tx_result.quotes} quotes; ValueError on {tx_result.failures} of "
                         f"{tx.docs} docs"])
        elif not args.no_textacy:
            rows.append([corpus.name, "(c) textacy", "", "", "", "", "", "",
                         "textacy not installed (pip install textacy)"])
    ctx.sections.append(
        f"## Throughput: quotes end to end against a bare `nlp.pipe` of the pipeline it loads "
        f"(default profile, ner included; best of {args.repeat}, batch size {args.batch_size})\n\n"
        + table(["corpus", "method", "docs", "tokens", "best s", "tokens/s", "docs/s",
                 "vs (a)", "notes"], rows)
        + "\n\n(b)/(a) is the end-to-end throughput over the bare parse in the same run. "
        "(c) times the extraction alone on the parsed docs; its 'with the parse' ratio is "
        "(a)'s time over (a)'s plus (c)'s."
    )


def part_nproc(ctx: Context) -> None:
    args = ctx.args
    rows = []
    for corpus in ctx.corpora:
        # Batches small enough that every worker gets some of a small corpus.
        batch = max(1, min(args.batch_size, math.ceil(len(corpus.texts) / (2 * args.n_process))))
        progress(f"n_process on {corpus.name}: warm-up")
        end_to_end(ctx.extractor, corpus, batch, n_process=1)
        one = Timing(len(corpus.texts), corpus.tokens)
        many = Timing(len(corpus.texts), corpus.tokens)
        identical = True
        for run in range(args.repeat):
            progress(f"n_process on {corpus.name}: run {run + 1}/{args.repeat}")
            seconds, records_one = timed(
                lambda c=corpus, b=batch: end_to_end(ctx.extractor, c, b, n_process=1))
            one.add(seconds)
            seconds, records_many = timed(
                lambda c=corpus, b=batch: end_to_end(ctx.extractor, c, b, n_process=args.n_process))
            many.add(seconds)
            identical = identical and records_json(records_one) == records_json(records_many)
        for n, timing in ((1, one), (args.n_process, many)):
            rows.append([corpus.name, n, batch, fmt(timing.seconds), fmt_int(timing.tokens_per_s),
                         fmt(timing.docs_per_s), fmt(one.seconds / timing.seconds),
                         "" if n == 1 else ("yes" if identical else "**NO**")])
    ctx.sections.append(
        f"## End to end with `n_process` (best of {args.repeat}, {os.cpu_count()} CPUs)\n\n"
        + table(["corpus", "n_process", "batch size", "best s", "tokens/s", "docs/s",
                 "speed-up", "records byte-identical"], rows)
        + "\n\nThe times include starting the worker processes."
    )


def part_memory(ctx: Context) -> None:
    from engines import part_memory as memory  # bench/ is on sys.path (see `import hostile`)

    sizes = [int(x) for x in ctx.args.memory_sizes.split(",") if x.strip()]
    pool = [(text, doc_id) for corpus in ctx.corpora for text, doc_id in corpus.items]
    names = " + ".join(c.name for c in ctx.corpora)
    ctx.sections.append(memory(ROOT, pool, names, sizes, table, progress))


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--dev", default=",".join(str(SHARED / "dev" / name) for name in DEV_SETS),
        help="comma-separated dev files (default the three in ../shared/dev/)")
    add("--no-dev", action="store_true", help="the seeds only")
    add("--repeat", type=int, default=None, help="timed runs per measurement, the best kept (default 3)")
    add("--quick", action="store_true", help="seeds only, one timed run, no huge/hostile/peak/engines")
    add("--batch-size", type=int, default=32, help="nlp.pipe batch size")
    add("--n-process", type=int, default=2, help="worker processes compared against 1 (default 2)")
    add("--memory-sizes", default="100,1000", help="document counts for the memory part")
    add("--no-accuracy", action="store_true", help="skip F1 and throughput by profile")
    add("--no-reliability", action="store_true", help="skip the reliability table")
    add("--no-throughput", action="store_true", help="skip quotes against bare nlp.pipe and textacy")
    add("--no-textacy", action="store_true", help="skip textacy in the throughput part")
    add("--no-nproc", action="store_true", help="skip n_process N against 1")
    add("--no-memory", action="store_true", help="skip peak memory over many documents")
    add("--huge-sizes", default="0.5,5", help="sizes in MB of the huge-article part")
    add("--no-huge", action="store_true", help="skip the huge article")
    add("--hostile-marks", type=int, default=50_000, help="quotation marks in a row (hostile part)")
    add("--hostile-flat", type=int, default=2_000_000, help="characters without a line break (hostile)")
    add("--no-hostile", action="store_true", help="skip hostile text")
    add("--peak-sizes", default="0.5,3", help="sizes in MB of the one-article peak memory part")
    add("--no-peak", action="store_true", help="skip one-article peak memory")
    add("--engine-sizes", default="1000,10000", help="corpus sizes of the engines part")
    add("--engine-paragraphs", default="1,2",
        help="seed paragraphs per document in the engines corpora, min,max (default 1,2)")
    add("--no-engines", action="store_true", help="skip --engine dask against --n-process")
    args = parser.parse_args(argv)
    if args.quick:
        args.no_dev = args.no_huge = args.no_hostile = args.no_peak = args.no_engines = True
        args.repeat = args.repeat or 1
    args.repeat = max(1, args.repeat or 3)
    return args


def load_average() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def accuracy_parts(ctx: Context, dev_paths: Sequence[Path]) -> None:
    """F1 by profile and the reliability table (one set of extractions for both)."""
    import quotes

    args = ctx.args
    if not SCORER.is_file():
        ctx.sections.append(f"## Accuracy\n\nNo scorer at {SCORER}: skipped.")
        return
    scorer = quality.load_scorer(SCORER)
    datasets = [quality.read_seeds(SEEDS_DIR, SEEDS_GOLD), *(quality.read_dev(p) for p in dev_paths)]
    for data in datasets:
        data.tokens = sum(len(ctx.nlp.make_doc(text)) for text, _ in data.items)
    progress("accuracy: loading the --fast profile (no ner)")
    profiles = [quality.Profile("default (ner)", ctx.extractor),
                quality.Profile("--fast (no ner)", quotes.Extractor(ner=False))]
    repeat = args.repeat if not args.no_accuracy else 1
    section = quality.part_accuracy(scorer, datasets, profiles, repeat, args.batch_size, table, progress)
    if not args.no_accuracy:
        ctx.sections.append(section)
    if not args.no_reliability:
        ctx.sections.append(quality.part_reliability(scorer, datasets, profiles, table))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("quotes").setLevel(logging.ERROR)  # the scanner's repairs are not news here
    import spacy

    import quotes

    corpora = [read_seeds()]
    dev_paths = [] if args.no_dev else [Path(p) for p in args.dev.split(",") if p.strip()]
    missing = [p for p in dev_paths if not p.is_file()]
    if missing:
        progress(f"no dev file at {', '.join(map(str, missing))}; left out")
        dev_paths = [p for p in dev_paths if p.is_file()]
    if dev_paths:
        corpora.append(read_dev(dev_paths))
    progress("loading the model as quotes loads it by default: the full pipeline, ner included")
    nlp = quotes.load_model()
    extractor = quotes.Extractor(model=nlp)
    for corpus in corpora:
        corpus.tokens = sum(len(nlp.make_doc(text)) for text in corpus.texts)
    ctx = Context(args=args, corpora=corpora, nlp=nlp, extractor=extractor)
    started = time.perf_counter()
    parts: list[tuple[bool, Callable[[], None]]] = [
        (args.no_accuracy and args.no_reliability, lambda: accuracy_parts(ctx, dev_paths)),
        (args.no_throughput, lambda: part_throughput(ctx)),
        (args.no_nproc, lambda: part_nproc(ctx)),
        (args.no_memory, lambda: part_memory(ctx)),
        (args.no_huge, lambda: ctx.sections.append(hostile.part_huge(
            extractor, [float(x) for x in args.huge_sizes.split(",") if x.strip()], progress))),
        (args.no_hostile, lambda: ctx.sections.append(
            hostile.part_hostile(extractor, args.hostile_marks, args.hostile_flat, progress))),
        (args.no_peak, lambda: ctx.sections.append(hostile.part_peak(
            [float(x) for x in args.peak_sizes.split(",") if x.strip()], progress))),
        (args.no_engines, lambda: engines_part(ctx)),
    ]
    for skipped, run in parts:
        if not skipped:
            run()
            ctx.sections[-1] += f"\n\n({load_average()} at the end of this part.)"
    header = (
        "# quotes benchmark\n\n"
        f"- model: {extractor.model} (default profile: ner loaded); spaCy {spacy.__version__}; "
        f"quotes {quotes.__version__}; Python {platform.python_version()}\n"
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs; {load_average()} at the end\n"
        f"- corpora: " + ", ".join(f"{c.name} ({len(c.texts)} docs)" for c in corpora) + "\n"
        f"- {'quick run; ' if args.quick else ''}best of {args.repeat}; "
        f"total {time.perf_counter() - started:.0f} s; own peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print("\n\n".join([header, *ctx.sections]))
    return 0


def engines_part(ctx: Context) -> None:
    from engines import part_engines  # bench/ is on sys.path (see `import hostile`)

    sizes = [int(s) for s in ctx.args.engine_sizes.split(",") if s.strip()]
    low, high = (int(x) for x in ctx.args.engine_paragraphs.split(","))
    ctx.sections.append(part_engines(ROOT, sizes, ctx.args.n_process, table, progress, (low, high)))


if __name__ == "__main__":
    sys.exit(main())
