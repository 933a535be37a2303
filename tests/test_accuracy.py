"""Accuracy on the hand-annotated seed articles, scored as ../shared/gold/score.py defines it.

The floors are what the extractor reaches; they only ever rise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quotes.evaluate import evaluate, read_gold
from quotes.reports.scores import format_table

pytestmark = pytest.mark.slow

GOLD = Path(__file__).parent / "seeds_gold.jsonl"


@pytest.fixture(scope="module")
def seed_predictions(extractor, seed_texts):
    return [r for name, text in seed_texts.items() for r in extractor.extract(text, doc_id=name)]


def test_accuracy_seeds_direct_quotes_all_found_with_right_speaker(seed_predictions):
    result = evaluate(read_gold(GOLD), seed_predictions, kinds=["direct"])
    direct = result.by_kind["direct"]
    assert direct.gold == 22
    assert direct.matched == 22
    assert direct.right == 22
    assert result.total.precision >= 1.0


def test_accuracy_seeds_all_kinds_f1_floor(seed_predictions):
    result = evaluate(read_gold(GOLD), seed_predictions)
    assert result.total.f1 >= 1.0, format_table(result)
    assert result.by_kind["partial"].right == result.by_kind["partial"].gold
    assert result.by_kind["indirect"].right == result.by_kind["indirect"].gold


def test_accuracy_seeds_registered_experts_linked(seed_predictions):
    gold = read_gold(GOLD)
    expert_quotes = {(d.id, q.start): q.expert for d in gold for q in d.quotes
                     if q.expert and q.kind != "ignore"}
    linked = {(r.doc_id, r.start): r.speaker.expert_id for r in seed_predictions if r.speaker}
    assert len(expert_quotes) == 20
    for key, expert in expert_quotes.items():
        assert key in linked, f"no attributed record starts where the gold quote {key} does"
        assert linked[key] == expert, key
    assert {e for e in linked.values() if e} == {"escobar", "korybko", "satanovsky", "lepekhin"}


def test_accuracy_seeds_offsets_index_the_input(seed_predictions, seed_texts):
    for r in seed_predictions:
        text = seed_texts[r.doc_id]
        assert text[r.start:r.end] == r.text
        if r.speaker:
            assert text[r.speaker.start:r.speaker.end] == r.speaker.mention
        if r.cue:
            assert text[r.cue.start:r.cue.end] == r.cue.text
        for a, b in r.parts:
            assert r.start <= a < b <= r.end
