"""The facts of one document every sieve may read, passed explicitly.

Everything here is read-only, except the resolver's speaker history, which
only `resolve.Resolver.heard` changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..people import Lexicon
from .cues import CueIndex, Cues
from .resolve import Resolver
from .view import View


@dataclass(frozen=True)
class Context:
    """One document as the sieves see it.

    Attributes:
        view: The parsed document and its quote spans.
        cues: The compiled cue rules.
        index: The cue matches of this document.
        lex: The lexicon.
        resolver: Turns a speaker token into a person (`Resolver.who`).
        transcript: The labelled paragraphs of an interview transcript, as
            (label start, label end, content start, content end).
    """

    view: View
    cues: Cues
    index: CueIndex
    lex: Lexicon
    resolver: Resolver
    transcript: tuple[tuple[int, int, int, int], ...] = ()
