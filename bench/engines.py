"""The engines and memory parts of the benchmark: `--engine dask` against `--n-process N`.

For each corpus size, a JSONL corpus of articles made from the seed paragraphs
(never from the dev sets) is extracted by `quotes extract` in a fresh process,
once with the local engine and `--n-process N`, once with `--engine dask` on a
LocalCluster of N workers. Reported: wall time (process start, model loads and
cluster start included), documents per second, Dask's throughput over the
local one, peak RSS of the whole process tree (the command, its forked
workers, the Dask nanny and worker processes: RSS summed over the tree and
sampled every 0.2 s, so pages shared by forked workers count once per
process), and whether the two outputs are byte-identical.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUTLETS = ("Wire Service", "Daily Herald", "Evening Post", "Radio Free", "Steppe News")


def make_corpus(seeds_dir: Path, size: int, path: Path, seed: int = 7,
                paragraphs_per_doc: tuple[int, int] = (3, 12)) -> int:
    """Write `size` articles of consecutive seed paragraphs (between the two bounds of
    `paragraphs_per_doc`), with url, date and outlet.

    Returns:
        The number of characters written as article text.
    """
    rng = random.Random(seed)
    articles = [[p for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
                for f in sorted(seeds_dir.glob("*.txt"))]
    chars = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(size):
            paragraphs = rng.choice(articles)
            n = rng.randint(min(paragraphs_per_doc[0], len(paragraphs)),
                            min(paragraphs_per_doc[1], len(paragraphs)))
            start = rng.randrange(0, len(paragraphs) - n + 1)
            text = "\n\n".join(paragraphs[start:start + n])
            chars += len(text)
            outlet = rng.choice(OUTLETS)
            fh.write(json.dumps({
                "id": f"doc-{i:06d}", "text": text, "outlet": outlet,
                "url": f"https://{outlet.lower().replace(' ', '')}.example/{i}",
                "date": f"2022-01-{1 + i % 28:02d}"}, ensure_ascii=False) + "\n")
    return chars


def run_tree(argv: list[str], cwd: Path, interval: float = 0.2) -> dict[str, Any]:
    """Run a command; its wall time, exit code and the peak RSS (MiB) of its process tree."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        total = 0
        try:
            members = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for member in members:
            try:
                total += member.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        peak = max(peak, total)
        time.sleep(interval)
    stderr = proc.stderr.read() if proc.stderr else ""
    proc.wait()
    return {"seconds": time.perf_counter() - start, "exit": proc.returncode, "peak_mib": peak / 2**20,
            "stderr": stderr.strip().splitlines()[-1:] }


def engine_argv(corpus: Path, out: Path, engine: str, n_process: int) -> list[str]:
    argv = [sys.executable, "-c", "from quotes.cli import main; main()", "extract", str(corpus),
            "--format", "jsonl", "-o", str(out), "--quiet", "--n-process", str(n_process)]
    return argv + (["--engine", "dask"] if engine == "dask" else [])


