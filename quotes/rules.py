"""Load and validate the rule data in `rules/`: cues, descriptors, places,
patterns, experts, and the word lists (pronouns, spellings, words).

Rules are data, never code: JSON Lines files, one rule a line, each with an
id (`family.variant`). Loading validates in layers (pydantic for each line,
spaCy's own validating matchers for each pattern, then checks across files)
and reports every problem at once, each as `file:line: what is wrong`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .rule_models import (
    WORD_LISTS,
    CueRule,
    DescriptorRule,
    ExpertRule,
    NameRule,
    PatternRule,
    PlaceRule,
    PronounRule,
    SpellingRule,
    WordListRule,
    _Rule,
)

__all__ = ["FILES", "WORD_LISTS", "CueRule", "DescriptorRule", "ExpertRule", "NameRule", "PatternRule", "PlaceRule",
           "PronounRule", "Rules", "RulesError", "SpellingRule", "WordListRule", "default_rules_dir",
           "expand_pattern", "load_rules", "validate_pattern"]

class RulesError(ValueError):
    """One or more rule files are invalid; the message lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the rule files:\n  " + "\n  ".join(problems)
        )


@dataclass
class Rules:
    """All rule data, validated."""

    cues: list[CueRule]
    descriptors: list[DescriptorRule]
    places: list[PlaceRule]
    patterns: list[PatternRule]
    experts: list[ExpertRule]
    pronouns: list[PronounRule] = field(default_factory=list)
    spellings: list[SpellingRule] = field(default_factory=list)
    words: list[WordListRule] = field(default_factory=list)
    names: list[NameRule] = field(default_factory=list)
    source: str = ""
    cue_lemmas: frozenset[str] = field(init=False)
    indirect_lemmas: frozenset[str] = field(init=False)
    partial_lemmas: frozenset[str] = field(init=False)
    object_lemmas: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.cue_lemmas = frozenset(c.lemma for c in self.cues)
        self.indirect_lemmas = frozenset(c.lemma for c in self.cues if c.indirect)
        self.partial_lemmas = frozenset(c.lemma for c in self.cues if c.partial)
        self.object_lemmas = frozenset(c.lemma for c in self.cues if c.object)

    def word_list(self, list_id: str) -> frozenset[str]:
        """The words of one of `WORD_LISTS`."""
        return frozenset(w for r in self.words if r.id == list_id for w in r.words)

    def cue_forms(self) -> dict[str, str]:
        """The third-person and past forms of the cue lemmas, each with its
        lemma: `says` -> `say`, `said` -> `say`, `warned` -> `warn`."""
        return _verb_forms(self.cues)

    def attribution_pattern(self) -> re.Pattern[str]:
        """A regex for an attribution clause ending a stretch of text:
        `, the expert believes. ` / `, said Lepekhin. `. The quotation-mark
        scanner uses it to see where a quote lost its closing mark."""
        forms = sorted(_verb_forms(self.cues), key=len, reverse=True)
        cue = "|".join(re.escape(f) for f in forms)
        return re.compile(
            r",\s+(?:[\w’'.-]+\s+){0,6}?(?:" + cue + r")\b[^\"“”«».!?]{0,80}[.!?]\s*$"
        )


def _verb_forms(cues: list[CueRule]) -> dict[str, str]:
    """Third-person and past forms of the cues, each with its lemma: the
    cue's `forms` when it lists them (irregular verbs), else the regular ones."""
    forms: dict[str, str] = {}
    for cue in cues:
        lemma = cue.lemma
        if cue.forms:
            forms.update((f, lemma) for f in cue.forms)
            continue
        if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            made = [lemma[:-1] + "ies", lemma[:-1] + "ied"]
        else:
            made = [lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x")) else "s"),
                    lemma + ("d" if lemma.endswith("e") else "ed")]
        forms.update((f, lemma) for f in made)
    return forms


FILES: dict[str, type[_Rule]] = {
    "cues.jsonl": CueRule,
    "descriptors.jsonl": DescriptorRule,
    "places.jsonl": PlaceRule,
    "patterns.jsonl": PatternRule,
    "experts.jsonl": ExpertRule,
    "pronouns.jsonl": PronounRule,
    "spellings.jsonl": SpellingRule,
    "words.jsonl": WordListRule,
    "names.jsonl": NameRule,
}


def default_rules_dir() -> Path:
    """The rules shipped inside the package."""
    return Path(str(resources.files("quotes").joinpath("rules")))


