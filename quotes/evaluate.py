"""Scoring predicted quote records against hand-annotated gold quotes.

This module owns the evaluation definition shared with the gold scorer
(``score.py`` beside the gold files): the gold and prediction models, matching,
judging speakers, and the counts. The definition:

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
  positive*, counted under its own predicted kind (and in the total).
* A matched prediction counts under the kind of the gold quote it matched. Its
  speaker is *right* when its expert id equals the gold expert id, when its
  mention offsets overlap the gold mention offsets, or when its name or
  mention holds the gold speaker's last word as a word (lower case, hyphens
  read as spaces, possessive ``'s`` dropped); never by a pronoun.
* Restricting the evaluation to some ``kinds`` turns gold quotes of every
  other kind into ``ignore`` regions.
* Precision is right speakers over counted predictions, recall right speakers
  over gold quotes, F1 their harmonic mean.

The plain-text report of a result is :mod:`quotes.reports.scores`.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictInt, field_validator, model_validator

from quotes.jsonl import read_models
from quotes.records import Quote

KINDS: tuple[str, ...] = ("direct", "partial", "indirect")
"""The gold kinds that are scored, in report order."""

PRONOUNS: frozenset[str] = frozenset(
    {"he", "she", "they", "i", "we", "it", "you", "him", "her", "them", "us", "me"}
)
"""Words that never identify a speaker on their own."""

DIGITS = 4
"""Decimals kept for rates in :meth:`Evaluation.to_dict`, as the gold scorer rounds."""

Span = tuple[int, int]


def _overlap(a: Span, b: Span) -> int:
    """The number of characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# --- gold and predictions -------------------------------------------------------------------


class GoldQuote(BaseModel):
    """One hand-annotated quote (or ``ignore`` region) of a gold document."""

    model_config = ConfigDict(frozen=True)

    start: StrictInt
    end: StrictInt
    kind: Literal["direct", "partial", "indirect", "ignore"]
    speaker: str | None = None
    expert: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    text: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> GoldQuote:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"offsets must be 0 <= start <= end, got {self.start}, {self.end}")
        return self

    @property
    def span(self) -> Span:
        return self.start, self.end


class GoldDocument(BaseModel):
    """One line of a gold file: a document id and its quotes."""

    model_config = ConfigDict(frozen=True)

    id: str
    quotes: list[GoldQuote]

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Prediction(BaseModel):
    """The fields of a predicted record that scoring looks at.

    Read from a record as ``quotes`` writes it: a ``speaker`` object gives the
    name (its ``name``, else its ``mention``), the expert id and the mention
    offsets; a plain string ``speaker`` is the name, with the expert id then
    read from the record's ``expert_id``.
    """

    model_config = ConfigDict(frozen=True)

    doc_id: str
    start: StrictInt
    end: StrictInt
    kind: str | None = None
    name: str | None = None
    mention: str | None = None
    expert_id: str | None = None
    mention_span: Span | None = None

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        if isinstance(data, Quote):
            data = data.model_dump()
        if not isinstance(data, Mapping):
            return data
        if "doc_id" not in data:
            raise ValueError('a prediction needs a "doc_id"')
        speaker, text = data.get("speaker"), lambda v: v if isinstance(v, str) else None
        flat: dict[str, Any] = {"doc_id": str(data["doc_id"]), "start": data.get("start"),
                                "end": data.get("end")}
        flat["kind"] = data.get("kind") if data.get("kind") in KINDS else None
        if isinstance(speaker, Mapping):
            flat["name"] = text(speaker.get("name")) or text(speaker.get("mention"))
            flat["mention"] = text(speaker.get("mention"))
            flat["expert_id"] = text(speaker.get("expert_id"))
            if speaker.get("start") is not None and speaker.get("end") is not None:
                flat["mention_span"] = (int(speaker["start"]), int(speaker["end"]))
        else:
            flat["name"], flat["expert_id"] = text(speaker), text(data.get("expert_id"))
        return flat

    @property
    def span(self) -> Span:
        return self.start, self.end

    @property
    def length(self) -> int:
        """The prediction's length, at least 1."""
        return max(1, self.end - self.start)