def part_engines(root: Path, sizes: list[int], n_process: int, fmt_table: Any,
                 progress: Any, paragraphs_per_doc: tuple[int, int] = (1, 2)) -> str:
    """The Markdown section: local `--n-process N` against `--engine dask` at each size.

    Start-up (process start, imports, model loads, cluster start) is measured
    apart by the same command on a corpus of one document, and subtracted.
    """
    engines = ("local", "dask")
    rows = []
    results: dict[tuple[str, int], dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="quotes-bench-engines-") as tmp:
        one = Path(tmp) / "one.jsonl"
        make_corpus(root / "seeds", 1, one, paragraphs_per_doc=paragraphs_per_doc)
        startup = {}
        for engine in engines:
            progress(f"engines: {engine} start-up (one document)")
            startup[engine] = run_tree(engine_argv(one, Path(tmp) / "one_out.jsonl", engine, n_process), root)
        for size in sizes:
            corpus = Path(tmp) / f"corpus_{size}.jsonl"
            chars = make_corpus(root / "seeds", size, corpus, paragraphs_per_doc=paragraphs_per_doc)
            outputs = {}
            for engine in engines:
                out = Path(tmp) / f"out_{engine}_{size}.jsonl"
                progress(f"engines: {engine} on {size} docs ({chars / 1e6:.2f} M characters)")
                result = run_tree(engine_argv(corpus, out, engine, n_process), root)
                result["load"] = os.getloadavg()[0]
                results[(engine, size)] = result
                outputs[engine] = out.read_bytes() if out.exists() else b""
                out.unlink(missing_ok=True)
            same = outputs["local"] == outputs["dask"] and bool(outputs["local"])
            records = outputs["local"].count(b"\n")
            local = results[("local", size)]
            local_work = local["seconds"] - startup["local"]["seconds"]
            for engine in engines:
                r = results[(engine, size)]
                work = r["seconds"] - startup[engine]["seconds"]
                label = f"`--n-process {n_process}`" if engine == "local" else \
                    f"`--engine dask` ({n_process} workers)"
                rows.append([size, label, f"{r['seconds']:.1f}", f"{startup[engine]['seconds']:.1f}",
                             f"{size / r['seconds']:.1f}", f"{local['seconds'] / r['seconds']:.2f}",
                             f"{local_work / work:.2f}" if work > 0 else "", f"{r['peak_mib']:.0f}",
                             f"exit {r['exit']}" + (f" ({r['stderr'][0]})" if r["exit"] else ""),
                             "" if engine == "local" else ("yes" if same else "**NO**"),
                             records if engine == "local" else "", f"{r['load']:.2f}"])
    flat = []
    for engine in engines:
        peaks = [results[(engine, s)]["peak_mib"] for s in sizes]
        if len(peaks) >= 2 and peaks[0]:
            flat.append(f"{engine}: peak at {sizes[-1]:,} docs over peak at {sizes[0]:,} docs "
                        f"{peaks[-1] / peaks[0]:.2f}")
    low, high = paragraphs_per_doc
    return (f"## Engines: `--engine dask` against `--n-process {n_process}` (documents of {low} to {high} "
            "seed paragraphs)\n\n"
            + fmt_table(["documents", "engine", "wall s", "start-up s", "docs/s", "throughput vs local",
                         "vs local, start-up excluded", "peak RSS MiB (tree)", "status", "records identical",
                         "records", "load (1 min) after"], rows)
            + "\n\n" + "; ".join(flat) + ("." if flat else "")
            + " Wall times include starting the process, loading the model and starting the cluster; "
            "start-up is the wall time of the same command on one document, and the 'start-up excluded' "
            "ratio divides the two wall times less their start-ups. Peak RSS is summed over the process "
            "tree, sampled every 0.2 s.")


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


def part_memory(root: Path, pool: list[tuple[str, str]], names: str, sizes: list[int],
                fmt_table: Any, progress: Any) -> str:
    """Peak RSS of a fresh `quotes extract` over each of `sizes` documents cycled from `pool`."""
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
                capture_output=True, text=True, cwd=root, check=False)
            if done.returncode != 0 or not done.stdout.strip():
                last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                rows.append([size, "failed", "", last.replace("|", "/")])
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            peaks[size] = result["maxrss_kib"] / 1024
            rows.append([size, f"{peaks[size]:.1f}", f"{result['seconds']:.1f}",
                         f"exit {result['exit']}"])
    ratio = ""
    if len(peaks) >= 2:
        small, large = min(peaks), max(peaks)
        ratio = (f"\n\nPeak at {large} docs over peak at {small} docs: "
                 f"{peaks[large] / peaks[small]:.2f}.")
    return (
        f"## Peak memory of `quotes extract` (docs cycled from {names})\n\n"
        + fmt_table(["documents", "peak RSS MiB", "wall s", "status"], rows) + ratio
    )
