#!/usr/bin/env python
"""Benchmark quotes: throughput against a bare spaCy pipeline and textacy, memory, NER.

    python bench/bench.py [--dev ../shared/dev/polnear_dev.jsonl] [--repeat N] [--no-dev]
                          [--quick] [--no-throughput] [--no-textacy] [--no-nproc]
                          [--no-memory] [--no-ner] [--n-process N] [--batch-size N]
                          [--memory-sizes 100,1000] [--no-engines] [--engine-sizes 1000,10000]

Corpora: the five `seeds/*.txt`, and the texts of the PolNeAR dev file when it
exists (read from `../shared/dev/` at run time, never copied into the project).

Parts, each switched off by its flag:

* throughput: tokens/s and docs/s of (a) bare `nlp.pipe` with the model of
  `quotes.load_model()`, (b) quotes end to end (`Extractor.pipe`, records
  materialised), (c) textacy `direct_quotations` on the docs parsed by (a)
  (ValueErrors counted per document), and (b)/(a);
* nproc: end to end with `--n-process N` against 1, checking that the records,
  serialised to JSON, are byte-identical;
* memory: peak RSS (`ru_maxrss` of RUSAGE_SELF) of a fresh process running
  `quotes extract` over 100 and 1,000 documents cycled from the corpora;
* ner: end-to-end throughput and F1 with the model loaded with
  `exclude=["ner"]` against the full model;
* hostile (bench/hostile.py): time per character of 50,000 quotation marks in
  a row and of a 2 MB article without a line break against an ordinary
  article of the same size;
* peak: peak RSS of a fresh `quotes extract` on one 0.5 MB and one 3 MB article.
* engines (`bench/engines.py`): `quotes extract --engine dask` on a
  LocalCluster of N workers against `--n-process N`, on corpora made from the
  seed paragraphs at each of `--engine-sizes`: throughput, records identical,
  and the peak RSS of the whole process tree.

Every timing is the best of `--repeat` runs (the methods of a part alternate
within a run, so a busy machine slows them alike), after one untimed warm-up.
The Markdown tables go to standard output, progress to standard error.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import logging
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile  # noqa: E402  (bench/hostile.py: the hostile-text and peak-memory parts)

SEEDS_DIR = ROOT / "seeds"
SEEDS_GOLD = ROOT / "tests" / "seeds_gold.jsonl"
SHARED = ROOT.parent / "shared"
DEFAULT_DEV = SHARED / "dev" / "polnear_dev.jsonl"
SCORER = SHARED / "gold" / "score.py"
WARMUP_DOCS = 5


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- corpora ------------------------------------------------------------------------------


@dataclass
class Corpus:
    """Texts to time, with their ids and (where there is one) their gold file."""

    name: str
    ids: list[str]
    texts: list[str]
    gold_path: Path | None = None
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
        gold_path=SEEDS_GOLD if SEEDS_GOLD.is_file() else None,
    )


def read_dev(path: Path) -> Corpus:
    ids, texts = [], []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                ids.append(str(row["id"]))
                texts.append(row["text"])
    return Corpus(name="dev", ids=ids, texts=texts, gold_path=path)


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


@dataclass
class TextacyResult:
    quotes: int = 0
    failures: int = 0


def textacy_quotes(docs: Sequence[Any]) -> TextacyResult:
    """(c) textacy on already parsed docs; a ValueError costs the whole document."""
    from textacy.extract.triples import direct_quotations

    result = TextacyResult()
    for doc in docs:
        try:
            result.quotes += sum(1 for _ in direct_quotations(doc))
        except ValueError:
            result.failures += 1
    return result


def records_json(records: Sequence[Sequence[Any]]) -> str:
    """All records of a run as one JSON string, to compare runs byte for byte."""
    return json.dumps([[r.model_dump(mode="json") for r in doc] for doc in records],
                      ensure_ascii=False, sort_keys=True)


# --- scoring --------------------------------------------------------------------------------


def f1_scores(corpus: Corpus, records: Sequence[Sequence[Any]]) -> dict[str, float] | None:
    """F1 over all kinds and over direct quotes, by quotes.evaluate or the shared scorer."""
    if corpus.gold_path is None:
        return None
    flat = [r for doc in records for r in doc]
    scores: dict[str, float] = {}
    if importlib.util.find_spec("quotes.evaluate") is not None:
        from quotes.evaluate import evaluate, read_gold

        gold = read_gold(corpus.gold_path)
        for label, kinds in (("all", ("direct", "partial", "indirect")), ("direct", ("direct",))):
            scores[label] = evaluate(gold, flat, kinds).total.f1
        return scores
    if not SCORER.is_file():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        pred.write_text("".join(r.model_dump_json() + "\n" for r in flat), encoding="utf-8")
        for label, kinds in (("all", "direct,partial,indirect"), ("direct", "direct")):
            done = subprocess.run(
                [sys.executable, str(SCORER), str(corpus.gold_path), str(pred), "--json",
                 "--kinds", kinds], capture_output=True, text=True, check=True)
            scores[label] = float(json.loads(done.stdout)["f1"])
    return scores


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
            textacy_quotes(warm_docs)
        bare = e2e = tx = None
        tx_result = TextacyResult()
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
                seconds, tx_result = timed(lambda d=docs: textacy_quotes(d))
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
        f"## Throughput (best of {args.repeat}, batch size {args.batch_size})\n\n"
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


MEMORY_SCRIPT = """\
import json, resource, sys, time
from quotes.cli import main
sys.argv = ["quotes", "extract", sys.argv[1], "--format", "jsonl", "--output", sys.argv[2],
            "--quiet"]
