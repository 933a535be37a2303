"""Scoring predicted quote records against hand-annotated gold quotes.

This module owns the evaluation definition shared with the gold-standard scorer
(``score.py`` next to the gold files): reading gold and prediction files,
matching predictions to gold quotes, judging speakers, and reporting the
result as numbers, a plain-text table or JSON.

The definition:

* Gold: one JSON object a document, ``{"id", "quotes": [...]}``; each gold
  quote has ``start``, ``end``, ``kind`` (direct, partial, indirect or
  ignore), ``speaker`` (a name), optionally ``expert`` (an expert id) and
  ``speaker_start``/``speaker_end`` (the offsets of the speaker mention).
* A prediction is *counted* only when it has a speaker: a name or mention, or
  an expert id. Scare quotes and titles may be extracted without one.
* A prediction and a gold quote *match* when their overlap covers at least
  half of each (a prediction's length is taken as at least 1). Matching is
  greedy, one to one, largest overlap first; ties go to the later prediction,
  then the later gold quote.
* An unmatched counted prediction is *neutral* (neither right nor wrong) when
  its overlaps with the ``ignore`` regions and with the matched gold quotes of
  its document add up to at least half of it; otherwise it is a *false
  positive*.
* A matched prediction's speaker is *right* when its expert id equals the gold
  expert id, when its mention offsets overlap the gold mention offsets, or when
  its name or mention holds the gold speaker's last word as a word (compared in
  lower case, hyphens read as spaces, possessive ``'s`` dropped). A gold
  speaker whose last word is a pronoun is never matched by words.
* Restricting the evaluation to some ``kinds`` turns gold quotes of every
  other kind into ``ignore`` regions.
* Total precision is right speakers over counted predictions (matched or false
  positive), recall is right speakers over gold quotes, F1 their harmonic mean.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from quotes.records import Quote

KINDS: tuple[str, ...] = ("direct", "partial", "indirect")
"""The gold kinds that are scored, in report order."""

IGNORE = "ignore"
"""The gold kind of a region where predictions are neither right nor wrong."""

PRONOUNS: frozenset[str] = frozenset(
    {"he", "she", "they", "i", "we", "it", "you", "him", "her", "them", "us", "me"}
)
"""Words that never identify a speaker on their own."""

_DIGITS = 4
"""Decimals kept for rates in :meth:`Evaluation.to_dict`."""

_TEXT_WIDTH = 70
"""Characters of quote text shown per line in :meth:`Evaluation.format_table`."""


# --- result types ---------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int) -> float:
    """``numerator / denominator``, or 0.0 when the denominator is 0."""
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0.0 when both are 0)."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


@dataclass(frozen=True)
class KindScore:
    """The counts and rates for one gold kind, or for all kinds together.

    A matched prediction counts under the kind of the gold quote it matched (a
    wrong predicted kind is not penalised, as in the total). A false positive
    counts under its own predicted kind; one with no valid kind counts only in
    the total. So for one kind, ``predictions = matched + false_positives`` and
    precision is ``right / predictions``; for the total, ``predictions`` is
    every counted prediction.

    Attributes:
        kind: ``direct``, ``partial``, ``indirect`` or ``total``.
        gold: Gold quotes of this kind.
        matched: Gold quotes matched by a prediction.
        right: Matched gold quotes whose speaker was right.
        predictions: Counted predictions attributed to this kind.
        false_positives: Counted predictions matching no gold quote nor ignored.
    """

    kind: str
    gold: int = 0
    matched: int = 0
    right: int = 0
    predictions: int = 0
    false_positives: int = 0

    @property
    def precision(self) -> float:
        """Right speakers over counted predictions."""
        return _ratio(self.right, self.predictions)

    @property
    def recall(self) -> float:
        """Right speakers over gold quotes."""
        return _ratio(self.right, self.gold)

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        return _f1(self.precision, self.recall)

    @property
    def speaker_accuracy(self) -> float:
        """Right speakers over matched gold quotes."""
        return _ratio(self.right, self.matched)

    def to_dict(self) -> dict[str, Any]:
        """The counts and rounded rates as a JSON-ready dict."""
        return {
            "gold": self.gold,
            "matched": self.matched,
            "right": self.right,
            "predictions": self.predictions,
            "false_positives": self.false_positives,
            "precision": round(self.precision, _DIGITS),
            "recall": round(self.recall, _DIGITS),
            "f1": round(self.f1, _DIGITS),
        }


@dataclass(frozen=True)
class Miss:
    """A gold quote no prediction matched.

    Attributes:
        doc_id: The gold document id.
        kind: The gold kind.
        start: Start offset of the gold quote.
        end: End offset of the gold quote.
        text: The gold quote's text ("" when the gold file has none).
        speaker: The gold speaker's name.
    """

    doc_id: str
    kind: str
    start: int
    end: int
    text: str
    speaker: str | None


@dataclass(frozen=True)
class WrongSpeaker:
    """A gold quote matched by a prediction whose speaker was judged wrong.

    Attributes:
        doc_id: The gold document id.
        kind: The gold kind.
        start: Start offset of the gold quote.
        end: End offset of the gold quote.
        text: The gold quote's text ("" when the gold file has none).
        want: The gold speaker's name.
        want_expert: The gold expert id, if any.
        got: The predicted speaker name (or mention, when there is no name).
        got_expert: The predicted expert id, if any.
    """

    doc_id: str
    kind: str
    start: int
    end: int
    text: str
    want: str | None
    want_expert: str | None
    got: str | None
    got_expert: str | None


@dataclass(frozen=True)
class Evaluation:
    """The result of scoring predictions against a gold file.

    Attributes:
        kinds: The gold kinds that were scored; the others were ignore regions.
        by_kind: A :class:`KindScore` for each of ``direct``, ``partial`` and
            ``indirect`` (all zero for a kind that was not scored).
        total: The counts over all scored kinds; its ``predictions`` is
            :attr:`predictions_counted`.
        misses: Gold quotes no prediction matched, in gold order.
        wrong_speaker: Matched gold quotes with a wrong speaker, in gold order.
    """

    kinds: tuple[str, ...]
    by_kind: dict[str, KindScore]
    total: KindScore
    misses: tuple[Miss, ...] = field(default=())
    wrong_speaker: tuple[WrongSpeaker, ...] = field(default=())

    @property
    def predictions_counted(self) -> int:
        """Predictions that were matched or false positives (neutral ones excluded)."""
        return self.total.predictions

    @property
    def false_positives(self) -> int:
        """Counted predictions that matched no gold quote and fell outside ignored regions."""
        return self.total.false_positives

    @property
    def precision(self) -> float:
        """Right speakers over counted predictions."""
        return self.total.precision

    @property
    def recall(self) -> float:
        """Right speakers over gold quotes."""
        return self.total.recall

    @property
    def f1(self) -> float:
        """The harmonic mean of :attr:`precision` and :attr:`recall`."""
        return self.total.f1

    @property
    def speaker_accuracy(self) -> float:
        """Right speakers over matched gold quotes."""
        return self.total.speaker_accuracy

    def to_dict(self) -> dict[str, Any]:
        """The whole result as a JSON-ready dict, rates rounded to 4 decimals.

        The keys ``by_kind``, ``total``, ``predictions_counted``,
        ``false_positives``, ``precision``, ``recall`` and ``f1`` carry the
        same numbers as the gold scorer's ``--json`` output.
        """
        return {
            "kinds": list(self.kinds),
            "by_kind": {kind: score.to_dict() for kind, score in self.by_kind.items()},
            "total": {
                "gold": self.total.gold,
                "matched": self.total.matched,
                "right": self.total.right,
            },
            "predictions_counted": self.predictions_counted,
            "false_positives": self.false_positives,
            "precision": round(self.precision, _DIGITS),
            "recall": round(self.recall, _DIGITS),
            "f1": round(self.f1, _DIGITS),
            "speaker_accuracy": round(self.speaker_accuracy, _DIGITS),
            "misses": [asdict(miss) for miss in self.misses],
            "wrong_speaker": [asdict(wrong) for wrong in self.wrong_speaker],
        }

    def format_table(self, details: bool = True) -> str:
        """A plain-text report: one row a kind, a total row, then the details.

        Kinds with neither gold quotes nor counted predictions get no row.

        Args:
            details: Also list the wrong speakers and the missed gold quotes.

        Returns:
            The report, lines joined by newlines, with a trailing newline.
        """
        scores = [score for score in self.by_kind.values() if score.gold or score.predictions]
        lines = [_table_header()]
        lines += [_table_row(score) for score in scores]
        lines.append(_table_row(self.total))
        lines.append(
            f"speaker accuracy {self.speaker_accuracy:.3f} "
            f"({self.total.right} right of {self.total.matched} found)"
        )
        if details:
            lines += _detail_lines(self.wrong_speaker, self.misses)
        return "\n".join(lines) + "\n"


_COLUMNS = ("gold", "found", "right", "predicted", "false+", "precision", "recall", "f1")


def _table_header() -> str:
    """The header line of :meth:`Evaluation.format_table`."""
    return f"{'kind':<9}" + "".join(f"{name:>10}" for name in _COLUMNS)


def _table_row(score: KindScore) -> str:
    """One aligned line of counts and rates."""
    counts = (score.gold, score.matched, score.right, score.predictions, score.false_positives)
    rates = (score.precision, score.recall, score.f1)
    return (
        f"{score.kind:<9}"
        + "".join(f"{count:>10}" for count in counts)
        + "".join(f"{rate:>10.3f}" for rate in rates)
    )


def _clip(text: str, width: int = _TEXT_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _detail_lines(wrong: Sequence[WrongSpeaker], misses: Sequence[Miss]) -> list[str]:
    """The wrong-speaker and missed-quote lines of the report."""
    lines: list[str] = []
    if wrong:
        lines.append("")
        lines.append(f"wrong speaker ({len(wrong)}):")
        lines += [
            f"  {w.doc_id} [{w.start}:{w.end}] {w.kind}: {_clip(w.text)!r} -> "
            f"{w.got!r}{f' [{w.got_expert}]' if w.got_expert else ''}, want {w.want!r}"
            f"{f' [{w.want_expert}]' if w.want_expert else ''}"
            for w in wrong
        ]
    if misses:
        lines.append("")
        lines.append(f"missed ({len(misses)}):")
        lines += [
            f"  {m.doc_id} [{m.start}:{m.end}] {m.kind}: {_clip(m.text)!r} ({m.speaker})"
            for m in misses
        ]
    return lines


# --- reading files --------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    """Whether ``value`` is an int (and not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _gold_quote_problem(quote: object) -> str | None:
    """What is wrong with one gold quote, or None when it is well formed."""
    if not isinstance(quote, dict):
        return f"a gold quote must be an object, got {type(quote).__name__}"
    start, end, kind = quote.get("start"), quote.get("end"), quote.get("kind")
    if not (_is_int(start) and _is_int(end)) or not 0 <= start <= end:
        return f"a gold quote needs integer offsets 0 <= start <= end, got {start!r}, {end!r}"
    if kind not in (*KINDS, IGNORE):
        return f"gold kind must be one of {', '.join((*KINDS, IGNORE))}, got {kind!r}"
    speaker = quote.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        return f"gold speaker must be a string or null, got {type(speaker).__name__}"
    return None


def _gold_doc_problem(doc: object) -> str | None:
    """What is wrong with one gold document line, or None when it is well formed."""
    if not isinstance(doc, dict):
        return f"expected a JSON object, got {type(doc).__name__}"
    if not isinstance(doc.get("id"), (str, int)) or isinstance(doc.get("id"), bool):
        return 'a gold document needs an "id" (a string)'
    if not isinstance(doc.get("quotes"), list):
        return 'a gold document needs "quotes" (a list)'
    for index, quote in enumerate(doc["quotes"]):
        problem = _gold_quote_problem(quote)
        if problem:
            return f"quote {index}: {problem}"
    return None


def read_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a gold file: JSON Lines, one document a line, blank lines skipped.

    Args:
        path: The gold file.

    Returns:
        The documents, each ``{"id": ..., "quotes": [...]}`` as in the file.

    Raises:
        ValueError: A line is not JSON or not a well-formed gold document; the
            message starts with ``file:line:``.
        OSError: The file cannot be read.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    docs: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
        problem = _gold_doc_problem(doc)
        if problem:
            raise ValueError(f"{path}:{number}: {problem}")
        docs.append(doc)
    return docs


def _prediction_problem(record: object) -> str | None:
    """What is wrong with one prediction record, or None when it is usable."""
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    if "doc_id" not in record:
        return 'a prediction needs a "doc_id"'
    if not (_is_int(record.get("start")) and _is_int(record.get("end"))):
        return 'a prediction needs integer "start" and "end"'
    return None


def read_predictions(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read predicted records: JSON Lines, or one JSON array of records.

    Args:
        path: The predictions file, as written by ``quotes`` with ``jsonl`` or
            ``json`` output.

    Returns:
        The records as dicts.

    Raises:
        ValueError: The file is not JSON, or a record lacks ``doc_id``,
            ``start`` or ``end``; the message starts with ``file:line:`` (for an
            array, ``file:record N:``).
        OSError: The file cannot be read.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("["):
        return _array_records(path, text)
    records: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
        problem = _prediction_problem(record)
        if problem:
            raise ValueError(f"{path}:{number}: {problem}")
        records.append(record)
    return records


def _array_records(path: str | os.PathLike[str], text: str) -> list[dict[str, Any]]:
    """The records of a prediction file holding one JSON array."""
    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(records, list):
        raise ValueError(f"{path}:1: expected a JSON array of records")
    for index, record in enumerate(records):
        problem = _prediction_problem(record)
        if problem:
            raise ValueError(f"{path}:record {index}: {problem}")
    return records


# --- scoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prediction:
    """The fields of a predicted record that scoring looks at."""

    doc_id: str
    start: int
    end: int
    kind: str | None
    name: str | None
    mention: str | None
    expert_id: str | None
    mention_span: tuple[int, int] | None

    @property
    def has_speaker(self) -> bool:
        """Whether the prediction names a speaker (and so is counted)."""
        return bool(self.name or self.expert_id)

    @property
    def length(self) -> int:
        """The prediction's length, at least 1."""
        return max(1, self.end - self.start)


def _text_or_none(value: object) -> str | None:
    """``value`` when it is a string, else None."""
    return value if isinstance(value, str) else None


def _mention_span(speaker: Mapping[str, Any]) -> tuple[int, int] | None:
    """The speaker mention's offsets, when the record has both."""
    start, end = speaker.get("start"), speaker.get("end")
    if start is None or end is None:
        return None
    return int(start), int(end)


def _prediction(record: Mapping[str, Any] | Quote) -> _Prediction:
    """Read the scored fields from a record dict (or a :class:`Quote`).

    A ``speaker`` object gives the name (its ``name``, else its ``mention``),
    the expert id and the mention offsets; a plain string ``speaker`` is the
    name, with the expert id then read from the record's ``expert_id``.
    """
    data: Mapping[str, Any] = record.model_dump() if isinstance(record, Quote) else record
    speaker = data.get("speaker")
    if isinstance(speaker, Mapping):
        name = _text_or_none(speaker.get("name")) or _text_or_none(speaker.get("mention"))
        mention = _text_or_none(speaker.get("mention"))
        expert_id = _text_or_none(speaker.get("expert_id"))
        span = _mention_span(speaker)
    else:
        name, mention, span = _text_or_none(speaker), None, None
        expert_id = _text_or_none(data.get("expert_id"))
    kind = data.get("kind")
    return _Prediction(
        doc_id=str(data.get("doc_id")),
        start=int(data["start"]),
        end=int(data["end"]),
        kind=kind if kind in KINDS else None,
        name=name,
        mention=mention,
        expert_id=expert_id,
        mention_span=span,
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """The number of characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _span(quote: Mapping[str, Any]) -> tuple[int, int]:
    """A gold quote's ``(start, end)``."""
    return int(quote["start"]), int(quote["end"])


def _matches(pred: _Prediction, gold: tuple[int, int]) -> int:
    """The overlap of a prediction and a gold quote when they match, else 0.

    They match when the overlap covers at least half of each.
    """
    shared = _overlap((pred.start, pred.end), gold)
    if shared and shared * 2 >= pred.length and shared * 2 >= gold[1] - gold[0]:
        return shared
    return 0


def _surname(name: str) -> str | None:
    """The last word of a name, lower-cased, hyphens read as spaces."""
    words = name.replace("-", " ").split()
    return words[-1].lower() if words else None


def _name_words(pred: _Prediction) -> list[str]:
    """The words of a predicted name and mention, for comparing with a surname."""
    text = " ".join(filter(None, (pred.name, pred.mention)))
    return text.lower().replace("-", " ").replace("’s", "").replace("'s", "").split()


def speaker_right(gold: Mapping[str, Any], pred: Mapping[str, Any] | Quote) -> bool:
    """Whether a prediction's speaker is the gold quote's speaker.

    Right by expert id, by overlapping speaker-mention offsets, or by the gold
    speaker's last word standing as a word in the predicted name or mention
    (never when that word is a pronoun).

    Args:
        gold: The gold quote (``speaker``, optionally ``expert``,
            ``speaker_start`` and ``speaker_end``).
        pred: The predicted record.

    Returns:
        True when the speaker is judged right.
    """
    return _speaker_right(gold, _prediction(pred))


def _speaker_right(gold: Mapping[str, Any], pred: _Prediction) -> bool:
    """:func:`speaker_right` on an already-read prediction."""
    if gold.get("expert") and pred.expert_id == gold["expert"]:
        return True
    gold_start, gold_end = gold.get("speaker_start"), gold.get("speaker_end")
    if pred.mention_span and gold_start is not None and gold_end is not None:
        if _overlap(pred.mention_span, (int(gold_start), int(gold_end))):
            return True
    key = _surname(gold.get("speaker") or "")
    if key is None or key in PRONOUNS:
        return False
    return key in _name_words(pred)


def _greedy_match(
    preds: Sequence[_Prediction], golds: Sequence[Mapping[str, Any]]
) -> dict[int, int]:
    """Pair predictions with gold quotes, largest overlap first, one to one.

    Ties go to the later prediction, then to the later gold quote.

    Returns:
        The index of the matching prediction for each matched gold index.
    """
    candidates = sorted(
        (
            (shared, p, g)
            for p, pred in enumerate(preds)
            for g, gold in enumerate(golds)
            if (shared := _matches(pred, _span(gold)))
        ),
        reverse=True,
    )
    taken: dict[int, int] = {}
    used: set[int] = set()
    for _, p, g in candidates:
        if p not in used and g not in taken:
            used.add(p)
            taken[g] = p
    return taken


def _is_neutral(pred: _Prediction, covered_by: Iterable[tuple[int, int]]) -> bool:
    """Whether regions (summed, not merged) cover at least half of a prediction."""
    covered = sum(_overlap((pred.start, pred.end), region) for region in covered_by)
    return covered * 2 >= pred.length


@dataclass
class _Tally:
    """Mutable counts for one kind while scoring."""

    gold: int = 0
    matched: int = 0
    right: int = 0
    false_positives: int = 0


@dataclass
class _Run:
    """Everything accumulated while scoring a set of documents."""

    tally: dict[str, _Tally]
    counted: int = 0
    false_positives: int = 0
    misses: list[Miss] = field(default_factory=list)
    wrong: list[WrongSpeaker] = field(default_factory=list)


def _score_document(
    doc: Mapping[str, Any], preds: Sequence[_Prediction], kinds: Collection[str], run: _Run
) -> None:
    """Score the predictions of one gold document into ``run``."""
    doc_id = str(doc["id"])
    golds = [g for g in doc["quotes"] if g.get("kind") in kinds]
    ignores = [_span(g) for g in doc["quotes"] if g.get("kind") not in kinds]
    taken = _greedy_match(preds, golds)
    matched_spans = [_span(golds[g]) for g in taken]
    matched_preds = set(taken.values())
    for p, pred in enumerate(preds):
        if p in matched_preds:
            run.counted += 1
        elif not _is_neutral(pred, [*ignores, *matched_spans]):
            run.counted += 1
            run.false_positives += 1
            if pred.kind:
                run.tally[pred.kind].false_positives += 1
    for g, gold in enumerate(golds):
        _score_gold(doc_id, gold, preds[taken[g]] if g in taken else None, run)


def _score_gold(doc_id: str, gold: Mapping[str, Any], pred: _Prediction | None, run: _Run) -> None:
    """Count one gold quote and its matching prediction (if any) into ``run``."""
    kind = str(gold["kind"])
    tally = run.tally[kind]
    tally.gold += 1
    start, end = _span(gold)
    text = str(gold.get("text") or "")
    speaker = gold.get("speaker")
    if pred is None:
        run.misses.append(Miss(doc_id, kind, start, end, text, speaker))
        return
    tally.matched += 1
    if _speaker_right(gold, pred):
        tally.right += 1
        return
    run.wrong.append(
        WrongSpeaker(
            doc_id, kind, start, end, text, speaker, gold.get("expert"), pred.name, pred.expert_id
        )
    )


def _check_kinds(kinds: Collection[str]) -> tuple[str, ...]:
    """The selected kinds in report order; ValueError for an unknown kind."""
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kind(s) {', '.join(unknown)}; use {', '.join(KINDS)}")
    return tuple(kind for kind in KINDS if kind in kinds)


def evaluate(
    gold_docs: list[dict[str, Any]],
    predictions: Iterable[Mapping[str, Any] | Quote],
    kinds: Collection[str] = KINDS,
) -> Evaluation:
    """Score predicted records against gold documents.

    Args:
        gold_docs: Gold documents as read by :func:`read_gold` (not modified).
        predictions: Predicted records (dicts with ``doc_id``, ``start``,
            ``end``, ``speaker`` and optionally ``kind``, or :class:`Quote`
            records). Records whose ``doc_id`` is not a gold document id are
            not counted.
        kinds: The gold kinds to score; gold quotes of the other kinds become
            ``ignore`` regions.

    Returns:
        The :class:`Evaluation`.

    Raises:
        ValueError: ``kinds`` names an unknown kind.
    """
    selected = _check_kinds(kinds)
    by_doc: dict[str, list[_Prediction]] = {}
    for record in predictions:
        pred = _prediction(record)
        if pred.has_speaker:
            by_doc.setdefault(pred.doc_id, []).append(pred)
    run = _Run(tally={kind: _Tally() for kind in KINDS})
    for doc in gold_docs:
        _score_document(doc, by_doc.get(str(doc["id"]), []), selected, run)
    return _evaluation(selected, run)


def _evaluation(kinds: tuple[str, ...], run: _Run) -> Evaluation:
    """Freeze the accumulated counts into an :class:`Evaluation`."""
    by_kind = {
        kind: KindScore(
            kind=kind,
            gold=t.gold,
            matched=t.matched,
            right=t.right,
            predictions=t.matched + t.false_positives,
            false_positives=t.false_positives,
        )
        for kind, t in run.tally.items()
    }
    total = KindScore(
        kind="total",
        gold=sum(s.gold for s in by_kind.values()),
        matched=sum(s.matched for s in by_kind.values()),
        right=sum(s.right for s in by_kind.values()),
        predictions=run.counted,
        false_positives=run.false_positives,
    )
    return Evaluation(kinds, by_kind, total, tuple(run.misses), tuple(run.wrong))
