"""Hostile and unlucky library use: text that breaks tokenizers, long documents,
wrong argument types, disabled components, and what the package logs.

The model-based tests share the session's extractor; the pieces and batches
are checked with a small `piece_chars` so that a few tens of kilobytes stand
for a multi-megabyte article (the benchmark measures the real sizes).
"""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest
import spacy
import tomllib

import quotes
from quotes.extractor import BATCH_CHARS, Extractor
from quotes.records import parse_quote_id, quote_id
from quotes.shadow import MARKS_KEPT, shadow

ROOT = Path(__file__).resolve().parent.parent
SHORT = '"It is over," said Evgeny Satanovsky.'
# The longest run of punctuation spaCy's tokenizer may be handed: longer runs
# take it time quadratic in their length.
PUNCTUATION_RUN = re.compile(rf"[^\w\s]{{{2 * MARKS_KEPT + 1},}}")


# --------------------------------------------------------------------------- shadow, no model


@pytest.mark.parametrize("text", [
    '"' * 50_000,
    "ab \ud800 cd \udfff",
    "word " + "(“" * 3000 + " end",
    "x" * 5000,
    "a\x00b\x01c\x7f \u200b",
    "",
])
def test_shadow_keeps_the_length_and_defuses_the_text(text: str) -> None:
    safe = shadow(text)
    assert len(safe) == len(text)
    safe.encode("utf-8")  # no lone surrogate left
    assert PUNCTUATION_RUN.search(safe) is None
    assert max((len(w) for w in safe.split()), default=0) <= 1000


def test_shadow_leaves_ordinary_text_alone(seed_texts: dict[str, str]) -> None:
    for text in seed_texts.values():
        assert shadow(text) is text
    assert shadow('He said: """Yes""".') == 'He said: """Yes""".'


def test_quote_ids_are_built_and_parsed_in_one_place() -> None:
    assert parse_quote_id(quote_id("a#b.txt", 3, 17)) == ("a#b.txt", 3, 17)
    assert parse_quote_id(quote_id(None, 0, 4)) == ("", 0, 4)
    with pytest.raises(ValueError, match="not a quote id"):
        parse_quote_id("a#3")


# --------------------------------------------------------------------------- the tokenizer's input


class _Spy:
    """Stands in for the tokenizer: fails on text it would take quadratic time
    on or could not encode, and records the length of what it is given."""

    def __init__(self, tokenizer) -> None:  # noqa: ANN001
        self.tokenizer = tokenizer
        self.lengths: list[int] = []

    def __call__(self, text: str):  # noqa: ANN204
        run = PUNCTUATION_RUN.search(text)
        assert run is None, f"the tokenizer was handed a run of {len(run.group())} marks"
        text.encode("utf-8")
        self.lengths.append(len(text))
        return self.tokenizer(text)


@pytest.fixture()
def spied(extractor: Extractor):  # noqa: ANN201
    spy = _Spy(extractor.nlp.tokenizer)
    extractor.nlp.tokenizer = spy
    yield spy
    extractor.nlp.tokenizer = spy.tokenizer


@pytest.mark.slow
def test_hostile_text_never_reaches_the_tokenizer(extractor: Extractor, spied: _Spy) -> None:
    texts = ['"' * 50_000,
             f'A lone \ud800 surrogate. {SHORT}',
             f"Control\x00characters\x07 and \x1b[0m escapes. {SHORT}",
             "«" * 3000 + SHORT + "»" * 3000]
    for text, records in zip(texts, extractor.pipe([(t, f"t{i}") for i, t in enumerate(texts)])):
        for r in records:
            assert text[r.start:r.end] == r.text
            if r.speaker is not None:
                assert text[r.speaker.start:r.speaker.end] == r.speaker.mention
    records = extractor.extract(texts[1], "t1")
    assert [r.speaker.expert_id for r in records if r.speaker] == ["satanovsky"]