start = time.perf_counter()
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code or 0
print(json.dumps({"maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "seconds": time.perf_counter() - start, "exit": code}))
"""


def part_memory(ctx: Context) -> None:
    args = ctx.args
    sizes = [int(s) for s in args.memory_sizes.split(",") if s.strip()]
    pool = [(text, doc_id) for corpus in ctx.corpora for text, doc_id in corpus.items]
    names = " + ".join(c.name for c in ctx.corpora)
    rows = []
    peaks: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="quotes-bench-") as tmp:
        for size in sizes:
            source = Path(tmp) / f"docs_{size}.jsonl"
            with source.open("w", encoding="utf-8") as fh:
                for i, (text, doc_id) in enumerate(itertools.islice(itertools.cycle(pool), size)):
                    fh.write(json.dumps({"id": f"{i:05d}:{doc_id}", "text": text},
                                        ensure_ascii=False) + "\n")
            progress(f"memory: `quotes extract` over {size} docs in a fresh process")
            done = subprocess.run(
                [sys.executable, "-c", MEMORY_SCRIPT, str(source), str(Path(tmp) / "out.jsonl")],
                capture_output=True, text=True, cwd=ROOT, check=False)
            if done.returncode != 0 or not done.stdout.strip():
                last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                rows.append([size, "failed", "", last.replace("|", "/")])
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            peaks[size] = result["maxrss_kib"] / 1024
            rows.append([size, fmt(peaks[size], 1), fmt(result["seconds"], 1),
                         f"exit {result['exit']}"])
    ratio = ""
    if len(peaks) >= 2:
        small, large = min(peaks), max(peaks)
        ratio = (f"\n\nPeak at {large} docs over peak at {small} docs: "
                 f"{fmt(peaks[large] / peaks[small])}.")
    ctx.sections.append(
        f"## Peak memory of `quotes extract` (docs cycled from {names})\n\n"
        + table(["documents", "peak RSS MiB", "wall s", "status"], rows) + ratio
    )


def part_ner(ctx: Context) -> None:
    import quotes

    args = ctx.args
    progress("ner: loading the full model, ner included")
    full = quotes.Extractor(model=quotes.load_model())
    pipelines = (("full", full), ("without ner (default)", ctx.extractor))
    rows = []
    for corpus in ctx.corpora:
        progress(f"ner on {corpus.name}: warm-up")
        warm = Corpus(corpus.name, corpus.ids[:WARMUP_DOCS], corpus.texts[:WARMUP_DOCS])
        for _, extractor in pipelines:
            end_to_end(extractor, warm, args.batch_size)
        timings = {label: Timing(len(corpus.texts), corpus.tokens) for label, _ in pipelines}
        records: dict[str, list[Any]] = {}
        for run in range(args.repeat):
            progress(f"ner on {corpus.name}: run {run + 1}/{args.repeat}")
            for label, extractor in pipelines:
                seconds, records[label] = timed(
                    lambda c=corpus, e=extractor: end_to_end(e, c, args.batch_size))
                timings[label].add(seconds)
        full_speed = timings["full"].tokens_per_s
        for label, _ in pipelines:
            scores = f1_scores(corpus, records[label])
            timing = timings[label]
            rows.append([corpus.name, label, fmt(timing.seconds), fmt_int(timing.tokens_per_s),
                         fmt(timing.docs_per_s), fmt(timing.tokens_per_s / full_speed),
                         sum(len(r) for r in records[label]),
                         fmt(scores["all"], 3) if scores else "no gold",
                         fmt(scores["direct"], 3) if scores else ""])
    scorer = ("quotes.evaluate" if importlib.util.find_spec("quotes.evaluate") is not None
              else "../shared/gold/score.py")
    ctx.sections.append(
        f"## The NER question: end to end with and without `ner` (best of {args.repeat})\n\n"
        + table(["corpus", "pipeline", "best s", "tokens/s", "docs/s", "speed vs full",
                 "records", "F1 all kinds", "F1 direct"], rows)
        + f"\n\nF1 by {scorer} (the quote found and its speaker right)."
    )


def huge_text(megabytes: float) -> str:
    """An article of about `megabytes` MB built from the seed paragraphs, repeated."""
    paragraphs = [p for path in sorted(SEEDS_DIR.glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    target = int(megabytes * 1_000_000)
    out: list[str] = []
    size = 0
    for paragraph in itertools.cycle(paragraphs):
        if size >= target:
            break
        out.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(out)


def part_huge(ctx: Context) -> None:
    """(g) Time per megabyte of one huge article against a small one: linear growth."""
    sizes = [float(s) for s in ctx.args.huge_sizes.split(",") if s.strip()]
    rows = []
    per_mb: dict[float, float] = {}
    for size in sizes:
        text = huge_text(size)
        megabytes = len(text.encode("utf-8")) / 1_000_000
        progress(f"huge: one article of {megabytes:.2f} MB")
        seconds, records = timed(lambda t=text: ctx.extractor.extract(t, doc_id="huge"))
        assert all(text[r.start:r.end] == r.text for r in records)
        per_mb[size] = seconds / megabytes
        rows.append([fmt(megabytes), len(text), fmt(seconds, 1), fmt(per_mb[size], 1), len(records)])
    ratio = ""
    if len(per_mb) >= 2:
        small, large = min(per_mb), max(per_mb)
        ratio = (f"\n\nSeconds per MB at {large} MB over seconds per MB at {small} MB: "
                 f"{fmt(per_mb[large] / per_mb[small])}.")
    ctx.sections.append(
        "## One huge article (seed paragraphs repeated; cut into pieces past `max_length`)\n\n"
        + table(["MB", "characters", "seconds", "s per MB", "records"], rows) + ratio
    )


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV,
                        help="the PolNeAR dev file (default ../shared/dev/polnear_dev.jsonl)")
    parser.add_argument("--no-dev", action="store_true", help="time the seeds only")
    parser.add_argument("--repeat", type=int, default=None,
                        help="timed runs per measurement, the best kept (default 3)")
    parser.add_argument("--quick", action="store_true", help="seeds only, one timed run")
    parser.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size")
    parser.add_argument("--n-process", type=int, default=2,
                        help="worker processes compared against 1 (default 2)")
    parser.add_argument("--memory-sizes", default="100,1000",
                        help="document counts for the memory part (default 100,1000)")
    parser.add_argument("--no-throughput", action="store_true", help="skip (a), (b), (c)")
    parser.add_argument("--no-textacy", action="store_true", help="skip textacy (c)")
    parser.add_argument("--no-nproc", action="store_true", help="skip n_process (d)")
    parser.add_argument("--no-memory", action="store_true", help="skip peak memory (e)")
    parser.add_argument("--no-ner", action="store_true", help="skip the NER question (f)")
    parser.add_argument("--huge-sizes", default="0.5,5",
                        help="sizes in MB of the huge-article part (default 0.5,5)")
    parser.add_argument("--no-huge", action="store_true", help="skip the huge article (g)")
    parser.add_argument("--hostile-marks", type=int, default=50_000,
                        help="quotation marks in a row for the hostile part (default 50000)")
    parser.add_argument("--hostile-flat", type=int, default=2_000_000,
                        help="characters of the article without a line break (default 2000000)")
    parser.add_argument("--no-hostile", action="store_true", help="skip hostile text (h)")
    parser.add_argument("--peak-sizes", default="0.5,3",
                        help="sizes in MB of the one-article peak memory part (default 0.5,3)")
    parser.add_argument("--no-peak", action="store_true", help="skip one-article peak memory (i)")
    parser.add_argument("--engine-sizes", default="1000,10000",
                        help="corpus sizes of the engines part (default 1000,10000)")
    parser.add_argument("--no-engines", action="store_true", help="skip --engine dask vs --n-process (j)")
    args = parser.parse_args(argv)
    if args.quick:
        args.no_dev = True
        args.no_huge = True
        args.no_hostile = True
        args.no_peak = True
        args.repeat = args.repeat or 1
    args.repeat = max(1, args.repeat or 3)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("quotes").setLevel(logging.ERROR)  # the scanner's repairs are not news here
    import spacy

    import quotes

    corpora = [read_seeds()]
    if not args.no_dev:
        if args.dev.is_file():
            corpora.append(read_dev(args.dev))
        else:
            progress(f"no dev file at {args.dev}; timing the seeds only")
    progress("loading the model (as quotes loads it by default: without ner)")
    nlp = quotes.load_model(exclude=["ner"])
    extractor = quotes.Extractor(model=nlp)
    for corpus in corpora:
        corpus.tokens = sum(len(nlp.make_doc(text)) for text in corpus.texts)
    ctx = Context(args=args, corpora=corpora, nlp=nlp, extractor=extractor)
    started = time.perf_counter()
    if not args.no_throughput:
        part_throughput(ctx)
    if not args.no_nproc:
        part_nproc(ctx)
    if not args.no_memory:
        part_memory(ctx)
    if not args.no_ner:
        part_ner(ctx)
    if not args.no_huge:
        part_huge(ctx)
    if not args.no_hostile:
        ctx.sections.append(hostile.part_hostile(extractor, args.hostile_marks, args.hostile_flat, progress))
    if not args.no_peak:
        sizes = [float(x) for x in args.peak_sizes.split(",") if x.strip()]
        ctx.sections.append(hostile.part_peak(sizes, progress))
    if not args.no_engines:
        from engines import part_engines  # bench/ is on sys.path (see `import hostile`)

        sizes = [int(s) for s in args.engine_sizes.split(",") if s.strip()]
        ctx.sections.append(part_engines(ROOT, sizes, args.n_process, table, progress))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    header = (
        "# quotes benchmark\n\n"
        f"- model: {extractor.model}; spaCy {spacy.__version__}; quotes {quotes.__version__}; "
        f"Python {platform.python_version()}\n"
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs; load average at the end {load}\n"
        f"- corpora: " + ", ".join(f"{c.name} ({len(c.texts)} docs)" for c in corpora) + "\n"
        f"- {'quick run; ' if args.quick else ''}best of {args.repeat}; "
        f"total {time.perf_counter() - started:.0f} s; own peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print("\n\n".join([header, *ctx.sections]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
