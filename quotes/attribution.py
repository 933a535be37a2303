"""Attribute quoted spans and reported speech to speakers, on a parsed Doc.

For each span the scanner found, the attributor looks for a cue (a reporting
word from `rules/cues.jsonl`) in the text around the quote, outside any
quotation marks: after it (`"...," he said.`), before it (`Putin replied:
"..."`), or, for a fragment inside a sentence, up the dependency tree
(`Tokayev has accused "foreign-trained terrorist gangs" of ...`). The speaker
is the cue's subject, or the noun phrase after it in inverted order (`said
EurAsEC Director General Vladimir Lepekhin`). Pronouns and descriptions at
the attribution are resolved to the person named before them. Reported
speech without marks comes from the same cues' clausal complements and from
`according to X`.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .marks import QuoteSpan, scan
from .people import (
    FIRST_PERSON,
    PLURAL_PRONOUNS,
    PRONOUNS,
    Lexicon,
    People,
    Person,
    Registry,
    is_name_token,
    name_span,
)
from .people import key as fold_key
from .records import Cue, Quote, Speaker, quote_id
from .rules import Rules, expand_pattern

log = logging.getLogger(__name__)

SENTENCE_END = frozenset({".", "!", "?", "…"})
NP_POS = frozenset({"DET", "ADJ", "PROPN", "NOUN", "NUM", "PRON"})
NP_MODIFIERS = frozenset({"det", "amod", "compound", "flat", "nmod", "poss", "nummod", "punct", "prep", "pobj",
                          "npadvmod", "advmod", "quantmod", "case"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# `PENCE: Well, look, ...`: a transcript line (an opening quotation mark may precede it).
TRANSCRIPT_LINE = re.compile(
    r"^[ \t]*[\"“]?(?P<label>[A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,2}):[ \t]+(?P<content>\S[^\r\n]*?)[ \t]*$",
    re.MULTILINE)
TRANSCRIPT_LABEL = re.compile(r"(?P<label>[A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,2}):[ \t]+")
NOT_SPEAKERS = frozenset({"update", "note", "editor's note", "editor’s note", "watch", "read more", "photo",
                          "video", "breaking", "correction", "related", "source", "sources", "q", "a",
                          "see also", "also", "ps", "p.s."})
# `"..." ― Sonya Herridge`: a dash after the closing mark, then the name.
DASH_SIGNATURE = re.compile(r"[ \t\u00a0]*(?P<dash>―|—|–|--?)[ \t\u00a0]*(?=[A-Z])")
# Attributions too loose to hand a speaker on to the next quote.
LOOSE_RULES = frozenset({"speech.governing", "speech.clause_subject", "headline.colon", "quote.inherited"})
TIME_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                        "today", "yesterday", "tonight", "morning", "afternoon", "evening", "night",
                        "week", "weekend", "month", "year", "earlier", "later"})
OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us", "it", "you"})
# How far (in tokens) a token pattern may reach from the word it requires.
PATTERN_REACH = 6
# How near a quote a cue or its speaker must stand to be its attribution
# when the other side of the quote has one too.
ADJACENT_TOKENS = 6
# How many paragraphs back an unattributed quote may look for its speaker.
INHERIT_PARAGRAPHS = 2

# Confidence by how the speaker was found (see the README's table).
CONFIDENCE = {
    "named": 0.95,
    "expert": 0.95,
    "other": 0.85,
    "pronoun": 0.8,
    "description": 0.75,
    "surname": 0.9,
    "inherited": 0.65,
    "unresolved": 0.4,
}
RULE_FACTOR = {"direct": 1.0, "partial": 0.9, "indirect": 0.85}


@dataclass
class Who:
    """A speaker as found at an attribution."""

    mention: tuple[int, int]  # char offsets
    name: str | None
    how: str
    description: str | None = None
    expert_id: str | None = None


@dataclass
class Found:
    """A cue and its speaker."""

    cue: tuple[int, int, str]  # char start, end, lemma
    who: Who | None
    rule: str


@dataclass
class _State:
    doc: Doc
    text: str
    spans: list[QuoteSpan]
    in_quote: list[bool]
    para_starts: list[int]
    people: People
    speakers: list[tuple[int, Who]] = field(default_factory=list)  # (offset, who) in order
    transcript: list[tuple[int, int, int, int]] | None = None
    starts: list[int] = field(default_factory=list)  # each token's character offset
    token_matches: list[tuple[str, int, int]] = field(default_factory=list)  # (rule, start, end)
    sent_starts: list[int] | None = None  # token index of each sentence start, computed on first use
    headings: dict[int, bool] = field(default_factory=dict)  # paragraph index -> is a heading


class Attributor:
    """Turns a parsed Doc into quote records, by the rules."""

    def __init__(self, vocab: Vocab, rules: Rules) -> None:
        self.rules = rules
        self.lex = Lexicon.from_rules(rules)
        self.registry = Registry(rules.experts)
        self.attribution = rules.attribution_pattern()
        cue_lemmas = sorted(rules.cue_lemmas)
        self.dep_matcher = DependencyMatcher(vocab)
        self.matcher = Matcher(vocab)
        self.headline_matcher = Matcher(vocab)
        # A word each token pattern requires: a document holding none of
        # them cannot match, so the Matcher need not run on it.
        literals: set[str] | None = set()
        self.roles_of_rule: dict[str, str] = {}
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
            self.roles_of_rule[rule.id] = rule.role
        self.token_literals = frozenset(literals) if literals is not None else None
        self.literal_hashes = numpy.array(sorted(vocab.strings.add(w) for w in self.token_literals or ()),
                                          dtype="uint64")
        self.indirect_hashes = numpy.array(sorted(vocab.strings.add(lemma) for lemma in rules.indirect_lemmas),
                                           dtype="uint64")

    # ------------------------------------------------------------------ API

    def __call__(self, doc: Doc, doc_id: str | None = None) -> list[Quote]:
        """All quote records of a parsed document, sorted by offset."""
        text = doc.text
        spans, _ = scan(text, self.attribution)
        state = self._state(doc, spans)
        matches = self._matches(state)
        records: list[Quote] = []
        by_span: dict[int, Quote] = {}
        found_of: dict[int, Found | None] = {}
        # Quotes and reported speech in text order, so that each speaker is
        # known before the pronouns that follow it. An event is (offset,
        # quote index or -1, indirect match or None).
        events: list[tuple[int, int, tuple[int, int, str, int] | None]] = [
            (s.start, i, None) for i, s in enumerate(spans)]
        events.extend((m[0], -1, m) for m in matches["indirect"])
        events.sort(key=lambda e: (e[0], e[1] >= 0))
        for _, i, indirect in events:
            rec = (self._indirect(state, indirect, doc_id) if indirect is not None
                   else self._quote(state, spans, i, matches, by_span, found_of, doc_id))
            if rec is not None:
                records.append(rec)
                if indirect is None:
                    by_span[i] = rec
        records.extend(self._transcript(state, spans, doc_id))
        records.sort(key=lambda r: (r.start, -r.end))
        return _dedupe(records)

    def _transcript_lines(self, state: _State) -> list[tuple[int, int, int, int]]:
        if state.transcript is None:
            state.transcript = self._find_transcript_lines(state)
        return state.transcript

    def _find_transcript_lines(self, state: _State) -> list[tuple[int, int, int, int]]:
        """Paragraphs of an interview transcript: `PENCE: Well, look, ...`.

        A label is an upper-case name and a colon opening a paragraph; the
        layout counts only where at least two paragraphs have labels, so a lone
        `UPDATE:` or `WASHINGTON:` is not a speaker."""
        lines = []
        for m in TRANSCRIPT_LINE.finditer(state.text):
            label = m.group("label")
            if label.lower() in self.lex.adjectives or label.lower() in NOT_SPEAKERS:
                continue
            lines.append((m.start("label"), m.end("label"), m.start("content"), m.end("content")))
        return lines if len(lines) >= 2 else []

    def _transcript(self, state: _State, spans: list[QuoteSpan], doc_id: str | None) -> list[Quote]:
        out = []
        for ls, le, cs, ce in self._transcript_lines(state):
            if any(sp.outer_start <= cs < sp.outer_end or cs <= sp.outer_start < ce for sp in spans
                   if sp.parent is None):
                continue  # quoted: the quote's own record carries it
            label = state.text[ls:le]
            who = self._finish(Who((ls, le), state.people.fullest(label.title(), ls), "named"))
            span = QuoteSpan(cs, ce, None, None, [(cs, ce)])
            out.append(self._record(state, span, "direct", who, None, set(), "layout.transcript", doc_id, None))
        return out

    # ---------------------------------------------------------------- setup

    def _state(self, doc: Doc, spans: list[QuoteSpan]) -> _State:
        text = doc.text
        in_quote = [False] * len(doc)
        starts = doc.to_array("IDX").tolist() if len(doc) else []
        for s in spans:
            if s.parent is not None:
                continue
            a = bisect.bisect_left(starts, s.outer_start)
            b = bisect.bisect_left(starts, s.outer_end)
            for k in range(a, b):
                in_quote[k] = True
        # Paragraph starts, blank lines skipped, so that "two paragraphs back"
        # counts paragraphs of text.
        para_starts = [0] + [m.end() for m in re.finditer(r"(?:\r\n|[\n\r\u2028\u2029])(?=[ \t]*[^\s])", text)]
        state = _State(doc, text, spans, in_quote, para_starts, People(), starts=starts)
        self._collect_people(state)
        return state

    def _collect_people(self, state: _State) -> None:
        """Every person named outside quotation marks, with roles from the words around the name."""
        doc, lex = state.doc, self.lex
        seen: set[tuple[int, int]] = set()
        # Only capitalised words can be names: pick them from the text, not by
        # visiting every token (the cost of this pass is the cost of Token objects).
        text = state.text
        capital = [i for i, idx in enumerate(state.starts) if text[idx].isupper()]
        for i in capital:
            tok = doc[i]
            if state.in_quote[tok.i] or not is_name_token(tok, lex):
                continue
            if tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and is_name_token(tok.head, lex):
                continue  # not the head of its name
            np = self._noun_phrase(state, tok)
            ns = name_span(list(np), tok, lex)
            if ns is None or ns in seen:
                continue
            name_toks = doc[ns[0]:ns[1]]
            opens = np.start == self._sent(state, tok.i).start and ns[1] < len(doc) and doc[ns[1]].pos_ in (
                "VERB", "AUX")
            if not self._looks_like_person(name_toks, tok, opens):
                continue
            seen.add(ns)
            modifiers = [t.text for t in np if t.i < ns[0]]
            appos = self._appos(tok)
            words = modifiers + (appos.text.split() if appos is not None else [])
            places = lex.places_in(modifiers)
            # "President of Belarus Alexander Lukashenko": the place after "of".
            for t in np:
                if t.i < ns[0] and t.dep_ == "pobj" and t.text.lower() in lex.adjectives:
                    places.add(lex.adjectives[t.text.lower()])
            # A name opening its sentence right before a verb is its subject,
            # whatever the parser made of it (`DuVernay examined the amendment`).
            state.people.add(Person(
                name=name_toks.text,
                start=name_toks.start_char,
                end=name_toks.end_char,
                subject=tok.dep_ in SUBJECT_DEPS or (tok.dep_ == "appos" and tok.head.dep_ in SUBJECT_DEPS) or opens,
                roles=set(lex.roles_in(words)),
                places=places,
                gender=lex.gender_of(words),
            ))
        state.people.finish()

    def _looks_like_person(self, name_toks: Span, head: Token, opens: bool = False) -> bool:
        """A name of a person, not a place or an organisation (NER helps when present)."""
        if any(t.ent_type_ in ("GPE", "LOC", "NORP", "FAC", "DATE", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART")
               and t.ent_iob_ != "O" for t in name_toks):
            return False
        if name_toks.text.lower() in self.lex.adjectives:
            return False
        if name_toks[-1].lower_ in self.lex.organisations or name_toks[0].lower_ in self.lex.organisations:
            return False  # `the Middle East Institute`, `The New York Times`
        if any(t.ent_type_ == "PERSON" for t in name_toks):
            return True
        if self.registry.match(name_toks.text):
            return True
        if len(name_toks) >= 2 and all(t.text[:1].isupper() for t in name_toks if t.text not in "-–"):
            return not any(t.ent_type_ == "ORG" for t in name_toks) or head.dep_ in SUBJECT_DEPS
        return (head.dep_ in SUBJECT_DEPS | {"appos", "pobj"} or opens) and head.ent_type_ in ("", "PERSON", "ORG")

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """The token Matcher's matches, run only around the words its patterns
        require (a window of PATTERN_REACH tokens each side), not over the
        whole document."""
        if self.token_literals is None:
            return list(self.matcher(doc))
        if not len(doc):
            return []
        hits = numpy.flatnonzero(numpy.isin(doc.to_array("LOWER"), self.literal_hashes)).tolist()
        out: list[tuple[int, int, int]] = []
        end = -1
        for i in hits:
            a, b = max(0, i - PATTERN_REACH, end), min(len(doc), i + PATTERN_REACH + 1)
            if b <= a:
                continue
            out.extend((match_id, a + x, a + y) for match_id, x, y in self.matcher(doc[a:b]))
            end = b
        return sorted(set(out), key=lambda m: (m[1], m[2]))

    def _matches(self, state: _State) -> dict[str, list]:
        """Cue-speaker pairs from the rule patterns, outside quotation marks."""
        doc = state.doc
        by_cue: dict[int, tuple[str, int]] = {}  # cue token -> (rule, speaker token)
        for match_id, token_ids in self.dep_matcher(doc):
            rule = doc.vocab.strings[match_id]
            cue_i, spk_i = token_ids[0], token_ids[-1]
            if state.in_quote[cue_i] or state.in_quote[spk_i]:
                continue
            by_cue.setdefault(cue_i, (rule, spk_i))
        token_matches: list[tuple[str, int, int]] = []
        for match_id, a, b in self._token_matches(doc):
            rule = doc.vocab.strings[match_id]
            if any(state.in_quote[k] for k in range(a, b)):
                continue
            token_matches.append((rule, a, b))
        indirect: list[tuple[int, int, str, int]] = []  # (char offset, cue token, rule, speaker token)
        for cue_i, (rule, spk_i) in by_cue.items():
            tok = doc[cue_i]
            if self.roles_of_rule.get(rule) == "source" or tok.lemma_.lower() in self.rules.indirect_lemmas:
                indirect.append((tok.idx, cue_i, rule, spk_i))
        # `"...," he said, adding that vaccines remain the best defence`: a
        # reporting participle or conjunct takes its clause's subject.
        lemmas = doc.to_array("LEMMA") if len(doc) else numpy.zeros((0,), dtype="uint64")
        for i in numpy.flatnonzero(numpy.isin(lemmas, self.indirect_hashes)).tolist():
            if i not in by_cue and not state.in_quote[i]:
                tok = doc[i]
                if tok.dep_ in ("advcl", "conj", "xcomp") and any(c.dep_ == "ccomp" for c in tok.children):
                    subj = self._subject(tok, state.in_quote)
                    if subj is not None:
                        indirect.append((tok.idx, i, "speech.conj_subject", subj.i))
        for rule, a, b in token_matches:
            if self.roles_of_rule.get(rule) == "source" and a not in by_cue:
                spk = self._np_after(state, b)
                if spk is not None:
                    indirect.append((doc[a].idx, a, rule, spk.i))
        indirect = [m for m in indirect if self.roles_of_rule.get(m[2]) != "source" or self._can_source(doc[m[3]])]
        indirect.sort()
        state.token_matches = token_matches
        return {"by_cue": by_cue, "tokens": token_matches, "indirect": indirect}

    # ------------------------------------------------------------- helpers

    def _sent(self, state: _State, i: int) -> Span:
        """The sentence of token i (Token.sent recomputes the sentences each time)."""
        if state.sent_starts is None:
            state.sent_starts = [sent.start for sent in state.doc.sents] or [0]
        starts = state.sent_starts
        k = bisect.bisect_right(starts, i) - 1
        end = starts[k + 1] if k + 1 < len(starts) else len(state.doc)
        return state.doc[starts[max(k, 0)]:end]

    def _tok_at(self, state: _State, char: int) -> int:
        """Index of the token at or after a character offset."""
        doc = state.doc
        lo, hi = 0, len(doc)
        while lo < hi:
            mid = (lo + hi) // 2
            if doc[mid].idx + len(doc[mid]) <= char:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _para(self, state: _State, char: int) -> int:
        return bisect.bisect_right(state.para_starts, char) - 1

    def _para_end(self, state: _State, char: int) -> int:
        p = self._para(state, char)
        return state.para_starts[p + 1] if p + 1 < len(state.para_starts) else len(state.text)

    def _noun_phrase(self, state: _State, head: Token) -> Span:
        """The contiguous noun phrase around `head`, without relative clauses or appositions."""
        doc = head.doc
        left = head.i
        for t in reversed(list(head.lefts)):
            # Each modifier's words must run on to what is already in the phrase.
            if t.dep_ in NP_MODIFIERS and t.right_edge.i == left - 1:
                if t.dep_ == "punct" and t.text not in "-–":
                    break
                left = t.left_edge.i
            else:
                break
        right = head.i + 1
        while right < len(doc) and doc[right].dep_ in ("flat", "compound") and doc[right].head.i == head.i:
            right += 1
        while left < head.i and state.in_quote[left]:
            left += 1
        return doc[left:right]

    def _appos(self, head: Token) -> Span | None:
        for c in head.rights:
            if c.dep_ == "appos":
                return head.doc[c.left_edge.i:c.right_edge.i + 1]
        return None

    def _np_after(self, state: _State, i: int) -> Token | None:
        """The head of the noun phrase starting at token i (`according to him`)."""
        doc = state.doc
        j = i
        while j < len(doc) and doc[j].pos_ in NP_POS and not state.in_quote[j] and doc[j].text not in ",;:":
            j += 1
            if doc[j - 1].pos_ in ("PRON",):
                break
        if j == i:
            return None
        # The rightmost noun-like token of the run is its head.
        for k in range(j - 1, i - 1, -1):
            if doc[k].pos_ in ("PROPN", "NOUN", "PRON"):
                return doc[k]
        return None

    # ------------------------------------------------------------ speakers

    def _who(self, state: _State, tok: Token) -> Who | None:
        """Resolve the speaker whose head token is `tok`."""
        lex = self.lex
        if tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in TIME_WORDS:
            return None  # `said Monday`, `told reporters Thursday morning`
        tok = self._out_of_parentheses(tok)
        if tok.lower_ in ("who", "that") and tok.head.dep_ == "relcl" and tok.head.head is not tok.head:
            tok = tok.head.head  # `Trump, who said: "..."`
        low = tok.text.lower()
        if tok.pos_ == "PRON" or low in PRONOUNS or low in PLURAL_PRONOUNS:
            mention = (tok.idx, tok.idx + len(tok.text))
            if low in FIRST_PERSON or low in PLURAL_PRONOUNS or low in ("it", "you", "this", "that", "who"):
                return Who(mention, None, "unresolved")
            person = self._antecedent(state, tok.idx, PRONOUNS.get(low))
            if person is None:
                return Who(mention, None, "unresolved")
            return self._finish(Who(mention, person[0], "pronoun", expert_id=person[1]))
        np = self._noun_phrase(state, tok)
        ns = name_span(list(np), tok, lex)
        appos = self._appos(tok)
        if ns is None:
            # "President of Belarus Alexander Lukashenko said": the name is the
            # object of the title's "of".
            for prep in tok.rights:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if pobj is not None and is_name_token(pobj, lex):
                        sub = state.doc[pobj.left_edge.i:pobj.i + 1]
                        ns_of = name_span(list(sub), pobj, lex)
                        if ns_of is not None:
                            doc = state.doc
                            name_toks = doc[ns_of[0]:ns_of[1]]
                            desc = doc[np.start:ns_of[0]].text.strip(" ,") or None
                            full = state.people.fullest(name_toks.text, tok.idx)
                            return self._finish(Who((np.start_char, name_toks.end_char), full, "named",
                                                    description=desc))
                    break
        if ns is None and appos is not None:
            # "the chairman of the meeting, Armenian leader Nikol Pashinyan, said"
            for t in reversed(list(appos)):
                if is_name_token(t, lex):
                    ns2 = name_span(list(appos), t, lex)
                    if ns2:
                        doc = state.doc
                        name_toks = doc[ns2[0]:ns2[1]]
                        desc = " ".join(w for w in (np.text, doc[appos.start:ns2[0]].text) if w).strip(" ,")
                        full = state.people.fullest(name_toks.text, tok.idx)
                        return self._finish(Who((np.start_char, appos.end_char), full,
                                                "named", description=desc or None))
                    break
        if ns is not None:
            doc = state.doc
            name_toks = doc[ns[0]:ns[1]]
            before = doc[np.start:ns[0]]
            desc_words = [t for t in before if t.pos_ != "DET"]
            description = doc[desc_words[0].i:ns[0]].text if desc_words else None
            if appos is not None and lex.roles_in([t.text for t in appos]):
                description = appos.text
                end = appos.end_char
            else:
                end = np.end_char
            words_of = description.split() if description is not None else []
            if description is not None and not (lex.roles_in(words_of) or lex.places_in(words_of)):
                description = description if len(desc_words) > 0 and any(
                    t.pos_ in ("NOUN", "PROPN") for t in desc_words) else None
            full = state.people.fullest(name_toks.text, tok.idx)
            how = "named" if len(name_toks) > 1 or full != name_toks.text else "surname"
            return self._finish(Who((np.start_char, end), full, how, description=description))
        if tok.text[:1].isupper() and tok.pos_ in ("NOUN", "ADJ", "X") and fold_key(tok.text) in state.people.keys():
            # The sm model tags some names as nouns at a sentence start
            # (`Trump boasted`): a word the article names a person with is a name.
            full = state.people.fullest(tok.text, tok.idx)
            return self._finish(Who((tok.idx, tok.idx + len(tok.text)), full, "surname"))
        # A description: "the expert", "the Kazakh leader".
        words = [t.text for t in np]
        roles = lex.roles_in(words)
        mention = (np.start_char, np.end_char)
        if roles:
            person = self._by_description(state, tok.idx, roles, lex.places_in(words), lex.gender_of(words))
            if person is None:
                return Who(mention, None, "unresolved")
            return self._finish(Who(mention, person[0], "description", expert_id=person[1]))
        # Anything else that speaks: an outlet, an office, "officials".
        if np.text.strip():
            propn = [t for t in np if t.pos_ == "PROPN"]
            name = np.text if propn else None
            return self._finish(Who(mention, name, "other"))
        return None

    def _out_of_parentheses(self, tok: Token) -> Token:
        """`Sen. Claire McCaskill (D-Mo.)`: a party tag in parentheses is not the speaker."""
        doc = tok.doc
        k = tok.i
        for j in range(k - 1, max(-1, k - 6), -1):
            if doc[j].text == ")":
                return tok
            if doc[j].text == "(":
                if any(doc[m].text == ")" for m in range(k, min(len(doc), k + 6))) and j > 0:
                    return doc[j - 1]
                return tok
        return tok

    def _finish(self, who: Who) -> Who:
        expert = self.registry.match(who.name)
        if expert is not None:
            who.expert_id = expert.id
            who.name = expert.name if len(who.name.split()) < len(expert.name.split()) else who.name  # type: ignore[union-attr]
        return who

    def _recent_speaker(self, state: _State, at: int) -> tuple[str, str | None] | None:
        for offset, who in reversed(state.speakers):
            if offset < at and who.name and who.how != "other":
                return who.name, who.expert_id
        return None

    def _antecedent(self, state: _State, at: int, gender: str | None) -> tuple[str, str | None] | None:
        """The person a pronoun at `at` refers to: the nearest speaker or subject before it."""
        since = state.para_starts[max(0, self._para(state, at) - 3)]
        candidates: list[tuple[int, str]] = []
        for p in state.people.before(at, since):
            if p.subject and (gender is None or p.gender in (None, gender)):
                candidates.append((p.start, state.people.fullest(p.name, p.start)))
        for offset, who in state.speakers:
            if since <= offset < at and who.name and who.how != "other":
                candidates.append((offset, who.name))
        if not candidates:
            return None
        offset, name = max(candidates)
        # Never guess across a different person named in between:
        # `Smith met Jones. "We agreed," he said.` stays unresolved.
        wanted = fold_key(name)
        for p in state.people.before(at, offset + 1):
            if fold_key(p.name) != wanted and (gender is None or p.gender in (None, gender)):
                return None
        expert = self.registry.match(name)
        return name, expert.id if expert else None

    def _by_description(self, state: _State, at: int, roles: list[str], places: set[str],
                        gender: str | None) -> tuple[str, str | None] | None:
        """The person a description refers to ("the Kazakh leader", "the expert")."""
        lex = self.lex
        specific = places or any(r in lex.title_roles and r not in ("role.leader",) for r in roles)
        if specific:
            for p in reversed(state.people.before(at)):
                full = state.people.fullest(p.name, p.start)
                p_roles, p_places = state.people.roles_of(full)
                if places and not (places & p_places):
                    continue
                wanted = [r for r in roles if r != "role.leader"]
                if wanted and not (set(wanted) & p_roles):
                    continue
                if not places and not p_roles:
                    continue
                expert = self.registry.match(full)
                return full, expert.id if expert else None
        recent = self._recent_speaker(state, at)
        if recent is not None:
            return recent
        return self._antecedent(state, at, gender)

    # -------------------------------------------------------- attribution

    def _window_after(self, state: _State, span: QuoteSpan) -> tuple[int, int]:
        """Tokens from the quote's close to the end of its attribution."""
        doc = state.doc
        a = self._tok_at(state, span.outer_end)
        para_end = self._para_end(state, span.outer_end)
        b = a
        while b < len(doc) and doc[b].idx < para_end and not state.in_quote[b]:
            if doc[b].text in SENTENCE_END and b > a:
                break
            b += 1
        return a, b

    def _window_before(self, state: _State, span: QuoteSpan, floor: int | None = None) -> tuple[int, int]:
        """Tokens from the start of the sentence (or the quote before) to the quote's open mark.

        With `floor` (a nested quote: the parent's content start) the window
        stays inside the parent quote and ignores its marks."""
        doc = state.doc
        b = self._tok_at(state, span.outer_start)
        para_start = state.para_starts[self._para(state, span.outer_start)]
        lo = max(para_start, floor or 0)
        a = b
        while (a > 0 and doc[a - 1].idx >= lo and (floor is not None or not state.in_quote[a - 1])
               and doc[a - 1].text not in SENTENCE_END):
            a -= 1
        return a, b

    def _adjacent(self, state: _State, at: int, found: Found, backwards: bool = False) -> bool:
        """Whether a cue or its speaker stands within a few words of the quote
        (`"...," said X` / `X said: "..."`), rather than in a sentence of its
        own that happens to follow."""
        cue = self._tok_at(state, found.cue[0])
        if abs(cue - at) <= ADJACENT_TOKENS:
            return True
        if found.who is None:
            return False
        # `"...," Rep. G.K. Butterfield (D-N.C.), head of the caucus, said.`:
        # the speaker's name right by the quote, the cue far after it.
        edge = found.who.mention[1] if backwards else found.who.mention[0]
        return abs(self._tok_at(state, edge) - at) <= 2

    def _introduction(self, state: _State, span: QuoteSpan) -> tuple[int, int]:
        """`The New York Times reports:` closing the paragraph before a quote
        that opens its own paragraph: the colon introduces the quote."""
        doc = state.doc
        b = self._tok_at(state, span.outer_start)
        k = b - 1
        while k >= 0 and doc[k].is_space:
            k -= 1
        if k < 0 or doc[k].text != ":" or state.in_quote[k]:
            return b, b
        a = k
        while (a > 0 and not state.in_quote[a - 1] and doc[a - 1].text not in SENTENCE_END
               and "\n" not in doc[a - 1].text):
            a -= 1
        return a, k

    def _cue_in(self, state: _State, a: int, b: int, prefer: str, matches: dict) -> Found | None:
        """A cue and its speaker within tokens [a, b)."""
        doc = state.doc
        by_cue = matches["by_cue"]
        order = range(a, b) if prefer == "first" else range(b - 1, a - 1, -1)
        for k in order:
            tok = doc[k]
            if state.in_quote[k] and prefer != "nested":
                continue
            lemma = tok.lemma_.lower()
            if lemma not in self.rules.cue_lemmas or tok.pos_ not in ("VERB", "AUX"):
                continue
            cue = (tok.idx, tok.idx + len(tok.text), lemma)
            if k in by_cue:
                rule, spk = by_cue[k]
                who = self._who(state, doc[spk])
                if who is not None:
                    return Found(cue, who, rule)
            subj = self._subject(tok, state.in_quote)
            if subj is not None:
                who = self._who(state, subj)
                if who is not None:
                    return Found(cue, who, "speech.conj_subject")
            # Inverted order the parser missed: `said the political scientist`.
            spk_tok = self._np_after(state, k + 1) if k + 1 < b else None
            if spk_tok is not None and (spk_tok.lower_ in OBJECT_PRONOUNS or (
                    spk_tok.dep_ == "dobj" and not self._is_person_like(spk_tok))):
                spk_tok = None  # `asking her`, `asked a few questions`: not the speaker
            if spk_tok is not None and spk_tok.i < b + 12:
                who = self._who(state, spk_tok)
                if who is not None:
                    return Found(cue, who, "speech.inverted")
            # Subject before the cue the parser missed: `"...," the expert believes.`
            for j in range(k - 1, max(a, k - 3) - 1, -1):
                if doc[j].pos_ in ("PROPN", "NOUN", "PRON") and not state.in_quote[j]:
                    if not self._is_person_like(doc[j]):
                        break
                    who = self._who(state, doc[j])
                    if who is not None:
                        return Found(cue, who, "speech.preceding")
                    break
            return Found(cue, None, "speech.no_speaker")
        # `according to him` / `in the words of X`
        for rule, ta, tb in matches["tokens"]:
            if a <= ta < b and self.roles_of_rule.get(rule) == "source":
                spk = self._np_after(state, tb)
                if spk is not None:
                    who = self._who(state, spk)
                    cue = (doc[ta].idx, doc[tb - 1].idx + len(doc[tb - 1].text), doc[ta:tb].text.lower())
                    return Found(cue, who, rule)
        return None

    def _subject(self, verb: Token, in_quote: list[bool] | None = None) -> Token | None:
        """A verb's subject, or, for `warned ... and suggested` and participles
        (`Mr. Trump hardly clarified the matter, ... asserting, "..."`), its
        head verb's. A subject inside quotation marks is not the speaker's."""
        v = verb
        for _ in range(4):
            for c in v.children:
                if c.dep_ == "nsubj" and not (in_quote and in_quote[c.i]):
                    if c.lower_ in ("who", "that", "which") and v.dep_ == "relcl" and v.head is not v:
                        return v.head  # `Trump, who said: "..."`
                    return c
            if v.dep_ in ("conj", "xcomp", "advcl", "pcomp", "dep") and v.head is not v:
                v = v.head
                if v.dep_ == "prep" and v.head is not v:  # `sings to Clinton before asking her`
                    v = v.head
            else:
                break
        return None

    def _is_partial(self, state: _State, span: QuoteSpan) -> bool:
        """A fragment inside a sentence (`accused "foreign-trained terrorist gangs" of`)."""
        text = state.text
        i = span.outer_start - 1
        while i >= 0 and text[i] in " \t":
            i -= 1
        before = text[i] if i >= 0 else "\n"
        j = span.outer_end
        while j < len(text) and text[j] in " \t":
            j += 1
        after = text[j] if j < len(text) else "\n"
        content = text[span.start:span.end]
        words = len(content.split())
        if before.isalnum() or before in "'’":
            return not (content[:1].isupper() and words >= 8 and content.rstrip()[-1:] in ".!?,")
        if words <= 5 and after.isalpha() and after.islower() and not self._attribution_follows(state, span):
            return True  # Putin: "Maidan technologies" used in Kazakhstan
        return False

    def _attribution_follows(self, state: _State, span: QuoteSpan) -> bool:
        """`"That," he added, "..."`: a cue within the few words after the quote."""
        doc = state.doc
        a = self._tok_at(state, span.outer_end)
        if a < len(doc) and doc[a].text in (",", "—", "–"):
            a += 1
        elif (state.text[span.end - 1:span.end] in (".", "!", "?") and a < len(doc)
              and doc[a].text[:1].isupper() and doc[a].lemma_.lower() not in self.rules.cue_lemmas):
            return False  # `"... recklessness." South Korean President Park said`: a new sentence
        # Only a short noun phrase may stand between: `, he said` / `, the minister added` /
        # `, the Prime Minister, Boris Johnson, told`.
        for k in range(a, min(a + 9, len(doc))):
            tok = doc[k]
            if state.in_quote[k]:
                return False
            if tok.lemma_.lower() in self.rules.cue_lemmas and tok.pos_ in ("VERB", "AUX"):
                return not any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
            if any(rule_a == k and self.roles_of_rule.get(rule) == "source" for rule, rule_a, _ in state.token_matches):
                return True  # `"...," according to a statement from the ministry.`
            if tok.pos_ not in NP_POS and tok.text not in (",", "-", "–"):
                return False
        return False

    def _quote(self, state: _State, spans: list[QuoteSpan], i: int, matches: dict,
               by_span: dict[int, Quote], found_of: dict[int, Found | None], doc_id: str | None) -> Quote | None:
        span = spans[i]
        flags = set(span.flags)
        found: Found | None = None
        nested_in = by_span.get(span.parent) if span.parent is not None else None
        partial = self._is_partial(state, span)
        kind = "partial" if partial else "direct"
        if span.parent is not None:
            # Inside a quote: only an attribution inside the parent names the
            # inner speaker (`To which Putin then replied: "..."`).
            a, b = self._window_before(state, span, floor=spans[span.parent].start)
            found = self._nested_cue(state, a, b)
            if found is None:
                return self._record(state, span, "partial" if partial else "direct", None, None,
                                    flags, "quote.unattributed", doc_id, nested_in)
        elif partial:
            # `because "most people don't know about that loop-hole," she said.`
            # an attribution right after the fragment beats the clause around it.
            found = None
            if self._attribution_follows(state, span):
                a, b = self._window_after(state, span)
                found = self._cue_in(state, a, b, "first", matches)
            if found is None or found.who is None:
                found = self._headline(state, span, matches)
            if found is None:
                found = self._governing_cue(state, span, matches)
        elif (label := TRANSCRIPT_LABEL.match(state.text, span.start)) is not None and any(
                ls == label.start("label") for ls, *_ in self._transcript_lines(state)):
            ls, le = label.start("label"), label.end("label")
            who = self._finish(Who((ls, le), state.people.fullest(state.text[ls:le].title(), ls), "named"))
            found = Found((le, le + 1, ":"), who, "layout.transcript")
        else:
            a, b = self._window_after(state, span)
            found = self._cue_in(state, a, b, "first", matches)
            far = found is not None and found.who is not None and not self._adjacent(state, a, found)
            if found is None or found.who is None or far:
                a2, b2 = self._window_before(state, span)
                if a2 == b2:
                    a2, b2 = self._introduction(state, span)
                before = self._cue_in(state, a2, b2, "last", matches)
                if before is not None and before.who is not None and (
                        not far or self._adjacent(state, b2, before, backwards=True)):
                    found = before
            if found is None:
                found = self._headline(state, span, matches) or self._dash(state, span)
        if (found is None or found.who is None) and kind == "direct" and span.parent is None:
            inherited = self._inherit(state, spans, i, found_of, by_span)
            if inherited is not None:
                prev, who = inherited
                flags.add("inherited-speaker")
                # An unresolved speaker stays unresolved, at its own low confidence.
                how = "inherited" if who.name else "unresolved"
                rec = self._record(state, span, kind, Who(who.mention, who.name, how, who.description,
                                                          who.expert_id),
                                   None, flags, "quote.inherited", doc_id, nested_in, continues=prev.id)
                found_of[i] = Found((0, 0, ""), who, "quote.inherited")
                return rec
        found_of[i] = found
        who = found.who if found else None
        if who is not None:
            state.speakers.append((span.start, who))
        rule = (found.rule if found else "quote.unattributed")
        prefix = "direct" if kind == "direct" else "partial"
        return self._record(state, span, kind, who, found.cue if found else None, flags,
                            f"{prefix}.{rule.split('.', 1)[-1]}" if found else "quote.unattributed",
                            doc_id, nested_in,
                            continues=by_span[span.continues].id if span.continues in by_span else None)

    def _nested_cue(self, state: _State, a: int, b: int) -> Found | None:
        doc = state.doc
        for k in range(b - 1, a - 1, -1):
            tok = doc[k]
            if tok.lemma_.lower() in self.rules.cue_lemmas and tok.pos_ in ("VERB", "AUX"):
                subj = self._subject(tok)
                if subj is None:
                    return None
                who = self._who_inside(state, subj)
                if who is None:
                    return None
                return Found((tok.idx, tok.idx + len(tok.text), tok.lemma_.lower()), who, "speech.nested")
        return None

    def _who_inside(self, state: _State, tok: Token) -> Who | None:
        """A speaker named inside a quote: only a name, never a pronoun (it is the outer speaker's)."""
        if not is_name_token(tok, self.lex):
            return None
        saved = state.in_quote
        state.in_quote = [False] * len(saved)
        try:
            return self._who(state, tok)
        finally:
            state.in_quote = saved

    def _governing_cue(self, state: _State, span: QuoteSpan, matches: dict) -> Found | None:
        """The reporting verb a quoted fragment depends on, up the tree."""
        doc = state.doc
        a = self._tok_at(state, span.start)
        b = self._tok_at(state, span.end)
        if a >= len(doc):
            return None
        # The fragment's head: the token in it whose head lies outside it.
        head = next((doc[k] for k in range(a, min(b, len(doc))) if not a <= doc[k].head.i < b), doc[a])
        node = head
        for step in range(7):
            if step:
                if node.dep_ in SUBJECT_DEPS | {"appos"} and self._speaker_of_cue(node):
                    return None  # the fragment names the speaker: `commented the newspaper "Vzglyad"`
                if node.head is node:
                    break
                node = node.head
            # `African-Americans, he said, can "rock like Jimi"`: a parenthetical cue.
            for c in node.children:
                if c.dep_ == "parataxis" and not state.in_quote[c.i]:
                    found = self._reporting(state, c)
                    if found is not None:
                        return found
            if self._para(state, node.idx) != self._para(state, span.start):
                break  # the parser joined paragraphs: a headline with the text below
            if step and not state.in_quote[node.i]:
                found = self._reporting(state, node)
                if found is not None:
                    return self._outer_report(state, node, found)
        # `According to him, the protests need to be "quenched"`: a source
        # phrase in the fragment's sentence.
        sent = self._sent(state, a)
        for rule, ta, tb in matches["tokens"]:
            if self.roles_of_rule.get(rule) == "source" and sent.start <= ta < a:
                spk = self._np_after(state, tb)
                if spk is not None:
                    who = self._who(state, spk)
                    if who is not None:
                        cue = (doc[ta].idx, doc[tb - 1].idx + len(doc[tb - 1].text), doc[ta:tb].text.lower())
                        return Found(cue, who, rule)
        return self._clause_subject(state, head)

    def _outer_report(self, state: _State, cue: Token, found: Found) -> Found:
        """`Zakharova added that Moscow would respond "appropriately"`: a cue in
        a clause that another cue reports (its ccomp) quotes the outer speaker."""
        node = cue
        while node.dep_ == "ccomp" and node.head is not node and not state.in_quote[node.head.i]:
            outer = self._reporting(state, node.head)
            if outer is None:
                break
            found, node = outer, node.head
        return found

    def _reporting(self, state: _State, node: Token) -> Found | None:
        """A Found if `node` is a reporting verb (or `according`) with a speaker."""
        lemma = node.lemma_.lower()
        if not ((lemma in self.rules.partial_lemmas and node.pos_ in ("VERB", "AUX")) or lemma == "according"):
            return None
        subj = self._subject(node, state.in_quote)
        if subj is None and lemma == "according":
            subj = self._np_after(state, node.i + 2)
        if subj is None or state.in_quote[subj.i]:
            return None
        who = self._who(state, subj)
        if who is None:
            return None
        return Found((node.idx, node.idx + len(node.text), lemma), who, "speech.governing")

    def _speaker_of_cue(self, node: Token) -> bool:
        """Whether `node` is (in) the subject of a reporting verb: then it speaks."""
        while node.dep_ == "appos" and node.head is not node:
            node = node.head
        return node.dep_ in SUBJECT_DEPS and node.head.lemma_.lower() in self.rules.cue_lemmas

    def _clause_subject(self, state: _State, head: Token) -> Found | None:
        """`Reid has been pounding Trump as a "con artist"`: a fragment inside a
        clause whose subject is a person is that person's words. Only people
        count (a name, a personal pronoun, a role noun), so scare quotes in
        clauses about "media", "reports" or "the regime" stay unattributed."""
        node = head
        for _ in range(5):
            if node.dep_ in SUBJECT_DEPS | {"appos"} and self._speaker_of_cue(node) or node.head is node:
                return None
            node = node.head
            if node.pos_ not in ("VERB", "AUX") or state.in_quote[node.i]:
                continue
            if self._para(state, node.idx) != self._para(state, head.idx):
                return None
            subj = self._subject(node, state.in_quote)
            if subj is None:
                continue
            if state.in_quote[subj.i] or not self._is_person_like(subj):
                return None
            who = self._who(state, subj)
            if who is None or who.how == "other":
                return None
            return Found((node.idx, node.idx + len(node.text), node.lemma_.lower()), who, "speech.clause_subject")
        return None

    def _is_person_like(self, tok: Token) -> bool:
        low = tok.lower_
        if tok.pos_ == "PRON":
            return low in PRONOUNS or low in ("they", "i", "we")
        if tok.ent_type_ in ("GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT"):
            return False
        if is_name_token(tok, self.lex):
            return True
        return low in self.lex.roles or tok.lemma_.lower() in self.lex.roles

    def _dash(self, state: _State, span: QuoteSpan) -> Found | None:
        """`"... our greatest shame." ― Sonya Herridge`: a name after a dash signs the quote."""
        doc = state.doc
        m = DASH_SIGNATURE.match(state.text, span.outer_end)
        if m is None:
            return None
        j = self._tok_at(state, m.end())
        end = j
        while end < len(doc) and end - j < 5 and doc[end].idx < self._para_end(state, m.end()) and (
                is_name_token(doc[end], self.lex) or (doc[end].text in (".", "-") and end > j)):
            end += 1
        while end > j and not is_name_token(doc[end - 1], self.lex):
            end -= 1
        if end == j:
            return None
        name = doc[j:end]
        full = state.people.fullest(name.text, name.start_char)
        who = self._finish(Who((name.start_char, name.end_char), full, "named"))
        return Found((m.start("dash"), m.end("dash"), "dash"), who, "layout.dash")

    def _headline(self, state: _State, span: QuoteSpan, matches: dict) -> Found | None:
        """`Putin: "Maidan technologies" used in Kazakhstan`: a name and a colon opening a paragraph."""
        doc = state.doc
        text = state.text
        i = span.outer_start - 1
        while i >= 0 and text[i] in " \t":
            i -= 1
        if i < 0 or text[i] != ":":
            return None
        para_start = state.para_starts[self._para(state, span.outer_start)]
        a = self._tok_at(state, para_start)
        b = self._tok_at(state, i + 1)
        if b <= a or b - a > 8:
            return None
        for match_id, ta, tb in self.headline_matcher(doc[a:b]):
            if ta != 0 or tb != b - a:
                continue  # the name must open the paragraph and end at the colon
            colon = doc[a + tb - 1]
            who = self._who(state, doc[a + tb - 2])
            if who is not None and who.name:
                return Found((colon.idx, colon.idx + 1, ":"), who, doc.vocab.strings[match_id])
        return None

    def _inherit(self, state: _State, spans: list[QuoteSpan], i: int, found_of: dict[int, Found | None],
                 by_span: dict[int, Quote]) -> tuple[Quote, Who] | None:
        """A quote with no cue, right after a quote whose speaker is known, is theirs."""
        span = spans[i]
        for j in range(i - 1, -1, -1):
            prev = spans[j]
            if prev.parent is not None:
                continue
            if self._para(state, span.start) - self._para(state, prev.end) > INHERIT_PARAGRAPHS:
                return None
            f = found_of.get(j)
            # A long quote's next paragraph (reopened with a mark) is always the
            # same speaker's; otherwise only a firm attribution is handed on.
            if f is None or f.who is None or j not in by_span or (f.rule in LOOSE_RULES and span.continues != j):
                return None
            # Never across another person named in between; the attribution
            # of the quote before (`said Rep. G.K. Butterfield, head of the
            # Congressional Black Caucus.`) does not count.
            since = prev.outer_end
            if f.cue[1] > f.cue[0]:
                since = max(since, self._sent(state, self._tok_at(state, f.cue[0])).end_char)
            since = max(since, f.who.mention[1])
            speaker_key = fold_key(f.who.name)
            between = state.people.before(span.outer_start, since)
            if any(fold_key(p.name) != speaker_key for p in between):
                return None
            return by_span[j], f.who
        return None

    def _record(self, state: _State, span: QuoteSpan, kind: str, who: Who | None,
                cue: tuple[int, int, str] | None, flags: set[str], rule: str, doc_id: str | None,
                nested_in: Quote | None, continues: str | None = None) -> Quote:
        text = state.text
        speaker = None
        confidence = 0.3
        if who is not None:
            if who.how == "pronoun":
                flags.add("resolved-pronoun")
            elif who.how == "description":
                flags.add("resolved-description")
            elif who.how == "unresolved":
                flags.add("unresolved")
            speaker = Speaker(name=who.name, mention=text[who.mention[0]:who.mention[1]],
                              start=who.mention[0], end=who.mention[1], expert_id=who.expert_id,
                              description=who.description)
            confidence = CONFIDENCE.get(who.how, 0.5) * RULE_FACTOR[kind]
            if flags & {"repaired-close", "unclosed", "stray-mark"}:
                confidence *= 0.95
        cue_rec = None
        if cue and cue[1] > cue[0]:
            cue_rec = Cue(text=text[cue[0]:cue[1]], lemma=cue[2], start=cue[0], end=cue[1])
        return Quote(
            id=quote_id(doc_id, span.start, span.end), doc_id=doc_id, kind=kind,  # type: ignore[arg-type]
            text=text[span.start:span.end], start=span.start, end=span.end,
            parts=[tuple(p) for p in span.parts] or [(span.start, span.end)],  # type: ignore[misc]
            speaker=speaker, cue=cue_rec, confidence=round(confidence, 3), rule=rule,
            flags=sorted(flags), continues=continues,
            nested_in=nested_in.id if nested_in is not None else None,
        )

    # ------------------------------------------------------------ indirect

    def _is_heading(self, state: _State, at: int) -> bool:
        """A title or section heading: a short paragraph whose words are mostly capitalised."""
        para = self._para(state, at)
        if para in state.headings:  # once per paragraph: a text without breaks is one paragraph
            return state.headings[para]
        start = state.para_starts[para]
        words = [w for w in state.text[start:self._para_end(state, at)].split() if w[:1].isalpha()]
        state.headings[para] = (2 <= len(words) <= 25
                                and sum(w[0].isupper() for w in words) >= 0.7 * len(words))
        return state.headings[para]

    def _parenthetical(self, state: _State, cue: Token, spk_i: int, rule: str, doc_id: str | None) -> Quote | None:
        """`But to prevent problems, he said, local officials should be ...`:
        a reporting clause set off by commas inside the sentence it reports."""
        doc = state.doc
        if cue.dep_ != "parataxis":
            return None
        words = [t for t in cue.subtree if not t.is_punct]
        lo, hi = words[0].i, words[-1].i + 1
        if hi - lo > 6:
            return None
        if not (lo > 0 and doc[lo - 1].text == "," and hi < len(doc) and doc[hi].text == ","):
            return None
        sent = self._sent(state, cue.i)
        a, b = sent.start, sent.end
        while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
            b -= 1
        if b - a < 6 or any(state.in_quote[k] or doc[k].text in ('"', "“", "”") for k in range(a, b)):
            return None
        end = doc[b - 1].idx + len(doc[b - 1].text)
        parts = [p for p in (_trim(state.text, doc[a].idx, doc[lo - 1].idx), _trim(state.text, doc[hi].idx + 1, end))
                 if p[1] > p[0]]
        return self._report(state, a, b, spk_i, (cue.idx, cue.idx + len(cue.text), cue.lemma_.lower()),
                            "indirect.parenthetical", doc_id, parts)

    def _can_source(self, tok: Token) -> bool:
        """`according to X`: a person, a body, a plural ("exit polls") or a
        source noun ("the report") - not "according to plan"."""
        if tok.pos_ in ("PRON", "PROPN") or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return self._can_report(tok)
        lemma = tok.lemma_.lower()
        if tok.tag_ == "NNS" and not any(c.dep_ in ("det", "poss") or c.pos_ == "PROPN" for c in tok.lefts):
            return False  # a bare plural is an unnamed group or a finding: "according to exit polls"
        return tok.pos_ == "NOUN" and (lemma in self.lex.sources or tok.lower_ in self.lex.sources)

    def _can_report(self, tok: Token) -> bool:
        """Whether a noun phrase can be the source of reported speech: a person,
        a pronoun, a role ("the expert"), a named body ("the Kremlin")."""
        low = tok.lower_
        if tok.pos_ == "PRON":
            return low in PRONOUNS or low in PLURAL_PRONOUNS or low in FIRST_PERSON
        if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return True
        # "The bank said", "cast members said": any noun can report, but
        # dates and numbers cannot.
        return tok.pos_ == "NOUN" and tok.ent_type_ not in ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY")

    def _indirect(self, state: _State, match: tuple[int, int, str, int], doc_id: str | None) -> Quote | None:
        """Reported speech: the clause a cue reports, or the clause `according to X` qualifies."""
        doc = state.doc
        _, cue_i, rule, spk_i = match
        cue = doc[cue_i]
        if self._is_heading(state, cue.idx):
            return None  # `Lindsey Graham: Trump 'The Dealmaker' Could Address Clean Energy`
        role = self.roles_of_rule.get(rule)
        if role == "source":
            head = cue.head
            if head is cue:
                return None
            sent = self._sent(state, cue.i)
            to_end = cue.right_edge.i + 1
            if to_end < len(doc) and doc[to_end].text == ",":
                to_end += 1
            if cue.i <= sent.start + 2 or to_end < head.i:
                a, b = to_end, sent.end
            else:
                a, b = sent.start, cue.i
            cue_span = (cue.idx, doc[min(cue.i + 1, len(doc) - 1)].idx + len(doc[min(cue.i + 1, len(doc) - 1)].text),
                        "according to")
        else:
            comp = next((c for c in cue.children if c.dep_ == "ccomp"), None)
            if comp is None:
                comp = next((c for c in cue.children if c.dep_ == "dobj" and c.right_edge.i - c.left_edge.i >= 3
                             and cue.lemma_.lower() in self.rules.object_lemmas), None)
                if comp is None:
                    return self._parenthetical(state, cue, spk_i, rule, doc_id)
                a, b = comp.left_edge.i, self._sent(state, comp.i).end
            else:
                a, b = comp.left_edge.i, comp.right_edge.i + 1
            cue_span = (cue.idx, cue.idx + len(cue.text), cue.lemma_.lower())
        while a < b and (doc[a].dep_ == "mark" and doc[a].lower_ in ("that", "whether") or doc[a].is_punct):
            a += 1
        # Reported speech stays in the paragraph of its cue.
        p_start = state.para_starts[self._para(state, cue.idx)]
        p_end = self._para_end(state, cue.idx)
        while a < b and doc[a].idx < p_start:
            a += 1
        while b > a and doc[b - 1].idx >= p_end:
            b -= 1
        while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
            b -= 1
        if b - a < 3 or any(state.in_quote[k] for k in range(a, b) if doc[k].is_alpha):
            return None  # a quote's attribution, or a clause carrying a quoted fragment
        if any(doc[k].text in ('"', "“", "”") for k in range(a, b)):
            return None
        return self._report(state, a, b, spk_i, cue_span, f"indirect.{rule.split('.', 1)[-1]}", doc_id)

    def _report(self, state: _State, a: int, b: int, spk_i: int, cue: tuple[int, int, str], rule: str,
                doc_id: str | None, parts: list[tuple[int, int]] | None = None) -> Quote | None:
        """The record of reported speech in tokens [a, b), said by the phrase headed at spk_i."""
        doc = state.doc
        if not self._can_report(doc[spk_i]):
            return None
        who = self._who(state, doc[spk_i])
        if who is None:
            return None
        state.speakers.append((doc[a].idx, who))
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        span = QuoteSpan(start, end, None, None, parts or [(start, end)])
        return self._record(state, span, "indirect", who, cue, set(), rule, doc_id, None)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,":
        start += 1
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    return start, end


def _dedupe(records: Iterable[Quote]) -> list[Quote]:
    seen: set[tuple[int, int]] = set()
    out = []
    for r in records:
        if (r.start, r.end) in seen:
            continue
        seen.add((r.start, r.end))
        out.append(r)
    return out
