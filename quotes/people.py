"""People in one article: names, their clusters, roles, and the expert registry.

A person is named once in full ("EurAsEC Director General Vladimir Lepekhin")
and then by surname ("Lepekhin"), a transliteration variant ("Toqayev" for
"Tokayev"), a description ("the political scientist") or a pronoun. This
module owns the name side: finding the name inside a mention, folding
spellings into one key, and linking a name to the expert registry.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Token

from .rules import ExpertRule, Rules

_DOUBLES = re.compile(r"(.)\1+")
MAX_NAME_WORDS = 4


class Folding:
    """Spelling-insensitive keys for names, from the transliteration pairs of
    `rules/spellings.jsonl` (applied in file order): Toqayev = Tokayev,
    Satanovskiy = Satanovsky, Kassym = Kasim, Lepyokhin = Lepekhin."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pairs = tuple(pairs)
        self.fold = lru_cache(maxsize=65536)(self._fold)

    def __getstate__(self) -> tuple[tuple[str, str], ...]:
        return self.pairs  # the cache stays behind

    def __setstate__(self, pairs: tuple[tuple[str, str], ...]) -> None:
        self.__init__(pairs)  # type: ignore[misc]

    def _fold(self, word: str) -> str:
        s = unicodedata.normalize("NFKD", word.lower())
        s = "".join(c for c in s if c.isalpha())
        for a, b in self.pairs:
            s = s.replace(a, b)
        return _DOUBLES.sub(r"\1", s)

    def key(self, name: str | None) -> str:
        """The cluster key of a name: its folded last word (surname)."""
        words = name_words(name or "")
        return self.fold(words[-1].split("-")[-1]) if words else ""

    @classmethod
    def from_rules(cls, rules: Rules) -> Folding:
        return cls((r.written, r.folded) for r in rules.spellings)


def _title_words(words: Iterable[str]) -> list[str]:
    """Lower-cased words with hyphenated compounds split and lone dashes dropped."""
    return [part for w in words for part in re.split(r"[-\u2010\u2011]", w.lower()) if part]


def name_words(name: str) -> list[str]:
    """The words of a name, hyphenated parts kept together: 'Kassym-Jomart Tokayev'."""
    return [w for w in re.split(r"\s+", name.strip()) if w]


@dataclass
class Lexicon:
    """The word lists attribution needs, compiled from the rules."""

    roles: dict[str, str]  # phrase (lower) -> role id
    titles: frozenset[str]
    title_roles: frozenset[str]  # role ids that are titles: president, minister ...
    genders: dict[str, str]  # phrase -> m/f
    adjectives: dict[str, str]  # adjective or place name (lower) -> place id
    max_role_words: int
    sources: frozenset[str] = frozenset()  # nouns that can be a source without being a person
    organisations: frozenset[str] = frozenset()  # last words of bodies' names: Institute, Times
    pronouns: dict[str, str] = field(default_factory=dict)  # he, him, his, she ... -> m/f
    plural_pronouns: frozenset[str] = frozenset()  # they, them, we, us ...
    first_person: frozenset[str] = frozenset()  # i, me, we, us ...
    time_words: frozenset[str] = frozenset()  # never a speaker: `said Monday`
    object_pronouns: frozenset[str] = frozenset()  # a cue's object, never its speaker: `asked him`
    view_verbs: frozenset[str] = frozenset()  # their subject holds a view: `experts saw a weakening`
    not_speakers: frozenset[str] = frozenset()  # paragraph labels that are no speaker: `UPDATE:`
    folding: Folding = field(default_factory=lambda: Folding(()))
    first_names: dict[str, str] = field(default_factory=dict)  # first name (lower) -> m/f
    endings: tuple[tuple[str, str], ...] = ()  # (surname ending, m/f), longest first

    @classmethod
    def from_rules(cls, rules: Rules) -> Lexicon:
        roles: dict[str, str] = {}
        titles: set[str] = set()
        title_roles: set[str] = set()
        genders: dict[str, str] = {}
        sources: set[str] = set()
        organisations: set[str] = set()
        for d in rules.descriptors:
            words = [w.lower() for w in d.words]
            if d.kind in ("source", "organisation"):
                sources.update(words)
            if d.kind == "organisation":
                organisations.update(words)
            for w in words:
                if d.kind == "role":
                    roles[" ".join(_title_words([w]))] = d.id
                if d.kind == "title" or d.title:
                    titles.update(w.split())
                if d.gender:
                    genders[w] = d.gender
            if d.kind == "role" and d.title:
                title_roles.add(d.id)
        adjectives: dict[str, str] = {}
        for p in rules.places:
            adjectives[p.place.lower()] = p.id
            for a in p.adjectives:
                adjectives[a.lower()] = p.id
        first_names = {w: r.gender for r in rules.names if r.kind == "first" for w in r.words}
        endings = sorted(((w, r.gender) for r in rules.names if r.kind == "ending" for w in r.words),
                         key=lambda e: -len(e[0]))
        pronouns: dict[str, str] = {w: p.gender for p in rules.pronouns if p.person == 3 and not p.plural and p.gender
                    for w in p.words}
        return cls(roles, frozenset(titles), frozenset(title_roles), genders, adjectives,
                   max((len(k.split()) for k in roles), default=1), frozenset(sources | set(roles)),
                   frozenset(organisations),
                   pronouns=pronouns,
                   plural_pronouns=frozenset(w for p in rules.pronouns if p.plural for w in p.words),
                   first_person=frozenset(w for p in rules.pronouns if p.person == 1 for w in p.words),
                   time_words=rules.word_list("words.time"),
                   object_pronouns=rules.word_list("words.object_pronouns"),
                   view_verbs=rules.word_list("words.view_verbs"),
                   not_speakers=rules.word_list("words.not_speakers"),
                   folding=Folding.from_rules(rules),
                   first_names=first_names, endings=tuple(endings))

    def roles_in(self, words: Sequence[str]) -> list[str]:
        """Role ids named in a run of words, longest phrase first; a compound
        title reads the same with a hyphen or a space (`secretary-general`,
        `secretary general`, or the tokens `secretary - general`)."""
        lower = _title_words(words)
        found: list[str] = []
        i = 0
        while i < len(lower):
            for n in range(min(self.max_role_words, len(lower) - i), 0, -1):
                phrase = " ".join(lower[i:i + n])
                if phrase in self.roles:
                    found.append(self.roles[phrase])
                    i += n
                    break
            else:
                i += 1
        return found

    def places_in(self, words: Sequence[str]) -> set[str]:
        return {self.adjectives[w.lower()] for w in words if w.lower() in self.adjectives}

    def name_gender(self, name: str) -> str | None:
        """The gender a name shows: its first name, else a gendered surname
        ending (`Zakharova`, `Peskov`); None when the name does not say."""
        words = name_words(name)
        if not words:
            return None
        if len(words) > 1:
            g = self.first_names.get(words[0].lower().split("-")[0])
            if g:
                return g
        last = words[-1].lower().split("-")[-1]
        for ending, g in self.endings:
            if last.endswith(ending) and len(last) > len(ending) + 2:
                return g
        return None

    def gender_of(self, words: Sequence[str]) -> str | None:
        for w in words:
            g = self.genders.get(w.lower().rstrip("."))
            if g:
                return g
        return None


