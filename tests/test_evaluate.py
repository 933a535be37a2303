"""Tests for quotes.evaluate: matching, speakers, ignore regions, files, parity with score.py."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest

from quotes.evaluate import (
    KINDS,
    Evaluation,
    GoldQuote,
    Prediction,
    evaluate,
    read_gold,
    read_predictions,
    speaker_right,
)
from quotes.records import Quote, Speaker
from quotes.reports.scores import format_table

SCORE_PY = Path("/work/shared/gold/score.py")
SEEDS_GOLD = Path(__file__).parent / "seeds_gold.jsonl"


def _gold(start: int, end: int, kind: str = "direct", speaker: str | None = "Anna Smith",
          **extra: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "kind": kind, "speaker": speaker, **extra}


def _doc(*quotes: dict[str, Any], doc_id: str = "d1") -> dict[str, Any]:
    return {"id": doc_id, "quotes": list(quotes)}


def _pred(start: int, end: int, speaker: Any = "Anna Smith", doc_id: str = "d1",
          **extra: Any) -> dict[str, Any]:
    return {"doc_id": doc_id, "start": start, "end": end, "speaker": speaker, **extra}


def _right(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    return speaker_right(GoldQuote.model_validate(gold), Prediction.model_validate(pred))


def _run(golds: list[dict[str, Any]], preds: list[dict[str, Any]],
         kinds: Collection[str] = KINDS) -> Evaluation:
    return evaluate([_doc(*golds)], preds, kinds=kinds)


# --- matching -----------------------------------------------------------------------------


def test_exact_prediction_with_right_speaker_scores_one() -> None:
    result = _run([_gold(0, 10)], [_pred(0, 10)])
    assert (result.total.gold, result.total.matched, result.total.right) == (1, 1, 1)
    assert result.total.predictions == 1
    assert result.total.false_positives == 0
    assert result.total.precision == result.total.recall == result.total.f1 == 1.0
    assert result.total.speaker_accuracy == 1.0


def test_half_of_the_gold_covered_is_a_match() -> None:
    result = _run([_gold(0, 10)], [_pred(0, 5)])
    assert result.total.matched == 1
    assert result.total.false_positives == 0


def test_less_than_half_of_the_gold_is_no_match() -> None:
    result = _run([_gold(0, 10)], [_pred(0, 4)])
    assert result.total.matched == 0
    assert result.total.false_positives == 1
    assert [m.start for m in result.misses] == [0]


def test_half_of_the_prediction_inside_the_gold_is_a_match() -> None:
    result = _run([_gold(0, 10)], [_pred(0, 20)])
    assert result.total.matched == 1


def test_less_than_half_of_the_prediction_inside_the_gold_is_no_match() -> None:
    result = _run([_gold(0, 10)], [_pred(0, 21)])
    assert result.total.matched == 0
    assert result.total.false_positives == 1


def test_matching_is_greedy_by_largest_overlap() -> None:
    # The first prediction overlaps gold B by 6, the second overlaps B by 8 and A not at all.
    golds = [_gold(0, 10), _gold(10, 20)]
    preds = [_pred(4, 16, speaker="Wrong Person"), _pred(10, 18)]
    result = _run(golds, preds)
    assert result.total.matched == 2  # A by the first prediction (overlap 6), B by the second
    assert result.total.right == 1
    assert [(w.start, w.got) for w in result.wrong_speaker] == [(0, "Wrong Person")]


def test_prediction_for_another_document_is_not_counted() -> None:
    result = _run([_gold(0, 10)], [_pred(0, 10, doc_id="other")])
    assert result.total.predictions == 0
    assert result.total.matched == 0


# --- what is counted ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "speaker",
    [None, "", {"name": None, "mention": "", "expert_id": None, "start": 0, "end": 0}],
)
def test_prediction_without_speaker_is_not_counted(speaker: Any) -> None:
    result = _run([_gold(0, 10)], [_pred(0, 10, speaker=speaker), _pred(50, 60, speaker=speaker)])
    assert result.total.predictions == 0
    assert result.total.false_positives == 0
    assert result.total.matched == 0


def test_prediction_with_only_an_expert_id_is_counted() -> None:
    result = _run([_gold(0, 10, expert="smith")], [_pred(0, 10, speaker=None, expert_id="smith")])
    assert result.total.predictions == 1
    assert result.total.right == 1


def test_prediction_mostly_inside_ignore_region_is_neutral() -> None:
    golds = [_gold(0, 10), _gold(20, 40, kind="ignore", speaker=None)]
    result = _run(golds, [_pred(0, 10), _pred(22, 38), _pred(15, 35)])
    assert result.total.predictions == 1
    assert result.total.false_positives == 0


def test_prediction_half_inside_ignore_region_is_neutral_less_is_false_positive() -> None:
    golds = [_gold(20, 40, kind="ignore", speaker=None)]
    assert _run(golds, [_pred(30, 50)]).total.false_positives == 0
    assert _run(golds, [_pred(31, 51)]).total.false_positives == 1


def test_second_prediction_inside_matched_gold_is_neutral() -> None:
    result = _run([_gold(0, 20)], [_pred(0, 20), _pred(2, 12)])
    assert result.total.predictions == 1
    assert result.total.false_positives == 0
    assert result.total.precision == 1.0


def test_prediction_inside_unmatched_gold_is_a_false_positive() -> None:
    result = _run([_gold(0, 100)], [_pred(0, 10)])
    assert result.total.matched == 0
    assert result.total.false_positives == 1


def test_kinds_turn_the_other_kinds_into_ignore_regions() -> None:
    golds = [_gold(0, 10, kind="direct"), _gold(20, 30, kind="partial")]
    preds = [_pred(0, 10), _pred(20, 30)]
    everything = _run(golds, preds)
    assert (everything.total.gold, everything.total.predictions) == (2, 2)
    direct = _run(golds, preds, kinds={"direct"})
    assert direct.kinds == ("direct",)
    assert (direct.total.gold, direct.total.right) == (1, 1)
    assert direct.total.predictions == 1
    assert direct.total.false_positives == 0
    assert direct.by_kind["partial"].gold == 0


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="quotation"):
        _run([_gold(0, 10)], [], kinds={"quotation"})


# --- speakers -----------------------------------------------------------------------------


def test_speaker_right_by_expert_id_whatever_the_name() -> None:
    gold = _gold(0, 10, expert="smith")
    assert _right(gold, _pred(0, 10, speaker={"name": "Bob", "mention": "he",
                                                      "expert_id": "smith"}))
    assert not _right(gold, _pred(0, 10, speaker={"name": "Bob", "mention": "Bob",
                                                          "expert_id": "jones"}))


def test_speaker_right_by_overlapping_mention_offsets() -> None:
    gold = _gold(0, 10, speaker_start=40, speaker_end=50)
    mention = {"name": None, "mention": "the analyst", "start": 45, "end": 56}
    assert _right(gold, _pred(0, 10, speaker=mention))
    elsewhere = {"name": None, "mention": "the analyst", "start": 50, "end": 61}
    assert not _right(gold, _pred(0, 10, speaker=elsewhere))


def test_speaker_right_by_surname_as_a_word() -> None:
    gold = _gold(0, 10, speaker="Kassym-Jomart Tokayev")
    assert _right(gold, _pred(0, 10, speaker="President Tokayev"))
    assert _right(gold, _pred(0, 10, speaker={"name": None, "mention": "Tokayev's aide"}))
    assert _right(gold, _pred(0, 10, speaker={"name": None, "mention": "TOKAYEV’s"}))
    assert not _right(gold, _pred(0, 10, speaker="Tokayevich"))
    assert not _right(gold, _pred(0, 10, speaker="Kassym-Jomart"))


def test_speaker_never_right_by_a_bare_pronoun() -> None:
    assert not _right(_gold(0, 10, speaker="He"), _pred(0, 10, speaker="he"))
    assert not _right(_gold(0, 10), _pred(0, 10, speaker={"name": None, "mention": "she"}))


def test_gold_without_speaker_is_never_right_by_words() -> None:
    assert not _right(_gold(0, 10, speaker=None), _pred(0, 10, speaker="Anna Smith"))


def test_wrong_speaker_is_listed() -> None:
    result = _run([_gold(0, 10, text="We will win")], [_pred(0, 10, speaker="Bob Jones")])
    assert result.total.matched == 1
    assert result.total.right == 0
    (wrong,) = result.wrong_speaker
    assert (wrong.doc_id, wrong.text, wrong.want, wrong.got) == (
        "d1", "We will win", "Anna Smith", "Bob Jones"
    )
    assert result.total.precision == 0.0


def test_quote_records_are_accepted_as_predictions() -> None:
    record = Quote(
        id="d1#0-10", doc_id="d1", kind="direct", text="x" * 10, start=0, end=10, parts=[(0, 10)],
        speaker=Speaker(name="Anna Smith", mention="Smith", start=20, end=25),
        confidence=1.0, rule="test",
    )
    assert evaluate([_doc(_gold(0, 10))], [record]).total.right == 1


# --- per-kind numbers and output ----------------------------------------------------------


def test_false_positives_count_under_their_predicted_kind() -> None:
    golds = [_gold(0, 10, kind="direct"), _gold(20, 30, kind="indirect")]
    preds = [
        _pred(0, 10, kind="indirect"),  # matches the direct gold: counts as direct
        _pred(100, 110, kind="indirect"),  # false positive, indirect
        _pred(200, 210),  # false positive with no kind: only in the total
    ]
    result = _run(golds, preds)
    direct, indirect = result.by_kind["direct"], result.by_kind["indirect"]
    assert (direct.predictions, direct.right, direct.precision) == (1, 1, 1.0)
    assert (indirect.predictions, indirect.false_positives, indirect.precision) == (1, 1, 0.0)
    assert (indirect.gold, indirect.recall) == (1, 0.0)
    assert result.total.predictions == 3
    assert result.total.false_positives == 2
    assert result.total.precision == pytest.approx(1 / 3)
    assert result.total.recall == pytest.approx(1 / 2)
    assert result.total.f1 == pytest.approx(0.4)


def test_to_dict_is_json_and_rounded() -> None:
    result = _run([_gold(0, 10), _gold(20, 30), _gold(40, 50)], [_pred(0, 10)])
    data = json.loads(json.dumps(result.to_dict()))
    assert data["recall"] == 0.3333
    assert data["total"] == {"gold": 3, "matched": 1, "right": 1}
    assert data["by_kind"]["direct"]["gold"] == 3
    assert len(data["misses"]) == 2


def test_format_table_shows_kinds_total_and_details() -> None:
    golds = [_gold(0, 10, text="first"), _gold(20, 30, kind="partial", text="second")]
    result = _run(golds, [_pred(0, 10, speaker="Bob"), _pred(90, 99)])
    table = format_table(result)
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["kind", "gold", "found", "right"]
    assert any(line.startswith("direct") for line in lines)
    assert any(line.startswith("partial") for line in lines)
    assert not any(line.startswith("indirect") for line in lines)
    assert any(line.startswith("total") for line in lines)
    assert "wrong speaker (1)" in table and "'Bob'" in table
    assert "missed (1)" in table and "second" in table
    assert "wrong speaker" not in format_table(result, details=False)


# --- files --------------------------------------------------------------------------------


def test_read_gold_reads_jsonl_and_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(_doc(_gold(0, 10))) + "\n\n" + json.dumps(_doc(doc_id="d2")) + "\n")
    docs = read_gold(path)
    assert [doc.id for doc in docs] == ["d1", "d2"]
    assert docs[0].quotes[0] == GoldQuote(start=0, end=10, kind="direct", speaker="Anna Smith")


@pytest.mark.parametrize(
    "bad_line",
    [
        "{not json",
        "[1, 2]",
        '{"quotes": []}',
        '{"id": "d2"}',
        '{"id": "d2", "quotes": [{"start": 5, "end": 1, "kind": "direct"}]}',
        '{"id": "d2", "quotes": [{"start": 0, "end": 1, "kind": "scare"}]}',
    ],
)
def test_read_gold_names_file_and_line_of_a_bad_line(tmp_path: Path, bad_line: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(_doc(_gold(0, 10))) + "\n" + bad_line + "\n")
    with pytest.raises(ValueError, match=rf"^{path}:2: "):
        read_gold(path)


def test_read_predictions_reads_jsonl_and_arrays(tmp_path: Path) -> None:
    preds = [_pred(0, 10), _pred(20, 30, speaker=None)]
    lines = tmp_path / "pred.jsonl"
    lines.write_text("\n".join(json.dumps(p) for p in preds) + "\n")
    array = tmp_path / "pred.json"
    array.write_text(json.dumps(preds, indent=2))
    want = [("d1", 0, 10, "Anna Smith"), ("d1", 20, 30, None)]
    for path in (lines, array):
        assert [(p.doc_id, p.start, p.end, p.name) for p in read_predictions(path)] == want


def test_read_predictions_names_file_and_line_of_a_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(_pred(0, 10)) + "\n" + '{"doc_id": "d1", "start": "0"}\n')
    with pytest.raises(ValueError, match=rf"^{path}:2: "):
        read_predictions(path)


# --- parity with the gold scorer ----------------------------------------------------------


def _speaker_variant(gold: dict[str, Any], rng: random.Random) -> Any:
    """A predicted speaker for a gold quote: right, wrong, pronoun, expert-only or none."""
    name = gold.get("speaker") or "Nobody"
    return rng.choice(
        [
            name,
            {"name": name, "mention": name.split()[-1], "expert_id": None},
            {"name": "Someone Else", "mention": "Else", "expert_id": gold.get("expert")},
            {"name": None, "mention": f"{name.split()[-1]}'s spokesman"},
            {"name": None, "mention": "he"},
            "Someone Else",
            None,
        ]
    )


def _synthetic_predictions(gold_docs: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Predictions built from the gold: exact, shifted, duplicated, and false positives."""
    rng = random.Random(seed)
    preds: list[dict[str, Any]] = []
    for doc in gold_docs:
        for gold in doc["quotes"]:
            length = gold["end"] - gold["start"]
            shift = int(length * rng.choice([0.0, 0.0, 0.2, 0.45, 0.5, 0.55, 0.8, -0.3, -0.6]))
            start = max(0, gold["start"] + shift)
            end = max(start + 1, gold["end"] + shift + rng.choice([0, 0, 3, -3]))
            preds.append(
                _pred(start, end, speaker=_speaker_variant(gold, rng), doc_id=doc["id"],
                      kind=rng.choice(KINDS))
            )
            if rng.random() < 0.2:  # a second, shorter prediction on the same quote
                preds.append(_pred(gold["start"] + 1, gold["start"] + 1 + length // 2,
                                   speaker="Anyone", doc_id=doc["id"], kind="partial"))
        for _ in range(3):  # false positives (or neutral, where they land on a quote)
            start = rng.randrange(0, 10000)
            preds.append(_pred(start, start + rng.randrange(5, 200), speaker="Random Person",
                               doc_id=doc["id"], kind=rng.choice(KINDS)))
    preds.append(_pred(0, 10, doc_id="not-in-gold"))
    return preds


