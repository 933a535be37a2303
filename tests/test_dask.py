"""The Dask engine gives the records of a local run (a two-worker LocalCluster, two seeds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes.cli import app

pytestmark = pytest.mark.slow  # the dask extra comes with the test extra: no skip

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Five documents: two seeds, an empty one, one with no quotes, and a seed again."""
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    rows = [texts[0], texts[4], ("empty", ""), ("plain", "No quotation here at all."), ("again", texts[4][1])]
    path = tmp_path_factory.mktemp("dask") / "corpus.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    return path


def test_engine_dask_on_two_local_workers_gives_the_local_records(corpus, tmp_path):
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    runner = CliRunner()
    done = runner.invoke(app, ["extract", str(corpus), "--format", "jsonl", "-o", str(local), "--quiet"])
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["extract", str(corpus), "--format", "jsonl", "-o", str(dask), "--quiet",
                               "--engine", "dask", "--n-process", "2"])
    assert done.exit_code == 0, done.output
    expected = local.read_text(encoding="utf-8")
    assert expected.count("\n") > 10
    assert dask.read_text(encoding="utf-8") == expected


def test_extract_bag_gives_the_local_records(corpus, extractor):
    import dask
    import dask.bag as db

    from quotes.dask import extract_bag

    items = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    bag = db.from_sequence(items, npartitions=2)
    with dask.config.set(scheduler="synchronous"):
        rows = extract_bag(bag).compute()
    expected = [r.model_dump(mode="json") for item in items for r in extractor.extract(item["text"], item["id"])]
    assert rows == expected


def test_scheduler_without_engine_dask_is_a_usage_error(corpus):
    done = CliRunner().invoke(app, ["extract", str(corpus), "--scheduler", "tcp://127.0.0.1:8786"])
    assert done.exit_code == 2 and "--engine dask" in done.stderr


def test_inputs_may_be_fsspec_urls(tmp_path):
    from quotes.sources import Sources

    article = tmp_path / "a.txt"
    article.write_text("\ufeffHe said: \"Yes.\"", encoding="utf-8")
    import gzip

    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write('{"id": "x", "text": "one"}\nnot json\n')
    docs = list(Sources([article.as_uri(), f"file://{tmp_path}/b.jsonl.gz", str(article)]))
    assert [getattr(d, "doc_id", None) for d in docs] == [article.as_uri(), "x", None, str(article)]
    assert docs[0].text == 'He said: "Yes."'
    assert "malformed JSON" in str(docs[2])


def _worker_settings(dask_worker) -> dict[str, object]:
    import os

    return {"trim": os.environ.get("MALLOC_TRIM_THRESHOLD_"),
            "profiling": "profile" in dask_worker.periodic_callbacks}


def test_engine_keeps_input_order_across_partitions_on_a_lean_local_cluster(corpus, extractor):
    from quotes.dask import DaskEngine, EngineConfig

    items = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    with DaskEngine(EngineConfig(), n_workers=1) as engine:
        settings = list(engine._client.run(_worker_settings).values())
        got = [(ctx, [r.model_dump(mode="json") for r in records])
               for records, ctx in engine.pipe_docs(((i["text"], i["id"]) for i in items), partition_docs=2)]
    # Neither the 64 KiB heap trim nor the statistical profiler of Dask's
    # defaults run on the workers DaskEngine starts (they cost CPU and memory).
    assert settings == [{"trim": None, "profiling": False}]
    expected = [(i["id"], [r.model_dump(mode="json") for r in extractor.extract(i["text"], i["id"])])
                for i in items]
    assert got == expected
