"""The algorithm on whole hand-parsed documents; the rule ids a record can
carry; the layers of the package."""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path

from quotes.attribution import Attributor
from quotes.passes import algorithm
from quotes.passes.candidates import CODE_RULES

from .conftest import MET_THEN_SAID, SPLIT_QUOTE

PACKAGE = Path(algorithm.__file__).parent
SNAPSHOTS = Path(__file__).parent.parent / "__snapshots__"


def test_algorithm_split_quote_second_half_inherits(passes) -> None:
    records = Attributor(passes.vocab, passes.rules)(passes.doc(*SPLIT_QUOTE), "d")
    first, second = records
    assert (first.text, first.kind, first.rule, first.speaker.name) == ("Enough,", "direct", "speech.subject", "Putin")
    assert (second.text, second.rule, second.speaker.name) == ("We go.", "quote.inherited", "Putin")
    assert second.continues == first.id
    assert "inherited-speaker" in second.flags
    assert second.confidence < first.confidence


def test_algorithm_reported_speech_in_text_order(passes) -> None:
    (record,) = Attributor(passes.vocab, passes.rules)(passes.doc(*MET_THEN_SAID), "d")
    assert (record.kind, record.text, record.rule, record.speaker.mention) == (
        "indirect", "the talks failed", "speech.subject", "He")
    assert record.speaker.name is None  # Joe Biden stands between


def test_algorithm_sieve_order_is_the_table() -> None:
    names = [f"{s.propose.__module__.rsplit('.', 1)[-1]}.{s.propose.__name__}" for s in algorithm.SIEVES]
    assert names == ["adjacent.nested_cue", "layout.transcript", "adjacent.sentence_cue", "adjacent.fragment_cue",
                     "layout.headline", "layout.dash", "fragment.governing_cue"]
    places = {p for s in algorithm.SIEVES for p in s.places}
    assert places == {algorithm.NESTED, algorithm.FRAGMENT, algorithm.SENTENCE}


def test_rule_ids_are_in_rules_or_listed_once_in_code(passes) -> None:
    pattern_ids = {p.id for p in passes.rules.patterns}
    assert not pattern_ids & set(CODE_RULES)
    known = pattern_ids | set(CODE_RULES)
    seen = {r["rule"] for path in SNAPSHOTS.rglob("*.json")
            for r in json.loads(path.read_text(encoding="utf-8"))["records"]}
    assert seen and seen <= known, seen - known
    # every id listed in code is minted by some pass
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "candidates.py")
    assert [rule for rule in CODE_RULES if f'"{rule}"' not in source] == []


# Each module's layer; a module may import from its own layer or those below.
LAYERS = [
    {"view", "candidates"},
    {"syntax"},
    {"cues", "mentions"},
    {"resolve"},
    {"context"},
    {"kind"},
    {"sieves.adjacent", "sieves.layout", "sieves.fragment", "sieves.reported"},
    {"inherit", "assemble"},
    {"algorithm"},
]


def _layer(name: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if name in layer)


def _imports(name: str, path: Path) -> set[str]:
    """The modules of the package that module `name` imports."""
    package = "quotes.passes" + ("." + name.rsplit(".", 1)[0] if "." in name else "")
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            target = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            out.update([target, *(f"{target}.{a.name}" for a in node.names)])
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {t.removeprefix("quotes.passes.") for t in out if t.startswith("quotes.passes.")}


def test_passes_import_only_from_lower_layers() -> None:
    modules = {str(p.relative_to(PACKAGE).with_suffix("")).replace("/", "."): p for p in PACKAGE.rglob("*.py")
               if p.name != "__init__.py"}
    assert set(modules) == set().union(*LAYERS)
    edges = {(name, t) for name, path in modules.items() for t in _imports(name, path) if t in modules}
    assert ("algorithm", "sieves.adjacent") in edges and ("sieves.adjacent", "kind") in edges
    upward = sorted((a, b) for a, b in edges if _layer(b) > _layer(a) or a == b)
    assert upward == []


def test_passes_modules_are_short() -> None:
    long = {p.name: n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
