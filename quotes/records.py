"""The quote record: the contract between the extractor and its users.

Every field that holds a character offset indexes the original input text,
exactly as the caller passed it (or as the file was decoded): for every record
``text == input[start:end]``, and likewise for ``speaker`` and ``cue``.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["direct", "partial", "indirect"]

FLAG_DESCRIPTIONS: dict[str, str] = {
    "repaired-close": "a closing mark stood on the wrong side of a space and was read as a close",
    "stray-mark": "a quotation mark inside the quote was read as a typo, not as a new quote",
    "unclosed": "the quote was never closed; it is taken to end with its paragraph",
    "continued": "the quote runs over a paragraph break without a closing mark",
    "nested": "the quote stands inside another quote",
    "inherited-speaker": "no cue stands by the quote; its speaker is that of the quote before it",
    "resolved-pronoun": "the speaker is a pronoun at the attribution, resolved to a person",
    "resolved-description": "the speaker is a description at the attribution, resolved to a person",
    "unresolved": "the speaker mention could not be resolved to a named person",
    "repeated": "the same words were quoted earlier in the document; repeat_of names the first",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Speaker(_Frozen):
    """Who said a quote: the words at the attribution and the person they name."""

    name: str | None = Field(
        description="The person's fullest name found in the article; null when the mention "
        "could not be resolved to a name."
    )
    mention: str = Field(description="The words at the attribution that name the speaker.")
    start: int = Field(ge=0, description="Offset of the mention in the input.")
    end: int = Field(ge=0, description="End offset of the mention in the input.")
    expert_id: str | None = Field(
        default=None, description="Id of the speaker in the expert registry, if registered."
    )
    description: str | None = Field(
        default=None, description="A role the text gives the speaker, e.g. 'political analyst'."
    )


class Cue(_Frozen):
    """The reporting word that attributes a quote ("said", "according to")."""

    text: str
    lemma: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Quote(_Frozen):
    """One quotation found in a document."""

    id: str = Field(description="Stable id: '<doc_id>#<start>-<end>'.")
    doc_id: str | None = Field(default=None, description="The document the quote came from.")
    kind: Kind = Field(
        description="direct: a quoted sentence; partial: a quoted fragment inside reported "
        "speech; indirect: reported speech without quotation marks."
    )
    text: str = Field(description="The quoted words, quotation marks excluded.")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    parts: list[tuple[int, int]] = Field(
        description="The [start, end] pieces of the quote: more than one when it runs over "
        "paragraph breaks."
    )
    speaker: Speaker | None = None
    cue: Cue | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    rule: str = Field(description="Id of the rule that attributed the quote.")
    flags: list[str] = Field(
        default_factory=list, description="What was repaired or inferred; see the README."
    )
    continues: str | None = Field(
        default=None,
        description="Id of the earlier record this one continues (the second half of a quote "
        "split by its attribution, or a quote's next paragraph).",
    )
    nested_in: str | None = Field(
        default=None, description="Id of the quote this one stands inside."
    )
    speaker_key: str | None = Field(
        default=None,
        description="Groups a speaker across documents: the expert id, else the speaker's name "
        "folded word by word (Kassym = Kasim, Tokayev = Toqayev); null without a named speaker.",
    )
    quote_key: str | None = Field(
        default=None,
        description="Groups the same quote across documents: a fingerprint of its words with "
        "quotation marks, accents, case, punctuation and white space folded.",
    )
    repeat_of: str | None = Field(
        default=None,
        description="Id of the earlier record of the same document with the same words "
        "(a page that repeats its text); the record has the flag 'repeated'.",
    )


def quote_id(doc_id: str | None, start: int, end: int) -> str:
    """The stable id of a record."""
    return f"{doc_id or ''}#{start}-{end}"


def json_schema() -> str:
    """The JSON Schema of a quote record, as indented JSON."""
    return json.dumps(Quote.model_json_schema(), indent=2, sort_keys=True)
