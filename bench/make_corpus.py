"""Write a synthetic news corpus as gzipped JSON Lines, built from the seed articles.

    .venv/bin/python bench/make_corpus.py -n 1000 -o /tmp/corpus.jsonl.gz

Each line is ``{"id", "url", "date", "outlet", "text"}``: the text is a run of
consecutive paragraphs of one of the articles in ``seeds/`` (so some documents
repeat a story another outlet carried), the id, URL, date and outlet vary from
document to document. Deterministic for a given ``--seed``. Only the project's
own seed articles are used, never the dev sets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
OUTLETS = ("tass", "ria", "sputnik", "rt", "interfax", "kazinform", "tengrinews", "reuters", "bbc", "dw")


def documents(n: int, seed: int = 0, seed_dir: Path = SEEDS) -> Iterator[dict[str, str]]:
    """``n`` documents cut from the seed articles, with varied ids and metadata."""
    rng = random.Random(seed)
    articles = [p.read_text(encoding="utf-8").split("\n\n") for p in sorted(seed_dir.glob("*.txt"))]
    start = dt.date(2022, 1, 2)
    for i in range(n):
        paragraphs = articles[i % len(articles)]
        first = rng.randrange(len(paragraphs))
        count = rng.randint(3, 12)
        text = "\n\n".join(paragraphs[first:first + count]) or paragraphs[0]
        outlet = rng.choice(OUTLETS)
        day = start + dt.timedelta(days=rng.randrange(30))
        yield {"id": f"{outlet}-{i:07d}", "url": f"https://{outlet}.example/news/{day:%Y/%m/%d}/{i}",
               "date": day.isoformat(), "outlet": outlet, "text": text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="documents to write")
    parser.add_argument("-o", "--output", type=Path, required=True, help="a .jsonl.gz (or .jsonl) file")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    args = parser.parse_args()
    opener = gzip.open if args.output.suffix == ".gz" else open
    with opener(args.output, "wt", encoding="utf-8") as file:
        for doc in documents(args.n, args.seed):
            file.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
