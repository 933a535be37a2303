"""Tests for quotes.rules: loading the packaged rules and reporting broken rule files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quotes.rules import FILES, RulesError, default_rules_dir, load_rules

Edit = Callable[[str], str]


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    """A writable copy of the packaged rules."""
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def _edit_line(path: Path, lineno: int, edit: Edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[lineno - 1] = edit(lines[lineno - 1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _set(key: str, value: Any) -> Edit:
    def edit(line: str) -> str:
        data = json.loads(line)
        data[key] = value
        return json.dumps(data)

    return edit


def _drop(key: str) -> Edit:
    def edit(line: str) -> str:
        data = json.loads(line)
        del data[key]
        return json.dumps(data)

    return edit


def _truncate(line: str) -> str:
    return line[:-1]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _problems(rules_dir: Path, **kwargs: Any) -> list[str]:
    with pytest.raises(RulesError) as info:
        load_rules(rules_dir, **kwargs)
    assert str(info.value).count("\n  ") == len(info.value.problems)
    for problem in info.value.problems:
        assert problem in str(info.value)
    return info.value.problems


def _packaged_rows(name: str) -> list[dict[str, Any]]:
    text = (default_rules_dir() / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# --- the packaged rules ---------------------------------------------------------------------


def test_load_rules_packaged_rules_load() -> None:
    rules = load_rules()
    assert rules.cues and rules.descriptors and rules.places and rules.patterns and rules.experts
    assert "say" in rules.cue_lemmas
    assert {e.id for e in rules.experts} >= {"escobar", "korybko", "satanovsky", "lepekhin"}


def test_load_rules_packaged_directory_given_explicitly_equals_default() -> None:
    assert load_rules(default_rules_dir()).cues == load_rules().cues


@pytest.mark.parametrize("name", ["cues.jsonl", "patterns.jsonl"])
def test_load_rules_every_cue_and_pattern_has_an_example(name: str) -> None:
    rows = _packaged_rows(name)
    assert rows
    missing = [r.get("id") for r in rows if not str(r.get("example", "")).strip()]
    assert missing == []


def test_load_rules_packaged_rule_ids_are_unique_across_files() -> None:
    ids = [r["id"] for name in FILES if name != "experts.jsonl" for r in _packaged_rows(name)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    expert_ids = [r["id"] for r in _packaged_rows("experts.jsonl")]
    assert len(expert_ids) == len(set(expert_ids))


def test_load_rules_attribution_pattern_finds_an_attribution_clause() -> None:
    pattern = load_rules().attribution_pattern()
    assert pattern.search("These structures are a link, the expert believes. ")
    assert pattern.search("It is over, said Lepekhin. ")
    assert not pattern.search("These structures are a link in the system. ")


# --- broken rule files ----------------------------------------------------------------------

BROKEN_CASES: list[tuple[str, int, Edit, str]] = [
    ("cues.jsonl", 3, _truncate, "not valid JSON"),
    ("cues.jsonl", 2, _drop("lemma"), "lemma"),
    ("descriptors.jsonl", 4, _set("words", "expert"), "words"),
    ("cues.jsonl", 5, _set("indirect", [True]), "indirect"),
    ("cues.jsonl", 5, _set("id", "Cue.Say"), "id"),
    ("places.jsonl", 2, _set("id", "country.kazakhstan"), "place."),
    ("cues.jsonl", 5, _set("id", "cue.say"), "'cue.say' already used at"),
    ("cues.jsonl", 2, _set("colour", "red"), "colour"),
    ("patterns.jsonl", 4, _set("pattern", [{"LEMMAX": "say"}]), "LEMMAX"),
    (
        "patterns.jsonl",
        1,
        _set("pattern", [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMAX": "say"}}]),
        "LEMMAX",
    ),
    ("experts.jsonl", 2, _set("id", "escobar"), "'escobar'"),
    ("cues.jsonl", 1, _set("forms", "said"), "forms"),
    ("descriptors.jsonl", 1, _set("kind", "title"), "kind 'title' has an id starting 'title.'"),
    ("descriptors.jsonl", 1, _set("role", True), "role"),  # the booleans the kind replaced
    ("descriptors.jsonl", 1, _drop("kind"), "kind"),
    ("pronouns.jsonl", 1, _set("person", 4), "person"),
    ("spellings.jsonl", 1, _set("id", "fold.kh"), "spelling."),
    ("words.jsonl", 2, _set("id", "words.weekdays"), "unknown word list"),
    ("words.jsonl", 3, _set("words", ["Him"]), "lower case"),
]


@pytest.mark.parametrize(("name", "lineno", "edit", "expected"), BROKEN_CASES)
def test_load_rules_broken_line_is_reported_with_file_and_line(
    rules_dir: Path, name: str, lineno: int, edit: Edit, expected: str
) -> None:
    _edit_line(rules_dir / name, lineno, edit)
    problems = _problems(rules_dir)
    assert len(problems) == 1
    assert problems[0].startswith(f"{rules_dir / name}:{lineno}: ")
    assert expected in problems[0]


def test_load_rules_duplicate_id_across_files_is_reported(rules_dir: Path) -> None:
    # Pattern ids have no fixed family, so one can take a cue's id.
    _edit_line(rules_dir / "patterns.jsonl", 1, _set("id", "cue.say"))
    problems = _problems(rules_dir)
    assert len(problems) == 1
    assert problems[0].startswith(f"{rules_dir / 'patterns.jsonl'}:1: ")
    assert "'cue.say'" in problems[0]


def test_load_rules_every_problem_is_reported_at_once(rules_dir: Path) -> None:
    _edit_line(rules_dir / "cues.jsonl", 3, _truncate)
    _edit_line(rules_dir / "places.jsonl", 2, _drop("place"))
    _edit_line(rules_dir / "descriptors.jsonl", 7, _set("id", "Role.Observer"))
    _edit_line(rules_dir / "patterns.jsonl", 4, _set("pattern", [{"LEMMAX": "say"}]))
    problems = _problems(rules_dir)
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{rules_dir / 'cues.jsonl'}:3",
        f"{rules_dir / 'descriptors.jsonl'}:7",
        f"{rules_dir / 'places.jsonl'}:2",
        f"{rules_dir / 'patterns.jsonl'}:4",
    ]


def test_load_rules_missing_word_list_is_reported(rules_dir: Path) -> None:
    path = rules_dir / "words.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if '"words.time"' not in line) + "\n", encoding="utf-8")
    (problem,) = _problems(rules_dir)
    assert problem.startswith(f"{path}: word list 'words.time' missing")


def test_load_rules_word_lists_reach_the_lexicon() -> None:
    from quotes.people import Lexicon

    lex = Lexicon.from_rules(load_rules())
    assert "monday" in lex.time_words and "him" in lex.object_pronouns and "update" in lex.not_speakers
    assert lex.pronouns["she"] == "f" and "they" in lex.plural_pronouns and "me" in lex.first_person
    assert "president" in lex.titles and "role.president" in lex.title_roles and "mr" in lex.titles
    assert "institute" in lex.organisations and "report" in lex.sources
    fold = lex.folding.fold
    assert fold("Toqayev") == fold("Tokayev") and fold("Satanovskiy") == fold("Satanovsky")
    assert fold("Lepyokhin") == fold("Lepekhin") and fold("Yevgeny") == fold("Evgeny")


def test_load_rules_missing_file_is_reported(rules_dir: Path) -> None:
    (rules_dir / "places.jsonl").unlink()
    (problem,) = _problems(rules_dir)
    assert problem.startswith(f"{rules_dir / 'places.jsonl'}: ")


def test_load_rules_not_a_directory_is_reported(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in problem


def test_load_rules_blank_lines_are_ignored(rules_dir: Path) -> None:
    path = rules_dir / "cues.jsonl"
    path.write_text("\n" + path.read_text(encoding="utf-8") + "\n   \n", encoding="utf-8")
    assert load_rules(rules_dir).cues == load_rules().cues


# --- user expert registries -----------------------------------------------------------------

TOKAYEV = {"id": "tokayev", "name": "Kassym-Jomart Tokayev", "aliases": ["Tokayev", "Toqayev"]}


def test_load_rules_user_experts_extend_the_registry(tmp_path: Path) -> None:
    user = _write_jsonl(tmp_path / "experts.jsonl", [TOKAYEV])
    rules = load_rules(experts=user)
    packaged = {e.id for e in load_rules().experts}
    assert {e.id for e in rules.experts} == packaged | {"tokayev"}
    (tokayev,) = [e for e in rules.experts if e.id == "tokayev"]
    assert tokayev.aliases == ["Tokayev", "Toqayev"]


def test_load_rules_user_experts_replace_the_registry(tmp_path: Path) -> None:
    user = _write_jsonl(tmp_path / "experts.jsonl", [TOKAYEV])
    rules = load_rules(experts=user, replace_experts=True)
    assert [e.id for e in rules.experts] == ["tokayev"]


def test_load_rules_user_expert_overrides_the_packaged_entry(tmp_path: Path) -> None:
    user = _write_jsonl(tmp_path / "experts.jsonl", [
        {"id": "korybko", "name": "Andrew Korybko", "aliases": ["Korybko"], "roles": ["blogger"]},
    ])
    rules = load_rules(experts=user)
    (korybko,) = [e for e in rules.experts if e.id == "korybko"]
    assert korybko.roles == ["blogger"]
    assert len(rules.experts) == len(load_rules().experts)


@pytest.mark.parametrize(
    ("rows", "line", "expected"),
    [
        (
            [TOKAYEV, {"id": "toqayev", "name": "K. Toqayev", "aliases": ["toqayev"]}],
            2,
            "'toqayev' is claimed by experts 'tokayev' and 'toqayev'",
        ),
        (
            [{"id": "korybko2", "name": "A. K.", "aliases": ["Korybko"]}],
            1,
            "'korybko' is claimed by experts 'korybko' and 'korybko2'",
        ),
        ([{"id": "Tokayev", "name": "Kassym-Jomart Tokayev"}], 1, "id"),
        ([{"id": "tokayev"}], 1, "name"),
    ],
)
def test_load_rules_bad_user_expert_is_reported_with_file_and_line(
    tmp_path: Path, rows: list[dict[str, Any]], line: int, expected: str
) -> None:
    user = _write_jsonl(tmp_path / "user_experts.jsonl", rows)
    (problem,) = _problems(default_rules_dir(), experts=user)
    assert problem.startswith(f"{user}:{line}: ")
    assert expected in problem
