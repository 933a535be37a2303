"""Resolve: the speaker at an attribution -> a person of the article.

A name resolves to the fullest form of that name in the article ("Lepekhin"
-> "Vladimir Lepekhin"), a pronoun to the nearest speaker or subject before it,
a description ("the Kazakh leader", "the expert") to the person introduced
with that nationality or title, else to the most recent speaker; then names
are linked to the expert registry.

The `Resolver` is the only pass with mutable state: the speaker history, the
speakers heard so far in text order, which pronouns and descriptions resolve
against. The pipeline feeds it quotes and reported speech in text order
(`heard`), so that each speaker is known before the pronouns that follow it.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..people import Lexicon, People, Registry, is_name_token, name_span
from .candidates import Who
from .mentions import looks_like_person
from .syntax import appos, noun_phrase, out_of_parentheses
from .view import View

# Entity types of times and amounts: never a speaker. ("63 percent said" is a
# share of people; the model's person, place and organisation types are too
# unsure on names to rule a speaker out.)
NOT_SPEAKER_ENTS = frozenset({"DATE", "TIME", "ORDINAL", "QUANTITY", "MONEY"})


class Resolver:
    """Turns speaker tokens into people, in text order.

    Args:
        view: The document.
        people: The people named in it (`mentions.collect_people`).
        lex: The lexicon.
        registry: The expert registry.
        antecedent_paragraphs: How many paragraphs back a pronoun looks for
            its person: `Lepekhin spoke first. [...] "...," he added.`
        cataphora_paragraphs: How many paragraphs ahead a pronoun or
            description that opens an article looks for its person.
    """

    def __init__(self, view: View, people: People, lex: Lexicon, registry: Registry, *,
                 antecedent_paragraphs: int = 3, cataphora_paragraphs: int = 3) -> None:
        self.view = view
        self.people = people
        self.lex = lex
        self.registry = registry
        self.antecedent_paragraphs = antecedent_paragraphs
        self.cataphora_paragraphs = cataphora_paragraphs
        self.history: list[tuple[int, Who]] = []  # (offset, who), in text order

    def heard(self, offset: int, who: Who) -> None:
        """Record that `who` spoke at `offset`: later pronouns may refer to them."""
        self.history.append((offset, who))

    def who(self, tok: Token) -> Who | None:
        """The speaker whose head token is `tok`, or None if `tok` cannot be one."""
        return self._who(self.view, tok)

    def who_inside(self, tok: Token) -> Who | None:
        """A speaker named inside a quote: only a name, never a pronoun (it is the outer speaker's)."""
        if not is_name_token(tok, self.lex):
            return None
        return self._who(self.view.unquoted(), tok)

    def named(self, start: int, end: int, name: str) -> Who:
        """A speaker named at [start, end) by `name` (a transcript label, a signature)."""
        return self.finish(Who((start, end), self.people.fullest(name, start), "named"))

    def finish(self, who: Who) -> Who:
        """Link the speaker to the registry (and take the registry's fuller name)."""
        expert = self.registry.match(who.name)
        if expert is not None:
            who.expert_id = expert.id
            who.name = expert.name if len(who.name.split()) < len(expert.name.split()) else who.name  # type: ignore[union-attr]
        return who

    def _who(self, view: View, tok: Token) -> Who | None:
        lex, people, doc = self.lex, self.people, view.doc
        if tok.ent_type_ in NOT_SPEAKER_ENTS or tok.lower_ in lex.time_words:
            return None  # `said Monday`, `told reporters Thursday morning`
        tok = out_of_parentheses(tok)
        if tok.lower_ in ("who", "that") and tok.head.dep_ == "relcl" and tok.head.head is not tok.head:
            tok = tok.head.head  # `Trump, who said: "..."`
        low = tok.text.lower()
        if tok.pos_ == "PRON" or low in lex.pronouns or low in lex.plural_pronouns:
            mention = (tok.idx, tok.idx + len(tok.text))
            if low in lex.first_person or low in lex.plural_pronouns or low in ("it", "you", "this", "that", "who"):
                return Who(mention, None, "unresolved")
            person = self._antecedent(tok.idx, lex.pronouns.get(low))
            if person is None:
                return Who(mention, None, "unresolved")
            return self.finish(Who(mention, person[0], "pronoun", expert_id=person[1]))
        np = noun_phrase(view, tok)
        ns = name_span(list(np), tok, lex)
        ap = appos(tok)
        if ns is None and ap is None:
            # "President of Belarus Alexander Lukashenko said": the name is the
            # object of the title's "of" ("the President of the Russian
            # Federation" names a body: a description, not a name).
            for prep in tok.rights:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if pobj is not None and is_name_token(pobj, lex):
                        sub = doc[pobj.left_edge.i:pobj.i + 1]
                        ns_of = name_span(list(sub), pobj, lex)
                        if ns_of is not None and looks_like_person(doc[ns_of[0]:ns_of[1]], pobj, lex, self.registry):
                            name_toks = doc[ns_of[0]:ns_of[1]]
                            desc = doc[np.start:ns_of[0]].text.strip(" ,") or None
                            full = people.fullest(name_toks.text, tok.idx)
                            return self.finish(Who((np.start_char, name_toks.end_char), full, "named",
                                                   description=desc))
                    break
        if ns is None and ap is not None:
            # "the chairman of the meeting, Armenian leader Nikol Pashinyan, said"
            for t in reversed(list(ap)):
                if is_name_token(t, lex):
                    ns2 = name_span(list(ap), t, lex)
                    if ns2:
                        name_toks = doc[ns2[0]:ns2[1]]
                        desc = " ".join(w for w in (np.text, doc[ap.start:ns2[0]].text) if w).strip(" ,")
                        full = people.fullest(name_toks.text, tok.idx)
                        return self.finish(Who((np.start_char, ap.end_char), full,
                                               "named", description=desc or None))
                    break
        if ns is not None:
            name_toks = doc[ns[0]:ns[1]]
            before = doc[np.start:ns[0]]
            desc_words = [t for t in before if t.pos_ != "DET"]
            description = doc[desc_words[0].i:ns[0]].text if desc_words else None
            if ap is not None and lex.roles_in([t.text for t in ap]):
                description = ap.text
                end = ap.end_char
            else:
                end = np.end_char
            words_of = description.split() if description is not None else []
            if description is not None and not (lex.roles_in(words_of) or lex.places_in(words_of)):
                description = description if len(desc_words) > 0 and any(
                    t.pos_ in ("NOUN", "PROPN") for t in desc_words) else None
            full = people.fullest(name_toks.text, tok.idx)
            how = "named" if len(name_toks) > 1 or full != name_toks.text else "surname"
            return self.finish(Who((np.start_char, end), full, how, description=description))
        if tok.text[:1].isupper() and tok.pos_ in ("NOUN", "ADJ", "X") and people.key(tok.text) in people.keys():
            # The sm model tags some names as nouns at a sentence start
            # (`Trump boasted`): a word the article names a person with is a name.
            full = people.fullest(tok.text, tok.idx)
            return self.finish(Who((tok.idx, tok.idx + len(tok.text)), full, "surname"))
        # A description: "the expert", "the Kazakh leader", "the President of
        # the Russian Federation" (its place after "of").
        words = [t.text for t in np]
        roles = lex.roles_in(words)
        mention = (np.start_char, np.end_char)
        if roles:
            of = [w.text for prep in tok.rights if prep.dep_ == "prep" and prep.lower_ == "of"
                  for w in prep.subtree]
            places = lex.places_in(words + of)
            person = self._by_description(tok.idx, roles, places, lex.gender_of(words))
            if person is None:
                return Who(mention, None, "unresolved")
            return self.finish(Who(mention, person[0], "description", expert_id=person[1]))
        # Anything else that speaks: an outlet, an office, "officials".
        if np.text.strip():
            propn = [t for t in np if t.pos_ == "PROPN"]
            name = np.text if propn else None
            return self.finish(Who(mention, name, "other"))
        return None

    def _recent_speaker(self, at: int) -> tuple[str, str | None] | None:
        for offset, who in reversed(self.history):
            if offset < at and who.name and who.how != "other":
                return who.name, who.expert_id
        return None

    def _antecedent(self, at: int, gender: str | None) -> tuple[str, str | None] | None:
        """The person a pronoun at `at` refers to: the nearest speaker or subject
        before it that the pronoun's gender fits (`Maria Petrova spoke. Oleg
        Ivanov left. She said ...` is Maria Petrova). A name in an object
        (`met Joe Biden`, `in an interview with journalist X`) is no candidate."""
        view, people = self.view, self.people
        since = view.para_starts[max(0, view.para(at) - self.antecedent_paragraphs)]
        candidates: list[tuple[int, str]] = []
        for p in people.before(at, since):
            if p.subject and self._fits(p.name, p.gender, gender):
                candidates.append((p.start, people.fullest(p.name, p.start)))
        for offset, who in self.history:
            if since <= offset < at and who.name and who.how != "other" and self._fits(who.name, None, gender):
                candidates.append((offset, who.name))
        if not candidates:
            return self._cataphor(at, gender)
        _, name = max(candidates)
        expert = self.registry.match(name)
        return name, expert.id if expert else None

    def _fits(self, name: str, known: str | None, gender: str | None) -> bool:
        """Whether a person can be referred to by a pronoun of `gender`."""
        if gender is None:
            return True
        g = known or self.lex.name_gender(self.people.fullest(name, 0))
        return g in (None, gender)

    def _cataphor(self, at: int, gender: str | None) -> tuple[str, str | None] | None:
        """`Armenia's prime minister says he ordered an end. Nikol Pashinian said ...`:
        with no speaker or subject before it (a byline's name is neither), a
        pronoun or description refers forward to the first person named as a
        subject in the next paragraphs."""
        view, people = self.view, self.people
        after = view.para(at) + self.cataphora_paragraphs + 1  # the first paragraph past the window
        p_end = view.para_starts[after] if after < len(view.para_starts) else len(view.text)
        for p in people.before(p_end, at):
            if p.subject:
                if not self._fits(p.name, p.gender, gender):
                    return None
                full = people.fullest(p.name, p.start)
                expert = self.registry.match(full)
                return full, expert.id if expert else None
        return None

    def _by_description(self, at: int, roles: list[str], places: set[str],
                        gender: str | None) -> tuple[str, str | None] | None:
        """The person a description refers to ("the Kazakh leader", "the expert")."""
        lex, people = self.lex, self.people
        specific = places or any(r in lex.title_roles and r not in ("role.leader",) for r in roles)
        if specific:
            for p in reversed(people.before(at)):
                full = people.fullest(p.name, p.start)
                p_roles, p_places = people.roles_of(full)
                if places and not (places & p_places):
                    continue
                wanted = [r for r in roles if r != "role.leader"]
                # `the Russian leader Vladimir Putin` ... `the President of Russia`:
                # a country's leader holds its titles.
                if wanted and not (set(wanted) & p_roles) and not (places and "role.leader" in p_roles):
                    continue
                if not places and not p_roles:
                    continue
                expert = self.registry.match(full)
                return full, expert.id if expert else None
        recent = self._recent_speaker(at)
        if recent is not None and not (places and self._elsewhere(recent[0], places)):
            return recent
        person = self._antecedent(at, gender)
        if person is not None and places and self._elsewhere(person[0], places):
            return None  # `the Russian president` is not the Armenian one named before
        return person

    def _elsewhere(self, name: str, places: set[str]) -> bool:
        """Whether the article ties `name` to places, none of them `places`
        (`the President of Russia` is not `Armenian President Serzh Sargsyan`)."""
        _, p_places = self.people.roles_of(name)
        return bool(p_places) and not (p_places & places)
