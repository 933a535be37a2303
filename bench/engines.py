"""The engines part of the benchmark: `--engine dask` against `--n-process N`, and memory.

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

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUTLETS = ("Wire Service", "Daily Herald", "Evening Post", "Radio Free", "Steppe News")


def make_corpus(seeds_dir: Path, size: int, path: Path, seed: int = 7) -> int:
    """Write `size` articles of 3 to 12 consecutive seed paragraphs, with url, date and outlet.

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
            n = rng.randint(3, min(12, len(paragraphs)))
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


def part_engines(root: Path, sizes: list[int], n_process: int, fmt_table: Any,
                 progress: Any) -> str:
    """The Markdown section: local `--n-process N` against `--engine dask` at each size."""
    rows = []
    results: dict[tuple[str, int], dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="quotes-bench-engines-") as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus_{size}.jsonl"
            chars = make_corpus(root / "seeds", size, corpus)
            outputs = {}
            for engine in ("local", "dask"):
                out = Path(tmp) / f"out_{engine}_{size}.jsonl"
                argv = [sys.executable, "-c", "from quotes.cli import main; main()", "extract", str(corpus),
                        "--format", "jsonl", "-o", str(out), "--quiet", "--n-process", str(n_process)]
                if engine == "dask":
                    argv += ["--engine", "dask"]
                progress(f"engines: {engine} on {size} docs ({chars / 1e6:.1f} M characters)")
                result = run_tree(argv, root)
                results[(engine, size)] = result
                outputs[engine] = out.read_bytes() if out.exists() else b""
                out.unlink(missing_ok=True)
            same = outputs["local"] == outputs["dask"] and bool(outputs["local"])
            records = outputs["local"].count(b"\n")
            for engine in ("local", "dask"):
                r = results[(engine, size)]
                local = results[("local", size)]
                label = f"`--n-process {n_process}`" if engine == "local" else \
                    f"`--engine dask` ({n_process} workers)"
                rows.append([size, label, f"{r['seconds']:.1f}", f"{size / r['seconds']:.1f}",
                             f"{local['seconds'] / r['seconds']:.2f}", f"{r['peak_mib']:.0f}",
                             f"exit {r['exit']}" + (f" ({r['stderr'][0]})" if r["exit"] else ""),
                             "" if engine == "local" else ("yes" if same else "**NO**"),
                             records if engine == "local" else ""])
    flat = []
    for engine in ("local", "dask"):
        peaks = [results[(engine, s)]["peak_mib"] for s in sizes]
        if len(peaks) >= 2 and peaks[0]:
            flat.append(f"{engine}: peak at {sizes[-1]:,} docs over peak at {sizes[0]:,} docs "
                        f"{peaks[-1] / peaks[0]:.2f}")
    return (f"## Engines: `--engine dask` against `--n-process {n_process}` (corpora made from the seeds)\n\n"
            + fmt_table(["documents", "engine", "wall s", "docs/s", "throughput vs local", "peak RSS MiB (tree)",
                         "status", "records identical", "records"], rows)
            + "\n\n" + "; ".join(flat) + ("." if flat else "")
            + " Wall times include starting the process, loading the model and starting the cluster; "
            "peak RSS is summed over the process tree.")
