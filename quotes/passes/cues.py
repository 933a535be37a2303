"""Cues: the compiled rule patterns, run once per document into a typed index.

`rules/cues.jsonl` gives the reporting words by lemma and `rules/patterns.jsonl`
the spaCy `Matcher` / `DependencyMatcher` patterns that pair a cue with its
speaker (`"$CUES"` standing for the cue lemmas). `Cues.match` runs them
outside quotation marks and returns a `CueIndex`: the cue-speaker pairs of the
dependency patterns, the token patterns' matches (`according to`, headlines),
and the cues that introduce reported speech, in text order.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from ..people import Lexicon
from ..rules import Rules, expand_pattern
from .syntax import can_source, is_person_like, np_after, subject
from .view import View


class DepMatch(NamedTuple):
    """A dependency pattern's cue-speaker pair (keyed by the cue token)."""

    rule: str
    speaker: int  # token index


class TokenMatch(NamedTuple):
    """A token pattern's match: tokens [start, end)."""

    rule: str
    start: int
    end: int


class ReportCue(NamedTuple):
    """A cue that may introduce reported speech: its offset (for text order),
    its token, the rule and its speaker's head token."""

    offset: int
    cue: int
    rule: str
    speaker: int


class CueIndex(NamedTuple):
    """The matches of one document, outside quotation marks."""

    by_cue: dict[int, DepMatch]
    tokens: list[TokenMatch]
    reports: list[ReportCue]