def is_name_token(tok: Token, lex: Lexicon) -> bool:
    """A word that can be part of a person's name.

    Works from the tagger and the parse; the entity recogniser, when the
    pipeline has one, only confirms."""
    text = tok.text
    if not text[:1].isupper() or tok.is_punct or tok.like_num:
        return False
    low = text.lower()
    if low in lex.adjectives:
        # `Chuck Jordan`: a place name after a first name is a surname.
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        return (tok.pos_ == "PROPN" and prev is not None and prev.pos_ == "PROPN" and prev.whitespace_ != ""
                and prev.text[:1].isupper() and prev.lower_ not in lex.adjectives
                and prev.lower_.rstrip(".") not in lex.titles and prev.lower_ not in lex.roles)
    if low in lex.titles or low in lex.roles or low.rstrip(".") in lex.titles:
        return False
    if tok.tag_ == "NNPS":
        return False  # a plural is a group: `African-Americans`, `Democrats`
    if tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON":
        return True
    if len(text) <= 2 or tok.pos_ not in ("NOUN", "ADJ", "X", "VERB"):
        return False
    # The sm model tags some names NOUN or ADJ. A capitalised word that is not
    # sentence-initial reads as a name; so does a sentence-initial singular
    # subject with no determiner, which a common noun would need
    # (`Trump boasted`, against `The spot said`).
    if not tok.is_sent_start:
        return True
    return (tok.tag_ == "NN" and tok.dep_ == "nsubj"
            and not any(c.dep_ in ("det", "poss", "amod", "compound") for c in tok.children))


def name_span(tokens: Sequence[Token], head: Token, lex: Lexicon) -> tuple[int, int] | None:
    """Token indices [i, j) of the name ending at or around `head` within `tokens`."""
    index = {t.i: n for n, t in enumerate(tokens)}
    if head.i not in index:
        return None
    n = index[head.i]
    if not is_name_token(head, lex):
        return None
    # Extend right over name words (and hyphens joining them) the head governs.
    j = n + 1
    while j < len(tokens) and (is_name_token(tokens[j], lex) or _joins(tokens, j, lex)):
        j += 1
    i = n
    words = 1
    while i > 0 and words < MAX_NAME_WORDS:
        prev = tokens[i - 1]
        if _joins(tokens, i - 1, lex):
            i -= 1
            continue
        if not is_name_token(prev, lex) or prev.whitespace_ == "" and prev.text in ",;":
            break
        i -= 1
        words += 1
    while j > i and tokens[j - 1].text in "-–":
        j -= 1
    # `"Russia in Global Affairs" Journal Fyodor Lukyanov`: a known first name
    # starts the name; the capitalised words before it are a title or a body.
    for k in range(i + 1, j - 1):
        if tokens[k].lower_ in lex.first_names and tokens[k - 1].lower_ not in lex.first_names:
            i = k
            break
    return (tokens[i].i, tokens[j - 1].i + 1)


