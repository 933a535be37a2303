"""Hostile inputs for bench.py: time per character and peak memory that must not grow.

* `part_hostile`: seconds per 100,000 characters of (1) an ordinary article of
  seed paragraphs, (2) the same article with every line break made a space,
  (3) a file of quotation marks in a row, each against (1) at the same size;
* `part_huge`: seconds per MB of one article of seed paragraphs at each size;
* `part_peak`: peak RSS of a fresh process running `quotes extract` on one
  article of 0.5 MB and one of 3 MB (`ru_maxrss` of RUSAGE_CHILDREN, read by
  the parent after the child exits).
"""

from __future__ import annotations

import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def article(chars: int) -> str:
    """An ordinary article of about `chars` characters: seed paragraphs, blank lines between."""
    paragraphs = [p for path in sorted(SEEDS_DIR.glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    out: list[str] = []
    size = 0
    for paragraph in itertools.cycle(paragraphs):
        if size >= chars:
            break
        out.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(out)[:chars]


def part_hostile(extractor: Any, marks: int, flat_chars: int,
                 progress: Any = print) -> str:
    """The table of hostile texts against ordinary articles of the same size."""
    cases = [("quotation marks in a row", '"' * marks),
             ("article without a line break", " ".join(article(flat_chars).split("\n")))]
    rows = []
    for label, text in cases:
        ordinary = article(len(text))
        timings = {}
        for name, sample in (("ordinary", ordinary), (label, text)):
            progress(f"hostile: {name}, {len(sample):,} characters")
            started = time.perf_counter()
            records = extractor.extract(sample, doc_id=name)
            timings[name] = time.perf_counter() - started
            assert all(sample[r.start:r.end] == r.text for r in records)
        per = {k: v / len(text) * 100_000 for k, v in timings.items()}
        rows.append([label, f"{len(text):,}", f"{timings[label]:.1f}", f"{per[label]:.2f}",
                     f"{per['ordinary']:.2f}", f"{per[label] / per['ordinary']:.2f}"])
    return ("## Hostile text: time per character against an ordinary article of the same size\n\n"
            + _table(["text", "characters", "seconds", "s per 100k chars",
                      "ordinary s per 100k chars", "ratio"], rows)
            + "\n\nThe ordinary article is seed paragraphs with blank lines between them.")


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


def part_huge(extractor: Any, sizes: Sequence[float], progress: Any = print) -> str:
    """Time per megabyte of one huge article against a small one: linear growth."""
    rows = []
    per_mb: dict[float, float] = {}
    for size in sizes:
        text = huge_text(size)
        megabytes = len(text.encode("utf-8")) / 1_000_000
        progress(f"huge: one article of {megabytes:.2f} MB")
        started = time.perf_counter()
        records = extractor.extract(text, doc_id="huge")
        seconds = time.perf_counter() - started
        assert all(text[r.start:r.end] == r.text for r in records)
        per_mb[size] = seconds / megabytes
        rows.append([f"{megabytes:.2f}", len(text), f"{seconds:.1f}", f"{per_mb[size]:.1f}", len(records)])
    ratio = ""
    if len(per_mb) >= 2:
        small, large = min(per_mb), max(per_mb)
        ratio = (f"\n\nSeconds per MB at {large} MB over seconds per MB at {small} MB: "
                 f"{per_mb[large] / per_mb[small]:.2f}.")
    return ("## One huge article (seed paragraphs repeated; cut into pieces past `max_length`)\n\n"
            + _table(["MB", "characters", "seconds", "s per MB", "records"], rows) + ratio)


PEAK_SCRIPT = """\
import sys
from quotes.cli import main
sys.argv = ["quotes", "extract", sys.argv[1], "--format", "jsonl", "--output", sys.argv[2], "--quiet"]
main()
"""


def peak_rss_mib(path: Path, out: Path) -> tuple[float, float, int]:
    """Peak RSS (MiB), seconds and exit code of `quotes extract path` in a fresh process.

    Each measurement runs in its own fresh parent (`python -c`) so that
    RUSAGE_CHILDREN holds that one child only.
    """
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        f"code = subprocess.run([sys.executable, '-c', {PEAK_SCRIPT!r}, sys.argv[1], sys.argv[2]]).returncode\n"
        "print(json.dumps({'kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
        " 's': time.perf_counter() - start, 'exit': code}))\n"
    )
    done = subprocess.run([sys.executable, "-c", wrapper, str(path), str(out)], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["kib"] / 1024, result["s"], result["exit"]


def part_peak(sizes_mb: Sequence[float], progress: Any = print) -> str:
    """The table of peak memory for one article of each size."""
    rows = []
    peaks: dict[float, float] = {}
    with tempfile.TemporaryDirectory(prefix="quotes-peak-") as tmp:
        for size in sizes_mb:
            text = article(int(size * 1_000_000))
            path = Path(tmp) / f"article_{size}.txt"
            path.write_text(text, encoding="utf-8")
            progress(f"peak memory: one article of {size} MB in a fresh process")
            mib, seconds, code = peak_rss_mib(path, Path(tmp) / "out.jsonl")
            peaks[size] = mib
            rows.append([size, f"{len(text):,}", f"{mib:.0f}", f"{seconds:.1f}", f"exit {code}"])
    ratio = ""
    if len(peaks) >= 2:
        small, large = min(peaks), max(peaks)
        ratio = (f"\n\nPeak at {large} MB over peak at {small} MB: "
                 f"{peaks[large] / peaks[small]:.2f}.")
    return ("## Peak memory of `quotes extract` on one long article (fresh process)\n\n"
            + _table(["MB", "characters", "peak RSS MiB", "wall s", "status"], rows) + ratio)


if __name__ == "__main__":  # a quick look: python bench/hostile.py [marks] [flat_chars] [MB,MB]
    import quotes

    marks = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    flat = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000
    ex = quotes.Extractor()
    print(part_hostile(ex, marks, flat, progress=lambda m: print(m, file=sys.stderr)))
    if len(sys.argv) > 3:
        sizes = [float(s) for s in sys.argv[3].split(",")]
        print(part_peak(sizes, progress=lambda m: print(m, file=sys.stderr)))
    _ = resource
