"""Whole-article snapshots: the full records of every seed article.

Regenerate deliberately with `pytest tests/test_snapshots.py --snapshot-update`
and read the diff of every changed `.json` file before committing it.
"""

from __future__ import annotations

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

pytestmark = pytest.mark.slow

SEED_NAMES = [
    "000_8ba73e34995578e0.txt",
    "001_74977be9488212fe.txt",
    "002_fc91008267daa0a1.txt",
    "003_f09e68be1bba5dd1.txt",
    "004_3855fee5b81bf9dc.txt",
]


@pytest.fixture
def snapshot_json(snapshot):
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_records_match_snapshot(name, extractor, seed_texts, snapshot_json):
    text = seed_texts[name]
    records = extractor.extract(text, doc_id=name)
    assert all(text[r.start:r.end] == r.text for r in records)
    assert [r.start for r in records] == sorted(r.start for r in records)
    assert snapshot_json == {
        "model": extractor.model,
        "records": [r.model_dump(mode="json") for r in records],
    }