def _joins(tokens: Sequence[Token], k: int, lex: Lexicon) -> bool:
    """A hyphen inside a name: Kassym-Jomart."""
    t = tokens[k]
    return (t.text in "-–" and t.whitespace_ == "" and 0 < k < len(tokens) - 1
            and tokens[k - 1].whitespace_ == "" and tokens[k - 1].text[:1].isupper()
            and tokens[k + 1].text[:1].isupper())


@dataclass
class Person:
    """A person named in the article outside quotation marks."""

    name: str
    start: int
    end: int
    subject: bool
    roles: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    gender: str | None = None

    key: str = ""  # the folded surname, set by People.add
    first: str | None = None  # the folded first name, if the name has one
    words: int = 0


class Registry:
    """The expert registry, matched on folded spellings of names."""

    def __init__(self, experts: Iterable[ExpertRule], folding: Folding) -> None:
        self.folding = folding
        fold = folding.fold
        self.experts = list(experts)
        self.by_surname: dict[str, list[tuple[ExpertRule, str | None]]] = {}
        for e in self.experts:
            for alias in {e.name, *e.aliases}:
                words = name_words(alias)
                if not words:
                    continue
                first = fold(words[0]) if len(words) > 1 else None
                self.by_surname.setdefault(fold(words[-1]), []).append((e, first))

    def match(self, name: str | None) -> ExpertRule | None:
        """The expert a name refers to, if any."""
        if not name:
            return None
        words = name_words(name)
        if not words:
            return None
        fold = self.folding.fold
        candidates = self.by_surname.get(fold(words[-1].split("-")[-1])) or self.by_surname.get(fold(words[-1]))
        if not candidates:
            return None
        first = fold(words[0]) if len(words) > 1 else None
        for expert, alias_first in candidates:
            if first is None or alias_first is None or _same_first(first, alias_first):
                return expert
        return None

    def names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.experts}


def _same_first(a: str, b: str) -> bool:
    a, b = a.lstrip("i"), b.lstrip("i")
    return a[:3] == b[:3] or a.startswith(b) or b.startswith(a)


class People:
    """The named people of one article, in text order, with name clustering."""

    def __init__(self, folding: Folding) -> None:
        self.folding = folding
        self.people: list[Person] = []
        self.by_key: dict[str, list[Person]] = {}
        self.starts: list[int] = []

    def key(self, name: str | None) -> str:
        """The cluster key of a name (its folded surname)."""
        return self.folding.key(name)

    def add(self, person: Person) -> None:
        words = name_words(person.name)
        person.key = self.folding.key(person.name)
        person.first = self.folding.fold(words[0]) if len(words) > 1 else None
        person.words = len(words)
        self.people.append(person)

    def keys(self) -> frozenset[str]:
        """The cluster keys (folded surnames) of everyone named."""
        return frozenset(self.by_key)

    def finish(self) -> None:
        self.people.sort(key=lambda p: p.start)
        self.starts = [p.start for p in self.people]
        self.by_key = {}
        for p in self.people:
            self.by_key.setdefault(p.key, []).append(p)

    def fullest(self, name: str, at: int) -> str:
        """The fullest form in the article of the person `name` refers to."""
        words = name_words(name)
        first = self.folding.fold(words[0]) if len(words) > 1 else None
        best, best_words = name, len(words)
        same = [p for p in self.by_key.get(self.key(name), ()) if first is None or p.first is None
                or _same_first(first, p.first)]
        if first is None and not any(p.first for p in same):
            # `Pepe also agreed`: a lone word that is the first name of exactly
            # one person named in full in the article is that person.
            by_first = {p.key: p for p in self.people if p.first == self.folding.fold(words[0])} if words else {}
            if len(by_first) == 1:
                (p,) = by_first.values()
                same = self.by_key.get(p.key, [p])
        if first is None and same:
            # A surname alone: the person of that surname named nearest before it.
            before = [p for p in same if p.start <= at]
            anchor = before[-1] if before else same[0]
            same = [p for p in same if p.first is None or anchor.first is None or p.first == anchor.first]
        for p in same:
            if p.words > best_words or (p.words == best_words and len(p.name) > len(best)):
                best, best_words = p.name, p.words
        return best

    def roles_of(self, name: str) -> tuple[set[str], set[str]]:
        roles: set[str] = set()
        places: set[str] = set()
        for p in self.by_key.get(self.key(name), ()):
            roles |= p.roles
            places |= p.places
        return roles, places

    def before(self, at: int, since: int = 0) -> list[Person]:
        """People named in [since, at), in text order."""
        starts = self.starts
        return self.people[bisect.bisect_left(starts, since):bisect.bisect_left(starts, at)]
