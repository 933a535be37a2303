"""The schema of each rule file in `rules/`: one pydantic model a line.

Each model validates one JSON line; `rules.load_rules` reads the files,
reports every problem with `file:line`, and checks across files.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
EXPERT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Verb classes of communication and judgement (after Levin 1993, English Verb
# Classes and Alternations, 37 "verbs of communication", 29 and 33 "judgement").
CUE_CLASSES = {
    "say": "saying: say, add, remark", "state": "asserting: state, claim, insist",
    "stress": "emphasising or pointing out: stress, note, highlight", "reveal": "disclosing: reveal, disclose",
    "admit": "conceding: admit, concede, agree", "reply": "answering: reply, retort, counter",
    "conclude": "concluding: conclude", "conjecture": "believing and judging: believe, consider, expect",
    "judge": "ruling: judge, rule, exclude", "predict": "predicting: predict, forecast",
    "tell": "telling someone: tell, inform, warn", "ask": "asking: ask, wonder, inquire",
    "promise": "committing: promise, pledge, vow", "advise": "urging and proposing: urge, propose, demand",
    "medium": "through a medium: write, tweet, post", "manner": "manner of speaking: shout, whisper, sigh",
    "criticize": "judging someone: criticize, praise, accuse", "name": "naming: call, describe, dub",
    "express": "voicing a state: express, voice",
}


class CueRule(_Rule):
    """A reporting word, by lemma: `said`, `stressed`, `believes`, with its verb class."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: str
    lemma: str = Field(min_length=1)
    verb_class: str = Field(alias="class", description="Its verb class: one of CUE_CLASSES.")
    indirect: bool = Field(description="Also introduces reported speech without quotation marks.")
    partial: bool = Field(
        default=True, description="Can govern a quoted fragment: 'accused \"foreign gangs\" of'.")
    object: bool = Field(
        default=False, description="Its noun-phrase object can be what is reported: 'noted the influence'.")
    forms: list[str] = Field(
        default_factory=list, description="Its inflected forms when they are irregular: 'said', 'says'.")
    example: str

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_id(v, "cue")

    @field_validator("verb_class")
    @classmethod
    def _class(cls, v: str) -> str:
        if v not in CUE_CLASSES:
            raise ValueError(f"unknown verb class {v!r}; the classes are {', '.join(CUE_CLASSES)}")
        return v


# The id family of each kind of descriptor.
DESCRIPTOR_FAMILY = {"role": "role", "title": "title", "source": "source", "organisation": "org"}


class DescriptorRule(_Rule):
    """A word that describes a speaker or a source.

    `kind` is one of: `role`, a noun that can stand for a person at an
    attribution ('said the expert'); `title`, a word before a name that is
    not part of it ('Mr.'); `source`, a noun that can be the source of
    'according to the report' though not a person; `organisation`, a word
    ending the name of a body, not a person ('the Middle East Institute').
    """

    id: str
    kind: Literal["role", "title", "source", "organisation"]
    words: list[str] = Field(min_length=1)
    title: bool = Field(default=False, description="A role that is also a title before names: 'President Putin'.")
    gender: Literal["m", "f"] | None = None
    example: str

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_id(v, None)

    @model_validator(mode="after")
    def _kind(self) -> DescriptorRule:
        family = DESCRIPTOR_FAMILY[self.kind]
        if not self.id.startswith(family + "."):
            raise ValueError(f"a descriptor of kind {self.kind!r} has an id starting '{family}.'")
        if self.title and self.kind != "role":
            raise ValueError("'title: true' is for a role that is also a title; a plain title has kind 'title'")
        return self


class PlaceRule(_Rule):
    """A country or capital and its adjectives, to match "the Kazakh leader" to
    "President of Kazakhstan"."""

    id: str
    place: str
    adjectives: list[str]

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_id(v, "place")


class PatternRule(_Rule):
    """A spaCy Matcher or DependencyMatcher pattern. `"$CUES"` in a pattern
    stands for the list of cue lemmas."""

    id: str
    matcher: Literal["token", "dependency"]
    role: Literal["speech", "source", "headline"]
    pattern: list[dict[str, Any]] = Field(min_length=1)
    example: str

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_id(v, None)


class ExpertRule(_Rule):
    """A tracked expert: id, display name, aliases and known roles."""

    id: str
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not EXPERT_ID.match(v):
            raise ValueError("an expert id is lower-case letters, digits, '_' or '-', e.g. 'satanovsky'")
        return v


class PronounRule(_Rule):
    """A personal pronoun and its forms, with person, number and gender."""

    id: str
    words: list[str] = Field(min_length=1)
    person: Literal[1, 2, 3]
    plural: bool
    gender: Literal["m", "f"] | None = None
    example: str

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_id(v, "pronoun")

    @field_validator("words")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        return _check_lower(v)


class SpellingRule(_Rule):
    """A transliteration variant folded away when names are compared:
    'kh' written, 'h' folded, so Lepekhin = Lepehin. Applied in file order."""

    id: str
    written: str = Field(min_length=1)
    folded: str
    example: str

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_id(v, "spelling")


class NameRule(_Rule):
    """A fact about names: the first names of one gender, or the surname
    endings that mark one (`-ova` for a woman, `-ov` for a man in Slavic names)."""

    id: str
    kind: Literal["first", "ending"]
    gender: Literal["m", "f"]
    words: list[str] = Field(min_length=1)
    example: str

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_id(v, "name")

    @field_validator("words")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        return _check_lower(v)


# The word lists the attribution reads, and what each is for.
WORD_LISTS: dict[str, str] = {
    "words.not_speakers": "labels opening a paragraph that are not a transcript speaker (UPDATE:, NOTE:)",
    "words.time": "time words after a cue that are never its speaker ('said Monday')",
    "words.object_pronouns": "pronouns after a cue that are its object, never its speaker ('asked him')",
    "words.view_verbs": "verbs whose subject holds a view ('experts saw a weakening'): such a sentence "
                        "is not what a later 'This was stated by X' reports",
}


class WordListRule(_Rule):
    """A list of lower-case words the attribution reads, by id (see `WORD_LISTS`)."""

    id: str
    words: list[str] = Field(min_length=1)
    what: str = ""
    example: str

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        _check_id(v, "words")
        if v not in WORD_LISTS:
            raise ValueError(f"unknown word list; the lists are {', '.join(WORD_LISTS)}")
        return v

    @field_validator("words")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        return _check_lower(v)


def _check_lower(words: list[str]) -> list[str]:
    upper = [w for w in words if w != w.lower()]
    if upper:
        raise ValueError(f"words are matched in lower case; write {', '.join(w.lower() for w in upper)}")
    return words


def _check_id(value: str, family: str | None) -> str:
    if not RULE_ID.match(value):
        raise ValueError("a rule id is 'family.variant' in lower case, e.g. 'cue.say'")
    if family and not value.startswith(family + "."):
        raise ValueError(f"ids in this file start with '{family}.'")
    return value