def _score_py(gold: Path, preds: Path, kinds: Collection[str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, str(SCORE_PY), str(gold), str(preds), "--json",
         "--kinds", ",".join(sorted(kinds))],
        check=True, capture_output=True, text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output)
    return result


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kinds", [KINDS, ("direct",), ("partial", "indirect")])
def test_totals_equal_score_py(tmp_path: Path, seed: int, kinds: tuple[str, ...]) -> None:
    if not SCORE_PY.exists():
        pytest.skip(f"{SCORE_PY} not found")
    gold_docs = read_gold(SEEDS_GOLD)
    raw_gold = [json.loads(line) for line in SEEDS_GOLD.read_text(encoding="utf-8").splitlines()]
    preds = _synthetic_predictions(raw_gold, seed)
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("\n".join(json.dumps(p) for p in preds) + "\n", encoding="utf-8")

    expected = _score_py(SEEDS_GOLD, pred_path, kinds)
    result = evaluate(gold_docs, read_predictions(pred_path), kinds=set(kinds))

    for key in ("precision", "recall", "f1"):
        assert getattr(result.total, key) == pytest.approx(expected[key], abs=1e-3), key
        assert round(getattr(result.total, key), 4) == expected[key], key
    data = result.to_dict()
    for key in ("precision", "recall", "f1", "predictions_counted", "false_positives", "total"):
        assert data[key] == expected[key], key
    for kind in KINDS:
        want = expected["by_kind"][kind]
        assert {k: data["by_kind"][kind][k] for k in want} == want, kind
    assert len(result.misses) == len(expected["misses"])
    assert len(result.wrong_speaker) == len(expected["wrong_speaker"])
    # The synthetic set exercises every outcome.
    assert 0 < result.total.right < result.total.matched < result.total.gold
    assert result.total.false_positives > 0


