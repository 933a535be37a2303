"""The plain-text report of an :class:`~quotes.evaluate.Evaluation`.

One row a kind (kinds with neither gold quotes nor counted predictions get
none), a total row, the speaker accuracy, then the wrong speakers and the
missed gold quotes.
"""

from __future__ import annotations

from quotes.evaluate import Evaluation, Tally

TEXT_WIDTH = 70
"""Characters of quote text shown per detail line."""

_COLUMNS = ("gold", "found", "right", "predicted", "false+", "precision", "recall", "f1")


def _row(tally: Tally) -> str:
    """One aligned line of counts and rates."""
    counts = (tally.gold, tally.matched, tally.right, tally.predictions, tally.false_positives)
    rates = (tally.precision, tally.recall, tally.f1)
    return f"{tally.kind:<9}" + "".join(f"{c:>10}" for c in counts) + "".join(f"{r:>10.3f}" for r in rates)


def _clip(text: str, width: int = TEXT_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _expert(expert_id: str | None) -> str:
    return f" [{expert_id}]" if expert_id else ""


def format_table(result: Evaluation, details: bool = True) -> str:
    """The report as text, lines joined by newlines, with a trailing newline.

    Args:
        result: The evaluation.
        details: Also list the wrong speakers and the missed gold quotes.
    """
    lines = [f"{'kind':<9}" + "".join(f"{name:>10}" for name in _COLUMNS)]
    lines += [_row(t) for t in result.by_kind.values() if t.gold or t.predictions]
    lines.append(_row(result.total))
    lines.append(f"speaker accuracy {result.total.speaker_accuracy:.3f} "
                 f"({result.total.right} right of {result.total.matched} found)")
    if details and result.wrong_speaker:
        lines += ["", f"wrong speaker ({len(result.wrong_speaker)}):"]
        lines += [f"  {w.doc_id} [{w.start}:{w.end}] {w.kind}: {_clip(w.text)!r} -> "
                  f"{w.got!r}{_expert(w.got_expert)}, want {w.want!r}{_expert(w.want_expert)}"
                  for w in result.wrong_speaker]
    if details and result.misses:
        lines += ["", f"missed ({len(result.misses)}):"]
        lines += [f"  {m.doc_id} [{m.start}:{m.end}] {m.kind}: {_clip(m.text)!r} ({m.speaker})"
                  for m in result.misses]
    return "\n".join(lines) + "\n"
