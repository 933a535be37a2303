"""The quote record: the contract between the extractor and its users.

Every field that holds a character offset indexes the original input text,
exactly as the caller passed it (or as the file was decoded): for every record
``text == input[start:end]``, and likewise for ``speaker`` and ``cue``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

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


class Provenance(_Frozen):
    """What produced a record: set on every record a `quotes extract` run writes."""

    quotes_version: str = Field(description="The version of quotes.")
    pipeline: str = Field(description="The spaCy pipeline: '<lang>_<name>-<version>'.")
    rules_hash: str = Field(
        description="'sha256:<hex>' of the rules and expert registry the run used."
    )


# Fields a record carries only when the run sets them: omitted from a dump when null.
OPTIONAL_FIELDS = ("meta", "provenance")


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
    meta: dict[str, Any] | None = Field(
        default=None,
        description="Fields of the input document kept with `--keep-fields` (e.g. url, "
        "date, outlet), null where the document has none; absent when none are kept.",
    )
    provenance: Provenance | None = Field(
        default=None, description="What produced the record; absent in library results."
    )

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in OPTIONAL_FIELDS:
            if data.get(key) is None:
                data.pop(key, None)
        return data


def quote_id(doc_id: str | None, start: int, end: int) -> str:
    """The stable id of a record: `<doc_id>#<start>-<end>` (the doc id may hold `#`)."""
    return f"{doc_id or ''}#{start}-{end}"


def parse_quote_id(value: str) -> tuple[str, int, int]:
    """The doc id, start and end of a record id made by `quote_id`.

    Raises:
        ValueError: If `value` is not `<doc_id>#<start>-<end>`.
    """
    doc_id, sep, span = value.rpartition("#")
    start, dash, end = span.partition("-")
    if not (sep and dash and start.isdigit() and end.isdigit()):
        raise ValueError(f"not a quote id: {value!r}; expected '<doc_id>#<start>-<end>'")
    return doc_id, int(start), int(end)


def relocated(record: Quote, offset: int, source: str | None = None) -> Quote:
    """A record of a piece of a text, moved to index the whole text.

    Args:
        record: A record whose offsets index a piece starting at `offset`.
        offset: Where the piece starts in the whole text.
        source: The piece as the caller gave it, when the pipeline read a
            shadow of it (see `quotes.shadow`): the record's words are taken
            from here, so that `text[start:end] == record.text` holds on the
            caller's text.
    """
    if not offset and source is None:
        return record

    def ref(value: str | None) -> str | None:
        if value is None:
            return None
        doc_id, start, end = parse_quote_id(value)
        return quote_id(doc_id, start + offset, end + offset)

    def words(start: int, end: int, default: str) -> str:
        return default if source is None else source[start:end]

    speaker, cue = record.speaker, record.cue
    if speaker is not None:
        speaker = speaker.model_copy(update={
            "start": speaker.start + offset, "end": speaker.end + offset,
            "mention": words(speaker.start, speaker.end, speaker.mention)})
    if cue is not None:
        cue = cue.model_copy(update={
            "start": cue.start + offset, "end": cue.end + offset,
            "text": words(cue.start, cue.end, cue.text)})
    return record.model_copy(update={
        "id": ref(record.id), "start": record.start + offset, "end": record.end + offset,
        "text": words(record.start, record.end, record.text),
        "parts": [(a + offset, b + offset) for a, b in record.parts],
        "speaker": speaker, "cue": cue,
        "continues": ref(record.continues), "nested_in": ref(record.nested_in),
        "repeat_of": ref(record.repeat_of),
    })


def json_schema() -> str:
    """The JSON Schema of a quote record, as indented JSON."""
    return json.dumps(Quote.model_json_schema(), indent=2, sort_keys=True)