class Cues:
    """The cue lexicon and patterns of the rules, compiled for one vocab.

    Args:
        vocab: The pipeline's vocab.
        rules: The validated rules.
        lex: The lexicon compiled from the same rules.
        pattern_reach: How far (in tokens) a token pattern may reach from the
            word it requires: the Matcher runs only on windows that wide around
            those words, not over the whole document.
    """

    def __init__(self, vocab: Vocab, rules: Rules, lex: Lexicon, *, pattern_reach: int = 6) -> None:
        self.lex = lex
        self.pattern_reach = pattern_reach
        self.lemmas = rules.cue_lemmas
        self.forms = rules.cue_forms()
        self.indirect_lemmas = rules.indirect_lemmas
        self.partial_lemmas = rules.partial_lemmas
        self.object_lemmas = rules.object_lemmas
        cue_lemmas = sorted(rules.cue_lemmas)
        self.dep_matcher = DependencyMatcher(vocab)
        self.matcher = Matcher(vocab)
        self.headline_matcher = Matcher(vocab)
        # A word each token pattern requires: a document holding none of
        # them cannot match, so the Matcher need not run on it.
        literals: set[str] | None = set()
        self.role_of: dict[str, str] = {}
        for rule in rules.patterns:
            pattern = expand_pattern(rule, cue_lemmas)
            if rule.matcher == "dependency":
                self.dep_matcher.add(rule.id, [pattern])
            elif rule.role == "headline":
                # Run only on the words opening a paragraph, when a quote follows them.
                self.headline_matcher.add(rule.id, [pattern], greedy="LONGEST")
            else:
                self.matcher.add(rule.id, [pattern])
                # The longest word the pattern requires: rarer than "in" or "to".
                required = [t["LOWER"] for t in pattern
                            if isinstance(t.get("LOWER"), str) and t.get("OP") in (None, "1")]
                if required and literals is not None:
                    literals.add(max(required, key=len))
                else:
                    literals = None
            self.role_of[rule.id] = rule.role
        self.token_literals = frozenset(literals) if literals is not None else None
        self.literal_hashes = numpy.array(sorted(vocab.strings.add(w) for w in self.token_literals or ()),
                                          dtype="uint64")
        self.indirect_hashes = numpy.array(sorted(vocab.strings.add(lemma) for lemma in rules.indirect_lemmas),
                                           dtype="uint64")

    def is_source(self, rule: str) -> bool:
        """Whether a pattern names a source (`according to X`), not a cue verb."""
        return self.role_of.get(rule) == "source"

    def is_cue(self, tok: Token) -> bool:
        """A reporting verb: a cue lemma tagged as a verb."""
        return tok.lemma_.lower() in self.lemmas and tok.pos_ in ("VERB", "AUX")

    def match(self, view: View) -> CueIndex:
        """Cue-speaker pairs from the rule patterns, outside quotation marks."""
        doc = view.doc
        in_quote = view.in_quote
        by_cue: dict[int, DepMatch] = {}
        for match_id, token_ids in self.dep_matcher(doc):
            rule = doc.vocab.strings[match_id]
            cue_i, spk_i = token_ids[0], token_ids[-1]
            if in_quote[cue_i] or in_quote[spk_i]:
                continue
            if view.para(doc[cue_i].idx) != view.para(doc[spk_i].idx):
                # The parser joined a caption or a dateline to the paragraph
                # below: the speaker is the noun phrase right before the cue.
                spk = self._preceding(view, cue_i)
                if spk is None:
                    continue
                rule, spk_i = "speech.preceding", spk
            by_cue.setdefault(cue_i, DepMatch(rule, spk_i))
        tokens: list[TokenMatch] = []
        for match_id, a, b in self._token_matches(doc):
            if any(in_quote[k] for k in range(a, b)):
                continue
            tokens.append(TokenMatch(doc.vocab.strings[match_id], a, b))
        reports: list[ReportCue] = []
        for cue_i, (rule, spk_i) in by_cue.items():
            tok = doc[cue_i]
            if self.is_source(rule) or tok.lemma_.lower() in self.indirect_lemmas:
                reports.append(ReportCue(tok.idx, cue_i, rule, spk_i))
        # `"...," he said, adding that vaccines remain the best defence`: a
        # reporting participle or conjunct takes its clause's subject.
        lemmas = doc.to_array("LEMMA") if len(doc) else numpy.zeros((0,), dtype="uint64")
        for i in numpy.flatnonzero(numpy.isin(lemmas, self.indirect_hashes)).tolist():
            if i not in by_cue and not in_quote[i]:
                tok = doc[i]
                if tok.dep_ in ("advcl", "conj", "xcomp") and any(c.dep_ == "ccomp" for c in tok.children):
                    subj = subject(tok, in_quote)
                    # `The secretary noted that A and added that B`: a reporting verb
                    # conjoined inside another cue's reported clause is that cue's speaker's.
                    clause = subj.head if subj is not None else None
                    if clause is not None and clause.dep_ == "ccomp" and self.is_cue(clause.head):
                        subj = subject(clause.head, in_quote)
                    if subj is not None:
                        reports.append(ReportCue(tok.idx, i, "speech.conj_subject", subj.i))
        for rule, a, b in tokens:
            if self.is_source(rule) and a not in by_cue:
                # `in his opinion`: the possessive inside the phrase is the source
                own = next((k for k in range(a, b) if doc[k].tag_ == "PRP$"), None)
                spk = doc[own] if own is not None else np_after(view, b)
                if spk is not None:
                    reports.append(ReportCue(doc[a].idx, a, rule, spk.i))
        # `..., summed up the expert.`: a trailing cue the parser left without
        # a subject, with the speaker after it.
        for i in numpy.flatnonzero(numpy.isin(lemmas, self.indirect_hashes)).tolist():
            spk = self._inverted(view, i) if i not in by_cue else None
            if spk is not None:
                reports.append(ReportCue(doc[i].idx, i, "speech.inverted", spk))
        reports = [m for m in reports if not self.is_source(m.rule) or can_source(doc[m.speaker], self.lex)]
        reports.sort()
        return CueIndex(by_cue, tokens, reports)

    def _inverted(self, view: View, i: int) -> int | None:
        """The speaker after a subjectless cue that follows its clause and a
        comma: `Wait and see, summed up the expert.` -> expert."""
        doc = view.doc
        tok = doc[i]
        if view.in_quote[i] or i == 0 or doc[i - 1].text != "," or tok.tag_ not in ("VBD", "VBZ", "VBP"):
            return None  # a finite verb: `, telling Lukashenko to go` names the hearer, not the speaker
        if any(c.dep_ in ("nsubj", "ccomp", "nsubjpass", "auxpass") for c in tok.children):
            return None  # it has a subject (or is passive): not inverted
        k = i + 1
        while k < len(doc) and doc[k].dep_ == "prt":
            k += 1
        spk = np_after(view, k) if k < len(doc) else None
        if spk is None or not is_person_like(spk, self.lex):
            return None
        return spk.i

    @staticmethod
    def _preceding(view: View, cue_i: int) -> int | None:
        """The head of the noun phrase just before a cue, in its paragraph:
        `Mon, 09 Nov\n\nArmenia's prime minister says ...` -> minister."""
        doc = view.doc
        k = cue_i - 1
        while k >= 0 and doc[k].pos_ in ("ADV", "AUX", "PART") and not view.in_quote[k]:
            k -= 1
        if k < 0 or view.in_quote[k] or view.para(doc[k].idx) != view.para(doc[cue_i].idx):
            return None
        return k if doc[k].pos_ in ("NOUN", "PROPN", "PRON") else None

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """The token Matcher's matches, run only around the words its patterns
        require (`pattern_reach` tokens each side), not over the whole document."""
        if self.token_literals is None:
            return list(self.matcher(doc))
        if not len(doc):
            return []
        reach = self.pattern_reach
        hits = numpy.flatnonzero(numpy.isin(doc.to_array("LOWER"), self.literal_hashes)).tolist()
        out: list[tuple[int, int, int]] = []
        end = -1
        for i in hits:
            a, b = max(0, i - reach, end), min(len(doc), i + reach + 1)
            if b <= a:
                continue
            out.extend((match_id, a + x, a + y) for match_id, x, y in self.matcher(doc[a:b]))
            end = b
        return sorted(set(out), key=lambda m: (m[1], m[2]))