def read_gold(path: str | os.PathLike[str]) -> list[GoldDocument]:
    """The documents of a gold file (JSON Lines); ValueError ``file:line: ...`` on a bad line."""
    return read_models(path, GoldDocument)


def read_predictions(path: str | os.PathLike[str]) -> list[Prediction]:
    """The records of a JSON Lines file or JSON array; ValueError ``file:line: ...`` on a bad one."""
    return read_models(path, Prediction)


# --- the counts -----------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass
class Tally:
    """The counts of one gold kind, or of all kinds together (``kind`` is then ``total``).

    ``gold`` quotes, of which ``matched`` by a prediction and ``right`` with the
    right speaker; counted ``predictions``, of which ``false_positives``.
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
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def speaker_accuracy(self) -> float:
        """Right speakers over matched gold quotes."""
        return _ratio(self.right, self.matched)

    def to_dict(self) -> dict[str, Any]:
        """The counts and the rates rounded to :data:`DIGITS` decimals."""
        rates = ("precision", "recall", "f1", "speaker_accuracy")
        counts = ("gold", "matched", "right", "predictions", "false_positives")
        return {**{k: getattr(self, k) for k in counts},
                **{k: round(getattr(self, k), DIGITS) for k in rates}}


class _GoldPlace(BaseModel):
    doc_id: str
    kind: str
    start: int
    end: int
    text: str


class Miss(_GoldPlace):
    """A gold quote no prediction matched."""

    speaker: str | None


class WrongSpeaker(_GoldPlace):
    """A gold quote matched by a prediction whose speaker was judged wrong."""

    want: str | None
    want_expert: str | None
    got: str | None
    got_expert: str | None


@dataclass
class Evaluation:
    """The result of scoring predictions against a gold file.

    Attributes:
        kinds: The gold kinds that were scored; the others were ignore regions.
        by_kind: A :class:`Tally` for each of :data:`KINDS` (zeros for a kind
            that was not scored).
        total: The tally over all scored kinds; its ``predictions`` and
            ``false_positives`` include predictions without a valid kind.
        misses: Gold quotes no prediction matched, in gold order.
        wrong_speaker: Matched gold quotes with a wrong speaker, in gold order.
    """

    kinds: tuple[str, ...]
    by_kind: dict[str, Tally] = field(default_factory=lambda: {k: Tally(k) for k in KINDS})
    total: Tally = field(default_factory=lambda: Tally("total"))
    misses: list[Miss] = field(default_factory=list)
    wrong_speaker: list[WrongSpeaker] = field(default_factory=list)

    def count(self, kind: str | None, what: str) -> None:
        """Add one to ``what`` in the total and, for a valid kind, in that kind's tally."""
        for tally in (self.total, self.by_kind.get(kind or "")):
            if tally is not None:
                setattr(tally, what, getattr(tally, what) + 1)

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict.

        ``by_kind``, ``total``, ``predictions_counted``, ``false_positives``,
        ``precision``, ``recall`` and ``f1`` carry the gold scorer's numbers.
        """
        total = self.total.to_dict()
        return {
            "kinds": list(self.kinds),
            "by_kind": {kind: tally.to_dict() for kind, tally in self.by_kind.items()},
            "total": {k: total[k] for k in ("gold", "matched", "right")},
            "predictions_counted": self.total.predictions,
            **{k: total[k] for k in ("false_positives", "precision", "recall", "f1", "speaker_accuracy")},
            "misses": [m.model_dump() for m in self.misses],
            "wrong_speaker": [w.model_dump() for w in self.wrong_speaker],
        }


# --- scoring --------------------------------------------------------------------------------


def _surname(name: str) -> str | None:
    """The last word of a name, lower-cased, hyphens read as spaces."""
    words = name.replace("-", " ").split()
    return words[-1].lower() if words else None


def speaker_right(gold: GoldQuote, pred: Prediction) -> bool:
    """Whether a prediction's speaker is the gold quote's speaker (see the module docstring)."""
    if gold.expert and pred.expert_id == gold.expert:
        return True
    if pred.mention_span and gold.speaker_start is not None and gold.speaker_end is not None:
        if _overlap(pred.mention_span, (gold.speaker_start, gold.speaker_end)):
            return True
    key = _surname(gold.speaker or "")
    if key is None or key in PRONOUNS:
        return False
    words = " ".join(filter(None, (pred.name, pred.mention))).lower()
    return key in words.replace("-", " ").replace("’s", "").replace("'s", "").split()


def _matched(preds: Sequence[Prediction], golds: Sequence[GoldQuote]) -> dict[int, int]:
    """Gold index -> prediction index: overlaps of at least half of each, largest first, one to one.

    Ties go to the later prediction, then to the later gold quote.
    """
    candidates = []
    for p, pred in enumerate(preds):
        for g, gold in enumerate(golds):
            shared = _overlap(pred.span, gold.span)
            if shared and shared * 2 >= pred.length and shared * 2 >= gold.end - gold.start:
                candidates.append((shared, p, g))
    taken: dict[int, int] = {}
    used: set[int] = set()
    for _, p, g in sorted(candidates, reverse=True):
        if p not in used and g not in taken:
            taken[g] = p
            used.add(p)
    return taken


def _score_document(doc: GoldDocument, preds: Sequence[Prediction], result: Evaluation) -> None:
    """Count one gold document and its predictions into ``result``."""
    golds = [g for g in doc.quotes if g.kind in result.kinds]
    ignores = [g.span for g in doc.quotes if g.kind not in result.kinds]
    taken = _matched(preds, golds)
    covering = [*ignores, *(golds[g].span for g in taken)]
    used = set(taken.values())
    for p, pred in enumerate(preds):
        if p in used:
            continue
        if sum(_overlap(pred.span, region) for region in covering) * 2 < pred.length:
            result.count(pred.kind, "false_positives")
            result.count(pred.kind, "predictions")
    for g, gold in enumerate(golds):
        result.count(gold.kind, "gold")
        if g not in taken:
            result.misses.append(Miss(doc_id=doc.id, kind=gold.kind, start=gold.start, end=gold.end,
                                      text=gold.text, speaker=gold.speaker))
            continue
        pred = preds[taken[g]]
        result.count(gold.kind, "matched")
        result.count(gold.kind, "predictions")
        if speaker_right(gold, pred):
            result.count(gold.kind, "right")
        else:
            result.wrong_speaker.append(WrongSpeaker(
                doc_id=doc.id, kind=gold.kind, start=gold.start, end=gold.end, text=gold.text,
                want=gold.speaker, want_expert=gold.expert, got=pred.name, got_expert=pred.expert_id))


def evaluate(
    gold_docs: Iterable[GoldDocument | Mapping[str, Any]],
    predictions: Iterable[Prediction | Quote | Mapping[str, Any]],
    kinds: Collection[str] = KINDS,
) -> Evaluation:
    """Score predicted records against gold documents.

    Args:
        gold_docs: Gold documents (:class:`GoldDocument`, or dicts of that shape).
        predictions: Predicted records: :class:`Prediction`, :class:`Quote`
            records, or record dicts. Records whose ``doc_id`` is not a gold
            document id are not counted.
        kinds: The gold kinds to score; the other kinds become ignore regions.

    Returns:
        The :class:`Evaluation`.

    Raises:
        ValueError: ``kinds`` names an unknown kind, or a gold document or
            prediction does not fit its model.
    """
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kind(s) {', '.join(unknown)}; use {', '.join(KINDS)}")
    result = Evaluation(kinds=tuple(kind for kind in KINDS if kind in kinds))
    by_doc: dict[str, list[Prediction]] = {}
    for record in predictions:
        pred = record if isinstance(record, Prediction) else Prediction.model_validate(record)
        if pred.name or pred.expert_id:
            by_doc.setdefault(pred.doc_id, []).append(pred)
    for doc in gold_docs:
        gold = doc if isinstance(doc, GoldDocument) else GoldDocument.model_validate(doc)
        _score_document(gold, by_doc.get(gold.id, []), result)
    return result