def _read_jsonl(path: Path, model: type[_Rule], problems: list[str]) -> Iterator[tuple[int, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        problems.append(f"{path}: file missing; every rules directory needs {', '.join(FILES)}")
        return
    except (OSError, UnicodeDecodeError) as err:
        problems.append(f"{path}: cannot read: {err}")
        return
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"{path}:{lineno}: not valid JSON ({err.msg} at column {err.colno})")
            continue
        try:
            yield lineno, model.model_validate(data)
        except ValidationError as err:
            for e in err.errors():
                where = ".".join(str(p) for p in e["loc"]) or "line"
                problems.append(f"{path}:{lineno}: {where}: {e['msg']}")


def load_rules(
    rules_dir: str | Path | None = None,
    experts: str | Path | None = None,
    replace_experts: bool = False,
) -> Rules:
    """Load and validate a rules directory.

    Args:
        rules_dir: A directory holding the rule files (`FILES`); the packaged
            rules when None.
        experts: A registry file of the user's, added to the directory's
            experts (or replacing them with `replace_experts`).
        replace_experts: Use only the experts of `experts`.

    Raises:
        RulesError: Listing every problem found, each with file and line.
    """
    base = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    problems: list[str] = []
    if not base.is_dir():
        raise RulesError([f"{base}: not a directory; pass a folder holding {', '.join(FILES)}"])
    loaded: dict[str, list[tuple[int, Any]]] = {}
    for name, model in FILES.items():
        loaded[name] = list(_read_jsonl(base / name, model, problems))
    expert_rows = [(str(base / "experts.jsonl"), n, e) for n, e in loaded["experts.jsonl"]]
    if experts is not None and not Path(experts).is_file():
        problems.append(f"{experts}: the expert registry file does not exist; pass a JSONL file of experts")
    elif experts is not None:
        user = [(str(experts), n, e) for n, e in _read_jsonl(Path(experts), ExpertRule, problems)]
        expert_rows = user if replace_experts else expert_rows + user
    # Across lines and files: unique ids, no alias claimed by two experts.
    seen: dict[str, str] = {}
    for name, rows in loaded.items():
        if name == "experts.jsonl":
            continue
        for lineno, rule in rows:
            if rule.id in seen:
                problems.append(f"{base / name}:{lineno}: id {rule.id!r} already used at {seen[rule.id]}")
            seen.setdefault(rule.id, f"{base / name}:{lineno}")
    by_id: dict[str, tuple[str, int, ExpertRule]] = {}
    for src, lineno, expert in expert_rows:
        if expert.id in by_id and by_id[expert.id][0] == src:
            problems.append(f"{src}:{lineno}: expert id {expert.id!r} already used at "
                            f"{by_id[expert.id][0]}:{by_id[expert.id][1]}")
        by_id[expert.id] = (src, lineno, expert)  # a user's file overrides the packaged entry
    owner: dict[str, tuple[str, str, int]] = {}
    for src, lineno, expert in by_id.values():
        for alias in {expert.name.lower(), *(a.lower() for a in expert.aliases)}:
            if alias in owner and owner[alias][0] != expert.id:
                problems.append(f"{src}:{lineno}: alias {alias!r} is claimed by experts "
                                f"{owner[alias][0]!r} and {expert.id!r}; give it to one of them")
            owner[alias] = (expert.id, src, lineno)
    # Every word list the attribution reads (once the file's own lines are valid).
    words_file = str(base / "words.jsonl")
    if not any(p.startswith(words_file) for p in problems):
        listed = {r.id for _, r in loaded["words.jsonl"]}
        problems.extend(f"{words_file}: word list {list_id!r} missing; add a line with its words ({what})"
                        for list_id, what in WORD_LISTS.items() if list_id not in listed)
    cue_lemmas = sorted({r.lemma for _, r in loaded["cues.jsonl"]})
    for lineno, rule in loaded["patterns.jsonl"]:
        problems.extend(f"{base / 'patterns.jsonl'}:{lineno}: {p}"
                        for p in validate_pattern(rule, cue_lemmas))
    if problems:
        raise RulesError(problems)
    return Rules(
        cues=[r for _, r in loaded["cues.jsonl"]],
        descriptors=[r for _, r in loaded["descriptors.jsonl"]],
        places=[r for _, r in loaded["places.jsonl"]],
        patterns=[r for _, r in loaded["patterns.jsonl"]],
        experts=[e for _, _, e in by_id.values()],
        pronouns=[r for _, r in loaded["pronouns.jsonl"]],
        spellings=[r for _, r in loaded["spellings.jsonl"]],
        words=[r for _, r in loaded["words.jsonl"]],
        names=[r for _, r in loaded["names.jsonl"]],
        source=str(base),
    )


def expand_pattern(rule: PatternRule, cue_lemmas: list[str]) -> list[dict[str, Any]]:
    """The pattern with `"$CUES"` replaced by the cue lemmas."""

    def sub(value: Any) -> Any:
        if value == "$CUES":
            return list(cue_lemmas)
        if isinstance(value, dict):
            return {k: sub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [sub(v) for v in value]
        return value

    return sub(rule.pattern)


def validate_pattern(rule: PatternRule, cue_lemmas: list[str]) -> list[str]:
    """Problems spaCy's own validating matchers find in a pattern."""
    from spacy.matcher import DependencyMatcher, Matcher
    from spacy.vocab import Vocab

    vocab = Vocab()
    pattern = expand_pattern(rule, cue_lemmas)
    try:
        if rule.matcher == "token":
            Matcher(vocab, validate=True).add(rule.id, [pattern])
        else:
            DependencyMatcher(vocab, validate=True).add(rule.id, [pattern])
    except Exception as err:  # spaCy raises ValueError/KeyError with its own message
        first = str(err).strip().splitlines()
        return [f"pattern {rule.id!r} is not a valid spaCy {rule.matcher} pattern: "
                f"{' '.join(first)[:300]}"]
    return []