def test_hand_cases_equal_score_py(tmp_path: Path) -> None:
    if not SCORE_PY.exists():
        pytest.skip(f"{SCORE_PY} not found")
    gold_docs = [
        _doc(
            _gold(0, 10, expert="smith"),
            _gold(20, 40, speaker="He"),
            _gold(50, 60, speaker="Jean-Luc Picard", speaker_start=70, speaker_end=85),
            _gold(90, 120, kind="ignore", speaker=None),
            _gold(130, 140, kind="partial", speaker="Bob"),
        )
    ]
    preds = [
        _pred(0, 10, speaker={"name": "X", "mention": "X", "expert_id": "smith"}),
        _pred(20, 30, speaker={"name": None, "mention": "he"}),
        _pred(52, 60, speaker={"name": None, "mention": "the captain", "start": 80, "end": 91}),
        _pred(95, 115, speaker="Y"),
        _pred(2, 8, speaker="Z"),
        _pred(130, 140, speaker="Bob's"),
        _pred(200, 210, speaker="W"),
        _pred(300, 310, speaker=None),
    ]
    gold_path, pred_path = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold_path.write_text("\n".join(json.dumps(d) for d in gold_docs) + "\n")
    pred_path.write_text(json.dumps(preds))
    for kinds in (KINDS, ("direct",)):
        expected = _score_py(gold_path, pred_path, kinds)
        data = evaluate(read_gold(gold_path), read_predictions(pred_path), kinds=kinds).to_dict()
        for key in ("precision", "recall", "f1", "predictions_counted", "false_positives", "total"):
            assert data[key] == expected[key], (kinds, key)