@pytest.mark.slow
def test_a_long_text_is_parsed_in_bounded_pieces_and_batches(extractor: Extractor, spied: _Spy,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory follows the text parsed at once: a long article without a single
    line break is cut into pieces, and a batch holds a bounded number of
    characters whatever the length of the documents in it."""
    sentence = 'Officials met on Monday. "We will respond," said Evgeny Satanovsky. '
    flat = sentence * 300  # 20,700 characters, no line break
    monkeypatch.setattr(extractor, "piece_chars", 3000, raising=False)
    batches: list[int] = []
    pipe = extractor.nlp.pipe

    def counting(docs, *args, **kwargs):  # noqa: ANN001, ANN202
        docs = list(docs)
        batches.append(sum(len(d[0] if isinstance(d, tuple) else d) for d in docs))
        return pipe(docs, *args, **kwargs)

    monkeypatch.setattr(extractor.nlp, "pipe", counting)
    monkeypatch.setattr("quotes.extractor.BATCH_CHARS", 7000, raising=False)
    records = extractor.extract(flat, "flat")
    assert max(spied.lengths) <= 3000 and len(spied.lengths) >= 7
    assert max(batches) <= 7000 and len(batches) >= 3
    assert len([r for r in records if r.kind == "direct"]) == 300
    assert all(flat[r.start:r.end] == r.text and r.id == quote_id("flat", r.start, r.end)
               for r in records)
    assert BATCH_CHARS >= extractor.piece_chars  # a piece always fits a batch


# --------------------------------------------------------------------------- wrong arguments


@pytest.mark.slow
@pytest.mark.parametrize("text, given", [(None, "NoneType"), (b'"Hi," he said.', "bytes"),
                                         (123, "int")])
def test_extract_refuses_what_is_not_text(extractor: Extractor, text: object, given: str) -> None:
    with pytest.raises(TypeError, match=rf"must be a str, got {given}"):
        extractor.extract(text)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=given):
        quotes.extract(text)  # type: ignore[arg-type]


@pytest.mark.slow
def test_extract_refuses_a_doc_id_that_is_not_a_string(extractor: Extractor) -> None:
    with pytest.raises(TypeError, match=r"doc_id must be a str or None, got int 5"):
        extractor.extract(SHORT, doc_id=5)  # type: ignore[arg-type]


@pytest.mark.slow
def test_pipe_takes_plain_strings_and_pairs(extractor: Extractor) -> None:
    plain = list(extractor.pipe([SHORT, SHORT]))
    paired = list(extractor.pipe([(SHORT, "a"), (SHORT, None)]))
    assert [len(r) for r in plain] == [1, 1] == [len(r) for r in paired]
    assert plain[0][0].doc_id is None and paired[0][0].id == quote_id("a", 1, 12)
    with pytest.raises(TypeError, match=r"item 1: expected a text \(str\) or a \(text, doc_id\) pair"):
        list(extractor.pipe([SHORT, (SHORT, "a", "b")]))


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    nlp = quotes.load_model(exclude=["ner"])
    nlp.add_pipe("quote_extractor")
    return nlp


@pytest.mark.slow
@pytest.mark.parametrize("disabled, needs", [("parser", "a dependency parser"), ("lemmatizer", "lemmas")])
def test_component_refuses_a_doc_without_what_it_reads(nlp, disabled: str, needs: str) -> None:  # noqa: ANN001
    with nlp.select_pipes(disable=[disabled]):
        with pytest.raises(quotes.ModelError, match=rf"needs {needs}.*disabled"):
            nlp(SHORT)
    assert len(nlp(SHORT)._.quotes) == 1  # enabled again, all is well


@pytest.mark.slow
def test_a_malformed_pipeline_config_is_named(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.to_disk(tmp_path / "pipeline")
    (tmp_path / "pipeline" / "config.cfg").write_text("[nlp\nlang = en\n", encoding="utf-8")
    with pytest.raises(quotes.ModelError, match="cannot load the pipeline directory") as err:
        quotes.load_model(str(tmp_path / "pipeline"))
    assert "neither an installed package" not in str(err.value)


# --------------------------------------------------------------------------- logging


def test_the_package_logger_has_a_null_handler() -> None:
    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger("quotes").handlers)


@pytest.mark.slow
def test_repairs_are_debug_and_name_their_document(extractor: Extractor,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    text = 'The minister said: “We will “never agree, and that is final.” Then he left.'
    logging.getLogger("quotes.marks").setLevel(logging.NOTSET)
    with caplog.at_level(logging.DEBUG, logger="quotes"):
        extractor.extract(text, doc_id="repaired.txt")
    repairs = [r for r in caplog.records if r.name == "quotes.marks"]
    assert repairs, "the scanner repaired nothing"
    assert all(r.levelno == logging.DEBUG for r in repairs)
    assert all("document 'repaired.txt'" in r.getMessage() for r in caplog.records)


# --------------------------------------------------------------------------- packaging


def test_every_third_party_import_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[<>=!~\[ ]", d, maxsplit=1)[0].lower().replace("-", "_") for d in requirements}

    declared = names(project["dependencies"])
    # An extra's packages are imported inside the functions that need them, guarded;
    # tqdm comes with spaCy (its progress bars).
    optional = {"tqdm"} | set().union(*map(names, project["optional-dependencies"].values())) - {"quotes"}
    stdlib = set(__import__("sys").stdlib_module_names)
    imported = set()
    for path in (ROOT / "quotes").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - stdlib - {"quotes"} - optional
    assert third_party <= declared, third_party - declared


@pytest.mark.slow
def test_rules_are_loaded_once_per_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    import quotes.component
    import quotes.extractor

    calls: list[object] = []
    real = quotes.component.load_rules

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(quotes.component, "load_rules", counting)
    monkeypatch.setattr(quotes.extractor, "load_rules", counting)
    ex = Extractor(model=quotes.load_model(exclude=["ner"]))
    assert len(calls) == 1
    assert ex.rules is ex.component.attributor.rules
